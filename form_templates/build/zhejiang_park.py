"""Templates of the Zhejiang green low-carbon park forms (seed 003, 浙经信绿色便函〔2023〕32号):

* ``zhejiang-park-dynamic``     附件3   绿色低碳工业园区动态管理表
* ``zhejiang-park-self-eval``   附件5-1 绿色低碳工业园区自评价报告
* ``zhejiang-park-third-party`` 附件5-2 绿色低碳工业园区第三方评价报告

Fixed wording is copied from the seed; requirement and indicator texts come from the
scheme's rows (basic_rows, indicator_rows, bonus_rows); the seed's year words
(2020/2021/2022, "2022年指标值") are ``years[i]`` / ``last``. Figures the generic context
lacks come from ``x`` (dossier/render/extras/zhejiang_green_low_carbon_park.py).
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from . import kit
from .kit import FANGSONG, HEITI, KAITI, SONGTI

BODY_LINE = 28  # GB/T 9704: 三号仿宋, 22 lines a page ≈ 28 pt fixed line spacing


# --- small building blocks ---------------------------------------------------------------


def _annex(doc, label: str) -> None:
    kit.para(doc, label, font=HEITI, size="三号", align="left")


def _title(doc, text: str, *, size: str = "二号", before: float = 0, after: float = 12) -> None:
    # 方正小标宋 is not installed anywhere we convert; bold 宋体 is the usual stand-in.
    kit.para(doc, text, font=SONGTI, size=size, bold=True, align="center", space_before=before, space_after=after)


def _heading(doc, text: str, *, size: str = "三号", before: float = 6, after: float = 6) -> None:
    kit.para(doc, text, font=HEITI, size=size, align="left", space_before=before, space_after=after,
             keep_with_next=True)


def _note(doc_or_cell, text: str, *, size: str = "小四", align: str = "left", indent: bool = False):
    """An instruction of the form (填写提示), in 楷体."""
    return kit.para(doc_or_cell, text, font=KAITI, size=size, align=align, indent_chars=2 if indent else None)


def _hint(doc_or_cell, text: str, expr: str, **kw) -> None:
    """A writing instruction of the blank form (“主要介绍……”, “（介绍……）”), printed only
    while the section it introduces (``expr``) is empty: a filled form shows the text."""
    kit.para(doc_or_cell, f"{{%p if not ({expr} or '').strip() %}}")
    _note(doc_or_cell, text, **kw)
    kit.para(doc_or_cell, "{%p endif %}")


def _page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _paragraphs(doc_or_cell, expr: str, *, size: str = "三号", line_pt: float | None = BODY_LINE) -> None:
    """A multi-paragraph narrative: one indented paragraph per non-empty line of ``expr``."""
    loop = f"{{%p for t in ({expr}).splitlines() if t.strip() %}}"
    is_cell = hasattr(doc_or_cell, "vertical_alignment")  # a table cell, not the document
    first = doc_or_cell.paragraphs[0] if is_cell else None
    if first is not None and not first.text:  # a cell starts with an empty paragraph: use it
        first.add_run(loop)
    else:
        kit.para(doc_or_cell, loop)
    kit.para(doc_or_cell, "{{ t.strip() }}", font=FANGSONG, size=size, align="justify", indent_chars=2,
             line_pt=line_pt)
    kit.para(doc_or_cell, "{%p endfor %}")


def _cell_lines(cell, lines: list[str], *, aligns: list[str] | None = None) -> None:
    """Replace a cell's content with several paragraphs, one run each (五号仿宋)."""
    aligns = aligns or ["left"] * len(lines)
    kit.cell_text(cell, lines[0], align=aligns[0], font=FANGSONG, size="五号")
    for text, align in zip(lines[1:], aligns[1:]):
        p = cell.add_paragraph()
        p.alignment = kit.ALIGN[align]
        kit.add_run(p, text, size="五号")


def _diagonal(cell) -> None:
    """A diagonal line from the top-left corner (the 年度/金额 header cell). Word draws it;
    LibreOffice Writer has no diagonal cell borders, so the PDF shows 年度 above 金额 only."""
    tcpr = cell._tc.get_or_add_tcPr()
    borders = tcpr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        # CT_TcPr order: tcW, gridSpan, vMerge, tcBorders, shd, noWrap, tcMar, …, vAlign
        kit.insert_in_order(tcpr, borders, ("shd", "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign",
                                            "hideMark"))
    line = OxmlElement("w:tl2br")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "auto")):
        line.set(qn(key), value)
    borders.append(line)


def _min_row_height(t, mm: float = 7.0) -> None:
    """Rows at least ``mm`` high (the official tables are written in by hand as well), and
    every cell paragraph's mark at the table's size: Word and LibreOffice size a line by its
    paragraph mark too, and the marks would otherwise carry the body's 三号 into each row."""
    for row in t.rows:
        row.height = Mm(mm)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    _, size, _ = t._font
    half_points = str(int(kit.pt(size).pt * 2))
    for p in t._tbl.iter(qn("w:p")):
        ppr = p.get_or_add_pPr()
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            ppr.append(rpr)
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), half_points)


