"""The one PDF text reader: PDFium (pypdfium2), for ``check`` and ``extract`` alike.

PDFium is the C++ engine of Chrome's PDF viewer: it opens damaged files (it rebuilds a
broken cross-reference table), decodes the fonts of Chinese government PDFs that lack a
ToUnicode map, and reads a 27-page list in a fraction of what a pure-Python parser
needs (pdfminer: ~0.4 s a page; PDFium: ~0.02 s). What is read here:

- :func:`first_page_text` — the plain text of page 1 (``check`` reads a certificate's
  holder, dates and years from it; called inside :mod:`dossier.safefile`'s limited
  child process);
- :func:`page_chars` — every character with its font-high box, in points from the top
  of the page (what ``extract`` lays out in lines and table cells);
- :func:`page_rules` — the horizontal and vertical strokes drawn on the page (table
  rulings), as the edge records pdfplumber's table finder takes;
- :func:`has_image` — whether a page shows an image (a scan to OCR).

A file the user gave is hostile: callers open it through :mod:`dossier.safefile` first
(a child process with memory and time limits), so a bomb or a PDFium crash never reaches
the reading done here.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

ENCRYPTED = ("PDF 已加密（需要打开密码）。请用 PDF 阅读器输入密码后“另存为”不加密的 PDF，"
             "或运行 qpdf --password=密码 --decrypt 原文件.pdf 新文件.pdf")
DAMAGED = "PDF 文件已损坏或不完整，无法打开（请重新下载或重新扫描）"


class PdfUnreadable(Exception):
    """The PDF cannot be opened; the message is for the user (Chinese)."""


def open_pdf(path: Path):
    """A :class:`pypdfium2.PdfDocument`; :class:`PdfUnreadable` when it cannot be opened
    (a password, a file that is not a PDF at all)."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise PdfUnreadable(ENCRYPTED) from exc
        raise PdfUnreadable(DAMAGED) from exc


def is_encrypted(doc) -> bool:
    """Encrypted, yet opened without a password (an owner password only)."""
    import pypdfium2.raw as raw

    return raw.FPDF_GetSecurityHandlerRevision(doc.raw) != -1


def first_page_text(doc, limit: int = 20000) -> str:
    """Plain text of page 1, lines separated by ``\\n``."""
    if len(doc) == 0:
        return ""
    page = doc[0]
    try:
        textpage = page.get_textpage()
        try:
            count = textpage.count_chars()
            text = textpage.get_text_range(0, min(count, limit)) if count > 0 else ""
        finally:
            textpage.close()
    finally:
        page.close()
    return text.replace("\r\n", "\n").replace("\r", "\n")


def page_chars(page) -> list[dict]:
    """Characters of ``page``, each a dict ``text, x0, x1, top, bottom, size, space`` in
    points, ``top`` measured down from the page top, ``size`` the font size, ``space`` true
    when a space (printed, or put in by PDFium for a gap between words) comes before it.

    Boxes are PDFium's loose ones (font ascent to descent): a "-" or "一" keeps the height
    of its line, so lines are grouped the way the eye groups them.
    """
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        height = page.get_height()
        handle = textpage.raw
        count = raw.FPDFText_CountChars(handle)
        rect = raw.FS_RECTF()
        get_unicode, loose_box, font_size = raw.FPDFText_GetUnicode, raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetFontSize
        chars = []
        pending_high = 0
        space = False
        for i in range(max(count, 0)):
            code = get_unicode(handle, i)
            if 0xD800 <= code < 0xDC00:  # a character outside the BMP: two UTF-16 units
                pending_high = code
                continue
            if pending_high and 0xDC00 <= code < 0xE000:
                code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00)
            pending_high = 0
            if code in (0x20, 0xA0, 0x3000):  # a space, printed or put in by PDFium between words
                space = True
                continue
            if code < 0x20 or code in (0xFFFE, 0xFFFF):
                space = space or code in (0x09,)
                continue
            if not loose_box(handle, i, ctypes.byref(rect)):
                continue
            left, right, bottom, top = rect.left, rect.right, rect.bottom, rect.top
            if top < bottom:
                top, bottom = bottom, top
            size = font_size(handle, i)
            chars.append({"text": chr(code), "x0": left, "x1": right, "top": height - top, "bottom": height - bottom,
                          "size": size if size > 0 else max(top - bottom, 1.0), "space": space})
            space = False
        return chars
    finally:
        textpage.close()


def page_rules(page, min_length: float = 1.0) -> list[dict]:
    """Horizontal and vertical strokes of the path objects on ``page`` (also inside form
    XObjects), as pdfplumber edge dicts (``x0 x1 top bottom width height orientation``)."""
    import pypdfium2.raw as raw

    height = page.get_height()
    edges: list[dict] = []

    def walk(count, get, parent: tuple[float, ...], depth: int) -> None:
        for i in range(count):
            obj = get(i)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
                continue
            m = raw.FS_MATRIX()
            if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
                continue
            matrix = _compose((m.a, m.b, m.c, m.d, m.e, m.f), parent)
            if kind == raw.FPDF_PAGEOBJ_FORM:
                if depth < 8:
                    walk(raw.FPDFFormObj_CountObjects(obj), lambda j, o=obj: raw.FPDFFormObj_GetObject(o, j),
                         matrix, depth + 1)
                continue
            _path_edges(obj, matrix, height, min_length, edges)

    walk(raw.FPDFPage_CountObjects(page.raw), lambda j: raw.FPDFPage_GetObject(page.raw, j), (1, 0, 0, 1, 0, 0), 0)
    return edges


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _path_edges(obj, matrix: tuple[float, ...], height: float, min_length: float, edges: list[dict]) -> None:
    import pypdfium2.raw as raw

    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[float, float]] = []
    start: tuple[float, float] | None = None

    def add(p0: tuple[float, float], p1: tuple[float, float]) -> None:
        (x0, y0), (x1, y1) = p0, p1
        if abs(y0 - y1) < 0.01 and abs(x1 - x0) >= min_length:
            orientation = "h"
        elif abs(x0 - x1) < 0.01 and abs(y1 - y0) >= min_length:
            orientation = "v"
        else:
            return
        top, bottom = height - max(y0, y1), height - min(y0, y1)
        edges.append({"object_type": "line", "x0": min(x0, x1), "x1": max(x0, x1), "top": top, "bottom": bottom,
                      "doctop": top, "width": abs(x1 - x0), "height": bottom - top, "orientation": orientation})

    for i in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, i)
        if not raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            continue
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == raw.FPDF_SEGMENT_LINETO and points:
            add(points[-1], point)
        points.append(point)
        if raw.FPDFPathSegment_GetClose(segment) and start is not None and start != point:
            add(point, start)


def has_image(page) -> bool:
    import pypdfium2.raw as raw

    return any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=4))
