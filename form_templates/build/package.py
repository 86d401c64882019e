"""The package's front matter: cover, 材料目录, and the page-number stamp pages
(``form_templates/package-cover.docx``, used by ``dossier build``).

One document: the cover, the 目录 (a table: 序号, 材料名称, 页码, 备注), then
``stamp_pages`` empty pages. Every page carries the footer "第 X 页 / 共 Y 页" (Word
fields). The build converts it once: the cover and 目录 pages go to the front of the
package, and the footers of the empty pages are laid over the evidence pages, so the
numbers on every page come from one LibreOffice layout.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from . import kit

FOOTER_SIZE = "小四"


def _field(run, instr: str, placeholder: str) -> None:
    for kind, text in (("begin", None), ("instr", instr), ("separate", None), ("text", placeholder), ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText"); el.set(qn("xml:space"), "preserve"); el.text = f" {text} "
        elif kind == "text":
            el = OxmlElement("w:t"); el.text = text
        else:
            el = OxmlElement("w:fldChar"); el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


def _footer(doc) -> None:
    section = doc.sections[0]
    section.footer_distance = Mm(8)
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    kit.add_run(p, "第 ", font=kit.SONGTI, size=FOOTER_SIZE)
    _field(kit.add_run(p, "", font=kit.SONGTI, size=FOOTER_SIZE), "PAGE", "1")
    kit.add_run(p, " 页 / 共 ", font=kit.SONGTI, size=FOOTER_SIZE)
    _field(kit.add_run(p, "", font=kit.SONGTI, size=FOOTER_SIZE), "NUMPAGES", "1")
    kit.add_run(p, " 页", font=kit.SONGTI, size=FOOTER_SIZE)


def build():
    doc = kit.new_document(body_font=kit.FANGSONG, body_size="三号")
    _footer(doc)
    for _ in range(4):
        kit.para(doc, "")
    kit.para(doc, "{{ pkg.scheme_title }}", font=kit.HEITI, size="小一", align="center", space_after=12)
    kit.para(doc, "申报材料", font=kit.HEITI, size="小一", align="center")
    kit.para(doc, "{{ pkg.volume }}", font=kit.KAITI, size="三号", align="center", space_before=12)
    for _ in range(6):
        kit.para(doc, "")
    kit.para(doc, "申报单位：{{ pkg.subject }}", size="三号", align="center", line_pt=36)
    kit.para(doc, "统一社会信用代码：{{ pkg.credit_code }}", size="三号", align="center", line_pt=36)
    kit.para(doc, "编制日期：{{ date_cn(pkg.date) }}", size="三号", align="center", line_pt=36)
    kit.page_break(doc)

    kit.para(doc, "材料目录", font=kit.HEITI, size="二号", align="center", space_after=12)
    width = kit.text_width_mm(doc)
    t = kit.table(doc, 2, 4, [14, width - 14 - 22 - 28, 22, 28], size="小四")
    kit.fill_row(t, 0, ["序号", "材料名称", "页码", "备注"], bold=True)
    kit.fill_row(t, 1, ["{{ e.no }}", "{{ e.title }}", "{{ e.pages }}", "{{ e.note }}"])
    for cell in t.rows[1].cells[1:2]:
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    kit.loop_rows(t, 1, "for e in pkg.entries", 4)
    kit.repeat_header(t, 1)
    kit.para(doc, "{{ pkg.toc_note }}", size="五号", space_before=6)
    # The stamp pages: one empty page per evidence page (their footers are the stamps).
    # Each stamp page is a paragraph that starts a new page ("段前分页"): a run of bare page
    # breaks loses one page in LibreOffice's layout.
    kit.para(doc, "{%p for i in pkg.stamp_pages %}")
    kit.para(doc, "\u200b", size="五号").paragraph_format.page_break_before = True
    kit.para(doc, "{%p endfor %}")
    return [kit.save(doc, "package-cover", page_numbers=False)]