def _keep_together(t) -> None:
    """Keep a short table on one page: rows may not split, and every paragraph but those
    of the last row keeps with the next (how Word keeps a table whole; LibreOffice honours
    the rows but may still break between them, so the tables are also sized to fit)."""
    kit.keep_rows_whole(t)
    for row in t.rows[:-1]:
        for p in row._tr.iter(qn("w:p")):
            ppr = p.get_or_add_pPr()
            style = ppr.find(qn("w:pStyle"))  # CT_PPr: pStyle, keepNext, …
            keep = OxmlElement("w:keepNext")
            if style is not None:
                style.addnext(keep)
            else:
                ppr.insert(0, keep)


def _superscript_run(cell, text: str, size: str = "五号") -> None:
    run = kit.add_run(cell.paragraphs[0], text, font=HEITI, size=size)
    run.font.superscript = True


def _signature_lines(cell, lines: list[str]) -> None:
    for text in lines:
        p = cell.add_paragraph()
        p.alignment = kit.ALIGN["right"]
        kit.add_run(p, text, size="五号")


def _cover(doc, annex: str, title: str, fields: list[tuple[str, str]], date_expr: str) -> None:
    _annex(doc, annex)
    for _ in range(3):
        kit.para(doc, "")
    _title(doc, title, size="小一", after=0)
    for _ in range(4):
        kit.para(doc, "")
    for label, expr in fields:
        p = kit.para(doc, "", line_pt=40, indent_chars=None)
        p.paragraph_format.left_indent = Pt(64)
        p.paragraph_format.first_line_indent = Pt(0)
        kit.add_run(p, label, font=FANGSONG, size="三号")
        kit.add_run(p, expr, font=FANGSONG, size="三号", underline=True)
    for _ in range(4):
        kit.para(doc, "")
    kit.para(doc, "浙江省经济和信息化厅制", font=FANGSONG, size="三号", align="center", line_pt=32)
    date = kit.para(doc, date_expr, font=FANGSONG, size="三号", align="center", line_pt=32)
    # The break ends the date's own paragraph: a separate break paragraph that happens to
    # fall onto page 2 (a long 机构名称 wrapping) would leave page 2 empty.
    date.add_run().add_break(WD_BREAK.PAGE)


# --- tables shared by 附件5-1 and 附件5-2 -----------------------------------------------------

SCORE_ROWS = (
    # (label, per-year expression, three-year average)
    ("绿色指数-GI得分", "x.gi[{y}]", "score.indicator_total"),
    ("加分项得分", "x.bonus[{y}]", "score.bonus_total"),
    ("总分", "x.total[{y}]", "score.total"),
)


def _result_rows(t, start: int, heading: str, *, colon: bool) -> int:
    """自评价结果 / 第三方评价结果 rows on a 5-column grid from row ``start``; returns the next row."""
    r = start
    kit.merge(t, r, 0, r, 4, heading, font=HEITI, align="left")
    r += 1
    kit.cell_text(t.cell(r, 0), "基本要求", table_=t)
    kit.merge(t, r, 1, r, 3, "{{ box(x.basic_met == true) }}符合　　{{ box(x.basic_met == false) }}不符合")
    avg = kit.merge(t, r, 4, r + 1, 4, "近三年")
    kit.add_run(kit.para(avg, align="center"), "平均得分", size=t._font[1])  # two lines: no word broken
    r += 1
    kit.cell_text(t.cell(r, 0), "近三年得分情况", table_=t)
    sep = "：" if colon else " "
    for i in range(3):
        cell = t.cell(r, 1 + i)
        kit.cell_text(cell, f"第{i + 1}年{sep}", table_=t)  # the year on a line of its own
        kit.add_run(kit.para(cell, align="center"), f"{{{{ years[{i}] }}}}年", size=t._font[1])
    r += 1
    for label, per_year, average in SCORE_ROWS:
        kit.cell_text(t.cell(r, 0), label, table_=t)
        for i in range(3):
            kit.cell_text(t.cell(r, 1 + i), f"{{{{ num({per_year.format(y=f'years[{i}]')}) }}}}", table_=t)
        kit.cell_text(t.cell(r, 4), f"{{{{ num({average}) }}}}", table_=t)
        r += 1
    return r


