"""Building blocks for writing the form templates with python-docx (developer tooling:
``python -m form_templates.build`` regenerates every ``form_templates/*.docx``; the
generated .docx files are what ships and what a user may restyle in Word or WPS).

Typography follows GB/T 9704-2012 (党政机关公文格式) unless a form prescribes its own:
A4, top margin 37 mm, bottom 35 mm, left 28 mm, right 26 mm; Chinese font names are
set on the East-Asian attribute (w:eastAsia) so Word and WPS show them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT, WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TEMPLATES = Path(__file__).resolve().parent.parent

# 字号 → points (GB/T 9704 and Word's Chinese size names).
SIZES = {"初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15,
         "四号": 14, "小四": 12, "五号": 10.5, "小五": 9, "六号": 7.5}

FANGSONG, HEITI, KAITI, SONGTI = "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


def pt(size: str | float) -> Pt:
    return Pt(SIZES[size] if isinstance(size, str) else size)


def set_font(target, east_asia: str, size: str | float | None = None, *, bold: bool | None = None,
             ascii_font: str = "Times New Roman") -> None:
    """Font of a run or a style: Chinese on w:eastAsia, Latin/digits on ascii/hAnsi."""
    font = target.font
    font.name = ascii_font
    if size is not None:
        font.size = pt(size)
    if bold is not None:
        font.bold = bold
    rpr = target.element.get_or_add_rPr() if hasattr(target, "element") and hasattr(target.element, "get_or_add_rPr") \
        else target._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), ascii_font)
    fonts.set(qn("w:hAnsi"), ascii_font)


def new_document(*, landscape: bool = False, body_font: str = FANGSONG, body_size: str | float = "三号",
                 margins_mm: tuple[float, float, float, float] = (37, 35, 28, 26)) -> Document:
    """An empty A4 document; margins (top, bottom, left, right) default to GB/T 9704."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    top, bottom, left, right = margins_mm
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    normal = doc.styles["Normal"]
    set_font(normal, body_font, body_size)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    # Chinese language tag: Word/WPS pick Chinese line-breaking rules.
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    return doc


def text_width_mm(doc: Document) -> float:
    s = doc.sections[-1]
    return (s.page_width - s.left_margin - s.right_margin) / Mm(1)


def para(doc_or_cell, text: str = "", *, font: str | None = None, size: str | float | None = None,
         bold: bool | None = None, align: str | None = None, line_pt: float | None = None,
         indent_chars: float | None = None, style: str | None = None, space_before: float | None = None,
         space_after: float | None = None, keep_with_next: bool | None = None):
    """A paragraph with one run. ``line_pt`` sets fixed line spacing (固定值); ``indent_chars``
    a first-line indent in characters of the run's size (首行缩进 2 字符)."""
    p = doc_or_cell.add_paragraph(style=style) if style else doc_or_cell.add_paragraph()
    if text:
        run = p.add_run(text)
        if font or size or bold is not None:
            set_font(run, font or FANGSONG, size, bold=bold)
    fmt = p.paragraph_format
    if align:
        p.alignment = ALIGN[align]
    if line_pt:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line_pt)
    if indent_chars:
        size_pt = SIZES[size] if isinstance(size, str) else (size or 16)
        fmt.first_line_indent = Pt(size_pt * indent_chars)
    if space_before is not None:
        fmt.space_before = Pt(space_before)
    if space_after is not None:
        fmt.space_after = Pt(space_after)
    if keep_with_next is not None:
        fmt.keep_with_next = keep_with_next
    return p


def add_run(p, text: str, *, font: str = FANGSONG, size: str | float | None = None, bold: bool | None = None,
            underline: bool | None = None):
    run = p.add_run(text)
    set_font(run, font, size, bold=bold)
    if underline is not None:
        run.underline = underline
    return run


