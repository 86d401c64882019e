"""Find a template's fields in a document's pages, each with its provenance.

The pages are flattened into one text (line by line, cells joined by ``" | "``, and
year-keyed table cells restated as ``"2024年 <label>: <value>"`` lines after each
page); every pattern of a field is tried in order over that text, and each match's
``value`` group goes through the field's normaliser until one is accepted. The
value remembers its page, the line it was read from and a confidence: the OCR score
of that line (1.0 for a text layer) times the normaliser's factor.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from ..dates import find_dates, settle_order, valid_until
from .codes import find_codes
from .layout import CELL, Page, column_lines, is_cjk, year_lines
from .normalise import NORMALISERS, Ambiguous, Reject
from .doctypes import CompiledField, CompiledTemplate, label_regex

# Confidence of text read from a text layer by each engine (OCR carries its own).
SOURCE_CONFIDENCE = {"text": 1.0, "docx": 1.0}


@dataclass
class Found:
    value: Any
    page: int
    text: str
    confidence: float
    note: str | None = None  # how the value was checked or repaired, for the user

    def to_dict(self) -> dict:
        out = {"value": self.value, "page": self.page, "text": self.text, "confidence": round(self.confidence, 3)}
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class _TextLine:
    start: int
    end: int
    page: Page
    index: int | None        # index in page.lines; None for a restated year line
    text: str
    confidence: float
    spans: list[tuple[int, int, Any]] = field(default_factory=list)  # (start, end, Segment)


class DocText:
    """The pages as one string, with a way back from an offset to page and line."""

    def __init__(self, pages: list[Page]):
        parts: list[str] = []
        self.lines: list[_TextLine] = []
        self.date_order: str | None = None
        self.notes: list[str] = []
        offset = 0
        for page in pages:
            base = SOURCE_CONFIDENCE.get(page.source)
            for index, line in enumerate(page.lines):
                text, spans, pos = [], [], offset
                for seg in line.filled:
                    if text:
                        text.append(CELL)
                        pos += len(CELL)
                    text.append(seg.text)
                    spans.append((pos, pos + len(seg.text), seg))
                    pos += len(seg.text)
                joined = "".join(text)
                conf = base if base is not None else line.confidence
                self.lines.append(_TextLine(offset, offset + len(joined), page, index, joined, conf, spans))
                parts.append(joined + "\n")
                offset += len(joined) + 1
            for restated, conf in year_lines(page.lines) + column_lines(page.lines):
                conf = base if base is not None else conf
                self.lines.append(_TextLine(offset, offset + len(restated), page, None, restated, conf))
                parts.append(restated + "\n")
                offset += len(restated) + 1
        self.text = "".join(parts)
        self._starts = [line.start for line in self.lines]

    def line_at(self, offset: int) -> _TextLine:
        return self.lines[max(0, bisect.bisect_right(self._starts, offset) - 1)]


def extract_fields(template: CompiledTemplate, pages: list[Page], notes: list[str] | None = None) -> dict[str, Found]:
    """The template's fields found in ``pages``; what could not be settled (a date whose
    day/month order the document does not show) is said in ``notes``."""
    doc = DocText(pages)
    doc.date_order = settle_order(find_dates(doc.text))
    doc.notes = notes if notes is not None else []
    found: dict[str, Found] = {}
    stop_labels = {f.name: [lab for other in template.fields if other is not f for lab in other.labels if len(lab) >= 2]
                   for f in template.fields}
    # Scalar fields first: a per-year field without a year in its match takes the
    # document's year.
    ordered = sorted(template.fields, key=lambda f: f.spec.per_year)
    for compiled in ordered:
        if compiled.spec.per_year:
            doc_year = found["year"].value if "year" in found else None
            per_year = _find_per_year(compiled, doc, stop_labels[compiled.name], doc_year)
            if per_year:
                found[compiled.name] = _merge_years(per_year)
        else:
            hit = _find(compiled, doc, stop_labels[compiled.name])
            if hit is not None:
                found[compiled.name] = hit
    names = {f.name for f in template.fields}
    if "credit_code" in names:
        _credit_code(doc, found)
    if "valid_until" in names:
        _valid_until(doc, found)
    return found


def _found_at(doc: "DocText", offset: int, value: Any, confidence: float, note: str | None = None) -> Found:
    line = doc.line_at(offset)
    return Found(value, line.page.number, line.text, line.confidence * confidence, note)


_CODE_LABEL = re.compile(r"统一社会信用代码|信用代码|社会信用|注册号|Credit Code", re.IGNORECASE)


def _credit_code(doc: "DocText", found: dict[str, Found]) -> None:
    """A credit code that validates, found anywhere (codes.py), when the labelled one is
    missing or did not validate: the one nearest after a 信用代码 label, else the first."""
    if "credit_code" in found and found["credit_code"].confidence >= 0.7:
        return
    codes = find_codes(doc.text)
    if not codes:
        return
    labels = [m.end() for m in _CODE_LABEL.finditer(doc.text)]

    def distance(code) -> float:
        after = [code.start - end for end in labels if 0 <= code.start - end]
        return min(after) if after else float("inf")

    best = min(codes, key=lambda c: (distance(c), -c.confidence, c.start))
    found["credit_code"] = _found_at(doc, best.start, best.code, best.confidence, best.note)


def _valid_until(doc: "DocText", found: dict[str, Found]) -> None:
    """有效期至 read by dossier/dates.py, as the evidence check reads it: both agree."""
    until = valid_until(doc.text)
    if until is not None:
        found["valid_until"] = _found_at(doc, until.start, until.date.isoformat(), 1.0)


def _matches(compiled: CompiledField, doc: DocText, stops: list[str]):
    """Every accepted (match, Found) of the field, patterns in order."""
    normaliser = NORMALISERS[compiled.spec.normaliser_name]
    params = dict(compiled.spec.normaliser_params, _date_order=getattr(doc, "date_order", None))
    for index, regex in enumerate(compiled.regexes):
        params["_pattern"] = index
        for match in regex.finditer(doc.text):
            raw = match.group("value")
            if raw is None:
                continue
            unit = match.groupdict().get("unit")
            if unit:  # the unit stated in the label: "工业总产值(亿元): 2.98"
                raw = f"{raw} {unit.strip('() ')}"
            start = match.start("value")
            line = doc.line_at(start)
            texts = [line.text]
            if compiled.spec.multiline:
                extra, more = _continuation(doc, line, start, match.end("value"), stops)
                raw += "".join(extra)
                texts += more
            if compiled.spec.cut_at_labels and compiled.spec.normaliser_name in _CUTTABLE:
                raw = _cut(raw, stops)
            try:
                value, factor = normaliser(raw, params)
            except Ambiguous as exc:
                note = f"{compiled.spec.label}：{exc}"
                if note not in doc.notes:
                    doc.notes.append(note)
                continue
            except Reject:
                continue
            end_line = doc.line_at(max(start, match.end("value") - 1))
            confidence = min(line.confidence, end_line.confidence) * factor
            yield match, Found(value, line.page.number, " / ".join(t for t in texts if t), confidence)


_CUTTABLE = {"text", "org_name", "person", "capital", "measure"}


def _find(compiled: CompiledField, doc: DocText, stops: list[str]) -> Found | None:
    result = None
    for _, found in _matches(compiled, doc, stops):
        result = found
        if compiled.spec.pick == "first":
            break
    return result


def _find_per_year(compiled: CompiledField, doc: DocText, stops: list[str], doc_year: Any) -> dict[int, Found]:
    out: dict[int, Found] = {}
    for match, found in _matches(compiled, doc, stops):
        year = match.groupdict().get("year")
        year = int(year) if year else doc_year
        if not isinstance(year, int):
            continue
        if year not in out or compiled.spec.pick == "last":
            out[year] = found
    return out


def _merge_years(per_year: dict[int, Found]) -> Found:
    years = sorted(per_year)
    first = per_year[years[0]]
    return Found(
        value={str(y): per_year[y].value for y in years},
        page=first.page,
        text=" / ".join(dict.fromkeys(per_year[y].text for y in years)),
        confidence=min(f.confidence for f in per_year.values()),
    )


def _cut(raw: str, stops: list[str]) -> str:
    """``有限责任公司(自然人投资或控股) 成立日期`` → cut before the next field's label."""
    cut = len(raw)
    for label in stops:
        match = re.search(label_regex(label), raw)
        if match and 0 < match.start() < cut:
            cut = match.start()
    return raw[:cut]


