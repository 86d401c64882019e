"""Templates of the Zhejiang green low-carbon factory forms (seed 003, 浙经信绿色便函〔2023〕32号):

* ``zhejiang-factory-dynamic``         附件4   绿色低碳工厂动态管理表
* ``zhejiang-factory-self-eval``       附件6-1 绿色低碳工厂自评价报告 (附表1.1–1.3)
* ``zhejiang-factory-third-party``     附件6-2 绿色低碳工厂第三方评价报告 (附表2.1–2.3)
* ``zhejiang-recommendation-summary``  附件2   设区市经济和信息化局省级绿色制造名单推荐汇总表
  (.xlsx, one row per dossier; shared with the park scheme, so its cells render for parks too)

Fixed wording is copied from the seed. Requirement texts come from the scheme's rows
(basic_rows, indicator_rows, bonus_rows, questions); the seed's year words (2020/2021/2022
columns, “2022年指标情况”, “如申报时 2022 年度数据未出”) are ``years[i]`` / ``last``; the
“（20 年）” under the 附表 titles is the reporting year ``Y``. Figures the generic context
lacks come from ``x`` (dossier/render/extras/zhejiang_green_low_carbon_factory.py).

A writing hint of the seed (“概述企业的基本信息……”, the 项目 1 example row) is printed
only where the dossier has nothing to put in its place: a filled report shows the text.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Union

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from . import kit
from .kit import FANGSONG, HEITI, KAITI, SONGTI

BODY_LINE = 28  # GB/T 9704: 三号仿宋, 22 lines a page ≈ 28 pt fixed line spacing
PORTRAIT = (37, 35, 28, 26)  # GB/T 9704 margins: top, bottom, left, right (mm)
LANDSCAPE = (25, 25, 25, 25)  # the wide 附表 pages: 247 mm of text width


# --- runs and cells ----------------------------------------------------------------------


@dataclass(frozen=True)
class Sup:
    """A superscript footnote mark (表注 1 → 工厂所属行业代码¹)."""

    text: str


Para = Union[str, tuple]  # a paragraph: one text, or a tuple of texts and Sup marks


@dataclass
class C:
    """One cell of a grid row: its paragraphs, how many grid columns it spans, its look."""

    content: Union[Para, list] = ""
    span: int = 1
    align: str = "center"
    bold: bool = False
    font: str = FANGSONG
    size: str | None = None
    diagonal: bool = False  # the 年度/金额 corner cell


def _runs(p, para: Para, *, font: str, size: str, bold: bool) -> None:
    for part in (para if isinstance(para, tuple) else (para,)):
        if isinstance(part, Sup):
            run = kit.add_run(p, part.text, font=font, size=size, bold=bold)
            run.font.superscript = True
        elif part:
            kit.add_run(p, part, font=font, size=size, bold=bold)


def _fill(cell, spec: C, size: str) -> None:
    paras = spec.content if isinstance(spec.content, list) else [spec.content]
    first = cell.paragraphs[0]
    for r in list(first.runs):
        r._element.getparent().remove(r._element)
    for i, para in enumerate(paras):
        p = first if i == 0 else cell.add_paragraph()
        p.alignment = kit.ALIGN[spec.align]
        _runs(p, para, font=spec.font, size=spec.size or size, bold=spec.bold)
    cell.vertical_alignment = kit.WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if spec.diagonal:
        _diagonal(cell)


def _diagonal(cell) -> None:
    """A line from the top-left to the bottom-right corner (表头斜线)."""
    tcpr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    line = OxmlElement("w:tl2br")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "auto")):
        line.set(qn(key), value)
    borders.append(line)
    # w:tcBorders comes before w:vAlign in w:tcPr (ECMA-376 CT_TcPr).
    valign = tcpr.find(qn("w:vAlign"))
    if valign is not None:
        valign.addprevious(borders)
    else:
        tcpr.append(borders)


class Grid:
    """A bordered table built row by row.

    ``layouts`` name the column widths (mm) that different parts of one table use (the
    附件4 table has a 4-column info part, 3 year columns, and project columns of other
    widths); the table's grid is the union of their column boundaries, and each cell
    spans the grid columns between its layout's boundaries. A plain list is one layout.
    """

    def __init__(self, doc, layouts: dict[str, list[float]] | list[float], *, size: str = "五号",
                 min_height_mm: float | None = None) -> None:
        self.layouts = layouts if isinstance(layouts, dict) else {"main": layouts}
        cuts: set[float] = set()
        for widths in self.layouts.values():
            edge = 0.0
            for w in widths:
                edge = round(edge + w, 1)
                cuts.add(edge)
        self.bounds = sorted(cuts)
        widths = [b - a for a, b in zip([0.0, *self.bounds], self.bounds)]
        self.t = kit.table(doc, 0, len(widths), widths, size=size)
        self.size = size
        self.min_height = min_height_mm
        self._wraps: list[tuple] = []

    def _grid_spans(self, layout: str) -> list[tuple[int, int]]:
        """(first grid column, number of grid columns) of each column of ``layout``."""
        out, edge, col = [], 0.0, 0
        for w in self.layouts[layout]:
            edge = round(edge + w, 1)
            end = self.bounds.index(edge) + 1
            out.append((col, end - col))
            col = end
        return out

    def row(self, *cells: Union[C, Para], layout: str | None = None, split: bool = False) -> int:
        """Append a row; plain strings are centred one-column cells. Returns its index.
        A row is kept on one page unless ``split`` (a long narrative may need two)."""
        layout = layout or next(iter(self.layouts))
        spans = self._grid_spans(layout)
        tr = self.t.add_row()
        if self.min_height:
            tr.height = Mm(self.min_height)
            tr.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST  # text may make it taller
        i = 0
        for spec in cells:
            spec = spec if isinstance(spec, C) else C(spec)
            first, _ = spans[i]
            last_col, last_span = spans[i + spec.span - 1]
            cell = tr.cells[first]
            if last_col + last_span - 1 > first:
                cell = cell.merge(tr.cells[last_col + last_span - 1])
            _fill(cell, spec, self.size)
            i += spec.span
        assert i == len(spans), f"row fills {i} of the {len(spans)} columns of layout {layout!r}"
        if not split:
            self.keep_together(len(self.t.rows) - 1)
        return len(self.t.rows) - 1

    def merge_down(self, first: int, last: int, col: int) -> None:
        """Merge grid column ``col`` of the fixed rows ``first``..``last`` (the cells below are empty)."""
        self.t.cell(first, col).merge(self.t.cell(last, col))

    def keep_together(self, row: int) -> None:
        """A row Word and LibreOffice do not split over two pages (w:cantSplit)."""
        trpr = self.t.rows[row]._tr.get_or_add_trPr()
        if trpr.find(qn("w:cantSplit")) is None:
            trpr.insert(0, OxmlElement("w:cantSplit"))  # first child: it precedes w:trHeight

    def wrap(self, first: int, last: int, head: str, tail: str) -> None:
        """Wrap rows ``first``..``last`` in docxtpl row tags (``{%tr for … %}`` … ``{%tr endfor %}``);
        applied by :meth:`done` so that row indices stay valid while building."""
        self._wraps.append((self.t.rows[first]._tr, self.t.rows[last]._tr, head, tail))

    def loop(self, first: int, last: int, head: str) -> None:
        self.wrap(first, last, f"for {head}", "endfor")

    def only_if(self, first: int, last: int, condition: str) -> None:
        self.wrap(first, last, f"if {condition}", "endif")

    def header(self, rows: int) -> None:
        kit.repeat_header(self.t, rows)

    def done(self) -> None:
        for top, bottom, head, tail in self._wraps:
            top.addprevious(_tag_row(top, f"{{%tr {head} %}}"))
            bottom.addnext(_tag_row(bottom, f"{{%tr {tail} %}}"))
        self._wraps.clear()


def _tag_row(tr, tag: str):
    """A copy of ``tr`` emptied, with ``tag`` in its first cell (docxtpl drops the row)."""
    row = copy.deepcopy(tr)
    trpr = row.find(qn("w:trPr"))
    if trpr is not None:
        for el in trpr.findall(qn("w:tblHeader")):
            trpr.remove(el)
    for i, tc in enumerate(row.findall(qn("w:tc"))):
        for p in tc.findall(qn("w:p"))[1:]:
            tc.remove(p)
        p = tc.find(qn("w:p"))
        for r in p.findall(qn("w:r")):
            p.remove(r)
        tcpr = tc.find(qn("w:tcPr"))
        if tcpr is not None:
            for vm in tcpr.findall(qn("w:vMerge")):
                tcpr.remove(vm)
        if i == 0:
            r = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.text = tag
            r.append(t)
            p.append(r)
    return row


# --- page furniture ------------------------------------------------------------------------


def _annex(doc, label: str) -> None:
    kit.para(doc, label, font=HEITI, size="三号", align="left")


def _title(doc, text: str, *, size: str = "二号", before: float = 0, after: float = 12) -> None:
    # 方正小标宋 is not installed where we convert; bold 宋体 is the usual stand-in.
    kit.para(doc, text, font=SONGTI, size=size, bold=True, align="center", space_before=before,
             space_after=after, keep_with_next=True)


def _heading(doc, text: str, *, before: float = 6, after: float = 0) -> None:
    """一级标题: 三号黑体 (GB/T 9704)."""
    kit.para(doc, text, font=HEITI, size="三号", align="left", indent_chars=2, line_pt=BODY_LINE,
             space_before=before, space_after=after, keep_with_next=True)


def _subheading(doc, text: str) -> None:
    """二级标题: 三号楷体加粗."""
    kit.para(doc, text, font=KAITI, size="三号", bold=True, align="left", indent_chars=2, line_pt=BODY_LINE,
             keep_with_next=True)


def _body(doc, text: str, *, font: str = FANGSONG) -> None:
    kit.para(doc, text, font=font, size="三号", align="justify", indent_chars=2, line_pt=BODY_LINE)


def _narrative(doc, key: str, hint: list[str]) -> None:
    """The narrative ``key`` one paragraph per line; the seed's hint (楷体) while it is empty."""
    expr = f"narrative['{key}']"
    kit.para(doc, f"{{%p if {expr} %}}")
    kit.para(doc, f"{{%p for t in {expr}.splitlines() if t.strip() %}}")
    _body(doc, "{{ t.strip() }}")
    kit.para(doc, "{%p endfor %}")
    kit.para(doc, "{%p else %}")
    for line in hint:
        _body(doc, line, font=KAITI)
    kit.para(doc, "{%p endif %}")