def page_break(doc: Document) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def table(doc_or_cell, rows: int, cols: int, widths_mm: Iterable[float], *, font: str = FANGSONG,
          size: str | float = "五号", align: str = "center"):
    """A bordered table with fixed column widths (summing to at most the text width)."""
    widths = list(widths_mm)
    assert len(widths) == cols, "one width per column"
    t = doc_or_cell.add_table(rows=rows, cols=cols)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for row in t.rows:
        for cell, w in zip(row.cells, widths):
            cell.width = Mm(w)
    grid = t._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(Mm(w).twips)))
    t._font = (font, size, align)  # remembered by cell_text
    return t


def cell_text(cell, text: str, *, font: str | None = None, size: str | float | None = None,
              bold: bool | None = None, align: str | None = None, valign: str = "center", table_=None) -> None:
    """Replace a cell's content with one paragraph of text."""
    f, s, a = getattr(table_, "_font", (FANGSONG, "五号", "center")) if table_ is not None else (FANGSONG, "五号", "center")
    p = cell.paragraphs[0]
    for r in list(p.runs):
        r._element.getparent().remove(r._element)
    run = p.add_run(text)
    set_font(run, font or f, size or s, bold=bold)
    p.alignment = ALIGN[align or a]
    cell.vertical_alignment = {"center": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
                               "top": WD_CELL_VERTICAL_ALIGNMENT.TOP}[valign]


def fill_row(t, row: int, texts: Iterable[str], **kw) -> None:
    for cell, text in zip(t.rows[row].cells, texts):
        cell_text(cell, text, table_=t, **kw)


def merge(t, r1: int, c1: int, r2: int, c2: int, text: str | None = None, **kw):
    cell = t.cell(r1, c1).merge(t.cell(r2, c2))
    if text is not None:
        cell_text(cell, text, table_=t, **kw)
    return cell


def repeat_header(t, rows: int = 1) -> None:
    """Mark the first ``rows`` rows as header rows repeated on every page."""
    for row in t.rows[:rows]:
        trpr = row._tr.get_or_add_trPr()
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        trpr.append(el)


def toc(doc: Document, levels: str = "1-2") -> None:
    """A table-of-contents field (目录). Its page numbers are filled when the document is
    converted (dossier.render.pdf refreshes indexes) or when Word opens it (updateFields)."""
    p = doc.add_paragraph()
    run = p.add_run()
    begin = OxmlElement("w:fldChar"); begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText"); instr.set(qn("xml:space"), "preserve")
    instr.text = f'TOC \\o "{levels}" \\h \\z \\u'
    sep = OxmlElement("w:fldChar"); sep.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t"); placeholder.text = "（打开文件时更新目录）"
    end = OxmlElement("w:fldChar"); end.set(qn("w:fldCharType"), "end")
    for el in (begin, instr, sep, placeholder, end):
        run._r.append(el)
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def page_number_footer(doc: Document, *, font: str = SONGTI, size: str | float = "四号") -> None:
    """"— 1 —" page numbers centred in the footer (GB/T 9704 7.5)."""
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(p, "— ", font=font, size=size)
    run = add_run(p, "", font=font, size=size)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar"); el.set(qn("w:fldCharType"), kind); run._r.append(el)
        elif text == "PAGE":
            el = OxmlElement("w:instrText"); el.set(qn("xml:space"), "preserve"); el.text = " PAGE "; run._r.append(el)
        else:
            el = OxmlElement("w:t"); el.text = text; run._r.append(el)
    add_run(p, " —", font=font, size=size)


def loop_rows(t, row: int, loop: str, ncols: int) -> None:
    """Turn table row ``row`` into a docxtpl row loop: a row ``{%tr for … %}`` is inserted
    before it and ``{%tr endfor %}`` after it (docxtpl removes both rows when rendering).

    ``loop`` is the jinja head, e.g. ``for r in indicator_rows``.
    """
    import copy

    tr = t.rows[row]._tr
    before, after = copy.deepcopy(tr), copy.deepcopy(tr)
    tr.addprevious(before)
    tr.addnext(after)
    for el, tag in ((before, f"{{%tr {loop} %}}"), (after, "{%tr endfor %}")):
        cells = el.findall(qn("w:tc"))
        for i, tc in enumerate(cells):
            for p in tc.findall(qn("w:p"))[1:]:
                tc.remove(p)
            p = tc.find(qn("w:p"))
            for r in p.findall(qn("w:r")):
                p.remove(r)
            if i == 0:
                r = OxmlElement("w:r"); tx = OxmlElement("w:t"); tx.text = tag; r.append(tx); p.append(r)


