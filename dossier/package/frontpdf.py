"""The cover, the 材料目录 and the page-number stamps drawn directly as PDF (reportlab),
with the CJK fonts LibreOffice uses for the same text (AR PL UMing for 仿宋/宋体, AR PL
UKai for 楷体; titles in UMing drawn heavier, there being no TrueType 黑体 installed).

No LibreOffice round trip: the 目录's page numbers depend on how many pages the cover
and the 目录 take, and here that count is known by laying them out in memory — a few
milliseconds — and laying them out again when the first count was a guess too low.
The layout follows ``form_templates/package-cover.docx`` (A4, GB/T 9704 margins, the
same sizes); a user's own ``package-cover.docx`` is still laid out by LibreOffice
(:mod:`dossier.package.frontmatter`).
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from pathlib import Path

from ..errors import SystemComponentError
from ..render.environment import date_cn

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
TOP, BOTTOM, LEFT, RIGHT = 37 * MM, 35 * MM, 28 * MM, 26 * MM
FOOTER_BASELINE = 8 * MM + 3  # footer distance 8 mm, as in the template
FONT_FILES = {
    "UMing": ("/usr/share/fonts/truetype/arphic/uming.ttc", "AR PL UMing CN"),
    "UKai": ("/usr/share/fonts/truetype/arphic/ukai.ttc", "AR PL UKai CN"),
}
# Chinese type sizes (号) in points
小一, 二号, 三号, 小四, 五号 = 24, 22, 16, 12, 10.5
MAX_PASSES = 6


def _font_file(name: str) -> tuple[str, int]:
    """The file and the face index of an installed font (fontconfig first, the Debian path
    as it is packaged otherwise)."""
    import shutil
    import subprocess

    path, family = FONT_FILES[name]
    if shutil.which("fc-match"):
        out = subprocess.run(["fc-match", "-f", "%{file}\t%{index}\t%{family}", family],
                             capture_output=True, text=True, check=False).stdout
        parts = out.split("\t")
        if len(parts) == 3 and family.split()[-2] in parts[2]:
            return parts[0], int(parts[1] or 0)
    if Path(path).is_file():
        return path, 0
    raise SystemComponentError(
        f"找不到中文字体 {family}，无法生成封面和目录。请安装：sudo apt-get install -y fonts-arphic-uming "
        "fonts-arphic-ukai（或运行 scripts/setup.sh）")


_fonts_lock = threading.Lock()
_loaded: set[str] = set()


def _register_font(name: str) -> None:
    """Load a font once per process (reading a CJK font takes ~0.2 s)."""
    with _fonts_lock:
        if name in _loaded:
            return
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        path, index = _font_file(name)
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
        _loaded.add(name)


def preload() -> None:
    """Read the font in the background while LibreOffice converts the forms (the build
    waits for LibreOffice then): the cover and 目录 are drawn at once after."""
    def load() -> None:
        try:
            _register_font("UMing")
        except Exception:
            pass  # drawing the front matter reports it
    threading.Thread(target=load, name="dossier-fonts", daemon=True).start()


def _styles():
    from reportlab.lib.enums import TA_CENTER, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    base = dict(fontName="UMing", wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", **base, fontSize=小一, leading=小一 * 1.5, alignment=TA_CENTER),
        "volume": ParagraphStyle("volume", fontName="UKai", wordWrap="CJK", fontSize=三号, leading=三号 * 1.5,
                                 alignment=TA_CENTER, spaceBefore=12),
        "line": ParagraphStyle("line", **base, fontSize=三号, leading=36, alignment=TA_CENTER),
        "toc_title": ParagraphStyle("toc_title", **base, fontSize=二号, leading=二号 * 1.5, alignment=TA_CENTER,
                                    spaceAfter=12),
        "cell": ParagraphStyle("cell", **base, fontSize=小四, leading=小四 * 1.3, alignment=TA_CENTER),
        "cell_left": ParagraphStyle("cell_left", **base, fontSize=小四, leading=小四 * 1.3, alignment=TA_LEFT),
        "note": ParagraphStyle("note", **base, fontSize=五号, leading=五号 * 1.5, spaceBefore=6),
    }


def _esc(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text or "")


def _story(entries, *, scheme_title: str, subject: str, credit_code: str, date: dt.date, volume: str,
           toc_note: str) -> list:
    from reportlab.lib import colors
    from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

    st = _styles()
    story: list = [Spacer(1, 4 * 三号 * 1.5)]
    story.append(_Bold(Paragraph(_esc(scheme_title), st["title"])))
    story.append(Spacer(1, 12))
    story.append(_Bold(Paragraph("申报材料", st["title"])))
    if volume:
        story.append(Paragraph(_esc(volume), st["volume"]))
    story.append(Spacer(1, 6 * 三号 * 1.5))
    for line in (f"申报单位：{subject}", f"统一社会信用代码：{credit_code}", f"编制日期：{date_cn(date)}"):
        story.append(Paragraph(_esc(line), st["line"]))
    story.append(PageBreak())
    story.append(_Bold(Paragraph("材料目录", st["toc_title"])))
    widths = [14 * MM, (210 - 28 - 26 - 14 - 22 - 28) * MM, 22 * MM, 28 * MM]
    rows = [[_Bold(Paragraph(h, st["cell"])) for h in ("序号", "材料名称", "页码", "备注")]]
    for e in entries:
        rows.append([Paragraph(_esc(e.no), st["cell"]), Paragraph(_esc(e.title), st["cell_left"]),
                     Paragraph(_esc(e.pages), st["cell"]), Paragraph(_esc(e.note), st["cell"])])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 0.8 * MM),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.4 * MM),
        ("LEFTPADDING", (0, 0), (-1, -1), 1.9 * MM),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1.9 * MM),
    ]))
    story.append(table)
    story.append(Paragraph(_esc(toc_note), st["note"]))
    return story


def _Bold(flowable):  # noqa: N802 - reads as a wrapper in the story
    """Draw a flowable's text filled and outlined (render mode 2): titles and the table
    head in a heavier face, as the template's 黑体 and bold."""
    original = flowable.draw

    def draw():
        canvas = flowable.canv
        canvas.saveState()
        canvas.setLineWidth(0.45)
        canvas._code.append("2 Tr")
        original()
        canvas._code.append("0 Tr")
        canvas.restoreState()

    flowable.draw = draw
    return flowable


