"""``dossier workbook export``: the data-entry workbook of a dossier.

One sheet per part of the dossier the scheme uses (:mod:`.sheets`), filled with what
the dossier holds. Input cells carry data validation (numbers, dates, drop-downs from
a hidden list sheet, points 0–max); required cells are yellow, read-only cells grey.
Every sheet prints on A4, fitted to the page width, its title and header rows
repeated on each page. A hidden sheet ``_dossier`` records the scheme, the layout
version and the row of every key, so the import recognises the workbook, refuses
one of another scheme and notices rows that were moved.
"""

from __future__ import annotations

from ..render.xlsx_safe import set_cell

import datetime as dt
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..evidence_check import check_dossier
from ..termtext import display_width
from ..evidence_check_xlsx import FILLS
from ..errors import BadInputError
from ..fileio import save_workbook
from ..loader import LoadedDossier, load_dossier
from . import cells
from .cells import Kind
from .importer import import_workbook
from .layout import (
    FORMAT_NAME, LAYOUT_VERSION, LISTS_SHEET, META_FIELDS, META_SHEET, META_TABLE_HEADER, Block, Row,
    SheetLayout, dossier_fingerprint,
)
from .sheets import build_layout, rule_hint

FONT_NAME = "宋体"  # what Chinese forms use; LibreOffice substitutes a CJK serif where absent
BODY = Font(name=FONT_NAME, size=10)
BOLD = Font(name=FONT_NAME, size=10, bold=True)
TITLE = Font(name="黑体", size=14, bold=True)
NOTE = Font(name=FONT_NAME, size=9, color="595959")
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
SECTION_FILL = PatternFill("solid", fgColor="E7E6E6")
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")  # yellow: must be filled
READONLY_FILL = PatternFill("solid", fgColor="F2F2F2")  # grey: not read back
_THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
FIRST_COLUMN = 2  # column A holds the hidden row keys
LINE_HEIGHT = 13.5  # points per line of 10-point text


@dataclass
class ExportResult:
    path: Path
    sheets: list[tuple[str, int]]  # (sheet name, rows of data)
    as_of: dt.date


def default_path(loaded: LoadedDossier) -> Path:
    from ..names import shorten
    from ..package.build import safe_name

    name = loaded.dossier.subject.name or loaded.directory.resolve().name
    return loaded.directory / f"{shorten(safe_name(name))}-数据填报.xlsx"


def export_workbook(directory: Path, out: Path | None = None, on: dt.date | None = None,
                    force: bool = False) -> ExportResult:
    """Write the workbook of the dossier in ``directory`` (default: ``<企业名称>-数据填报.xlsx`` beside it).

    An existing workbook is replaced only when it holds nothing that is not yet in
    dossier.yaml (or with ``force``): a filled-in workbook is somebody's work.
    """
    loaded = load_dossier(directory)
    target = Path(out) if out else default_path(loaded)
    if target.suffix.lower() != ".xlsx":
        raise BadInputError(f"输出文件应为 .xlsx（Excel 工作簿），实际为 {target.name}")
    if target.exists() and not force:
        _refuse_to_overwrite(directory, target)
    as_of = on or loaded.dossier.submission_date or dt.date.today()
    report = check_dossier(loaded, as_of)
    layout = build_layout(loaded.dossier, loaded.scheme, report)
    workbook = write_layout(layout, loaded)
    save_workbook(workbook, target)
    sizes = [(s.name, sum(len(b.rows) for b in s.blocks)) for s in layout]
    return ExportResult(target, sizes, as_of)


def _refuse_to_overwrite(directory: Path, target: Path) -> None:
    try:
        pending = import_workbook(directory, target, dry_run=True)
    except BadInputError as exc:
        raise BadInputError(f"{target} 已存在，且不是本档案导出的工作簿（{exc}）。为免覆盖，请用 --out 换一个文件名") from exc
    unread = len(pending.changes) + len(pending.problems)
    if unread:
        raise BadInputError(
            f"{target} 已存在，其中有 {unread} 处内容与 dossier.yaml 不同（尚未导入？）。"
            f"请先导入（dossier workbook import {directory} {target} --dry-run 查看），"
            "或用 --out 另存为新文件，或加 --force 覆盖"
        )


