"""Every file of the package as PDF pages: PDFs checked (corrupt, encrypted, empty ones are
reported and left out), images converted (upright by their EXIF orientation, every frame
of a multi-page TIFF), Word/Excel files through LibreOffice with the forms."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter

from ..evidence_files import FORMATS
from .plan import Part

A4_WIDTH_IN = 8.27
OFFICE = {"docx", "xlsx"}


def kind_of(path: Path) -> str:
    return FORMATS.get(path.suffix.lower(), "other")


def pdf_pages(path: Path) -> tuple[int, str | None]:
    """(pages, problem) of a PDF: encrypted ones open with an empty password or are refused."""
    try:
        with path.open("rb") as handle:
            if b"%PDF" not in handle.read(1024):
                return 0, "不是有效的 PDF 文件"
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    return 0, "PDF 已加密（需要密码），请提供未加密的文件"
            except Exception:
                return 0, "PDF 已加密（需要密码），请提供未加密的文件"
        pages = len(reader.pages)
        if pages == 0:
            return 0, "PDF 没有页面"
        return pages, None
    except Exception as exc:  # pypdf raises assorted errors on damaged files (PdfReadError, KeyError, …)
        return 0, f"PDF 文件损坏，无法读取（{type(exc).__name__}）"


def decrypted_copy(path: Path, target: Path) -> Path:
    """An owner-password-only PDF (opens without a password) rewritten without encryption."""
    reader = PdfReader(str(path))
    reader.decrypt("")
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def image_to_pdf(path: Path, target: Path) -> tuple[int, str | None]:
    """An image (every frame of a TIFF) as PDF pages, upright, at its own resolution
    (or fitted to A4 width when it does not say)."""
    try:
        with Image.open(path) as img:
            frames = []
            index = 0
            while True:
                try:
                    img.seek(index)
                except EOFError:
                    break
                frame = ImageOps.exif_transpose(img.copy())
                if frame.mode not in ("RGB", "L"):
                    frame = frame.convert("RGB")
                frames.append(frame)
                index += 1
                if not getattr(img, "is_animated", False) and getattr(img, "n_frames", 1) <= index:
                    break
            dpi = img.info.get("dpi")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        return 0, f"图片无法读取（{type(exc).__name__}）"
    if not frames:
        return 0, "图片没有内容"
    resolution = float(dpi[0]) if dpi and dpi[0] and dpi[0] > 30 else max(frames[0].width / A4_WIDTH_IN, 72.0)
    buffer = io.BytesIO()
    frames[0].save(buffer, "PDF", save_all=True, append_images=frames[1:], resolution=resolution)
    target.write_bytes(buffer.getvalue())
    return len(frames), None


def normalize_part(part: Part, workdir: Path, index: int) -> None:
    """Set ``part.pdf`` and ``part.pages`` (or ``part.problem``) for a PDF or an image.
    Office files are converted in the LibreOffice batch (``office_jobs``)."""
    kind = kind_of(part.source)
    if not part.source.is_file():
        part.problem = "文件不存在"
        return
    if part.source.stat().st_size == 0:
        part.problem = "文件为空（0 字节）"
        return
    if kind == "pdf":
        pages, problem = pdf_pages(part.source)
        if problem:
            part.problem = problem
            return
        part.pdf, part.pages = part.source, pages
        if PdfReader(str(part.source)).is_encrypted:
            part.pdf = decrypted_copy(part.source, workdir / f"{index:04d}.pdf")
    elif kind == "image":
        target = workdir / f"{index:04d}.pdf"
        pages, problem = image_to_pdf(part.source, target)
        if problem:
            part.problem = problem
            return
        part.pdf, part.pages = target, pages
    elif kind in OFFICE:
        return  # converted with the forms
    elif kind == "ofd":
        part.problem = "OFD 文件暂不能转换，请另存为 PDF 后放入"
    else:
        part.problem = f"不支持的文件类型（{part.source.suffix or '无扩展名'}），未放入材料包"


def office_jobs(parts: list[Part], workdir: Path) -> list[tuple[Part, Path]]:
    """The parts LibreOffice converts (forms and Word/Excel evidence), with their PDF paths."""
    jobs = []
    for i, part in enumerate(parts):
        if part.problem is None and part.pdf is None and kind_of(part.source) in OFFICE and part.source.is_file():
            jobs.append((part, workdir / f"office-{i:04d}.pdf"))
    return jobs
