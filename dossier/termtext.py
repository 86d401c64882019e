"""Chinese text in a terminal: column widths (CJK characters take two), line breaking
that keeps Latin words whole and closing punctuation off a line's start, and padding.
``check``, ``score`` and ``diff`` print their tables with these."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: CJK and full-width characters take two."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text
    )


# A Latin word (or number, or file suffix) stays whole; Chinese breaks between any two
# characters, except that closing punctuation never starts a line (“…报告，” not “，…”).
_TOKEN = re.compile(r"[A-Za-z0-9_.\-]+ ?|.", re.DOTALL)
_NO_LINE_START = set("，。、；：？！）》」』”’,.;:?!)]")


def wrap(text: str, width: int) -> list[str]:
    """Break ``text`` into lines of at most ``width`` columns."""
    lines: list[list[str]] = [[]]
    for token in _TOKEN.findall(text):
        if display_width(token) > width:  # a word longer than the column: cut it
            for ch in token:
                _place(lines, ch, width)
        else:
            _place(lines, token, width)
    return ["".join(line).rstrip() for line in lines]


def _place(lines: list[list[str]], token: str, width: int) -> None:
    line = lines[-1]
    if line and display_width("".join(line) + token.rstrip()) > width:
        carried = [line.pop()] if token in _NO_LINE_START and len(line) > 1 else []
        lines.append(carried)
    lines[-1].append(token)


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces to fill ``width`` terminal columns."""
    return text + " " * max(0, width - display_width(text))


def headed_list(heading: str, items: Iterable[object], indent: str = "  ") -> list[str]:
    """A report's section: ``heading`` then one indented line per item; nothing when
    there are no items."""
    lines = [f"{indent}{item}" for item in items]
    return [heading, *lines] if lines else []
