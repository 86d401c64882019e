"""Which sheets, blocks, rows and columns the workbook of a dossier has.

The layout is derived from the scheme and the model: a field is a row when the scheme
uses it (``fields:`` in the scheme data; see :func:`dossier.introspect.field_used`) or
when the dossier already holds a value for it, so nothing a dossier holds is hidden
from the people who fill in the numbers. Every row carries a *key* — the JSON list of
its dossier path (``["years", "*", "output_value"]``, ``*`` standing for the year of
the column) — written into a hidden first column, so the import finds each row's field
wherever the row has moved to.

A sheet is a list of blocks, each opened by a header row whose key is
``#block:<id>``:

* ``fields``   — one value per row (基本信息): 项目 · 填写值 · 单位 · 必填 · 说明
* ``years``    — one column per year of the window (年度数据, 能源消费, 绿色指数)
* ``answers``  — one row per basic condition / indicator / bonus item, verbatim
* ``table``    — one row per item of a list (减排项目, 碳抵消, 认证, 产品); blank rows
  at the end (no key) become new items
* ``computed`` — figures computed by :mod:`dossier.calc`, read-only, with the formula
* ``evidence`` — the checklist, read-only

The sheets themselves are built in :mod:`.sheets`. Export writes the layout; import
reads a workbook against it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..calc.result import Result, fmt, pct
from ..introspect import dig, field_used
from ..model import Dossier
from ..schemes import Scheme
from . import cells
from .cells import Kind
from .fields import Path, description, field_kind, is_optional, split_description

LAYOUT_VERSION = 1
FORMAT_NAME = "dossier-workbook"
META_SHEET = "_dossier"
LISTS_SHEET = "_lists"
KEY_HEADER = "行键"
META_FIELDS = ("格式", "版本", "方案", "方案名称", "申报年度", "申报单位", "导出时间", "dossier.yaml 指纹")
META_TABLE_HEADER = ("工作表", "角色", "行号", KEY_HEADER)


def dossier_fingerprint(file: Any) -> str:
    """The hash of dossier.yaml the workbook records, so an import notices a file changed since."""
    return hashlib.sha256(file.read_bytes()).hexdigest()
YEAR_PLACEHOLDER = "*"
BLANK_TABLE_ROWS = 3


# --- the layout ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    id: str  # an input column: the model field it holds (or "y2024"); else a display id
    header: str
    width: float
    input: bool = False


@dataclass
class Row:
    key: str | None  # None: a blank row of a table, where a new item may be typed
    values: dict[str, Any] = field(default_factory=dict)  # column id → cell value
    kinds: dict[str, Kind] = field(default_factory=dict)  # input cells of this row → kind
    required: set[str] = field(default_factory=set)  # input cells that must be filled
    style: str = "data"  # data | section (a sub-heading) | computed (read-only figures)


@dataclass
class Block:
    id: str
    kind: str  # fields | years | answers | table | computed | evidence
    title: str | None
    columns: list[Column]
    rows: list[Row]
    section: str | None = None  # answers: basic_conditions / indicators / bonus; table: the list path

    def column(self, column_id: str) -> Column | None:
        return next((c for c in self.columns if c.id == column_id), None)


@dataclass
class SheetLayout:
    role: str
    name: str
    title: str
    note: str
    blocks: list[Block]
    landscape: bool = True
    imported: bool = True  # read back by the import (证明材料 is not)


def key_of(path: Iterable[Any]) -> str:
    return json.dumps(list(path), ensure_ascii=False)


def year_column(year: int) -> str:
    return f"y{year}"


def year_header(year: int) -> str:
    return f"{year}年"


# --- helpers ---------------------------------------------------------------------------------


class LayoutContext:
    def __init__(self, dossier: Dossier, scheme: Scheme) -> None:
        self.dossier = dossier
        self.scheme = scheme
        self.fields = scheme.fields
        self.window = dossier.window
        self.data = dossier.model_dump(mode="python")

    def used(self, path: Path) -> bool:
        dotted = ".".join(str(p) for p in path if p != YEAR_PLACEHOLDER)
        return field_used(dotted, self.fields)

    def required(self, path: Path) -> bool:
        """Required as `dossier validate` sees it (dossier/completeness.py)."""
        return bool(self.fields) and self.used(path) and not is_optional(path) and path[-1] != "kind"

    def value(self, path: Path) -> Any:
        return dig(self.data, path)

    def year_values(self, path: Path) -> dict[int, Any]:
        return {y: self.value(at_year(path, y)) for y in self.window}


def at_year(path: Path, year: int) -> Path:
    return tuple(year if p == YEAR_PLACEHOLDER else p for p in path)


def label_of(path: Path) -> tuple[str, str, str]:
    return split_description(description(path))


FIELD_COLUMNS = [
    Column("label", "项目", 30),
    Column("value", "填写值", 40, input=True),
    Column("unit", "单位", 7),
    Column("required", "必填", 5),
    Column("note", "说明", 28),
]


def year_columns(window: list[int], label_width: float = 34, note_width: float = 40) -> list[Column]:
    return [
        Column("label", "项目", label_width),
        Column("unit", "单位", 9),
        *[Column(year_column(y), year_header(y), 13, input=True) for y in window],
        Column("required", "必填", 5),
        Column("note", "说明", note_width),
    ]


def section_row(title: str) -> Row:
    return Row(key=f"#section:{title}", values={"label": title}, style="section")


def field_row(ctx: LayoutContext, path: Path, label_prefix: str = "") -> Row:
    label, unit, note = label_of(path)
    kind = field_kind(path, ctx.scheme)
    if kind.name == "lines":
        note = "；".join(x for x in (note, "每行一项（单元格内换行：Alt+Enter）") if x)
    required = ctx.required(path)
    return Row(
        key=key_of(path),
        values={
            "label": label_prefix + label,
            "value": cells.to_cell(kind, ctx.value(path)),
            "unit": unit,
            "required": "★" if required else "",
            "note": note,
        },
        kinds={"value": kind},
        required={"value"} if required else set(),
    )


def year_row(ctx: LayoutContext, path: Path, label: str | None = None, unit: str | None = None,
              note: str | None = None, kind: Kind | None = None, required: bool | None = None) -> Row:
    d_label, d_unit, d_note = label_of(path)
    kind = kind or field_kind(at_year(path, ctx.window[-1]), ctx.scheme)
    required = ctx.required(path) if required is None else required
    values: dict[str, Any] = {
        "label": label or d_label,
        "unit": d_unit if unit is None else unit,
        "required": "★" if required else "",
        "note": d_note if note is None else note,
    }
    for year, value in ctx.year_values(path).items():
        values[year_column(year)] = cells.to_cell(kind, value)
    columns = [year_column(y) for y in ctx.window]
    return Row(
        key=key_of(path),
        values=values,
        kinds={c: kind for c in columns},
        required=set(columns) if required else set(),
    )


def non_empty(value: Any) -> bool:
    return not cells.is_empty(value) and value != {}


def shown_value(result: Result) -> float | str:
    """A computed figure as the forms print it (fmt: 2 decimals, or 4 significant digits)."""
    if result.value is None:
        return "—"
    return float(pct(result.value).rstrip("%")) if result.unit == "%" else float(fmt(result.value))


def computed_field(key: str, label: str, result: Result) -> Row:
    value = shown_value(result)
    return Row(
        key=f"#computed:{key}",
        values={
            "label": label,
            "value": value,
            "unit": result.unit,
            "note": formula_text(result),
        },
        style="computed",
    )


def formula_text(result: Result) -> str:
    if result.value is None:
        return "无法计算：缺少" + "；".join(result.missing)
    text = result.formula or str(result)
    if result.notes:
        text += "（" + "；".join(result.notes) + "）"
    return text


PRODUCT_CATEGORY = Kind("choice", (("production", "产品"), ("raw_materials", "原材料")))
