"""The one safe way to open a user's PDF, image, Word or Excel file.

Files come from clients, portals and scanners: truncated, fuzzed, encrypted, renamed,
or built to hurt (nested arrays 200 000 deep, flate bombs, a 30 000 × 30 000 px PNG, a
GIF of 100 frames of 4000 × 4000 px, a zip of 1.5 GB in 1.6 MB). :func:`inspect` opens a
file in a child process with a memory and a time limit and checks what every later step
will need: the pages parse and their content decompresses within limits, the image
decodes fully within a pixel budget, the .docx/.xlsx is a real Office zip of sane size.
Evidence checking, package building and extraction all ask it first, so a file that
``build`` cannot use is never reported 齐全 by ``check``, and one bad file is reported
(file, what is wrong, what to do) and left out while the rest goes on.
"""

from __future__ import annotations

import logging
import os
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .isolate import Failure, run_batch

MAX_FILE_BYTES = 1 << 30          # 1 GB: larger files are refused before they are opened
MAX_PAGES = 5000
MAX_PIXELS = 150_000_000          # one image or frame (a 600 dpi A3 scan is ~70 M)
MAX_FRAMES = 500
MAX_TOTAL_PIXELS = 400_000_000    # all frames of a GIF/TIFF together
MAX_STREAM_BYTES = 200 << 20      # one decompressed PDF stream
MAX_UNZIPPED_BYTES = 500 << 20    # a .docx/.xlsx, all parts together
MAX_ZIP_RATIO = 200               # uncompressed / compressed, for a part larger than 1 MB
MAX_ZIP_ENTRIES = 20_000
MEMORY_BYTES = 1536 << 20         # per file, on top of what the process already holds
TIMEOUT_S = 120.0

PDF_MAGIC = b"%PDF"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .wps, .et (old Office)
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")

SUFFIX_KIND = {
    ".pdf": "pdf", ".jpg": "image", ".jpeg": "image", ".png": "image", ".tif": "image", ".tiff": "image",
    ".bmp": "image", ".gif": "image", ".webp": "image", ".docx": "docx", ".xlsx": "xlsx",
    ".doc": "ole", ".xls": "ole", ".wps": "ole", ".et": "ole",
}


@dataclass(frozen=True)
class Inspection:
    """What :func:`inspect` found: pages (PDF pages, image frames), the first page's text
    (PDF, Word), and the problem in Chinese when the file cannot be used."""

    pages: int = 0
    text: str = ""
    problem: str | None = None
    encrypted: bool = False  # opens with the empty password (owner password only)
    limit: bool = False      # refused for breaking a limit (bomb, size, time), not merely damaged

    @property
    def ok(self) -> bool:
        return self.problem is None


def _bad(problem: str, limit: bool = False) -> Inspection:
    return Inspection(problem=problem, limit=limit)


def kind_of(path: Path) -> str:
    return SUFFIX_KIND.get(path.suffix.lower(), "other")


_CACHE: dict[tuple[str, str, int, int], Inspection] = {}


def _key(path: Path, kind: str | None) -> tuple[str, str, int, int] | Inspection:
    kind = kind or kind_of(path)
    try:
        stat = path.stat()
    except OSError as exc:
        return _bad(f"无法读取文件（{exc.strerror}）")
    return (str(path), kind, stat.st_size, stat.st_mtime_ns)


def _quick(key: tuple[str, str, int, int]) -> Inspection | None:
    """The answer without opening the file, when there is one."""
    _path, kind, size, _mtime = key
    if size == 0:
        return _bad("空文件（0 字节），请重新导出或扫描")
    if size > MAX_FILE_BYTES:
        return _bad(f"文件过大（{size >> 20} MB，上限 {MAX_FILE_BYTES >> 20} MB），请压缩或拆分后放入", True)
    if kind not in ("pdf", "image", "docx", "xlsx", "ole"):
        return Inspection()
    return None


def inspect(path: Path, kind: str | None = None) -> Inspection:
    """Open ``path`` safely (in a limited child process) and say whether it can be used."""
    return inspect_many([(Path(path), kind)])[0]