def _page_break(doc) -> None:
    kit.page_break(doc)


def _section(doc, *, landscape: bool) -> None:
    """A new section on a new page, portrait (GB/T 9704 margins) or landscape (wide tables)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        margins = LANDSCAPE
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        margins = PORTRAIT
    top, bottom, left, right = margins
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)


def _footer(doc, *, skip_first: bool) -> None:
    kit.page_number_footer(doc)
    if skip_first:  # no page number on the cover
        doc.sections[0].different_first_page_header_footer = True


def _cover(doc, annex: str, title: str, fields: list[tuple[str, str]], date_expr: str) -> None:
    _annex(doc, annex)
    for _ in range(4):
        kit.para(doc, "", size="三号", line_pt=BODY_LINE)
    _title(doc, title, size="一号", after=0)
    for _ in range(5):
        kit.para(doc, "", size="三号", line_pt=BODY_LINE)
    for label, value in fields:
        p = kit.para(doc, "", line_pt=36)
        p.paragraph_format.left_indent = Mm(20)
        kit.add_run(p, label, font=HEITI, size="三号")
        kit.add_run(p, value, font=FANGSONG, size="三号", underline=True)
    for _ in range(5):
        kit.para(doc, "", size="三号", line_pt=BODY_LINE)
    kit.para(doc, "浙江省经济和信息化厅制", font=SONGTI, size="三号", bold=True, align="center", line_pt=36)
    kit.para(doc, date_expr, font=FANGSONG, size="三号", align="center", line_pt=36)


def _date_or_blank(expr: str) -> str:
    """“2026年11月20日”, or the seed's empty “20　年　月　日” frame when there is no date."""
    return f"{{{{ date_cn({expr}) if {expr} else '20　　年　　月　　日' }}}}"


# Shared expressions -----------------------------------------------------------------------

INDUSTRY = ("{{ d.subject.industry or '' }}{{ '（' ~ join(d.subject.industry_codes) ~ '）' "
            "if d.subject.industry_codes else '' }}")
OWNERSHIP = ("内资（{{ boxes(['国有', '集体', '民营'], d.subject.ownership) }}）"
             "{{ boxes(['中外合资', '港澳台', '外商独资'], d.subject.ownership) }}")
# office phone and mobile on two lines: together they do not fit a narrow cell
PHONES = ["{{ d.subject.contact.phone or '' }}", "{{ d.subject.contact.mobile or '' }}"]
BASIC_MET = "{{ box(x.basic_met is sameas true) }}符合　{{ box(x.basic_met is sameas false) }}不符合"
STATEMENT = "{{ r.answer.statement or '' }}"
INDEX = "{{ r.evidence_index }}"
# On the evaluator's report (附件6-2) the rows are the evaluator's findings: r.answer.statement
# is the finding, r.evidence_index the evidence checked, r.check_note the on-site check date
# and remarks (dossier/render/context.py).
CHECK = "{{ r.check_note }}"


