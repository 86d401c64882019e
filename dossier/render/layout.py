"""The printed page as a reviewer sees it: a layout check measured on a form's PDF.

``check_layout(pdf, form_id)`` returns findings that read ``form-id 第N页：…`` for what
makes a reviewer send a dossier back or a consultant fix it by hand in Word:

- a page of a multi-page form without its page number, or numbered in another style;
- a page mostly empty (less than :data:`MIN_FILL` of the text area used), unless it is
  the last page and holds a complete block from its first line (notes 注：…, 以上材料…,
  承诺, a signature block) — never the tail of a paragraph or a table;
- a seal / signature / date line alone at the top of a page (split from its label);
- a table continued on a new page without its header row, or with a merged label cell
  (一级/二级指标) left blank on the continued page;
- a table cell line holding only a stray fragment (a lone "%", the last character of a
  short word, the tail of a credit code, e-mail or date);
- text outside the page or across a table's rule (overflow, clipping).

Measured with pdfplumber on the PDF LibreOffice made, so it sees the page the bureau
prints, not the XML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MIN_FILL = 0.20  # a page using less than this share of the text area is "mostly empty"
MM = 72 / 25.4

# What a page number looks like in the footer: "— 3 —", "- 3 -", "第 3 页", "第3页 共5页", "3".
PAGE_NO = re.compile(r"^(?:[—–\-－]\s*(\d+)\s*[—–\-－]|第\s*(\d+)\s*页(?:\s*[，,]?\s*共\s*\d+\s*页)?|(\d+))$")
# The first line of a block that may stand alone on the last page (not the tail of a paragraph).
BLOCK_START = re.compile(r"^(注\s*\d*\s*[：:]|说明[：:]|以上材料|申报承诺|承诺|真实性承诺|填表人|企业负责人|单位负责人|法定代表人|法人代表)")
# A line that must not start a page on its own: the seal / date part of a signature block.
SEAL_LINE = re.compile(r"^[（(]?\s*(?:单位)?(?:公章|盖章|签章|签字|签名)\s*[）)]?$|^(?:日期[:：])?\s*\d{0,4}\s*年\s*\d{0,2}\s*月\s*\d{0,2}\s*日$")
CJK = re.compile(r"[\u3400-\u9fff]")
TOKEN_CHAR = re.compile(r"[0-9A-Za-z@._\-]")
DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
SHORT_TEXT = 10  # a cell text up to this many characters is a label or a value: no word of it may break
PHONE = re.compile(r"(?:\d{3,4}-)?\d{7,8}|1\d{10}")
PUNCT = set("，。、；：？！）》」』”’%％)]}.,;:")


@dataclass(frozen=True)
class Finding:
    form_id: str
    page: int  # 1-based
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.form_id} 第{self.page}页：{self.message}"


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


def _lines(chars: list[dict]) -> list[_Line]:
    """Characters grouped into visual lines (same baseline band), left to right."""
    rows: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        for row in rows:
            ref = row[0]
            if abs(ch["top"] - ref["top"]) < 0.5 * max(ref["size"], 1) and \
                    abs(ch["bottom"] - ref["bottom"]) < 0.6 * max(ref["size"], 1):
                row.append(ch)
                break
        else:
            rows.append([ch])
    out = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        # split a visual row where there is a wide gap (two cells side by side)
        parts: list[list[dict]] = [[row[0]]]
        for ch in row[1:]:
            prev = parts[-1][-1]
            if ch["x0"] - prev["x1"] > 2.5 * max(prev["size"], 1):
                parts.append([ch])
            else:
                parts[-1].append(ch)
        for part in parts:
            if not "".join(c["text"] for c in part).strip():
                continue
            out.append(_Line("".join(c["text"] for c in part), part[0]["x0"], part[-1]["x1"],
                             min(c["top"] for c in part), max(c["bottom"] for c in part),
                             max(c["size"] for c in part)))
    out.sort(key=lambda ln: (ln.top, ln.x0))
    return out


def _text_area(page) -> tuple[float, float, float, float]:
    """The page's text area (x0, top, x1, bottom): the extent of everything drawn on the
    page, widened to at least the GB/T 9704 margins' area; the footer band excluded."""
    w, h = float(page.width), float(page.height)
    return 20 * MM, 25 * MM, w - 20 * MM, h - 25 * MM


