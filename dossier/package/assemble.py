"""Assembling the package PDF: the front matter, then every section's pages in order,
each evidence page scaled a little to leave a clear strip at its foot, every page stamped
"第 X 页 / 共 Y 页", bookmarks per section and per file.

Done with qpdf (pikepdf): the pages are referenced from their files and their content
is copied into the package as it is written, so memory stays flat in the size of the
evidence (a 500-page scan does not sit in memory).
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from .frontmatter import FrontMatter
from .plan import Section

MM = 72 / 25.4
STRIP_MM = 16  # the strip kept clear for the page number at the foot of an evidence page
BOXES = ("/MediaBox", "/CropBox", "/TrimBox", "/BleedBox", "/ArtBox")


def _matrix_stream(pdf, matrix: tuple[float, ...], before: bool):
    text = ("q\n" + " ".join(f"{v:.6f}" for v in matrix) + " cm\n") if before else "\nQ\n"
    return pdf.make_stream(text.encode("ascii"))


def _box(page) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    return min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0)


def _upright(pdf, page) -> None:
    """Turn a page with /Rotate into an upright page whose content is rotated instead."""
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    if rotate == 0:
        if "/Rotate" in page.obj:
            del page.obj["/Rotate"]
        return
    x0, y0, w, h = _box(page)
    if rotate == 90:  # shown turned clockwise: (x, y) → (y − y0, w + x0 − x)
        m = (0, -1, 1, 0, -y0, w + x0)
        new = (0, 0, h, w)
    elif rotate == 180:
        m = (-1, 0, 0, -1, w + x0, h + y0)
        new = (0, 0, w, h)
    else:  # 270
        m = (0, 1, -1, 0, h + y0, -x0)
        new = (0, 0, h, w)

    def apply(x, y):
        return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]

    for name in BOXES:
        if name in page.obj:
            bx0, by0, bx1, by1 = (float(v) for v in page.obj[name])
            (ax, ay), (cx, cy) = apply(bx0, by0), apply(bx1, by1)
            page.obj[name] = [min(ax, cx), min(ay, cy), max(ax, cx), max(ay, cy)]
    page.obj["/MediaBox"] = list(new)
    page.contents_add(_matrix_stream(pdf, m, True), prepend=True)
    page.contents_add(_matrix_stream(pdf, (), False), prepend=False)
    del page.obj["/Rotate"]


def _fit(pdf, page, shrink: bool) -> tuple[float, float, float, float]:
    """Upright the page, optionally shrink its content to the top; return its box."""
    _upright(pdf, page)
    x0, y0, w, h = _box(page)
    if shrink and h > 3 * STRIP_MM * MM:
        s = (h - STRIP_MM * MM) / h
        m = (s, 0, 0, s, (x0 + w / 2) * (1 - s), (y0 + h) * (1 - s))
        page.contents_add(_matrix_stream(pdf, m, True), prepend=True)
        page.contents_add(_matrix_stream(pdf, (), False), prepend=False)
    return x0, y0, w, h


def assemble(sections: list[Section], front: FrontMatter, out: Path, *, title: str) -> None:
    """Write the package to ``out``."""
    import pikepdf
    from pikepdf import Name, OutlineItem, Rectangle

    with ExitStack() as files:
        pdf = files.enter_context(pikepdf.new())
        front_pdf = files.enter_context(pikepdf.open(files.enter_context(open(front.pdf, "rb"))))
        stamps = front_pdf if front.stamps is None else files.enter_context(pikepdf.open(files.enter_context(open(front.stamps, "rb"))))
        offset = 0 if front.stamps is None else front.front_pages  # stamp of page n is stamps.pages[n - offset]
        for i in range(front.front_pages):
            pdf.pages.append(front_pdf.pages[i])
        number = front.front_pages
        marks: list[tuple[str, str, int]] = []
        for section in sections:
            parts = section.included
            if not parts:
                continue
            label = f"{section.no} {section.title}" if section.no is not None else section.title
            for part in parts:
                # kept open until the package is written: qpdf copies the page content then
                # opened as a stream: a file name that is not UTF-8 (from a client's disk) is
                # fine for the OS but not for pikepdf's path handling
                src = files.enter_context(pikepdf.open(files.enter_context(open(part.pdf, "rb")), password=""))
                first = number
                for source in src.pages:
                    pdf.pages.append(source)
                    page = pdf.pages[-1]
                    x0, y0, w, h = _fit(pdf, page, part.shrink)
                    stamp = stamps.pages[number - offset]
                    sx0, sy0, sw, sh = _box(stamp)
                    left = x0 + (w - sw) / 2
                    page.add_overlay(stamp, Rectangle(left, y0, left + sw, y0 + sh))
                    number += 1
                marks.append((label, part.title, first))
        # Bookmarks: one per section, one per file under it.
        with pdf.open_outline() as outline:
            outline.root.append(OutlineItem("封面及材料目录", 0))
            parents: dict[str, OutlineItem] = {}
            for section_label, file_title, first in marks:
                if section_label not in parents:
                    parents[section_label] = OutlineItem(section_label, first)
                    outline.root.append(parents[section_label])
                parents[section_label].children.append(OutlineItem(file_title, first))
        pdf.docinfo[Name.Title] = title
        pdf.docinfo[Name.Producer] = "dossier"
        pdf.Root.PageMode = Name.UseOutlines
        pdf.save(out)
