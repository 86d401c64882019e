"""Form templates of the two Suzhou schemes (seeds 000 and 001).

苏州市“近零碳”工厂 (000): 附件1-1 基本要求, 附件1-2 评价指标要求, 附件1-4 项目节能量、综合节能率
评分表, 附件2 培育计划汇总表 (.xlsx, one row per enterprise), 附件3 年度总结及下一年度计划.
苏州市绿色工厂 (001): 附件1-1 基本要求, 附件1-2 评价指标要求, 附件1-3 评分表.

The basic-requirement, indicator and energy-saving tables of the two schemes have the same
build (a title block, a header row, one looped row over the scheme's rows with merged
category cells, notes), so each is one function here with the scheme's columns and fixed
wording as arguments. Requirement texts are never typed here: the looped rows print
``r.item.*`` from checklists/. Fixed wording (titles, headers, notes) is copied from the
seeds, keeping each seed's own punctuation (001 prints half-width "注 1:" and "(当量)").

Run: ``.venv/bin/python -m form_templates.build suzhou``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.page import PageMargins

from . import kit

# --- Word XML helpers ------------------------------------------------------------------

# Children of w:tcPr in schema order (ECMA-376 CT_TcPr); Word refuses a tcPr out of order.
_TCPR_ORDER = ["w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
               "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"]


def _set_tcpr(cell, tag: str, **attrs: str) -> None:
    """Put ``<tag attrs/>`` into the cell's tcPr at its schema position (replacing one there)."""
    tcpr = cell._tc.get_or_add_tcPr()
    for old in tcpr.findall(qn(tag)):
        tcpr.remove(old)
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    later = {qn(name) for name in _TCPR_ORDER[_TCPR_ORDER.index(tag) + 1:]}
    for child in tcpr:
        if child.tag in later:
            child.addprevious(el)
            return
    tcpr.append(el)


def _new_group(key: str, var: str) -> str:
    """The jinja test "this looped row starts a new group": ``key`` is an expression over
    the loop variable written as ``@`` — e.g. "@.item.category" gives
    ``loop.first or loop.previtem.item.category != r.item.category``."""
    return f"loop.first or {key.replace('@', 'loop.previtem')} != {key.replace('@', var)}"


def merge_down(cell, key: str, var: str, expr: str, *, valign: str = "center") -> None:
    """A looped cell merged vertically with the rows above it that have the same ``key``
    (an expression over the loop variable written as ``@``, e.g. "@.item.category"):
    ``{% vm KEY %}`` of dossier/render/vmerge.py, which keeps the template a valid Word
    document. ``valign="top"`` for groups that run over pages (一级指标): Word centres a
    merged cell's text over its whole height, which may be pages after the group's first row.
    """
    kit.cell_text(cell, f"{{% vm {key.replace('@', var)} %}}{{{{ {expr} }}}}", valign=valign)


def shade_if(cell, test: str, fill: str = "D9D9D9") -> None:
    """Grey cell background where the jinja ``test`` holds (the band chosen in 附件1-4):
    docxtpl's ``{% cellbg %}`` tag at the start of the cell's text."""
    p = cell.paragraphs[0]
    if p.runs:
        p.runs[0].text = f"{{% cellbg '{fill}' if {test} else 'auto' %}}" + p.runs[0].text


def roomy(t, *, margin_twips: int = 57, line: float = 1.15) -> None:
    """Room around and between the lines of every cell. LibreOffice lays 仿宋 out in AR PL
    UMing (dossier/data/fonts.conf), whose glyphs reach above the line box it computes: at
    single spacing and no cell margin the first line of a cell is clipped by the border in
    the PDF. 1 mm top/bottom margin and 1.15 line spacing keep every line whole."""
    tblpr = t._tbl.tblPr
    for old in tblpr.findall(qn("w:tblCellMar")):
        tblpr.remove(old)
    mar = OxmlElement("w:tblCellMar")
    for side, width in (("top", margin_twips), ("left", 108), ("bottom", margin_twips), ("right", 108)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(width))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    look = tblpr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(mar)
    else:
        tblpr.append(mar)
    for row in t.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.line_spacing = line