def _footer_lines(lines: list[_Line], page) -> list[_Line]:
    h = float(page.height)
    return [ln for ln in lines if ln.top > h - 30 * MM]


def _body_lines(lines: list[_Line], page) -> list[_Line]:
    h = float(page.height)
    return [ln for ln in lines if ln.top <= h - 30 * MM]


def _page_number(lines: list[_Line], page) -> tuple[str, int] | None:
    """The page number in the footer band and its style ("— N —"), or None."""
    for ln in reversed(_footer_lines(lines, page)):
        text = re.sub(r"\s+", " ", ln.text.strip())
        m = PAGE_NO.match(text)
        if m:
            n = int(next(g for g in m.groups() if g))
            style = PAGE_NO.sub(lambda mm: text.replace(next(g for g in mm.groups() if g), "N", 1), text)
            return re.sub(r"\s+", "", style), n
    return None


def _used_bottom(page, body: list[_Line]) -> float:
    """The lowest point of the page's content (text, table rules, images), footer excluded."""
    limit = float(page.height) - 30 * MM
    ys = [ln.bottom for ln in body]
    for obj in list(page.rects) + list(page.lines) + list(page.images):
        if obj["bottom"] <= limit:
            ys.append(float(obj["bottom"]))
    return max(ys) if ys else 0.0


def _cells(table) -> list[tuple[float, float, float, float]]:
    return [c for c in table.cells if c]


def _chars_in(chars: list[dict], bbox: tuple[float, float, float, float]) -> list[dict]:
    x0, top, x1, bottom = bbox
    return [c for c in chars if x0 - 1 <= (c["x0"] + c["x1"]) / 2 <= x1 + 1
            and top - 1 <= (c["top"] + c["bottom"]) / 2 <= bottom + 1]


def _fragment(prev: str, last: str, whole: str) -> str | None:
    """Why the last line of a cell is a stray fragment, or None."""
    last_s, prev_s = last.strip(), prev.strip()
    if not last_s or not prev_s or prev != prev.rstrip():
        return None  # the line ended at a space: a break between words
    if PHONE.fullmatch(last_s) and PHONE.search(prev_s):
        return None  # two telephone numbers, one a line (a 电话 / 手机 cell)
    if all(ch in PUNCT for ch in last_s):
        return f"“{last_s}”单独成行"
    if TOKEN_CHAR.match(prev_s[-1]) and TOKEN_CHAR.match(last_s[0]) and len(last_s) <= 12 \
            and re.fullmatch(r"[0-9A-Za-z@._\-]+[。；，]?", last_s):
        return f"“{prev_s[-6:]}/{last_s}”在编码、邮箱或数字中间断行"
    joined = prev_s + last_s
    # a date broken in a label or value (a long paragraph may wrap anywhere)
    for m in DATE.finditer(joined if len(re.sub(r"\s", "", whole)) <= 40 else ""):
        if m.start() < len(prev_s) < m.end():
            return f"日期“{m.group(0)}”被断开"
    core = last_s.rstrip("".join(PUNCT))
    if len(core) == 1 and CJK.match(core) and len(re.sub(r"\s", "", whole)) <= SHORT_TEXT:
        return f"“{prev_s[-4:]}/{last_s}”词语被断开（列宽不足）"
    return None


