"""The forms of the two Suzhou schemes, rendered from their examples and read back as a
reviewer would: every label of the seed's annex is there, each value sits in its row and
column, category cells are merged as in the official tables, check boxes tick the answer,
the energy-saving table is worked out for the dossier, the many-enterprise tables have
one row per dossier, and the PDF shows the Chinese labels.

Labels: tests/data/forms/suzhou-*.txt (copied from seeds 000 and 001).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from dossier.calc.energy_saving import score_dossier as energy_saving_score
from dossier.cli import main
from dossier.loader import load_dossier
from dossier.render import render_forms
from dossier.scoring import score_dossier

from .conftest import EXAMPLES
from .forms_support import (as_number, docx_fulltext, find_row, labels_file, leftovers, missing_labels, shows, squash, tables,
                            value_after, xlsx_rows)

NZC = "suzhou-near-zero-carbon-factory"
GREEN = "suzhou-green-factory"
NZC_FORMS = ["suzhou-nzc-basic", "suzhou-nzc-indicators", "suzhou-nzc-energy-saving", "suzhou-nzc-plan-summary",
             "suzhou-nzc-annual"]
GREEN_FORMS = ["suzhou-green-basic", "suzhou-green-indicators", "suzhou-green-energy-saving"]


def _render(scheme_id: str, form_ids: list[str], out: Path, *, pdf: bool = False) -> dict[str, Path]:
    rendered = render_forms(load_dossier(EXAMPLES / scheme_id), form_ids=form_ids, out_dir=out, pdf=pdf)
    if pdf:
        assert all(r.pdf for r in rendered), [r.pdf_error for r in rendered]
        return {r.form.id: r.pdf for r in rendered}
    return {r.form.id: r.path for r in rendered}


@pytest.fixture(scope="module")
def nzc():
    return load_dossier(EXAMPLES / NZC)


@pytest.fixture(scope="module")
def green():
    return load_dossier(EXAMPLES / GREEN)


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> dict[str, Path]:
    """Every Suzhou form of the two examples, rendered once."""
    out = tmp_path_factory.mktemp("suzhou-forms")
    return _render(NZC, NZC_FORMS, out / "nzc") | _render(GREEN, GREEN_FORMS, out / "green")


def _variant(base: Path, target: Path, **replace: str) -> Path:
    """A copy of an example's dossier.yaml with some values replaced (another enterprise)."""
    target.mkdir(parents=True)
    text = (base / "dossier.yaml").read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    (target / "dossier.yaml").write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> list[Path]:
    """The NZC example and two generated enterprises of the same district."""
    root = tmp_path_factory.mktemp("district")
    base = EXAMPLES / NZC
    return [
        base,
        _variant(base, root / "b", **{"苏州澜樾电路科技有限公司成立于2009年": "苏州澄湖精密材料有限公司成立于2012年",
                                      "苏州澜樾电路科技有限公司": "苏州澄湖精密材料有限公司",
                                      'city: "苏州工业园区"': 'city: "苏州市吴中区"',
                                      'industry: "电子电路制造"': 'industry: "有色金属压延加工"'}),
        _variant(base, root / "c", **{"苏州澜樾电路科技有限公司": "昆山锦溪新能源科技有限公司",
                                      'city: "苏州工业园区"': 'city: "昆山市"',
                                      "2025年，公司围绕": "2025年，锦溪公司围绕"}),
    ]


class Rows:
    """The table rows of a rendered form, read once; ``rows[text]`` is the first row with a
    cell equal to ``text`` (whitespace ignored), as forms_support.find_row."""

    def __init__(self, path: Path) -> None:
        self.rows = [row for table in tables(path) for row in table]

    def __getitem__(self, text: str) -> list[str]:
        want = squash(text)
        for row in self.rows:
            if any(squash(c) == want for c in row):
                return row
        raise AssertionError(f"no table row with a cell {text!r}")


# --- 附件1-1 基本要求 --------------------------------------------------------------------


def test_nzc_basic_rows_show_the_seed_hint_the_ticked_answer_and_the_evidence(forms, nzc):
    path = forms["suzhou-nzc-basic"]
    rows = Rows(path)
    for item in nzc.scheme.basic_conditions:
        answer = nzc.dossier.basic_conditions[item.id]
        row = rows[item.text]
        assert row[0] == str(item.no)
        cell = squash(row[2])
        assert squash(item.evidence_hint) in cell  # the seed's own text of the 符合性说明 cell
        assert "☑符合□不符合" in cell  # every example answer is 符合
        assert squash(answer.statement) in cell
        for ref in answer.evidence:
            assert squash(Path(ref).name) in cell
    # In the seed's order.
    text = squash(docx_fulltext(path))
    positions = [text.index(squash(i.text)) for i in nzc.scheme.basic_conditions]
    assert positions == sorted(positions)


