"""Assembling the package PDF: the front matter, then every section's pages in order,
each evidence page scaled a little to leave a clear strip at its foot, every page stamped
"第 X 页 / 共 Y 页", bookmarks per section and per file."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader, PdfWriter, Transformation

from .frontmatter import FrontMatter
from .plan import Section

MM = 72 / 25.4
STRIP_MM = 16  # the strip kept clear for the page number at the foot of an evidence page


def _fit(page, shrink: bool) -> tuple[float, float, float, float]:
    """Upright the page's rotation, optionally shrink its content to the top; return its box."""
    if page.get("/Rotate"):
        page.transfer_rotation_to_content()
    box = page.mediabox
    x0, y0, w, h = float(box.left), float(box.bottom), float(box.width), float(box.height)
    if shrink and h > 3 * STRIP_MM * MM:
        s = (h - STRIP_MM * MM) / h
        page.add_transformation(
            Transformation().scale(s, s).translate((x0 + w / 2) * (1 - s), (y0 + h) * (1 - s))
        )
    return x0, y0, w, h


def assemble(sections: list[Section], front: FrontMatter, out: Path, *, title: str) -> None:
    """Write the package to ``out``."""
    stamps = PdfReader(str(front.pdf))
    writer = PdfWriter()
    for i in range(front.front_pages):
        writer.add_page(stamps.pages[i])
    stamp_width = float(stamps.pages[0].mediabox.width)
    number = front.front_pages
    marks: list[dict] = []
    for section in sections:
        parts = section.included
        if not parts:
            continue
        label = f"{section.no} {section.title}" if section.no is not None else section.title
        for part in parts:
            reader = PdfReader(str(part.pdf))
            if reader.is_encrypted:
                reader.decrypt("")
            first = number
            for source in reader.pages:
                page = writer.add_page(source)  # pypdf ≥ 7 transforms pages that belong to a writer
                x0, y0, w, h = _fit(page, part.shrink)
                stamp = stamps.pages[number]
                page.merge_transformed_page(stamp, Transformation().translate(x0 + (w - stamp_width) / 2, y0))
                number += 1
            marks.append({"section": label, "file": part.title, "first": first + 1, "last": number})
    # Bookmarks once the pages exist: one per section, one per file under it.
    writer.add_outline_item(title="封面及材料目录", page_number=0)
    parents: dict[str, object] = {}
    for mark in marks:
        if mark["section"] not in parents:
            parents[mark["section"]] = writer.add_outline_item(title=mark["section"], page_number=mark["first"] - 1)
        writer.add_outline_item(title=mark["file"], page_number=mark["first"] - 1, parent=parents[mark["section"]])
    writer.add_metadata({"/Title": title, "/Producer": "dossier"})
    writer.page_mode = "/UseOutlines"
    with out.open("wb") as handle:
        writer.write(handle)
