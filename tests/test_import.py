"""dossier import: the examples' own rendered forms read back into a dossier, compared
field by field with the example (the round trip the issue asks for), plus the mappings
themselves and the failure paths."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from docx import Document

from dossier.cli import main
from dossier.figures import Figures
from dossier.loader import load_dossier
from dossier.render import render_forms, render_summary
from dossier.formimport.importer import import_forms, param_key
from dossier.formimport.mapping import all_mappings
from dossier.schemes import load_scheme
from dossier.scoring import score_dossier

from .conftest import EXAMPLES, SCHEME_FACTS

# scheme → the least number of fields the round trip of all its forms (every
# single-dossier form has a mapping) must carry, by top-level section of dossier.yaml.
ROUND_TRIPS = {scheme_id: facts["round_trip"] for scheme_id, facts in SCHEME_FACTS.items()}


def value_at(model, path: str):
    node = model
    for part in path.split("."):
        if isinstance(node, dict):
            node = node.get(int(part) if part.isdigit() and any(isinstance(k, int) for k in node) else part)
        elif isinstance(node, list):
            node = node[int(part)] if int(part) < len(node) else None
        else:
            node = getattr(node, part, None)
        if node is None:
            return None
    return node


def expected(example, found, figures, score):
    """What the example holds for a field read back: its value, or — where the form
    printed a computed figure — the figure."""
    if found.figure == "score":
        if found.path.startswith("evaluator."):  # the evaluator's report prints the evaluator's points
            item = score_dossier(example, by="evaluator").item(found.path.split(".")[2])
        else:
            item = score.item(found.path.split(".")[1])
        return item.points if item else None
    if found.figure:
        return figures[int(found.path.split(".")[1])].get(found.figure).value
    return value_at(example.dossier, found.path)


def same(got, want, tolerance: float) -> bool:
    if isinstance(got, (int, float)) and isinstance(want, (int, float)) and not isinstance(got, bool):
        return abs(got - want) <= tolerance + 1e-9 * max(1, abs(want))
    if isinstance(got, str) and isinstance(want, str):  # line breaks are layout in a Word cell
        return re.sub(r"\s+", "", got) == re.sub(r"\s+", "", want)
    return got == want


@pytest.fixture(scope="module", params=list(ROUND_TRIPS))
def round_trip(request, tmp_path_factory):
    scheme_id = request.param
    example = load_dossier(EXAMPLES / scheme_id)
    base = tmp_path_factory.mktemp(scheme_id)
    rendered = render_forms(example, out_dir=base / "forms")
    report = import_forms([r.path for r in rendered if r.form.scope == "single"], scheme_id, base / "imported")
    return scheme_id, example, report


def test_round_trip_gives_back_the_examples_values(round_trip):
    scheme_id, example, report = round_trip
    figures, score = Figures(example.dossier), score_dossier(example)
    wrong = [f"{f.path}: {f.value!r} ≠ {expected(example, f, figures, score)!r}"
             for f in report.found if not same(f.value, expected(example, f, figures, score), f.tolerance)]
    assert wrong == []
    assert report.problems == [] and report.conflicts == []
    assert report.reporting_year == example.dossier.reporting_year


def test_round_trip_carries_the_forms_fields(round_trip):
    scheme_id, example, report = round_trip
    counts = Counter(f.path.split(".")[0] for f in report.found)
    for section, least in ROUND_TRIPS[scheme_id].items():
        assert counts[section] >= least, (section, counts)
    imported = load_dossier(report.target).dossier   # validates
    if "subject" in ROUND_TRIPS[scheme_id]:
        assert imported.subject.name == example.dossier.subject.name
    else:  # Suzhou green factory's forms carry no enterprise name: the report says so
        assert imported.subject.name is None
        assert any("名称" in note for notes in report.not_read.values() for note in notes)
    assert imported.scheme == scheme_id and imported.subject.kind == example.dossier.subject.kind
    assert sorted((report.target / "evidence").iterdir())  # one folder per evidence item, as init makes


def test_zhejiang_factory_listing_values_and_years_come_back(tmp_path):
    example = load_dossier(EXAMPLES / "zhejiang-green-low-carbon-factory")
    rendered = render_forms(example, form_ids=["zhejiang-factory-dynamic"], out_dir=tmp_path / "forms")
    report = import_forms([rendered[0].path], example.scheme.id, tmp_path / "d")
    imported = load_dossier(report.target).dossier
    assert imported.listing == example.dossier.listing
    assert imported.years[2025].output_value == 33600 and imported.years[2023].mu_performance_grade == "B"
    assert imported.compliance == example.dossier.compliance
    assert [p.name for p in imported.projects] == [p.name for p in example.dossier.projects]
    assert report.year_source == "宁波澜屿家居塑业有限公司 附件4 绿色低碳工厂动态管理表.docx 的年度列"


def test_suzhou_plan_summary_xlsx(tmp_path):
    example = load_dossier(EXAMPLES / "suzhou-near-zero-carbon-factory")
    path = render_summary([example], "suzhou-nzc-plan-summary", tmp_path / "汇总表.xlsx")
    report = import_forms([path], example.scheme.id, tmp_path / "d")
    got = {f.path: f.value for f in report.found}
    assert got["subject.name"] == example.dossier.subject.name
    assert got["subject.main_products"] == example.dossier.subject.main_products
    assert re.sub(r"\s+", "", got["narratives.goals"]) == re.sub(r"\s+", "", example.dossier.narratives["goals"])
    assert report.reporting_year == 2026


def test_import_then_rollover(tmp_path, runner):
    example = load_dossier(EXAMPLES / "zhejiang-green-low-carbon-park")
    rendered = render_forms(example, form_ids=["zhejiang-park-dynamic", "zhejiang-park-self-eval"], out_dir=tmp_path / "f")
    result = runner.invoke(main, ["import", *[str(r.path) for r in rendered], "--scheme", example.scheme.id,
                                  "--out", str(tmp_path / "park")])
    assert result.exit_code == 0, result.output
    assert "已从 2 份表单读回档案" in result.output and "申报年度 2026" in result.output
    assert "浙江临澜经济开发区 附件3 绿色低碳工业园区动态管理表.docx（zhejiang-park-dynamic）：读回" in result.output
    result = runner.invoke(main, ["rollover", str(tmp_path / "park"), "--year", "2027"])
    assert result.exit_code == 0, result.output
    rolled = load_dossier(tmp_path / "park-2027").dossier
    assert rolled.listing == example.dossier.listing and rolled.window == [2024, 2025, 2026]


def test_unreadable_cell_is_reported_and_the_rest_imported(tmp_path, runner):
    example = load_dossier(EXAMPLES / "zhejiang-green-low-carbon-park")
    (form,) = render_forms(example, form_ids=["zhejiang-park-dynamic"], out_dir=tmp_path / "f")
    doc = Document(str(form.path))
    for row in doc.tables[0].rows:
        if row.cells[0].text == "产值（万元）":
            row.cells[1].paragraphs[0].runs[0].text = "约一千亿"
    doc.save(str(form.path))
    result = runner.invoke(main, ["import", str(form.path), "--scheme", example.scheme.id,
                                  "--out", str(tmp_path / "d"), "--json"])
    assert result.exit_code == 2
    data = json.loads(result.output)
    assert any("产值（万元）（2023）" in p and "约一千亿" in p for p in data["problems"])
    imported = load_dossier(tmp_path / "d").dossier
    assert imported.years[2023].output_value is None and imported.years[2024].output_value == 11720000


def test_refusals(tmp_path, runner):
    example = load_dossier(EXAMPLES / "jiangsu-zero-carbon-factory")
    (form,) = render_forms(example, form_ids=["jiangsu-intake-form"], out_dir=tmp_path / "f")
    result = runner.invoke(main, ["import", str(form.path), "--scheme", "no-such-scheme", "--out", str(tmp_path / "a")])
    assert result.exit_code == 2
    result = runner.invoke(main, ["import", str(form.path), "--scheme", "zhejiang-green-low-carbon-park",
                                  "--out", str(tmp_path / "b")])
    assert result.exit_code == 2 and "不是方案 zhejiang-green-low-carbon-park 可读回的表单" in result.output
    assert not (tmp_path / "b" / "dossier.yaml").exists()
    result = runner.invoke(main, ["import", str(form.path), "--scheme", example.scheme.id, "--out", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    again = runner.invoke(main, ["import", str(form.path), "--scheme", example.scheme.id, "--out", str(tmp_path / "c")])
    assert again.exit_code == 2 and "已存在" in again.output
    text = tmp_path / "x.txt"
    text.write_text("x", encoding="utf-8")
    result = runner.invoke(main, ["import", str(text), "--scheme", example.scheme.id, "--out", str(tmp_path / "e")])
    assert result.exit_code == 2 and ".docx 或 .xlsx" in result.output


@pytest.mark.parametrize("mapping", all_mappings(), ids=lambda m: m.form)
def test_mapping_names_a_form_of_its_scheme(mapping):
    scheme = load_scheme(mapping.scheme)
    assert mapping.form in {f.id for f in scheme.forms}


def test_param_key():
    assert param_key("工业增加值（万元）") == "工业增加值"
    assert param_key("省级及以上绿色（低碳）工厂数量（家）") == "省级及以上绿色（低碳）工厂数量"
    assert param_key("单位产品或产值主要原材料2消耗量/色母粒（t/万只）") == "单位产品或产值主要原材料2消耗量"
    assert param_key("产品产量（填写产品名称及单位或者产值，以申报时采用的为准，下同，例：储水桶/万只或储水桶/万元）") == "产品产量"
    assert param_key("单位产品或产值主要原材料1消耗量（填写原材料名称及单位，例：PP（吨/万只）或PP（吨/万元），下同）") \
        == "单位产品或产值主要原材料1消耗量"
