"""The Jiangsu forms (seed 002, 江苏省零碳（近零碳）工厂培育建设工作方案):

* ``jiangsu-intake-form.docx`` — 附件2 江苏省零碳（近零碳）工厂入库申报表;
* ``jiangsu-application.docx`` — 附件3 江苏省零碳（近零碳）工厂申报书: cover, 填报说明, 目录,
  一、基本信息表 (申报承诺), 二、自评价报告 (its four sections; §三 carries the self-assessment
  tables of 附件1-1 基本条件 and 附件1-2 评价指标 and the 确认标准), and the list of attachments.

Typography of the 申报书 is its 填报说明 4: 一级标题 3号黑体, 二级标题 3号楷体加粗, 正文 3号仿宋,
fixed line spacing 29 pt, A4. These live in Word styles (Heading 1, Heading 2, Normal, Body
Text), so a user restyles the whole document from the style list and the 目录 (a TOC field
over Heading 1–2) finds the headings. The 填报说明 says nothing of tables: the 基本信息表
follows the body (3号, 29 pt); the wide self-assessment tables are set in 仿宋 小四 with 18 pt
lines on landscape pages — at 3号/29 pt a single row of 附件1-2 (a 150-character requirement
beside its statement) is taller than a page.

Seed text that is the template's own marker, not part of a filled form, is left out:
"（模板）" under both titles and "（格式）" after 自评价报告.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from . import kit

# 填报说明 4.
BODY_FONT, BODY_SIZE, LINE_PT = kit.FANGSONG, "三号", 29
H1_FONT, H2_FONT = kit.HEITI, kit.KAITI
# Tables the 填报说明 does not cover (see the module docstring).
TABLE_SIZE, TABLE_LINE_PT = "小四", 18
# 附件2 is a one-table form: 仿宋 四号.
INTAKE_SIZE, INTAKE_LINE_PT = "四号", 22

PORTRAIT_MARGINS = (37, 35, 28, 26)  # GB/T 9704: top, bottom, left, right (mm)
TITLE_FONT, TITLE_SIZE = kit.SONGTI, "二号"  # document titles (GB/T 9704: 2号小标宋; 宋体 bold here)
ANNEX_FONT = kit.HEITI  # "附件2" / "附件3" at the top left (GB/T 9704 8.1: 3号黑体)

# Style names (Word's built-in names, so Word and WPS list them as usual).
BODY_STYLE, TABLE_STYLE, CAPTION_STYLE = "Body Text", "Table Text", "Caption"


# -- styles ------------------------------------------------------------------------------


def _clear_theme_fonts(style) -> None:
    """Word's Heading styles name theme fonts (w:asciiTheme, w:eastAsiaTheme …), which win
    over w:eastAsia: drop them so the named font shows; drop the theme colour too."""
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        for attr in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
    for tag in ("w:color", "w:szCs"):
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)


def _exact(fmt, line_pt: float, *, before: float = 0, after: float = 0) -> None:
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line_pt)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)


def _paragraph_style(doc, name: str, base: str = "Normal"):
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[base]
    style.hidden = False
    style.quick_style = True
    return style


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    kit.set_font(normal, BODY_FONT, BODY_SIZE)
    _exact(normal.paragraph_format, LINE_PT)
    normal.paragraph_format.widow_control = False  # 公文: lines run on without widow control

    body = _paragraph_style(doc, BODY_STYLE)
    kit.set_font(body, BODY_FONT, BODY_SIZE)
    _exact(body.paragraph_format, LINE_PT)
    body.paragraph_format.first_line_indent = Pt(kit.SIZES[BODY_SIZE] * 2)  # 首行缩进 2 字
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    for name, font, bold in (("Heading 1", H1_FONT, False), ("Heading 2", H2_FONT, True)):
        style = doc.styles[name]
        _clear_theme_fonts(style)
        kit.set_font(style, font, BODY_SIZE, bold=bold)
        style.font.italic = False
        fmt = style.paragraph_format
        _exact(fmt, LINE_PT)
        fmt.keep_with_next = True
        fmt.first_line_indent = Pt(kit.SIZES[BODY_SIZE] * 2) if name == "Heading 2" else Pt(0)
        fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT

    table_text = _paragraph_style(doc, TABLE_STYLE)
    kit.set_font(table_text, BODY_FONT, TABLE_SIZE)
    _exact(table_text.paragraph_format, TABLE_LINE_PT)
    table_text.paragraph_format.first_line_indent = Pt(0)

    caption = doc.styles[CAPTION_STYLE]
    _clear_theme_fonts(caption)
    kit.set_font(caption, BODY_FONT, BODY_SIZE, bold=True)
    caption.font.italic = False
    _exact(caption.paragraph_format, LINE_PT, before=6, after=6)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True

    # The 目录's entries (Word "toc 1"/"toc 2"; LibreOffice maps them to Contents 1/2): the
    # page number at the right margin after a dot leader; a long heading wraps two
    # characters short of the margin, so its leader and number stay visible.
    text_width = Mm(210 - PORTRAIT_MARGINS[2] - PORTRAIT_MARGINS[3])
    for level in (1, 2):
        toc = _paragraph_style(doc, f"toc {level}")
        kit.set_font(toc, BODY_FONT, BODY_SIZE)
        _exact(toc.paragraph_format, LINE_PT)
        toc.paragraph_format.left_indent = Pt(kit.SIZES[BODY_SIZE] * 2 * (level - 1))
        toc.paragraph_format.right_indent = Pt(kit.SIZES[BODY_SIZE] * 2)
        toc.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


# -- small builders ----------------------------------------------------------------------


def _p(container, text: str = "", *, style: str | None = None, **kw):
    """A paragraph with ``text`` in one run (docxtpl needs each tag inside one run)."""
    return kit.para(container, text, style=style, **kw)


def _tag(container, tag: str, style: str | None = None):
    """A paragraph holding only a docxtpl paragraph tag ({%p … %}); it disappears on rendering."""
    return _p(container, tag, style=style)


def _annex_label(doc, text: str) -> None:
    _p(doc, text, font=ANNEX_FONT, size="三号", line_pt=LINE_PT)


def _title(doc, text: str, *, before: float = 0, after: float = 0, new_page: bool = False) -> None:
    p = _p(doc, text, font=TITLE_FONT, size=TITLE_SIZE, bold=True, align="center", line_pt=36,
           space_before=before, space_after=after)
    p.paragraph_format.page_break_before = new_page


def _heading(doc, text: str, level: int, *, new_page: bool = False) -> None:
    p = doc.add_paragraph(text, style=f"Heading {level}")
    p.paragraph_format.page_break_before = new_page


def _cell(cell, lines: list[str] | str, *, style: str = TABLE_STYLE, align: str = "left", bold: bool | None = None,
          valign: str | None = "center"):
    """Fill ``cell`` with one paragraph per line, each one run (docxtpl tags stay whole)."""
    lines = [lines] if isinstance(lines, str) else lines
    first = cell.paragraphs[0]
    for i, text in enumerate(lines):
        p = first if i == 0 else cell.add_paragraph()
        p.style = cell.part.document.styles[style]
        if text:
            run = p.add_run(text)
            if bold is not None:
                run.bold = bold
        p.alignment = kit.ALIGN[align]
    if valign:
        cell.vertical_alignment = {"center": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
                                   "top": WD_CELL_VERTICAL_ALIGNMENT.TOP}[valign]
    return cell


def _grid(doc, rows: int, widths: list[float], *, style: str = TABLE_STYLE):
    t = kit.table(doc, rows, len(widths), widths)
    for row in t.rows:
        for cell in row.cells:
            cell.paragraphs[0].style = doc.styles[style]
    return t


def _rows_whole(t) -> None:
    """No row splits over two pages (w:cantSplit): a requirement stays beside its self-assessment."""
    for row in t.rows:
        trpr = row._tr.get_or_add_trPr()
        if trpr.find(qn("w:cantSplit")) is None:
            trpr.insert(0, OxmlElement("w:cantSplit"))  # first in CT_TrPr but for cnfStyle … wAfter (unused)


def _underline_bottom(cell) -> None:
    """A bottom border only (the cover's fill-in lines)."""
    tcpr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single" if side == "bottom" else "nil")
        if side == "bottom":
            el.set(qn("w:sz"), "6"); el.set(qn("w:space"), "0"); el.set(qn("w:color"), "000000")
        borders.append(el)
    # w:tcBorders follows w:tcW / w:gridSpan / w:vMerge and precedes w:vAlign in CT_TcPr.
    valign = tcpr.find(qn("w:vAlign"))
    if valign is not None:
        valign.addprevious(borders)
    else:
        tcpr.append(borders)


def _no_borders(t) -> None:
    tblpr = t._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}"); el.set(qn("w:val"), "nil"); borders.append(el)
    # CT_TblPr order: … tblInd, tblBorders, shd, tblLayout, tblCellMar, tblLook.
    later = [tblpr.find(qn(f"w:{tag}")) for tag in ("shd", "tblLayout", "tblCellMar", "tblLook")]
    later = [el for el in later if el is not None]
    if later:
        later[0].addprevious(borders)
    else:
        tblpr.append(borders)


