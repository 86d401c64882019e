"""Names as users see them: file names that are not valid UTF-8, and long enterprise names.

A file copied from an old Windows machine or a zip made on one often has a GBK name;
Python keeps the raw bytes as "surrogate escapes", which cannot be printed, written to
JSON or put into a PDF bookmark. :func:`display` turns each such run back into text
(GBK/GB18030 first, the usual encoding of those names; else "�"). The file itself is
still opened by its real name.
"""

from __future__ import annotations

import re

_ESCAPED = re.compile(r"[\udc80-\udcff]")
_RUN = re.compile(r"[^\x00-\x7f]+")  # a run of non-ASCII characters: one name's undecoded bytes and their neighbours
MAX_NAME_BYTES = 180  # a package file name in UTF-8 bytes, leaving room for "（第10册，共12册）.pdf" (255 max)


def _decode(match: re.Match[str]) -> str:
    run = match.group(0)
    if not _ESCAPED.search(run):
        return run
    # the bytes as they are on disk: UTF-8 decoding split them into odd letters and escapes
    raw = run.encode("utf-8", errors="surrogateescape")
    for encoding in ("gb18030", "big5"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def display(text: str) -> str:
    """``text`` with undecodable file-name bytes turned into readable characters."""
    return _RUN.sub(_decode, text) if isinstance(text, str) and _ESCAPED.search(text) else text


def shorten(name: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """``name`` cut (at a character boundary, marked with …) to at most ``max_bytes`` in UTF-8."""
    if len(name.encode("utf-8")) <= max_bytes:
        return name
    cut = name.encode("utf-8")[: max_bytes - 3].decode("utf-8", errors="ignore")
    return cut.rstrip() + "…"