def _basic_table(doc, *, evaluator: bool = False) -> None:
    """园区基本要求符合性评价: the scheme's basic conditions, answer and evidence files (on the
    evaluator's report: the evaluator's finding, evidence checked and on-site check date)."""
    _title(doc, "园区基本要求符合性评价", size="小二")
    t = kit.table(doc, 2, 3, [94, 22, 40] if not evaluator else [74, 18, 64], size="五号")
    kit.fill_row(t, 0, ["基本要求", "是否符合", "证明材料索引"], bold=True)
    kit.fill_row(t, 1, ["{{ r.item.text }}", "{{ r.answer.status }}", "{{ r.evidence_index }}"])
    kit.cell_text(t.cell(1, 0), "{{ r.item.text }}", table_=t, align="justify")
    kit.cell_text(t.cell(1, 2), "{{ r.evidence_index }}", table_=t, align="left", size="小五")
    if evaluator:
        _cell_lines(t.cell(1, 2), ["{{ r.answer.statement or '' }}", "{{ r.evidence_index }}", "{{ r.check_note }}"],
                    aligns=["left", "left", "left"])
    kit.repeat_header(t)
    _min_row_height(t, 9)
    kit.loop_rows(t, 1, "for r in basic_rows", 3)


GI_WIDTHS = [18, 8, 42, 17, 17, 54]  # a wide 证明材料索引: file names on one or two lines
BONUS_WIDTHS = [18, 9, 30, 16, 45, 38]  # 加分项 data are often sentences ("已建立，覆盖…")


def _gi_table(doc, i: int, caption: str, evidence_header: str) -> None:
    """One year's 绿色指数 data list: every indicator row, 一级指标 merged per category
    ({% vm %}: equal consecutive cells merge, dossier/render/vmerge.py)."""
    _heading(doc, f"第{i + 1}年（{{{{ years[{i}] }}}}年）{caption}", size="四号", before=2, after=4)
    t = kit.table(doc, 2, 6, GI_WIDTHS, size="小五")
    kit.fill_row(t, 0, ["一级指标", "序号", "二级指标", "指标单位", "指标数据", evidence_header], bold=True)
    y = f"years[{i}]"
    kit.fill_row(t, 1, [
        "{% vm %}{{ r.item.category }}", "{{ r.item.no }}", "{{ r.item.requirement }}", "{{ r.item.unit or '-' }}",
        f"{{{{ num(yd[{y}].green_index.get(r.id), 4) }}}}", f"{{{{ x.evidence[{y}].get(r.id) }}}}",
    ])
    kit.cell_text(t.cell(1, 2), "{{ r.item.requirement }}", table_=t, align="left")
    kit.cell_text(t.cell(1, 5), f"{{{{ x.evidence[{y}].get(r.id) }}}}", table_=t, align="left", size="六号")
    kit.repeat_header(t)
    _min_row_height(t, 3.2)
    kit.loop_rows(t, 1, "for r in indicator_rows", 6)


def _gi_tables(doc, evidence_header: str) -> None:
    _title(doc, "园区绿色指数符合性评价", size="小二", after=4)  # the first year's list fits its page
    # The seed heads the first year's list 园区数据清单 and the second and third 指标数据清单.
    for i, caption in enumerate(("园区数据清单", "指标数据清单", "指标数据清单")):
        if i:
            _page_break(doc)
        _gi_table(doc, i, caption, evidence_header)
    kit.para(doc, "注：单项指标最高得分不超过120分", font=FANGSONG, size="五号", space_before=4)


RESULT_NOTE = ("注：绿色指数按导则附录A.1计算：GI = 1/24 × Σ 计入的24项（100 × 指标值 ÷ 引领值，逆向指标取 引领值 ÷ 指标值，"
               "单项不超过120分）；总分 = GI + 加分项（每年不超过15分），近三年平均得分85分以上可推荐。"
               "{{ '引领值出处：' ~ x.leading_source ~ '。' if x.leading_source else '' }}"
               "{{ '尚缺：' ~ join(x.missing, '；') if x.missing else '' }}")


def _result_note(doc) -> None:
    """Under the result table: how the figures are computed and where the 引领值 come from
    (“示例值（仅用于演示）” in the bundled example)."""
    _note(doc, RESULT_NOTE, size="五号")


def _calculation_table(doc) -> None:
    """绿色指数计算过程 (导则3.5.2：各项指标应提供计算过程，附数据来源证明材料): every scored
    indicator with its yearly calculation and the sources of the value and the 引领值."""
    _title(doc, "绿色指数计算过程", size="小二")
    t = kit.table(doc, 2, 4, [30, 72, 40, 14], size="小五")
    kit.fill_row(t, 0, ["指标", "计算过程（近三年）", "数据来源", "近三年平均单项得分"], bold=True)
    kit.fill_row(t, 1, ["{{ c.label }}", "{{ c.formula }}", "{{ join(c.sources, '；') }}", "{{ num(c.points) }}"])
    for col in range(3):
        kit.cell_text(t.cell(1, col), ["{{ c.label }}", "{{ c.formula }}", "{{ join(c.sources, '；') }}"][col],
                      table_=t, align="left", size="小五")
    kit.repeat_header(t)
    kit.loop_rows(t, 1, "for c in calculations", 4)
    _note(doc, "注：每年每类计入公式的项数为 EG 3、RG 6、IG 3、CG 3、HG 6、MG 3；必选指标全部计入，可选指标取当年单项得分最高者"
               "（读法，见方案数据 scoring.params）；定性指标按完成程度计分（引领值为完全达到）。", size="五号")


