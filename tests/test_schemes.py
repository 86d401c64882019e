"""Every scheme file: it loads, it is faithful to its seed, its figures add up.

Each scheme is its own test case (invoice2data's template test): a broken scheme file
names itself.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from dossier.errors import SchemeDataError, UnknownSchemeError
from dossier import vocabulary
from dossier.schemes import Scheme, all_schemes, load_scheme, parse_scheme
from dossier.yamlio import load_yaml_file

from .conftest import ROOT, SCHEME_FACTS, SCHEME_IDS, SEEDS

# Extraction damage listed in tests/data/seeds/README.md, mended in the scheme data.
MENDED = {
    "000_81666af56ddaec2b.txt": [("具各", "具备"), ("⒛⒛", "2023"), ("⒛23", "2023"), ("2Ⅱ3", "2023")],
    "001_705f9893e8b0e9f6.txt": [("氫", "氡")],
}

# Seed 003 repeats the table header at every page break, sometimes mid-sentence, and
# prints page numbers like "— 53 —"; they are layout, not text.
PAGE_NOISE = re.compile(
    r"序号一级指标二级指标具体评价要求符合性说明及证明材料索引要求类型分值权重得分"
    r"|基本要求是否符合符合性说明及证明材料索引"
    r"|—\d+—"
)
# Where a table cell (points, requirement type) was printed inside the text of the
# neighbouring cell, e.g. "…配备、使用和管 5 理能源…" (seed 003, 附表1.2).
CELL_NOISE = r"(?:必选（适|可选（适|必选|可选|用时）|\d{1,2})*?"

def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@lru_cache(maxsize=None)
def seed_text(name: str) -> str:
    text = _squash((SEEDS / name).read_text(encoding="utf-8"))
    for damaged, mended in MENDED.get(name, []):
        text = text.replace(damaged, mended)
    return PAGE_NOISE.sub("", text)


def found_in_seed(text: str, seed: str) -> bool:
    needle = _squash(text)
    if needle in seed:
        return True
    pattern = CELL_NOISE.join(re.escape(ch) for ch in needle)
    return re.search(pattern, seed) is not None


def verbatim_strings(scheme: Scheme) -> list[tuple[str, str]]:
    """(where, text) of every string the scheme claims to copy from its seed."""
    out: list[tuple[str, str]] = []
    for bc in scheme.basic_conditions:
        out.append((f"{bc.id}.text", bc.text))
        out += [(f"{bc.id}.items[{i}]", t) for i, t in enumerate(bc.items)]
        if bc.evidence_hint:
            out.append((f"{bc.id}.evidence_hint", bc.evidence_hint))
    for row in (*scheme.indicators, *scheme.bonus):
        out.append((f"{row.id}.requirement", row.requirement))
        if row.evidence_hint:
            out.append((f"{row.id}.evidence_hint", row.evidence_hint))
    for item in scheme.evidence_list:
        if not item.derived:
            out.append((f"evidence_list[{item.no}].title", item.title))
    if scheme.evidence_note:
        out.append(("evidence_note", scheme.evidence_note))
    for threshold in scheme.thresholds:
        if threshold.text:
            out.append((f"thresholds.{threshold.id}.text", threshold.text))
    for narrative in scheme.narratives:
        out.append((f"narratives.{narrative.id}.title", narrative.title))
        if narrative.hint:
            out.append((f"narratives.{narrative.id}.hint", narrative.hint))
    for question in scheme.compliance_questions:
        out.append((f"compliance_questions.{question.id}", question.text))
    for form in scheme.forms:
        out.append((f"forms.{form.id}.title", form.title))
    return out


@pytest.fixture(params=SCHEME_IDS)
def scheme(request) -> Scheme:
    return load_scheme(request.param)


def test_every_shipped_scheme_loads_and_has_its_ground_truth():
    assert [s.id for s in all_schemes()] == SCHEME_IDS
    assert len(SCHEME_IDS) >= 6
    assert sorted(SCHEME_FACTS) == SCHEME_IDS, "tests/data/schemes.yaml needs an entry for every scheme"


def test_every_text_is_verbatim_from_its_seed(scheme: Scheme):
    seed = seed_text(SCHEME_FACTS[scheme.id]["seed"])
    strings = verbatim_strings(scheme)
    assert len(strings) > 20
    missing = [f"{where}: {text[:40]}" for where, text in strings if not found_in_seed(text, seed)]
    assert not missing, "not found in the seed:\n" + "\n".join(missing)


def test_category_sums_match_the_seed(scheme: Scheme):
    facts = SCHEME_FACTS[scheme.id]
    if facts["category_sums"] is None:
        counts = [sum(1 for r in scheme.indicators if r.category == c.name) for c in scheme.categories]
        assert counts == facts["category_rows"]
        return
    expected = facts["category_sums"]
    assert scheme.category_points() == pytest.approx(expected)
    recorded = {c.name: c.seed_sum for c in scheme.categories}
    assert recorded == pytest.approx(expected)
    if "total" in facts:
        assert sum(scheme.category_points().values()) == pytest.approx(facts["total"])


def test_categories_over_their_stated_maximum_say_how_they_are_capped(scheme: Scheme):
    for category in scheme.categories:
        if category.stated_max is not None and category.seed_sum > category.stated_max:
            assert category.cap == category.stated_max, category.name
            assert category.notes, f"{category.name}: the cap needs a note"


def test_weights_add_up_to_one(scheme: Scheme):
    weights = [c.weight for c in scheme.categories if c.weight is not None]
    if weights:
        assert sum(weights) == pytest.approx(1.0)


def test_rule_types_are_known_and_tables_exist(scheme: Scheme):
    for row in (*scheme.indicators, *scheme.bonus):
        assert row.rule.type in vocabulary.RULE_TYPES
        if row.rule.type == "lookup":
            assert row.rule.params["table"] in scheme.lookup_tables
        if row.rule.type == "options":
            assert max(o["points"] for o in row.rule.params["options"]) <= row.max_points


def test_every_form_names_a_template_file(scheme: Scheme):
    for form in scheme.forms:
        assert form.template.startswith(form.id), form.template
        assert form.template.endswith("." + form.kind)


def test_evidence_folders_are_unique_and_numbered(scheme: Scheme):
    folders = [item.folder for item in scheme.evidence_list]
    assert len(set(folders)) == len(folders)
    for item in scheme.evidence_list:
        assert item.folder.startswith(f"{item.no:02d}"), item.folder


def test_fields_name_real_model_paths(scheme: Scheme):
    from dossier.introspect import model_class
    from dossier.model import Dossier, YearData

    for path in scheme.fields:
        parts = path.split(".")
        model = YearData if parts[0] == "years" else Dossier
        parts = parts[1:] if parts[0] == "years" else parts
        for part in parts:
            assert model is not None and part in model.model_fields, path
            model = model_class(model.model_fields[part].annotation)


# --- the figures the issue fixes --------------------------------------------------------


def test_jiangsu_lists_the_14_items_of_annex_1_3_in_order():
    scheme = load_scheme("jiangsu-zero-carbon-factory")
    titles = [item.title for item in scheme.evidence_list]
    assert len(titles) == 14
    assert titles[0] == "申报单位的营业执照或法人登记证书复印件"
    assert titles[3] == "获得省级及以上绿色工厂的发文"
    assert titles[10] == "获评省先进级智能工厂（含）以上的文件或相关证明材料"
    assert titles[13] == "其他可佐证零碳（近零碳）工厂评价指标体系建设的相关材料"
    assert scheme.evidence_note == "以上材料，涉及外文的，须同步提供中文翻译件。"
    assert not scheme.evidence_list[10].required  # only when a smart-factory level is claimed


def test_jiangsu_confirmation_rules():
    scheme = load_scheme("jiangsu-zero-carbon-factory")
    by_metric = {(t.metric, (t.when or {}).get("application_type")): t for t in scheme.thresholds}
    assert by_metric[("total_score", None)].value == 80
    assert by_metric[("own_reduction_ratio", "near-zero")].value == pytest.approx(0.5)
    assert by_metric[("own_reduction_ratio", "zero")].value == pytest.approx(0.8)
    assert by_metric[("offset_coverage", None)].value == pytest.approx(1.0)
    assert any(t.op == "all" for t in scheme.thresholds)
    assert len(scheme.basic_conditions) == 5 and len(scheme.indicators) == 16


def test_zhengzhou_recommends_at_85_with_basic_requirements_met():
    scheme = load_scheme("zhengzhou-green-low-carbon-factory")
    score = [t for t in scheme.thresholds if t.metric == "total_score"]
    assert score and score[0].value == 85 and score[0].op == ">="
    assert any(t.op == "all" for t in scheme.thresholds)
    assert len(scheme.bonus) == 9


def test_suzhou_green_levels_have_no_invented_cut_offs():
    scheme = load_scheme("suzhou-green-factory")
    assert [lv.id for lv in scheme.levels] == ["1A", "2A", "3A", "4A", "5A"]
    assert all(lv.min_score is None for lv in scheme.levels)
    assert not [t for t in scheme.thresholds if t.metric == "total_score"]


@pytest.mark.parametrize(
    ("scheme_id", "multiplier"),
    [("suzhou-near-zero-carbon-factory", 2.5), ("suzhou-green-factory", 4)],
)
def test_suzhou_energy_saving_tables(scheme_id: str, multiplier: float):
    table = load_scheme(scheme_id).lookup_tables["energy_saving"]
    extra = table.model_extra or {}
    assert extra["multiplier"] == multiplier and extra["cap"] == multiplier
    assert len(table.rows) == 12
    first, fourth, last = table.rows[0], table.rows[3], table.rows[-1]
    assert first["min"] == 800 and first["saving_target"] is None and first["rate_target"] == 4
    assert fourth["min"] == 50 and fourth["saving_target"] == 8 and fourth["rate_target"] == 7
    assert last["saving_target"] is None and last["rate_target"] == 10


def test_zhejiang_park_green_index_has_31_indicators_with_units():
    scheme = load_scheme("zhejiang-green-low-carbon-park")
    rows = scheme.lookup_tables["green_index"].rows
    assert len(rows) == 31 == len(scheme.indicators)
    assert rows[0]["name"] == "能源产出率" and rows[0]["unit"] == "万元/tce"
    assert rows[22]["name"] == "单位工业增加值废水排放量" and rows[22]["direction"] == "inverse"
    assert len(scheme.bonus) == 6
    assert (scheme.bonus_scoring.max_total or 0) == 15


def test_zhejiang_quota_table():
    scheme = load_scheme("zhejiang-green-low-carbon-factory")
    rows = scheme.lookup_tables["quota"].rows
    cities = [r for r in rows if "合计" not in str(list(r.values())[0])]
    assert len(cities) == 11


def test_zhejiang_factory_evidence_lists_section_five():
    scheme = load_scheme("zhejiang-green-low-carbon-factory")
    listed = [item for item in scheme.evidence_list if not item.derived]
    assert len(listed) == 9
    assert listed[0].title == "企业营业执照复印件"
    assert listed[-1].title == "审计报告关键页（含近三年工业总产值、纳税总额）"
    assert len(scheme.bonus) == 5 and len(scheme.compliance_questions) == 7


# --- errors name the file and the key -------------------------------------------------


def test_unknown_scheme_suggests_the_closest():
    with pytest.raises(UnknownSchemeError, match="jiangsu-zero-carbon-factory"):
        load_scheme("jiangsu-zero-carbon-factroy")


def test_a_broken_scheme_names_file_and_key():
    data = load_yaml_file(ROOT / "checklists" / "jiangsu-zero-carbon-factory.yaml").data
    data["indicators"][1]["rule"]["type"] = "teirs"
    with pytest.raises(SchemeDataError) as err:
        parse_scheme(data, "my-scheme.yaml")
    message = str(err.value)
    assert "my-scheme.yaml" in message
    assert "indicators.1.rule" in message
    assert "tiers" in message  # did you mean


def test_a_scheme_with_a_dangling_reference_is_rejected():
    data = load_yaml_file(ROOT / "checklists" / "jiangsu-zero-carbon-factory.yaml").data
    data["evidence_list"][0]["refs"] = ["BC99"]
    with pytest.raises(SchemeDataError, match="BC99"):
        parse_scheme(data, "x.yaml")


@pytest.mark.parametrize(("path", "hint"), [
    ("years.proft", "profit"),  # a yearly figure: a field of one year's data
    ("subject.contact.nmae", ""),
    ("evaluater.name", "evaluator"),
])
def test_a_fields_entry_names_a_field_of_dossier_yaml(path: str, hint: str):
    data = load_yaml_file(ROOT / "checklists" / "suzhou-green-factory.yaml").data
    data["fields"].append(path)
    with pytest.raises(SchemeDataError) as err:
        parse_scheme(data, "x.yaml")
    assert f"dossier.yaml 中没有字段 {path!r}" in str(err.value)
    assert f"是否应为 {hint}" in str(err.value) if hint else "是否应为" not in str(err.value)


@pytest.mark.parametrize(("value", "message"), [
    ("fig.scope13", "没有计算指标 'scope13'"),
    ("years.land_area", "年度数据中没有字段 'land_area'"),
    ("listing.values", "应为 years.<年度数据字段> 或 fig.<计算指标>"),
])
def test_an_improvement_row_names_a_figure_that_exists(value: str, message: str):
    from dossier.errors import SchemeDataError

    path = ROOT / "checklists" / "zhejiang-green-low-carbon-park.yaml"
    data = load_yaml_file(path).data
    data["improvement"]["rows"][0]["value"] = value
    with pytest.raises(SchemeDataError) as err:
        parse_scheme(data, str(path))
    assert "improvement.rows.0.value" in str(err.value) and message in str(err.value)
