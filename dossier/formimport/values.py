"""Value types of the import mappings: how the text of a form's cell becomes a dossier
value. Looked up by name (``type: number``); an unknown name fails when the mapping
loads. Each parser takes the cell's paragraphs and returns the value (None: the cell is
blank) and, for numbers, the tolerance its printed precision allows; it raises
ValueError with a Chinese message when the text cannot be read.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable

from ..model import STATUSES

TICK, BOX = "☑", "□"


@dataclass
class Parsed:
    value: Any
    tolerance: float = 0.0


Parser = Callable[[list[str], Any, dict[str, Any]], Parsed]

# "2,640,000", "-0.654", "18.6 km²" (the first number), "66.67%"
_NUMBER = re.compile(r"[-−]?\d[\d,]*(?:\.\d+)?")
# "2026年11月20日", "2026-11-20", "2026.11.20", "2026/11/20"
_DATE = re.compile(r"(\d{4})\s*(?:年|-|\.|/)\s*(\d{1,2})\s*(?:月|-|\.|/)\s*(\d{1,2})")
# The ticked option of a check-box group: "□是　☑否" → 否; "内资（□国有□集体☑民营）" → 民营
_TICKED = re.compile(TICK + r"\s*([^" + TICK + BOX + r"（）()\s]+)")
# A paragraph that indexes evidence, not a statement: "证明材料：a.pdf；b.pdf" or "a.pdf；b.jpg"
_EVIDENCE_LINE = re.compile(r"^(?:证明材料[:：].*|(?:[^；;]+\.(?:pdf|jpe?g|png|tiff?|xlsx?|docx?|zip)[；;]?\s*)+)$",
                            re.IGNORECASE)


# The evaluator's on-site check line the third-party reports add: "现场核查：2026年11月24日；备注：…"
_CHECK_LINE = re.compile(r"^(?:现场核查|备注)[:：]")


def _text(paragraphs: list[str]) -> str:
    return "\n".join(paragraphs).strip()


def text(paragraphs: list[str], target: Any, ctx: dict[str, Any]) -> Parsed:
    """The cell's text; with ``values:``, only a cell reading one of its keys gives a value
    (a 得分 cell reading 不适用 → status 不适用), any other is passed over."""
    value = _text(paragraphs)
    values = getattr(target, "values", None) or {}
    if values:
        return Parsed(values.get(re.sub(r"\s+", "", value)))
    return Parsed(value or None)


def number(paragraphs: list[str], target: Any, ctx: dict[str, Any]) -> Parsed:
    raw = unicodedata.normalize("NFKC", _text(paragraphs))
    values = getattr(target, "values", None) or {}
    if not raw or re.sub(r"\s+", "", raw) in values:  # "不适用" where a figure would be: values: {不适用: null}
        return Parsed(values.get(re.sub(r"\s+", "", raw)) if raw else None)
    match = _NUMBER.search(raw)
    if not match:
        raise ValueError(f"应为数字，实际为“{raw}”")
    digits = match.group().replace(",", "").replace("−", "-")
    scale = getattr(target, "scale", None) or 1
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    value = float(digits) * scale
    value = int(value) if value.is_integer() and abs(value) < 1e15 else round(value, 10)
    return Parsed(value, 0.5 * 10 ** -decimals * scale)


def integer(paragraphs: list[str], target: Any, ctx: dict[str, Any]) -> Parsed:
    parsed = number(paragraphs, target, ctx)
    if parsed.value is not None and float(parsed.value).is_integer():
        return Parsed(int(parsed.value))
    if parsed.value is None:
        return parsed
    raise ValueError(f"应为整数，实际为“{_text(paragraphs)}”")


def measure(paragraphs: list[str], target: Any, ctx: dict[str, Any]) -> Parsed:
    """A number when the cell is one (a trailing unit allowed), else the text (已建成)."""
    raw = unicodedata.normalize("NFKC", _text(paragraphs))
    if raw and re.fullmatch(r"[-−]?\d[\d,]*(?:\.\d+)?\s*%?", raw):
        return number(paragraphs, target, ctx)
    return Parsed(raw or None)


def date(paragraphs: list[str], target: Any, ctx: dict[str, Any]) -> Parsed:
    raw = _text(paragraphs)
    if not raw:
        return Parsed(None)
    match = _DATE.search(unicodedata.normalize("NFKC", raw))
    if not match:
        raise ValueError(f"应为日期（如 2026年11月20日），实际为“{raw}”")
    try:
        return Parsed(dt.date(*(int(g) for g in match.groups())))
    except ValueError:
        raise ValueError(f"不存在的日期：{raw}") from None


def listing(paragraphs: list[str], target: Any, ctx: dict[str, Any]) -> Parsed:
    """"塑料收纳箱、食品级保鲜收纳盒" → two items: 、，,；; and line breaks separate, except
    inside brackets ("新能源装备（光伏组件、储能电池）、高端装备制造" is two items)."""
    items, current, depth = [], "", 0
    for char in _text(paragraphs):
        depth += {"（": 1, "(": 1, "）": -1, ")": -1}.get(char, 0)
        if depth <= 0 and char in "、，,；;\n":
            items.append(current)
            current = ""
        else:
            current += char
    items = [i.strip() for i in items + [current] if i.strip()]
    return Parsed(items or None)


def ticked_all(paragraphs: list[str]) -> list[str]:
    return [t.strip() for t in _TICKED.findall(_text(paragraphs))]


def _mapped(option: str, target: Any) -> Any:
    values = getattr(target, "values", None) or {}
    if values and option not in values:
        raise ValueError(f"勾选项“{option}”不在 {'、'.join(values)} 之中")
    return values.get(option, option)


def ticked(paragraphs: list[str], target: Any, ctx: dict[str, Any]) -> Parsed:
    options = ticked_all(paragraphs)
    if not options:
        return Parsed(None)
    if len(options) > 1:
        raise ValueError(f"只能勾选一项，实际勾选了 {'、'.join(options)}")
    return Parsed(_mapped(options[0], target))


def ticked_list(paragraphs: list[str], target: Any, ctx: dict[str, Any]) -> Parsed:
    options = ticked_all(paragraphs)
    return Parsed([_mapped(o, target) for o in options] or None)


def yes_no(paragraphs: list[str], target: Any, ctx: dict[str, Any]) -> Parsed:
    options = ticked_all(paragraphs)
    if not options:
        return Parsed(None)
    if options not in (["是"], ["否"]):
        raise ValueError(f"应勾选“是”或“否”中的一项，实际为“{_text(paragraphs)}”")
    return Parsed(options == ["是"])


def status(paragraphs: list[str], target: Any, ctx: dict[str, Any]) -> Parsed:
    """符合 / 部分符合 / 不符合 / 不适用: the cell's text, or its ticked option."""
    raw = re.sub(r"\s+", "", _text(paragraphs))
    if raw in STATUSES:
        return Parsed(raw)
    options = [o for o in ticked_all(paragraphs) if o in STATUSES]
    if len(options) == 1:
        return Parsed(options[0])
    if not raw:
        return Parsed(None)
    raise ValueError(f"应为 {'、'.join(STATUSES)} 之一，实际为“{_text(paragraphs)}”")


def statement(paragraphs: list[str], target: Any, ctx: dict[str, Any]) -> Parsed:
    """The 符合性说明 of a row: the cell's paragraphs without what the form adds around it —
    the scheme's evidence hint (Suzhou prints it first), the check-box line, and the
    evidence index (“证明材料：a.pdf；b.pdf”, or the bare file names Zhejiang prints)."""
    hint = re.sub(r"\s+", "", ctx.get("hint") or "")
    kept = []
    for para in paragraphs:
        squashed = re.sub(r"\s+", "", para)
        if not squashed or hint and squashed == hint or TICK in para or BOX in para:
            continue
        if _EVIDENCE_LINE.match(para.strip()) or _CHECK_LINE.match(para.strip()):
            continue
        kept.append(para)
    return Parsed("\n".join(kept).strip() or None)


TYPES: dict[str, Parser] = {
    "text": text,
    "number": number,
    "int": integer,
    "measure": measure,
    "date": date,
    "list": listing,
    "ticked": ticked,
    "ticked_list": ticked_list,
    "yes_no": yes_no,
    "status": status,
    "statement": statement,
}