def _bonus_findings(doc) -> None:
    """加分项第三方评定: the evaluator's verdict, finding and points per bonus item."""
    _title(doc, "园区加分项第三方评定", size="小二")
    t = kit.table(doc, 2, 5, [10, 30, 14, 88, 14], size="小五")
    kit.fill_row(t, 0, ["序号", "加分项", "评定", "评价发现及核查材料", "得分"], bold=True)
    kit.fill_row(t, 1, ["{{ r.item.no }}", "{{ r.item.requirement }}", "{{ r.answer.status or '' }}", "", "{{ num(r.points) }}"])
    _cell_lines(t.cell(1, 3), ["{{ r.answer.statement or '' }}", "{{ r.evidence_index }}", "{{ r.check_note }}"],
                aligns=["left", "left", "left"])
    kit.repeat_header(t)
    kit.loop_rows(t, 1, "for r in bonus_rows", 5)


def _bonus_tables(doc) -> None:
    """园区加分项指标符合性评价: the seed prints the three year headings together, then three
    identical tables; read as one heading per year's table."""
    _title(doc, "园区加分项指标符合性评价", size="小二")
    for i in range(3):
        _heading(doc, f"第{i + 1}年（{{{{ years[{i}] }}}}年）园区数据清单", size="四号", before=12 if i else 6)
        t = kit.table(doc, 2, 6, BONUS_WIDTHS, size="小五")
        kit.fill_row(t, 0, ["一级指标", "序号", "二级指标", "指标单位", "指标数据", "证明材料索引"], bold=True)
        y = f"years[{i}]"
        kit.fill_row(t, 1, [
            "{% vm %}{{ r.item.category }}", "{{ r.item.no }}", "{{ r.item.requirement }}",
            "{{ r.item.unit or '-' }}", f"{{{{ num(yd[{y}].bonus_data.get(r.id), 4) }}}}",
            f"{{{{ x.evidence[{y}].get(r.id) }}}}",
        ])
        kit.cell_text(t.cell(1, 2), "{{ r.item.requirement }}", table_=t, align="left")
        kit.cell_text(t.cell(1, 4), f"{{{{ num(yd[{y}].bonus_data.get(r.id), 4) }}}}", table_=t, align="left")
        kit.cell_text(t.cell(1, 5), f"{{{{ x.evidence[{y}].get(r.id) }}}}", table_=t, align="left", size="小五")
        kit.repeat_header(t)
        _min_row_height(t, 5)
        _keep_together(t)  # six rows: kept on one page where the viewer honours it (Word)
        kit.loop_rows(t, 1, "for r in bonus_rows", 6)
    kit.para(doc, "", size="五号")  # a document ends with a paragraph, not a table


# --- 附件3 动态管理表 ---------------------------------------------------------------------

DYN_YEAR_ROWS = (
    ("产值（万元）", "num(x.year[{y}].output_value, 2, strip=False)"),
    ("工业增加值（万元）", "num(x.year[{y}].value_added, 2, strip=False)"),
    ("综合能耗总量（tce）", "num(x.year[{y}].energy_tce, 2, strip=False)"),
    ("单位工业增加值能耗（tce/万元）", "num(x.year[{y}].energy_intensity, 4, strip=False)"),
    ("工业用新鲜水量（m3）", "num(x.year[{y}].water_fresh_m3, 2, strip=False)"),
    ("碳排放量（t）", "num(x.year[{y}].emissions_t, 2, strip=False)"),
    ("单位增加值碳排放（t/万元）", "num(x.year[{y}].carbon_intensity, 4, strip=False)"),
)

DYN_IMPROVEMENT_ROWS = (
    ("工业增加值（万元）", "value_added", 2),
    ("可再生能源消耗量（tce）", "renewable_tce", 2),
    ("单位工业增加值能耗（tce/万元）", "energy_intensity", 4),
    ("工业用新鲜水量（m3）", "water_fresh_m3", 2),
    ("工业用地面积（km2）", "land_km2", 2),
    ("工业固体废弃物综合利用率（%）", "solid_waste_rate", 2),
    ("碳排放量（t）", "emissions_t", 2),
    ("COD排放量（t）", "cod_t", 2),
    ("氨氮排放量（t）", "ammonia_t", 2),
    ("二氧化硫排放量（t）", "so2_t", 2),
    ("氮氧化物排放量（t）", "nox_t", 2),
    ("省级及以上绿色（低碳）工厂数量（家）", "green_factories", 0),
)