# --- 附件4 绿色低碳工厂动态管理表 ------------------------------------------------------------


def _unit_line(key: str) -> str:
    """The unit of a per-unit row as the data gives it: “（t/万只）”."""
    return f"{{{{ '（' ~ x.units['{key}'] ~ '）' if x.units['{key}'] else '' }}}}"


def _improvement_row(g: Grid, group: Para, param: list, key: str, digits: int) -> int:
    listing = f"{{{{ num(x.listing['{key}'], {digits}, strip=False) }}}}"
    current = f"{{{{ num(x.current['{key}'], {digits}, strip=False) }}}}"
    vm = ("{% vm %}" + group) if isinstance(group, str) else ("{% vm %}" + group[0], *group[1:])
    return g.row(C(vm), C(param), listing, current, layout="improve")


def build_dynamic() -> Path:
    doc = kit.new_document(body_font=FANGSONG, body_size="三号")
    _annex(doc, "附件4")
    _title(doc, "绿色低碳工厂动态管理表", after=6)
    g = Grid(doc, {"info": [34, 52, 28, 42], "years": [34, 40, 40, 42], "improve": [34, 52, 35, 35],
                   "project": [34, 52, 20, 50]},
             min_height_mm=7)
    left = dict(align="left")

    g.row(C("一、基本信息", span=4, bold=True, font=HEITI, **left))
    g.row("工厂名称", C("{{ d.subject.name }}", **left), "入选年份", "{{ d.listing.year }}")
    g.row("工厂地址", C("{{ d.subject.address }}", span=3, **left))
    g.row(C([("工厂所属行业代码", Sup("1")), "（填写 4位代码）"]),
          C("{{ join(d.subject.industry_codes) }}", span=3, **left))
    g.row("工厂主要产品", C("{{ join(d.subject.main_products) }}", span=3, **left))
    g.row("填报信息联系人", "{{ d.subject.contact.name }}", "联系人电话", C(PHONES))
    g.row("项目", "{{ years[0] }}年", "{{ years[1] }}年", "{{ years[2] }}年", layout="years")
    for label, expr in (
        (("亩均绩效", Sup("*")), "yd[{y}].mu_performance_grade"),
        (("碳效评价等级", Sup("*")), "yd[{y}].carbon_efficiency_grade"),
        ("产值（万元）", "num(yd[{y}].output_value, 2, strip=False)"),
        ("工业增加值（万元）", "num(yd[{y}].value_added, 2, strip=False)"),
        ("能源消费总量（tce）", "num(fig[{y}].energy_tce, 2, strip=False)"),
        ("可再生能源消耗量（tce）", "num(fig[{y}].renewable_tce, 2, strip=False)"),
    ):
        g.row(C(label), *[f"{{{{ {expr.format(y=f'years[{i}]')} }}}}" for i in range(3)], layout="years")

    g.row(C(("二、合规性信息", Sup("2")), span=4, bold=True, font=HEITI, **left))
    q = g.row(C("{{ loop.index }}.{{ q.text }}", span=3, **left),
              "{{ box(q.answer is sameas true) }}是　{{ box(q.answer is sameas false) }}否", layout="years")
    g.loop(q, q, "q in questions")

    g.row(C("三、持续改进情况", span=4, bold=True, font=HEITI, **left))
    g.row(C("1.绩效指标提升情况", span=4, **left))
    g.row(C("指标名称", bold=True), C("指标涉及的参数", bold=True), C("列入名单时指标情况", bold=True),
          C("{{ last }}年指标情况", bold=True), layout="improve")
    for param, key, digits in (("用地面积（亩）", "用地面积", 2), ("产值（万元）", "产值", 2),
                               ("单位用地面积产值（万元/亩）", "单位用地面积产值", 2)):
        _improvement_row(g, "用地集约化", [param], key, digits)
    for param, key, digits in (("工业增加值（万元）", "工业增加值", 2), ("能源消耗总量（tce）", "能源消耗总量", 2),
                               ("碳排放总量（tce）", "碳排放总量", 2),
                               ("单位工业增加值能耗（tce/万元）", "单位工业增加值能耗", 4),
                               ("单位工业增加值碳排放量（tce/万元）", "单位工业增加值碳排放量", 4)):
        _improvement_row(g, "能源低碳化", [param], key, digits)
    material = ("原料节约化", Sup("3"))
    _improvement_row(g, material, [
        "产品产量（填写产品名称及单位或者产值，以申报时采用的为准，下同，例：储水桶/万只或储水桶/万元）",
        "{{ x.basis.label if x.basis else '' }}"], "产品产量", 2)
    _improvement_row(g, material, [
        "单位产品或产值主要原材料1消耗量（填写原材料名称及单位，例：PP（吨/万只）或PP（吨/万元），下同）",
        "{{ x.materials[0].label if x.materials[0] else '' }}"], "单位产品或产值主要原材料1消耗量", 4)
    for i in (2, 3):
        _improvement_row(g, material, [f"单位产品或产值主要原材料{i}消耗量",
                                       f"{{{{ x.materials[{i - 1}].label if x.materials[{i - 1}] else '' }}}}"],
                         f"单位产品或产值主要原材料{i}消耗量", 4)
    clean = ("生产洁净化", Sup("4"))
    for name in ("废水", "氨氮", "COD", "SO2", "NOX"):
        key = f"单位产品或产值{name}产生量"
        _improvement_row(g, clean, [key, _unit_line(key)], key, 4)
    other = g.row(C(("{% vm %}生产洁净化", Sup("4"))),
                  C(["单位产品或产值{{ p.name }}产生量", "{{ '（' ~ x.units[p.key] ~ '）' if x.units[p.key] else '' }}"]),
                  "{{ num(p.listing, 4, strip=False) }}", "{{ num(p.current, 4, strip=False) }}", layout="improve")
    g.loop(other, other, "p in x.other_pollutants")
    blank = g.row(C(("{% vm %}生产洁净化", Sup("4"))), "有其他污染物自行添加", "", "", layout="improve")
    g.only_if(blank, blank, "not x.other_pollutants")

    g.row(C("2.节能降碳技改项目实施情况（填写入选绿色低碳工厂以来完成的成效最为显著的节能降碳技改项目，最多填写 5项）",
            span=4, **left))
    g.row(C("项目名称", bold=True), C("项目内容", bold=True), C("项目总投资", bold=True), C("项目实施成效", bold=True),
          layout="project")
    p = g.row(
        C("项目{{ loop.index }}：{{ p.name }}", **left),
        C("{{ p.content or '' }}{{ '（实施期限：' ~ date_cn(p.start, 'ym') ~ '—' ~ date_cn(p.end, 'ym') ~ '）' "
          "if p.start and p.end and '实施期限' not in (p.content or '') else '' }}", **left),
        "{{ num(p.investment) ~ '万元' if p.investment is not none else '' }}",
        C("{{ p.effect or join(['节能' ~ num(p.energy_saving_tce) ~ '吨标煤' if p.energy_saving_tce else '', "
          "'节水' ~ num(p.water_saving_t) ~ '吨' if p.water_saving_t else '', "
          "'降碳' ~ num(p.reduction_tco2e) ~ '吨' if p.reduction_tco2e else ''], '，') }}", **left),
        layout="project",
    )
    g.keep_together(p)
    g.loop(p, p, "p in x.projects")
    e1 = g.row(C("项目 1：", **left), C("具体实施内容及实施期限", **left), "XX万元",
               C("项目实施后的成效，例如：节能 XX吨标煤，节水 XX吨，污染物减排 XX吨，降碳 XX吨，新增资源综合利用能力 XX吨，"
                 "有毒有害物质使用削减 XX吨等", **left), layout="project")
    e2 = g.row(C("项目 2：", **left), "", "", "", layout="project")
    g.only_if(e1, e2, "not x.projects")

    for label, key, hint in (
        ("四、列入名单以来开展的亮点工作", "highlights",
         "（介绍入选绿色低碳工厂以来开展的亮点工作，例如开展能源管理体系建设、入选省经信节能减碳技术改造项目库、"
         "开展产品全生命周期（碳足迹）核查工作、开展光伏建设等）"),
        ("五、意见和建议", "suggestions", "（酌情填写）"),
    ):
        r = g.row(C(label, bold=True, font=HEITI), C("", span=3, align="justify"), split=True)
        cell = g.t.cell(r, 1)
        expr = f"narrative['{key}']"
        _cell_paragraphs(cell, [f"{{%p if {expr} %}}", f"{{%p for t in {expr}.splitlines() if t.strip() %}}",
                                "{{ t.strip() }}", "{%p endfor %}", "{%p else %}", hint, "{%p endif %}"],
                         hint_lines={5})
    r = g.row(C(["真实性承诺：",
                 "本工厂承诺，已对本表内容进行了全面审核，信息真实有效，若存在弄虚作假，愿承担相应责任。",
                 "法人签字：　　　　　　　　　　　　　　　　（单位公章）"], span=4, align="left"))
    cell = g.t.cell(r, 0)
    cell.paragraphs[0].runs[0].bold = True
    cell.paragraphs[1].paragraph_format.first_line_indent = Pt(21)
    cell.paragraphs[2].paragraph_format.space_before = Pt(18)
    cell.paragraphs[2].paragraph_format.space_after = Pt(18)
    g.done()

    for note in (
        "表注 1：按国民经济行业分类（GB/T 4754-2017）标准填写 4位代码",
        "表注 2：统计时间为列入名单以来。存在合规性信息中所述情况的，请另附情况说明。",
        "表注 3：请根据申报时所填原材料类型填写。",
        "表注 4：请根据申报时所填污染物类型填写。",
        "表注*：亩均绩效、碳效评价等级如申报时 {{ last }} 年度数据未出，则填写已有的最新年度数据并注明。",
    ):
        kit.para(doc, note, font=FANGSONG, size="五号", align="left")
    _footer(doc, skip_first=False)
    return kit.save(doc, "zhejiang-factory-dynamic")


