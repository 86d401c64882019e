"""The 目录 of a rendered .docx, filled with the entries LibreOffice laid out for its PDF.

A template's table of contents is a Word TOC field whose result is a placeholder
(“（打开文件时更新目录）”). When a form is converted, LibreOffice refreshes the index and
reports its entries (:mod:`dossier.render.lo_convert`); :func:`fill_contents` writes them
into the .docx as the field's result — one paragraph per entry in the ``toc N`` style
(dot leader to the page number at the right margin) — so that the .docx shows the page
numbers of the PDF without a field update, and Word's “update field” still rebuilds it.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..fileio import atomic_write_bytes

Entry = tuple[int, str, str]  # level, heading, page


def _field_chars(paragraphs: list) -> tuple | None:
    """(paragraph, element) of the TOC field's begin, separate and end, nested fields
    (PAGEREF in a result Word saved) skipped."""
    depth, begin, separate, is_toc = 0, None, None, False
    for p in paragraphs:
        for el in p.iter(qn("w:fldChar"), qn("w:instrText")):
            if el.tag == qn("w:instrText"):
                if depth == 1 and begin is not None and separate is None and "TOC" in (el.text or "").split():
                    is_toc = True
                continue
            kind = el.get(qn("w:fldCharType"))
            if kind == "begin":
                depth += 1
                if depth == 1:
                    begin, separate, is_toc = (p, el), None, False
            elif kind == "separate" and depth == 1:
                separate = (p, el)
            elif kind == "end":
                depth -= 1
                if depth == 0 and is_toc and separate is not None:
                    return begin, separate, (p, el)
    return None


def _run(*children) -> OxmlElement:
    run = OxmlElement("w:r")
    for child in children:
        run.append(child)
    return run


def _field_char(kind: str) -> OxmlElement:
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    return el


def _text(value: str) -> OxmlElement:
    t = OxmlElement("w:t")
    t.text = value
    t.set(qn("xml:space"), "preserve")
    return t


def _paragraph(doc, level: int) -> OxmlElement:
    p = OxmlElement("w:p")
    try:
        style_id = doc.styles[f"toc {level}"].style_id
    except KeyError:  # a user's template without the toc styles: plain paragraphs
        return p
    ppr = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), style_id)
    ppr.append(style)
    p.append(ppr)
    return p


def fill_contents(path: Path, entries: list[Entry]) -> bool:
    """Write ``entries`` as the result of the TOC field of the .docx at ``path``.

    Returns False (the file untouched) when there is nothing to write or the document
    has no TOC field whose paragraphs this can rebuild."""
    if not entries:
        return False
    doc = Document(str(path))
    body = doc.element.body
    paragraphs = list(body.iter(qn("w:p")))
    found = _field_chars(paragraphs)
    if found is None:
        return False
    (first, _), _, (last, end) = found
    parent = first.getparent()
    if last.getparent() is not parent:
        return False
    instr = [copy.deepcopy(el) for el in first.iter(qn("w:instrText"))
             if "TOC" in (el.text or "").split()]
    # what follows the field's end in its paragraph stays after it
    tail = []
    end_run = end.getparent()
    if end_run.getparent() is last:
        tail = [copy.deepcopy(sib) for sib in end_run.itersiblings()]
    new = []
    for i, (level, heading, page) in enumerate(entries):
        p = _paragraph(doc, level)
        if i == 0:  # the field opens in the first entry's paragraph
            p.append(_run(_field_char("begin")))
            for el in instr:
                p.append(_run(el))
            p.append(_run(_field_char("separate")))
        p.append(_run(_text(heading)))
        p.append(_run(OxmlElement("w:tab")))
        p.append(_run(_text(page)))
        new.append(p)
    new[-1].append(_run(_field_char("end")))  # and closes in the last one's
    for el in tail:
        new[-1].append(el)
    # replace the paragraphs from the field's begin to its end
    siblings = list(parent)
    start, stop = siblings.index(first), siblings.index(last)
    for p in new:
        first.addprevious(p)
    for old in siblings[start:stop + 1]:
        parent.remove(old)
    # the numbers are those of the PDF: Word need not ask to update fields on opening
    for update in doc.settings.element.findall(qn("w:updateFields")):
        doc.settings.element.remove(update)
    out = io.BytesIO()
    doc.save(out)
    atomic_write_bytes(path, out.getvalue())
    return True