def inspect_many(files: list[tuple[Path, str | None]]) -> list[Inspection]:
    """:func:`inspect` for many files: one child process for the lot (a fresh one after a
    file that hangs or kills it), answers cached by path, size and modification time."""
    keys = [_key(Path(p), k) for p, k in files]
    todo = []
    for key in keys:
        if isinstance(key, tuple) and key not in _CACHE:
            quick = _quick(key)
            if quick is not None:
                _CACHE[key] = quick
            elif key not in todo:
                todo.append(key)
    if todo:
        for kind in {k[1] for k in todo}:
            _preload(kind)
        answers = run_batch(_inspect_key, todo, timeout_each=TIMEOUT_S, memory=MEMORY_BYTES)
        for key, answer in zip(todo, answers):
            if isinstance(answer, Failure):
                answer = _bad(_failure_text(answer, key[1]), answer.kind in ("timeout", "memory", "recursion", "output"))
            _CACHE[key] = answer
        if len(_CACHE) > 20_000:
            _CACHE.clear()
    return [key if isinstance(key, Inspection) else _CACHE[key] for key in keys]


def _inspect_key(key: tuple[str, str, int, int]) -> Inspection:
    try:
        return _inspect_here(Path(key[0]), key[1])
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # a parser bug on a strange file: this file is unusable, the batch goes on
        return _bad(f"文件无法打开（可能已损坏：{type(exc).__name__}）：请重新导出后放入")


def _preload(kind: str) -> None:
    """Import the parser here, once, so that each child (a fork) starts with it loaded."""
    if kind == "pdf":
        import pypdf  # noqa: F401
        import pypdfium2  # noqa: F401
    elif kind == "image":
        import PIL.Image  # noqa: F401
    elif kind == "docx":
        import docx  # noqa: F401


def _failure_text(failure: Failure, kind: str) -> str:
    what = {"pdf": "PDF", "image": "图片", "docx": "Word 文件", "xlsx": "Excel 文件", "ole": "Office 文件"}[kind]
    if failure.kind == "timeout":
        return f"{what}处理超时（超过 {TIMEOUT_S:.0f} 秒），可能已损坏或结构异常：请重新导出或另存后放入"
    if failure.kind == "memory":
        return f"{what}解压后过大（超过 {MEMORY_BYTES >> 20} MB 内存，可能是“压缩炸弹”或损坏的文件）：请重新导出后放入"
    if failure.kind == "recursion":
        return f"{what}结构嵌套过深（可能已损坏或被构造）：请重新导出或打印为 PDF 后放入"
    name = failure.message.split(":")[0] if failure.message else failure.kind
    return f"{what}无法打开（文件可能已损坏：{name}）：请重新导出或另存后放入"


def _head(path: Path, n: int = 1024) -> bytes:
    with path.open("rb") as handle:
        return handle.read(n)


# --- in the child process --------------------------------------------------------------

def _inspect_here(path: Path, kind: str) -> Inspection:
    if kind == "pdf":
        return _pdf(path)
    if kind == "image":
        return _image(path)
    if kind in ("docx", "xlsx"):
        return _office_zip(path, kind)
    if kind == "ole":
        head = _head(path, 8)
        if head == OLE_MAGIC or head.startswith(b"PK\x03\x04"):
            return Inspection() if head == OLE_MAGIC else _office_zip(path, "docx" if path.suffix.lower() in (".doc", ".wps") else "xlsx")
        return _bad("不是有效的 Office 文件（可能已损坏或扩展名有误）")
    return Inspection()