def _cell_paragraphs(cell, lines: list[str], *, hint_lines: set[int] = frozenset(), size: str = "五号") -> None:
    """Replace a cell's content with one paragraph (one run) per line; hint lines in 楷体."""
    first = cell.paragraphs[0]
    for r in list(first.runs):
        r._element.getparent().remove(r._element)
    for i, line in enumerate(lines):
        p = first if i == 0 else cell.add_paragraph()
        p.alignment = kit.ALIGN["justify"]
        if line.startswith("{{ t"):
            p.paragraph_format.first_line_indent = Pt(21)
        kit.add_run(p, line, font=KAITI if i in hint_lines else FANGSONG, size=size)


# --- 附件6-1 / 6-2: the 基本信息表 ----------------------------------------------------------

HONOURS = [["省专精特新小巨人企业", "省雄鹰行动培育企业"], ["省隐形冠军企业", "省单项冠军企业"],
           ["省政府质量奖", "市政府质量奖"], ["院士工作站", "节水型企业", "能源管理中心"]]
CERTS = [[("质量体系认证", "quality"), ("环境体系认证", "environment")],
         [("职业健康安全体系认证", "ohs"), ("能源管理体系认证", "energy")],
         [("绿色产品认证", "green_product")]]
IT_OPTIONS = ["智能微电网", "能源管理平台", "ERP/MRPⅡ"]


def _commitment(g: Grid, heading: str, text: str, span: int) -> None:
    r = g.row(C([heading, text, "法人代表或单位负责人签名：", "（公章）", "日期：{{ date_cn(d.fill_date) }}"],
                span=span, align="left"))
    _style_commitment(g.t.cell(r, 0))


def _style_commitment(cell) -> None:
    paras = cell.paragraphs
    paras[0].runs[0].bold = True
    paras[1].paragraph_format.first_line_indent = Pt(21)
    paras[2].paragraph_format.space_before = Pt(12)
    for p in paras[2:]:
        p.paragraph_format.left_indent = Mm(70)
        p.paragraph_format.line_spacing = Pt(22)


def _enterprise_rows(g: Grid, label_span: int, value_span: int) -> None:
    """工厂名称 … 主导产品: the rows the two 基本信息表 share (label + one wide value)."""
    left = dict(align="left")
    for label, value in (("工厂名称", "{{ d.subject.name }}"), ("工厂地址", "{{ d.subject.address }}"),
                         ("所属行业", INDUSTRY), ("单位性质", OWNERSHIP),
                         ("统一社会信用代码", "{{ d.subject.credit_code }}"),
                         ("主营业务", "{{ d.subject.main_business }}"),
                         ("主导产品", "{{ join(d.subject.main_products) }}")):
        g.row(C(label, span=label_span), C(value, span=value_span, **left))


