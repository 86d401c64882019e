"""Pages as lines of positioned text segments, whatever engine read them.

A PDF text layer (read by PDFium), an OCR result and a Word document all end up
as the same structure: a :class:`Page` of :class:`Line` s, each line a left-to-right
list of :class:`Segment` s (a run of text with its box). Where two segments are far
apart (two table cells, a label and its value across the page) the line's text
joins them with ``" | "``; the extraction templates treat ``|`` as a cell boundary.

Text is normalised once, here: NFKC (full-width digits, letters and ``：（）`` become
ASCII), and the spaces that OCR engines and spaced-out labels put between Chinese
characters are removed (``"常 州 澜 衡"`` → ``"常州澜衡"``, ``"名　　称"`` → ``"名称"``),
and so are those between Chinese and digits or Latin letters (``"2024 年"``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

CELL = " | "

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# "常 州" → "常州", "年 5 月" stays (digits are not CJK): only between two CJK characters.
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0]+(?=[{_CJK}])")
# "2024 年 5 月" → "2024年5月", "218 号" → "218号": the gap Word and LibreOffice put
# between Chinese and Western characters (autospace) is layout, not a space.
_CJK_ALNUM_SPACE = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0]+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z])[ \t\u00a0]+(?=[{_CJK}])")
_SPACES = re.compile(r"[ \t\u00a0]{2,}")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u2060\ufeff]")


def normalise_text(text: str) -> str:
    """NFKC, no spaces between CJK characters, single spaces elsewhere.

    NFKC leaves 〔〕 (文号 brackets) and 〇 alone; it turns ``：`` into ``:``, ``（）``
    into ``()``, ``２０２４`` into ``2024`` and the Kangxi radicals some PDFs use
    (``⼯`` U+2F2F) into the ordinary characters (``工``).
    """
    text = unicodedata.normalize("NFKC", _ZERO_WIDTH.sub("", text))
    text = text.replace("\u3000", " ")
    text = _CJK_SPACE.sub("", text)
    text = _CJK_ALNUM_SPACE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


@dataclass
class Segment:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    confidence: float = 1.0

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1e-6)

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Line:
    segments: list[Segment]
    # A row of a table read cell by cell (Word, ruled PDF tables): the column index of
    # each segment is exact, so year columns are aligned by index, not by position.
    table_row: bool = False

    @property
    def text(self) -> str:
        return CELL.join(s.text for s in self.segments if s.text)

    @property
    def confidence(self) -> float:
        return min((s.confidence for s in self.segments), default=1.0)

    @property
    def filled(self) -> list[Segment]:
        return [s for s in self.segments if s.text]

    @property
    def top(self) -> float:
        return min(s.top for s in self.segments)

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.segments)

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1e-6)


@dataclass
class Page:
    number: int                 # 1-based
    lines: list[Line] = field(default_factory=list)
    source: str = "text"        # text | ocr | docx
    note: str | None = None     # why the page was read the way it was

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def group_lines(segments: list[Segment]) -> list[Line]:
    """Segments → lines, top to bottom, each left to right.

    A segment joins the line whose vertical centre is within half the smaller height
    of its own; a slight skew (≤ 2°) is corrected first, so that a label at the left
    edge and its value at the right edge of a scanned page stay on one line.
    """
    segments = [s for s in segments if s.text.strip()]
    if not segments:
        return []
    angle = _skew(segments)
    if abs(angle) > 0.05:
        sin, cos = math.sin(math.radians(angle)), math.cos(math.radians(angle))
        # A line rising to the right by θ has y = y0 − x·tanθ: rotate it level.
        keyed = [(s, s.cy * cos + ((s.x0 + s.x1) / 2) * sin) for s in segments]
    else:
        keyed = [(s, s.cy) for s in segments]
    keyed.sort(key=lambda item: item[1])
    lines: list[tuple[float, float, list[Segment]]] = []  # (centre, height, segments)
    for seg, cy in keyed:
        if lines:
            centre, height, members = lines[-1]
            if abs(cy - centre) <= 0.5 * min(height, seg.height):
                members.append(seg)
                n = len(members)
                lines[-1] = ((centre * (n - 1) + cy) / n, max(height, seg.height), members)
                continue
        lines.append((cy, seg.height, [seg]))
    return [Line(sorted(members, key=lambda s: s.x0)) for _, _, members in lines]


def _skew(segments: list[Segment]) -> float:
    """The page's skew in degrees, from OCR boxes that carry it (attribute ``angle``)."""
    angles = sorted(getattr(s, "angle", 0.0) for s in segments if len(s.text) >= 4)
    return angles[len(angles) // 2] if angles else 0.0


@dataclass
class SkewedSegment(Segment):
    angle: float = 0.0  # degrees, positive when the text rises to the right


# --- tables with years as columns or rows -------------------------------------------

_YEAR_CELL = re.compile(r"^(?:(?:19|20)\d\d)\s*年?度?$")  # "2024", "2024年", "2024年度"


_LABEL_END = re.compile(r"(?:年份|年度|日期|时间|年)[*:：]?$")


def _year_of(text: str) -> int | None:
    text = text.strip()
    return int(text[:4]) if _YEAR_CELL.match(text) else None


def year_lines(lines: list[Line]) -> list[tuple[str, float]]:
    """Restate tables keyed by year as one ``"2024年 <label>: <value>"`` line per cell.

    Two orientations occur: years across the header (``项目 | 2022年 | 2023年`` then
    ``综合能耗(tce) | 5,980 | 6,144``: 浙江 动态管理表, 审计报告 summaries) and years
    down the first column (``2023年 | 1,284.6 | 9,872.3`` under a header naming the
    categories: 核查结论 tables). Templates then need one pattern for both, e.g.
    ``(?P<year>20\\d\\d)年 类别1[^:\\n]*: (?P<value>…)``.
    """
    out: list[tuple[str, float]] = []
    header: Line | None = None
    label_header: Line | None = None  # a header row of labels above year rows
    for line in lines:
        cells = line.segments if line.table_row else line.filled
        if len(cells) < 2:
            # A line that is not a table row ends the table, unless it is the wrapped
            # end of a header cell ("类别2(能源间接排" / "放)") under an OCR'd table.
            if len(line.text) > 6:
                header, label_header = None, None
            continue
        years = [_year_of(c.text) for c in cells]
        # "入选年份 | 2023" is a label and its value, not a column heading
        years = [None if y and j and _LABEL_END.search(cells[j - 1].text) and not _year_of(cells[j - 1].text) else y
                 for j, y in enumerate(years)]
        if any(years[1:]) and years[0] is None:
            header = line
            continue
        if years[0] and label_header is not None:
            for j, cell in enumerate(cells[1:], start=1):
                label = _column_cell(label_header, line, j)
                if label and cell.text:
                    out.append((f"{years[0]}年 {label}: {cell.text}", line.confidence))
            continue
        if header is not None and years[0] is None:
            heads = [_column_cell(header, line, j) for j in range(len(cells))]
            head_years = [_year_of(h) if h else None for h in heads]
            if line.table_row and header.table_row and "最近一年" in cells[0].text:
                # one value merged across the year columns, in a row headed 最近一年…:
                # it is the latest year's
                for j in range(1, len(cells)):
                    spanned = [_year_of(h) for h in _table_heads(header, line, j)]
                    if heads[j] is None and len(spanned) > 1 and all(spanned):
                        heads[j], head_years[j] = str(max(spanned)), max(spanned)
            first = next((j for j, y in enumerate(head_years) if y and j), None)
            # The row's label is the cell left of the first year column: in
            # "企业近3年经营情况 | 工业总产值(亿元) | 2.98 | …" it is 工业总产值(亿元).
            label = next((cells[j].text for j in range(first - 1, -1, -1) if cells[j].text), "") if first else ""
            for j, cell in enumerate(cells):
                if head_years[j] and j >= (first or 1) and cell.text and label:
                    out.append((f"{head_years[j]}年 {label}: {cell.text}", line.confidence))
        if not any(years):
            label_header = line
    return out


def column_lines(lines: list[Line]) -> list[tuple[str, float]]:
    """Restate a row of labels over a row of values as ``"<label>: <value>"`` lines.

    Certificates print their dates in columns: ``Initial Certification: | Current
    Certificate: | Certificate Expiry:`` and under them ``04-08-2021 | 04-08-2023 |
    03-08-2024``. The labels end with a colon, or carry no digit while every value under
    them does; each value is paired with the label it sits under.
    """
    out: list[tuple[str, float]] = []
    for above, below in zip(lines, lines[1:]):
        labels, values = above.filled, below.filled
        if len(labels) < 2 or len(values) != len(labels):
            continue
        colons = all(seg.text.rstrip().endswith(":") for seg in labels)
        shaped = (all(not re.search(r"\d", seg.text) for seg in labels)
                  and all(re.search(r"\d", seg.text) for seg in values))
        if not (colons or shaped):
            continue
        if not (above.table_row and below.table_row):
            overlaps = all(min(a.x1, b.x1) - max(a.x0, b.x0) > -0.5 * a.height for a, b in zip(labels, values))
            if not overlaps:
                continue
        for label, value in zip(labels, values):
            out.append((f"{label.text.rstrip(': ')}: {value.text}", min(above.confidence, below.confidence)))
    return out


def _table_heads(header: Line, row: Line, index: int) -> list[str]:
    """The header cells of a read table that ``row.segments[index]`` lies under, by
    position: a header or row with merged cells does not shift the columns after it."""
    cell = row.segments[index]
    if cell.x1 <= cell.x0:  # a merged cell's empty placeholder (pdfplumber)
        return []
    return [head.text for head in header.segments if head.text and head.x1 > head.x0
            and min(head.x1, cell.x1) - max(head.x0, cell.x0) > 0.5 * min(head.x1 - head.x0, cell.x1 - cell.x0)]


def _column_cell(header: Line, row: Line, index: int) -> str | None:
    """The header cell above ``row.segments[index]``: by horizontal overlap, on a page
    laid out by position (OCR, text layer) and in a read table alike.

    In a table the cell must lie under exactly one header cell: a value merged across
    the three year columns (附件6-1's 最近一年能源消耗情况) belongs to none of them."""
    if header.table_row and row.table_row:
        under = _table_heads(header, row, index)
        return under[0] if len(under) == 1 else None
    cell = row.segments[index] if row.table_row else row.filled[index]
    best, best_overlap = None, 0.0
    for head in header.filled:
        overlap = min(head.x1, cell.x1) - max(head.x0, cell.x0)
        if overlap > best_overlap:
            best, best_overlap = head.text, overlap
    if best is None:  # no overlap: the nearest header centre
        centre = (cell.x0 + cell.x1) / 2
        best = min(header.filled, key=lambda h: abs((h.x0 + h.x1) / 2 - centre)).text
    return best
