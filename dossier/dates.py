"""The one date reader: every date ``dossier`` reads from a document goes through here.

Forms read (after NFKC; spaces between parts allowed):

- ``2014年06月11日``, ``2014-06-11``, ``2014.06.11``, ``2014/6/11``, ``二〇一四年六月十一日``;
- day first or month first: ``04-08-2023``, ``04.08.2023``, ``04/08/2023`` — when both
  numbers are ≤ 12 the order is *ambiguous* and settled by the document's other dates
  (:func:`settle_order`): a date in the same document whose first number is > 12 says
  "day first", one whose second is > 12 says "month first"; failing that, the order under
  which two dates are whole years apart (less a day, as an issue and an expiry date are)
  wins; failing that, the date stays ambiguous and is reported so;
- ``3 August 2024``, ``3rd Aug. 2024``, ``August 3, 2024``, ``Aug 3 2024``.

Used by extraction (``{DATE}`` in templates, the ``date`` normaliser, 有效期至 on
certificates) and by the evidence check's reading of 有效期至 (``evidence_files.py``), so
that both read a certificate the same way.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH_NAME = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_CN = "〇○零一二三四五六七八九"
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "o": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}

_S = r"[ \t]*"
# Each alternative has named groups; the order of the alternatives matters (ISO first).
_YMD = rf"(?P<y1>(?:19|20)\d\d){_S}[年.\-/]{_S}(?P<m1>\d{{1,2}}){_S}[月.\-/]{_S}(?P<d1>\d{{1,2}})(?!\d)(?:{_S}日)?"
_CN_YMD = rf"(?P<y2>[{_CN}]{{4}}){_S}年{_S}(?P<m2>[一二三四五六七八九十]{{1,3}}){_S}月{_S}(?P<d2>[一二三四五六七八九十]{{1,3}}){_S}日"
_XXY = rf"(?<![\d.\-/])(?P<a3>\d{{1,2}}){_S}(?P<sep>[.\-/]){_S}(?P<b3>\d{{1,2}}){_S}(?P=sep){_S}(?P<y3>(?:19|20)\d\d)(?!\d)"
_DMY_NAME = rf"(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?[ \t]*(?:of[ \t]+)?(?P<m4>{_MONTH_NAME})[ \t,]*(?P<y4>(?:19|20)\d\d)(?!\d)"
_MDY_NAME = rf"(?P<m5>{_MONTH_NAME})[ \t]*(?P<d5>\d{{1,2}})(?:st|nd|rd|th)?[ \t]*,?[ \t]*(?P<y5>(?:19|20)\d\d)(?!\d)"

# Usable inside larger patterns (no named groups): the ``{DATE}`` macro of templates.
PATTERN = re.sub(r"\(\?P<\w+>", "(?:", re.sub(r"\(\?P=sep\)", r"[.\\-/]", "|".join((_YMD, _CN_YMD, _XXY, _DMY_NAME, _MDY_NAME))))
PATTERN = rf"(?i:{PATTERN})"
_ANY = re.compile("|".join((_YMD, _CN_YMD, _XXY, _DMY_NAME, _MDY_NAME)), re.IGNORECASE)

DAY_FIRST, MONTH_FIRST = "day-first", "month-first"


class DateError(ValueError):
    """Not a date, or not a date that exists."""


@dataclass(frozen=True)
class DateFound:
    start: int
    end: int
    text: str
    # one date, or two (day-first, month-first) when the order is not printed
    day_first: dt.date | None
    month_first: dt.date | None = None

    @property
    def ambiguous(self) -> bool:
        return self.month_first is not None and self.day_first is not None and self.month_first != self.day_first

    @property
    def date(self) -> dt.date | None:
        return self.day_first if self.month_first is None else None

    def resolved(self, order: str | None) -> dt.date | None:
        if self.month_first is None or self.day_first is None:
            return self.day_first or self.month_first
        if self.day_first == self.month_first:
            return self.day_first
        if order == DAY_FIRST:
            return self.day_first
        if order == MONTH_FIRST:
            return self.month_first
        return None


def _cn_small(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    return _CN_DIGITS[text]


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _from_match(m: re.Match) -> DateFound | None:
    g = m.groupdict()
    if g["y1"]:
        date = _make(int(g["y1"]), int(g["m1"]), int(g["d1"]))
        return DateFound(m.start(), m.end(), m.group(), date) if date else None
    if g["y2"]:
        year = int("".join(str(_CN_DIGITS[c]) for c in g["y2"]))
        date = _make(year, _cn_small(g["m2"]), _cn_small(g["d2"]))
        return DateFound(m.start(), m.end(), m.group(), date) if date else None
    if g["y3"]:
        a, b, year = int(g["a3"]), int(g["b3"]), int(g["y3"])
        day_first, month_first = _make(year, b, a), _make(year, a, b)
        if day_first is None and month_first is None:
            return None
        if day_first is None or month_first is None:  # only one order exists: not ambiguous
            return DateFound(m.start(), m.end(), m.group(), day_first or month_first)
        return DateFound(m.start(), m.end(), m.group(), day_first, month_first)
    if g["y4"]:
        date = _make(int(g["y4"]), _MONTHS[g["m4"].lower().rstrip(".")], int(g["d4"]))
        return DateFound(m.start(), m.end(), m.group(), date) if date else None
    if g["y5"]:
        date = _make(int(g["y5"]), _MONTHS[g["m5"].lower().rstrip(".")], int(g["d5"]))
        return DateFound(m.start(), m.end(), m.group(), date) if date else None
    return None


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def find_dates(text: str) -> list[DateFound]:
    """Every date in ``text`` (NFKC-normalised by the caller or here), in order."""
    text = normalise(text)
    out = []
    for m in _ANY.finditer(text):
        found = _from_match(m)
        if found is not None:
            out.append(found)
    return out


def settle_order(dates: list[DateFound]) -> str | None:
    """Day-first or month-first for the numeric dates of one document, if its dates say."""
    votes = {DAY_FIRST: 0, MONTH_FIRST: 0}
    for d in dates:
        m = re.fullmatch(r"\s*(\d{1,2})\s*[.\-/]\s*(\d{1,2})\s*[.\-/]\s*\d{4}\s*", d.text)
        if not m:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 >= b:
            votes[DAY_FIRST] += 1
        elif b > 12 >= a:
            votes[MONTH_FIRST] += 1
    if votes[DAY_FIRST] != votes[MONTH_FIRST]:
        return DAY_FIRST if votes[DAY_FIRST] > votes[MONTH_FIRST] else MONTH_FIRST
    ambiguous = [d for d in dates if d.ambiguous]
    if not ambiguous:
        return None
    fixed = [d.date for d in dates if d.date is not None]

    def anniversaries(order: str) -> int:
        days = fixed + [d.resolved(order) for d in ambiguous]
        count = 0
        for i, a in enumerate(days):
            for b in days[i + 1:]:
                lo, hi = min(a, b), max(a, b)
                for years in range(1, 7):
                    try:
                        later = lo.replace(year=lo.year + years)
                    except ValueError:  # 29 February
                        later = lo.replace(year=lo.year + years, day=28)
                    if hi in (later, later - dt.timedelta(days=1)):
                        count += 1
        return count

    day, month = anniversaries(DAY_FIRST), anniversaries(MONTH_FIRST)
    if day != month:
        return DAY_FIRST if day > month else MONTH_FIRST
    return None


def parse_date(raw: str, order: str | None = None) -> dt.date:
    """The first date in ``raw``. Raises :class:`DateError` when there is none, or when
    its day/month order is ambiguous and ``order`` does not settle it
    (:class:`AmbiguousDate`)."""
    dates = find_dates(raw)
    if not dates:
        raise DateError("不是日期")
    first = dates[0]
    value = first.resolved(order)
    if value is None:
        raise AmbiguousDate(first)
    return value


class AmbiguousDate(DateError):
    def __init__(self, found: DateFound):
        super().__init__(f"日期 {found.text} 的日、月顺序无法确定：可能是 {found.day_first.isoformat()}，"
                         f"也可能是 {found.month_first.isoformat()}")
        self.found = found


# --- 有效期至 -------------------------------------------------------------------------

_UNTIL_LABEL = re.compile(
    r"有效期(?:限)?(?:至|到|截止(?:日期)?|截至)|有效截止日期|证书到期日|到期日期"
    r"|valid\s*(?:until|through|till|to)|expiry\s*date|expiration\s*date|date\s*of\s*expiry|certificate\s*expiry"
    r"|expires?\s+on",
    re.IGNORECASE,
)
# "有效期：2023年5月11日至2026年5月10日", "本证书有效期自2014年06月11日至2017年06月10日"
_PERIOD_LABEL = re.compile(r"有效期(?:限)?(?:为)?[:：]?\s*自?|valid\s+from", re.IGNORECASE)
_PERIOD_JOIN = re.compile(r"\s*(?:至|到|-|—|~|to|until)\s*", re.IGNORECASE)


# PDF text is often spaced out: "有 效 期 至 2026 年 5 月 10 日"
_SPACED = re.compile(r"(?<=[\u4e00-\u9fff])[ \t]+(?=[\u4e00-\u9fff\d])|(?<=\d)[ \t]+(?=[\u4e00-\u9fff])")


@dataclass(frozen=True)
class Until:
    date: dt.date
    start: int          # offset of the date in the (NFKC) text
    text: str


def valid_until(text: str) -> Until | None:
    """The earliest "valid until" date printed in ``text``.

    Label then date (``有效期至 2026年5月10日``, ``Valid until 01.06.2019``, the date on the
    next line under ``Certificate Expiry:``), or a period (``有效期自…至…``, ``有效期：…至…``).
    Day/month order is settled by all the dates of the text.
    """
    text = _SPACED.sub("", normalise(text))
    dates = find_dates(text)
    order = settle_order(dates)
    found: list[Until] = []
    for label in _UNTIL_LABEL.finditer(text):
        after = [d for d in dates if d.start >= label.end()]
        if not after:
            continue
        nearest = after[0]
        gap = text[label.end():nearest.start]
        # the date follows the label (": ", a cell boundary) or sits under it in a
        # column of labels ("Initial Certification: | Current Certificate: | Certificate Expiry:"
        # then a line of dates): take the date in the same column
        if len(gap) <= 12 and "\n" not in gap.strip(" :：|\t"):
            value = nearest.resolved(order)
            if value:
                found.append(Until(value, nearest.start, nearest.text))
            continue
        column = _column_date(text, label, dates)
        if column is not None and column.resolved(order):
            found.append(Until(column.resolved(order), column.start, column.text))
    for label in _PERIOD_LABEL.finditer(text):
        after = [d for d in dates if d.start >= label.end()]
        if len(after) < 2 or len(text[label.end():after[0].start].strip(" :：")) > 2:
            continue
        between = text[after[0].end:after[1].start]
        if _PERIOD_JOIN.fullmatch(between):
            value = after[1].resolved(order)
            if value:
                found.append(Until(value, after[1].start, after[1].text))
    if not found:
        return None
    return min(found, key=lambda u: u.date)


def _column_date(text: str, label: re.Match, dates: list[DateFound]) -> DateFound | None:
    """The date on the next non-empty line that sits under the label's column (same
    cell index, or the same character column in a text laid out with spaces)."""
    line_start = text.rfind("\n", 0, label.start()) + 1
    line_end = text.find("\n", label.end())
    if line_end < 0:
        return None
    line = text[line_start:line_end]
    cells = line.split(" | ")
    position = label.start() - line_start
    index = len(line[:position].split(" | ")) - 1
    nxt_start = line_end + 1
    while nxt_start < len(text) and text[nxt_start] == "\n":
        nxt_start += 1
    nxt_end = text.find("\n", nxt_start)
    nxt_end = len(text) if nxt_end < 0 else nxt_end
    below = text[nxt_start:nxt_end]
    below_cells = below.split(" | ")
    if len(below_cells) == len(cells) and index < len(below_cells):
        offset = nxt_start + sum(len(c) + 3 for c in below_cells[:index])
        for d in dates:
            if offset <= d.start < offset + len(below_cells[index]):
                return d
    return None