def _self_eval_info(doc) -> None:
    _title(doc, "绿色低碳工厂申报单位基本信息表（自评价）", size="小二", after=6)
    g = Grid(doc, [30, 42, 28, 28, 28], min_height_mm=7)
    left = dict(align="left")
    g.row(C("一、企业基本信息", span=5, bold=True, font=HEITI, **left))
    _enterprise_rows(g, 1, 4)
    g.row("成立日期", "{{ date_cn(d.subject.founded) }}", "注册资本", C("{{ d.subject.registered_capital }}", span=2))
    g.row("法定代表人", "{{ d.subject.legal_representative.name }}", "法人代表电话",
          C("{{ d.subject.legal_representative.phone }}", span=2))
    g.row("申报工作联系人", "{{ d.subject.contact.name }}", "联系电话", C(PHONES, span=2))
    g.row("信用等级", C("{{ d.subject.credit_rating }}", span=4, **left))
    g.row("环境评价信用等级", C("{{ d.subject.environmental_credit_rating }}", span=4, **left))
    g.row(C([("亩均绩效", Sup("*")), "（近两年）"]),
          C(["年度：{{ x.mu_recent[0][0] }}　　级别：{{ x.mu_recent[0][1] or '' }}",
             "年度：{{ x.mu_recent[1][0] }}　　级别：{{ x.mu_recent[1][1] or '' }}"], span=4, **left))
    g.row(C(("碳效评价等级", Sup("*"))),
          C("{{ x.carbon_latest[1] or '' }}{{ '（' ~ x.carbon_latest[0] ~ '年度）' "
            "if x.carbon_latest[1] and x.carbon_latest[0] != last else '' }}", span=4, **left))
    top = g.row(C(["企业近 3年", "经营情况"]), C(["年度", "金额"], diagonal=True),
                "{{ years[0] }}", "{{ years[1] }}", "{{ years[2] }}")
    g.t.cell(top, 1).paragraphs[0].alignment = kit.ALIGN["right"]
    g.t.cell(top, 1).paragraphs[1].alignment = kit.ALIGN["left"]
    for label, expr, digits in (("工业总产值（亿元）", "x.output_value_yi[years[{i}]]", 2),
                                ("利润总额（万元）", "yd[years[{i}]].profit", 2),
                                ("纳税总额（万元）", "yd[years[{i}]].tax", 2)):
        g.row("", label, *[f"{{{{ num({expr.format(i=i)}, {digits}, strip=False) }}}}" for i in range(3)])
    end = g.row("", "近 3年单位工业增加值碳排放量（吨 CO2/万元）",
                *[f"{{{{ num(fig[years[{i}]].carbon_per_value_added, 4, strip=False) }}}}" for i in range(3)])
    g.merge_down(top, end, 0)
    top = g.row(C(["最近一年能源消耗情况", "（根据企业实际选择填写单耗情况）"]), "年综合能耗（吨标准煤）",
                C("{{ num(fig[last].energy_tce, 2, strip=False) }}", span=3))
    g.row("", "单位产品综合能耗（吨标煤/产品单位）",
          C("{{ num(fig[last].energy_per_product, 4, strip=False) }} {{ fig[last].energy_per_product.unit "
            "if fig[last].energy_per_product.ok else '' }}", span=3))
    end = g.row("", "单位产品碳排放（吨 CO2当量/产品单位）",
                C("{{ num(fig[last].carbon_per_product, 4, strip=False) }} {{ fig[last].carbon_per_product.unit "
                  "if fig[last].carbon_per_product.ok else '' }}", span=3))
    g.merge_down(top, end, 0)
    g.row(C(["主要荣誉", "（可复选）"]),
          C([f"{{{{ boxes({line!r}, x.honour_names, '　') }}}}" for line in HONOURS], span=4, **left))
    g.row(C(["体系认证", "（可复选）"]),
          C(["　".join(f"{{{{ box('{kind}' in x.cert_kinds) }}}}{name}" for name, kind in line) for line in CERTS],
            span=4, **left))
    g.row(C(["信息化应用", "（可复选）"]),
          C(f"{{{{ boxes({IT_OPTIONS!r}, d.subject.it_applications, '　') }}}}　"
            f"{{{{ box(d.subject.it_applications | reject('in', {IT_OPTIONS!r}) | list) }}}}其他"
            f"{{{{ '（' ~ join(d.subject.it_applications | reject('in', {IT_OPTIONS!r}) | list) ~ '）' "
            f"if d.subject.it_applications | reject('in', {IT_OPTIONS!r}) | list else '' }}}}", span=4, **left))
    g.row(C("注：以上相关信息需提供证实性材料。", span=5, **left))
    g.row(C("二、绿色低碳工厂自评价结果", span=5, bold=True, font=HEITI, **left))
    g.row("报告编制负责人", "{{ d.self_evaluation.author.name }}", "负责人电话",
          C("{{ d.self_evaluation.author.phone }}", span=2))
    g.row("报告审核人", "{{ d.self_evaluation.reviewer.name }}", "报告审核人电话",
          C("{{ d.self_evaluation.reviewer.phone }}", span=2))
    g.row("基本要求满足情况", C(BASIC_MET, span=4, **left))
    g.row("评价指标得分", C("{{ num(score.indicator_total) }}", span=4, **left))
    g.row("加分项得分", C("{{ num(score.bonus_total) }}", span=4, **left))
    g.row("总分", C("{{ num(score.total) }}", span=4, **left))
    _commitment(g, "材料真实性承诺:",
                "我单位郑重承诺：本次申报绿色工厂所提交的相关数据和信息均真实、有效，愿接受并积极配合主管部门的监督抽查和核验。"
                "若存在弄虚作假，本单位愿承担相应的责任。", 5)
    g.done()
    kit.para(doc, "表注*：亩均绩效、碳效评价等级如申报时 {{ last }} 年度数据未出，则填写已有的最新年度数据并注明。",
             font=FANGSONG, size="五号", align="left")