def _page_number_footer(section) -> None:
    """"— 1 —" centred (GB/T 9704 7.5), in this section's own footer."""
    section.footer.is_linked_to_previous = False
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.first_line_indent = Pt(0)
    kit.add_run(p, "— ", font=kit.SONGTI, size="四号")
    run = kit.add_run(p, "", font=kit.SONGTI, size="四号")
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText"); el.set(qn("xml:space"), "preserve"); el.text = text
        elif kind == "text":
            el = OxmlElement("w:t"); el.text = text
        else:
            el = OxmlElement("w:fldChar"); el.set(qn("w:fldCharType"), kind)
        run._r.append(el)
    kit.add_run(p, " —", font=kit.SONGTI, size="四号")


def _restart_numbering(section, start: int = 1) -> None:
    sectpr = section._sectPr
    num = OxmlElement("w:pgNumType")
    num.set(qn("w:start"), str(start))
    # CT_SectPr order: … pgSz, pgMar, paperSrc, pgBorders, lnNumType, pgNumType, cols …
    cols = sectpr.find(qn("w:cols"))
    if cols is not None:
        cols.addprevious(num)
    else:
        sectpr.append(num)


def _new_section(doc, *, landscape: bool):
    """A section on a new page. A landscape page keeps the portrait margins where they are
    on the sheet (turned a quarter: its top is the bound edge), so the binding is unchanged."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    for num in section._sectPr.findall(qn("w:pgNumType")):  # copied from the previous section
        section._sectPr.remove(num)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    top, bottom, left, right = PORTRAIT_MARGINS
    margins = (left, right, bottom, top) if landscape else PORTRAIT_MARGINS
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (Mm(m) for m in margins)
    return section


def _narrative(doc, narrative_id: str) -> None:
    """A narrative as Word paragraphs (one per non-blank line), each indented 2 characters."""
    _tag(doc, f"{{%p for t in narrative.{narrative_id}.splitlines() if t.strip() %}}", BODY_STYLE)
    _p(doc, "{{ t.strip() }}", style=BODY_STYLE)
    _tag(doc, "{%p endfor %}", BODY_STYLE)


# -- 附件2 入库申报表 ----------------------------------------------------------------------


def build_intake() -> Path:
    doc = kit.new_document(body_font=BODY_FONT, body_size=INTAKE_SIZE)
    normal = doc.styles["Normal"]
    _exact(normal.paragraph_format, INTAKE_LINE_PT)
    cell_style = _paragraph_style(doc, TABLE_STYLE)
    kit.set_font(cell_style, BODY_FONT, INTAKE_SIZE)
    _exact(cell_style.paragraph_format, INTAKE_LINE_PT)

    _annex_label(doc, "附件2")
    _title(doc, "江苏省零碳（近零碳）工厂入库申报表", before=6, after=12)

    width = kit.text_width_mm(doc)
    label_w, value_w = 34, (width - 2 * 34) / 2
    t = _grid(doc, 7, [label_w, value_w, label_w, value_w])
    _cell(t.cell(0, 0), "企业名称", align="center")
    _cell(kit.merge(t, 0, 1, 0, 3), "{{ d.subject.name }}")
    _cell(t.cell(1, 0), "企业地址", align="center")
    _cell(kit.merge(t, 1, 1, 1, 3), "{{ d.subject.address }}")
    _cell(t.cell(2, 0), "企业法人代表及联系电话", align="center")
    _cell(t.cell(2, 1), ["{{ d.subject.legal_representative.name }}",
                         "{{ d.subject.legal_representative.phone or d.subject.legal_representative.mobile }}"])
    _cell(t.cell(2, 2), ["具体负责人及", "联系电话"], align="center")
    _cell(t.cell(2, 3), ["{{ d.subject.contact.name }}", "{{ d.subject.contact.phone }}",
                         "{{ d.subject.contact.mobile }}"])

    conditions = kit.merge(t, 3, 0, 3, 3)
    _cell(conditions, [
        "企业申报零碳（近零碳）工厂基本条件符合性情况，符合的在“□”内打√。",
        "{%p for c in x.intake_conditions %}",
        "{{ c.no }}.{{ box(c.ticked) }}{{ c.text }}{{ '（不适用）' if c.not_applicable else '' }}",
        "{%p endfor %}",
    ], valign="top")

    measures = kit.merge(t, 4, 0, 4, 3)
    _cell(measures, [
        "零碳（近零碳）工厂培育建设的主要措施与计划（400字左右）。",
        "{%p for t in narrative.measures_plan.splitlines() if t.strip() %}",
        "{{ t.strip() }}",
        "{%p endfor %}",
    ], valign="top")
    measures.paragraphs[2].paragraph_format.first_line_indent = Pt(kit.SIZES[INTAKE_SIZE] * 2)

    declaration = kit.merge(t, 5, 0, 5, 3)
    _cell(declaration, [
        "申报说明：",
        "本企业自愿申报，愿意接受工信部门的监督抽查和核验；如有不实，自愿被取消入库申请资格且3年内不再申报。",
        "",
        "企业负责人签章：                       公章：",
        "年   月   日",
    ], valign="top")
    declaration.paragraphs[1].paragraph_format.first_line_indent = Pt(kit.SIZES[INTAKE_SIZE] * 2)
    declaration.paragraphs[4].alignment = WD_ALIGN_PARAGRAPH.RIGHT

    opinion = kit.merge(t, 6, 0, 6, 3)
    _cell(opinion, [
        "设区市工信部门审核推荐意见。",
        "", "", "",
        "单位负责人签章：                        公章：",
        "年   月   日",
    ], valign="top")
    opinion.paragraphs[5].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _rows_whole(t)  # a signature block never splits over two pages

    # one line under the table, as the seed has it (小四: the filled line fits the text width,
    # so neither the line nor its date is carried alone onto a page of its own)
    _p(doc, "填表人及联系电话：{{ join([d.subject.contact.name, d.subject.contact.phone or d.subject.contact.mobile], ' ') }}"
            "    填表时间：{{ date_cn(d.fill_date) }}", size="小四", space_before=6)
    return kit.save(doc, "jiangsu-intake-form")


# -- 附件3 申报书 ----------------------------------------------------------------------------


def _cover(doc) -> None:
    _annex_label(doc, "附件3")
    for _ in range(2):
        _p(doc, "")
    _title(doc, "江苏省零碳（近零碳）工厂申报书")
    for _ in range(3):
        _p(doc, "")
    fields = [("企业名称：", "{{ d.subject.name }}"), ("地    址：", "{{ d.subject.address }}"),
              ("联 系 人：", "{{ d.subject.contact.name }}"),
              ("电    话：", "{{ d.subject.contact.phone or d.subject.contact.mobile }}"),
              ("填报日期：", "{{ date_cn(d.fill_date) }}")]
    t = kit.table(doc, len(fields), 2, [34, 112])
    _no_borders(t)
    for row, (label, value) in zip(t.rows, fields):
        _cell(row.cells[0], label, style="Normal", align="left", valign="center")
        _cell(row.cells[1], value, style="Normal", align="center")
        _underline_bottom(row.cells[1])
        row.height = Mm(14)
    for _ in range(3):
        _p(doc, "")
    _p(doc, "江苏省工业和信息化厅制", font=kit.SONGTI, size="三号", bold=True, align="center", line_pt=LINE_PT)


def _instructions(doc) -> None:
    _title(doc, "填报说明", after=LINE_PT, new_page=True)
    for text in (
        "为规范江苏省零碳（近零碳）工厂的确认工作，请申报主体仔细阅读相关通知及说明，严格按照格式要求，如实填写各部分内容。",
        "1.申报书中基本信息表格请按照要求填写。",
        "2.申报书正文内容请按照要求进行阐述，文字表述清晰简洁，要点突出，结论明确。",
        "3.申报书需签字盖章，并加盖骑缝章，如有缺漏将不予采信，造成不良后果由申报主体自行承担。",
        "4.格式说明：请用A4幅面编辑打印，双面印刷并胶装。一级标题3号黑体，二级标题3号楷体加粗，正文字体为3号仿宋体，"
        "固定行距29磅。目录页码需与正文一一对应，如有证明材料等附件也需在目录中显示。",
        "5.电子版内容格式应与纸质版材料一致，以企业全称命名。",
    ):
        _p(doc, text, style=BODY_STYLE)


def _basic_info(doc) -> None:
    _heading(doc, "一、基本信息表", 1)
    width = kit.text_width_mm(doc)
    t = _grid(doc, 7, [40, width - 40], style="Normal")
    rows = [
        ("企业名称", "{{ d.subject.name }}"),
        ("企业地址", "{{ d.subject.address }}"),
        ("所属行业", "{{ d.subject.industry }}{% if d.subject.industry_codes %}（{{ join(d.subject.industry_codes) }}）{% endif %}"),
        ("绿色工厂类别", "{{ boxes(['国家级', '省级'], d.subject.green_factory.level, '     ') }}"),
        (["绿色制造", "其他相关荣誉"], ["{{ box(x.honour('绿色供应链管理企业')) }}绿色供应链管理企业",
                                 "{{ box(x.honour('工业产品绿色设计示范企业')) }}工业产品绿色设计示范企业"]),
        ("申报类型", "{{ boxes(s.application_types | map(attribute='name') | list, application_type, '     ') }}"),
    ]
    for i, (label, value) in enumerate(rows):
        _cell(t.cell(i, 0), label, style="Normal", align="center")
        _cell(t.cell(i, 1), value, style="Normal")
    pledge = kit.merge(t, 6, 0, 6, 1)
    _cell(pledge, [
        "申报承诺：",
        "我单位自愿申报江苏省零碳（近零碳）工厂的评估确认。本申报书所提交的信息、数据及相关资料均真实、有效，"
        "愿接受并积极配合主管部门的监督抽查和核验；如有不实，愿意承担相应的责任。",
        "在不涉及商业机密的情况下，自愿与其他企业分享经验。",
        "", "",
        "法定代表人签章：                公章：",
        "年   月   日",
    ], style="Normal", valign="top")
    for i in (1, 2):
        pledge.paragraphs[i].paragraph_format.first_line_indent = Pt(kit.SIZES[BODY_SIZE] * 2)
    pledge.paragraphs[6].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    pledge.paragraphs[6].paragraph_format.right_indent = Pt(kit.SIZES[BODY_SIZE] * 2)


# Landscape text width: 297 − 35 − 37 mm = 225 mm (see _new_section).
def _basic_table(doc) -> None:
    _p(doc, "附件1-1  江苏省零碳（近零碳）工厂培育建设基本条件自评表", style=CAPTION_STYLE)
    widths = [14, 22, 64, 21, 62, 42]
    t = _grid(doc, 2, widths)
    for cell, text in zip(t.rows[0].cells, ["序号", "指标名称", "具体要求", "自评结果", "符合性说明", "证明材料索引"]):
        _cell(cell, text, align="center", bold=True)
    kit.repeat_header(t, 1)
    row = t.rows[1].cells
    _cell(row[0], "{{ r.no }}", align="center")
    _cell(row[1], "{{ r.item.group }}", align="center")
    _cell(row[2], "{{ ml(join(r.item.items, '\\n') or r.item.text) }}", align="left")
    _cell(row[3], "{{ r.answer.status }}", align="center")
    _cell(row[4], "{{ r.answer.statement }}", align="left")
    _cell(row[5], "{{ ml(r.evidence_index.replace('；', '\\n')) }}", align="left")
    _rows_whole(t)
    kit.loop_rows(t, 1, "for r in basic_rows", len(widths))


def _indicator_table(doc) -> None:
    _p(doc, "附件1-2  江苏省零碳（近零碳）工厂培育建设评价指标自评表", style=CAPTION_STYLE)
    widths = [14, 22, 54, 13, 13, 21, 52, 36]
    t = _grid(doc, 3, widths)
    for cell, text in zip(t.rows[0].cells, ["序号", "指标名称", "具体要求", "分值", "得分", "自评结果", "自评说明", "证明材料索引"]):
        _cell(cell, text, align="center", bold=True)
    kit.repeat_header(t, 1)
    row = t.rows[1].cells
    _cell(row[0], "{{ r.no }}", align="center")
    # 指标名称 merged over a category's rows, as in the official table ({% vm %}: equal texts).
    _cell(row[1], "{% vm %}{{ r.item.category }}", align="center")
    _cell(row[2], "{{ r.item.requirement }}", align="left")
    _cell(row[3], "{{ num(r.item.max_points) }}", align="center")
    _cell(row[4], "{{ '不适用' if r.answer.status == '不适用' else num(r.points) }}", align="center")
    _cell(row[5], "{{ r.answer.status }}", align="center")
    _cell(row[6], "{{ r.answer.statement }}", align="left")
    _cell(row[7], "{{ ml(r.evidence_index.replace('；', '\\n')) }}", align="left")
    _rows_whole(t)
    kit.loop_rows(t, 1, "for r in indicator_rows", len(widths))
    total = t.rows[-1].cells
    kit.merge(t, len(t.rows) - 1, 0, len(t.rows) - 1, 2)
    _cell(total[0], "合计", align="center", bold=True)
    _cell(total[3], "{{ num(s.scoring.max_total) }}", align="center")
    _cell(total[4], "{{ num(score.total) }}", align="center", bold=True)
    kit.merge(t, len(t.rows) - 1, 5, len(t.rows) - 1, 7)


def _criteria_table(doc) -> None:
    _p(doc, "确认标准符合性自评表", style=CAPTION_STYLE)
    widths = [14, 60, 118, 33]
    t = _grid(doc, 5, widths)
    for cell, text in zip(t.rows[0].cells, ["序号", "确认标准", "企业情况", "自评结果"]):
        _cell(cell, text, align="center", bold=True)
    verdict = "{% if c.passed %}符合{% elif c.passed == false %}不符合{% endif %}"
    rows = [
        ("basic_conditions",
         "基本条件{{ x.basic.total }}项：符合{{ x.basic.met }}项，不适用{{ x.basic.not_applicable }}项，"
         "不符合{{ x.basic.failed }}项{% if x.basic.unanswered %}，未自评{{ x.basic.unanswered }}项{% endif %}"),
        ("offset_coverage",
         "{{ last }}年类别1和类别2排放量{{ num(x.criteria['offset_coverage'].figures['emitted'], 1, strip=False) }} tCO2e，"
         "碳抵消量{{ num(x.criteria['offset_coverage'].figures['offsets'], 1, strip=False) }} tCO2e，"
         "抵消比例{{ pct(x.criteria['offset_coverage'].figures['ratio_pct'], 1) }}"),
        ("own_reduction_ratio",
         "基准线情景温室气体排放量{{ num(d.carbon.baseline_scenario_tco2e, 1) }} tCO2e，温室气体减排量"
         "{{ num(x.criteria['own_reduction_ratio'].figures['reduction'], 1, strip=False) }} tCO2e，"
         "自主减排比例{{ pct(x.criteria['own_reduction_ratio'].figures['ratio_pct'], 1) }}"),
        ("total_score", "评价得分{{ num(score.total, 1) }}分（附件1-2）"),
    ]
    for i, (metric, situation) in enumerate(rows, 1):
        cells = t.rows[i].cells
        _cell(cells[0], str(i), align="center")
        # The criterion's name comes from the scheme's thresholds (the one for the application type).
        _cell(cells[1], f"{{% set c = x.criteria.{metric} %}}{{{{ c.name }}}}", align="left")
        _cell(cells[2], situation, align="left")
        _cell(cells[3], f"{{% set c = x.criteria.{metric} %}}{verdict}", align="center")


def _attachments(doc) -> None:
    _heading(doc, "附件  江苏省零碳（近零碳）工厂申报材料清单", 1, new_page=True)
    width = kit.text_width_mm(doc)
    widths = [14, 70, width - 84]
    t = _grid(doc, 2, widths)
    for cell, text in zip(t.rows[0].cells, ["序号", "材料名称", "文件"]):
        _cell(cell, text, align="center", bold=True)
    kit.repeat_header(t, 1)
    row = t.rows[1].cells
    _cell(row[0], "{{ e.no }}", align="center")
    _cell(row[1], "{{ e.title }}", align="left")
    _cell(row[2], "{{ e.note if e.note else ml(join(e.files, '\\n')) }}", align="left")
    kit.loop_rows(t, 1, "for e in x.attachments", len(widths))
    _p(doc, "{{ s.evidence_note }}", style=BODY_STYLE)


def build_application() -> Path:
    doc = kit.new_document(body_font=BODY_FONT, body_size=BODY_SIZE)
    _styles(doc)

    # Front matter: cover, 填报说明, 目录 — no page numbers.
    _cover(doc)
    _instructions(doc)
    _title(doc, "目    录", after=LINE_PT, new_page=True)
    kit.toc(doc, "1-2")

    # The body, numbered from 1 (the 目录's page numbers are these).
    body = _new_section(doc, landscape=False)
    _page_number_footer(body)
    _restart_numbering(body)
    _basic_info(doc)
    _heading(doc, "二、零碳（近零碳）工厂自评价报告", 1, new_page=True)
    _heading(doc, "一、企业基本情况", 2)
    _narrative(doc, "overview")
    _heading(doc, "二、零碳（近零碳）工厂建设情况", 2)
    _narrative(doc, "construction")
    _heading(doc, "三、零碳（近零碳）工厂申报条件与确认标准符合性情况", 2)
    _narrative(doc, "conformity")

    _new_section(doc, landscape=True)
    _basic_table(doc)
    _p(doc, "")
    _indicator_table(doc)
    _p(doc, "")
    _criteria_table(doc)

    _new_section(doc, landscape=False)
    _heading(doc, "四、持续改进与提升计划", 2)
    _narrative(doc, "improvement_plan")
    _attachments(doc)
    return kit.save(doc, "jiangsu-application")


def build() -> list[Path]:
    return [build_intake(), build_application()]
