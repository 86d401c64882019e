"""This tool's rendered forms read back as grids: the tables of a .docx (python-docx) or
the sheets of an .xlsx (openpyxl), and a .docx's paragraphs outside tables.

A merged cell is one :class:`Cell` object repeated in every grid position it covers, as
python-docx gives it (``row.cells`` repeats a horizontally merged cell; a vertically
merged one repeats its first cell's text), so "the cell right of a label" is the next
*different* cell, whatever the spans. Text is kept as printed, paragraph by paragraph;
labels are compared with :func:`squash` (no whitespace, no trailing colon, full-width
forms folded), because templates space labels out (``地    址：``).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import textfold
from ..errors import BadInputError


def squash(text: str) -> str:
    """"地    址：" → "地址"; "（万元）" and "(万元)" compare equal (a label's trailing colon
    does not count either)."""
    return textfold.squash(text).rstrip(":")


@dataclass(eq=False)
class Cell:
    paragraphs: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def key(self) -> str:
        return squash(self.text)


@dataclass
class Table:
    rows: list[list[Cell]]

    def find(self, label: str, prefix: bool = False) -> tuple[int, int] | None:
        want = squash(label)
        for r, row in enumerate(self.rows):
            for c, cell in enumerate(row):
                if cell.key == want or prefix and want and cell.key.startswith(want):
                    return r, c
        return None

    def right_of(self, r: int, c: int) -> Cell | None:
        """The first cell right of (r, c) that is another cell with other text."""
        here = self.rows[r][c]
        for cell in self.rows[r][c + 1:]:
            if cell is not here and cell.key != here.key:
                return cell
        return None


@dataclass
class Block:
    kind: str            # p (paragraph) | t (table)
    text: str = ""
    style: str = ""
    table: int = -1


@dataclass
class Form:
    path: Path
    tables: list[Table] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "p"]

    def fulltext(self) -> str:
        cells = [c.text for t in self.tables for row in t.rows for c in dict.fromkeys(row)]
        return "\n".join(self.paragraphs + cells)


def read_form(path: Path) -> Form:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _read_docx(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    raise BadInputError(f"{path}：只能读取本工具生成的 .docx 或 .xlsx 表单")


def _read_docx(path: Path) -> Form:
    from docx import Document
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    try:
        doc = Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise BadInputError(f"{path}：Word 文件无法打开（已损坏，或不是 .docx 格式）") from exc
    form = Form(path)
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, doc)
            form.blocks.append(Block("p", para.text, para.style.name if para.style is not None else ""))
        elif tag == "tbl":
            form.tables.append(_docx_table(DocxTable(child, doc)))
            form.blocks.append(Block("t", table=len(form.tables) - 1))
    return form


def _docx_table(table) -> Table:
    # Cells by their XML element: python-docx makes a new proxy on every access, and the
    # element of a merged cell is the same object in every position it covers.
    cells: dict[object, Cell] = {}
    rows = []
    for row in table.rows:
        out = []
        for cell in row.cells:
            if cell._tc not in cells:
                cells[cell._tc] = Cell([p.text for p in cell.paragraphs])
            out.append(cells[cell._tc])
        rows.append(out)
    return Table(rows)


def _read_xlsx(path: Path) -> Form:
    from openpyxl import load_workbook

    from ..safefile import workbook_problem

    problem = workbook_problem(path)
    if problem:
        raise BadInputError(f"{path}：{problem}")
    try:
        workbook = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise BadInputError(f"{path}：Excel 文件无法打开（已损坏，或不是 .xlsx 格式）") from exc
    form = Form(path)
    for sheet in workbook.worksheets:
        grid: dict[tuple[int, int], Cell] = {}
        for merged in sheet.merged_cells.ranges:
            top = sheet.cell(merged.min_row, merged.min_col).value
            shared = Cell(_lines(top))
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    grid[(r, c)] = shared
        rows = []
        for r, row in enumerate(sheet.iter_rows(), 1):
            rows.append([grid.get((r, c)) or Cell(_lines(cell.value)) for c, cell in enumerate(row, 1)])
        form.tables.append(Table(rows))
        form.blocks.append(Block("t", table=len(form.tables) - 1))
    return form


def _lines(value: object) -> list[str]:
    if value is None:
        return [""]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).split("\n")
