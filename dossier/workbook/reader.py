"""Reading the sheets of a filled-in workbook: every input cell, by its row's key.

:class:`Reader` finds each exported sheet (by the marker in its hidden first column,
so a renamed sheet is still found), each block by its header row, each column by its
header text (so an inserted column shifts nothing) and each row by its key (so a
moved row still lands on its field). It turns what it reads into
:class:`~.report.CellChange` records against the dossier's current values, and what it
cannot read into :class:`~.report.Problem` records with the cell address.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import BadInputError
from ..loader import LoadedDossier
from ..introspect import dig
from ..textfold import squash
from . import cells
from .cells import CellError, Kind
from .fields import UnknownPath, component_labels, field_kind, model_of, typed_path
from .layout import (
    FORMAT_NAME, LAYOUT_VERSION, LISTS_SHEET, META_FIELDS, META_SHEET, META_TABLE_HEADER, PRODUCT_CATEGORY,
    YEAR_PLACEHOLDER, Block, Column, Row, SheetLayout,
)
from .report import CellChange, WorkbookImportReport, Problem

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # .xls (Excel 97-2003) and WPS .et files
ANSWER_TITLES = {"basic_conditions": "基本条件", "indicators": "评价指标", "bonus": "加分项"}
MAX_MOVED_SHOWN = 5
FIRST_DATA_COLUMN = 2  # column A holds the keys


# --- opening the workbook --------------------------------------------------------------------


def open_workbook(path: Path, formulas: bool = False) -> Workbook:
    """Load an .xlsx (for its values, or its ``formulas``); anything else is a
    :class:`BadInputError` that says what to do."""
    path = Path(path)
    if not path.is_file():
        raise BadInputError(f"找不到工作簿文件：{path}")
    data = path.read_bytes()
    if data.startswith(OLE_MAGIC) or path.suffix.lower() in (".xls", ".et"):
        raise BadInputError(
            f"{path} 是旧版 Excel 97-2003（.xls）或 WPS（.et）格式，无法导入。"
            "请在 Excel 或 WPS 中打开它，“另存为” Excel 工作簿（*.xlsx）后再导入"
        )
    if not data.startswith(b"PK"):
        raise BadInputError(f"{path} 不是 Excel 工作簿（.xlsx）：请导入由 dossier workbook export 导出并填写的 .xlsx 文件")
    from ..safefile import workbook_problem

    problem = workbook_problem(path)  # bombs, XXE, a cell at XFD1048576: refused before loading
    if problem:
        raise BadInputError(f"{path}：{problem}")
    try:
        # From bytes: openpyxl would otherwise refuse a good workbook for its file name.
        return load_workbook(io.BytesIO(data), data_only=not formulas)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise BadInputError(f"{path} 不是有效的 Excel 工作簿（.xlsx）：文件已损坏或不完整（{type(exc).__name__}）") from exc


@dataclass
class Meta:
    values: dict[str, Any]
    sheets: list[tuple[str, str, bool]]  # (name, role, imported)
    placed: dict[str, dict[str, int]]  # role → key → row at export

    @property
    def scheme(self) -> str:
        return str(self.values.get("方案") or "")


def read_meta(book: Workbook, path: Path) -> Meta:
    if META_SHEET not in book.sheetnames:
        raise BadInputError(
            f"{path} 不是由 dossier 导出的数据填报工作簿（缺少隐藏工作表“{META_SHEET}”）。"
            "请先运行 dossier workbook export 目录 导出工作簿，在其中填写后再导入"
        )
    sheet = book[META_SHEET]
    values = {sheet.cell(row, 1).value: sheet.cell(row, 2).value for row in range(2, 2 + len(META_FIELDS))}
    if values.get("格式") != FORMAT_NAME:
        raise BadInputError(f"{path}：隐藏工作表“{META_SHEET}”已损坏（格式标记不对），无法确认工作簿所属的方案；请重新导出")
    try:
        version = int(values.get("版本"))
    except (TypeError, ValueError):
        version = -1
    if version != LAYOUT_VERSION:
        raise BadInputError(
            f"{path} 的版式版本为 {values.get('版本')}，本程序只能导入版本 {LAYOUT_VERSION}；"
            "请用当前版本的 dossier workbook export 重新导出"
        )
    sheets: list[tuple[str, str, bool]] = []
    placed: dict[str, dict[str, int]] = {}
    row = len(META_FIELDS) + 4
    while sheet.cell(row, 1).value:
        sheets.append((str(sheet.cell(row, 1).value), str(sheet.cell(row, 2).value), sheet.cell(row, 3).value == "导入"))
        row += 1
    while row <= sheet.max_row and tuple(sheet.cell(row, c).value for c in range(1, 5)) != META_TABLE_HEADER:
        row += 1
    for line in range(row + 1, sheet.max_row + 1):
        role, at, key = sheet.cell(line, 2).value, sheet.cell(line, 3).value, sheet.cell(line, 4).value
        if role and key and isinstance(at, int):
            placed.setdefault(str(role), {})[str(key)] = at
    return Meta(values, sheets, placed)


# --- the sheets ------------------------------------------------------------------------------


class Reader:
    def __init__(self, book: Workbook, meta: Meta, layout: list[SheetLayout], loaded: LoadedDossier,
                 report: WorkbookImportReport, formulas: Workbook | None = None) -> None:
        self.book = book
        self.formulas = formulas  # the same workbook opened for its formulas
        self.meta = meta
        self.layout = {s.role: s for s in layout}
        self.loaded = loaded
        self.scheme = loaded.scheme
        self.report = report
        self.values = loaded.dossier.model_dump(mode="python")
        self.moved: list[str] = []

    def read(self) -> None:
        used: set[str] = set()
        for name, role, imported in self.meta.sheets:
            sheet = self._find(name, role)
            if sheet is not None:
                used.add(sheet.title)
            if not imported:
                continue
            if sheet is None:
                self.report.problems.append(
                    Problem(name, "工作表缺失（被删除或改名），其中的内容未导入；dossier.yaml 中相应内容保持不变")
                )
                continue
            if sheet.title != name:
                self.report.notes.append(f"工作表“{name}”已改名为“{sheet.title}”，已按表内标记识别并导入")
            layout = self.layout.get(role)
            if layout is None:
                self.report.notes.append(f"工作表“{name}”对当前档案已不适用，未导入")
                continue
            _SheetReader(self, sheet, layout, name).read()
        for sheet in self.book.worksheets:
            if sheet.title not in used and sheet.title not in (META_SHEET, LISTS_SHEET):
                self.report.notes.append(f"工作表“{sheet.title}”不是导出的工作表，未导入")
        if self.moved:
            shown = "；".join(self.moved[:MAX_MOVED_SHOWN]) + ("……" if len(self.moved) > MAX_MOVED_SHOWN else "")
            self.report.notes.append(f"{len(self.moved)} 行被移动过位置，已按隐藏的行键识别：{shown}")

    def _find(self, name: str, role: str) -> Worksheet | None:
        marker = f"sheet:{role}"
        for sheet in self.book.worksheets:
            if _marker(sheet) == marker:
                return sheet
        if name in self.book.sheetnames and isinstance(self.book[name], Worksheet):
            return self.book[name]
        return None

    def current(self, path: tuple[Any, ...]) -> Any:
        return dig(self.values, path)


def _marker(sheet: Worksheet) -> str | None:
    for row in range(1, 4):
        for column in range(1, 4):
            value = sheet.cell(row, column).value
            if isinstance(value, str) and value.startswith("sheet:"):
                return value
    return None


def _moved(seen: dict[str, int], placed: dict[str, int]) -> list[str]:
    """The keys of the rows that were moved, not merely shifted by rows inserted or deleted.

    Taken in sheet order, the rows still in their exported order form the longest
    increasing run of export row numbers; the rows outside that run are the moved ones.
    """
    order = sorted((row, placed[key], key) for key, row in seen.items() if key in placed)
    tails: list[int] = []  # patience sorting: for each run length, the index of its smallest end
    parent = [-1] * len(order)
    for index, (_, exported, _) in enumerate(order):
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if order[tails[middle]][1] < exported:
                low = middle + 1
            else:
                high = middle
        parent[index] = tails[low - 1] if low else -1
        if low == len(tails):
            tails.append(index)
        else:
            tails[low] = index
    keep: set[int] = set()
    index = tails[-1] if tails else -1
    while index >= 0:
        keep.add(index)
        index = parent[index]
    return [key for i, (_, _, key) in enumerate(order) if i not in keep]


@dataclass
class _Header:
    block: Block
    row: int
    columns: dict[int, Column] = field(default_factory=dict)  # sheet column → layout column
    unknown: dict[int, str] = field(default_factory=dict)  # sheet column → header text ("" when blank)
    reported: set[int] = field(default_factory=set)


class _SheetReader:
    def __init__(self, reader: "Reader", sheet: Worksheet, layout: SheetLayout, exported_name: str) -> None:
        self.r = reader
        self.sheet = sheet
        self.layout = layout
        self.name = sheet.title
        self.report = reader.report
        self.merged: set[str] = set()
        self.key_column = 1
        self.rows_by_key = {b.id: {row.key: row for row in b.rows if row.key} for b in layout.blocks}
        self.blocks = {b.id: b for b in layout.blocks}
        self.placed = reader.meta.placed.get(layout.role, {})
        self.formulas = reader.formulas[sheet.title] if reader.formulas is not None else None
        self.seen: dict[str, int] = {}

    def value(self, row: int, column: int) -> Any:
        """A cell's value; a formula without a computed result cannot be read.

        The workbook is opened for values (what Excel and WPS computed when they saved
        it); a formula typed by a program that does not compute, or in a file never
        saved since, has none — and must not read as an empty cell that clears a field.
        """
        value = self.sheet.cell(row, column).value
        if value is None and self.formulas is not None:
            formula = self.formulas.cell(row, column).value
            if isinstance(formula, str) and formula.startswith("="):
                raise CellError(f"公式“{formula}”没有计算结果：请在 Excel 或 WPS 中打开并保存后再导入，或直接填写数值")
        return value

    def filled(self, row: int, column: int) -> bool:
        try:
            return not cells.is_empty(self.value(row, column))
        except CellError:
            return True

    def where(self, row: int, column: int) -> str:
        return f"{self.name}!{get_column_letter(column)}{row}"

    def problem(self, where: str, message: str) -> None:
        self.report.problems.append(Problem(where, message))

    # -- the sheet ---------------------------------------------------------------------------
    def read(self) -> None:
        sheet = self.sheet
        for merged in sheet.merged_cells.ranges:
            self.problem(f"{self.name}!{merged.coord}", "合并了单元格，无法逐格读取；该区域的内容未导入，请取消合并后重新导入")
            for row in range(merged.min_row, merged.max_row + 1):
                for column in range(merged.min_col, merged.max_col + 1):
                    self.merged.add(f"{get_column_letter(column)}{row}")
        self.key_column = self._key_column()
        header: _Header | None = None
        for row in range(1, sheet.max_row + 1):
            key = sheet.cell(row, self.key_column).value
            key = key.strip() if isinstance(key, str) else key
            if isinstance(key, str) and key.startswith("#block:"):
                header = self._header(key.removeprefix("#block:"), row)
                continue
            if header is None or isinstance(key, str) and key.startswith("#"):
                continue
            self._extra_cells(header, row)
            if key in (None, ""):
                self._keyless(header, row)
            else:
                self._keyed(header, row, str(key))
        for key in _moved(self.seen, self.placed):
            self.r.moved.append(f"{self.name} 第 {self.placed[key]} 行“{self._describe_key(key)}” → 第 {self.seen[key]} 行")
        for key, at in self.placed.items():
            if key not in self.seen and any(key in rows for rows in self.rows_by_key.values()):
                self.report.notes.append(
                    f"{self.name}：导出时第 {at} 行（{self._describe_key(key)}）已被删除；dossier.yaml 中该项保持不变"
                )

    def _key_column(self) -> int:
        for row in range(1, 4):
            for column in range(1, 4):
                value = self.sheet.cell(row, column).value
                if isinstance(value, str) and value.startswith("sheet:"):
                    return column
        return 1

    def _describe_key(self, key: str) -> str:
        for rows in self.rows_by_key.values():
            row = rows.get(key)
            if row is not None:
                label = row.values.get("label") or row.values.get("id") or row.values.get("name")
                if label:
                    return str(label)
        return key

    def _header(self, block_id: str, row: int) -> _Header | None:
        block = self.blocks.get(block_id)
        if block is None:
            self.problem(self.where(row, self.key_column), f"无法识别的表格（{block_id}），其下各行未导入")
            return None
        header = _Header(block, row)
        expected = {squash(c.header): c for c in block.columns}
        found: set[str] = set()
        for column in range(1, self.sheet.max_column + 1):
            if column == self.key_column:
                continue
            text = squash(self.sheet.cell(row, column).value)
            if text in expected and text not in found:
                header.columns[column] = expected[text]
                found.add(text)
            else:
                header.unknown[column] = str(self.sheet.cell(row, column).value or "")
        for text, column_spec in expected.items():
            if text not in found and column_spec.input:
                self.problem(self.where(row, self.key_column + 1),
                             f"缺少列“{column_spec.header}”（被删除或改名），该列的内容未导入")
        for column, text in header.unknown.items():
            if text.strip():
                header.reported.add(column)
                self.problem(self.where(row, column), f"多出的列“{text.strip()}”（不是导出时的列），其中的内容未导入")
        return header

    def _extra_cells(self, header: _Header, row: int) -> None:
        """Content under a column without a header: an inserted column."""
        for column in header.unknown:
            if column in header.reported:
                continue
            if not cells.is_empty(self.sheet.cell(row, column).value):
                header.reported.add(column)
                self.problem(self.where(header.row, column),
                             f"多出的列（没有列名，如第 {row} 行有内容），其中的内容未导入")

    def _cell(self, row: int, column_id: str, header: _Header) -> tuple[int, Any] | None:
        for column, spec in header.columns.items():
            if spec.id == column_id:
                coordinate = f"{get_column_letter(column)}{row}"
                if coordinate in self.merged:
                    return None
                return column, self.sheet.cell(row, column).value
        return None

    def _label(self, row: int, header: _Header, spec: Row | None) -> str:
        found = self._cell(row, "label", header) or self._cell(row, "id", header)
        if found and not cells.is_empty(found[1]):
            return " ".join(str(found[1]).split())
        if spec is not None:
            return str(spec.values.get("label") or spec.values.get("id") or spec.key)
        return ""

    # -- rows ----------------------------------------------------------------------------
    def _keyed(self, header: _Header, row: int, key: str) -> None:
        block = header.block
        if key in self.seen:
            self.problem(self.where(row, self.key_column + 1),
                         f"与第 {self.seen[key]} 行重复（复制的行？），未导入；新增项目请填在表格末尾的空行")
            return
        spec = self.rows_by_key[block.id].get(key)
        if spec is None and key not in self.placed:
            self.problem(self.where(row, self.key_column + 1), "无法识别的行（行键不属于本表），未导入")
            return
        self.seen[key] = row
        try:
            path = json.loads(key)
        except ValueError:
            self.problem(self.where(row, self.key_column), "行键已损坏，该行未导入")
            return
        if block.id == "products":
            self._product_row(header, row, path, spec)
            return
        for column, column_spec in header.columns.items():
            if not column_spec.input:
                continue
            if spec is not None and column_spec.id not in spec.kinds:
                continue  # a grey (read-only) cell of this row
            self._read_cell(header, row, column, column_spec, path, spec)

    def _target(self, block: Block, path: list[Any], column_id: str) -> tuple[tuple[Any, ...], Kind]:
        if block.kind == "years":
            year = int(column_id.removeprefix("y"))
            full = typed_path([year if p == YEAR_PLACEHOLDER else p for p in path])
        elif block.kind == "fields":
            full = typed_path(path)
        else:  # answers, table
            full = typed_path([*path, column_id])
        return full, field_kind(full, self.r.scheme)

    def _read_cell(self, header: _Header, row: int, column: int, column_spec: Column, path: list[Any],
                   spec: Row | None) -> None:
        coordinate = f"{get_column_letter(column)}{row}"
        if coordinate in self.merged:
            return
        where = f"{self.name}!{coordinate}"
        block = header.block
        try:
            target, kind = self._target(block, path, column_spec.id)
        except (UnknownPath, ValueError):
            self.problem(where, "无法识别的行（行键不对应 dossier.yaml 的字段），未导入")
            return
        if spec is not None and column_spec.id in spec.kinds:
            kind = spec.kinds[column_spec.id]
        try:
            new = cells.from_cell(kind, self.value(row, column))
        except CellError as exc:
            self.problem(where, str(exc))
            return
        self.report.cells_read += 1
        if column_spec.id == "components" and block.kind == "answers" and new:
            labels = component_labels(self.r.scheme, str(path[-1]))
            wrong = [n for n in new if labels and n not in labels]
            if wrong:
                self.problem(where, f"分项“{wrong[0]}”不在该项的分项中（{'、'.join(labels)}）")
                return
        old = self.r.current(target)
        if cells.same(kind, new, old):
            return
        self.report.changes.append(CellChange(where, self._change_label(header, row, spec, column_spec, path), target, kind, old, new))

    def _change_label(self, header: _Header, row: int, spec: Row | None, column: Column, path: list[Any]) -> str:
        block = header.block
        label = self._label(row, header, spec)
        if block.kind == "fields":
            return label
        if block.kind == "years":
            return f"{column.header} {label}"
        if block.kind == "answers":
            who = "第三方评价 " if path[0] == "evaluator" else ""
            return f"{who}{ANSWER_TITLES.get(str(path[-2]), '')} {path[-1]} {column.header}"
        name = self._cell(row, "name", header) or self._cell(row, "type", header) or self._cell(row, "kind", header)
        what = f"“{name[1]}”" if name and not cells.is_empty(name[1]) else f"第 {int(path[-1]) + 1} 项"
        return f"{block.title}{what}·{column.header}"

    # -- new items ---------------------------------------------------------------------------
    def _keyless(self, header: _Header, row: int) -> None:
        block = header.block
        filled = [(column, spec) for column, spec in header.columns.items()
                  if spec.input and self.filled(row, column)
                  and f"{get_column_letter(column)}{row}" not in self.merged]
        if not filled:
            return
        if block.kind != "table":
            self.problem(self.where(row, filled[0][0]), "这一行不是导出的行（没有行键），未导入；请在导出的行中填写")
            return
        if block.id == "products":
            self._new_product(header, row)
            return
        list_path = typed_path(json.loads(block.section or "[]"))
        item: dict[str, tuple[Kind, Any]] = {}
        ok = True
        for column, spec in header.columns.items():
            if not spec.input:
                continue
            kind = field_kind((*list_path, 0, spec.id), self.r.scheme)
            try:
                item[spec.id] = (kind, cells.from_cell(kind, self.value(row, column)))
            except CellError as exc:
                self.problem(self.where(row, column), str(exc))
                ok = False
        ok = ok and self._required_present(header, row, block, item, list_path)
        if ok:
            self._append(header, row, list_path, item)

    def _required_present(self, header: _Header, row: int, block: Block, item: dict[str, tuple[Kind, Any]],
                          list_path: tuple[Any, ...]) -> bool:
        model = model_of((*list_path, 0))
        missing = [c for c in block.columns
                   if c.input and model is not None and c.id in model.model_fields
                   and model.model_fields[c.id].is_required() and cells.is_empty(item.get(c.id, (None, None))[1])]
        if missing:
            self.problem(self.where(row, FIRST_DATA_COLUMN),
                         f"新增的一行缺少“{'”“'.join(c.header for c in missing)}”，该行未导入")
            return False
        return True

    def _append(self, header: _Header, row: int, list_path: tuple[Any, ...], item: dict[str, tuple[Kind, Any]]) -> None:
        block = header.block
        name = next((str(v) for k, (_, v) in item.items() if k in ("name", "type", "kind") and not cells.is_empty(v)), "")
        self.report.changes.append(CellChange(
            self.where(row, FIRST_DATA_COLUMN), f"{block.title}“{name}”（第 {row} 行）", list_path, None, None, None,
            action="append", item=item,
        ))

    # -- 产品与原材料 --------------------------------------------------------------------------
    def _product_row(self, header: _Header, row: int, path: list[Any], spec: Row | None) -> None:
        try:
            base = typed_path(path)  # ("years", 2024, "production", 0)
        except UnknownPath:
            self.problem(self.where(row, self.key_column), "行键已损坏，该行未导入")
            return
        for column_id, expected in (("year", base[1]), ("category", base[2])):
            found = self._cell(row, column_id, header)
            if found is None:
                continue
            kind = spec.kinds[column_id] if spec else PRODUCT_CATEGORY
            try:
                value = cells.from_cell(kind, found[1])
            except CellError:
                value = None
            if value != expected:
                self.problem(self.where(row, found[0]),
                             "已有行的年度和类别不能修改，该格未导入；如需移到别的年度，请在末尾空行新增一行")
        for column, column_spec in header.columns.items():
            if column_spec.id in ("year", "category") or not column_spec.input:
                continue
            if column_spec.id == "green_amount" and base[2] != "raw_materials":
                if not cells.is_empty(self.sheet.cell(row, column).value):
                    self.problem(self.where(row, column), "“其中绿色物料用量”只适用于原材料，该格未导入")
                continue
            self._read_cell(header, row, column, column_spec, [*base], spec)

    def _new_product(self, header: _Header, row: int) -> None:
        values: dict[str, Any] = {}
        kinds = {"year": Kind("choice", tuple((y, str(y)) for y in self.r.loaded.dossier.window)),
                 "category": PRODUCT_CATEGORY, "name": cells.TEXT, "unit": cells.TEXT,
                 "amount": cells.NUMBER, "green_amount": cells.NUMBER}
        ok = True
        for column, spec in header.columns.items():
            if spec.id in kinds:
                try:
                    values[spec.id] = cells.from_cell(kinds[spec.id], self.value(row, column))
                except CellError as exc:
                    self.problem(self.where(row, column), str(exc))
                    ok = False
        if not ok:
            return
        missing = [spec.header for spec in header.block.columns
                   if spec.id in ("year", "category", "name", "unit", "amount") and cells.is_empty(values.get(spec.id))]
        if missing:
            self.problem(self.where(row, FIRST_DATA_COLUMN), f"新增的一行缺少“{'”“'.join(missing)}”，该行未导入")
            return
        list_path = ("years", values["year"], values["category"])
        names = ["name", "unit", "amount"] + (["green_amount"] if values["category"] == "raw_materials" else [])
        item = {n: (kinds[n], values.get(n)) for n in names}
        label = "主要产品" if values["category"] == "production" else "主要原材料"
        self.report.changes.append(CellChange(
            self.where(row, FIRST_DATA_COLUMN), f"{values['year']}年{label}“{values['name']}”（第 {row} 行）", list_path,
            None, None, None, action="append", item=item,
        ))

