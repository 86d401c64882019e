"""Read a file into pages of lines: PDF text layer, pdfium, OCR, Word.

Per PDF page, the first reading that gives usable text wins:

1. pdfplumber (pdfminer) text layer, ruled tables read cell by cell;
2. pypdfium2's text layer, when pdfminer's is garbled (``(cid:123)`` codes, private-use
   or Latin-1 junk: Chinese government PDFs with fonts lacking a ToUnicode map) or
   pdfminer cannot parse the file at all (pdfium repairs broken cross-reference tables);
3. OCR of the rendered page, when neither has text (a scan) or both are garbled.

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
from .layout import CELL, Line, Page, Segment, group_lines, normalise_text
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
    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        raise _Unreadable("不是 PDF 文件（文件头不是 %PDF-），可能是改了扩展名的其他文件")

    plumber = _open_pdfplumber(path)
    pdfium_doc = None
    try:
        try:
            pdfium_doc = _open_pdfium(path)
        except _Unreadable:
            if plumber is None:
                raise
        count = len(plumber.pages) if plumber is not None else len(pdfium_doc)
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
            page = _text_page(plumber, index) if plumber is not None else None
            if page is None or not usable(page.text):
                first_garbled = page is not None and garbled(page.text)
                alt = _pdfium_page(pdfium_doc, index) if pdfium_doc is not None else None
                if alt is not None and usable(alt.text):
                    alt.note = "文字层乱码，改用 pdfium 读取" if first_garbled else "改用 pdfium 读取"
                    page = alt
                elif _needs_ocr(plumber, pdfium_doc, index, page, alt):
                    if ocr_pages >= MAX_OCR_PAGES:
                        reading.errors.append(f"扫描页较多，只识别了前 {MAX_OCR_PAGES} 页扫描页（共 {count} 页）")
                        break
                    if pdfium_doc is None:
                        reading.errors.append(f"第 {index + 1} 页无法渲染，未能识别")
                        continue
                    progress(f"第 {index + 1}/{count} 页（OCR）")
                    page = _ocr_pdf_page(pdfium_doc, index, ocr())
                    page.note = "文字层乱码，改用 OCR 识别" if first_garbled else "扫描页，OCR 识别"
                    reading.ocr = True
                    ocr_pages += 1
                elif page is None:
                    page = Page(index + 1)
            reading.pages.append(page)
        else:
            if count > MAX_TEXT_PAGES:
                reading.errors.append(f"页数较多，只读取了前 {MAX_TEXT_PAGES} 页（共 {count} 页）")
    finally:
        if plumber is not None:
            plumber.close()
        if pdfium_doc is not None:
            pdfium_doc.close()


def _open_pdfplumber(path: Path):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        doc = pdfplumber.open(str(path))
        len(doc.pages)  # forces the page tree: a broken file fails here, not later
        return doc
    except PDFPasswordIncorrect as exc:
        raise _Unreadable(_ENCRYPTED) from exc
    except Exception as exc:  # pdfminer raises many types on damaged files
        if "password" in str(exc).lower() or type(exc).__name__.startswith("PDFPassword"):
            raise _Unreadable(_ENCRYPTED) from exc
        return None  # let pdfium try: it repairs damaged cross-reference tables


_ENCRYPTED = ("PDF 已加密（需要打开密码）。请用 PDF 阅读器输入密码后“另存为”不加密的 PDF，"
              "或运行 qpdf --password=密码 --decrypt 原文件.pdf 新文件.pdf")


def _open_pdfium(path: Path):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise _Unreadable(_ENCRYPTED) from exc
        raise _Unreadable("PDF 文件已损坏或不完整，无法打开（请重新下载或重新扫描）") from exc


def _text_page(plumber, index: int) -> Page | None:
    try:
        page = plumber.pages[index]
        result = _plumber_lines(page)
        page.close()
        return Page(index + 1, result, source="text")
    except Exception:  # a damaged page: pdfium or OCR may still read it
        return None


def _plumber_lines(page) -> list[Line]:
    """Lines of a pdfplumber page; ruled tables become rows of cells."""
    chars = [c for c in page.chars if c["text"].strip()]
    if not chars:
        return []
    vrules: list[tuple[float, float, float]] = []
    tables: list = []
    edges = page.edges if (page.objects.get("line") or page.objects.get("rect")) else []
    if edges:
        vrules = [(e["x0"], e["top"], e["bottom"]) for e in edges if e["orientation"] == "v"]
        if vrules and any(e["orientation"] == "h" for e in edges):
            tables = page.find_tables()
    lines: list[Line] = []
    in_table = []
    for table in tables:
        x0, top, x1, bottom = table.bbox
        in_table.append((x0 - 1, top - 1, x1 + 1, bottom + 1))
        for row in table.rows:
            # Merged cells are None: kept as empty segments so that column j of
            # every row is segment j (year columns are matched by index).
            segments = []
            for cell in row.cells:
                if cell is None:
                    segments.append(Segment("", 0, 0, row.bbox[1], row.bbox[3]))
                else:
                    segments.append(Segment(_cell_text(page, cell, chars), cell[0], cell[2], cell[1], cell[3]))
            if any(s.text for s in segments):
                lines.append(Line(segments, table_row=True))
    free = [c for c in chars if not any(b[0] <= c["x0"] and c["x1"] <= b[2] and b[1] <= c["top"] and c["bottom"] <= b[3] for b in in_table)]
    lines += _char_lines(free, vrules)
    lines.sort(key=lambda line: line.top)
    return lines


def _cell_text(page, cell: tuple[float, float, float, float], chars: list[dict]) -> str:
    x0, top, x1, bottom = cell
    inside = [c for c in chars if x0 - 0.5 <= (c["x0"] + c["x1"]) / 2 <= x1 + 0.5 and top - 0.5 <= (c["top"] + c["bottom"]) / 2 <= bottom + 0.5]
    # A wrapped cell is one value: join its lines (without a space between Chinese).
    parts = [line.text.replace(CELL, " ") for line in _char_lines(inside, [])]
    return normalise_text(" ".join(parts))


def _char_lines(chars: list[dict], vrules: list[tuple[float, float, float]]) -> list[Line]:
    """Group characters into lines, and each line into segments split at wide gaps
    (more than 1.5 character widths) or at a vertical rule."""
    if not chars:
        return []
    rows: list[tuple[float, float, list[dict]]] = []
    for ch in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        cy = (ch["top"] + ch["bottom"]) / 2
        size = ch["bottom"] - ch["top"]
        if rows and abs(cy - rows[-1][0]) <= 0.5 * min(rows[-1][1], size):
            rows[-1][2].append(ch)
        else:
            rows.append((cy, size, [ch]))
    lines = []
    for _, _, row in rows:
        row.sort(key=lambda c: c["x0"])
        segments: list[Segment] = []
        buf: list[str] = []
        start = prev = row[0]
        for ch in row[1:] + [None]:
            if ch is not None:
                gap = ch["x0"] - prev["x1"]
                size = max(prev["size"], ch["size"], 1.0)
                ruled = any(prev["x1"] - 0.5 <= x <= ch["x0"] + 0.5 and t <= ch["bottom"] and b >= ch["top"] for x, t, b in vrules)
                if gap <= 1.5 * size and not ruled:
                    buf.append(prev["text"] + (" " if gap > 0.2 * size else ""))
                    prev = ch
                    continue
            buf.append(prev["text"])
            text = normalise_text("".join(buf))
            if text:
                segments.append(Segment(text, start["x0"], prev["x1"], min(c["top"] for c in (start, prev)), max(c["bottom"] for c in (start, prev))))
            buf = []
            if ch is not None:
                start = prev = ch
        if segments:
            lines.append(Line(segments))
    return lines


def _pdfium_page(doc, index: int) -> Page | None:
    try:
        page = doc[index]
        textpage = page.get_textpage()
        height = page.get_height()
        # character by character: text read by rectangles repeats the characters two
        # neighbouring rectangles share ("关于 | 于红 | 红军" in a GBK-font PDF)
        chars = []
        for i in range(textpage.count_chars()):
            text = textpage.get_text_range(i, 1)
            if not text.strip():
                continue
            left, bottom, right, top = textpage.get_charbox(i, loose=True)  # font-high boxes: "-" stays in its line
            size = max(top - bottom, 1.0)
            chars.append({"text": text, "x0": left, "x1": right, "top": height - top, "bottom": height - bottom,
                          "size": size})
        textpage.close()
        page.close()
        return Page(index + 1, _char_lines(chars, []), source="pdfium")
    except Exception:
        return None


def _needs_ocr(plumber, pdfium_doc, index: int, page: Page | None, alt: Page | None) -> bool:
    """OCR a page that shows something but yields no usable text: a scan (an image
    on the page) or a garbled text layer. A blank page is left alone."""
    if (page is not None and page.text and garbled(page.text)) or (alt is not None and alt.text and garbled(alt.text)):
        return True
    if plumber is not None:
        try:
            return bool(plumber.pages[index].images)
        except Exception:
            pass
    if pdfium_doc is not None:
        try:
            import pypdfium2.raw as pdfium_c

            page = pdfium_doc[index]
            has_image = any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects())
            page.close()
            return has_image
        except Exception:
            return True
    return False


def _ocr_pdf_page(doc, index: int, engine: OcrEngine) -> Page:
    page = doc[index]
    # Render at OCR_DPI, but no larger than the OCR engine's working size.
    width, height = page.get_size()
    scale = min(OCR_DPI / 72, 3500 / max(width, height))
    image = page.render(scale=scale, grayscale=False).to_pil()
    page.close()
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