def _pdf(path: Path) -> Inspection:
    import pypdf.filters
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")
    if PDF_MAGIC not in _head(path):
        return _bad("不是有效的 PDF 文件（文件头缺少 %PDF，可能已损坏或扩展名有误）")
    pypdf.filters.ZLIB_MAX_OUTPUT_LENGTH = min(pypdf.filters.ZLIB_MAX_OUTPUT_LENGTH, MAX_STREAM_BYTES)
    try:
        reader = PdfReader(str(path), strict=False)
        encrypted = bool(reader.is_encrypted)
        if encrypted:
            try:
                if not reader.decrypt(""):
                    raise FileNotDecryptedError("password")
            except (FileNotDecryptedError, NotImplementedError, PdfReadError):
                return _bad("PDF 设有打开密码，评审无法打开：请提供未加密的文件（如 qpdf --decrypt 输入.pdf 输出.pdf）")
        count = len(reader.pages)
        if count == 0:
            return _bad("PDF 没有页面")
        if count > MAX_PAGES:
            return _bad(f"PDF 页数过多（{count} 页，上限 {MAX_PAGES} 页），请拆分后放入", True)
        total = 0
        for page in reader.pages:  # every page parses, and its content decompresses within limits
            _ = page.mediabox
            contents = page.get_contents()
            if contents is not None:
                total += len(contents.get_data())
                if total > MAX_STREAM_BYTES * 2:
                    return _bad("PDF 页面内容解压后过大（可能是“压缩炸弹”），请重新导出后放入", True)
    except RecursionError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged files; any is "corrupt"
        name = type(exc).__name__
        if name == "LimitReachedError":
            return _bad("PDF 中的压缩数据解压后过大（可能是“压缩炸弹”），请重新导出后放入", True)
        return _bad(f"PDF 无法打开（文件可能已损坏：{name}）：请重新导出或打印为 PDF 后放入")
    return Inspection(pages=count, text=_pdf_text(path), encrypted=encrypted)


def _pdf_text(path: Path) -> str:
    """Page 1's text, read by PDFium (the reader extract uses too): a PDF whose structure
    pypdf accepts but PDFium cannot read gives no text, not a problem (build merges it)."""
    from .pdftext import PdfUnreadable, first_page_text, open_pdf

    try:
        doc = open_pdf(path)
    except PdfUnreadable:
        return ""
    try:
        return first_page_text(doc, 20000)
    except Exception:  # noqa: BLE001 - a page PDFium cannot lay out: no text, the file itself is fine
        return ""
    finally:
        doc.close()


def _image(path: Path) -> Inspection:
    from PIL import Image, UnidentifiedImageError

    head = _head(path, 16)
    if not head.startswith(IMAGE_MAGIC) and head[4:12] not in (b"ftypheic", b"ftypmif1"):
        return _bad("文件内容不是图片（可能已损坏或扩展名有误）")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    warnings.simplefilter("error", Image.DecompressionBombWarning)
    try:
        with Image.open(path) as img:
            frames = getattr(img, "n_frames", 1)
            if frames > MAX_FRAMES:
                return _bad(f"图片帧数过多（{frames} 帧，上限 {MAX_FRAMES}），请另存为 PDF 后放入", True)
            pixels = img.width * img.height
            if pixels > MAX_PIXELS:
                raise Image.DecompressionBombError(str(pixels))
            if pixels * frames > MAX_TOTAL_PIXELS:
                return _bad(f"图片过大（{frames} 帧 × {img.width}×{img.height} 像素），请缩小或另存为 PDF 后放入", True)
            for index in range(frames):  # every frame decodes fully: a truncated file fails here
                img.seek(index)
                img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return _bad(f"图片像素过多（超过 {MAX_PIXELS // 1_000_000} 百万像素），请缩小分辨率后放入", True)
    except UnidentifiedImageError:
        return _bad("图片无法识别（可能已损坏或扩展名有误）")
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        reason = "文件不完整（被截断）" if "truncated" in str(exc) else f"文件可能已损坏：{type(exc).__name__}"
        return _bad(f"图片无法读取（{reason}）：请重新扫描或导出后放入")
    return Inspection(pages=frames)