def _footer(canvas, number: int, total: int) -> None:
    canvas.setFont("UMing", 小四)
    canvas.drawCentredString(PAGE_W / 2, FOOTER_BASELINE, f"第 {number} 页 / 共 {total} 页")


def layout_front(entries_for_pages, *, content_pages: int, scheme_title: str, subject: str,
                 credit_code: str | None, date: dt.date, volume: str, toc_note_for) -> tuple[bytes, int, list]:
    """Lay out the cover and 目录 until the page count they assume is the count they take.

    ``entries_for_pages(front_pages)`` gives the 目录 rows (their page numbers follow
    the front matter) and the first page of each section; ``toc_note_for(entries)`` the
    note under the table. Returns (PDF bytes of the front pages with their footers, the
    number of front pages, the section starts)."""
    from reportlab.platypus import SimpleDocTemplate

    _register_font("UMing")
    if volume:
        _register_font("UKai")  # the volume label only
    guess = 2
    for _ in range(MAX_PASSES):
        entries, starts = entries_for_pages(guess)
        story = _story(entries, scheme_title=scheme_title, subject=subject, credit_code=credit_code or "",
                       date=date, volume=volume, toc_note=toc_note_for(entries))
        # count the pages first: the footers need the total
        counter = io.BytesIO()
        doc = SimpleDocTemplate(counter, pagesize=(PAGE_W, PAGE_H), topMargin=TOP, bottomMargin=BOTTOM,
                                leftMargin=LEFT, rightMargin=RIGHT)
        doc.build(list(story))
        pages = doc.page
        if pages != guess:
            guess = pages
            continue
        total = pages + content_pages
        out = io.BytesIO()
        doc = SimpleDocTemplate(out, pagesize=(PAGE_W, PAGE_H), topMargin=TOP, bottomMargin=BOTTOM,
                                leftMargin=LEFT, rightMargin=RIGHT, title="封面及材料目录", creator="dossier")
        entries, starts = entries_for_pages(pages)
        story = _story(entries, scheme_title=scheme_title, subject=subject, credit_code=credit_code or "",
                       date=date, volume=volume, toc_note=toc_note_for(entries))
        on_page = lambda canvas, d: _footer(canvas, canvas.getPageNumber(), total)  # noqa: E731
        doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
        return out.getvalue(), pages, starts
    raise SystemComponentError("封面和目录的页数无法确定（排版结果不一致），请重试")


def stamp_pages(first: int, count: int, total: int) -> bytes:
    """``count`` A4 pages that carry only the footer "第 n 页 / 共 total 页", n from ``first``:
    laid over the package's content pages."""
    from reportlab.pdfgen.canvas import Canvas

    _register_font("UMing")
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(PAGE_W, PAGE_H), pageCompression=1)
    for n in range(first, first + count):
        _footer(canvas, n, total)
        canvas.showPage()
    canvas.save()
    return out.getvalue()