def _lines(cell, lines: list[str], *, font: str = kit.HEITI, size: str = "五号", bold: bool | None = None,
           align: str = "center") -> None:
    """A cell of several fixed lines (a column header printed over two lines)."""
    kit.cell_text(cell, lines[0], font=font, size=size, bold=bold, align=align)
    for line in lines[1:]:
        p = kit.para(cell, align=align)
        kit.add_run(p, line, font=font, size=size, bold=bold)


def _header_cell(cell, text: str | list[str], *, note: str | None = None) -> None:
    """A column header; ``note`` is a superscript note mark (附件3: 指标¹ → 注1)."""
    _lines(cell, [text] if isinstance(text, str) else text)
    if note:
        run = kit.add_run(cell.paragraphs[-1], note, font=kit.HEITI, size="五号")
        run.font.superscript = True


def _heading(doc, annex: str, title: str, *, title_size: str = "小二") -> None:
    kit.para(doc, annex, font=kit.HEITI, size="三号", align="left")
    kit.para(doc, title, font=kit.HEITI, size=title_size, align="center", space_before=6, space_after=12)


def set_font_of_last(cell, font: str) -> None:
    run = cell.paragraphs[-1].runs[-1]
    kit.set_font(run, font)


def _answer_cell(cell, *, hint: bool, boxes: str | None, size: str = "小五") -> None:
    """符合性说明 (及证明材料索引): the seed's hint for the column (近零碳 prints one per row),
    the compliance check boxes where the form asks 是否符合, the statement, the evidence."""
    first = True

    def line(text: str, align: str = "left") -> None:
        nonlocal first
        if first:
            kit.cell_text(cell, text, size=size, align=align, valign="center")
            first = False
        else:
            p = kit.para(cell, align=align)
            kit.add_run(p, text, size=size)

    if hint:  # the seed's own text of the cell, in 楷体 to set it apart from the answer
        line("{%p if r.item.evidence_hint %}")
        line("{{ r.item.evidence_hint }}")
        set_font_of_last(cell, kit.KAITI)
        line("{%p endif %}")
    if boxes:
        line(f"{{{{ {boxes} | boxes(r.answer.status, '  ') }}}}")
    line("{{ r.answer.statement | ml }}")
    line("{%p if r.answer.evidence %}")
    line("证明材料：{{ r.evidence_index }}")
    line("{%p endif %}")


# The 是否符合 options of a basic requirement; 不适用 only where the scheme says the row
# applies only in some cases (绿色工厂: “对利益相关方的环境要求做出承诺的…”).
BASIC_BOXES = "(['符合', '不符合', '不适用'] if r.item.applicable_only else ['符合', '不符合'])"


# --- looped tables -----------------------------------------------------------------------


@dataclass
class Column:
    """One column of a looped table: header, width, and what its looped cell shows."""

    header: str | list[str] | None  # None: no text (merged with the header on its left)
    width: float
    expr: str | None = None  # jinja expression printed in the cell
    merge: str | None = None  # group key ("@.item.category"): merged down while it stays the same
    valign: str = "center"
    align: str = "center"
    answer: dict | None = None  # an answer cell: keyword arguments of _answer_cell
    note: str | None = None  # superscript note mark in the header


@dataclass
class LoopTable:
    columns: list[Column]
    loop: str  # "for r in indicator_rows"
    var: str = "r"
    total: tuple[str, str] | None = None  # ("总分", "score.total | num"): a last row, label merged
    size: str = "五号"


def looped_table(doc, spec: LoopTable):
    """Header row + one looped row (+ a total row): the shape of every Suzhou table."""
    cols = spec.columns
    rows = 2 + (1 if spec.total else 0)
    t = kit.table(doc, rows, len(cols), [c.width for c in cols], size=spec.size)
    for cell, col in zip(t.rows[0].cells, cols):
        if col.header is not None:
            _header_cell(cell, col.header, note=col.note)
    kit.repeat_header(t, 1)
    for cell, col in zip(t.rows[1].cells, cols):
        if col.answer is not None:
            _answer_cell(cell, **col.answer)
        elif col.merge:
            merge_down(cell, col.merge, spec.var, col.expr or "''", valign=col.valign)
        else:
            kit.cell_text(cell, f"{{{{ {col.expr} }}}}", align=col.align, table_=t)
    if spec.total:
        label, value = spec.total
        kit.merge(t, 2, 0, 2, len(cols) - 2, label, font=kit.HEITI)
        kit.cell_text(t.cell(2, len(cols) - 1), f"{{{{ {value} }}}}", table_=t)
    # Rows may break across pages, as in the seed (000 附件1-2 splits “获得近三年温室气体排放量
    # 第三 | 方核查声明” over a page). Rows marked cantSplit next to vertically merged cells
    # make LibreOffice end pages early, leaving up to half a page blank.
    kit.loop_rows(t, 1, spec.loop, len(cols))
    roomy(t)
    return t


