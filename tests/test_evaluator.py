"""The third-party evaluator's side (issue 16): findings in dossier.yaml and the workbook,
scoring by the evaluator, the comparison with the self-assessment, 待评价 rows, and the
third-party reports (浙江 附件5-2/6-2, 郑州 附件4) printing the evaluator's findings and
points — never the applicant's own statements."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dossier.cli import main
from dossier.loader import load_dossier
from dossier.render import render_forms
from dossier.scoring import score_dossier
from dossier.workbook import export_workbook, import_workbook

from .conftest import EXAMPLES
from .forms_support import docx_fulltext, find_row, squash, tables

THIRD_PARTY = {
    "zhejiang-green-low-carbon-factory": "zhejiang-factory-third-party",
    "zhejiang-green-low-carbon-park": "zhejiang-park-third-party",
    "zhengzhou-green-low-carbon-factory": "zhengzhou-third-party",
}
# the applicant's own narratives (the evaluator's sections are tp_* / tp-*)
APPLICANT_NARRATIVE = re.compile(r"^(?!tp[-_])")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    out = {}
    for scheme_id, form_id in THIRD_PARTY.items():
        (form,) = render_forms(load_dossier(EXAMPLES / scheme_id), form_ids=[form_id],
                               out_dir=tmp_path_factory.mktemp(scheme_id))
        out[scheme_id] = form.path
    return out


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"[。；;\n]", text) if len(s.strip()) >= 12]


@pytest.mark.parametrize("scheme_id", THIRD_PARTY)
def test_the_examples_carry_evaluator_findings(scheme_id):
    d = load_dossier(EXAMPLES / scheme_id).dossier
    ev = d.evaluator
    assert ev.team and ev.site_visits and ev.conclusion
    assert set(ev.basic_conditions) == set(d.basic_conditions)
    assert all(f.status and f.finding and f.checked_on for f in ev.basic_conditions.values())
    assert all(f.status and f.finding for f in ev.bonus.values())


@pytest.mark.parametrize("scheme_id", THIRD_PARTY)
def test_third_party_report_has_none_of_the_applicants_statements(reports, scheme_id):
    d = load_dossier(EXAMPLES / scheme_id).dossier
    text = squash(docx_fulltext(reports[scheme_id]))
    own = [a.statement for group in (d.basic_conditions, d.indicators, d.bonus) for a in group.values() if a.statement]
    own += [t for key, t in d.narratives.items() if APPLICANT_NARRATIVE.match(key)]
    sentences = [s for t in own for s in _sentences(t)]
    assert len(sentences) > 20
    copied = [s for s in sentences if squash(s) in text]
    assert copied == []
    # … and the evaluator's findings are there instead
    findings = [f.finding for group in (d.evaluator.basic_conditions, d.evaluator.bonus) for f in group.values()]
    assert all(squash(f) in text for f in findings)


def test_factory_report_prints_the_evaluators_points(reports, tmp_path):
    report = reports["zhejiang-green-low-carbon-factory"]
    row = next(r for t in tables(report) for r in t if any("建有厂区光伏电站、智能微电网" in c for c in r))
    assert row[-1] == "5"  # the evaluator's 5, not the self-assessed 7
    assert any("评定 5 分（企业自评 7 分）" in c for c in row)
    text = docx_fulltext(report)
    assert "90.92" in text and "100.92" in text  # 评价指标得分 / 总分 by the evaluator
    assert "现场核查：2026年11月27日" in squash(text)
    # the applicant's own form keeps the self-assessment
    (own,) = render_forms(load_dossier(EXAMPLES / "zhejiang-green-low-carbon-factory"),
                          form_ids=["zhejiang-factory-self-eval"], out_dir=tmp_path)
    row = next(r for t in tables(own.path) for r in t if any("建有厂区光伏电站、智能微电网" in c for c in r))
    assert row[-1] == "7"


def test_reports_show_each_calculated_indicator_with_formula_and_sources(reports):
    factory = squash(docx_fulltext(reports["zhejiang-green-low-carbon-factory"]))
    assert "19200m²÷40000m²×100%=48%" in factory and "厂区总平面布置图.pdf" in factory
    park = squash(docx_fulltext(reports["zhejiang-green-low-carbon-park"]))
    assert "绿色指数计算过程" in park
    assert "2025年100×指标值3.338÷引领值3.5=95.37" in park and "引领值：示例值（仅用于演示）" in park


def test_zhengzhou_report_prints_the_evaluators_total(reports):
    text = squash(docx_fulltext(reports["zhengzhou-green-low-carbon-factory"]))
    evaluator = score_dossier(load_dossier(EXAMPLES / "zhengzhou-green-low-carbon-factory"), by="evaluator")
    assert evaluator.total == 93.97 and "93.97" in text and "94.17" not in text


@pytest.mark.parametrize("form_id", ["zhejiang-park-self-eval", "zhejiang-park-third-party"])
def test_park_result_tables_are_filled_with_the_example_mark(tmp_path, form_id):
    (form,) = render_forms(load_dossier(EXAMPLES / "zhejiang-green-low-carbon-park"), form_ids=[form_id],
                           out_dir=tmp_path)
    gi = find_row(form.path, "绿色指数-GI得分")
    assert gi[-4:] == ["91.43", "97.73", "102.61", "97.26"]
    assert find_row(form.path, "总分")[-4:] == ["106.43", "112.73", "117.61", "112.26"]
    assert "引领值出处：示例值（仅用于演示）" in squash(docx_fulltext(form.path))


# --- dossier score --by evaluator / --compare --------------------------------------------------


@pytest.mark.parametrize("scheme_id", THIRD_PARTY)
def test_compare_lists_differing_rows_with_both_points_reasons_and_totals(runner, scheme_id):
    result = runner.invoke(main, ["score", str(EXAMPLES / scheme_id), "--compare", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rows"], "each example has at least one row the evaluator scores differently"
    row = data["rows"][0]
    assert row["self"]["points"] != row["evaluator"]["points"]
    assert "自评" in row["self"]["reason"] and "评价" in row["evaluator"]["reason"]
    assert set(data["totals"]) == {"self", "evaluator"} and data["pending_evaluation"] == []


def test_compare_text(runner):
    result = runner.invoke(main, ["score", str(EXAMPLES / "zhejiang-green-low-carbon-factory"), "--compare"])
    out = result.output
    assert "总分：自评 101.42，第三方评价 100.92" in out
    assert "I34" in out and "自评 7 分 → 评价 5 分" in out and "评价理由：部分符合，评价得分 5 分" in out


def test_score_by_evaluator(runner):
    result = runner.invoke(main, ["score", str(EXAMPLES / "zhejiang-green-low-carbon-factory"), "--by", "evaluator",
                                  "--json"])
    data = json.loads(result.output)
    assert data["by"] == "evaluator" and data["total"] == 100.92
    i34 = next(i for i in data["items"] if i["id"] == "I34")
    assert i34["points"] == 5 and "自评" not in i34["reason"]


# --- 待评价 --------------------------------------------------------------------------------------


def _without(example_copy, scheme_id: str, section: str, row_id: str) -> Path:
    """A copy of the example whose evaluator has not assessed ``row_id`` yet."""
    directory = example_copy(scheme_id)
    path = directory / "dossier.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  {section}:  # ", text.index("\nevaluator:"))
    at = text.index(f"\n    {row_id}:\n", start)
    end = re.compile(r"\n    \S|\n  \S|\n\S").search(text, at + len(row_id) + 7).start()
    path.write_text(text[:at] + text[end:], encoding="utf-8")
    return directory


def test_unassessed_rows_are_listed_and_left_blank(runner, example_copy, tmp_path):
    directory = _without(example_copy, "zhejiang-green-low-carbon-factory", "indicators", "I34")
    result = runner.invoke(main, ["validate", str(directory), "--json"])
    assert result.exit_code == 0, result.output
    assert [p["path"] for p in json.loads(result.output)["pending_evaluation"]] == ["evaluator.indicators.I34"]
    text = runner.invoke(main, ["validate", str(directory)]).output
    assert "待评价（第三方评价人尚未评定）1 项：评价指标 I34" in text
    check = runner.invoke(main, ["check", str(directory), "--json", "--on", "2026-12-15"])
    assert json.loads(check.output)["pending_evaluation"] == ["评价指标 I34"]
    (form,) = render_forms(load_dossier(directory), form_ids=["zhejiang-factory-third-party"], out_dir=tmp_path)
    row = next(r for t in tables(form.path) for r in t if any("建有厂区光伏电站、智能微电网" in c for c in r))
    assert row[4].strip() == "" and row[-1] == ""  # no finding, no points: blank for the evaluator


def test_check_flags_evidence_the_evaluator_names_but_the_dossier_lacks(runner, example_copy):
    directory = example_copy("zhengzhou-green-low-carbon-factory")
    path = directory / "dossier.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("\n    I21:\n", text.index("\nevaluator:"))
    first = text.index('        - "evidence/', at)
    path.write_text(text[:first] + '        - "evidence/21 不存在/水泵抽查记录.pdf"\n' + text[first:], encoding="utf-8")
    data = json.loads(runner.invoke(main, ["check", str(directory), "--json", "--on", "2026-11-01"]).output)
    flagged = [c for c in data["cross_checks"] if c["where"].startswith("evaluator.")]
    assert [(c["where"], c["severity"]) for c in flagged] == [("evaluator.indicators.I21.evidence_checked.0", "warning")]
    assert "水泵抽查记录.pdf" in flagged[0]["message"] and flagged[0]["line"]


def test_an_evaluator_finding_for_an_unknown_row_or_too_many_points_is_an_error(runner, example_copy):
    directory = example_copy("zhengzhou-green-low-carbon-factory")
    path = directory / "dossier.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("\n    I21:\n      status: 部分符合\n      points: 4\n",
                        "\n    I21:\n      status: 部分符合\n      points: 40\n", 1)
    text = re.sub(r"(\n  bonus:  # 加分项第三方评价[^\n]*)", r"\1\n    B99:\n      status: 符合", text, count=1)
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(directory)])
    assert result.exit_code == 2
    assert "evaluator.indicators.I21.points：评价得分 40 超过该项分值" in result.output
    assert "evaluator.bonus.B99：方案中没有加分项 'B99'" in result.output


# --- the workbook's 第三方评价 sheet ---------------------------------------------------------------


def test_workbook_evaluator_sheet_exports_and_imports(example_copy, tmp_path):
    directory = example_copy("zhejiang-green-low-carbon-factory")
    workbook = tmp_path / "book.xlsx"
    export_workbook(directory, workbook)
    book = load_workbook(workbook)
    ws = book["第三方评价"]
    key = json.dumps(["evaluator", "indicators", "I34"], ensure_ascii=False)
    row = next(c.row for c in ws["A"] if c.value == key)
    header = max(c.row for c in ws["A"] if c.row < row and str(c.value or "").startswith("#block:"))
    columns = {c.value: c.column for c in ws[header] if c.value}
    assert ws.cell(row, columns["评价得分"]).value == 5
    assert ws.cell(row, columns["评价发现（评价人填写）"]).value.startswith("评价组现场查看了屋顶光伏电站")
    ws.cell(row, columns["评价得分"]).value = 4
    ws.cell(row, columns["备注"]).value = "复核后调整为4分"
    visits = next(c.row for c in ws["A"] if c.value == json.dumps(["evaluator", "site_visits"]))
    assert ws.cell(visits, 3).value == "2026-11-27\n2026-11-28"
    ws.cell(visits, 3).value = "2026-11-27\n2026-11-28\n2026年11月30日"  # a third visit
    member = next(c.row for c in ws["A"] if c.value == json.dumps(["evaluator", "team", 1]))
    assert ws.cell(member, 2).value == "钱思远"
    ws.cell(member, 4).value = "高级工程师"
    book.save(workbook)
    report = import_workbook(directory, workbook)
    assert {c.dotted() for c in report.changes} == {
        "evaluator.indicators.I34.points", "evaluator.indicators.I34.remarks", "evaluator.site_visits",
        "evaluator.team.1.qualification"}
    loaded = load_dossier(directory)
    assert [str(v) for v in loaded.dossier.evaluator.site_visits] == ["2026-11-27", "2026-11-28", "2026-11-30"]
    assert loaded.dossier.evaluator.team[1].qualification == "高级工程师"
    assert loaded.dossier.evaluator.indicators["I34"].points == 4
    assert loaded.dossier.indicators["I34"].points == 7  # the self-assessment is untouched
    assert score_dossier(loaded, by="evaluator").item("I34").points == 4


# --- Suzhou green factory levels -----------------------------------------------------------------


def test_suzhou_levels_only_when_the_dossier_gives_the_cut_offs(runner, example_copy):
    directory = example_copy("suzhou-green-factory")
    report = score_dossier(load_dossier(directory))
    assert report.level is None and any("parameters.level_cutoffs" in n for n in report.notes)
    path = directory / "dossier.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nparameters:\n  source: 苏州市绿色工厂评价分级（示例）\n"
                    "  level_cutoffs: {1A: 60, 2A: 70, 3A: 80, 4A: 85, 5A: 90}\n", encoding="utf-8")
    report = score_dossier(load_dossier(directory))  # 87.47
    assert report.level == "4A级"
    out = runner.invoke(main, ["score", str(directory)]).output
    assert "达到等级：4A级" in out and "苏州市绿色工厂评价分级（示例）" in out
