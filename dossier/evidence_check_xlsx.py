"""The checklist as a workbook a team works through: one row per evidence item.

Sheet 材料清单: 序号, 材料, 状态 (coloured), 文件, 问题, and three columns for the team —
负责人, 完成时间, 备注. Running ``dossier check --xlsx`` again keeps what the team
typed in those three columns (matched by 序号 and 材料), so the workbook can be
regenerated every morning without losing assignments. Sheet 概况 holds the summary,
the cross-checks, the files that match no item and the scan's warnings.

Written atomically (a temporary file beside the target, then a rename): an
interrupted run never leaves half a workbook where yesterday's was.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from .evidence_check import STATUS_LABELS, EvidenceCheckReport
from .errors import BadInputError
from .fileio import save_workbook
from .names import display
from .render.xlsx_safe import set_cell

SHEET = "材料清单"
HEADERS = ("序号", "材料", "状态", "文件", "问题", "负责人", "完成时间", "备注")
TEAM_COLUMNS = ("负责人", "完成时间", "备注")
WIDTHS = (6, 40, 10, 40, 60, 10, 12, 24)
# Excel's own "good / bad / neutral" fills, so the colours read as they do elsewhere.
FILLS = {
    "ok": "C6EFCE",
    "missing": "FFC7CE",
    "expired": "FFC7CE",
    "incomplete": "FFEB9C",
    "expiring": "FFEB9C",
    "to_confirm": "DDEBF7",
    "not_applicable": "EDEDED",
}


def _previous_team_entries(path: Path) -> dict[tuple[Any, Any], dict[str, Any]]:
    """负责人/完成时间/备注 already typed into an existing checklist at ``path``."""
    if not path.exists():
        return {}
    from .safefile import workbook_problem

    problem = workbook_problem(path)
    if problem:
        raise BadInputError(f"{path} 已存在，但无法作为检查清单读取（{problem}）；为免覆盖其他文件，请换一个文件名")
    try:
        workbook = load_workbook(path)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise BadInputError(f"{path} 已存在，但不是 Excel 工作簿（.xlsx）；为免覆盖其他文件，请换一个文件名") from exc
    if SHEET not in workbook.sheetnames:
        raise BadInputError(f"{path} 已存在，但不是材料检查清单（没有“{SHEET}”工作表）；请换一个文件名")
    sheet = workbook[SHEET]
    header = [c.value for c in sheet[1]]
    columns = {name: header.index(name) for name in (*TEAM_COLUMNS, "序号", "材料") if name in header}
    if "序号" not in columns:
        return {}
    kept: dict[tuple[Any, Any], dict[str, Any]] = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        key = (row[columns["序号"]], row[columns["材料"]] if "材料" in columns else None)
        values = {name: row[columns[name]] for name in TEAM_COLUMNS if name in columns and row[columns[name]] is not None}
        if values:
            kept[key] = values
    return kept


def write_evidence_check_xlsx(report: EvidenceCheckReport, path: Path) -> Path:
    path = Path(path)
    kept = _previous_team_entries(path)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    _items_sheet(sheet, report, kept)
    _summary_sheet(workbook.create_sheet("概况"), report)
    for sheet in workbook.worksheets:  # every value here is data: never a formula (file names, team notes)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    set_cell(cell, display(cell.value))
    save_workbook(workbook, path)
    return path


def _items_sheet(sheet: Any, report: EvidenceCheckReport, kept: dict[tuple[Any, Any], dict[str, Any]]) -> None:
    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for item in report.items:
        team = kept.get((item.no, item.title), {})
        sheet.append(
            [
                item.no,
                item.title,
                STATUS_LABELS[item.status],
                "\n".join(item.files),
                "\n".join(item.problems),
                team.get("负责人"),
                team.get("完成时间"),
                team.get("备注"),
            ]
        )
        row = sheet.max_row
        for cell in sheet[row]:
            cell.alignment = wrap
            cell.border = border
        sheet.cell(row, 3).fill = PatternFill("solid", fgColor=FILLS[item.status])
        sheet.cell(row, 7).number_format = "yyyy-mm-dd"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(ord("A") + index - 1)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{chr(ord('A') + len(HEADERS) - 1)}{sheet.max_row}"
    # 完成时间 takes dates only, so the column sorts and filters as dates.
    dates = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True)
    dates.error, dates.errorTitle = "请填写日期，如 2026-12-01", "完成时间"
    sheet.add_data_validation(dates)
    dates.add(f"G2:G{max(sheet.max_row, 2)}")


def _summary_sheet(sheet: Any, report: EvidenceCheckReport) -> None:
    bold = Font(bold=True)
    rows: list[tuple[Any, ...]] = [
        ("方案", f"{report.scheme_name}（{report.scheme}）"),
        ("申报单位", report.subject or ""),
        ("检查日", report.as_of),
        ("结论", "材料齐全" if report.complete else "尚未齐全"),
        ("生成时间", dt.datetime.now().replace(microsecond=0)),
        (),
        ("状态", "项数"),
    ]
    rows += [(STATUS_LABELS[s], n) for s, n in report.counts().items()]
    if report.cross_checks:
        rows += [(), ("交叉核对", "位置", "行", "说明")]
        rows += [("错误" if c.severity == "error" else "注意", c.where, c.line, c.message) for c in report.cross_checks]
    if report.unmatched_files:
        rows += [(), ("未归入任何材料项的文件",)] + [("", rel) for rel in report.unmatched_files]
    if report.warnings:
        rows += [(), ("提示",)] + [("", w) for w in report.warnings]
    for row in rows:
        sheet.append(list(row))
        if row and row[0] in ("方案", "状态", "交叉核对", "未归入任何材料项的文件", "提示"):
            sheet.cell(sheet.max_row, 1).font = bold
    sheet.cell(3, 2).number_format = "yyyy-mm-dd"
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["D"].width = 60