# --- 附件1-1 基本要求 --------------------------------------------------------------------


def nzc_basic() -> Path:
    """近零碳 附件1-1: 序号 | 基本要求 | 符合性说明 (the seed's hint, then the answer)."""
    doc = kit.new_document()
    _heading(doc, "附件1-1", "基本要求")
    looped_table(doc, LoopTable(
        loop="for r in basic_rows",
        columns=[
            Column("序号", 10, "r.item.no"),
            Column("基本要求", 52, "r.item.text", align="left"),
            Column("符合性说明", 94, answer={"hint": True, "boxes": BASIC_BOXES}),
        ],
    ))
    return kit.save(doc, "suzhou-nzc-basic")


def green_basic() -> Path:
    """绿色工厂 附件1-1: 基本要求 (group | text) | 是否符合 | 符合性说明及证明材料索引."""
    doc = kit.new_document()
    _heading(doc, "附件1-1", "基本要求")
    t = looped_table(doc, LoopTable(
        loop="for r in basic_rows",
        columns=[
            Column("基本要求", 24, "r.item.group", merge="@.item.group"),
            Column(None, 50, "r.item.text", align="left"),
            Column("是否符合", 18, f"{BASIC_BOXES} | boxes(r.answer.status, ' ')"),
            Column("符合性说明及证明材料索引", 64, answer={"hint": False, "boxes": None}),
        ],
    ))
    # The seed's header "基本要求" spans the group and the text columns.
    kit.merge(t, 0, 0, 0, 1, "基本要求", font=kit.HEITI)
    return kit.save(doc, "suzhou-green-basic")


# --- 附件1-2 评价指标要求 ------------------------------------------------------------------

_CATEGORY = "@.item.category"
_SUBCATEGORY = "(@.item.category, @.item.subcategory)"


def _indicator_columns(answer_header: str, answer_width: float, *, hint: bool) -> list[Column]:
    return [
        Column("序号", 10, "r.item.no", merge=_CATEGORY, valign="top"),
        Column("一级指标", 17, "r.item.category", merge=_CATEGORY, valign="top"),
        Column("二级指标", 19, "r.item.subcategory", merge=_SUBCATEGORY),
        Column("具体评价要求", 66, "r.item.requirement", align="left"),
        Column(answer_header, answer_width, answer={"hint": hint, "boxes": None}),
    ]


def nzc_indicators() -> Path:
    """近零碳 附件1-2: 序号 | 一级指标 | 二级指标 | 具体评价要求 | 符合性说明 | 要求类型 | 分值 | 得分;
    landscape (the filled 符合性说明 makes the table wide); ends with “满分 100 分。”."""
    doc = kit.new_document(landscape=True)
    _heading(doc, "附件1-2", "评价指标要求")
    looped_table(doc, LoopTable(
        loop="for r in indicator_rows",
        columns=_indicator_columns("符合性说明", 91, hint=True) + [
            Column("要求类型", 14, "r.item.type"),
            Column("分值", 12, "r.item.max_points | num"),
            Column("得分", 14, "'不适用' if r.answer.status == '不适用' else num(r.points)"),
        ],
        total=("总分", "score.total | num"),
    ))
    kit.para(doc, "满分 100 分。", size="四号", space_before=6)
    return kit.save(doc, "suzhou-nzc-indicators")