_OFFICE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def zip_problem(path: Path, kind: str) -> str | None:
    """Why a .docx/.xlsx is not a sane Office zip (sizes read from the directory, nothing unpacked)."""
    what = "Word" if kind == "docx" else "Excel"
    head = _head(path, 8)
    if head == OLE_MAGIC:
        return f"这是旧版 {what} 文件（.{'doc' if kind == 'docx' else 'xls'}）却以 .{kind} 结尾：请用 {what} 另存为 .{kind}，或把扩展名改回 .{'doc' if kind == 'docx' else 'xls'}"
    if not head.startswith(b"PK"):
        return f"不是有效的 {what} 文件（内容不是 .{kind} 格式，可能已损坏或扩展名有误）"
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return f"{what} 文件已损坏，无法打开（{type(exc).__name__}）：请重新保存后放入"
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or _OFFICE_PARTS[kind] not in names:
        return f"不是有效的 {what} 文件（压缩包中缺少 {_OFFICE_PARTS[kind]}）：请用 {what} 另存为 .{kind} 后放入"
    if len(infos) > MAX_ZIP_ENTRIES:
        return f"{what} 文件结构异常（{len(infos)} 个部件）"
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES:
        return f"{what} 文件解压后过大（{total >> 20} MB，可能是“压缩炸弹”），已拒绝"
    for i in infos:
        if i.file_size > (1 << 20) and i.file_size > MAX_ZIP_RATIO * max(i.compress_size, 1):
            return f"{what} 文件中 {i.filename} 的压缩比异常（可能是“压缩炸弹”），已拒绝"
    return None


def _office_zip(path: Path, kind: str) -> Inspection:
    problem = zip_problem(path, kind)
    if problem:
        return _bad(problem, "炸弹" in problem or "过大" in problem or "结构异常" in problem)
    if kind == "docx":
        from docx import Document as WordDocument

        try:
            paragraphs = WordDocument(str(path)).paragraphs
        except (RecursionError, MemoryError):
            raise
        except Exception as exc:
            return _bad(f"Word 文件无法打开（文件可能已损坏：{type(exc).__name__}）：请用 Word 另存后放入")
        text = "\n".join(p.text for p in paragraphs)[:2000]  # Word has no pages: ~the first page
        return Inspection(pages=1, text=text)
    return Inspection(pages=1)


def file_size(path: Path) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


# --- workbooks read as data (workbook import, dossier import, an existing checklist) ------

MAX_SHEET_ROWS = 100_000
MAX_SHEET_COLUMNS = 1_000
_XML_DANGER = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")


def workbook_problem(path: Path) -> str | None:
    """Why an .xlsx must not be loaded (checked from the zip directory and a streaming scan
    of its XML, in bounded memory, before openpyxl sees it): not a workbook, a zip bomb,
    XML with a DOCTYPE or entities (XXE, "billion laughs"), or a sheet whose used range
    reaches past :data:`MAX_SHEET_ROWS` × :data:`MAX_SHEET_COLUMNS` (a cell at XFD1048576)."""
    import re

    problem = zip_problem(Path(path), "xlsx")
    if problem:
        return problem
    ref = re.compile(rb'<(?:c|row)\b[^>]*?\br="([A-Z]*)(\d+)"')
    dimension = re.compile(rb'<dimension\b[^>]*?\bref="(?:[A-Z]+\d+:)?([A-Z]+)(\d+)"')
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if not info.filename.endswith((".xml", ".rels", ".vml")):
                    continue
                is_sheet = info.filename.startswith("xl/worksheets/")
                tail = b""
                with zf.open(info) as handle:
                    while True:
                        block = handle.read(1 << 20)
                        if not block:
                            break
                        chunk = tail + block
                        if any(d in chunk for d in _XML_DANGER):
                            return ("Excel 文件中含有 XML 实体或 DOCTYPE 声明（可能是 XXE 或“实体炸弹”攻击），已拒绝："
                                    "请在 Excel 中另存为新的 .xlsx 后再导入")
                        if is_sheet:
                            for pattern in (dimension, ref):
                                for match in pattern.finditer(chunk):
                                    letters, row = match.group(1), int(match.group(2))
                                    column = 0
                                    for ch in letters:
                                        column = column * 26 + ch - 64
                                    if row > MAX_SHEET_ROWS or column > MAX_SHEET_COLUMNS:
                                        cell = f"{letters.decode()}{row}"
                                        return (f"Excel 文件的工作表 {info.filename.rsplit('/', 1)[-1]} 用到了单元格 {cell}，"
                                                f"超出本工具读取的范围（{MAX_SHEET_ROWS} 行 × {MAX_SHEET_COLUMNS} 列）：请删除多余的行列后另存")
                        tail = chunk[-256:]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib_error()) as exc:
        return f"Excel 文件已损坏，无法打开（{type(exc).__name__}）"
    return None


def zlib_error() -> type[BaseException]:
    import zlib

    return zlib.error