def _table_findings(page, tables, chars: list[dict]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for table in tables:
        for bbox in _cells(table):
            inside = _chars_in(chars, bbox)
            lines = _lines(inside)
            if len(lines) >= 2:
                whole = "".join(ln.text for ln in lines)
                # one character per line: the column is far too narrow for its header
                if len(lines) >= 3 and all(len(ln.text.strip()) == 1 for ln in lines):
                    found.append(("narrow", f"“{whole}”每行一个字（列宽不足）"))
                    continue
                x0, top, x1, bottom = bbox
                # a line ending well before the cell's right edge ended on purpose (a line break)
                full = lines[-2].x1 > x1 - 2.5 * max(lines[-2].size, 1) - 6
                why = _fragment(lines[-2].text, lines[-1].text, whole) if full else None
                if why:
                    found.append(("fragment", why))
            x0, top, x1, bottom = bbox
            for c in inside:
                if c["text"].strip() and (c["x1"] > x1 + 1.5 or c["x0"] < x0 - 1.5):
                    found.append(("overflow", f"“{c['text']}”越过表格线（文字溢出）"))
                    break
    return found


def _header_texts(table) -> list[str]:
    """The texts of a table's first row when it is a column header (three or more short,
    non-empty cells), else [] (a form's label/value rows need no repeating)."""
    rows = table.extract()
    if not rows:
        return []
    cells = [re.sub(r"\s+", "", c) for c in rows[0] if c is not None]
    if len(cells) >= 3 and all(0 < len(c) <= 16 for c in cells):
        return cells
    return []


def check_layout(pdf: Path | str, form_id: str) -> list[Finding]:
    """The layout findings of one form's PDF (empty when the printed form is clean)."""
    import pdfplumber

    findings: list[Finding] = []

    def add(page: int, kind: str, message: str) -> None:
        findings.append(Finding(form_id, page, kind, message))

    with pdfplumber.open(str(pdf)) as doc:
        pages = doc.pages
        n_pages = len(pages)
        styles: dict[int, tuple[str, int] | None] = {}
        prev_bottom_table = None
        table_headers: dict[int, list[str]] = {}
        for idx, page in enumerate(pages, 1):
            chars = page.chars
            lines = _lines(chars)
            body = _body_lines(lines, page)
            styles[idx] = _page_number(lines, page)
            x0, top, x1, bottom = _text_area(page)

            # text outside the page
            w, h = float(page.width), float(page.height)
            off = [c for c in chars if c["text"].strip() and (c["x0"] < 0 or c["x1"] > w or c["top"] < 0 or c["bottom"] > h)]
            if off:
                add(idx, "overflow", f"文字超出页面：“{''.join(c['text'] for c in off[:10])}”")

            # mostly empty
            used = _used_bottom(page, body)
            content_top = min([ln.top for ln in body] + [float(r["top"]) for r in page.rects] or [top])
            fill = max(0.0, (used - min(top, content_top)) / (bottom - top))
            if n_pages > 1 and fill < MIN_FILL:
                text = "".join(ln.text for ln in body)
                # the last page of the form or of one of its parts (the next page opens with a
                # 附表/附件 title) may hold a whole block (notes, 承诺, signatures) from its start
                part_end = idx == n_pages or _opens_part(pages[idx])
                last_ok = part_end and body and BLOCK_START.match(body[0].text.strip())
                if not last_ok:
                    add(idx, "empty", f"页面几乎空白（仅用 {fill:.0%} 版心）：{text[:30] or '（无文字）'}")

            # a seal / date line split from its label
            if idx > 1 and body:
                first = re.sub(r"\s+", "", body[0].text)
                if SEAL_LINE.match(first) or SEAL_LINE.match(body[0].text.strip()):
                    add(idx, "split", f"“{body[0].text.strip()}”与其上方的签章栏分在两页")

            # tables: cells, continued tables
            tables = page.find_tables()
            for kind, message in _table_findings(page, tables, chars):
                add(idx, kind, message)
            if tables and idx > 1 and prev_bottom_table is not None:
                first_table = min(tables, key=lambda t: t.bbox[1])
                above = [ln for ln in body if ln.bottom <= first_table.bbox[1] + 1]
                if not above:  # the page starts with a table: a continuation
                    prev_header = table_headers.get(id(prev_bottom_table)) or _header_texts(prev_bottom_table)
                    header = _header_texts(first_table)
                    first_row = (first_table.extract() or [[]])[0]
                    section = len([c for c in first_row if c is not None]) == 1  # a new section's title row
                    if prev_header and header != prev_header and not section:
                        add(idx, "header", "续表没有重复表头行")
                    else:
                        table_headers[id(first_table)] = prev_header
                    _blank_merged_label(first_table, chars, lambda m: add(idx, "label", m),
                                        header_rows=1 if header == prev_header else 0)
            # the table this page ends with, if it runs to the foot of the page
            prev_bottom_table = None
            if tables:
                lowest = max(tables, key=lambda t: t.bbox[3])
                below = [ln for ln in body if ln.top >= lowest.bbox[3] - 1]
                if not below and lowest.bbox[3] > bottom - 60 * MM:
                    prev_bottom_table = lowest

        # page numbers
        if n_pages > 1:
            numbered = {i: s for i, s in styles.items() if s}
            first = min(numbered) if numbered else n_pages + 1
            # Pages before the first numbered one are front matter (cover, 填报说明, 目录) when
            # the numbering starts there at 1; a cover alone may also go unnumbered.
            front = 1 < first <= n_pages and numbered[first][1] == 1
            missing = [i for i in range(1, n_pages + 1) if i not in numbered
                       and not (i < first and front) and not (i == 1 and _is_cover(pages[0]))]
            for i in missing:
                add(i, "page-number", "没有页码")
            kinds = {s for s, _ in numbered.values()}
            if len(kinds) > 1:
                for i, (s, _) in numbered.items():
                    if s != min(kinds, key=lambda k: sum(1 for v in numbered.values() if v[0] == k) * -1):
                        add(i, "page-number", f"页码样式“{s}”与其他页不同")
            ordered = sorted(numbered.items())
            for (a, (_, na)), (b, (_, nb)) in zip(ordered, ordered[1:]):
                if nb - na != b - a:
                    add(b, "page-number", f"页码 {nb} 不连续（上一页 {na}）")
    findings.sort(key=lambda f: (f.page, f.kind))
    return findings


def _opens_part(page) -> bool:
    """Whether ``page`` opens a new part of the form: its first line a 附表 / 附件 title, or a
    title set larger than 14 pt (a section that starts on a new page)."""
    body = _body_lines(_lines(page.chars), page)
    return bool(body) and (bool(re.match(r"^附\s*[表件]", body[0].text.strip())) or body[0].size > 14.5)


def _is_cover(page) -> bool:
    """A cover: no table, large title type, little text."""
    chars = [c for c in page.chars if c["text"].strip()]
    if not chars or page.find_tables():
        return False
    return max(c["size"] for c in chars) >= 18 and len(chars) < 200


def _blank_merged_label(table, chars: list[dict], report, header_rows: int) -> None:
    """A merged label cell (one cell spanning several rows) left blank at the top of a
    continued table: the 一级/二级指标 is lost on this page."""
    cells = _cells(table)
    if not cells:
        return
    row_tops = sorted({round(c[1], 1) for c in cells})
    if len(row_tops) <= header_rows:
        return
    first_body_top = row_tops[header_rows]
    for bbox in cells:
        if abs(bbox[1] - first_body_top) > 1:
            continue
        spans = sum(1 for t in row_tops if bbox[1] - 1 <= t < bbox[3] - 1)
        if spans >= 2 and not any(c["text"].strip() for c in _chars_in(chars, bbox)):
            report("续表首行的合并标签单元格为空（应重复一级/二级指标或标注“续”）")
            return
