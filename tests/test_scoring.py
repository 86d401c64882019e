"""The scoring engine against cases worked out by hand from the seed tables.

Each expected figure is derived in the comment beside it from the rule in the seed (or
the reading written as a ``notes:`` entry in the scheme data) and the example's data.
Dossiers are changed in memory (a deep copy of the loaded example), never on disk.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any, Callable

import pytest

from dossier.cli import main
from dossier.errors import SchemeDataError
from dossier.loader import LoadedDossier, load_dossier
from dossier.model import Answer, Project
from dossier.schemes import parse_scheme, scheme_files
from dossier.scoring import score_dossier
from dossier.scoring.context import Context, round2
from dossier.scoring.metrics import METRICS
from dossier.scoring.report import ScoreReport
from dossier.scoring.rules import RULES
from dossier.scoring.thresholds import THRESHOLDS, total_score
from dossier.yamlio import load_yaml_file

from .conftest import EXAMPLES, SCHEME_FACTS, SCHEME_IDS

_CACHE: dict[str, LoadedDossier] = {}


def example(scheme_id: str) -> LoadedDossier:
    if scheme_id not in _CACHE:
        _CACHE[scheme_id] = load_dossier(EXAMPLES / scheme_id)
    return _CACHE[scheme_id]


def changed(scheme_id: str, change: Callable[[Any], None], scheme_dir: Path | None = None) -> LoadedDossier:
    """The example with ``change(dossier)`` applied to a deep copy."""
    loaded = load_dossier(EXAMPLES / scheme_id, scheme_dir) if scheme_dir else example(scheme_id)
    dossier = loaded.dossier.model_copy(deep=True)
    change(dossier)
    return dataclasses.replace(loaded, dossier=dossier)


def answer(d: Any, item_id: str, section: str = "indicators", **fields: Any) -> None:
    getattr(d, section)[item_id] = Answer(**fields)


# --- registries and scheme data ----------------------------------------------------------------


def test_registries_cover_every_name_the_data_may_use():
    from dossier import vocabulary
    from dossier.evidence_check import CONDITIONS
    from dossier.scoring.engine import SCORING_METHODS
    from dossier.scoring.rules import CALCULATORS

    assert set(RULES) == {"claimed", "binary", "options", "components", "per_item", "tiers", "proportional",
                          "lookup", "grade"} == set(vocabulary.RULE_TYPES)
    assert set(METRICS) == set(vocabulary.METRICS) and "renewable_share" in METRICS
    assert set(THRESHOLDS) == set(vocabulary.THRESHOLD_METRICS) and "offset_coverage" in THRESHOLDS
    assert set(CALCULATORS) == set(vocabulary.LOOKUP_CALCULATORS) == {"energy_saving"}
    assert set(SCORING_METHODS) == set(vocabulary.SCORING_METHODS) == {"sum", "weighted", "green_index"}
    assert set(CONDITIONS) == set(vocabulary.EVIDENCE_CONDITIONS)


def test_a_registry_out_of_step_with_the_vocabulary_fails_even_without_asserts():
    from dossier import vocabulary

    with pytest.raises(RuntimeError, match=r"no code for \['grade'\]"):
        vocabulary.require_implemented("rule types", [n for n in RULES if n != "grade"])
    with pytest.raises(RuntimeError, match=r"not declared \['mine'\]"):
        vocabulary.require_implemented("metrics", [*METRICS, "mine"])


@pytest.mark.parametrize(
    ("change", "message"),
    [({"calculator": "energy_savings"}, "未知的查表计算方法 'energy_savings'（是否应为 energy_saving？）"),
     ({"calculator": None}, "缺少参数：calculator"),
     ({"table": "no_such_table"}, "lookup_tables 中没有 'no_such_table'")],
)
def test_a_lookup_names_a_known_table_and_calculator(change: dict[str, Any], message: str):
    path = scheme_files()["suzhou-green-factory"]
    data = load_yaml_file(path).data
    row = next(r for r in data["indicators"] if r.get("rule", {}).get("type") == "lookup")
    for key, value in change.items():
        if value is None:
            del row["rule"][key]
        else:
            row["rule"][key] = value
    with pytest.raises(SchemeDataError) as err:
        parse_scheme(data, str(path))
    assert message in str(err.value)


def test_an_unknown_scoring_method_fails_when_the_scheme_loads():
    path = scheme_files()["jiangsu-zero-carbon-factory"]
    data = load_yaml_file(path).data
    data["scoring"]["method"] = "weighed"
    with pytest.raises(SchemeDataError, match="未知的计分方法 'weighed'（是否应为 weighted？）"):
        parse_scheme(data, str(path))


@pytest.mark.parametrize(
    ("where", "bad", "hint"),
    [("threshold", "offset_coverag", "offset_coverage"), ("rule", "renewable_shar", "renewable_share"),
     ("conditional", "I9", None)],
)
def test_unknown_names_in_scheme_data_fail_when_it_loads(where: str, bad: str, hint: str | None):
    path = scheme_files()["jiangsu-zero-carbon-factory"]
    data = load_yaml_file(path).data
    if where == "threshold":
        data["thresholds"][1]["metric"] = bad
    elif where == "rule":
        data["indicators"][1]["rule"]["metric"] = bad
    else:
        data["scoring"]["conditional"] = [bad]
    with pytest.raises(SchemeDataError) as err:
        parse_scheme(data, str(path))
    assert bad in str(err.value)
    if hint:
        assert f"是否应为 {hint}" in str(err.value)


# --- every example: a total worked out by hand --------------------------------------------------

# Each example's [total, max, eligible], worked out by hand in tests/data/schemes.yaml.
EXPECTED = {scheme_id: tuple(facts["example_score"]) for scheme_id, facts in SCHEME_FACTS.items()}


@pytest.mark.parametrize("scheme_id", SCHEME_IDS)
def test_every_example_scores_as_worked_out_by_hand(scheme_id: str):
    report = score_dossier(example(scheme_id))
    total, top, eligible = EXPECTED[scheme_id]
    assert report.total == (pytest.approx(total) if total is not None else None)
    assert report.max == top
    assert report.eligible is eligible
    for item in report.items:
        assert item.reason and any("\u4e00" <= ch <= "\u9fff" for ch in item.reason), item.id
    json.dumps(report.to_dict(), ensure_ascii=False)


def test_example_category_scores():
    report = score_dossier(example("zhejiang-green-low-carbon-factory"))
    product = report.category("产品")
    assert (product.earned, product.applicable_max, product.score, product.weighted) == (69, 82, 89.2, 8.92)
    assert "69 × 106 ÷ 82" in product.note
    assert report.category("管理体系").max == 86  # the printed rows add up to 86
    assert report.indicator_total == 91.42 and report.bonus_total == 10


# --- Jiangsu 附件1-2 item 2: renewable share tiers ---------------------------------------------

# 不低于50% 10；[40,50) 8；[30,40) 6；[20,30) 4；[10,20) 2；<10% 1 (“小于10%的得1分”, 0 % included)
TIERS = [(0, 1), (9.9, 1), (10, 2), (19.9, 2), (20, 4), (29.9, 4), (30, 6), (39.9, 6),
         (40, 8), (49.9, 8), (50, 10), (100, 10)]


@pytest.mark.parametrize(("share", "points"), TIERS)
def test_jiangsu_renewable_share_tiers(share: float, points: float):
    def change(d):
        d.years[2025].energy_total_tce = 1000
        d.years[2025].renewable_tce = share * 10  # share % of 1,000 tce

    item = score_dossier(changed("jiangsu-zero-carbon-factory", change)).item("I02")
    assert item.points == points and item.computed
    assert f"{round2(share):g}%" in item.reason and f"→ {points:g} 分" in item.reason


def test_computed_share_decides_over_the_claim():
    # the example claims 6 points for 35.5 %; with 45 % the data gives 8 whatever the claim says
    def change(d):
        d.years[2025].renewable_tce = 0.45 * 5917.8

    item = score_dossier(changed("jiangsu-zero-carbon-factory", change)).item("I02")
    assert item.points == 8 and item.claimed == 6
    assert "自评 6 分，以计算结果为准" in item.reason


def test_without_data_the_claim_decides():
    def change(d):
        d.years[2025].renewable_tce = None
        d.years[2025].energy = {}

    item = score_dossier(changed("jiangsu-zero-carbon-factory", change)).item("I02")
    assert item.points == 6 and not item.computed
    assert "无法计算" in item.reason and "自评得分 6 分" in item.reason


def test_jiangsu_rule_types_from_the_answers():
    def change(d):
        answer(d, "I03", status="部分符合", count=7)  # 7 × 2 = 14 → 最高 10
        answer(d, "I05", status="部分符合", components=["专用设备能效水平达到行业先进值"])  # 4
        answer(d, "I08", status="符合", option="国家卓越级智能工厂")  # 8
        answer(d, "I10", status="符合", count=12)  # 12 × 0.5 = 6
        answer(d, "I11", status="部分符合", points=3)  # binary: not met → 0

    report = score_dossier(changed("jiangsu-zero-carbon-factory", change))
    assert [report.item(i).points for i in ("I03", "I05", "I08", "I10", "I11")] == [10, 4, 8, 6, 0]
    assert "最高 10 分" in report.item("I03").reason
    assert "国家卓越级智能工厂" in report.item("I08").reason


# --- Jiangsu confirmation rules ----------------------------------------------------------------


def test_jiangsu_offset_coverage_uses_the_factor_without_market_traded_green_power():
    t = score_dossier(example("jiangsu-zero-carbon-factory")).threshold("offset")
    # 类别2 = 22,900 MWh × 0.6096 (2023, the latest 不包括市场化交易的非化石能源电量 factor; 绿电
    # 9,800 MWh not multiplied) = 13,959.84; + 类别1 1,784.2 = 15,744.04; offsets 15,852.4
    assert t.passed and t.value == pytest.approx(15852.4 / 15744.04)
    assert "22900 MWh × 0.6096" in t.reason and "13959.84" in t.reason
    assert "12150.7" in t.note  # the reported 类别2 used another factor: said, not used


def test_jiangsu_offset_coverage_fails_without_the_ccer():
    def change(d):
        d.offsets = [o for o in d.offsets if o.type != "CCER"]

    report = score_dossier(changed("jiangsu-zero-carbon-factory", change))
    t = report.threshold("offset")
    # (13,959.8 + 292.6) ÷ 15,744.04 = 14,252.4 ÷ 15,744.04 = 90.53 %
    assert t.passed is False and t.shown == "90.53%"
    assert not report.eligible
    assert report.gaps[0].startswith("未达到“类别1+类别2碳排放量100%抵消”：90.53%")


@pytest.mark.parametrize(("app_type", "reduction", "passed"), [
    ("near-zero", 14528.6, True),  # 14,528.6 ÷ 29,057.2 = 50 % exactly: “50%（含）以上”
    ("near-zero", 14528.5, False),
    ("zero", 15122.3, False),  # 52.04 % < 80 %
    ("zero", 23245.76, True),  # 80 % exactly
])
def test_jiangsu_own_reduction_thresholds(app_type: str, reduction: float, passed: bool):
    def change(d):
        d.application_type = app_type
        d.carbon.own_reduction_tco2e = reduction

    report = score_dossier(changed("jiangsu-zero-carbon-factory", change))
    own = [t for t in report.thresholds if t.metric == "own_reduction_ratio"]
    assert len(own) == 1 and own[0].passed is passed
    assert report.eligible is passed


def test_jiangsu_score_threshold_at_80():
    def change(d):  # I10 from 11 functions (5.5) to 6 (3): 82.5 − 2.5 = 80
        answer(d, "I10", status="部分符合", count=6)
    report = score_dossier(changed("jiangsu-zero-carbon-factory", change))
    assert report.total == 80 and report.threshold("score").passed

    def lower(d):
        answer(d, "I10", status="部分符合", count=5)  # 2.5 → 79.5
    report = score_dossier(changed("jiangsu-zero-carbon-factory", lower))
    assert report.total == 79.5 and report.threshold("score").passed is False and not report.eligible


# --- basic conditions veto ---------------------------------------------------------------------


@pytest.mark.parametrize("scheme_id", [s for s in SCHEME_IDS if EXPECTED[s][2]])  # eligible examples
def test_a_failed_basic_condition_vetoes_whatever_the_score(scheme_id: str):
    def change(d):
        for row in d.indicators.values():  # every row at its maximum
            row.status, row.points = "符合", None
        answer(d, "BC2", "basic_conditions", status="不符合")

    report = score_dossier(changed(scheme_id, change))
    assert not report.eligible
    assert report.gaps[0].startswith("基本条件 BC2") and "一票否决" in report.gaps[0]
    basic = [t for t in report.thresholds if t.metric == "basic_conditions"][0]
    assert basic.passed is False


def test_an_unanswered_basic_condition_is_not_eligible():
    def change(d):
        del d.basic_conditions["BC4"]

    report = score_dossier(changed("jiangsu-zero-carbon-factory", change))
    assert not report.eligible
    assert any(g.startswith("基本条件 BC4") and "未填写" in g for g in report.gaps)


@pytest.mark.parametrize(("status", "eligible"), [("不适用", True), ("部分符合", False)])
def test_not_applicable_basic_condition_only_where_it_says_so(status: str, eligible: bool):
    # BC3 says “（如无…则不适用）”; BC1 does not
    def change(d):
        answer(d, "BC3", "basic_conditions", status=status)
    assert score_dossier(changed("jiangsu-zero-carbon-factory", change)).eligible is eligible

    def bc1(d):
        answer(d, "BC1", "basic_conditions", status="不适用")
    report = score_dossier(changed("jiangsu-zero-carbon-factory", bc1))
    assert not report.eligible and "没有不适用的情形" in report.item("BC1").reason


# --- 适用时 rows answered 不适用 ----------------------------------------------------------------


def test_not_applicable_on_a_conditional_row_rescales_its_category():
    # Zhejiang I60 “适用时，产品满足相关低碳产品要求。” (scoring.conditional) answered 不适用 in
    # the example; answering I59 (not conditional) 不适用 too loses its 2 points instead:
    # earned 69 − 2 = 67, 67 × 106 ÷ 82 = 86.61
    def change(d):
        answer(d, "I59", status="不适用")

    report = score_dossier(changed("zhejiang-green-low-carbon-factory", change))
    assert report.item("I60").applicable is False and report.item("I60").points is None
    assert report.item("I59").points == 0 and report.item("I59").met is False
    assert report.category("产品").score == 86.61


def test_not_applicable_mandatory_row_does_not_fail_the_mandatory_rule():
    report = score_dossier(example("zhejiang-green-low-carbon-factory"))
    assert report.item("I55").type == "必选（适用时）" and not report.item("I55").applicable
    assert report.threshold("mandatory").passed


def test_an_unmet_mandatory_row_makes_zhengzhou_ineligible():
    def change(d):
        answer(d, "I01", status="不符合")  # 必选, binary, 基础设施

    report = score_dossier(changed("zhengzhou-green-low-carbon-factory", change))
    assert report.threshold("mandatory").passed is False and not report.eligible
    assert any(g.startswith("必选项 I01") for g in report.gaps)


# --- per-category caps -------------------------------------------------------------------------


def test_category_cap_where_the_rows_exceed_the_stated_maximum():
    # Zhejiang 能源资源投入: the rows add up to 110; every row full → 110, capped at 100 → × 15 % = 15
    scheme = example("zhejiang-green-low-carbon-factory").scheme
    rows = [r.id for r in scheme.indicators if r.category == "能源资源投入"]

    def change(d):
        for row_id in rows:
            answer(d, row_id, status="符合")

    cat = score_dossier(changed("zhejiang-green-low-carbon-factory", change)).category("能源资源投入")
    assert (cat.earned, cat.score, cat.max, cat.weighted) == (110, 100, 100, 15)
    assert "上限 100" in cat.note


def test_claimed_points_are_capped_at_the_row_maximum():
    def change(d):
        d.bonus["B1"] = Answer(status="符合", components=["签订光伏建造合同或购买绿证", "获得入网批复"])

    item = score_dossier(changed("zhengzhou-green-low-carbon-factory", change)).item("B1")
    assert item.points == 20 and "10 + 15 = 25" in item.reason  # 表3 B1 分值 20


# --- bonus ---------------------------------------------------------------------------------------


def test_zhengzhou_bonus_is_ten_percent_of_the_bonus_points_at_most_10():
    def change(d):
        for row_id in d.bonus:
            d.bonus[row_id] = Answer(status="符合")
        d.bonus["B1"] = Answer(status="符合", points=20)
        d.bonus["B2"] = Answer(status="符合", components=["项目签订合同", "竣工验收"])

    report = score_dossier(changed("zhengzhou-green-low-carbon-factory", change))
    assert report.bonus_total == 10  # 100 points × 10 % = 10 (max 10)
    assert report.total == pytest.approx(89.07 + 10)


def test_zhejiang_factory_bonus_is_twenty_percent():
    def change(d):
        d.bonus["B3"] = Answer(status="不符合")  # 40 × 20 % = 8

    report = score_dossier(changed("zhejiang-green-low-carbon-factory", change))
    assert report.bonus_total == 8 and report.total == pytest.approx(99.42)


def test_a_score_reached_only_with_the_bonus_is_flagged():
    ctx = Context(example("zhengzhou-green-low-carbon-factory"))
    t = next(t for t in ctx.scheme.thresholds if t.metric == "total_score")
    report = ScoreReport(scheme=ctx.scheme.id, total=86, max=110, eligible=False, indicator_total=83, bonus_total=3)
    result = total_score(t, ctx, report)
    assert result.passed and "靠加分项" in result.note


# --- Suzhou 近零碳 附件1-4 (× 2.5, cap 2.5) and green 附件1-3 (× 4, cap 4) -------------------------

# bands with a 项目年节能量目标 (万tce): saving = half the target → 1.25; = target → 2.5;
# twice the target → 5, capped at 2.5 (注3)
BANDS = [(50, 8), (30, 5), (18, 3), (10, 1.5), (6, 0.9), (2, 0.3), (1, 0.15), (0.5, 0.05)]


def _saving(consumption_10k: float, saving_10k: float, rate_pct: float | None = None) -> Callable[[Any], None]:
    def change(d):
        d.years[2025].energy_total_tce = consumption_10k * 10000
        d.years[2025].energy_saving_rate_pct = rate_pct  # the stated 综合年节能率 (None: the project score alone)
        d.projects = [Project(name="高效机房节能改造", category="减碳", start=dt.date(2025, 1, 1),
                              end=dt.date(2025, 6, 30), energy_saving_tce=saving_10k * 10000)]
    return change


@pytest.mark.parametrize(("band", "target"), BANDS)
@pytest.mark.parametrize(("share", "points"), [(0.5, 1.25), (1, 2.5), (2, 2.5)])
def test_suzhou_near_zero_energy_saving_every_band(band: float, target: float, share: float, points: float):
    item = score_dossier(changed("suzhou-near-zero-carbon-factory", _saving(band, target * share))).item("I29")
    assert item.points == points and item.computed
    assert f"档次 ≥{band:g}" in item.reason
    if share == 2:
        assert "最高 2.5 分" in item.reason


@pytest.mark.parametrize("consumption", [1000, 800, 200, 100, 0.49])
def test_suzhou_dash_target_bands_fall_back_to_the_claim(consumption: float):
    # ≥800 / ≥200 / ≥100 / ＜0.5: 项目年节能量目标 “—”; only 综合节能率 would count, and the
    # dossier states no rate here → the claimed 2.05 stands, and the reason says why
    item = score_dossier(changed("suzhou-near-zero-carbon-factory", _saving(consumption, 5))).item("I29")
    assert item.points == 2.05 and not item.computed
    assert "“—”" in item.reason


def test_suzhou_stated_saving_rate_scores_where_the_project_target_is_a_dash():
    # ≥800: 项目年节能量目标 “—”, 综合节能率 counts: a stated rate far above target → the 2.5 cap
    item = score_dossier(changed("suzhou-near-zero-carbon-factory", _saving(1000, 5, rate_pct=100))).item("I29")
    assert item.points == 2.5 and item.computed


@pytest.mark.parametrize(("saving", "points"), [
    (0.03761, 3.01),  # the example: 376.1 tce ÷ 500 tce × 4 = 3.0088
    (0.025, 2),  # 0.025 ÷ 0.05 × 4
    (0.05, 4),
    (0.2, 4),  # 16 → cap 4
])
def test_suzhou_green_energy_saving_times_four(saving: float, points: float):
    item = score_dossier(changed("suzhou-green-factory", _saving(0.545846, saving))).item("I32")
    assert item.points == points and item.max == 4


# --- Suzhou 近零碳 proportional and grade rows --------------------------------------------------


@pytest.mark.parametrize(("share", "i25", "i26"), [
    (0, 0, 0), (5, 0.5, 0), (9.9, 0.99, 0), (10, 1, 0), (30, 1, 1.5), (49.9, 1, 2.99), (50, 1, 3), (80, 1, 3),
])
def test_suzhou_near_zero_renewable_rows(share: float, i25: float, i26: float):
    # I25: share ÷ 10 % × 1 (at most 1); I26: (share − 10 %) ÷ 40 % × 3, 0 below 10 %, 3 from 50 %
    def change(d):
        d.years[2025].energy_total_tce = 1000
        d.years[2025].renewable_tce = share * 10

    report = score_dossier(changed("suzhou-near-zero-carbon-factory", change))
    assert (report.item("I25").points, report.item("I26").points) == (i25, i26)


@pytest.mark.parametrize(("years", "points"), [(3, 3), (5, 3), (6, 2.5), (7, 2), (10, 0.5), (11, 0), (15, 0)])
def test_suzhou_commitment_years(years: int, points: float):
    # “5年内（含）满分，6-10年内（含）按比例”: (11 − n) ÷ 6 × 3 (reading in the data notes)
    def change(d):
        d.carbon.target_year = d.reporting_year + years

    assert score_dossier(changed("suzhou-near-zero-carbon-factory", change)).item("I03").points == points


@pytest.mark.parametrize(("grade", "i30"), [("A", 1), ("B", 0.5), ("C", 0), ("A级", 1)])
def test_suzhou_resource_grade(grade: str, i30: float):
    def change(d):
        d.years[2025].resource_intensive_grade = grade

    assert score_dossier(changed("suzhou-near-zero-carbon-factory", change)).item("I30").points == i30


# The Zhejiang park's 绿色指数: tests/test_green_index.py.


# --- dossier score --------------------------------------------------------------------------------


def test_score_json_schema_and_exit_code(runner):
    result = runner.invoke(main, ["score", str(EXAMPLES / "jiangsu-zero-carbon-factory"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"scheme", "total", "max", "eligible", "categories", "items", "thresholds", "gaps"} <= set(data)
    assert data["scheme"] == "jiangsu-zero-carbon-factory" and data["total"] == 82.5 and data["eligible"] is True
    assert {"name", "score", "max", "weight"} <= set(data["categories"][0])
    assert {"id", "points", "max", "type", "met", "reason"} <= set(data["items"][0])
    assert {"name", "passed", "value", "required"} <= set(data["thresholds"][0])
    i02 = next(i for i in data["items"] if i["id"] == "I02")
    assert i02["points"] == 6 and "35.51%" in i02["reason"]


def test_score_text_names_total_thresholds_and_gaps(runner):
    result = runner.invoke(main, ["score", str(EXAMPLES / "jiangsu-zero-carbon-factory")])
    assert result.exit_code == 0
    out = result.output
    assert "总分：82.5 / 100" in out and "【达到】 类别1+类别2碳排放量100%抵消：100.69%" in out
    assert "结论：符合申报条件。" in out and "尚可得 5 分" in out


def test_score_exit_1_when_not_eligible(runner, example_copy):
    folder = example_copy("jiangsu-zero-carbon-factory")
    path = folder / "dossier.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  BC4:\n    status: 符合", "  BC4:\n    status: 不符合", 1)
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["score", str(folder)])
    assert result.exit_code == 1
    assert "基本条件 BC4" in result.output and "尚不符合申报条件" in result.output


def test_score_exit_2_on_bad_input(runner, example_copy, tmp_path):
    folder = example_copy("jiangsu-zero-carbon-factory")
    path = folder / "dossier.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("reporting_year: 2026", "reporting_year: 二〇二六", 1),
                    encoding="utf-8")
    result = runner.invoke(main, ["score", str(folder)])
    assert result.exit_code == 2 and "reporting_year" in result.output
    assert runner.invoke(main, ["score", str(tmp_path / "nowhere")]).exit_code == 2


def test_a_dossier_folder_may_carry_its_own_scheme_parameters(example_copy):
    """The park guide's 引领值 are not in any public text: a user who has the printed table
    copies the scheme file into DIR/checklists/ and fills them in there."""
    import re as _re

    from dossier.loader import load_dossier as _load
    from dossier.resources import checklists_dir

    directory = example_copy("zhejiang-green-low-carbon-park")
    assert _load(directory).scheme.lookup_tables["green_index"].rows[0]["leading_value"] is None
    own = directory / "checklists"
    own.mkdir()
    text = (checklists_dir() / "zhejiang-green-low-carbon-park.yaml").read_text(encoding="utf-8")
    text = _re.sub(r"leading_value: null", "leading_value: 100", text, count=1)
    (own / "zhejiang-green-low-carbon-park.yaml").write_text(text, encoding="utf-8")
    loaded = _load(directory)
    assert loaded.scheme.lookup_tables["green_index"].rows[0]["leading_value"] == 100