def test_basic_check_boxes_follow_the_answer(tmp_path, nzc):
    loaded = load_dossier(EXAMPLES / NZC)
    loaded.dossier.basic_conditions["BC3"].status = "不符合"
    loaded.dossier.basic_conditions["BC4"].status = None
    (form,) = render_forms(loaded, form_ids=["suzhou-nzc-basic"], out_dir=tmp_path)
    assert "□符合☑不符合" in squash(find_row(form.path, nzc.scheme.basic_conditions[2].text)[2])
    assert "□符合□不符合" in squash(find_row(form.path, nzc.scheme.basic_conditions[3].text)[2])


def test_green_basic_groups_are_merged_and_the_answers_ticked(forms, green):
    path = forms["suzhou-green-basic"]
    rows = Rows(path)
    t = Document(str(path)).tables[0]
    assert [c.text for c in t.rows[0].cells] == ["基本要求", "基本要求", "是否符合", "符合性说明及证明材料索引"]
    groups = [row.cells[0] for row in t.rows[1:]]
    assert [g.text for g in groups] == [b.group for b in green.scheme.basic_conditions]
    assert len({g._tc for g in groups}) == 3  # one merged cell per group, as in the seed
    for item in green.scheme.basic_conditions:
        answer = green.dossier.basic_conditions[item.id]
        row = rows[item.text]
        boxes = "☑符合□不符合□不适用" if item.applicable_only else "☑符合□不符合"
        assert squash(row[2]) == boxes
        assert squash(answer.statement) in squash(row[3])
        assert squash(Path(answer.evidence[0]).name) in squash(row[3])


# --- 附件1-2 评价指标要求 ------------------------------------------------------------------


def _column_cells(path: Path, col: int) -> list:
    t = Document(str(path)).tables[0]
    return [row.cells[col] for row in t.rows[1:-1]]  # between the header and the 总分 row


def test_nzc_indicator_rows_carry_statement_points_and_merged_categories(forms, nzc):
    path = forms["suzhou-nzc-indicators"]
    report, rows = score_dossier(nzc), Rows(path)
    for item in nzc.scheme.indicators:
        row = rows[item.requirement]
        answer = nzc.dossier.indicators[item.id]
        assert row[:3] == [str(item.no), item.category, item.subcategory]
        assert squash(item.evidence_hint) in squash(row[4])
        if answer.statement:
            assert squash(answer.statement) in squash(row[4])
        assert row[5] == item.type and as_number(row[6]) == item.max_points
        assert shows(row[7], report.item(item.id).points), item.id
    assert shows(rows["总分"][-1], report.total)
    # 一级指标 merged once per category, 二级指标 once per (category, subcategory), as in the seed.
    cats = _column_cells(path, 1)
    assert len({c._tc for c in cats}) == len(nzc.scheme.categories) == 7
    subs = {(i.category, i.subcategory) for i in nzc.scheme.indicators}
    assert len({c._tc for c in _column_cells(path, 2)}) == len(subs)
    assert len({c._tc for c in _column_cells(path, 0)}) == 7  # 序号 1–7


def test_green_indicators_weights_types_and_points(forms, green):
    path = forms["suzhou-green-indicators"]
    report, rows = score_dossier(green), Rows(path)
    weights = {c.name: c.weight for c in green.scheme.categories}
    for item in green.scheme.indicators:
        row = rows[item.requirement]
        assert row[1] == item.category and row[2] == item.subcategory
        assert row[5] == item.type and as_number(row[6]) == item.max_points
        assert row[7] == f"{weights[item.category] * 100:.0f}%" and shows(row[8], report.item(item.id).points), item.id
    assert shows(rows["总分"][-1], report.total)
    # 权重 merged per 一级指标; 要求类型 per run of one type within a 二级指标 (seed: 必选 printed once).
    assert len({c._tc for c in _column_cells(path, 7)}) == 6
    runs, prev = 0, None
    for item in green.scheme.indicators:
        key = (item.category, item.subcategory, item.type)
        runs += key != prev
        prev = key
    assert len({c._tc for c in _column_cells(path, 5)}) == runs


def test_indicator_tables_are_landscape_and_fit_the_page(forms):
    for form_id in ("suzhou-nzc-indicators", "suzhou-green-indicators", "suzhou-nzc-annual"):
        doc = Document(str(forms[form_id]))
        section = doc.sections[0]
        assert section.page_width > section.page_height
        text_width = section.page_width - section.left_margin - section.right_margin
        grid = doc.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))
        width_mm = sum(int(g.get(qn("w:w"))) for g in grid) / 56.693  # twips
        assert width_mm <= text_width / 36000 + 0.5  # EMU → mm


