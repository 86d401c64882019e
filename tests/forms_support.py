"""Reading rendered forms back as a user would check them: the text of every paragraph
and table cell (.docx), the cell values (.xlsx), the text of the PDF (pdftotext).

Form tests use these; they never compare bytes.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook

from dossier.loader import load_dossier
from dossier.render import render_forms

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FORM_LABELS = Path(__file__).resolve().parent / "data" / "forms"

# What must never appear in a rendered form: a Python None, a leftover jinja tag.
LEFTOVERS = re.compile(r"None|\{\{|\}\}|\{%|%\}|\{#|#\}")


def render_example(scheme_id: str, form_id: str, out_dir: Path, *, pdf: bool = False) -> Path:
    """Render one form of the bundled example of ``scheme_id`` into ``out_dir``."""
    loaded = load_dossier(EXAMPLES / scheme_id)
    (form,) = render_forms(loaded, form_ids=[form_id], out_dir=out_dir, pdf=pdf)
    return form.pdf if pdf else form.path


def _blocks(parent):
    """Paragraphs and tables of a body or cell, in document order."""
    for child in parent.element.body.iterchildren() if hasattr(parent, "element") and hasattr(parent.element, "body") \
            else parent._element.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(child, parent)
        elif tag == "tbl":
            yield Table(child, parent)


def docx_texts(path: Path) -> list[str]:
    """Every paragraph's text and every table cell's text (merged cells once), in order,
    headers and footers included."""
    doc = Document(str(path))
    out: list[str] = []

    def walk(container) -> None:
        for block in _blocks(container):
            if isinstance(block, Paragraph):
                out.append(block.text)
            else:
                # The cell elements themselves, not their id(): lxml proxies that nothing holds
                # are freed, and a later cell's proxy can reuse the id (cells went missing).
                seen: set = set()
                for row in block.rows:
                    for cell in row.cells:
                        if cell._tc in seen:
                            continue
                        seen.add(cell._tc)
                        before = len(out)
                        walk(cell)
                        out[before:] = ["\n".join(out[before:])]
    walk(doc)
    for section in doc.sections:
        for part in (section.header, section.footer):
            out.extend(p.text for p in part.paragraphs)
    return out


def squash(text: str) -> str:
    """Whitespace removed: labels are compared as the seed prints them, line breaks aside."""
    return re.sub(r"\s+", "", text)


def docx_fulltext(path: Path) -> str:
    return "\n".join(docx_texts(path))


def tables(path: Path) -> list[list[list[str]]]:
    """Each table as rows of cell texts (a merged cell repeats in every grid position)."""
    doc = Document(str(path))
    return [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


def find_row(path: Path, first_cell: str) -> list[str]:
    """The first table row (of any table) one of whose cells equals ``first_cell`` (squashed)."""
    want = squash(first_cell)
    for table in tables(path):
        for row in table:
            if any(squash(c) == want for c in row):
                return row
    raise AssertionError(f"no table row with a cell {first_cell!r} in {path.name}")


def value_after(path: Path, label: str) -> str:
    """The text of the cell right of the cell whose text is ``label`` (a 基本信息表 lookup)."""
    want = squash(label)
    for table in tables(path):
        for row in table:
            for i, cell in enumerate(row):
                if squash(cell) == want:
                    for right in row[i + 1:]:
                        if squash(right) != want:
                            return right
    raise AssertionError(f"no cell {label!r} in {path.name}")


def labels_file(form_id: str) -> list[str]:
    """The labels, headers and fixed sentences of a form, one per line, copied from its
    seed annex into tests/data/forms/<form-id>.txt (lines starting with # are comments)."""
    path = FORM_LABELS / f"{form_id}.txt"
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def missing_labels(path: Path, labels: list[str]) -> list[str]:
    """The labels not found in the rendered text (compared without whitespace)."""
    text = squash(docx_fulltext(path)) if path.suffix == ".docx" else squash(xlsx_fulltext(path))
    return [label for label in labels if squash(label) not in text]


def leftovers(path: Path) -> list[str]:
    text = docx_fulltext(path) if path.suffix == ".docx" else xlsx_fulltext(path)
    return [line for line in text.splitlines() if LEFTOVERS.search(line)]


def xlsx_rows(path: Path, sheet: str | None = None) -> list[list[object]]:
    wb = load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def xlsx_fulltext(path: Path) -> str:
    wb = load_workbook(path)
    return "\n".join(" ".join("" if v is None else str(v) for v in row)
                     for ws in wb.worksheets for row in ws.iter_rows(values_only=True))


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def as_number(text: str) -> float | None:
    """A printed figure read back as a number ("89.07" → 89.07, "1,234.5 tce" → 1234.5);
    None when the text holds none."""
    m = re.search(r"-?\d[\d,]*(?:\.\d+)?", text or "")
    return float(m.group(0).replace(",", "")) if m else None


def shows(text: str, value: float | None, places: int = 2) -> bool:
    """The printed ``text`` is ``value`` rounded to at most ``places`` decimals (a blank
    cell for no value). Expected figures come from the engine, never from the forms'
    own formatters."""
    if value is None:
        return (text or "").strip() == ""
    got = as_number(text)
    return got is not None and abs(got - value) <= 0.5 * 10 ** -places + 1e-9