def build_dynamic() -> Path:
    doc = kit.new_document()
    _annex(doc, "附件3")
    _title(doc, "绿色低碳工业园区动态管理表", before=6)
    widths = [44, 42, 35, 35]  # 园区名称 fits on one line
    rows = 1 + 3 + 1 + len(DYN_YEAR_ROWS) + 1 + 1 + 1 + 1 + len(DYN_IMPROVEMENT_ROWS) + 3
    t = kit.table(doc, rows, 4, widths, size="五号")
    r = 0
    kit.merge(t, r, 0, r, 3, "一、基本信息", font=HEITI, align="left"); r += 1
    kit.fill_row(t, r, ["园区名称", "{{ d.subject.name }}", "入选年份", "{{ d.listing.year }}"]); r += 1
    kit.cell_text(t.cell(r, 0), "园区地址", table_=t)
    kit.merge(t, r, 1, r, 3, "{{ d.subject.address }}"); r += 1
    kit.fill_row(t, r, ["填报信息联系人", "{{ d.subject.contact.name }}", "联系人电话", "{{ d.subject.contact.phone }}"])
    r += 1
    kit.fill_row(t, r, ["项目", "{{ years[0] }}年", "{{ years[1] }}年", "{{ years[2] }}年"], bold=True); r += 1
    for label, expr in DYN_YEAR_ROWS:
        kit.fill_row(t, r, [label] + ["{{ " + expr.format(y=f"years[{i}]") + " }}" for i in range(3)])
        r += 1
    cell = kit.merge(t, r, 0, r, 3, "二、合规性信息", font=HEITI, align="left")
    _superscript_run(cell, "1")  # 表注1 below the table
    r += 1
    q_row = r
    kit.merge(t, r, 0, r, 2, "{{ loop.index }}.{{ q.text }}", align="left")
    kit.cell_text(t.cell(r, 3), "{{ box(q.answer == true) }}是　{{ box(q.answer == false) }}否", table_=t)
    r += 1
    kit.merge(t, r, 0, r, 3, "三、持续改进情况", font=HEITI, align="left"); r += 1
    kit.merge(t, r, 0, r, 1, "指标名称", bold=True)
    kit.cell_text(t.cell(r, 2), "列入名单时指标值", table_=t, bold=True)
    kit.cell_text(t.cell(r, 3), "{{ last }}年指标值", table_=t, bold=True)
    r += 1
    for label, attr, digits in DYN_IMPROVEMENT_ROWS:
        kit.merge(t, r, 0, r, 1, label, align="left")
        kit.cell_text(t.cell(r, 2), f"{{{{ num(x.listed.{attr}, {digits}, strip=False) }}}}", table_=t)
        kit.cell_text(t.cell(r, 3), f"{{{{ num(x.now.{attr}, {digits}, strip=False) }}}}", table_=t)
        r += 1
    for label, hint, expr in (
        ("四、列入名单以来开展的亮点工作", "（介绍入选省级绿色低碳工业园区以来开展的亮点工作）", "narrative['highlights']"),
        ("五、意见和建议", None, "narrative['suggestions']"),
    ):
        kit.cell_text(t.cell(r, 0), label, table_=t, font=HEITI)
        if hint:
            _hint(t.cell(r, 0), hint, expr, size="小五", align="center")
        _paragraphs(kit.merge(t, r, 1, r, 3), expr, size="五号", line_pt=None)
        r += 1
    pledge = kit.merge(t, r, 0, r, 3, "真实性承诺：", font=HEITI, align="left")
    kit.para(pledge, "本园区承诺，已对本表内容进行了全面审核，信息真实有效，若存在弄虚作假，愿承担相应责任。",
             font=FANGSONG, size="五号", indent_chars=2, align="justify")
    kit.para(pledge, "")
    kit.para(pledge, "园区负责人签字：　　　　　　　　（公章）", font=FANGSONG, size="五号", align="right")
    kit.para(pledge, "")
    assert r == rows - 1, (r, rows)
    _min_row_height(t, 7)
    kit.loop_rows(t, q_row, "for q in questions", 4)
    kit.para(doc, "表注1：统计时间为列入名单以来。存在合规性信息中所述情况的，请另附情况说明。",
             font=FANGSONG, size="五号", space_before=4)
    return kit.save(doc, "zhejiang-park-dynamic")


# --- 附件5-1 自评价报告 ----------------------------------------------------------------------

BASIC_WIDTHS = [32, 32, 31, 31, 30]


def _pair(t, r: int, l1: str, v1: str, l2: str, v2: str) -> None:
    """label | value | label | value (last value over two columns) on the 5-column grid."""
    kit.cell_text(t.cell(r, 0), l1, table_=t)
    kit.cell_text(t.cell(r, 1), v1, table_=t)
    kit.cell_text(t.cell(r, 2), l2, table_=t)
    kit.merge(t, r, 3, r, 4, v2)


def _wide(t, r: int, label: str, value: str, *, align: str = "left") -> None:
    kit.cell_text(t.cell(r, 0), label, table_=t)
    kit.merge(t, r, 1, r, 4, value, align=align)


