"""Read a file into pages of lines: PDF text layer, OCR, Word.

A PDF page's text layer is read by PDFium (:mod:`dossier.pdftext`, the reader ``check``
uses too; laid out in :mod:`.pdfpage`, ruled tables cell by cell). A page with no
usable text is OCRed when it shows an image (a scan) or its text is garbled (private-use
or Latin-1 junk from fonts without a ToUnicode map); a blank page is left alone.

Images (JPEG, PNG, TIFF…) are OCRed; .docx files are read paragraph by paragraph and
table row by row (label cell → value cell). Bad files never raise: the problem is
returned in :attr:`Reading.errors` in Chinese and the file is skipped.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import SystemComponentError
from .layout import Line, Page, Segment, group_lines, normalise_text
from .ocr import OcrEngine

PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp", ".gif"}
DOCX_SUFFIXES = {".docx"}
SUFFIXES = PDF_SUFFIXES | IMAGE_SUFFIXES | DOCX_SUFFIXES

# Limits that keep a 500-page annual report or a folder of phone photos from
# running for an hour. Certificates and reports carry their figures on the first
# pages; what is left out is said in the file's errors.
MAX_TEXT_PAGES = 200
MAX_OCR_PAGES = 12
TIME_BUDGET_S = 180.0
OCR_DPI = 200
MIN_CHARS = 8  # fewer meaningful characters than this: no usable text on the page

Progress = Callable[[str], None]


@dataclass
class Reading:
    path: Path
    pages: list[Page] = field(default_factory=list)
    page_count: int = 0
    ocr: bool = False
    errors: list[str] = field(default_factory=list)
    fatal: bool = False  # nothing could be read: the file is skipped

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pages)


class _Unreadable(Exception):
    """A file that cannot be opened at all; its message is for the user."""


# --- text quality -------------------------------------------------------------------

_CID = re.compile(r"\(cid:\d+\)")
_GOOD = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\u3000-\u303f\uff00-\uffef\x20-\x7e\u2010-\u206f\u00b7\u00d7\u2160-\u217f\u25cb\u3007]")


def garbled(text: str) -> bool:
    """True when a text layer is (cid:…) codes or mostly characters no Chinese
    document is made of (private use, control codes, Latin-1 mojibake)."""
    cids = len(_CID.findall(text))
    stripped = _CID.sub("", text)
    chars = [c for c in stripped if not c.isspace()]
    if cids and cids >= len(chars) / 4:
        return True
    if not chars:
        return False
    good = sum(1 for c in chars if _GOOD.match(c))
    return good / len(chars) < 0.8


def usable(text: str) -> bool:
    meaningful = sum(1 for c in text if c.isalnum())
    return meaningful >= MIN_CHARS and not garbled(text)


# --- the entry point ----------------------------------------------------------------


def read_document(path: Path, ocr: Callable[[], OcrEngine], progress: Progress | None = None) -> Reading:
    """Read ``path``; ``ocr`` gives the OCR engine, called only when a page needs it
    (so that text PDFs work where no engine is installed)."""
    path = Path(path)
    reading = Reading(path)
    progress = progress or (lambda message: None)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return _fail(reading, f"无法读取文件：{exc.strerror or exc}")
    if size == 0:
        return _fail(reading, "文件为空（0 字节）")
    suffix = path.suffix.lower()
    try:
        if suffix in PDF_SUFFIXES:
            _read_pdf(path, reading, ocr, progress)
        elif suffix in IMAGE_SUFFIXES:
            _read_image(path, reading, ocr, progress)
        elif suffix in DOCX_SUFFIXES:
            _read_docx(path, reading)
        else:
            return _fail(reading, f"不支持的文件类型 {path.suffix or '（无扩展名）'}；支持 PDF、图片（JPG/PNG/TIFF）和 Word（.docx）")
    except _Unreadable as exc:
        return _fail(reading, str(exc))
    except SystemComponentError:
        raise
    except Exception as exc:  # a damaged file tripping a third-party reader: report, never crash
        return _fail(reading, f"读取失败（文件可能已损坏）：{type(exc).__name__}: {str(exc)[:200]}")
    return reading


def _fail(reading: Reading, message: str) -> Reading:
    reading.errors.append(message)
    reading.fatal = True
    return reading


# --- PDF ------------------------------------------------------------------------------


def _read_pdf(path: Path, reading: Reading, ocr: Callable[[], OcrEngine], progress: Progress) -> None:
    from ..pdftext import PdfUnreadable, has_image, open_pdf
    from .pdfpage import page_lines

    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        raise _Unreadable("不是 PDF 文件（文件头不是 %PDF-），可能是改了扩展名的其他文件")
    try:
        doc = open_pdf(path)
    except PdfUnreadable as exc:
        raise _Unreadable(str(exc)) from exc
    try:
        count = len(doc)
        if count == 0:
            raise _Unreadable("PDF 中没有页面（文件可能不完整）")
        reading.page_count = count
        started = time.monotonic()
        ocr_pages = 0
        for index in range(min(count, MAX_TEXT_PAGES)):
            if time.monotonic() - started > TIME_BUDGET_S:
                reading.errors.append(f"读取超过 {TIME_BUDGET_S:.0f} 秒，只读取了前 {index} 页（共 {count} 页）")
                break
            if index and index % 25 == 0:  # text pages are quick: a line now and then
                progress(f"第 {index + 1}/{count} 页")
            try:
                pdf_page = doc[index]
            except Exception:  # a damaged page: the others are still read
                reading.errors.append(f"第 {index + 1} 页已损坏，无法读取")
                continue
            try:
                page = Page(index + 1, page_lines(pdf_page), source="text")
                if not usable(page.text):
                    first_garbled = bool(page.text) and garbled(page.text)
                    if first_garbled or has_image(pdf_page):
                        if ocr_pages >= MAX_OCR_PAGES:
                            reading.errors.append(f"扫描页较多，只识别了前 {MAX_OCR_PAGES} 页扫描页（共 {count} 页）")
                            break
                        progress(f"第 {index + 1}/{count} 页（OCR）")
                        page = _ocr_pdf_page(pdf_page, index, ocr())
                        page.note = "文字层乱码，改用 OCR 识别" if first_garbled else "扫描页，OCR 识别"
                        reading.ocr = True
                        ocr_pages += 1
            finally:
                pdf_page.close()
            reading.pages.append(page)
        else:
            if count > MAX_TEXT_PAGES:
                reading.errors.append(f"页数较多，只读取了前 {MAX_TEXT_PAGES} 页（共 {count} 页）")
    finally:
        doc.close()


def _ocr_pdf_page(page, index: int, engine: OcrEngine) -> Page:
    # Render at OCR_DPI, but no larger than the OCR engine reads a page (rapidocr: 1600 px
    # on the long side): PDFium renders straight to that size, instead of a 200 dpi page
    # reduced afterwards.
    width, height = page.get_size()
    scale = min(OCR_DPI / 72, getattr(engine, "page_side", 3500) / max(width, height))
    image = page.render(scale=scale, grayscale=False).to_pil()
    return Page(index + 1, group_lines(engine.recognise(image)), source="ocr")


# --- images ---------------------------------------------------------------------------


def _read_image(path: Path, reading: Reading, ocr: Callable[[], OcrEngine], progress: Progress) -> None:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(path)
        image.load()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise _Unreadable("图片文件已损坏或不是图片，无法打开") from exc
    frames = [frame.copy() for frame in ImageSequence.Iterator(image)][:MAX_OCR_PAGES]
    reading.page_count = getattr(image, "n_frames", 1)
    if reading.page_count > MAX_OCR_PAGES:
        reading.errors.append(f"只识别了前 {MAX_OCR_PAGES} 页（共 {reading.page_count} 页）")
    engine = ocr()
    for index, frame in enumerate(frames):
        progress(f"第 {index + 1}/{len(frames)} 页（OCR）")
        reading.pages.append(Page(index + 1, group_lines(engine.recognise(frame)), source="ocr"))
    reading.ocr = True


# --- Word -----------------------------------------------------------------------------


def _read_docx(path: Path, reading: Reading) -> None:
    """Paragraphs and table rows in document order, one page (Word has no pages).

    A row's merged cells repeat in python-docx (one object per grid column): each
    distinct cell is one segment, so ``统一社会信用代码 | 9132…`` reads as label → value.
    """
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        doc = Document(str(path))
    except Exception as exc:  # BadZipFile, PackageNotFoundError (an old .doc renamed), broken XML
        raise _Unreadable("Word 文件已损坏，或不是 .docx 格式（旧版 .doc 请在 Word/WPS 中另存为 .docx）") from exc
    lines: list[Line] = []
    y = 0.0

    def add(cells: list[tuple[str, int, int]], table_row: bool) -> None:
        # x0/x1 are the grid columns a cell spans: a value merged across three year
        # columns lies under none of them (see layout._column_cell)
        nonlocal y
        segments = [Segment(text, float(first), last + 0.9, y, y + 1) for text, first, last in cells]
        if any(text for text, _, _ in cells):
            lines.append(Line(segments, table_row=table_row))
            y += 1

    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            add([(normalise_text(Paragraph(block, doc).text), 0, 0)], False)
        elif tag == "tbl":
            for row in Table(block, doc).rows:
                spans: dict[int, list] = {}
                for column, cell in enumerate(row.cells):
                    if id(cell._tc) in spans:
                        spans[id(cell._tc)][2] = column
                    else:
                        spans[id(cell._tc)] = [normalise_text(" ".join(p.text for p in cell.paragraphs)), column, column]
                add([tuple(span) for span in spans.values()], True)
    reading.page_count = 1
    reading.pages.append(Page(1, lines, source="docx"))