def _continuation(doc: DocText, line: _TextLine, start: int, end: int, labels: list[str]) -> tuple[list[str], list[str]]:
    """Lines that continue a wrapped value: an address or a scope running on in its
    cell. The value's line must be full (reach the right edge of its column, else it
    did not wrap); a following line continues it when it starts below the value's
    cell (within about a character), follows closely, is mostly Chinese and does not
    start a label of the template (``法定代表人``, ``发证日期:`` …); up to three lines."""
    if line.index is None:
        return [], []
    span = next(((a, b, s) for a, b, s in line.spans if a <= start < b and end <= b), None)
    if span is None or end != span[1]:
        return [], []  # the value does not run to the end of its cell
    seg = span[2]
    # where the value starts in its segment (OCR joins "所" and the address in one box)
    value_x0 = seg.x0 + (start - span[0]) / max(1, span[1] - span[0]) * (seg.x1 - seg.x0)
    page_lines = line.page.lines
    tolerance = 1.5 * seg.height
    column_right = max((s.x1 for other in page_lines for s in other.filled if abs(s.x0 - seg.x0) <= tolerance),
                       default=seg.x1)
    if seg.x1 < column_right - 3 * seg.height:
        return [], []
    label_res = [re.compile(label_regex(lab)) for lab in labels]
    extra, texts = [], []
    previous = page_lines[line.index]
    skipped = 0
    for nxt in page_lines[line.index + 1: line.index + 5]:
        # a line of the other column only (a two-column licence) may sit between two
        # lines of the value: one such line is stepped over
        if nxt.top - previous.bottom > (1.0 + 1.5 * skipped) * previous.height:
            break
        if any(r.match(s.text) for s in nxt.filled for r in label_res):
            break
        below = next((s for s in nxt.filled if min(abs(s.x0 - seg.x0), abs(s.x0 - value_x0)) <= tolerance), None)
        if below is None and not skipped and all(s.x1 < value_x0 for s in nxt.filled):
            skipped = 1
            continue
        if below is None or ":" in below.text[:10] or not _mostly_chinese(below.text):
            break
        skipped = 0
        extra.append(below.text)
        texts.append(nxt.text)
        previous = nxt
        if below.text.endswith(("。", ")", "）")):
            break
    return extra, texts


def _mostly_chinese(text: str) -> bool:
    chars = [c for c in text if not c.isspace()]
    return bool(chars) and sum(1 for c in chars if is_cjk(c)) / len(chars) >= 0.2  # "楼108-58房": two Chinese characters in eight