def write_layout(layout: list[SheetLayout], loaded: LoadedDossier) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    lists = _Lists(workbook)
    placed: list[tuple[str, str, int, str]] = []  # (sheet, role, row, key)
    for sheet_layout in layout:
        sheet = workbook.create_sheet(sheet_layout.name)
        _Writer(sheet, sheet_layout, lists, loaded).write(placed)
    _meta_sheet(workbook.create_sheet(META_SHEET), layout, loaded, placed)
    lists.sheet.sheet_state = "hidden"
    workbook.move_sheet(lists.sheet, offset=len(workbook.sheetnames))
    workbook.active = 0
    workbook.properties.creator = "dossier"
    workbook.properties.title = f"{loaded.scheme.name} 数据填报"
    return workbook


class _Lists:
    """Drop-down choices, one column each, on a hidden sheet (a list typed into the
    validation itself is limited to 255 characters and breaks on commas)."""

    def __init__(self, workbook: Workbook) -> None:
        self.sheet = workbook.create_sheet(LISTS_SHEET)
        self.ranges: dict[tuple[str, ...], str] = {}

    def range_of(self, labels: list[str]) -> str:
        key = tuple(labels)
        if key not in self.ranges:
            column = get_column_letter(len(self.ranges) + 1)
            for index, label in enumerate(labels, start=1):
                self.sheet[f"{column}{index}"] = label
            self.ranges[key] = f"{LISTS_SHEET}!${column}$1:${column}${len(labels)}"
        return self.ranges[key]


