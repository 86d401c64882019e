"""The data-entry workbook as its users meet it: export, fill in, import.

Every example round-trips unchanged (byte for byte); a dozen edited cells change
exactly their fields, reported with the old values; broken workbooks are refused or
reported by sheet and cell address, leaving dossier.yaml as it was; the workbook
prints on A4 through LibreOffice with its Chinese content.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from dossier.cli import main
from dossier.errors import BadInputError
from dossier.loader import load_dossier
from dossier.schemes import load_scheme
from dossier.workbook import export_workbook, import_workbook, render_report

from .conftest import EXAMPLES, SCHEME_IDS

JIANGSU = "jiangsu-zero-carbon-factory"


# --- helpers ---------------------------------------------------------------------------------


def key(*path: Any) -> str:
    return json.dumps(list(path), ensure_ascii=False)


def locate(book: Workbook, sheet: str, row_key: str, header: str):
    """The cell of the row keyed ``row_key`` under the column headed ``header``."""
    ws = book[sheet]
    columns: dict[str, int] = {}
    for row in ws.iter_rows(min_col=1, max_col=1):
        value = row[0].value
        if isinstance(value, str) and value.startswith("#block:"):
            columns = {str(c.value): c.column for c in ws[row[0].row] if c.value is not None}
        if value == row_key:
            return ws.cell(row[0].row, columns[header])
    raise KeyError(f"{sheet}: no row {row_key}")


def blank_rows(book: Workbook, sheet: str, block: str) -> list[int]:
    """Rows of a table block left blank for new items (no key)."""
    ws = book[sheet]
    inside, rows = False, []
    for row in range(1, ws.max_row + 1):
        value = ws.cell(row, 1).value
        if isinstance(value, str) and value.startswith("#block:"):
            inside = value == f"#block:{block}"
            continue
        if inside and value is None and ws.cell(row, 2).border.left.style:
            rows.append(row)
    return rows


def header_row(book: Workbook, sheet: str, block: str) -> int:
    ws = book[sheet]
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == f"#block:{block}")


def changed_fields(before: Any, after: Any, prefix: str = "") -> set[str]:
    """Dotted paths of the leaves that differ between two model dumps."""
    if isinstance(before, dict) and isinstance(after, dict):
        out: set[str] = set()
        for k in set(before) | set(after):
            out |= changed_fields(before.get(k), after.get(k), f"{prefix}{k}.")
        return out
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after) and not all(
        isinstance(x, str) for x in before + after
    ):
        out = set()
        for i, (b, a) in enumerate(zip(before, after)):
            out |= changed_fields(b, a, f"{prefix}{i}.")
        return out
    return set() if before == after else {prefix.rstrip(".")}


def dump(directory: Path) -> dict:
    return load_dossier(directory).dossier.model_dump(mode="json")


@pytest.fixture(scope="module")
def jiangsu_export(tmp_path_factory):
    """One export of the Jiangsu example, copied fresh by each test that breaks it."""
    base = tmp_path_factory.mktemp("jiangsu")
    directory = base / JIANGSU
    shutil.copytree(EXAMPLES / JIANGSU, directory)
    workbook = base / "填报.xlsx"
    export_workbook(directory, out=workbook)
    return directory, workbook


@pytest.fixture
def jiangsu(jiangsu_export, tmp_path):
    directory, workbook = jiangsu_export
    target = tmp_path / JIANGSU
    shutil.copytree(directory, target)
    copy = tmp_path / "填报.xlsx"
    shutil.copyfile(workbook, copy)
    return target, copy


def backups(directory: Path) -> list[Path]:
    return sorted(directory.glob("dossier.yaml.bak-*"))


# --- round trip ------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme_id", SCHEME_IDS)
def test_export_then_import_unchanged_is_identical(example_copy, tmp_path, scheme_id):
    directory = example_copy(scheme_id)
    before = (directory / "dossier.yaml").read_bytes()
    result = export_workbook(directory, out=tmp_path / "wb.xlsx")
    names = [name for name, _ in result.sheets]
    scheme = load_scheme(scheme_id)
    for sheet in ("基本信息", "年度数据", "能源消费", "基本条件自评", "证明材料"):
        assert sheet in names
    assert ("绿色指数" in names) == (scheme.subject == "park")
    assert ("评价指标自评" in names) == (scheme.subject != "park")
    assert ("加分项自评" in names) == bool(scheme.bonus)

    report = import_workbook(directory, tmp_path / "wb.xlsx")
    assert report.changes == [] and report.problems == [], render_report(report)
    assert report.cells_read > 300
    assert (directory / "dossier.yaml").read_bytes() == before
    assert backups(directory) == []


def test_workbook_saved_again_by_libreoffice_reads_the_same(jiangsu, tmp_path):
    """What a WPS/Excel user sends back is a re-saved file, not ours: it must read the same.

    A formula typed into a cell is read as the value the spreadsheet computed; before
    any spreadsheet computed it (written by a program), it is reported, not read as empty.
    """
    assert shutil.which("soffice"), "LibreOffice (soffice) is part of the test setup (scripts/setup.sh)"
    directory, workbook = jiangsu
    book = load_workbook(workbook)
    formula = locate(book, "年度数据", key("years", "*", "tax"), "2025年")
    formula.value = "=2700+100"
    book.save(workbook)
    before = (directory / "dossier.yaml").read_bytes()
    report = import_workbook(directory, workbook, dry_run=True)
    assert [str(p) for p in report.problems] == [
        f"年度数据!{formula.coordinate}：公式“=2700+100”没有计算结果：请在 Excel 或 WPS 中打开并保存后再导入，或直接填写数值"
    ]
    out = tmp_path / "resaved"
    subprocess.run(
        ["soffice", "-env:UserInstallation=file:///tmp/lo_workbook", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )
    report = import_workbook(directory, out / workbook.name, dry_run=True)
    assert report.problems == [], render_report(report)
    assert [(c.dotted(), c.new) for c in report.changes] == [("years.2025.tax", 2800)]
    assert (directory / "dossier.yaml").read_bytes() == before


# --- what the workbook holds -----------------------------------------------------------------


def test_indicator_rows_are_verbatim_with_dropdowns_and_point_limits(jiangsu):
    directory, workbook = jiangsu
    scheme = load_scheme(JIANGSU)
    book = load_workbook(workbook)
    sheet = book["评价指标自评"]
    for row in scheme.indicators:
        assert locate(book, "评价指标自评", key("indicators", row.id), "要求").value == row.requirement
    for bc in scheme.basic_conditions:
        assert locate(book, "基本条件自评", key("basic_conditions", bc.id), "基本条件").value.startswith(bc.text)
    status = locate(book, "评价指标自评", key("indicators", "I01"), "符合性")
    points = locate(book, "评价指标自评", key("indicators", "I06"), "自评得分")  # max 5
    validations = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    status_dv = next(dv for ref, dv in validations.items() if status.coordinate in dv.sqref)
    lists = book["_lists"]
    col = status_dv.formula1.split("!")[1].split(":")[0].replace("$", "")
    col = "".join(ch for ch in col if ch.isalpha())
    assert [c.value for c in lists[col] if c.value] == ["符合", "部分符合", "不符合", "不适用"]
    points_dv = next(dv for dv in validations.values() if points.coordinate in dv.sqref)
    assert (points_dv.type, points_dv.formula1, points_dv.formula2) == ("decimal", "0", "5")
    assert status.fill.fgColor.rgb.endswith("FFF2CC")  # required: yellow


def test_yearly_and_energy_sheets_have_a_column_per_year_and_computed_figures(jiangsu):
    directory, workbook = jiangsu
    book = load_workbook(workbook)
    ws = book["年度数据"]
    headers = [c.value for c in ws[header_row(book, "年度数据", "yearly")]]
    assert headers[1:3] == ["项目", "单位"] and headers[3:6] == ["2023年", "2024年", "2025年"]
    value = locate(book, "年度数据", key("years", "*", "output_value"), "2024年")
    assert value.value == 70200
    assert locate(book, "年度数据", key("years", "*", "output_value"), "单位").value == "万元"
    assert locate(book, "能源消费", key("years", "*", "energy", "natural_gas"), "单位").value == "万m³"
    # computed figures: read-only values with their formula
    ws = book["能源消费"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "#computed:energy_tce_computed")
    labels = {c.value: c.column for c in ws[header_row(book, "能源消费", "energy_figures")]}
    assert ws.cell(row, labels["2023年"]).value == pytest.approx(6144.24, abs=0.01)
    assert "外购电力（电网）" in ws.cell(row, labels["说明"]).value and "tce" in ws.cell(row, labels["说明"]).value
    assert ws.cell(row, labels["2023年"]).fill.fgColor.rgb.endswith("F2F2F2")
    meta = book["_dossier"]
    assert meta.sheet_state == "hidden" and meta["B4"].value == JIANGSU


def test_every_sheet_is_set_up_for_a4(jiangsu):
    _, workbook = jiangsu
    book = load_workbook(workbook)
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4), ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows, ws.title
        assert ws.column_dimensions["A"].hidden, ws.title
    assert book["年度数据"].freeze_panes == "C5"


# --- editing and importing ------------------------------------------------------------------


def test_a_dozen_edited_cells_change_exactly_their_fields(jiangsu):
    directory, workbook = jiangsu
    original = (directory / "dossier.yaml").read_text(encoding="utf-8")
    before = dump(directory)
    book = load_workbook(workbook)
    edits = {
        ("年度数据", key("years", "*", "output_value"), "2024年"): 71000,
        ("年度数据", key("years", "*", "profit"), "2025年"): 5900.5,
        ("年度数据", key("years", "*", "emissions", "scope1"), "2023年"): 2216,
        ("能源消费", key("years", "*", "energy", "natural_gas"), "2025年"): 81.5,
        ("能源消费", key("years", "*", "energy", "coke"), "2023年"): 12,  # was empty: filled
        ("基本信息", key("fill_date"), "填写值"): dt.datetime(2026, 11, 25),
        ("基本信息", key("subject", "contact", "mobile"), "填写值"): "13961287406",
        ("基本信息", key("subject", "ownership"), "填写值"): "中外合资",
        ("评价指标自评", key("indicators", "I02"), "符合性"): "符合",
        ("评价指标自评", key("indicators", "I02"), "自评得分"): 10,
        ("评价指标自评", key("indicators", "I09"), "符合性说明"): "2026年起开展熔化炉烟气碳捕集中试。",
        ("基本条件自评", key("basic_conditions", "BC3"), "符合性"): "符合",
        ("减排项目与抵消", key("projects", 0), "项目总投资（万元）"): 1750,
    }
    for (sheet, row_key, header), value in edits.items():
        locate(book, sheet, row_key, header).value = value
    book.save(workbook)

    report = import_workbook(directory, workbook)

    expected = {
        "years.2024.output_value", "years.2025.profit", "years.2023.emissions.scope1",
        "years.2025.energy.natural_gas", "years.2023.energy.coke", "fill_date", "subject.contact.mobile",
        "subject.ownership", "indicators.I02.status", "indicators.I02.points", "indicators.I09.statement",
        "basic_conditions.BC3.status", "projects.0.investment",
    }
    assert report.problems == [], render_report(report)
    assert {c.dotted() for c in report.changes} == expected
    assert changed_fields(before, dump(directory)) == expected
    text = render_report(report)
    assert "年度数据!E5：2024年 工业总产值（现价）：70200 → 71000" in text
    assert "能源消费!D12：2023年 焦炭：新填 12" in text
    assert "评价指标 I02 符合性：部分符合 → 符合" in text
    assert "民营 → 中外合资" in text
    # the file was edited in place: comments kept, backup of the previous text
    new_text = (directory / "dossier.yaml").read_text(encoding="utf-8")
    assert "    output_value: 71000  # 工业总产值（万元，现价）" in new_text
    assert new_text.count("#") == original.count("#")
    assert [b.read_text(encoding="utf-8") for b in backups(directory)] == [original]
    # importing the same workbook again changes nothing more
    assert import_workbook(directory, workbook).changes == []


def test_dry_run_lists_the_changes_and_writes_nothing(jiangsu):
    directory, workbook = jiangsu
    before = (directory / "dossier.yaml").read_bytes()
    book = load_workbook(workbook)
    locate(book, "年度数据", key("years", "*", "tax"), "2025年").value = 2800
    book.save(workbook)
    report = import_workbook(directory, workbook, dry_run=True)
    assert [c.dotted() for c in report.changes] == ["years.2025.tax"]
    assert "试运行" in render_report(report) and not report.written
    assert (directory / "dossier.yaml").read_bytes() == before and backups(directory) == []


def test_a_cleared_cell_clears_its_field_and_reports_the_old_value(jiangsu):
    directory, workbook = jiangsu
    book = load_workbook(workbook)
    locate(book, "基本信息", key("subject", "legal_representative", "title"), "填写值").value = None
    book.save(workbook)
    report = import_workbook(directory, workbook)
    assert "已清空（原值 董事长、总经理）" in render_report(report)
    assert load_dossier(directory).dossier.subject.legal_representative.title is None


def test_new_rows_in_tables_become_new_items(jiangsu):
    directory, workbook = jiangsu
    book = load_workbook(workbook)
    ws = book["减排项目与抵消"]
    headers = {c.value: c.column for c in ws[header_row(book, "减排项目与抵消", "projects")] if c.value}
    row = blank_rows(book, "减排项目与抵消", "projects")[0]
    ws.cell(row, headers["项目名称"]).value = "空压机余热回收二期"
    ws.cell(row, headers["降碳技术类别"]).value = "减碳"
    ws.cell(row, headers["开始日期"]).value = dt.datetime(2026, 3, 1)
    ws.cell(row, headers["年温室气体减排量（tCO2e）"]).value = 120.5
    products = book["产品与原材料"]
    headers = {c.value: c.column for c in products[header_row(book, "产品与原材料", "products")] if c.value}
    row = blank_rows(book, "产品与原材料", "products")[0]
    for header, value in (("年度", "2025"), ("类别", "产品"), ("名称", "电驱桥壳体"), ("计量单位", "万件"), ("产量/消耗量", 3.2)):
        products.cell(row, headers[header]).value = value
    book.save(workbook)

    report = import_workbook(directory, workbook)
    assert report.problems == [], render_report(report)
    assert sorted(c.verb for c in report.changes) == ["新增", "新增"]
    d = load_dossier(directory).dossier
    assert d.projects[-1].name == "空压机余热回收二期" and d.projects[-1].start == dt.date(2026, 3, 1)
    assert d.projects[-1].reduction_tco2e == 120.5
    assert d.year(2025).production[-1].name == "电驱桥壳体" and d.year(2025).production[-1].amount == 3.2
    text = (directory / "dossier.yaml").read_text(encoding="utf-8")
    assert '- {name: "电驱桥壳体", unit: "万件", amount: 3.2}' in text  # the list's own flow style


def test_moved_rows_are_recognised_by_their_key(jiangsu):
    directory, workbook = jiangsu
    book = load_workbook(workbook)
    ws = book["年度数据"]
    a = locate(book, "年度数据", key("years", "*", "revenue"), "2023年").row
    b = locate(book, "年度数据", key("years", "*", "tax"), "2023年").row
    for column in range(1, ws.max_column + 1):  # swap the two rows, keys included
        ws.cell(a, column).value, ws.cell(b, column).value = ws.cell(b, column).value, ws.cell(a, column).value
    locate(book, "年度数据", key("years", "*", "tax"), "2024年").value = 2600
    book.save(workbook)
    report = import_workbook(directory, workbook)
    assert [c.dotted() for c in report.changes] == ["years.2024.tax"]
    assert report.problems == []
    assert any(note.startswith("2 行被移动过位置，已按隐藏的行键识别") for note in report.notes), report.notes


# --- broken workbooks -------------------------------------------------------------------------


def assert_refused_cell(directory: Path, workbook: Path, expected: str) -> str:
    before = (directory / "dossier.yaml").read_bytes()
    report = import_workbook(directory, workbook)
    text = render_report(report)
    assert expected in text, text
    assert report.exit_code == 2 and report.changes == []
    assert (directory / "dossier.yaml").read_bytes() == before and backups(directory) == []
    return text


def test_text_in_a_number_cell_is_reported_by_address(jiangsu):
    directory, workbook = jiangsu
    book = load_workbook(workbook)
    cell = locate(book, "年度数据", key("years", "*", "profit"), "2025年")
    cell.value = "约三千"
    book.save(workbook)
    assert_refused_cell(directory, workbook, f"年度数据!{cell.coordinate}：应为数字，实际为“约三千”")


def test_impossible_date_and_value_outside_dropdown_are_reported(jiangsu):
    directory, workbook = jiangsu
    book = load_workbook(workbook)
    date = locate(book, "基本信息", key("submission_date"), "填写值")
    date.value = "2026-02-30"
    status = locate(book, "基本条件自评", key("basic_conditions", "BC1"), "符合性")
    status.value = "基本符合"
    points = locate(book, "评价指标自评", key("indicators", "I06"), "自评得分")
    points.value = 6
    book.save(workbook)
    text = assert_refused_cell(directory, workbook, f"基本信息!{date.coordinate}：不存在的日期“2026-02-30”")
    assert f"基本条件自评!{status.coordinate}：应为下拉选项之一（符合、部分符合、不符合、不适用），实际为“基本符合”" in text
    assert f"评价指标自评!{points.coordinate}：应在 0–5 之间，实际为 6" in text


def test_a_missing_sheet_is_reported(jiangsu):
    directory, workbook = jiangsu
    book = load_workbook(workbook)
    del book["年度数据"]
    book.save(workbook)
    assert_refused_cell(directory, workbook, "年度数据：工作表缺失（被删除或改名）")


def test_a_renamed_sheet_is_still_read(jiangsu):
    directory, workbook = jiangsu
    book = load_workbook(workbook)
    locate(book, "年度数据", key("years", "*", "tax"), "2023年").value = 2390
    book["年度数据"].title = "Sheet1"
    book.save(workbook)
    report = import_workbook(directory, workbook)
    assert [c.dotted() for c in report.changes] == ["years.2023.tax"] and report.problems == []
    assert any("已改名为“Sheet1”" in note for note in report.notes)


def test_an_extra_column_is_reported_and_the_others_still_read_by_header(jiangsu):
    directory, workbook = jiangsu
    book = load_workbook(workbook)
    ws = book["年度数据"]
    header = header_row(book, "年度数据", "yearly")
    ws.insert_cols(4)  # between 单位 and 2023年: every year column shifts right
    ws.cell(header, 4).value = "备注"
    ws.cell(header + 2, 4).value = "含税"
    book.save(workbook)
    assert_refused_cell(directory, workbook, f"年度数据!D{header}：多出的列“备注”（不是导出时的列），其中的内容未导入")


def test_merged_cells_are_reported(jiangsu):
    directory, workbook = jiangsu
    book = load_workbook(workbook)
    cell = locate(book, "年度数据", key("years", "*", "revenue"), "2023年")
    book["年度数据"].merge_cells(f"{cell.coordinate}:{cell.offset(0, 1).coordinate}")
    book.save(workbook)
    assert_refused_cell(directory, workbook, f"年度数据!{cell.coordinate}:{cell.offset(0, 1).coordinate}：合并了单元格")


def test_a_file_that_is_not_xlsx_is_refused(jiangsu, tmp_path):
    directory, _ = jiangsu
    before = (directory / "dossier.yaml").read_bytes()
    fake = tmp_path / "数据.xlsx"
    fake.write_text("年度,产值\n2023,66500\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="不是 Excel 工作簿（.xlsx）"):
        import_workbook(directory, fake)
    plain = tmp_path / "plain.xlsx"
    Workbook().save(plain)
    with pytest.raises(BadInputError, match="不是由 dossier 导出的数据填报工作簿"):
        import_workbook(directory, plain)
    assert (directory / "dossier.yaml").read_bytes() == before


def test_an_xls_workbook_is_refused_with_what_to_do(jiangsu, tmp_path):
    assert shutil.which("soffice"), "LibreOffice (soffice) is part of the test setup (scripts/setup.sh)"
    directory, workbook = jiangsu
    subprocess.run(
        ["soffice", "-env:UserInstallation=file:///tmp/lo_workbook", "--headless",
         "--convert-to", "xls", "--outdir", str(tmp_path), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )
    xls = tmp_path / "填报.xls"
    assert xls.read_bytes()[:4] == bytes.fromhex("D0CF11E0")  # a real Excel 97-2003 file
    before = (directory / "dossier.yaml").read_bytes()
    with pytest.raises(BadInputError, match=r"Excel 97-2003（\.xls）.*另存为” Excel 工作簿（\*\.xlsx）"):
        import_workbook(directory, xls)
    renamed = tmp_path / "改了扩展名.xlsx"
    shutil.copyfile(xls, renamed)
    with pytest.raises(BadInputError, match="97-2003"):
        import_workbook(directory, renamed)
    assert (directory / "dossier.yaml").read_bytes() == before


def test_a_workbook_of_another_scheme_is_refused(jiangsu, example_copy):
    _, workbook = jiangsu
    other = example_copy("suzhou-green-factory")
    before = (other / "dossier.yaml").read_bytes()
    with pytest.raises(BadInputError, match="jiangsu-zero-carbon-factory.*suzhou-green-factory"):
        import_workbook(other, workbook)
    assert (other / "dossier.yaml").read_bytes() == before


def test_an_invalid_value_the_model_rejects_is_reported_at_its_cell(jiangsu):
    directory, workbook = jiangsu
    book = load_workbook(workbook)
    email = locate(book, "基本信息", key("subject", "contact", "email"), "填写值")
    email.value = "luxiaolan-at-lanheng"
    tax = locate(book, "年度数据", key("years", "*", "tax"), "2025年")
    tax.value = 2800
    book.save(workbook)
    report = import_workbook(directory, workbook)
    assert f"基本信息!{email.coordinate}：申报工作联系人·电子邮箱：电子邮箱格式不正确" in render_report(report)
    assert [c.dotted() for c in report.changes] == ["years.2025.tax"]  # the rest still goes in
    d = load_dossier(directory).dossier
    assert d.subject.contact.email == "luxiaolan@lanheng-auto.cn" and d.year(2025).tax == 2800


# --- the command line ----------------------------------------------------------------------


def test_cli_export_and_import(runner, example_copy, tmp_path):
    directory = example_copy("zhengzhou-green-low-carbon-factory")
    out = tmp_path / "郑州.xlsx"
    result = runner.invoke(main, ["workbook", "export", str(directory), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "评价指标自评：91 行" in result.output and out.exists()
    book = load_workbook(out)
    locate(book, "加分项自评", key("bonus", "B1"), "符合性说明").value = "已签订光伏建造合同。"
    locate(book, "年度数据", key("years", "*", "value_added"), "2025年").value = "一万二"
    book.save(out)
    result = runner.invoke(main, ["workbook", "import", str(directory), str(out), "--dry-run"])
    assert result.exit_code == 2
    assert "加分项 B1 符合性说明" in result.output and "应为数字，实际为“一万二”" in result.output
    assert "试运行" in result.output
    result = runner.invoke(main, ["workbook", "import", str(directory), str(out), "--json"])
    data = json.loads(result.output)
    assert data["written"] and [c["field"] for c in data["changes"]] == ["bonus.B1.statement"]
    assert data["problems"][0]["message"] == "应为数字，实际为“一万二”"
    result = runner.invoke(main, ["workbook", "import", str(directory), str(directory / "dossier.yaml")])
    assert result.exit_code == 2 and "不是 Excel 工作簿" in result.output


# --- printing -------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme_id", [JIANGSU, "zhejiang-green-low-carbon-park"])
def test_workbook_converts_to_a4_pdf_with_chinese_content(example_copy, tmp_path, scheme_id):
    assert shutil.which("soffice") and shutil.which("pdftotext"), "LibreOffice and poppler-utils: scripts/setup.sh"
    directory = example_copy(scheme_id)
    workbook = tmp_path / "wb.xlsx"
    export_workbook(directory, out=workbook)
    subprocess.run(
        ["soffice", "-env:UserInstallation=file:///tmp/lo_workbook", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = tmp_path / "wb.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    scheme = load_scheme(scheme_id)
    for title in ("基本信息", "年度数据", "能源消费", "基本条件自评", "证明材料清单"):
        assert title in text
    assert load_dossier(directory).dossier.subject.name in text
    assert "外购电力（电网）" in text and "2025年" in text and "第 1 页" in text
    assert scheme.basic_conditions[0].text[:12] in text.replace(" ", "")
    sizes = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True).stdout
    pages = [line for line in sizes.splitlines() if line.startswith("Page") and "size:" in line]
    assert pages and all(line.endswith("(A4)") for line in pages)


def test_export_does_not_overwrite_a_workbook_with_entries_not_yet_imported(jiangsu):
    directory, workbook = jiangsu
    assert export_workbook(directory, out=workbook).path == workbook  # nothing pending: replaced
    book = load_workbook(workbook)
    locate(book, "年度数据", key("years", "*", "tax"), "2025年").value = 2800
    book.save(workbook)
    with pytest.raises(BadInputError, match="1 处内容与 dossier.yaml 不同"):
        export_workbook(directory, out=workbook)
    assert locate(load_workbook(workbook), "年度数据", key("years", "*", "tax"), "2025年").value == 2800
    export_workbook(directory, out=workbook, force=True)
    assert locate(load_workbook(workbook), "年度数据", key("years", "*", "tax"), "2025年").value == 2790
    with pytest.raises(BadInputError, match=r"应为 \.xlsx"):
        export_workbook(directory, out=workbook.with_suffix(".xls"))
