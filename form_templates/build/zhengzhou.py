"""Templates of the Zhengzhou green low-carbon factory forms (seed 004, 郑州市绿色低碳工厂
评价管理办法（征求意见稿）): 附件1 表1 基本要求评价表, 附件2 表2 评价导则, 附件3 表3 加分项评价表
(each as the seed prints it; the rows' 得分, the category sums and the 加分 follow in the
tool's own tables, marked as such), 附件4 第三方评价报告 (cover and 基本信息表).

Fixed wording is copied from the seed; requirement texts come from the scheme's rows.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from . import kit
from .kit import FANGSONG, HEITI, SONGTI

BODY = "五号"  # table text


def _annex(doc, label: str) -> None:
    """"附件N" at the top left (黑体 三号), as the notice prints its annexes."""
    kit.para(doc, label, font=HEITI, size="三号")


def _title(doc, text: str, *, size: str = "小二", space_after: float = 12) -> None:
    kit.para(doc, text, font=SONGTI, size=size, bold=True, align="center", space_before=6,
             space_after=space_after)


def _header(t, row: int, texts: list[str]) -> None:
    kit.fill_row(t, row, texts, font=HEITI, size=BODY)


def _no_borders(t) -> None:
    tblpr = t._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    for old in tblpr.findall(qn("w:tblBorders")):
        tblpr.remove(old)
    kit.insert_in_order(tblpr, borders, ("shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption",
                                         "tblDescription", "tblPrChange"))


def _underline_cell(cell) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    bottom = OxmlElement("w:bottom")
    for k, v in (("val", "single"), ("sz", "6"), ("space", "0"), ("color", "auto")):
        bottom.set(qn(f"w:{k}"), v)
    borders.append(bottom)
    kit.insert_in_order(tcpr, borders, ("shd", "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign",
                                        "hideMark", "headers", "cellIns", "cellDel", "cellMerge", "tcPrChange"))


def _finish(t) -> None:
    """Cell margins so text does not touch the borders; rows kept whole on a page."""
    kit.cell_margins(t)
    kit.keep_rows_whole(t)


def _cell_para(cell, text: str, *, size: str | float = BODY, font: str = FANGSONG, align: str = "center",
               bold: bool | None = None, indent_chars: float | None = None):
    return kit.para(cell, text, font=font, size=size, bold=bold, align=align, indent_chars=indent_chars)


# --- 附件1 表1 -------------------------------------------------------------------------


def basic() -> Path:
    doc = kit.new_document()
    _annex(doc, "附件1")
    _title(doc, "表1 绿色低碳工厂基本要求评价表")
    t = kit.table(doc, 2, 3, [46, 86, 24], size=BODY)
    kit.merge(t, 0, 0, 0, 1, "基本要求", font=HEITI)
    kit.cell_text(t.cell(0, 2), "是否符合", font=HEITI, table_=t)
    kit.repeat_header(t, 1)
    row = t.rows[1].cells
    kit.cell_text(row[0], "{% vm r.item.group %}{{ r.item.group }}", table_=t)
    kit.cell_text(row[1], "{{ r.item.text }}", align="left", table_=t)
    kit.cell_text(row[2], "{{ r.answer.status }}", table_=t)
    _finish(t)
    kit.loop_rows(t, 1, "for r in basic_rows", 3)
    return kit.save(doc, "zhengzhou-basic")


# --- 附件2 表2 -------------------------------------------------------------------------

GUIDE_WIDTHS = [10, 15, 17, 72, 16, 12, 14]  # 156 mm: the GB/T 9704 text width
# The tool's own tables after the official one (the seed's 表2/表3 have no 得分 column):
# the rows' 得分 in the official order, then the category sums that rebuild the total.
SCORE_WIDTHS = [9, 16, 18, 50, 35, 12, 14]
EXCERPT = "{{ r.item.requirement | truncate(16, true, '…', 0) }}"  # one line


def _tool_title(doc, text: str) -> None:
    kit.para(doc, text, font=HEITI, size="四号", align="center", space_before=12, space_after=0, keep_with_next=True)
    kit.para(doc, "（本表由申报工具生成，列出上表各行的自评得分，不属于官方表格）", font=kit.KAITI, size="小五",
             align="center", space_after=4, keep_with_next=True)


def _score_rows(doc, rows: str, *, category: bool) -> None:
    """序号 | 一级指标 | 二级指标 | 具体评价要求（摘录）| 要求类型 | 分值 | 得分, one row per row of the
    official table above, in its order; 不适用 where the dossier says so."""
    if category:
        t = kit.table(doc, 2, 7, SCORE_WIDTHS, size="小五")
        _header(t, 0, ["序号", "一级指标", "二级指标", "具体评价要求（摘录）", "要求类型", "分值", "得分"])
        # no merged labels: each row names its category (a row is found on any page)
        texts = ["{{ r.item.no }}", "{{ r.item.category }}", "{{ r.item.subcategory }}", EXCERPT]
    else:
        t = kit.table(doc, 2, 5, [14, 96, 18, 14, 14], size="小五")
        _header(t, 0, ["序号", "具体要求（摘录）", "要求类型", "分值", "得分"])
        texts = ["{{ r.item.no }}", EXCERPT]
    texts += ["{{ r.item.type }}", "{{ num(r.item.max_points) }}",
              "{{ '不适用' if r.answer.status == '不适用' else num(r.points) }}"]
    kit.repeat_header(t, 1)
    for i, (cell, text) in enumerate(zip(t.rows[1].cells, texts)):
        kit.cell_text(cell, text, align="left" if text == EXCERPT else "center", size="小五", table_=t)
    _finish(t)
    kit.loop_rows(t, 1, f"for r in {rows}", len(texts))
    return t


def guide() -> Path:
    doc = kit.new_document()
    kit.page_number_footer(doc)
    _annex(doc, "附件2")
    _title(doc, "表2 郑州市绿色低碳工厂评价导则")
    t = kit.table(doc, 2, 7, GUIDE_WIDTHS, size=BODY)
    _header(t, 0, ["序号", "一级指标", "二级指标", "具体评价要求", "要求类型", "分值", "权重"])
    kit.repeat_header(t, 1)
    row = t.rows[1].cells
    cat = "r.item.category"
    sub = "(r.item.category, r.item.subcategory)"
    kind = "(r.item.category, r.item.subcategory, r.item.type)"
    texts = [
        f"{{% vm {cat} %}}{{{{ r.item.no }}}}",
        f"{{% vm {cat} %}}{{{{ r.item.category }}}}",
        f"{{% vm {sub} %}}{{{{ r.item.subcategory }}}}",
        "{{ r.item.requirement }}",
        f"{{% vm {kind} %}}{{{{ r.item.type }}}}",
        "{{ num(r.item.max_points) }}",
        f"{{% vm {cat} %}}{{{{ pct(r.weight * 100, 0) if r.weight is not none else '' }}}}",
    ]
    for i, (cell, text) in enumerate(zip(row, texts)):
        kit.cell_text(cell, text, align="left" if i == 3 else "center", table_=t)
    _finish(t)
    kit.loop_rows(t, 1, "for r in indicator_rows", 7)

    # 注1–注3 under the table (seed wording)
    for note in ("注1：绿色低碳工厂必须满足各项必选要求，可选要求按照受评工厂满足程度在0分到满分中取值。",
                 "注2：评价导则内容国家省市另有规定的，从其规定。",
                 "注3：若所属行业有对应的评价标准，按照所属行业评价要求增加对应导则的评分标准。"):
        kit.para(doc, note, size="小四", align="justify", space_before=3)

    kit.page_break(doc)
    _tool_title(doc, "附：表2 各行自评得分")
    _score_rows(doc, "indicator_rows", category=True)
    # the weighted result (computed by the scoring engine), rebuilt from the rows above
    kit.category_summary(doc, [20, 20, 62, 20, 14, 20], title="附：评价导则得分汇总", totals=[
        ("指标得分（Σ一级指标得分×权重）", "{{ num(score.indicator_total, 2, strip=False) }}"),
        ("加分（表3 绿色低碳工厂加分项评价表）", "{{ num(score.bonus_total, 2, strip=False) }}"),
        ("得分（指标得分＋加分）", "{{ num(score.total, 2, strip=False) }}")])
    return kit.save(doc, "zhengzhou-guide")


# --- 附件3 表3 -------------------------------------------------------------------------


def bonus() -> Path:
    doc = kit.new_document()
    _annex(doc, "附件3")
    _title(doc, "绿色低碳工厂加分项评级表", size="二号")
    kit.para(doc, "绿色低碳工厂加分项采用打分评价，每个的评定项依据表3评价打分。", size="三号", indent_chars=2,
             line_pt=29, align="justify")
    kit.para(doc, "表3 绿色低碳工厂加分项评价表", font=HEITI, size="四号", align="center", space_before=12,
             space_after=6)
    t = kit.table(doc, 2, 5, [12, 90, 18, 16, 18], size=BODY)
    _header(t, 0, ["序号", "具体要求", "要求类型", "分值", "权重"])
    kit.repeat_header(t, 1)
    row = t.rows[1].cells
    for i, (cell, text) in enumerate(zip(row, [
        "{{ r.item.no }}", "{{ r.item.requirement }}", "{{ r.item.type }}", "{{ num(r.item.max_points) }}",
        "{{ pct(s.bonus_scoring.weight * 100, 0) if s.bonus_scoring.weight is not none else '' }}",
    ])):
        kit.cell_text(cell, text, align="left" if i == 1 else "center", table_=t)
    _finish(t)
    kit.loop_rows(t, 1, "for r in bonus_rows", 5)

    _tool_title(doc, "附：表3 各项自评得分")
    s_ = _score_rows(doc, "bonus_rows", category=False)
    # the two result rows (computed): Σ 得分 and the 加分 (Σ × 权重, capped)
    for label, value in (("各项得分合计", "{{ num(x.bonus_points) }}"),
                         ("加分（各项得分×权重{{ pct(s.bonus_scoring.weight * 100, 0) if s.bonus_scoring.weight "
                          "is not none else '' }}，至多{{ num(s.bonus_scoring.max_total) }}分）",
                          "{{ num(score.bonus_total) }}")):
        cells = s_.add_row().cells
        merged = cells[0].merge(cells[3])
        kit.cell_text(merged, label, font=HEITI, size="小五", table_=s_)
        kit.cell_text(cells[4], value, size="小五", table_=s_)
    kit.keep_rows_whole(s_)
    return kit.save(doc, "zhengzhou-bonus")


# --- 附件4 第三方评价报告 ----------------------------------------------------------------


def _cover(doc) -> None:
    _annex(doc, "附件 4")
    for _ in range(4):
        kit.para(doc, "", size="三号")
    kit.para(doc, "绿色低碳工厂第三方评价报告", font=SONGTI, size="一号", bold=True, align="center")
    for _ in range(4):
        kit.para(doc, "", size="三号")
    t = kit.table(doc, 2, 2, [66, 90], size="三号")
    _no_borders(t)
    for r, (label, value) in enumerate((("工厂名称：", "{{ d.subject.name }}"),
                                        ("第三方评价机构名称：", "{{ d.evaluator.name }}"))):
        kit.cell_text(t.cell(r, 0), label, font=HEITI, size="三号", table_=t)
        t.cell(r, 0).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.DISTRIBUTE
        kit.cell_text(t.cell(r, 1), value, font=FANGSONG, size="三号", table_=t)
        _underline_cell(t.cell(r, 1))
        t.rows[r].height = Mm(14)
        t.rows[r].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    for _ in range(5):
        kit.para(doc, "", size="三号")
    kit.para(doc, "郑州市工业和信息化局制", size="三号", align="center")
    kit.para(doc, "{{ date_cn(d.evaluator.report_date) if d.evaluator.report_date else '20    年    月    日' }}",
             size="三号", align="center")


INFO_WIDTHS = [33, 37, 34, 52]  # the e-mail address on one line


def third_party() -> Path:
    doc = kit.new_document()
    _cover(doc)
    kit.page_break(doc)
    kit.para(doc, "基本信息表", font=HEITI, size="小二", align="center", space_after=8)
    size = BODY
    rows = [
        ("section", "一、工厂基本信息"),
        ("wide", "工厂名称", "{{ d.subject.name }}"),
        ("wide", "工厂地址", "{{ d.subject.address }}"),
        ("pair", "所属行业", "{{ join(d.subject.industry_codes) }}", "主要产品", "{{ join(d.subject.main_products) }}"),
        ("wide", "单位性质", "内资（{{ boxes(['国有', '集体', '民营'], d.subject.ownership) }}）"
                          "{{ boxes(['中外合资', '港澳台', '外商独资'], d.subject.ownership) }}"),
        ("pair", "统一社会信用代码", "{{ d.subject.credit_code }}", "法定代表人",
         "{{ d.subject.legal_representative.name }}"),
        ("pair", "申报工作联系部门", "{{ d.subject.contact.department }}", "联系人", "{{ d.subject.contact.name }}"),
        ("pair", "联系电话", "{{ ml(join([d.subject.contact.phone, d.subject.contact.mobile], '\\n')) }}", "电子邮箱",
         "{{ d.subject.contact.email }}"),
        ("section", "二、第三方机构信息"),
        ("wide", "第三方机构名称", "{{ d.evaluator.name }}"),
        ("wide", "第三方机构地址", "{{ d.evaluator.address }}"),
        ("pair", "机构法定代表人", "{{ d.evaluator.legal_representative.name }}", "法定代表人电话",
         "{{ ml(join([d.evaluator.legal_representative.phone, d.evaluator.legal_representative.mobile], '\\n')) }}"),
        ("pair", "机构联系人", "{{ d.evaluator.contact.name }}", "联系人电话",
         "{{ ml(join([d.evaluator.contact.phone, d.evaluator.contact.mobile], '\\n')) }}"),
        ("pair", "报告编制负责人", "{{ d.evaluator.report_author.name }}", "负责人电话",
         "{{ ml(join([d.evaluator.report_author.phone, d.evaluator.report_author.mobile], '\\n')) }}"),
        ("section", "三、绿色工厂评价结果"),
        ("pair", "基本要求", "{{ box(x.basic_met == true) }} 符合  {{ box(x.basic_met == false) }} 不符合",
         "指标得分", "{{ num(score.total) }}"),
        # the evaluator's own summary only: never the applicant's narrative (a report the evaluator signs)
        ("wide", "受评价方主要亮点", "{{ d.evaluator.highlights or '' }}"),
        ("pledge",),
    ]
    t = kit.table(doc, len(rows), 4, INFO_WIDTHS, size=size)
    kit.cell_margins(t, top_mm=0.8, bottom_mm=0.8, left_mm=1.2, right_mm=1.2)
    for i, spec in enumerate(rows):
        kind = spec[0]
        if kind == "section":
            kit.merge(t, i, 0, i, 3, spec[1], font=HEITI, align="left")
        elif kind == "wide":
            kit.cell_text(t.cell(i, 0), spec[1], table_=t)
            kit.merge(t, i, 1, i, 3, spec[2], align="left")
        elif kind == "pair":
            for c, text in enumerate(spec[1:]):
                kit.cell_text(t.cell(i, c), text, align="center" if c % 2 == 0 else "left", table_=t)
        else:
            cell = kit.merge(t, i, 0, i, 3, "本机构承诺，已按规范完整的评价程序对受评价方进行了全面的评价，受评价方提交的材料"
                             "真实有效，本评价报告客观公正，结论证据充分，真实、准确的反映了评价过程的发现，严谨的出具结论。"
                             "本机构已充分了解评价报告的严肃性，评价过程若存在弄虚作假或故意隐瞒受评价方问题，本机构愿承担"
                             "所有责任。", align="justify")
            cell.paragraphs[0].paragraph_format.first_line_indent = Pt(kit.SIZES[size] * 2)
            cell.paragraphs[0].paragraph_format.line_spacing = 1.3
            _cell_para(cell, "", size=size)
            _cell_para(cell, "法人代表签字：", size=size, align="left", indent_chars=20)
            _cell_para(cell, "", size=size)
            _cell_para(cell, "（单位公章）", size=size, align="left", indent_chars=20)
            t.rows[i]._tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))  # the seal stays with the pledge
        t.rows[i].height = Mm(6.5)
        t.rows[i].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    # hints of the official form, kept under their labels
    industry = t.cell(3, 0)
    _cell_para(industry, "（按统计局四位代码填写，可多填）", size="小五")
    _cell_para(t.cell(3, 1), "{{ d.subject.industry }}", size="小五", align="left")
    highlights = t.cell(16, 0)
    _cell_para(highlights, "（请在 100 字以内概述受评价方主要亮点）", size="小五")
    t.cell(16, 1).paragraphs[0].paragraph_format.first_line_indent = Pt(kit.SIZES[size] * 2)
    score = t.cell(15, 3)
    _cell_para(score, "（表2 {{ num(score.indicator_total) }} 分＋表3 加分 {{ num(score.bonus_total) }} 分）",
               size="小五", align="left")
    _evaluation_details(doc)
    return kit.save(doc, "zhengzhou-third-party", cover=True)


DETAIL_WIDTHS = [10, 56, 16, 58, 16]


def _detail_table(doc, caption: str, rows: str, points: bool) -> None:
    kit.para(doc, caption, font=HEITI, size="四号", space_before=8, space_after=4)
    t = kit.table(doc, 2, 5, DETAIL_WIDTHS, size="小五")
    _header(t, 0, ["序号", "评价要求", "评定", "评价发现及核查材料", "得分"])
    kit.fill_row(t, 1, ["{{ r.no }}", "", "{{ r.answer.status or '' }}", "",
                        "{{ '不适用' if r.answer.status == '不适用' else num(r.points) }}" if points else "—"],
                 size="小五")
    kit.cell_text(t.cell(1, 1), "{{ r.item.text if r.item.text is defined else r.item.requirement }}",
                  align="left", size="小五", table_=t)
    kit.cell_text(t.cell(1, 3), "{{ r.answer.statement or '' }}", align="left", size="小五", table_=t)
    _cell_para(t.cell(1, 3), "{{ r.evidence_index }}", size="小五", align="left")
    _cell_para(t.cell(1, 3), "{{ r.check_note }}", size="小五", align="left")
    kit.repeat_header(t)
    kit.loop_rows(t, 1, f"for r in {rows}", 5)


def _evaluation_details(doc) -> None:
    """评价明细 after the 基本信息表: the evaluator's verdict, finding, evidence checked,
    on-site date and points for every row of 表1–表3 (a row not yet assessed stays blank),
    the calculated indicators with their formula and sources, the team and site visits."""
    kit.page_break(doc)
    kit.para(doc, "评价明细（第三方评价机构填写）", font=HEITI, size="小二", align="center", space_after=6)
    kit.para(doc, "{%p if d.evaluator.team or d.evaluator.site_visits %}")
    kit.para(doc, "评价组：{% for m in d.evaluator.team %}{{ m.name }}（{{ m.role or '' }}）{{ '、' if not loop.last "
                  "else '' }}{% endfor %}；现场评价日期：{% for v in d.evaluator.site_visits %}{{ date_cn(v) }}"
                  "{{ '、' if not loop.last else '' }}{% endfor %}。", font=FANGSONG, size="四号", align="left")
    kit.para(doc, "{%p endif %}")
    kit.para(doc, "{%p if d.evaluator.conclusion %}")
    kit.para(doc, "评价结论：{{ d.evaluator.conclusion }}", font=FANGSONG, size="四号", align="justify")
    kit.para(doc, "{%p endif %}")
    _detail_table(doc, "一、基本要求（表1）", "basic_rows", points=False)
    _detail_table(doc, "二、评价指标（表2）", "indicator_rows", points=True)
    _detail_table(doc, "三、加分项（表3）", "bonus_rows", points=True)
    kit.para(doc, "{%p if calculations %}")
    kit.para(doc, "四、计算得分的指标（计算公式及过程、数据来源）", font=HEITI, size="四号", space_before=8, space_after=4)
    t = kit.table(doc, 2, 4, [30, 70, 42, 14], size="小五")
    _header(t, 0, ["指标", "计算公式及过程", "数据来源", "得分"])
    kit.fill_row(t, 1, ["", "", "", "{{ num(c.points) }}"], size="小五")
    for col, text in enumerate(("{{ c.label }}", "{{ c.formula }}", "{{ join(c.sources, '；') }}")):
        kit.cell_text(t.cell(1, col), text, align="left", size="小五", table_=t)
    kit.repeat_header(t)
    kit.loop_rows(t, 1, "for c in calculations", 4)
    kit.para(doc, "{%p endif %}")


def build() -> list[Path]:
    return [basic(), guide(), bonus(), third_party()]