class _Writer:
    def __init__(self, sheet: Worksheet, layout: SheetLayout, lists: _Lists, loaded: LoadedDossier) -> None:
        self.sheet = sheet
        self.layout = layout
        self.lists = lists
        self.loaded = loaded
        self.validations: dict[tuple[Any, ...], DataValidation] = {}
        self.widths: dict[int, float] = {}
        self.row = 1

    # -- the sheet ---------------------------------------------------------------------------
    def write(self, placed: list[tuple[str, str, int, str]]) -> None:
        sheet, layout = self.sheet, self.layout
        sheet["A1"] = f"sheet:{layout.role}"
        title = sheet.cell(1, FIRST_COLUMN, layout.title)
        title.font = TITLE
        note = sheet.cell(2, FIRST_COLUMN, layout.note)
        note.font = NOTE
        self.row = 4
        header_rows = []
        for block in layout.blocks:
            if block.title:
                sheet.cell(self.row, 1, f"#title:{block.id}")
                sheet.cell(self.row, FIRST_COLUMN, block.title).font = BOLD
                self.row += 1
            header_rows.append(self.row)
            self._header(block)
            self.row += 1
            for row in block.rows:
                self._row(block, row)
                if row.key and not row.key.startswith("#"):
                    placed.append((sheet.title, layout.role, self.row, row.key))
                self._height(block)
                self.row += 1
            self.row += 1
        sheet.column_dimensions["A"].hidden = True
        for column, width in self.widths.items():
            sheet.column_dimensions[get_column_letter(column)].width = width
        for validation in self.validations.values():
            sheet.add_data_validation(validation)
        same_headers = len({tuple(c.header for c in b.columns) for b in layout.blocks}) == 1
        repeat_to = header_rows[0] if same_headers else 2
        sheet.freeze_panes = sheet.cell(header_rows[0] + 1, FIRST_COLUMN + 1) if same_headers else None
        self._print_setup(repeat_to)

    def _header(self, block: Block) -> None:
        self.sheet.cell(self.row, 1, f"#block:{block.id}")
        for offset, column in enumerate(block.columns):
            cell = self.sheet.cell(self.row, FIRST_COLUMN + offset, column.header)
            cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, BORDER, CENTER
            index = FIRST_COLUMN + offset
            self.widths[index] = max(self.widths.get(index, 0), column.width)
        self._height(block, minimum=2 if any(len(c.header) > c.width / 2 for c in block.columns) else 1)

    def _row(self, block: Block, row: Row) -> None:
        sheet = self.sheet
        if row.key:
            _put(sheet.cell(self.row, 1), row.key)
        for offset, column in enumerate(block.columns):
            cell = sheet.cell(self.row, FIRST_COLUMN + offset)
            value = row.values.get(column.id)
            kind = row.kinds.get(column.id) if column.input else None
            if row.style == "section":
                cell.fill, cell.font, cell.border = SECTION_FILL, BOLD, BORDER
                if offset == 0:
                    cell.value = value
                continue
            if value is not None:
                _put(cell, value)
            cell.font, cell.border, cell.alignment = BODY, BORDER, WRAP_TOP
            if kind is None:
                cell.fill = READONLY_FILL
                if block.kind == "evidence" and column.id == "status":
                    cell.fill = PatternFill("solid", fgColor=FILLS.get(row.values.get("_status", ""), "FFFFFF"))
                continue
            if column.id in row.required:
                cell.fill = REQUIRED_FILL
            fmt = cells.number_format(kind)
            if fmt:
                cell.number_format = fmt
            self._validate(cell.coordinate, kind, block, row, column.id)

    def _height(self, block: Block, minimum: int = 1) -> None:
        """Set the row's height to fit its wrapped text.

        Neither LibreOffice nor Excel grows a row to its wrapped text when it opens a
        generated file, and a cut-off statement is worse on paper than on screen; so
        the height is estimated here (a CJK character is two width units of a column).
        """
        lines = minimum
        for offset, column in enumerate(block.columns):
            value = self.sheet.cell(self.row, FIRST_COLUMN + offset).value
            if value is None:
                continue
            capacity = max(column.width * 1.1 - 1, 2.0)  # width units a line holds (measured in LibreOffice)
            text = cells.shown(value) if not isinstance(value, str) else value
            lines = max(lines, sum(max(1, math.ceil(display_width(part) / capacity)) for part in text.split("\n")))
        self.sheet.row_dimensions[self.row].height = min(409, LINE_HEIGHT * lines + 3)

    # -- data validation ---------------------------------------------------------------------
    def _validate(self, coordinate: str, kind: Kind, block: Block, row: Row, column_id: str) -> None:
        signature: tuple[Any, ...]
        if kind.name in ("choice", "bool"):
            signature = ("list", tuple(kind.labels))
        elif kind.name in ("number", "int"):
            signature = (kind.name, kind.minimum, kind.maximum)
        elif kind.name == "date":
            signature = ("date",)
        elif column_id in ("option", "components", "count") and block.kind == "answers":
            signature = ("hint", row.key)
        else:
            return
        validation = self.validations.get(signature)
        if validation is None:
            validation = self._make(signature, kind, block, row, column_id)
            if validation is None:
                return
            self.validations[signature] = validation
        validation.add(coordinate)

    def _make(self, signature: tuple[Any, ...], kind: Kind, block: Block, row: Row, column_id: str) -> DataValidation | None:
        what = signature[0]
        if what == "list":
            dv = DataValidation(type="list", formula1=self.lists.range_of(kind.labels), allow_blank=True)
            dv.error = "请从下拉列表中选择：" + "、".join(kind.labels)
            dv.errorTitle = "不在选项中"
        elif what in ("number", "int"):
            low = cells.NUMBER_LIMIT * -1 if kind.minimum is None else kind.minimum
            high = cells.NUMBER_LIMIT if kind.maximum is None else kind.maximum
            dv = DataValidation(type="decimal" if what == "number" else "whole", operator="between",
                                formula1=_num(low), formula2=_num(high), allow_blank=True)
            dv.errorTitle = "应为数字" if what == "number" else "应为整数"
            dv.error = "请只填写数字，不带单位和文字"
            if kind.minimum is not None or kind.maximum is not None:
                dv.error += f"；范围 {_bounds(kind)}"
        elif what == "date":
            dv = DataValidation(type="date", operator="between", formula1="DATE(1900,1,1)", formula2="DATE(2100,12,31)",
                                allow_blank=True)
            dv.errorTitle, dv.error = "应为日期", "请填写日期，如 2025-03-01"
        else:  # a prompt only: which options / components the row's rule reads
            hint = self._hint(row, column_id)
            if not hint:
                return None
            dv = DataValidation(allow_blank=True, showErrorMessage=False)
            dv.promptTitle, dv.prompt = "填写说明", hint[:250]
            dv.showInputMessage = True
            return dv
        dv.showErrorMessage = True
        dv.errorStyle = "stop"
        return dv

    def _hint(self, row: Row, column_id: str) -> str | None:
        row_id = json.loads(row.key or '["", ""]')[-1]
        try:
            return rule_hint(self.loaded.scheme.indicator(row_id))
        except KeyError:
            return None

    # -- print -------------------------------------------------------------------------------
    def _print_setup(self, repeat_to: int) -> None:
        sheet = self.sheet
        setup = sheet.page_setup
        setup.paperSize = sheet.PAPERSIZE_A4
        setup.orientation = "landscape" if self.layout.landscape else "portrait"
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.print_title_rows = f"1:{repeat_to}"
        sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.25, footer=0.3)
        sheet.print_options.horizontalCentered = True
        sheet.oddFooter.center.text = "&A　第 &P 页，共 &N 页"
        sheet.oddFooter.center.size = 9
        last_column = get_column_letter(max(self.widths) if self.widths else FIRST_COLUMN)
        sheet.print_area = f"B1:{last_column}{max(self.row - 1, 1)}"