SELF_EVAL_NOTES = (
    "一、申请园区应当准确、如实填报。",
    "二、园区类型主要包括经济技术开发区、高新技术产业开发区、保税区、边境经济合作区、出口加工区、"
    "保税港区、新区、自贸区、省级开发区等。",
    "三、有关项目页面不够时，可加附页。",
    "四、自评价报告应按照规定格式填写。",
)


def _park_info_table(doc) -> None:
    """绿色低碳工业园区基本信息表 of 附件5-1: 一、园区基本信息 and 二、自评价结果."""
    _title(doc, "绿色低碳工业园区基本信息表", size="小二")
    rows = 1 + 12 + 4 + 1 + 3 + 1 + 3
    t = kit.table(doc, rows, 5, BASIC_WIDTHS, size="五号")
    r = 0
    kit.merge(t, r, 0, r, 4, "一、园区基本信息", font=HEITI, align="left"); r += 1
    _wide(t, r, "园区名称", "{{ d.subject.name }}"); r += 1
    _pair(t, r, "园区级别", "{{ box(x.park.level == '国家级') }}国家级　{{ box(x.park.level == '省级') }}省级",
          "园区类型", "{{ x.park.park_type }}"); r += 1
    _pair(t, r, "通讯地址", "{{ d.subject.address }}", "邮政编码", "{{ d.subject.postal_code }}"); r += 1
    _pair(t, r, "园区负责人", "{{ x.park.manager.name }}", "职务", "{{ x.park.manager.title }}"); r += 1
    _pair(t, r, "联系电话", "{{ x.park.manager.phone }}", "传真", "{{ x.park.manager.fax }}"); r += 1
    _wide(t, r, "电子邮箱", "{{ x.park.manager.email }}"); r += 1
    _pair(t, r, "申报单位联系人", "{{ d.subject.contact.name }}", "职务", "{{ d.subject.contact.title }}"); r += 1
    _pair(t, r, "联系电话", "{{ d.subject.contact.phone }}", "传真", "{{ d.subject.contact.fax }}"); r += 1
    _wide(t, r, "电子邮箱", "{{ d.subject.contact.email }}"); r += 1
    _pair(t, r, "园区成立日期", "{{ date_cn(x.park.established) }}", "园区用地面积",
          "{{ num(x.park.land_area_km2) }}{{ ' km²' if x.park.land_area_km2 is not none else '' }}"); r += 1
    _wide(t, r, "入驻企业数量",
          "{{ x.park.enterprises }}{{ ' 家' if x.park.enterprises is not none else '' }}"); r += 1
    _wide(t, r, "园区主导产业", "{{ join(x.park.leading_industries) }}"); r += 1
    # 园区近3年经营情况: 年度/金额 header with a diagonal, then three rows.
    kit.merge(t, r, 0, r + 3, 0, "园区近3年经营情况")
    _cell_lines(t.cell(r, 1), ["年度", "金额"], aligns=["right", "left"])
    _diagonal(t.cell(r, 1))
    for i in range(3):
        kit.cell_text(t.cell(r, 2 + i), f"{{{{ years[{i}] }}}}", table_=t, bold=True)
    r += 1
    for label, expr in (("地区生产总值（亿元）", "num(x.year[{y}].gdp_yi, 2, strip=False)"),
                        ("园区工业增加值（亿元）", "num(x.year[{y}].value_added_yi, 2, strip=False)"),
                        ("工业增加值占比", "pct(x.year[{y}].value_added_share, 2)")):
        kit.cell_text(t.cell(r, 1), label, table_=t)
        for i in range(3):
            kit.cell_text(t.cell(r, 2 + i), "{{ " + expr.format(y=f"years[{i}]") + " }}", table_=t)
        r += 1
    kit.merge(t, r, 0, r, 1, "近3年碳排放强度（tCO2/万元）")
    for i in range(3):
        kit.cell_text(t.cell(r, 2 + i), f"{{{{ num(x.year[years[{i}]].carbon_intensity, 4, strip=False) }}}}", table_=t)
    r += 1
    kit.merge(t, r, 0, r + 2, 0, "园区近3年能源消耗情况")
    for label, attr in (("能源综合消耗总量（tce）", "energy_tce"), ("工业企业综合能耗总量（tce）", "energy_industrial_tce"),
                        ("终端能源消费总量（tce）", "energy_terminal_tce")):
        kit.cell_text(t.cell(r, 1), label, table_=t)
        for i in range(3):
            kit.cell_text(t.cell(r, 2 + i), f"{{{{ num(x.year[years[{i}]].{attr}, 2, strip=False) }}}}", table_=t)
        r += 1
    kit.cell_text(t.cell(r, 0), "体系认证（可复选）", table_=t)
    certs = kit.merge(t, r, 1, r, 4)
    _cell_lines(certs, [
        "{{ box(x.certs.quality) }}质量体系认证　{{ box(x.certs.environment) }}环境体系认证",
        "{{ box(x.certs.ohs) }}职业健康安全体系认证　{{ box(x.certs.energy) }}能源管理体系认证",
        "{{ box(x.certs.has_other) }}其他：{{ join(x.certs.other) }}",
    ])
    r += 1
    kit.merge(t, r, 0, r + 2, 0, "园区获得的主要荣誉")
    for label in ("国家级", "省级", "市级"):
        kit.cell_text(t.cell(r, 1), f"{label}荣誉", table_=t)
        kit.merge(t, r, 2, r, 4, f"{{{{ join(x.honours['{label}'], '；') }}}}", align="left")
        r += 1
    _min_row_height(t, 7)
    assert r == rows, (r, rows)
    # 二、自评价结果 and the pledge: a table of their own kept on one page, so that the
    # section heading is never left alone at the foot of a page.
    kit.para(doc, "", size="五号")
    rows = 6 + 1
    t = kit.table(doc, rows, 5, BASIC_WIDTHS, size="五号")
    r = _result_rows(t, 0, "二、绿色低碳工业园区自评价结果", colon=True)
    pledge = kit.merge(t, r, 0, r, 4, "材料真实性承诺：", font=HEITI, align="left")
    kit.para(pledge, "我单位郑重承诺：本次申报绿色低碳工业园区示范所提交的相关数据和信息均真实、有效，"
                     "愿接受并积极配合主管部门的监督抽查和核验。如有违反，愿承担由此产生的相应责任。",
             font=FANGSONG, size="五号", indent_chars=2, align="justify")
    kit.para(pledge, "")
    _signature_lines(pledge, ["负责人签名：　　　　　　　　　", "（盖章）　　　　　　　　",
                              "日期：{{ date_cn(d.fill_date) }}　　"])
    kit.para(pledge, "")
    assert r == rows - 1, (r, rows)
    _min_row_height(t, 7)
    _keep_together(t)
    _result_note(doc)