def _third_party_info(doc) -> None:
    _title(doc, "绿色低碳工厂第三方评价基本信息表", size="小二", after=6)
    g = Grid(doc, [30, 48, 30, 48], min_height_mm=8)
    left = dict(align="left")
    e = "d.evaluator"
    g.row("评价机构名称", C(f"{{{{ {e}.name }}}}", span=3, **left))
    g.row("评价机构地址", C(f"{{{{ {e}.address }}}}", span=3, **left))
    for a, b, c, dd in (("机构法定代表人", "legal_representative.name", "法人代表电话", ["legal_representative.phone"]),
                        ("机构联系人", "contact.name", "联系人电话", ["contact.phone", "contact.mobile"]),
                        ("报告编制负责人", "report_author.name", "负责人电话", ["report_author.phone"]),
                        ("报告审核人", "reviewer.name", "报告审核人电话", ["reviewer.phone"])):
        g.row(a, f"{{{{ {e}.{b} }}}}", c, C([f"{{{{ {e}.{x} or '' }}}}" for x in dd]))
    _enterprise_rows(g, 1, 3)
    g.row("成立日期", "{{ date_cn(d.subject.founded) }}", "注册资本", "{{ d.subject.registered_capital }}")
    g.row("法定代表人", "{{ d.subject.legal_representative.name }}", "法人代表电话",
          "{{ d.subject.legal_representative.phone }}")
    g.row("基本要求满足情况", C(BASIC_MET, span=3, **left))
    g.row("评价指标得分", C("{{ num(score.indicator_total) }}", span=3, **left))
    g.row("加分项得分", C("{{ num(score.bonus_total) }}", span=3, **left))
    g.row("总分", C("{{ num(score.total) }}", span=3, **left))
    r = g.row(C(["本机构郑重承诺已对工厂材料进行全面审核，保证报告数据真实有效，评价程序公正，评价结果客观。"
                 "评价报告若存在弄虚作假，本机构愿承担由此产生的相应责任。",
                 "法人代表或单位负责人签名：", "（公章）", "日期：{{ date_cn(d.evaluator.report_date) }}"],
                span=4, align="left"))
    cell = g.t.cell(r, 0)
    cell.paragraphs[0].paragraph_format.first_line_indent = Pt(21)
    cell.paragraphs[1].paragraph_format.space_before = Pt(12)
    for p in cell.paragraphs[1:]:
        p.paragraph_format.left_indent = Mm(70)
        p.paragraph_format.line_spacing = Pt(22)
    g.done()


# --- the 附表: basic requirements, indicators, bonus -------------------------------------------


def _year_line(doc) -> None:
    kit.para(doc, "（{{ Y }}年）", font=FANGSONG, size="三号", align="center", space_after=6)


def _basic_table_self(doc) -> None:
    _annex(doc, "附表 1.1")
    _title(doc, "绿色低碳工厂基本要求自评表", size="小二", after=6)
    g = Grid(doc, [94, 18, 44])
    g.row(C("基本要求", bold=True), C("是否符合", bold=True), C("证明材料索引", bold=True))
    g.header(1)
    r = g.row(C("{{ r.item.text }}", align="justify"), "{{ r.answer.status or '' }}", C(INDEX, align="left"))
    g.keep_together(r)
    g.loop(r, r, "r in basic_rows")
    g.done()


def _basic_table_third_party(doc) -> None:
    _annex(doc, "附表 2.1")
    _title(doc, "绿色低碳工厂基本要求第三方评价表", size="小二", after=0)
    _year_line(doc)
    g = Grid(doc, [24, 54, 14, 64])
    g.row(C("基本要求", span=2, bold=True), C("是否符合", bold=True), C("符合性说明及证明材料索引", bold=True))
    g.header(1)
    r = g.row("{% vm %}{{ r.item.group or '' }}", C("{{ r.item.text }}", align="justify"),
              "{{ r.answer.status or '' }}", C([STATEMENT, INDEX, CHECK], align="left"))
    g.keep_together(r)
    g.loop(r, r, "r in basic_rows")
    g.done()


def _indicator_table(doc, annex: str, title: str, *, evaluator: bool = False) -> None:
    _annex(doc, annex)
    _title(doc, title, size="小二", after=0)
    _year_line(doc)
    g = Grid(doc, [9, 13, 15, 78, 78, 13, 11, 13, 17])
    g.row(*[C(h, bold=True) for h in ("序号", "一级指标", "二级指标", "具体评价要求", "符合性说明及证明材料索引",
                                      "要求类型", "分值", "权重", "得分")])
    g.header(1)
    cat = "r.item.category"
    r = g.row(f"{{% vm {cat} %}}{{{{ r.item.no }}}}", f"{{% vm {cat} %}}{{{{ {cat} }}}}",
              f"{{% vm ({cat}, r.item.subcategory) %}}{{{{ r.item.subcategory or '' }}}}",
              C("{{ r.item.requirement }}", align="justify"),
              C([STATEMENT, INDEX, CHECK] if evaluator else [STATEMENT, INDEX], align="left"),
              f"{{% vm ({cat}, r.item.subcategory, r.item.type) %}}{{{{ r.item.type }}}}",
              "{{ num(r.item.max_points) }}",
              f"{{% vm {cat} %}}{{{{ pct(r.weight * 100, 0) if r.weight is not none else '' }}}}",
              "{{ '不适用' if r.answer.status == '不适用' else num(r.points) }}")
    g.keep_together(r)
    g.loop(r, r, "r in indicator_rows")
    g.row(C("总分", span=8, bold=True), "{{ num(score.indicator_total) }}")
    g.done()
    kit.para(doc, "注：绿色工厂必须满足各项必选要求，可选要求按照受评工厂满足程度在 0分到满分中取值。",
             font=FANGSONG, size="五号", align="left", space_before=3)
    # the 总分 above rebuilt from the rows' 得分 (不适用 rows rescale their category)
    kit.category_summary(doc, [36, 30, 100, 30, 20, 30], totals=[("总分（Σ加权得分）", "{{ num(score.indicator_total, 2, strip=False) }}")])


def _bonus_table(doc, annex: str, title: str, *, evaluator: bool = False) -> None:
    _annex(doc, annex)
    _title(doc, title, size="小二", after=0)
    _year_line(doc)
    g = Grid(doc, [9, 18, 22, 88, 14, 11, 13, 13, 59])
    g.row(*[C(h, bold=True) for h in ("序号", "一级指标", "二级指标", "具体评价要求", "要求类型", "分值", "权重",
                                      "得分", "证明材料索引")])
    g.header(1)
    r = g.row("{{ r.item.no }}", "{{ r.item.category or '' }}", "{{ r.item.subcategory or '' }}",
              C("{{ r.item.requirement }}", align="justify"), "{{ r.item.type }}",
              "{{ num(r.item.max_points) }}",
              "{{ pct(x.bonus_weight * 100, 0) if x.bonus_weight is not none else '' }}",
              "{{ '不适用' if r.answer.status == '不适用' else num(r.points) }}",
              C([STATEMENT, INDEX, CHECK] if evaluator else INDEX, align="left"))
    g.keep_together(r)
    g.loop(r, r, "r in bonus_rows")
    g.row(C("加分合计", span=7, bold=True), "{{ num(score.bonus_total) }}", "")
    g.done()


# --- 附件6-1 绿色低碳工厂自评价报告 -----------------------------------------------------------


