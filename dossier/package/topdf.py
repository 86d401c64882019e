"""Every file of the package as PDF pages: PDFs checked (corrupt, encrypted, empty ones are
reported and left out), images converted (upright by their EXIF orientation, every frame
of a multi-page TIFF), Word/Excel files through LibreOffice with the forms."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter

from ..evidence_files import FORMATS
from ..isolate import Failure, run_limited
from ..safefile import MEMORY_BYTES, TIMEOUT_S, inspect
from .plan import Part

A4_WIDTH_IN = 8.27
OFFICE = {"docx", "xlsx"}


def kind_of(path: Path) -> str:
    return FORMATS.get(path.suffix.lower(), "other")


def pdf_pages(path: Path) -> tuple[int, str | None]:
    """(pages, problem) of a PDF, through the one safe opener (limits, child process)."""
    found = inspect(path, "pdf")
    return found.pages, found.problem


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


def _guarded(fn, source: Path, target: Path, *, what: str) -> str | None:
    """Run one rewrite of a user's file in a limited child process; the problem, if any."""
    try:
        run_limited(fn, (source, target), timeout=TIMEOUT_S, memory=MEMORY_BYTES)
    except Failure as failure:
        target.unlink(missing_ok=True)
        return f"{what} 处理失败（{'内存或时间超限' if failure.kind in ('memory', 'timeout') else '文件可能已损坏'}）"
    return None


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
    if part.problem:
        return
    if not part.source.is_file():
        part.problem = "文件不存在"
        return
    if part.source.stat().st_size == 0:
        part.problem = "文件为空（0 字节）"
        return
    if kind == "pdf":
        found = inspect(part.source, "pdf")
        if found.problem:
            part.problem = found.problem
            return
        part.pdf, part.pages = part.source, found.pages
        if found.encrypted:
            target = workdir / f"{index:04d}.pdf"
            part.problem = _guarded(decrypted_copy, part.source, target, what="PDF")
            part.pdf = None if part.problem else target
    elif kind == "image":
        found = inspect(part.source, "image")
        if found.problem:
            part.problem = found.problem
            return
        target = workdir / f"{index:04d}.pdf"
        try:
            pages, problem = run_limited(image_to_pdf, (part.source, target), timeout=TIMEOUT_S, memory=MEMORY_BYTES)
        except Failure as failure:
            pages, problem = 0, f"图片转换失败（{'内存或时间超限' if failure.kind in ('memory', 'timeout') else '文件可能已损坏'}）"
        if problem:
            target.unlink(missing_ok=True)
            part.problem = problem
            return
        part.pdf, part.pages = target, pages
    elif kind in OFFICE:
        if part.kind != "form":
            found = inspect(part.source)
            if found.problem:
                part.problem = found.problem
        return  # converted with the forms
    elif kind == "ofd":
        part.problem = "OFD 文件暂不能转换，请另存为 PDF 后放入"
    else:
        part.problem = f"不支持的文件类型（{part.source.suffix or '无扩展名'}），未放入材料包"


def office_jobs(parts: list[Part], workdir: Path, start: int = 0) -> list[tuple[Part, Path]]:
    """The parts LibreOffice converts (forms and Word/Excel evidence), with their PDF paths
    (numbered from ``start``: calls for different parts give different names)."""
    jobs = []
    for i, part in enumerate(parts, start):
        if part.problem is None and part.pdf is None and kind_of(part.source) in OFFICE and part.source.is_file():
            jobs.append((part, workdir / f"office-{i:04d}.pdf"))
    return jobs