def build_self_eval() -> Path:
    doc = kit.new_document()
    _cover(doc, "附件5-1", "绿色低碳工业园区自评价报告",
           [("园区名称：", "{{ d.subject.name }}"), ("所在地市：", "{{ x.park.city or d.subject.city }}")],
           "{{ date_cn(d.fill_date) }}")
    _title(doc, "填 写 说 明", size="小二", after=18)
    for text in SELF_EVAL_NOTES:
        kit.para(doc, text, font=FANGSONG, size="三号", indent_chars=2, line_pt=BODY_LINE, align="justify")
    _page_break(doc)
    _park_info_table(doc)
    _page_break(doc)
    _title(doc, "绿色低碳工业园区建设或改造简述（3000字）", size="小二")
    _hint(doc, "对绿色低碳工业园区建设或改造开展的工作、取得的成效和未来三年改造计划等进行简要叙述。",
          "narrative['construction']", size="三号", indent=True)
    _paragraphs(doc, "narrative['construction']")
    _page_break(doc)
    _basic_table(doc)
    _page_break(doc)
    _gi_tables(doc, "证明材料索引")
    _page_break(doc)
    _bonus_tables(doc)
    return kit.save(doc, "zhejiang-park-self-eval", cover=True)


# --- 附件5-2 第三方评价报告 ------------------------------------------------------------------

TP_SECTIONS = (
    ("一、评价园区情况介绍", "主要介绍绿色低碳工业园区评价的目的、依据及被评价园区的基本情况等内容。", "tp-introduction"),
    ("二、评价过程描述", "主要介绍评价工作安排、评价人员组成、文件资料评价情况、现场评价情况、数据收集及审核的过程、"
                        "指标数据的不确定性分析、报告编写及评价结论复核等内容。", "tp-process"),
    ("三、园区绿色化建设或改造主要做法", "主要介绍为推动绿色低碳工业园区建设或改造所采取的主要做法。", "tp-practices"),
    ("四、绿色低碳工业园区建设或改造工作亮点", "主要介绍绿色低碳工业园区建设或改造工作中的亮点。", "tp-highlights"),
    ("五、绿色低碳工业园区建设或改造中存在的问题", "主要介绍绿色低碳工业园区建设或改造过程中存在的问题。", "tp-problems"),
    ("六、有关建议", "对园区持续创建绿色低碳工业园区的下一步工作提出建议。", "tp-suggestions"),
    ("七、参考文件清单", "列出报告编写过程中所参考的园区相关材料清单。", "tp-references"),
    ("八、第三方机构资质符合性证明材料", "列出第三方机构满足条件的资质符合性证明材料。", "tp-qualification"),
)


