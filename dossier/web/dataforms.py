"""The data-entry forms of a dossier's page (基本信息 / 年度数据 / 自评).

They are the data-entry workbook's layout (:func:`dossier.workbook.sheets.build_layout`)
shown as HTML: the same rows from the model's Chinese field descriptions and the
scheme's rows, the same kinds (drop-downs for 符合/部分符合/不符合/不适用, points bounded
by each row's maximum, year columns), read back with the same cell rules. A submitted
form is written through :mod:`dossier.edit` as the user's own edit, from the version the
page showed (another tab's save in between is a conflict, nothing is lost).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .. import edit
from ..loader import LoadedDossier
from ..workbook.cells import CellError, from_cell, is_empty, same, to_cell
from ..workbook.fields import UnknownPath, field_kind, model_of, typed_path
from ..workbook.layout import YEAR_PLACEHOLDER, Block, Column, Row, SheetLayout
from ..workbook.sheets import build_layout

TABS: dict[str, tuple[str, tuple[str, ...]]] = {
    "basic": ("基本信息", ("basic", "credentials")),
    "years": ("年度数据", ("yearly", "energy", "products", "green_index", "carbon")),
    "self": ("自评", ("basic_conditions", "indicators", "bonus")),
}
SEP = "|"


@dataclass
class Cell:
    name: str           # the form field's name: row key | column id
    kind: str
    value: str
    choices: list[tuple[str, str]] = field(default_factory=list)
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False
    error: str = ""


def sheets_for(loaded: LoadedDossier, tab: str) -> list[SheetLayout]:
    roles = TABS[tab][1]
    return [s for s in build_layout(loaded.dossier, loaded.scheme, None) if s.role in roles]


NEW = "#new:"  # the name of an input of a blank table row: #new:<block id>:<row>|<column>


def cell_name(row: Row, column: Column, block: Block | None = None, index: int = 0) -> str:
    if row.key is None:
        return f"{NEW}{block.id if block else ''}:{index}{SEP}{column.id}"
    return f"{row.key}{SEP}{column.id}"


def addable(block: Block) -> bool:
    """Blank rows of this block add a new item (a certificate, a project, an offset)."""
    return block.kind == "table" and block.id != "products" and bool(block.section)


def cell(row: Row, column: Column, submitted: dict[str, str] | None = None, errors: dict[str, str] | None = None,
         block: Block | None = None, index: int = 0) -> Cell:
    kind = row.kinds[column.id]
    name = cell_name(row, column, block, index)
    value = row.values.get(column.id)
    if submitted is not None and name in submitted:
        text = submitted[name]
    elif value is None:
        text = ""
    elif kind.name == "bool" or kind.name == "choice":
        text = next((label for stored, label in kind.choices if stored == value or label == value), str(value))
    else:
        text = str(to_cell(kind, value)) if not isinstance(value, str) else value
        if hasattr(value, "isoformat"):
            text = value.isoformat()[:10]
    return Cell(name, kind.name, text, [(label, label) for _, label in kind.choices], kind.minimum, kind.maximum,
                column.id in row.required, (errors or {}).get(name, ""))


def target(block: Block, key: str, column_id: str, scheme) -> tuple[tuple[Any, ...], Any]:
    """The dossier path and kind of one input, as the workbook import reads it."""
    path = json.loads(key)
    if block.kind == "years":
        full = typed_path([int(column_id.removeprefix("y")) if p == YEAR_PLACEHOLDER else p for p in path])
    elif block.kind == "fields":
        full = typed_path(path)
    else:
        full = typed_path([*path, column_id])
    return full, field_kind(full, scheme)


@dataclass
class Parsed:
    changes: list[tuple[tuple[Any, ...], Any, str]] = field(default_factory=list)  # path, value, label
    appends: list[tuple[tuple[Any, ...], dict[str, Any], str]] = field(default_factory=list)  # list path, item, label
    errors: dict[str, str] = field(default_factory=dict)  # form field → message


def _new_item(loaded: LoadedDossier, block: Block, row: Row, index: int, form: dict[str, str], out: Parsed) -> None:
    list_path = typed_path(json.loads(block.section))
    names = {c.id: cell_name(row, c, block, index) for c in block.columns if c.input and c.id in row.kinds}
    if not any(form.get(n, "").strip() for n in names.values()):
        return
    item: dict[str, Any] = {}
    for column_id, name in names.items():
        kind = row.kinds[column_id]
        try:
            item[column_id] = from_cell(kind, form.get(name, ""))
        except CellError as exc:
            out.errors[name] = str(exc)
    model = model_of((*list_path, 0))
    missing = [c for c in block.columns if c.id in names and model is not None and c.id in model.model_fields
               and model.model_fields[c.id].is_required() and is_empty(item.get(c.id))]
    if missing:
        out.errors[names[missing[0].id]] = f"新增的一行缺少“{'”“'.join(c.header for c in missing)}”"
        return
    label = next((str(v) for k, v in item.items() if k in ("name", "type", "kind") and not is_empty(v)), "")
    out.appends.append((list_path, {k: v for k, v in item.items() if not is_empty(v)}, f"{block.title}“{label}”"))


def parse(loaded: LoadedDossier, tab: str, form: dict[str, str]) -> Parsed:
    """The edits a submitted tab asks for: only inputs whose value differs from the dossier's."""
    out = Parsed()
    for sheet in sheets_for(loaded, tab):
        for block in sheet.blocks:
            for index, row in enumerate(block.rows):
                if row.key is None and addable(block) and row.kinds:
                    _new_item(loaded, block, row, index, form, out)
                    continue
                if row.key is None or row.key.startswith("#") or not row.kinds:
                    continue
                for column in block.columns:
                    if not column.input or column.id not in row.kinds:
                        continue
                    name = cell_name(row, column)
                    if name not in form:
                        continue
                    try:
                        path, kind = target(block, row.key, column.id, loaded.scheme)
                    except (UnknownPath, ValueError):
                        continue
                    kind = row.kinds.get(column.id, kind)
                    try:
                        new = from_cell(kind, form[name])
                    except CellError as exc:
                        out.errors[name] = str(exc)
                        continue
                    old = edit.get(loaded.source.data, path)
                    if same(kind, new, old):
                        continue
                    label = row.values.get("label") or row.values.get("id") or edit.dotted(path)
                    out.changes.append((path, new, f"{label} {column.header}".strip()))
    return out


def apply(directory, base_text: str, version: str, parsed: Parsed) -> edit.Saved:
    """Write the parsed form as the user's own edit of the version the page showed."""
    e = edit.DossierEdit.from_base(directory, base_text, version)
    for path, value, _ in parsed.changes:
        e.set(path, value)
    for list_path, item, label in parsed.appends:
        index = e.append(list_path, item)
        e.outcomes.append(edit.Outcome(edit.dotted((*list_path, index)), edit.FILLED, label))
    return e.save()
