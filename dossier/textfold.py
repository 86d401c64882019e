"""Folding text before two spellings are compared: the one place that decides which
differences do not count.

* :func:`squash` — labels and headers: full-width forms folded to half-width (NFKC) and
  white space removed, because forms space labels out (``地    址：``) and print
  ``（万元）`` or ``(万元)`` alike;
* :func:`fold_name` — file and folder names, keywords: :func:`squash`, case folded, and
  the separators people put in file names (``_ - . / · •``) removed, so
  ``０４　绿色工厂_发文-2024.PDF`` and ``04绿色工厂发文2024.pdf`` compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_SPACE = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[\s/\\_\-.·•]+")


def squash(text: Any) -> str:
    """"地    址：" → "地址:"; None → ""."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", "" if text is None else str(text)))


def fold_name(text: str) -> str:
    """"GB/T 32150" → "gbt32150", as a file name (no "/" allowed) would write it."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).casefold())