def build_self_eval() -> Path:
    doc = kit.new_document(body_font=FANGSONG, body_size="三号")
    _cover(doc, "附件6-1", "绿色低碳工厂自评价报告",
           [("申报单位：", "{{ d.subject.name }}"),
            ("所在省市：", "{{ (d.subject.city if d.subject.city.startswith(s.region) else s.region ~ d.subject.city) "
                         "if d.subject.city else '' }}")],
           _date_or_blank("d.fill_date"))
    _page_break(doc)
    _title(doc, "填 写 说 明", size="二号", after=12)
    for line in ("一、申请企业应当准确、如实填报。",
                 "二、所属行业请依据 GB/T 4754-2017《国民经济行业分类》填写；单位性质依据营业执照中的类型填写。",
                 "三、有关项目页面不够时，可加附页。",
                 "四、自评价报告应按照规定格式填写。"):
        _body(doc, line)
    _page_break(doc)
    _self_eval_info(doc)
    _page_break(doc)

    _heading(doc, "一、工厂基本情况", before=0)
    _narrative(doc, "overview", ["概述企业的基本信息、发展现状、工艺产品和生产经营状况以及在绿色发展方面开展的重点工作及取得的成绩等。"])
    _heading(doc, "二、绿色低碳工厂创建情况")
    _narrative(doc, "creation", ["对照《浙江省绿色低碳工厂建设评价导则（2022版）》主要对工厂的基础设施、管理体系、能源资源投入、"
                                 "产品、环境排放、加分项等内容进行情况描述。"])
    for key, title, hint in (
        ("infrastructure", "1. 基础设施情况。",
         "主要描述工厂的建筑、照明、设备设施（包括专用设备、通用设备、计量设备及污染物处理设备设施等）情况，以及相关标准落实情况。"),
        ("management", "2. 管理体系情况。", "主要描述工厂管理体系建设情况。"),
        ("energy_resources", "3. 能源资源投入情况。",
         "主要描述能源投入、资源投入、采购等方面的现状，以及目前正在实施建设的节约能源资源投入的项目。"),
        ("product", "4. 产品情况。", "主要描述产品的生态设计、有害物质使用、节能、减碳以及可回收利用等情况，以及相关标准落实情况。"),
        ("emissions", "5. 环境排放情况。",
         "主要描述大气污染物、水体污染物、固体废弃物、噪声、温室气体的排放及管理现状，以及相关标准的落实情况。"),
        ("bonus", "6. 加分项情况。", "主要描述综合绩效、碳排放管理、碳排放强度、节能减碳技术改造等落实情况。"),
    ):
        _subheading(doc, title)
        _narrative(doc, key, [hint])
    _heading(doc, "三、下一步工作")
    _narrative(doc, "next_steps", ["说明工厂在持续推进绿色低碳工厂建设方面拟开展的重点工作，拟实施的重大项目情况。"])
    _heading(doc, "四、绿色低碳工厂创建自评表")
    # The seed writes “附件 1.3” for 附表1.3 (scheme notes); printed as the seed has it.
    _body(doc, "依据工厂情况和《浙江省绿色低碳工厂建设评价导则（2022版）》，工厂进行自评，并填写附表 1.1、附表 1.2及附件 1.3。")
    _heading(doc, "五、相关证明材料")
    _body(doc, "证明性材料包括但不限于以下材料（需加盖单位公章）：")
    # the seed's nine items, then the items the scheme derives from the indicator rows that
    # the dossier has files for (“包括但不限于以下材料”)
    kit.para(doc, "{%p for e in evidence if e.no in x.listed_evidence or e.files %}")
    _body(doc, "{{ loop.index }}. {{ e.title }}{{ '（' ~ join(e.files) ~ '）' if e.files else '' }}"
               "{{ '。' if loop.last else '；' }}")
    kit.para(doc, "{%p endfor %}")

    _section(doc, landscape=False)
    _basic_table_self(doc)
    _section(doc, landscape=True)
    _indicator_table(doc, "附表 1.2", "绿色低碳工厂评价指标自评表")
    _section(doc, landscape=True)
    _bonus_table(doc, "附表 1.3", "绿色低碳工厂加分项评价表")
    _footer(doc, skip_first=True)
    return kit.save(doc, "zhejiang-factory-self-eval")


# --- 附件6-2 绿色低碳工厂第三方评价报告 -------------------------------------------------------


def _evaluation_team(doc) -> None:
    """评价组 and 现场评价日期 (d.evaluator.team / site_visits), under 二、评价过程和方法."""
    kit.para(doc, "{%p if d.evaluator.team %}")
    _body(doc, "评价组：{% for m in d.evaluator.team %}{{ m.name }}（{{ m.role or '' }}{{ '，' ~ m.qualification "
               "if m.qualification else '' }}）{{ '；' if not loop.last else '。' }}{% endfor %}")
    kit.para(doc, "{%p endif %}")
    kit.para(doc, "{%p if d.evaluator.site_visits %}")
    _body(doc, "现场评价日期：{% for v in d.evaluator.site_visits %}{{ date_cn(v) }}{{ '、' if not loop.last "
               "else '。' }}{% endfor %}")
    kit.para(doc, "{%p endif %}")


def _calculations(doc) -> None:
    """导则：核实数据真实性、计算范围及计算方法 — every calculated indicator with its formula,
    inputs and their sources (the engine's calculation, ``calculations``)."""
    kit.para(doc, "{%p if calculations %}")
    _body(doc, "经评价组核实数据后按导则计算的指标（计算公式及过程、数据来源）：")
    g = Grid(doc, [22, 74, 46, 14], size="小五")
    g.row(*[C(h, bold=True) for h in ("指标", "计算公式及过程", "数据来源", "得分")])
    g.header(1)
    r = g.row(C("{{ c.label }}", align="left"), C("{{ c.formula }}", align="left"),
              C("{{ join(c.sources, '；') }}", align="left"), "{{ num(c.points) }}")
    g.keep_together(r)
    g.loop(r, r, "c in calculations")
    g.done()
    kit.para(doc, "{%p endif %}")


