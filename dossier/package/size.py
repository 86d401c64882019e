"""Keeping a package under a portal's upload limit: recompress the scanned images, and if
that is not enough, split into volumes at section boundaries."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from ..errors import BadInputError

MAX_SIDE_PX = 1754  # A4 long side at 150 dpi: legible for printed text and stamps
JPEG_QUALITY = 70
UNITS = {"": 1, "B": 1, "KB": 1024, "K": 1024, "MB": 1024**2, "M": 1024**2, "GB": 1024**3, "G": 1024**3}


def parse_size(text: str) -> int:
    """"20MB" → 20971520; "500KB", "1.5G", "300000" also work."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([KMG]?B?|)\s*", text.upper())
    if not match or match.group(2) not in UNITS:
        raise BadInputError(f"--max-size 的值无法识别：{text!r}（例如 20MB、500KB）")
    return int(float(match.group(1)) * UNITS[match.group(2)])


def human(size: int) -> str:
    return f"{size / 1024**2:.1f} MB" if size >= 1024**2 else f"{size / 1024:.0f} KB"


def recompress(pdf: Path) -> int:
    """Re-encode large images of ``pdf`` in place (JPEG, at most ~150 dpi on A4); bookmarks,
    text and vector pages are kept. Returns the new size."""
    from PIL import Image
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(pdf))
    for page in writer.pages:
        for image in page.images:
            try:
                pil = image.image
            except Exception:
                continue  # an image filter PIL cannot read: leave it
            if pil is None or max(pil.size) < 600:
                continue
            if pil.mode not in ("RGB", "L"):
                pil = pil.convert("RGB")
            if max(pil.size) > MAX_SIDE_PX:
                pil.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX), Image.LANCZOS)
            try:
                image.replace(pil, quality=JPEG_QUALITY)
            except Exception:
                continue
    writer.compress_identical_objects()
    buffer = io.BytesIO()
    writer.write(buffer)
    if buffer.tell() < pdf.stat().st_size:
        pdf.write_bytes(buffer.getvalue())
    return pdf.stat().st_size


def split_points(section_sizes: list[int], limit: int, overhead: int) -> list[list[int]]:
    """Group section indexes into volumes whose estimated size stays under ``limit``
    (a section larger than the limit is a volume of its own)."""
    volumes: list[list[int]] = [[]]
    used = overhead
    for i, size in enumerate(section_sizes):
        if volumes[-1] and used + size > limit:
            volumes.append([])
            used = overhead
        volumes[-1].append(i)
        used += size
    return volumes


def page_count(path: Path) -> int:
    import pikepdf  # reads the page tree only, not the whole file

    with open(os.fsencode(path), "rb") as handle, pikepdf.open(handle) as pdf:  # any file name
        return len(pdf.pages)
