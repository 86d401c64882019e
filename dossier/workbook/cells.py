"""What a cell may hold, and the conversions between a dossier value and a cell.

Every input cell of the workbook has a :class:`Kind` derived from the dossier model
(``Number`` → number, ``Date`` → date, a ``Literal`` → a drop-down …). The kind
decides how the value is written (number format, drop-down, data validation) and how
the cell is read back; a cell that cannot be read raises :class:`CellError` with the
sentence the import report shows after the cell address
(“年度数据!C7：应为数字，实际为“约三千””).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from ..model import parse_date_text  # the date spellings dossier.yaml accepts, so both agree

TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
YES, NO = "是", "否"
# Bounds of the "any number" validation: Excel needs a range; no figure of a dossier
# comes near it (the largest, a park's 工业用新鲜水量, is ~10^8).
NUMBER_LIMIT = 1e15


class CellError(ValueError):
    """A cell whose content cannot be read as its kind; the message is Chinese."""


@dataclass(frozen=True)
class Kind:
    """The type of an input cell.

    ``name``: text | lines | number | int | date | choice | bool | measure.
    ``choices``: (value stored in dossier.yaml, label shown in the drop-down).
    ``minimum``/``maximum``: bounds of a number (points 0–max, energy ≥ 0).
    """

    name: str
    choices: tuple[tuple[Any, str], ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    @property
    def labels(self) -> list[str]:
        return [label for _, label in self.choices]

    def with_bounds(self, minimum: float | None, maximum: float | None) -> "Kind":
        return Kind(self.name, self.choices, minimum, maximum)


TEXT = Kind("text")
LINES = Kind("lines")
NUMBER = Kind("number")
INT = Kind("int")
DATE = Kind("date")
BOOL = Kind("bool", ((True, YES), (False, NO)))
MEASURE = Kind("measure")


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


# --- dossier value → cell --------------------------------------------------------------


def to_cell(kind: Kind, value: Any) -> Any:
    """The value to write into a cell of ``kind``."""
    if is_empty(value):
        return None
    if kind.name == "lines":
        return "\n".join(str(v) for v in value)
    if kind.name in ("choice", "bool"):
        for stored, label in kind.choices:
            if stored == value:
                return label
        return str(value)
    if kind.name == "date":
        return dt.datetime(value.year, value.month, value.day) if isinstance(value, dt.date) else value
    if kind.name in ("number", "measure") and isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if kind.name == "text" and not isinstance(value, str):
        return str(value)
    return value


def number_format(kind: Kind) -> str | None:
    if kind.name in ("text", "lines", "choice", "bool"):
        return TEXT_FORMAT  # "0519-86512368" must stay text, not become a number
    if kind.name == "date":
        return DATE_FORMAT
    return None


# --- cell → dossier value --------------------------------------------------------------


def shown(value: Any) -> str:
    """A cell value as the report quotes it: “约三千”."""
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 13800000000 typed into a text cell arrives as a number
    if isinstance(value, dt.datetime):
        return shown(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n")


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise CellError(f"应为数字，实际为“{shown(value)}”")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellError("应为数字")
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        raise CellError(f"应为数字，实际为日期“{shown(value)}”")
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        return float(text)
    except ValueError:
        raise CellError(f"应为数字，实际为“{shown(value)}”") from None


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            parsed = parse_date_text(value)
        except ValueError:
            raise CellError(f"不存在的日期“{value.strip()}”") from None
        if parsed is not None:
            return parsed
    raise CellError(f"应为日期（如 2025-03-01），实际为“{shown(value)}”")


def _check_bounds(kind: Kind, number: float) -> None:
    low, high = kind.minimum, kind.maximum
    if low is not None and number < low or high is not None and number > high:
        if low is not None and high is not None:
            raise CellError(f"应在 {low:g}–{high:g} 之间，实际为 {number:g}")
        if low is not None:
            raise CellError(f"不能小于 {low:g}，实际为 {number:g}")
        raise CellError(f"不能大于 {high:g}，实际为 {number:g}")


def from_cell(kind: Kind, value: Any) -> Any:
    """Read a cell as ``kind``: the dossier value, or ``None`` for an empty cell.

    Raises :class:`CellError` when the content does not fit.
    """
    if isinstance(value, str):
        value = value.replace("\r\n", "\n")
    if is_empty(value):
        return [] if kind.name == "lines" else None
    name = kind.name
    if name == "text":
        return _text(value)
    if name == "lines":
        return [line.strip() for line in _text(value).split("\n") if line.strip()]
    if name in ("number", "int"):
        number = _number(value)
        _check_bounds(kind, number)
        if name == "int":
            if not float(number).is_integer():
                raise CellError(f"应为整数，实际为“{shown(value)}”")
            return int(number)
        return number
    if name == "measure":
        try:
            return _number(value)
        except CellError:
            return _text(value).strip()  # a qualitative indicator: "已建成"
    if name == "date":
        return _date(value)
    if name in ("choice", "bool"):
        if isinstance(value, bool) and name == "bool":
            return value
        text = _text(value).strip()
        for stored, label in kind.choices:
            if text == label or text == str(stored):
                return stored
        allowed = "、".join(kind.labels)
        raise CellError(f"应为下拉选项之一（{allowed}），实际为“{shown(value)}”")
    raise AssertionError(f"unknown kind {name}")  # pragma: no cover


def same(kind: Kind, new: Any, old: Any) -> bool:
    """Does the value read from a cell equal the dossier's?

    Numbers compare with a relative tolerance of 1e-12: a workbook saved by Excel or
    WPS keeps 15 significant digits, and 0.1229 must not count as an edit.
    """
    if is_empty(new) and is_empty(old):
        return True
    if is_empty(new) or is_empty(old):
        return False
    if kind.name in ("number", "int", "measure") and _is_number(new) and _is_number(old):
        return math.isclose(float(new), float(old), rel_tol=1e-12, abs_tol=0.0)
    if kind.name == "lines":
        return [str(v) for v in new] == [str(v) for v in old]
    if isinstance(old, dt.datetime):
        old = old.date()
    return new == old


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_QUOTE = re.compile(r"\s+")


def display(value: Any, kind: Kind | None = None) -> str:
    """A dossier value as the import report shows it (old and new values)."""
    if is_empty(value):
        return "（空）"
    if kind is not None and kind.name in ("choice", "bool"):
        for stored, label in kind.choices:
            if stored == value:
                return label
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float):
        return f"{value:.12g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _QUOTE.sub(" ", str(value)).strip()
    return text if len(text) <= 60 else text[:59] + "…"