def _third_party_info_table(doc) -> None:
    _title(doc, "绿色低碳工业园区基本信息表", size="小二")
    rows = 1 + 5 + 1 + 6 + 6 + 1
    t = kit.table(doc, rows, 5, BASIC_WIDTHS, size="五号")
    r = 0
    kit.merge(t, r, 0, r, 4, "一、园区基本信息", font=HEITI, align="left"); r += 1
    _wide(t, r, "园区名称", "{{ d.subject.name }}"); r += 1
    _wide(t, r, "园区地址", "{{ d.subject.address }}"); r += 1
    _pair(t, r, "园区负责人", "{{ x.park.manager.name }}", "负责人电话", "{{ x.park.manager.phone }}"); r += 1
    _pair(t, r, "园区联系人", "{{ d.subject.contact.name }}", "联系人电话", "{{ d.subject.contact.phone }}"); r += 1
    _pair(t, r, "电子邮箱", "{{ d.subject.contact.email }}", "传真", "{{ d.subject.contact.fax }}"); r += 1
    kit.merge(t, r, 0, r, 4, "二、第三方评价机构信息", font=HEITI, align="left"); r += 1
    e = "d.evaluator"
    _wide(t, r, "评价机构名称", f"{{{{ {e}.name }}}}"); r += 1
    _wide(t, r, "评价机构地址", f"{{{{ {e}.address }}}}"); r += 1
    for l1, who, l2 in (("机构法定代表人", "legal_representative", "法人代表电话"), ("机构联系人", "contact", "联系人电话"),
                        ("报告编制负责人", "report_author", "负责人电话"), ("报告审核人", "reviewer", "审核人电话")):
        _pair(t, r, l1, f"{{{{ {e}.{who}.name }}}}", l2, f"{{{{ {e}.{who}.phone }}}}")
        r += 1
    r = _result_rows(t, r, "三、绿色低碳工业园区第三方评价结果", colon=False)
    pledge = kit.merge(t, r, 0, r, 4, "本机构郑重承诺已对园区材料进行全面审核，保证园区数据真实有效，评价程序公正，"
                       "评价结果客观。评价报告若存在弄虚作假，本机构愿承担由此产生的相应责任。", align="justify")
    pledge.paragraphs[0].paragraph_format.first_line_indent = Pt(21)
    kit.para(pledge, "")
    _signature_lines(pledge, ["负责人签名：　　　　　　　　　", "（单位公章）　　　　　　　"])
    kit.para(pledge, "")
    assert r == rows - 1, (r, rows)
    _min_row_height(t, 7.5)
    _result_note(doc)


def build_third_party() -> Path:
    doc = kit.new_document()
    _cover(doc, "附件5-2", "绿色低碳工业园区第三方评价报告",
           [("园 区 名 称：", "{{ d.subject.name }}"), ("第三方评价机构名称：", "{{ d.evaluator.name }}")],
           "{{ date_cn(d.evaluator.report_date) }}")
    _third_party_info_table(doc)
    _page_break(doc)
    # The seed's heading reads “绿色低碳工业园区评价报告（格式）”: the report written to that format.
    _title(doc, "绿色低碳工业园区评价报告", size="小二")
    for heading, hint, narrative_id in TP_SECTIONS:
        _heading(doc, heading)
        _hint(doc, hint, f"narrative['{narrative_id}']", size="三号", indent=True)
        _paragraphs(doc, f"narrative['{narrative_id}']")
        if narrative_id == "tp-process":
            _evaluation_team(doc)
    _page_break(doc)
    _basic_table(doc, evaluator=True)
    _page_break(doc)
    _gi_tables(doc, "证明材料索引")
    _page_break(doc)
    _calculation_table(doc)
    _page_break(doc)
    _bonus_tables(doc)
    _page_break(doc)
    _bonus_findings(doc)
    return kit.save(doc, "zhejiang-park-third-party", cover=True)


def _evaluation_team(doc) -> None:
    """评价组 and 现场评价日期 (d.evaluator.team / site_visits) under 二、评价过程描述."""
    kit.para(doc, "{%p if d.evaluator.team %}")
    kit.para(doc, "评价组：{% for m in d.evaluator.team %}{{ m.name }}（{{ m.role or '' }}{{ '，' ~ m.qualification "
                  "if m.qualification else '' }}）{{ '；' if not loop.last else '。' }}{% endfor %}",
             font=FANGSONG, size="三号", indent_chars=2, line_pt=BODY_LINE, align="justify")
    kit.para(doc, "{%p endif %}")
    kit.para(doc, "{%p if d.evaluator.site_visits %}")
    kit.para(doc, "现场评价日期：{% for v in d.evaluator.site_visits %}{{ date_cn(v) }}{{ '、' if not loop.last "
                  "else '。' }}{% endfor %}", font=FANGSONG, size="三号", indent_chars=2, line_pt=BODY_LINE)
    kit.para(doc, "{%p endif %}")
    kit.para(doc, "{%p if d.evaluator.conclusion %}")
    kit.para(doc, "评价结论：{{ d.evaluator.conclusion }}", font=FANGSONG, size="三号", indent_chars=2,
             line_pt=BODY_LINE, align="justify")
    kit.para(doc, "{%p endif %}")


def build() -> list[Path]:
    return [build_dynamic(), build_self_eval(), build_third_party()]