def build_third_party() -> Path:
    doc = kit.new_document(body_font=FANGSONG, body_size="三号")
    _cover(doc, "附件6-2", "绿色低碳工厂第三方评价报告",
           [("工 厂 名 称：", "{{ d.subject.name }}"), ("第三方评价机构名称：", "{{ d.evaluator.name }}")],
           _date_or_blank("d.evaluator.report_date"))
    _page_break(doc)
    _third_party_info(doc)
    _page_break(doc)
    # The seed's heading reads “绿色低碳工厂评价报告（格式）”: the report written to that format.
    _title(doc, "绿色低碳工厂评价报告", size="二号", after=12)
    sections = (
        ("tp_overview", "一、概述", ["主要介绍绿色低碳工厂评价的目的、范围及准则。"]),
        ("tp_process", "二、评价过程和方法", ["主要介绍评价组织安排、文件评审情况、现场评价情况、核查报告编写及内部技术复核情况。"]),
        ("tp_content", "三、评价内容", [
            "第三方应按以下内容对申报工厂材料进行评价：",
            "1. 对申报工厂的基础设施、管理体系、能源与资源投入、产品、环境排放、绩效、加分项等方面进行描述，"
            "并对工厂申报报告中的相关内容进行核实；",
            "2. 依据《浙江省绿色低碳工厂建设评价导则（2022版）》，核实数据真实性、计算范围及计算方法，"
            "检查相关计量设备和有关标准的落实等情况；",
            "3. 对企业自评所出现的问题情况进行描述。"]),
        ("tp_conclusion", "四、评价结论", ["对申报工厂是否符合绿色低碳工厂要求进行评价，说明各评价指标值及是否符合评价要求情况，"
                                         "描述主要创建做法及工作亮点等。"]),
        ("tp_suggestions", "五、建议", ["对工厂持续创建绿色低碳工厂的下一步工作提出建议。"]),
    )
    for key, title, hint in sections:
        _heading(doc, title, before=0 if key == "tp_overview" else 6)
        if key == "tp_conclusion":  # the narrative, else the evaluator's conclusion
            kit.para(doc, "{%p if not narrative['tp_conclusion'] and d.evaluator.conclusion %}")
            _body(doc, "{{ d.evaluator.conclusion }}")
            kit.para(doc, "{%p else %}")
        _narrative(doc, key, hint)
        if key == "tp_conclusion":
            kit.para(doc, "{%p endif %}")
        if key == "tp_process":
            _evaluation_team(doc)
        if key == "tp_content":
            _calculations(doc)
    _heading(doc, "六、参考文件")
    # Written by the evaluator, or else the files the tables' 证明材料索引 cite.
    kit.para(doc, "{%p if narrative['tp_references'] %}")
    kit.para(doc, "{%p for t in narrative['tp_references'].splitlines() if t.strip() %}")
    _body(doc, "{{ t.strip() }}")
    kit.para(doc, "{%p endfor %}")
    kit.para(doc, "{%p elif x.references %}")
    kit.para(doc, "{%p for f in x.references %}")
    _body(doc, "{{ loop.index }}. {{ f }}{{ '。' if loop.last else '；' }}")
    kit.para(doc, "{%p endfor %}")
    kit.para(doc, "{%p else %}")
    _body(doc, "列出报告编写过程中所使用的相关参考文件（与附表 2.1、附表 2.2及附表 2.3的证明材料索引一栏对应）。", font=KAITI)
    kit.para(doc, "{%p endif %}")
    _heading(doc, "七、第三方机构资质符合性证明材料")
    _narrative(doc, "tp_qualification", ["列出第三方机构满足条件的资质符合性证明材料。"])

    _section(doc, landscape=False)
    _basic_table_third_party(doc)
    _section(doc, landscape=True)
    _indicator_table(doc, "附表 2.2", "绿色低碳工厂评价指标第三方评价表", evaluator=True)
    _section(doc, landscape=True)
    _bonus_table(doc, "附表 2.3", "绿色低碳工厂加分项第三方评价表", evaluator=True)
    _footer(doc, skip_first=True)
    return kit.save(doc, "zhejiang-factory-third-party")


# --- 附件2 推荐名单汇总表 (.xlsx) ----------------------------------------------------------------

# The seed's two blocks, each numbered from 1: 绿色低碳工业园区 (序号、园区名称、第三方机构名称)
# and 绿色低碳工厂 (序号、企业名称、第三方机构名称、所属行业). Each block's row template takes the
# dossiers of its kind ({# only: … #}, dossier/render/xlsx_form.py).
SUMMARY_WIDTHS = [8, 44, 40, 30]
PARK_BLOCK = ("绿色低碳工业园区", ["序号", "园区名称", "第三方机构名称", None],
              ["{# only: s.subject == 'park' #}{{ n }}", "{{ d.subject.name }}", "{{ d.evaluator.name }}", None])
FACTORY_BLOCK = ("绿色低碳工厂", ["序号", "企业名称", "第三方机构名称", "所属行业"],
                 ["{# only: s.subject == 'factory' #}{{ n }}", "{{ d.subject.name }}", "{{ d.evaluator.name }}",
                  "{{ (d.subject.industry or '') ~ ('（' ~ join(d.subject.industry_codes) ~ '）' "
                  "if d.subject.industry_codes else '') }}"])


def build_summary() -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "推荐名单汇总表"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    last = chr(ord("A") + len(SUMMARY_WIDTHS) - 1)
    ws["A1"] = "附件2"
    ws["A1"].font = Font(name="黑体", size=14)
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = "设区市经济和信息化局省级绿色制造名单推荐汇总表"
    ws["A2"].font = Font(name="宋体", size=18, bold=True)
    ws["A2"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[2].height = 48
    for col, width in enumerate(SUMMARY_WIDTHS, 1):
        ws.column_dimensions[chr(ord("A") + col - 1)].width = width
    row = 3
    for title, headers, cells in (PARK_BLOCK, FACTORY_BLOCK):
        ws.merge_cells(f"A{row}:{last}{row}")
        ws.cell(row, 1, title).font = Font(name="黑体", size=14)
        ws.cell(row, 1).alignment = Alignment(horizontal="left", vertical="center")
        ws.row_dimensions[row].height = 30
        for col, (header, expr) in enumerate(zip(headers, cells), 1):
            if header is None:
                continue
            head = ws.cell(row + 1, col, header)
            head.font = Font(name="黑体", size=12)
            head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            head.border = border
            cell = ws.cell(row + 2, col, expr)
            cell.font = Font(name="仿宋_GB2312", size=12)
            cell.alignment = Alignment(horizontal="center" if col == 1 else "left", vertical="center", wrap_text=True)
            cell.border = border
        ws.row_dimensions[row + 1].height = 30
        ws.row_dimensions[row + 2].height = 30
        row += 4  # a blank row between the blocks
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    path = kit.TEMPLATES / "zhejiang-recommendation-summary.xlsx"
    wb.properties.title = "zhejiang-recommendation-summary"
    wb.properties.creator = "dossier"
    wb.properties.created = wb.properties.modified = __import__("datetime").datetime(2026, 1, 1)
    wb.save(path)
    return path


def build() -> list[Path]:
    return [build_dynamic(), build_self_eval(), build_third_party(), build_summary()]
