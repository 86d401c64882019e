"""Group labels on continued pages: a merged 一级/二级指标 cell is printed once, on the page
where its group starts; the rows of the group on the next page would show a blank label
column. Where the layout check (:mod:`layout`) finds such a page, the merge is split at the
page's first row and the label repeated there, as a reviewer expects of a continued table.

The page breaks come from the PDF LibreOffice made; the fix goes into the .docx, which is
then converted again (the .docx and the PDF stay the same document).
"""

from __future__ import annotations

import copy
import io
import re
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from ..fileio import atomic_write_bytes


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def first_rows_of_continued_pages(pdf: Path, pages: list[int]) -> list[list[str]]:
    """For each of ``pages`` (1-based): the texts of the cells of the first body row of
    the page's first table (the row below the repeated header)."""
    import pdfplumber

    out = []
    with pdfplumber.open(str(pdf)) as doc:
        for n in pages:
            page = doc.pages[n - 1]
            tables = page.find_tables()
            if not tables:
                continue
            table = min(tables, key=lambda t: t.bbox[1])
            rows = table.extract()
            if len(rows) < 2:
                continue
            body = rows[1] if len(rows) > 1 else rows[0]
            out.append([_squash(c) for c in body if c])
    return out


def _row_text_cells(tr) -> list[str]:
    return [_squash("".join(t.text or "" for t in tc.iter(qn("w:t")))) for tc in tr.findall(qn("w:tc"))]


def _vmerge(tc) -> str | None:
    tcpr = tc.find(qn("w:tcPr"))
    el = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
    if el is None:
        return None
    return el.get(qn("w:val")) or "continue"


def _grid_cols(tr) -> list[tuple[int, object]]:
    """(grid column, tc) of a row."""
    out, col = [], 0
    for tc in tr.findall(qn("w:tc")):
        out.append((col, tc))
        tcpr = tc.find(qn("w:tcPr"))
        span = tcpr.find(qn("w:gridSpan")) if tcpr is not None else None
        col += int(span.get(qn("w:val"))) if span is not None else 1
    return out


def split_merges_at(docx: Path, rows: list[list[str]]) -> int:
    """Split the vertical merges running into each row (given by its cell texts, as the PDF
    prints them) and repeat the label there; returns how many rows were changed."""
    doc = Document(str(docx))
    changed = 0
    for want in rows:
        if not want:
            continue
        longest = max(want, key=len)  # the row's own text (a requirement), whole: rows are not split
        others = [c for c in want if c != longest]
        for tbl in doc.element.body.iter(qn("w:tbl")):
            trs = tbl.findall(qn("w:tr"))
            for i, tr in enumerate(trs):
                texts = _row_text_cells(tr)
                if longest not in texts or not all(c in texts for c in others):
                    continue
                for col, tc in _grid_cols(tr):
                    if _vmerge(tc) != "continue":
                        continue
                    # the cell where this merge starts, above
                    for above in reversed(trs[:i]):
                        start = dict(_grid_cols(above)).get(col)
                        if start is not None and _vmerge(start) == "restart":
                            break
                    else:
                        continue
                    tcpr = tc.find(qn("w:tcPr"))
                    tcpr.find(qn("w:vMerge")).set(qn("w:val"), "restart")
                    for p in tc.findall(qn("w:p")):
                        tc.remove(p)
                    for p in start.findall(qn("w:p")):
                        tc.append(copy.deepcopy(p))
                    changed += 1
                break
            else:
                continue
            break
    if changed:
        buffer = io.BytesIO()
        doc.save(buffer)
        atomic_write_bytes(docx, buffer.getvalue())
    return changed