def green_indicators() -> Path:
    """绿色工厂 附件1-2: … | 要求类型 | 分值 | 权重 | 得分, 要求类型 merged per run within a
    二级指标 and 权重 per 一级指标 as in the seed; its own 总分 row; “满分 100 分。”."""
    doc = kit.new_document(landscape=True)
    _heading(doc, "附件1-2", "评价指标要求")
    looped_table(doc, LoopTable(
        loop="for r in indicator_rows",
        columns=_indicator_columns("符合性说明及证明材料索引", 81, hint=False) + [
            Column("要求类型", 14, "r.item.type", merge="(@.item.category, @.item.subcategory, @.item.type)"),
            Column("分值", 11, "r.item.max_points | num"),
            Column("权重", 11, "(r.weight * 100) | pct(0)", merge=_CATEGORY, valign="top"),
            Column("得分", 14, "'不适用' if r.answer.status == '不适用' else num(r.points)"),
        ],
        total=("总分", "score.total | num"),
    ))
    kit.para(doc, "满分 100 分。", size="四号", space_before=6)
    # the 总分 above rebuilt from the rows' 得分 and the weights
    kit.category_summary(doc, [36, 30, 100, 30, 20, 30],
                         totals=[("总分（Σ加权得分）", "{{ num(score.indicator_total, 2, strip=False) }}")])
    return kit.save(doc, "suzhou-green-indicators")


# --- 附件1-4 / 附件1-3 项目节能量、综合节能率评分表 ---------------------------------------------


@dataclass
class SavingTable:
    form_id: str
    annex: str  # as the seed prints it, with its colon
    headers: list[list[str]]  # the three column headers, each over two lines
    notes: list[str]  # 注1–注3 verbatim
    cap_words: str  # the seed's own words for the last row of the worked-out table


_ES = "x.energy_saving"


def _target(expr: str, digits: int) -> str:
    # A target printed "—" in the seed is None in the scheme data: print the dash again.
    return f"{{{{ {expr} | num({digits}) if {expr} is not none else '—' }}}}"


def energy_saving(spec: SavingTable) -> Path:
    """The seed's table (bands from the scheme data, the dossier's band shaded), its notes,
    then the score worked out for the dossier from ``x.energy_saving``."""
    doc = kit.new_document()
    _heading(doc, spec.annex, "项目节能量、综合节能率评分表")
    t = kit.table(doc, 2, 3, [52, 52, 52])
    for cell, lines in zip(t.rows[0].cells, spec.headers):
        _lines(cell, lines)
    row = t.rows[1].cells
    kit.cell_text(row[0], "{{ row.label }}", table_=t)
    kit.cell_text(row[1], _target("row.saving_target", 4), table_=t)
    kit.cell_text(row[2], _target("row.rate_target", 2), table_=t)
    for cell in row:
        shade_if(cell, f"row.label == {_ES}.band")
    kit.loop_rows(t, 1, "for row in s.lookup_tables.energy_saving.rows", 3)
    roomy(t, margin_twips=28, line=1.0)  # one short line per cell: less room keeps the form on one page
    for i, note in enumerate(spec.notes):
        kit.para(doc, note, size="小四", space_before=6 if i == 0 else 0)

    # Worked out for the dossier (not part of the seed's blank table).
    kit.para(doc, "{{ d.subject.name }}评分", font=kit.HEITI, size="四号", space_before=8, space_after=4,
             keep_with_next=True)
    w = kit.table(doc, 6, 5, [46, 24, 30, 36, 20])
    kit.cell_text(w.cell(0, 0), "上年度综合能耗（当量）", table_=w)
    kit.merge(w, 0, 1, 0, 4, f"{{{{ {_ES}.consumption_10k | num(4) }}}} 万tce/a"
              f"（{{{{ {_ES}.year }}}}年 {{{{ {_ES}.consumption_tce | num(2) }}}} tce）")
    kit.cell_text(w.cell(1, 0), "所属档次", table_=w)
    kit.merge(w, 1, 1, 1, 4, f"{{{{ {_ES}.band }}}}")
    kit.fill_row(w, 2, ["评分项", "目标", "实际", "计算", "得分"], font=kit.HEITI)
    lines = [
        ("项目节能量（等价）万tce/a", "saving_target", "saving_10k", "saving_score", 4),
        ("综合节能率 %", "rate_target", "rate_pct", "rate_score", 2),
    ]
    for i, (label, target, actual, score, digits) in enumerate(lines, 3):
        calc = (f"{{{{ ({_ES}.{actual} | num({digits})) ~ '÷' ~ ({_ES}.{target} | num({digits})) ~ '×' ~ "
                f"({_ES}.multiplier | num) if {_ES}.{score} is not none else "
                f"('本档无此目标，不计' if {_ES}.{target} is none else '') }}}}")
        kit.fill_row(w, i, [label, _target(f"{_ES}.{target}", digits), f"{{{{ {_ES}.{actual} | num({digits}) }}}}",
                            calc, f"{{{{ {_ES}.{score} | num }}}}"])
    kit.merge(w, 5, 0, 5, 3, spec.cap_words, font=kit.HEITI)
    kit.cell_text(w.cell(5, 4), f"{{{{ {_ES}.points | num }}}}", table_=w, font=kit.HEITI)
    roomy(w, margin_twips=36)  # the form, notes included, fits one page
    for row in w.rows[:-1]:  # the worked-out table stays on one page
        for p in row.cells[0].paragraphs:
            p.paragraph_format.keep_with_next = True
    kit.para(doc, f"{{%p if {_ES}.projects %}}")
    kit.para(doc, f"项目实际年节能量计入：{{{{ {_ES}.projects | join }}}}（{{{{ {_ES}.year }}}}年实施的节能提效项目，"
                  f"合计 {{{{ {_ES}.saving_tce | num(2) }}}} tce）。", size="小四", space_before=6)
    kit.para(doc, "{%p endif %}")
    kit.para(doc, f"{{%p for n in {_ES}.notes %}}")
    kit.para(doc, "{{ n }}。", size="小四")
    kit.para(doc, "{%p endfor %}")
    kit.para(doc, f"{{%p if {_ES}.missing %}}")
    kit.para(doc, f"尚缺：{{{{ {_ES}.missing | join('；') }}}}。", size="小四")
    kit.para(doc, "{%p endif %}")
    return kit.save(doc, spec.form_id)


