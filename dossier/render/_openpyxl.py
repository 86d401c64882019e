"""openpyxl without numpy: importing openpyxl imports numpy (~0.1 s) only to recognise
numpy's number types in cells. The forms write Python's own numbers, so when numpy is not
loaded yet it is hidden while openpyxl is imported (``summary`` to .xlsx, issue 20); a later
``import numpy`` (OCR) works as usual."""

from __future__ import annotations

import sys

if "openpyxl" in sys.modules or "numpy" in sys.modules:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
else:
    sys.modules["numpy"] = None  # type: ignore[assignment]  # "not installed", for this import only
    try:
        from openpyxl import load_workbook
        from openpyxl.utils import get_column_letter
    finally:
        del sys.modules["numpy"]

__all__ = ["get_column_letter", "load_workbook"]
