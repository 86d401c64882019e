"""The jinja environment every form template renders in.

Sandboxed (a user's own template cannot reach Python internals), strict (a name the
context does not have fails instead of printing nothing), and blank where the data is
empty: ``None`` prints as nothing, never as "None".

Helpers the templates use (filters and globals):

=================  ===========================================================
``box(flag)``      ☑ when true, else □ (check boxes)
``boxes(opts, v)`` "☑民营□国有…": one box per option, ticked where it equals / is in v
``num(x, n)``      a number (or a calculator Result) with n decimals, thousands kept plain
``pct(x, n)``      a percentage: 35.5 → "35.5%"; a ratio unit % is taken as is
``date_cn(d)``     2026-11-20 → "2026年11月20日"; ``date_cn(d, "ym")`` → "2026年11月"
``yn(flag)``       是 / 否 / blank
``join(xs, sep)``  joins the non-empty items ("、" by default)
``ml(text)``       keeps the line breaks of a multi-line text in Word
=================  ===========================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from docxtpl import Listing
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from ..calc.result import Result
from .sandbox import DataSandbox, PlainMap, confined_loader

TICK, BOX = "☑", "□"


def _finalize(value: Any) -> Any:
    # {{ x }} with x None prints nothing: a field with no data is visibly blank.
    return "" if value is None else value


def _value(x: Any) -> Any:
    if isinstance(x, PlainMap) and x.is_result():  # a Result as the sandbox passes it
        return x["value"]
    return x.value if isinstance(x, Result) else x


def box(flag: Any) -> str:
    return TICK if flag else BOX


def boxes(options: Iterable[Any], selected: Any, sep: str = "") -> str:
    """``boxes(["国有","集体","民营"], "民营")`` → "□国有□集体☑民营"."""
    chosen = set(selected) if isinstance(selected, (list, tuple, set)) else {selected}
    return sep.join(f"{box(opt in chosen)}{opt}" for opt in options)


def num(x: Any, digits: int = 2, *, strip: bool = True) -> str:
    """A figure as the forms print it: 1234.5 → "1234.50" (digits=2), "" when missing.

    ``strip`` drops trailing zeros after the point ("12.50" → "12.5", "3.00" → "3"),
    which is how people type figures into these tables.
    """
    x = _value(x)
    if x is None or x == "":
        return ""
    if isinstance(x, str):
        return x
    if isinstance(x, bool):
        return "是" if x else "否"
    text = f"{float(x):.{digits}f}"
    if strip and "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def pct(x: Any, digits: int = 1) -> str:
    """35.513 → "35.5%", 52 → "52.0%": one format for every percentage a form prints (the
    calculators give percentages in %, not as ratios)."""
    text = num(x, digits, strip=False)
    return f"{text}%" if text else ""


def date_cn(d: Any, form: str = "ymd") -> str:
    if d is None or d == "":
        return ""
    if isinstance(d, str):
        d = dt.date.fromisoformat(d)
    if form == "ym":
        return f"{d.year}年{d.month}月"
    if form == "y":
        return f"{d.year}年"
    return f"{d.year}年{d.month}月{d.day}日"


def yn(flag: Any) -> str:
    if flag is None:
        return ""
    return "是" if flag else "否"


def join(items: Iterable[Any] | None, sep: str = "、") -> str:
    return sep.join(str(_finalize(i)) for i in (items or []) if i not in (None, ""))


def ml(text: Any) -> Any:
    """A multi-line text whose line breaks Word keeps (docxtpl ``Listing``)."""
    if text in (None, ""):
        return ""
    return Listing(str(text))


FILTERS = {"box": box, "boxes": boxes, "num": num, "pct": pct, "date_cn": date_cn, "yn": yn, "join": join, "ml": ml}


def make_environment(folder: Any = None) -> SandboxedEnvironment:
    """The environment; ``folder``: the template's own folder, the only place ``include``
    and ``import`` may read from (none without it)."""
    env = DataSandbox(undefined=StrictUndefined, finalize=_finalize, autoescape=True,
                      trim_blocks=False, keep_trailing_newline=True,
                      loader=confined_loader(folder) if folder is not None else None)
    env.filters.update(FILTERS)
    env.globals.update(FILTERS)
    return env