NZC_SAVING = SavingTable(
    form_id="suzhou-nzc-energy-saving",
    annex="附件1-4：",
    headers=[["上年度综合能耗（当量）", "万 tce/a"], ["项目年节能量目标（等价）", "万 tce/a"], ["综合节能率目标", "%"]],
    notes=["注 1：项目节能量得分=项目实际年节能量÷项目年节能量目标×2.5；",
           "注 2：综合节能率得分=综合年节能率÷综合节能率目标×2.5；",
           "注 3：项目节能量得分、综合节能率得分两者取高，最高不超过 2.5 分。"],
    cap_words="得分（两者取高，最高不超过 2.5 分）",
)

GREEN_SAVING = SavingTable(
    form_id="suzhou-green-energy-saving",
    annex="附件1-3:",
    headers=[["上年度综合能耗(当量)", "万 tce/a"], ["项目年节能量目标 (等价)", "万 tce/a"], ["综合节能率目标", "%"]],
    notes=["注 1: 项目节能量得分=项目实际年节能量÷项目年节能量目标×4;",
           "注 2: 综合节能率得分=综合年节能率÷综合节能率目标×4;",
           "注 3: 项目节能量得分、综合节能率得分两者取高, 最高不超过 4 分。"],
    cap_words="得分（两者取高, 最高不超过 4 分）",
)


# --- 附件3 年度总结及下一年度计划 (近零碳) ---------------------------------------------------


# 本年度温室气体排放指标: the enterprise's text; without one, the year's figures (注1: 范围1
# 和范围2), so the cell is never empty when the dossier has the emissions.
GHG_CELL = ("(e.narrative.ghg_indicator | ml) if e.narrative.ghg_indicator else "
            "'范围1：' ~ (e.yd[e.last].emissions.scope1 | num) ~ ' tCO2e；范围2：' ~ "
            "(e.yd[e.last].emissions.scope2 | num) ~ ' tCO2e；合计：' ~ (e.fig[e.last].scope12 | num) ~ ' tCO2e'")