def _put(cell: Any, value: Any) -> None:
    set_cell(cell, value)  # text that begins with "=" is text, not a formula


def _num(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else f"{value:.0f}"


def _bounds(kind: Kind) -> str:
    if kind.minimum is not None and kind.maximum is not None:
        return f"{kind.minimum:g}–{kind.maximum:g}"
    if kind.minimum is not None:
        return f"不小于 {kind.minimum:g}"
    return f"不大于 {kind.maximum:g}"


def _meta_sheet(sheet: Worksheet, layout: list[SheetLayout], loaded: LoadedDossier, placed: list[tuple[str, str, int, str]]) -> None:
    """The hidden sheet the import reads first: who the workbook belongs to, and where every row was."""
    d, scheme = loaded.dossier, loaded.scheme
    values = (FORMAT_NAME, LAYOUT_VERSION, scheme.id, scheme.name, d.reporting_year, d.subject.name or "",
              dt.datetime.now().replace(microsecond=0).isoformat(), dossier_fingerprint(loaded.file))
    sheet["A1"] = "dossier 工作簿信息（导入时读取，请勿修改）"
    for index, (name, value) in enumerate(zip(META_FIELDS, values), start=2):
        sheet.cell(index, 1, name)
        sheet.cell(index, 2, value)
    row = len(META_FIELDS) + 3
    sheet.cell(row, 1, "工作表清单")
    for sheet_layout in layout:
        row += 1
        sheet.cell(row, 1, sheet_layout.name)
        sheet.cell(row, 2, sheet_layout.role)
        sheet.cell(row, 3, "导入" if sheet_layout.imported else "不导入")
    row += 2
    for offset, header in enumerate(META_TABLE_HEADER, start=1):
        sheet.cell(row, offset, header)
    for name, role, line, key in placed:
        row += 1
        sheet.cell(row, 1, name)
        sheet.cell(row, 2, role)
        sheet.cell(row, 3, line)
        sheet.cell(row, 4, key)
    sheet.sheet_state = "hidden"
