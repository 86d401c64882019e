"""Writing text into a workbook cell without turning it into a formula.

openpyxl stores a string that starts with ``=`` as a formula: a company name typed as
``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0`` would run in the user's Excel. Every cell
value that comes from a user goes through :func:`set_cell`: such text stays text.
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START) and len(value) > 1


def set_cell(cell: Any, value: Any) -> Any:
    """``cell.value = value``, with formula-like text stored as plain text."""
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"  # a string cell: Excel shows the text, never evaluates it
    return cell