# --- 附件1-4 / 附件1-3 评分表 -----------------------------------------------------------------


def _shaded_bands(path: Path) -> list[str]:
    t = Document(str(path)).tables[0]
    out = []
    for row in t.rows[1:]:
        shd = row.cells[0]._tc.tcPr.find(qn("w:shd"))
        if shd is not None and shd.get(qn("w:fill")) not in (None, "auto"):
            out.append(row.cells[0].text)
    return out


def test_nzc_energy_saving_is_worked_out_for_the_dossier(forms, nzc):
    path = forms["suzhou-nzc-energy-saving"]
    table = nzc.scheme.lookup_tables["energy_saving"]
    assert [r[0] for r in tables(path)[0][1:]] == [r["label"] for r in table.rows]
    assert tables(path)[0][4] == ["≥50", "8", "7"] and tables(path)[0][1] == ["≥800", "—", "4"]
    # 2025: 11976.1 tce = 1.1976 万tce → band ≥1 (0.15 万tce, 10%), the row shaded.
    assert _shaded_bands(path) == ["≥1"]
    assert value_after(path, "所属档次") == "≥1"
    assert squash("1.1976 万tce/a（2025年 11976.1 tce）") in squash(value_after(path, "上年度综合能耗（当量）"))
    # 注1: 1230 tce = 0.123 万tce ÷ 0.15 × 2.5 = 2.05; 注2: 5.4% ÷ 10% × 2.5 = 1.35; 注3: the higher.
    assert find_row(path, "项目节能量（等价）万tce/a")[1:] == ["0.15", "0.123", "0.123÷0.15×2.5", "2.05"]
    assert find_row(path, "综合节能率 %")[1:] == ["10", "5.4", "5.4÷10×2.5", "1.35"]
    assert find_row(path, "得分（两者取高，最高不超过 2.5 分）")[-1] == "2.05"
    expected = energy_saving_score(nzc.dossier, table, saving_rate_pct=5.4)
    assert round(expected.value, 2) == 2.05
    text = docx_fulltext(path)
    assert "空压站及冷冻站高效机房节能改造" in text  # the project whose saving counts
    assert "吴中区生态林业碳汇合作开发项目（负碳项目）" in text  # and the one left out, with why


def test_energy_saving_band_without_a_saving_target_and_the_cap(tmp_path):
    # 上年度 120 万tce → band ≥100: 项目年节能量目标 "—" (not scored), 综合节能率目标 4%;
    # 综合年节能率 6% → 6 ÷ 4 × 2.5 = 3.75, above the 2.5 cap (注3).
    loaded = load_dossier(EXAMPLES / NZC)
    year = loaded.dossier.years[2025]
    year.energy_total_tce = 1_200_000
    year.energy_saving_rate_pct = 6
    (form,) = render_forms(loaded, form_ids=["suzhou-nzc-energy-saving"], out_dir=tmp_path)
    assert _shaded_bands(form.path) == ["≥100"]
    assert find_row(form.path, "项目节能量（等价）万tce/a")[1:] == ["—", "0.123", "本档无此目标，不计", ""]
    assert find_row(form.path, "综合节能率 %")[1:] == ["4", "6", "6÷4×2.5", "3.75"]
    assert find_row(form.path, "得分（两者取高，最高不超过 2.5 分）")[-1] == "2.5"
    assert not leftovers(form.path)


def test_energy_saving_without_figures_is_blank_and_says_what_is_missing(tmp_path):
    loaded = load_dossier(EXAMPLES / GREEN)
    loaded.dossier.years[2025].energy_total_tce = None
    loaded.dossier.years[2025].energy = {}
    loaded.dossier.years[2025].energy_saving_rate_pct = None
    (form,) = render_forms(loaded, form_ids=["suzhou-green-energy-saving"], out_dir=tmp_path)
    assert _shaded_bands(form.path) == []
    assert value_after(form.path, "所属档次") == ""
    assert find_row(form.path, "得分（两者取高, 最高不超过 4 分）")[-1] == ""
    assert "尚缺：" in docx_fulltext(form.path)
    assert not leftovers(form.path)