def save(doc: Document, form_id: str, *, cover: bool = False, page_numbers: bool = True) -> Path:
    """Finish (:func:`finish`) and save ``form_templates/<form_id>.docx``; fixed document
    dates, so an unchanged generator writes an unchanged file."""
    import datetime as _dt

    finish(doc, form_id, cover=cover, page_numbers=page_numbers)
    path = TEMPLATES / f"{form_id}.docx"
    doc.core_properties.title = form_id
    doc.core_properties.author = "dossier"
    doc.core_properties.created = doc.core_properties.modified = _dt.datetime(2026, 1, 1)
    doc.core_properties.last_modified_by = "dossier"
    doc.core_properties.revision = 1
    doc.save(path)
    return path


def keep_rows_whole(t) -> None:
    """Rows are not split across pages (w:cantSplit): a requirement stays on one page."""
    for row in t.rows:
        trpr = row._tr.get_or_add_trPr()
        if trpr.find(qn("w:cantSplit")) is None:
            el = OxmlElement("w:cantSplit")
            trpr.insert(0, el)


def cell_margins(t, *, top_mm: float = 0.8, bottom_mm: float = 0.8, left_mm: float = 1.9,
                 right_mm: float = 1.9) -> None:
    """Default cell margins of a table (text not touching the borders)."""
    tblpr = t._tbl.tblPr
    for old in tblpr.findall(qn("w:tblCellMar")):
        tblpr.remove(old)
    mar = OxmlElement("w:tblCellMar")
    for side, mm in (("top", top_mm), ("left", left_mm), ("bottom", bottom_mm), ("right", right_mm)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(Mm(mm).twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    insert_in_order(tblpr, mar, ("tblLook", "tblCaption", "tblDescription", "tblPrChange"))


def insert_in_order(parent, el, successors: Iterable[str]) -> None:
    """Insert ``el`` into ``parent`` before its first child named in ``successors`` (the
    elements the schema puts after it: Word rejects properties out of order)."""
    names = {qn(f"w:{n}") for n in successors}
    for i, child in enumerate(parent):
        if child.tag in names:
            parent.insert(i, el)
            return
    parent.append(el)


# --- The finishing pass every template gets on save -------------------------------------
#
# Measured on the printed page (dossier/render/layout.py): short words broken over two lines
# in a narrow column ("序/号", "权/重", "是否符/合"), tables continued without their header,
# forms without page numbers. ``finish`` fixes these for every template, so a generator
# only lays out its form.

import re as _re

_TAG = _re.compile(r"\{%.*?%\}|\{#.*?#\}")
_EXPR = _re.compile(r"\{\{(.*?)\}\}")
SHORT_EM = 6.0  # texts up to this many em must not break inside a word
MAX_EM = 16.0  # texts up to this many em must not leave one character on their last line
SHORT_TEXT = 10  # values up to this many characters (names of groups) never end a line alone


def _samples(form_id: str | None = None) -> dict[str, list[str]]:
    """Representative printed values of the looped expressions: the category and
    subcategory names of the scheme that has the form ``form_id`` (of every scheme when no
    scheme has it), for the column widths."""
    from ruamel.yaml import YAML

    schemes = []
    for path in sorted((Path(__file__).resolve().parents[2] / "checklists").glob("*.yaml")):
        schemes.append(YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {})
    own = [d for d in schemes if any(f.get("id") == form_id for f in d.get("forms") or [])]
    fields: dict[str, set[str]] = {"category": set(), "subcategory": set(), "group": set()}
    units: set[str] = set()
    names: set[str] = set()
    hints: set[str] = set()
    for data in own or schemes:
        for key in ("indicators", "bonus", "basic_conditions"):
            for item in data.get(key) or []:
                for field, seen in fields.items():
                    if isinstance(item.get(field), str):
                        seen.add(item[field])
                if isinstance(item.get("unit"), str):
                    units.add(item["unit"])
                if isinstance(item.get("evidence_hint"), str) and _em(item["evidence_hint"]) <= MAX_EM:
                    hints.add(item["evidence_hint"])
                if isinstance(item.get("requirement"), str) and _em(item["requirement"]) <= MAX_EM:
                    names.add(item["requirement"])  # a short requirement is an indicator's name
    return {**{k: sorted(v) for k, v in fields.items()}, "unit": sorted(units),
            "requirement": sorted(names), "hint": sorted(hints)}


def _em(text: str) -> float:
    """Width of ``text`` in em (a CJK character is 1 em, capitals about 0.72, other Latin
    letters and digits about half)."""
    return sum(1.0 if ord(ch) >= 0x2E80 or 0x2010 <= ord(ch) <= 0x206F else 0.72 if ch.isupper() or ch in "@%&"
               else 0.55 for ch in text)


SAMPLE_EXPRS = [
    # (pattern in a {{ }} expression, printed sample); the first match wins
    (r"\.subcategory\b", "subcategory"),
    (r"\.category\b|\bc\.name\b", "category"),
    (r"\.group\b", "group"),
    (r"不适用", "不适用"),
    (r"\.status\b|conclusion", "部分符合"),
    (r"\.item\.requirement\b|\bc\.label\b", "requirement"),
    (r"evidence_hint", "hint"),
    (r"\.unit\b", "unit"),
    (r"credit_code", "91320412MA1X8Y2K3Q"),
    (r"\bemail\b", "lvdi@example.com.cn"),
    (r"date_cn", "2026年11月20日"),
    (r"\byears\[|\blast\b", "2025"),
    (r"\b(r\.no|loop\.index|n)\b\s*$", "99"),
    (r"weight", "20%"),
    (r"max_points|\.max\b", "100"),
    (r"points|score", "99.99"),
    (r"item\.type\b", "必选"),
]


def _cell_lines(tc, samples: dict[str, list[str]]) -> tuple[list[str], list[str]] | None:
    """The printed lines of a template cell: its fixed lines, and the values a tag may print
    (each sample of its kind); None when a tag's value is unknown (free text: its width is
    the data's business)."""
    fixed, sampled = [], []
    for p in tc.iter(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        text = _TAG.sub("", text)
        exprs = _EXPR.findall(text)
        if not exprs:
            if text.strip():
                fixed.append(text.strip())
            continue
        if len(exprs) > 1:
            return None
        for pattern, sample in SAMPLE_EXPRS:
            if _re.search(pattern, exprs[0]):
                values = samples.get(sample, [sample])
                break
        else:
            return None
        sampled += [_EXPR.sub(v, text).strip() for v in values if _EXPR.sub(v, text).strip()]
    return fixed, sampled


def _run_size_pt(tc, default: float, styles: dict[str, float]) -> float:
    """The type size of a cell: its runs' own size, else its paragraph style's."""
    for sz in tc.iter(qn("w:sz")):
        return int(sz.get(qn("w:val"))) / 2
    for ps in tc.iter(qn("w:pStyle")):
        if ps.get(qn("w:val")) in styles:
            return styles[ps.get(qn("w:val"))]
    return default


def _style_sizes(doc: Document) -> dict[str, float]:
    out = {}
    for style in doc.styles:
        chain, size = style, None
        while chain is not None and size is None:
            size = chain.font.size if hasattr(chain, "font") else None
            chain = getattr(chain, "base_style", None)
        if size is not None:
            out[style.style_id] = size.pt
    return out


def _whole(line: str) -> bool:
    """A code, an e-mail, a figure or a date: never broken."""
    return bool(not _re.search(r"[\u2e80-\u9fff]", line) and _em(line) <= 2 * SHORT_EM
                or _re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", line))


def _needed_em(fixed: list[str], sampled: list[str], width_em: float) -> float:
    """The width (em) a cell needs so that none of its lines breaks badly: a fixed short
    text (a header) on one line, a longer one without a lone last character; of the values
    a tag may print (group names), none leaves one character alone on its last line."""
    need = 0.0
    for line in fixed:
        em = _em(line)
        if _whole(line) or em <= SHORT_EM:
            need = max(need, em)
        elif em <= MAX_EM and width_em < em:
            w = max(width_em, 1.0)
            while w < em:
                rest = em - int(em // w) * w if em % w else 0
                if rest == 0 or rest >= 1.9:
                    break
                w += 0.5
            need = max(need, w if w < em else em)
    words = []
    for line in sampled:
        if _whole(line):
            need = max(need, _em(line))
        elif len(line) <= SHORT_TEXT:
            words.append(_em(line))

    def lone(n: float, k: float) -> bool:  # the last line of a name of n em in k em holds one character
        rest = n - int(n // k) * k
        return n > k and 0 < rest < 1.5

    if words:
        k = max(float(int(width_em)), 2.0)
        while k < max(words) and any(lone(n, k) for n in words):
            k += 0.5
        need = max(need, min(k, max(words)))  # room for the longest name at most
    return need


def _grid_cells(tbl):
    """Each cell of a table's own rows with its properties, first grid column and span."""
    for tr in tbl.findall(qn("w:tr")):
        col = 0
        for tc in tr.findall(qn("w:tc")):
            tcpr = tc.find(qn("w:tcPr"))
            span_el = tcpr.find(qn("w:gridSpan")) if tcpr is not None else None
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            yield tc, tcpr, col, span
            col += span


def fit_columns(doc: Document, form_id: str | None = None) -> None:
    """Widen the columns whose short texts would break (headers, 序号, 权重, group labels),
    taking the width from the table's widest columns; the table's total width is kept."""
    samples = _samples(form_id)
    styles = _style_sizes(doc)
    normal = styles.get("Normal", 10.5)
    for tbl in doc.element.body.iter(qn("w:tbl")):
        grid = tbl.find(qn("w:tblGrid"))
        if grid is None:
            continue
        cols = grid.findall(qn("w:gridCol"))
        widths = [int(c.get(qn("w:w"))) for c in cols]
        mar = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
        pad = 2 * 108
        if mar is not None:
            pad = sum(int(el.get(qn("w:w"))) for el in mar if el.tag in (qn("w:left"), qn("w:right")))
        need = [0] * len(widths)
        for tc, _tcpr, col, span in _grid_cells(tbl):
            if span == 1 and col < len(widths) and tc.find(f".//{qn('w:tbl')}") is None:
                lines = _cell_lines(tc, samples)
                if lines and any(lines):
                    size = _run_size_pt(tc, normal, styles) * 20  # twips per em
                    em = _needed_em(*lines, (widths[col] - pad) / size)
                    if em:
                        need[col] = max(need[col], int((em + 0.35) * size) + pad)
        total = sum(widths)
        # no column takes more than 30 % of the table for its short texts
        need = [min(n, max(w, total * 3 // 10)) for n, w in zip(need, widths)]
        deficit = sum(max(0, n - w) for n, w in zip(need, widths))
        if not deficit:
            continue
        new = [max(w, n) for w, n in zip(widths, need)]
        # take the width from the columns with the most room above their own need; when
        # there is not enough room, the widened columns give back in proportion: the table
        # keeps its total width
        floor = [max(n, 567) if nw == w else nw for n, w, nw in zip(need, widths, new)]
        excess = sum(new) - total
        room = sum(max(0, nw - f) for nw, f in zip(new, floor))
        if room >= excess:
            slack = [max(0, nw - f) for nw, f in zip(new, floor)]
            new = [nw - int(excess * sl / room) if room else nw for nw, sl in zip(new, slack)]
        else:
            new = list(floor)  # every column at its floor, the widened ones then give back
            over = sum(new) - total
            grown = [max(0, nw - w) for nw, w in zip(new, widths)]
            gsum = sum(grown)
            new = [nw - int(over * g / gsum) if gsum else nw for nw, g in zip(new, grown)]
        new[-1] += total - sum(new)  # rounding
        for c, w in zip(cols, new):
            c.set(qn("w:w"), str(w))
        for _tc, tcpr, col, span in _grid_cells(tbl):
            tcw = tcpr.find(qn("w:tcW")) if tcpr is not None else None
            if tcw is not None:
                tcw.set(qn("w:w"), str(sum(new[col:col + span])))
                tcw.set(qn("w:type"), "dxa")


def repeat_loop_headers(doc: Document, max_rows: int = 3) -> None:
    """A looped table (a ``{%tr for`` row) repeats the rows above its loop on every page,
    when they are a header (at most ``max_rows`` rows)."""
    for tbl in doc.element.body.iter(qn("w:tbl")):
        rows = tbl.findall(qn("w:tr"))
        for i, tr in enumerate(rows):
            if "{%tr for" in "".join(t.text or "" for t in tr.iter(qn("w:t"))):
                if 0 < i <= max_rows:
                    for head in rows[:i]:
                        trpr = head.find(qn("w:trPr"))
                        if trpr is None:
                            trpr = OxmlElement("w:trPr")
                            tcpr_first = head.find(qn("w:tc"))
                            tcpr_first.addprevious(trpr) if tcpr_first is not None else head.append(trpr)
                        if trpr.find(qn("w:tblHeader")) is None:
                            el = OxmlElement("w:tblHeader")
                            trpr.append(el)
                break


def page_breaks_before(doc: Document) -> None:
    """A paragraph holding only a page break becomes "page break before" on the paragraph
    after it: a table that fills its page exactly no longer pushes the break paragraph onto
    a page of its own (an empty page)."""
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        brs = p.findall(f".//{qn('w:br')}")
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if text.strip() or len(brs) != 1 or brs[0].get(qn("w:type")) != "page":
            continue
        if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            continue
        nxt = p.getnext()
        if nxt is None or nxt.tag != qn("w:p"):
            continue
        ppr = nxt.find(qn("w:pPr"))
        if ppr is None:
            ppr = OxmlElement("w:pPr")
            nxt.insert(0, ppr)
        if ppr.find(qn("w:pageBreakBefore")) is None:
            el = OxmlElement("w:pageBreakBefore")
            insert_in_order(ppr, el, ("framePr", "widowControl", "numPr", "suppressLineNumbers", "pBdr", "shd",
                                      "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct",
                                      "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
                                      "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
                                      "suppressOverlap", "jc", "textDirection", "textAlignment",
                                      "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr",
                                      "pPrChange"))
        body.remove(p)


def keep_loop_rows_whole(doc: Document) -> None:
    """The looped rows of a table (one requirement each) are not split across pages; a row
    holding a multi-line narrative (``ml(``) may be, it can be longer than a page."""
    for tbl in doc.element.body.iter(qn("w:tbl")):
        inside = False
        for tr in tbl.findall(qn("w:tr")):
            text = "".join(t.text or "" for t in tr.iter(qn("w:t")))
            if "{%tr for" in text:
                inside = True
                continue
            if "{%tr endfor" in text:
                inside = False
                continue
            if inside and "ml(" not in text:
                trpr = tr.find(qn("w:trPr"))
                if trpr is None:
                    trpr = OxmlElement("w:trPr")
                    first = tr.find(qn("w:tc"))
                    first.addprevious(trpr) if first is not None else tr.append(trpr)
                if trpr.find(qn("w:cantSplit")) is None:
                    trpr.insert(0, OxmlElement("w:cantSplit"))


def has_page_numbers(doc: Document) -> bool:
    """Whether a header or footer of the document already prints a PAGE field."""
    for rel in doc.part.rels.values():
        if rel.reltype.endswith(("/footer", "/header")):
            if b"PAGE" in rel.target_part.blob:
                return True
    return False


# East-Asian fonts and what Word / WPS should use where a PC lacks them (w:altName in the
# font table): 仿宋_GB2312 → 仿宋 (FangSong), 楷体_GB2312 → 楷体 (KaiTi), 黑体 (SimHei), 宋体 (SimSun).
FONT_FALLBACKS = {
    "仿宋_GB2312": ("仿宋", "modern"), "楷体_GB2312": ("楷体", "modern"),
    "仿宋": ("FangSong", "modern"), "楷体": ("KaiTi", "modern"), "黑体": ("SimHei", "modern"),
    "宋体": ("SimSun", "auto"),
}


def declare_fonts(doc: Document) -> None:
    """Declare the Chinese fonts the document uses in its font table, with their fallbacks
    (GB2312 character set, w:altName), so Word and WPS substitute as intended."""
    from lxml import etree

    part = next((p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    have = {f.get(qn("w:name")): f for f in root.findall(qn("w:font"))}
    for name, (alt, family) in FONT_FALLBACKS.items():
        font = have.get(name)
        if font is None:
            font = etree.SubElement(root, qn("w:font"))
            font.set(qn("w:name"), name)
        for child in list(font):
            font.remove(child)
        for tag, val in (("altName", alt), ("charset", "86"), ("family", family), ("pitch", "variable")):
            el = etree.SubElement(font, qn(f"w:{tag}"))
            el.set(qn("w:val"), val)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def finish(doc: Document, form_id: str | None = None, *, cover: bool = False, page_numbers: bool = True) -> None:
    """Column widths, repeated headers, page numbers (``cover``: none on the first page)."""
    fit_columns(doc, form_id)
    declare_fonts(doc)
    repeat_loop_headers(doc)
    keep_loop_rows_whole(doc)
    page_breaks_before(doc)
    if page_numbers and not has_page_numbers(doc):
        page_number_footer(doc)
        if cover:
            doc.sections[0].different_first_page_header_footer = True


TOOL_TABLE_NOTE = "（本表由申报工具按上表各行得分汇总，不属于官方表格）"


def category_summary(doc, widths_mm: Iterable[float], *, title: str = "附：一级指标得分汇总",
                     totals: Iterable[tuple[str, str]] = (("评价指标得分（Σ加权得分）", "{{ num(score.indicator_total, 2, strip=False) }}"),),
                     size: str = "五号") -> None:
    """Below a weighted indicator table, a separate table that rebuilds its total from the
    printed row scores: per 一级指标 the Σ of its rows' 得分, the engine's rescaling of 不适用
    rows or its cap (“不适用 24 分：69 × 106 ÷ 82 = 89.2”), the category score, the weight
    and score × weight; then ``totals`` (label, value) rows. Six columns."""
    widths = list(widths_mm)
    para(doc, title, font=HEITI, size="四号", align="center", space_before=12, space_after=0, keep_with_next=True)
    para(doc, TOOL_TABLE_NOTE, font=KAITI, size="小五", align="center", space_after=4, keep_with_next=True)
    totals = list(totals)
    t = table(doc, 2 + len(totals), 6, widths, size=size)
    fill_row(t, 0, ["一级指标", "各行得分合计", "不适用折算或上限", "一级指标得分", "权重", "加权得分"], font=HEITI)
    fill_row(t, 1, ["{{ c.name }}", "{{ num(c.earned, 2, strip=False) }}", "{{ c.note or '—' }}", "{{ num(c.score, 2, strip=False) }}",
                    "{{ pct(c.weight * 100, 0) if c.weight is not none else '' }}", "{{ num(c.weighted, 2, strip=False) }}"])
    for r, (label, value) in enumerate(totals, 2):
        merge(t, r, 0, r, 4, label, font=HEITI)
        cell_text(t.cell(r, 5), value, table_=t)
    repeat_header(t, 1)
    cell_margins(t)
    keep_rows_whole(t)
    for row in t.rows[:-1]:  # one block on one page: every row keeps with the next
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True
    loop_rows(t, 1, "for c in categories", 6)
