"""Vertical merges in looped table rows, as the official tables have them.

docxtpl's own ``{% vm %}`` merges a cell over every row of its loop. The forms need the
merges of the official tables instead — 一级指标 over its own rows, 二级指标 over its
own — so here a cell of a looped row that starts with

- ``{% vm %}`` merges with the cell above while their texts are equal;
- ``{% vm KEY %}`` merges with the cell above while the jinja expression ``KEY`` (e.g.
  ``r.item.category`` or ``(r.item.category, r.item.subcategory)``) is equal. Use a key
  where equal texts belong to different groups (two categories both weighted 15%).

The tag is plain text in the template (which stays a valid Word document); before
rendering it becomes a marker element in the cell, and after rendering the marked cells
of each table column are merged run by run and the markers removed.
"""

from __future__ import annotations

import re
from typing import Any

from docxtpl import DocxTemplate

from ..errors import TemplateError

NS = "urn:dossier:vmerge"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Runs split inside a tag are joined first (as docxtpl does), so the tag is one string.
_SPLIT_BRACE = re.compile(r"(?<={)(<[^>]*>)+(?=[\{%\#])|(?<=[%\}\#])(<[^>]*>)+(?=\})", re.DOTALL)
_SPLIT_TAG = re.compile(r"\{%(?:(?!%\}).)*?vm\b(?:(?!%\}).)*%\}", re.DOTALL)
_TAG = re.compile(r"\{%\s*vm(?:\s+((?:(?!%\}).)+?))?\s*%\}", re.DOTALL)
_CELL = re.compile(r"<w:tc[ >](?:(?!<w:tc[ >]).)*?\{%\s*vm\b.*?</w:tc>", re.DOTALL)
_CELL_OPEN = re.compile(r"<w:tc(?: [^>]*)?>")
# w:tcPr children that come after w:vMerge (ECMA-376 CT_TcPr sequence).
_AFTER_VMERGE = {"tcBorders", "shd", "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark",
                 "headers", "cellIns", "cellDel", "cellMerge", "tcPrChange"}


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _join_runs(m: re.Match[str]) -> str:
    return re.sub(r"</w:t>.*?(<w:t>|<w:t [^>]*>)", "", m.group(0), flags=re.DOTALL)


def mark_cells(src_xml: str) -> str:
    """Replace each ``{% vm [KEY] %}`` by a marker element in its cell (before jinja)."""
    src_xml = _SPLIT_TAG.sub(_join_runs, _SPLIT_BRACE.sub("", src_xml))

    def mark(m: re.Match[str]) -> str:
        cell = m.group(0)
        tag = _TAG.search(cell)
        if tag is None:
            return cell
        key = tag.group(1)
        attr = f' k="{{{{ {key.strip()} }}}}"' if key and key.strip() else ""
        marker = f'<dvm:m xmlns:dvm="{NS}"{attr}/>'
        cell = cell[:tag.start()] + cell[tag.end():]
        opening = _CELL_OPEN.match(cell)
        if opening is None:  # _CELL starts at a <w:tc>: only a damaged cell lacks one
            raise TemplateError(f"表格单元格的 XML 不完整（{{% vm %}} 所在的单元格没有 <w:tc> 开始标签）：{cell[:80]}")
        return cell[:opening.end()] + marker + cell[opening.end():]

    return _CELL.sub(mark, src_xml)


def _text(tc: Any) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(_q("t"))) for p in tc.iterchildren(_q("p")))


def _span(tc: Any) -> int:
    span = tc.find(f"{_q('tcPr')}/{_q('gridSpan')}")
    return int(span.get(_q("val"))) if span is not None else 1


def _set_vmerge(tc: Any, value: str | None) -> None:
    tcpr = tc.find(_q("tcPr"))
    if tcpr is None:
        if value is None:
            return
        tcpr = tc.makeelement(_q("tcPr"), {})
        tc.insert(0, tcpr)
    for old in tcpr.findall(_q("vMerge")):
        tcpr.remove(old)
    if value is None:
        return
    vm = tcpr.makeelement(_q("vMerge"), {_q("val"): value})
    for i, child in enumerate(tcpr):
        if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] in _AFTER_VMERGE:
            tcpr.insert(i, vm)
            return
    tcpr.append(vm)


def _clear(tc: Any) -> None:
    """A continued cell keeps one empty paragraph (Word requires one)."""
    paragraphs = tc.findall(_q("p"))
    for p in paragraphs[1:]:
        tc.remove(p)
    for child in list(paragraphs[0]):
        if child.tag != _q("pPr"):
            paragraphs[0].remove(child)


def merge_marked_cells(root: Any) -> None:
    """Merge the marked cells of every table under ``root`` (rendered XML) and drop the markers."""
    for tbl in root.iter(_q("tbl")):
        open_runs: dict[int, tuple[str, int, Any, list[Any]]] = {}  # column → (key, span, first, continued)
        finished = []
        for tr in tbl.iterchildren(_q("tr")):
            col, seen = 0, set()
            for tc in tr.iterchildren(_q("tc")):
                span = _span(tc)
                marker = tc.find(f"{{{NS}}}m")
                if marker is None:
                    if col in open_runs:
                        finished.append(open_runs.pop(col))
                else:
                    key = marker.get("k") if "k" in marker.attrib else _text(tc)
                    tc.remove(marker)
                    run = open_runs.get(col)
                    if run and run[0] == key and run[1] == span:
                        run[3].append(tc)
                    else:
                        if run:
                            finished.append(run)
                        open_runs[col] = (key, span, tc, [])
                seen.add(col)
                col += span
            for c in [c for c in open_runs if c not in seen]:
                finished.append(open_runs.pop(c))
        finished.extend(open_runs.values())
        for _key, _span_, first, continued in finished:
            if continued:
                _set_vmerge(first, "restart")
                for tc in continued:
                    _set_vmerge(tc, "continue")
                    _clear(tc)
    # markers outside any table (a tag written in a paragraph) are simply dropped
    for marker in list(root.iter(f"{{{NS}}}m")):
        marker.getparent().remove(marker)


class FormTemplate(DocxTemplate):
    """docxtpl with ``{% vm %}`` / ``{% vm KEY %}`` merging equal consecutive cells."""

    def patch_xml(self, src_xml: str) -> str:
        return super().patch_xml(mark_cells(src_xml))

    def render(self, context: dict[str, Any], jinja_env: Any = None, autoescape: bool = False) -> None:
        super().render(context, jinja_env, autoescape)
        merge_marked_cells(self.docx.element.body)
