"""The cover, the 材料目录 and the page-number stamps.

With the built-in ``package-cover.docx`` they are drawn directly as PDF
(:mod:`dossier.package.frontpdf`): no LibreOffice round trip. A user's own
``package-cover.docx`` (``--templates``) is laid out by LibreOffice, in two passes (or
three): the 目录's page numbers depend on how many pages the cover and the 目录
themselves take, which is known only once LibreOffice has laid them out. The first pass
guesses; if the guess was wrong, the second uses the measured count.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from ..errors import SystemComponentError
from ..render.docx_form import render_docx
from ..render.pdf import convert_to_pdf
from ..render.templates import find_template
from ..schemes import FormDef
from .plan import Section

COVER_FORM = FormDef(id="package-cover", annex="", title="申报材料封面及目录", template="package-cover.docx")
MAX_PASSES = 4


@dataclass
class Entry:
    no: str
    title: str
    pages: str
    note: str


@dataclass
class FrontMatter:
    pdf: Path
    front_pages: int  # cover + 目录
    total_pages: int
    starts: list[int]  # first page of each section (1-based), 0 when it has no pages
    stamps: Path | None = None  # the stamp pages apart (page 1 = the first content page), or in ``pdf``


def page_range(first: int, count: int) -> str:
    if count <= 0:
        return "—"
    return str(first) if count == 1 else f"{first}–{first + count - 1}"


def entries_for(sections: list[Section], front_pages: int) -> tuple[list[Entry], list[int]]:
    entries, starts = [], []
    page = front_pages + 1
    for section in sections:
        count = sum(p.pages for p in section.included)
        starts.append(page if count else 0)
        note = section.label if section.status not in ("ok", "form") else ""
        if section.status == "form" and section.parts and section.parts[0].kind == "form":
            note = "未签字盖章"
        left_out = [p for p in section.parts if p.problem]
        if left_out and section.status not in ("missing",):
            note = (note + "；" if note else "") + f"{len(left_out)} 个文件无法读取，未放入"
        number = str(section.no) if section.no is not None else ""
        entries.append(Entry(number, section.title, page_range(page, count), note))
        page += count
    return entries, starts


@dataclass
class Volume:
    """What one package volume's front matter is made from."""

    sections: list[Section]
    label: str  # "第1册，共3册", or "" for a single package


def build_front_matter(
    volumes: list[Volume],
    *,
    scheme_title: str,
    subject: str,
    credit_code: str | None,
    date: dt.date,
    workdir: Path,
    templates: Path | None = None,
    timeout: float = 180.0,
) -> list[FrontMatter]:
    """The front matter of every volume: drawn directly, or, for a user's own template,
    laid out in one LibreOffice batch per pass."""
    template = find_template(COVER_FORM, templates)
    if not template.user:
        return [_drawn(v, i, scheme_title=scheme_title, subject=subject, credit_code=credit_code, date=date,
                       workdir=workdir) for i, v in enumerate(volumes)]
    content = [sum(p.pages for s in v.sections for p in s.included) for v in volumes]
    guesses = [2] * len(volumes)
    done: dict[int, FrontMatter] = {}
    for attempt in range(MAX_PASSES):
        todo = [i for i in range(len(volumes)) if i not in done]
        if not todo:
            break
        jobs, starts_of = [], {}
        for i in todo:
            entries, starts_of[i] = entries_for(volumes[i].sections, guesses[i])
            ctx = {"pkg": {
                "scheme_title": scheme_title, "subject": subject, "credit_code": credit_code or "",
                "date": date, "volume": volumes[i].label, "entries": entries,
                "toc_note": toc_note(entries),
                "stamp_pages": range(content[i]),
            }}
            docx = workdir / f"front-{i + 1}-{attempt}.docx"
            render_docx(template, ctx, docx)
            jobs.append((docx, docx.with_suffix(".pdf")))
        for i, result in zip(todo, convert_to_pdf(jobs, timeout=timeout)):
            if not result.ok:
                raise SystemComponentError(f"封面和目录转换 PDF 失败：{result.error}")
            reader = PdfReader(str(result.dst))
            if _trailing_stamp_pages(reader) != content[i]:
                # A layout that lost or gained a stamp page would number the package wrongly:
                # lay it out again rather than stamp wrong numbers.
                continue
            total = len(reader.pages)
            front = total - content[i]
            if front == guesses[i]:
                done[i] = FrontMatter(result.dst, front, total, starts_of[i])
            guesses[i] = front
    if len(done) < len(volumes):
        raise SystemComponentError("封面和目录的排版结果不一致（页码页数量不对），无法确定页码；请重试")
    return [done[i] for i in range(len(volumes))]


def toc_note(entries: list[Entry]) -> str:
    if any(e.note.startswith("缺失") for e in entries):
        return "注：页码为材料包 PDF 的页码；备注“缺失”的材料未提供。"
    return "注：页码为材料包 PDF 的页码。"


def _drawn(volume: Volume, index: int, *, scheme_title: str, subject: str, credit_code: str | None,
           date: dt.date, workdir: Path) -> FrontMatter:
    from .frontpdf import layout_front, stamp_pages

    content = sum(p.pages for s in volume.sections for p in s.included)
    front, pages, starts = layout_front(
        lambda guess: entries_for(volume.sections, guess), content_pages=content, scheme_title=scheme_title,
        subject=subject, credit_code=credit_code, date=date, volume=volume.label, toc_note_for=toc_note)
    pdf = workdir / f"front-{index + 1}.pdf"
    pdf.write_bytes(front)
    stamps = workdir / f"stamps-{index + 1}.pdf"
    stamps.write_bytes(stamp_pages(pages + 1, content, pages + content))
    return FrontMatter(pdf, pages, pages + content, starts, stamps=stamps)


# "第 12 页 / 共 180 页" alone on a page: a stamp page (its footer is its only text).
STAMP_ONLY = re.compile(r"^\s*第\s*\d+\s*页\s*/\s*共\s*\d+\s*页\s*$")


def _trailing_stamp_pages(reader: PdfReader) -> int:
    count = 0
    for page in reversed(reader.pages):
        if not STAMP_ONLY.match(page.extract_text() or ""):
            break
        count += 1
    return count
