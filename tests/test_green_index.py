"""The Zhejiang park's 绿色指数 (scoring method ``green_index``, dossier/scoring/green_index.py).

The formula is 导则附录A.1 (read from the guide's image; see the scheme data's
``scoring.params``): GI = 1/24 × Σ of 24 counted terms, each 100 × 指标值 ÷ 引领值
(逆向: 引领值 ÷ 指标值) capped at 120. The expected figures below are worked out by hand
from the park example's data (examples/zhejiang-green-low-carbon-park/dossier.yaml,
years.2025.green_index) and its 引领值 (parameters.leading_values, 示例值).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

import pytest

from dossier.cli import main
from dossier.loader import load_dossier
from dossier.model import Answer
from dossier.scoring import score_dossier
from dossier.scoring.green_index import Params, Term, count_terms

from .conftest import EXAMPLES

PARK = EXAMPLES / "zhejiang-green-low-carbon-park"


def _park(change: Callable[[Any], None] | None = None):
    loaded = load_dossier(PARK)
    if change is None:
        return loaded
    dossier = loaded.dossier.model_copy(deep=True)
    change(dossier)
    return dataclasses.replace(loaded, dossier=dossier)


def test_one_year_of_the_example_worked_by_hand():
    # 2025, example data ÷ example 引领值 × 100, each term ≤ 120:
    eg = [3.338 / 3.5 * 100, 11.09 / 15 * 100, 98.37 / 95 * 100]                     # GI01–03 必选
    rg = [904.1 / 1000 * 100, 27.27 / 30 * 100, 95.21 / 95 * 100, 91.8 / 90 * 100]  # GI04–07 必选
    # 可选 GI08 28.6/30 = 95.33, GI09 67.3/70 = 96.14, GI10 89.4/85 = 105.18, GI11 90.1/90 = 100.11:
    # the two highest count (the reading in scoring.params): GI10, GI11
    rg += [89.4 / 85 * 100, 90.1 / 90 * 100]
    # GI12 污水集中处理设施 “已建成” → fully met = 100; 可选 GI13 97.88, GI14 111.11, GI15 101.88,
    # GI16 105.26 → GI14, GI16
    ig = [100.0, 100 / 90 * 100, 100 / 95 * 100]
    # GI17, GI18 必选; 可选 GI19 25.98/25 = 103.92 beats GI20 19.6/20 = 98
    cg = [64.2 / 60 * 100, 37.8 / 35 * 100, 25.98 / 25 * 100]
    # GI21, GI22; GI23 逆向 8 ÷ 6.02 = 132.89 → capped 120; GI24 逆向 −0.779 ≤ 0 → 120 (reading);
    # GI25; 可选 GI26 91, GI27 97.14, GI28 41.2/40 = 103 → GI28
    hg = [100 / 100 * 100, 7.01 / 6 * 100, 120.0, 120.0, 89.9 / 85 * 100, 41.2 / 40 * 100]
    # GI29 “3/3”, GI30 “已编制”, GI31 “3/3” → 100 each
    mg = [100.0, 100.0, 100.0]
    terms = eg + rg + ig + cg + hg + mg
    assert len(terms) == 24 and max(terms) <= 120
    by_hand = round(sum(terms) / 24, 2)
    assert by_hand == 102.61

    report = score_dossier(_park())
    year = report.extra["years"][2025]
    assert year["gi"] == by_hand
    assert sorted(year["counted"]) == sorted(
        ["GI01", "GI02", "GI03", "GI04", "GI05", "GI06", "GI07", "GI10", "GI11", "GI12", "GI14", "GI16",
         "GI17", "GI18", "GI19", "GI21", "GI22", "GI23", "GI24", "GI25", "GI28", "GI29", "GI30", "GI31"])
    assert report.extra["indicator_scores"]["GI23"][2025] == 120  # capped


def test_three_year_average_bonus_total_and_threshold():
    report = score_dossier(_park())
    years = report.extra["years"]
    gi = [years[y]["gi"] for y in (2023, 2024, 2025)]
    assert gi == [91.43, 97.73, 102.61]
    assert report.indicator_total == round(sum(gi) / 3, 2) == 97.26
    # self-assessed bonus 2 + 3 + 3 + 2 + 3 + 3 = 16 a year → capped at 15
    assert [years[y]["bonus"] for y in (2023, 2024, 2025)] == [15, 15, 15]
    assert report.bonus_total == 15 and report.total == 112.26 and report.max == 135
    assert report.threshold("score").passed and report.eligible
    assert report.extra["leading_values_source"] == "示例值（仅用于演示）"


def test_bonus_counts_in_the_years_an_item_has_data():
    def change(d):
        for y in d.window:
            d.years[y].bonus_data.pop("B6", None)  # no yearly data: counts in every year
        d.years[2023].bonus_data.pop("B5")  # B5 (3 points) absent in 2023 only
        d.bonus["B1"] = Answer(status="部分符合", points=0)

    years = score_dossier(_park(change)).extra["years"]
    # 2023: B2 3 + B3 3 + B4 2 + B6 3 = 11; 2024/2025: + B5 3 = 14
    assert [years[y]["bonus"] for y in (2023, 2024, 2025)] == [11, 14, 14]


def _terms(scores: dict[str, float | None]) -> dict[str, Term]:
    return {k: Term(v, "") for k, v in scores.items()}


@dataclasses.dataclass
class _Row:
    id: str
    mandatory: bool
    requirement: str = ""


def _params(choice: str = "highest") -> Params:
    return Params(divisor=24, term_cap=120, slots={"RG": 3}, optional_choice=choice, qualitative={},
                  yes_words=(), no_words=())


def test_reading_more_optional_indicators_than_slots_counts_the_highest():
    rows = [_Row("M1", True), _Row("O1", False), _Row("O2", False), _Row("O3", False)]
    codes = {r.id: "RG" for r in rows}
    terms = _terms({"M1": 100, "O1": 80, "O2": 110, "O3": 95})
    total, missing, notes = count_terms(rows, terms, _params(), codes)
    assert total == 100 + 110 + 95 and not missing and not notes
    assert [k for k, t in terms.items() if t.counted] == ["M1", "O2", "O3"]


def test_reading_fewer_optional_indicators_leaves_empty_slots_at_zero():
    rows = [_Row("M1", True), _Row("O1", False), _Row("O2", False)]
    codes = {r.id: "RG" for r in rows}
    terms = _terms({"M1": 100, "O1": 90, "O2": None})
    total, missing, notes = count_terms(rows, terms, _params(), codes)
    assert total == 190 and "空缺 1 项按 0 计" in notes[0]


def test_a_mandatory_indicator_without_data_leaves_the_year_undecided():
    rows = [_Row("M1", True, "能源产出率"), _Row("O1", False)]
    terms = {"M1": Term(None, "引领值未提供"), "O1": Term(90, "")}
    total, missing, _ = count_terms(rows, terms, _params(), {"M1": "RG", "O1": "RG"})
    assert total is None and missing == ["M1 能源产出率：引领值未提供"]


def test_optional_choice_is_documented_as_a_reading_in_the_scheme_data():
    scoring = load_dossier(PARK).scheme.scoring
    assert scoring.params["optional_choice"] == "highest" and scoring.params["optional_choice_is_reading"] is True
    assert sum(scoring.params["slots"].values()) == scoring.params["divisor"] == 24
    assert any("读法" in n and "可选" in n for n in scoring.notes)


def test_missing_leading_values_are_named_and_never_invented():
    def change(d):
        d.parameters.leading_values.pop("GI01")
        d.parameters.leading_values.pop("GI09")

    report = score_dossier(_park(change))
    assert report.total is None and not report.eligible
    assert report.threshold("score").passed is None
    text = "\n".join(report.extra["missing_parameters"])
    assert "GI01" in text and "GI09" in text and "parameters.leading_values" in text
    assert "GI01 能源产出率：引领值未提供" in report.extra["years"][2025]["missing"]


@pytest.mark.parametrize(("row", "value", "score"), [
    ("GI12", "已建成", 100), ("GI12", "未建成", 0), ("GI12", 50, 50),  # yes/no, or a completion %
    ("GI29", "2/3", 200 / 3), ("GI31", "0/3", 0),  # 导则A.2.6: checks met of three
])
def test_qualitative_readings(row, value, score):
    def change(d):
        d.years[2025].green_index[row] = value

    got = score_dossier(_park(change)).extra["indicator_scores"][row][2025]
    assert got == pytest.approx(score)


def test_an_unreadable_qualitative_value_is_named():
    def change(d):
        d.years[2025].green_index["GI12"] = "正在建设"

    report = score_dossier(_park(change))
    assert report.extra["years"][2025]["gi"] is None
    assert "无法判读" in report.item("GI12").reason


def test_score_text_prints_years_and_the_leading_value_source(runner):
    result = runner.invoke(main, ["score", str(PARK)])
    assert result.exit_code == 0, result.output
    assert "2025年：GI 102.61，加分项 15，合计 117.61" in result.output
    assert "引领值出处：示例值（仅用于演示）" in result.output