def nzc_annual() -> Path:
    """近零碳 附件3: one row per enterprise (``entries``: the dossier alone when rendered,
    every dossier of a district with ``dossier summary``). The seed's title reads “2022 年度
    总结及 2023 年度计划” for the 2023 notice: the years are Y−1 and Y."""
    doc = kit.new_document(landscape=True)
    _heading(doc, "附件3", "苏州市“近零碳”工厂{{ Y - 1 }}年度总结及{{ Y }}年度计划", title_size="小二")
    looped_table(doc, LoopTable(
        loop="for e in entries",
        var="e",
        columns=[
            Column("序号", 8, "loop.index"),
            Column("企业名称", 20, "e.d.subject.name"),
            Column("所在市（区）", 15, "e.d.subject.city"),
            Column("行业", 15, "e.d.subject.industry"),
            Column("本年度节能降碳、绿色发展工作及成效（400 字以内）", 50, "e.narrative.work_results | ml",
                   align="left"),
            Column("本年度温室气体排放指标", 44, GHG_CELL, align="left", note="1"),
            Column("本年度温室气体中和路径", 42, "e.narrative.neutral_path | ml", align="left", note="2"),
            Column("下一年度节能降碳、绿色发展主要措施及目标（300 字以内）", 49,
                   "e.narrative.next_year_plan | ml", align="left"),
        ],
        size="小五",
    ))
    kit.para(doc, "注：1、主要填写范围 1 和范围 2 温室气体排放情况，注明排放源；", size="小四", space_before=6)
    kit.para(doc, "2、说明不同排放源的中和路径。", size="小四", indent_chars=2)
    return kit.save(doc, "suzhou-nzc-annual")


# --- 附件2 培育计划汇总表 (近零碳, .xlsx) -----------------------------------------------------

PLAN_HEADERS = [
    ("序号", 6, "{{ n }}"),
    ("企业名称", 22, "{{ d.subject.name }}"),
    ("所在市（区）", 13, "{{ d.subject.city }}"),
    ("行业", 14, "{{ d.subject.industry }}"),
    ("主要产品", 18, "{{ d.subject.main_products | join }}"),
    ("基础条件（企业简介和绿色制造、碳\n减排方面的特色亮点，不超 400 字）", 60, "{{ narrative.basis }}"),
    ("“近零碳”工厂建设的目标及措施\n（不超 400 字）", 60, "{{ narrative.goals }}"),
]


def nzc_plan_summary() -> Path:
    """近零碳 附件2: the bureau's table, header as the seed's, one row per enterprise. The
    batch in the title (seed: “第二批”) is the bureau's to fill: no dossier knows it."""
    wb = Workbook()
    ws = wb.active
    ws.title = "培育计划汇总表"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=kit.FANGSONG, size=11)
    head = Font(name=kit.HEITI, size=11, bold=True)
    ncols = len(PLAN_HEADERS)
    ws["A1"] = "附件2"
    ws["A1"].font = Font(name=kit.HEITI, size=14)
    ws["A2"] = "{{ Y }}年度苏州市“近零碳”工厂（第    批）培育计划汇总表"
    ws["A2"].font = Font(name=kit.HEITI, size=18)
    ws["A2"].alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    ws.row_dimensions[2].height = 36
    for col, (header, width, tag) in enumerate(PLAN_HEADERS, 1):
        letter = ws.cell(3, col).column_letter
        ws.column_dimensions[letter].width = width
        h = ws.cell(3, col, header)
        h.font, h.border = head, border
        h.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c = ws.cell(4, col, tag)
        c.font, c.border = body, border
        wide = col >= 6
        c.alignment = Alignment(horizontal="left" if wide else "center", vertical="center" if not wide else "top",
                                wrap_text=True)
    ws.row_dimensions[3].height = 48
    # openpyxl cannot fit a row to its text and LibreOffice keeps the default height: the
    # row template is tall enough for the 400 characters the seed allows per column
    # (about 40 characters a line at this width in LibreOffice), and every row written copies it.
    ws.row_dimensions[4].height = 180
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.6, right=0.6, top=0.8, bottom=0.8)
    path = kit.TEMPLATES / "suzhou-nzc-plan-summary.xlsx"
    wb.properties.title = "suzhou-nzc-plan-summary"
    wb.properties.creator = "dossier"
    wb.save(path)
    return path


def build() -> list[Path]:
    return [
        nzc_basic(), nzc_indicators(), energy_saving(NZC_SAVING), nzc_plan_summary(), nzc_annual(),
        green_basic(), green_indicators(), energy_saving(GREEN_SAVING),
    ]