def test_green_energy_saving_uses_times_four_and_its_own_band(forms):
    path = forms["suzhou-green-energy-saving"]
    # 2025: 5458.46 tce → ≥0.5 (0.05 万tce, 10%); 376.1 tce → 0.03761 ÷ 0.05 × 4 = 3.01; 6.9% → 2.76.
    assert _shaded_bands(path) == ["≥0.5"]
    assert find_row(path, "项目节能量（等价）万tce/a")[1:] == ["0.05", "0.0376", "0.0376÷0.05×4", "3.01"]
    assert find_row(path, "综合节能率 %")[1:] == ["10", "6.9", "6.9÷10×4", "2.76"]
    assert find_row(path, "得分（两者取高, 最高不超过 4 分）")[-1] == "3.01"


# --- 附件3 年度总结及下一年度计划 ----------------------------------------------------------


def test_annual_title_years_follow_the_reporting_year(forms, tmp_path):
    assert "苏州市“近零碳”工厂2025年度总结及2026年度计划" in docx_fulltext(forms["suzhou-nzc-annual"])
    loaded = load_dossier(EXAMPLES / NZC)
    loaded.dossier.reporting_year = 2027
    (form,) = render_forms(loaded, form_ids=["suzhou-nzc-annual"], out_dir=tmp_path)
    assert "苏州市“近零碳”工厂2026年度总结及2027年度计划" in docx_fulltext(form.path)


def test_annual_row_of_the_enterprise(forms, nzc):
    path = forms["suzhou-nzc-annual"]
    row = find_row(path, nzc.dossier.subject.name)
    d = nzc.dossier
    assert row[:4] == ["1", d.subject.name, d.subject.city, d.subject.industry]
    for cell, key in zip(row[4:], ["work_results", "ghg_indicator", "neutral_path", "next_year_plan"]):
        assert squash(cell) == squash(d.narratives[key])
    assert len(tables(path)[0]) == 2  # header + the enterprise's row


def test_annual_ghg_cell_falls_back_to_the_year_figures(tmp_path):
    loaded = load_dossier(EXAMPLES / NZC)
    del loaded.dossier.narratives["ghg_indicator"]
    (form,) = render_forms(loaded, form_ids=["suzhou-nzc-annual"], out_dir=tmp_path)
    cell = find_row(form.path, loaded.dossier.subject.name)[5]
    assert cell == "范围1：2080.2 tCO2e；范围2：31305.4 tCO2e；合计：33385.6 tCO2e"


def test_annual_summary_of_a_district_has_one_row_per_enterprise(district, tmp_path, runner):
    out = tmp_path / "年度总结.docx"
    result = runner.invoke(main, ["summary", *map(str, district), "--form", "suzhou-nzc-annual", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = tables(out)[0]
    assert [r[:3] for r in rows[1:]] == [["1", "苏州澜樾电路科技有限公司", "苏州工业园区"],
                                         ["2", "苏州澄湖精密材料有限公司", "苏州市吴中区"],
                                         ["3", "昆山锦溪新能源科技有限公司", "昆山市"]]
    assert squash("2025年，锦溪公司围绕") in squash(rows[3][4])
    assert not leftovers(out) and not missing_labels(out, labels_file("suzhou-nzc-annual"))


# --- 附件2 培育计划汇总表 -----------------------------------------------------------------


def test_plan_summary_has_the_seed_header_and_one_row_per_dossier(district, tmp_path, runner):
    out = tmp_path / "培育计划汇总表.xlsx"
    result = runner.invoke(main, ["summary", *map(str, district), "--form", "suzhou-nzc-plan-summary",
                                  "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = xlsx_rows(out)
    assert rows[0][0] == "附件2"
    assert rows[1][0] == "2026年度苏州市“近零碳”工厂（第    批）培育计划汇总表"
    assert [squash(str(c)) for c in rows[2]] == [squash(x) for x in labels_file("suzhou-nzc-plan-summary")[3:]]
    data = rows[3:6]
    assert [r[0] for r in data] == [1, 2, 3]
    assert [r[1] for r in data] == ["苏州澜樾电路科技有限公司", "苏州澄湖精密材料有限公司", "昆山锦溪新能源科技有限公司"]
    assert [r[2] for r in data] == ["苏州工业园区", "苏州市吴中区", "昆山市"]
    assert [r[3] for r in data] == ["电子电路制造", "有色金属压延加工", "电子电路制造"]
    assert data[0][4] == "高密度互连（HDI）印制电路板、多层印制电路板"
    assert data[1][5].startswith("苏州澄湖精密材料有限公司成立于2012年")
    assert data[0][6].startswith("总体目标：以2025年为基准年")
    assert len(rows) == 6


def test_plan_summary_of_the_example_alone(forms, nzc):
    rows = xlsx_rows(forms["suzhou-nzc-plan-summary"])
    assert rows[3][:4] == [1, nzc.dossier.subject.name, "苏州工业园区", "电子电路制造"]
