"""The Jiangsu forms (seed 002): 附件2 入库申报表 and 附件3 申报书, rendered from the bundled
example and read back as a reviewer would: labels in the seed's order, values in their
cells, check boxes, the self-assessment tables, the 填报说明's typography, and the PDF with
a 目录 whose page numbers are the headings' pages."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Emu, Pt

from dossier.loader import load_dossier
from dossier.render import render_forms
from dossier.render.forms import to_pdf
from dossier.render.extras.jiangsu_zero_carbon_factory import intake_conditions

from .forms_support import EXAMPLES, docx_fulltext, find_row, leftovers, squash, tables, value_after

SCHEME = "jiangsu-zero-carbon-factory"
INTAKE, APPLICATION = "jiangsu-intake-form", "jiangsu-application"
FORMS = [INTAKE, APPLICATION]
NAME = "常州澜衡汽车零部件有限公司"


@pytest.fixture(scope="module")
def loaded():
    return load_dossier(EXAMPLES / SCHEME)


@pytest.fixture(scope="module")
def rendered(loaded, tmp_path_factory):
    out = tmp_path_factory.mktemp("jiangsu")
    forms = render_forms(loaded, form_ids=FORMS, out_dir=out)
    return {f.form.id: f for f in forms}


@pytest.fixture(scope="module")
def paths(rendered) -> dict[str, Path]:
    return {form_id: f.path for form_id, f in rendered.items()}


@pytest.fixture(scope="module")
def pdfs(rendered) -> dict[str, Path]:
    """Both forms converted in one LibreOffice batch."""
    forms = list(rendered.values())
    to_pdf(forms)
    for f in forms:
        assert f.pdf is not None, f.pdf_error
    return {f.form.id: f.pdf for f in forms}


def _render_variant(loaded_dossier, tmp_path: Path, form_id: str) -> Path:
    (form,) = render_forms(loaded_dossier, form_ids=[form_id], out_dir=tmp_path)
    return form.path


# --- 附件2 入库申报表 ---------------------------------------------------------------------


def test_intake_values_in_their_cells(paths):
    path = paths[INTAKE]
    assert squash(value_after(path, "企业名称")) == NAME
    assert squash(value_after(path, "企业地址")) == "江苏省常州市武进国家高新技术产业开发区凤林南路188号"
    assert squash(value_after(path, "企业法人代表及联系电话")) == "周振衡0519-86512368"
    assert squash(value_after(path, "具体负责人及联系电话")) == "陆晓岚0519-8651237113961287405"
    text = docx_fulltext(path)
    assert "填表人及联系电话：陆晓岚 0519-86512371" in text
    assert "填表时间：2026年11月20日" in text
    # The 400-character 主要措施与计划, paragraph by paragraph, in its cell.
    cell = next(c for row in tables(path)[0] for c in row if c.startswith("零碳（近零碳）工厂培育建设的主要措施与计划"))
    assert "力争2028年自主减排比例达到80%以上，建成零碳工厂。" in cell


def test_intake_boxes_follow_the_basic_conditions(paths):
    lines = [line for line in docx_fulltext(paths[INTAKE]).splitlines() if re.match(r"^\d\.[☑□]", line)]
    assert [line[:3] for line in lines] == [f"{n}.{'□' if n == 3 else '☑'}" for n in range(1, 10)]
    # 3 is 不适用 in the example (如无…则不适用): the box never claims 符合; the row says 不适用.
    assert lines[2].startswith("3.□单位产品、工序能耗") and lines[2].endswith("（不适用）")


def test_intake_boxes_unticked_for_unmet_conditions(loaded, tmp_path):
    variant = loaded.dossier.model_copy(deep=True)
    variant.basic_conditions["BC1"].status = "不符合"
    bc5 = variant.basic_conditions["BC5"]
    bc5.status = "部分符合"
    bc5.components = ["（1）近三年来正常经营生产，未发生工商注销、连续停产12个月以上、被市场监督管理部门列入经营异常名单且未被移出等情况；",
                      "近三年来未被列为失信被执行人"]
    path = _render_variant(replace(loaded, dossier=variant), tmp_path, INTAKE)
    lines = [line for line in docx_fulltext(path).splitlines() if re.match(r"^\d\.[☑□]", line)]
    assert [line[:3] for line in lines] == ["1.□", "2.☑", "3.□", "4.☑", "5.☑", "6.□", "7.□", "8.□", "9.☑"]


def test_intake_conditions_split_condition_5_into_boxes_5_to_9(loaded):
    rows = intake_conditions(loaded)
    assert [r.no for r in rows] == list(range(1, 10))
    assert rows[4].text.startswith("近三年来正常经营生产") and rows[4].text.endswith("等情况。")
    assert all(r.text.endswith("。") and not r.text.startswith("（") for r in rows)


# --- 附件3 申报书: cover, 基本信息表, report ---------------------------------------------------


def test_cover_values(paths):
    path = paths[APPLICATION]
    assert squash(value_after(path, "企业名称：")) == NAME
    assert squash(value_after(path, "地    址：")).startswith("江苏省常州市武进")
    assert squash(value_after(path, "联 系 人：")) == "陆晓岚"
    assert squash(value_after(path, "电    话：")) == "0519-86512371"
    assert squash(value_after(path, "填报日期：")) == "2026年11月20日"


def test_basic_information_table_and_its_check_boxes(paths):
    path = paths[APPLICATION]
    assert squash(value_after(path, "企业名称")) == NAME
    assert squash(value_after(path, "所属行业")) == "汽车零部件及配件制造（3670）"
    assert squash(value_after(path, "绿色工厂类别")) == "□国家级☑省级"
    assert squash(value_after(path, "绿色制造\n其他相关荣誉")) == "□绿色供应链管理企业□工业产品绿色设计示范企业"
    assert squash(value_after(path, "申报类型")) == "☑近零碳工厂□零碳工厂"


def test_check_boxes_follow_the_dossier(loaded, tmp_path):
    variant = loaded.dossier.model_copy(deep=True)
    variant.application_type = "zero"
    variant.subject.green_factory.level = "国家级"
    variant.subject.honours.append(variant.subject.honours[0].model_copy(update={"name": "国家级绿色供应链管理企业"}))
    path = _render_variant(replace(loaded, dossier=variant), tmp_path, APPLICATION)
    assert squash(value_after(path, "绿色工厂类别")) == "☑国家级□省级"
    assert squash(value_after(path, "绿色制造\n其他相关荣誉")) == "☑绿色供应链管理企业□工业产品绿色设计示范企业"
    assert squash(value_after(path, "申报类型")) == "□近零碳工厂☑零碳工厂"
    # The 确认标准 switch to the 零碳 threshold (80 %), which the example's 52 % does not reach.
    row = find_row(path, "零碳工厂自主减排比例不低于80%")
    assert row[-1] == "不符合"


def test_report_sections_carry_the_narratives_paragraph_by_paragraph(paths, loaded):
    doc = Document(str(paths[APPLICATION]))
    body = [(p.style.name, p.text) for p in doc.paragraphs]
    headings = [text for style, text in body if style in ("Heading 1", "Heading 2")]
    assert headings == ["一、基本信息表", "二、零碳（近零碳）工厂自评价报告", "一、企业基本情况",
                        "二、零碳（近零碳）工厂建设情况", "三、零碳（近零碳）工厂申报条件与确认标准符合性情况",
                        "四、持续改进与提升计划", "附件  江苏省零碳（近零碳）工厂申报材料清单"]
    paragraphs = [text for style, text in body if style == "Body Text"]
    for narrative_id in ("overview", "construction", "conformity", "improvement_plan"):
        for para in loaded.dossier.narratives[narrative_id].splitlines():
            if para.strip():
                assert para.strip() in paragraphs
    # Each section's text follows its own heading.
    at = {text: i for i, (_, text) in enumerate(body)}
    first_of_plan = loaded.dossier.narratives["improvement_plan"].splitlines()[0]
    assert at["四、持续改进与提升计划"] < at[first_of_plan] < at["附件  江苏省零碳（近零碳）工厂申报材料清单"]


def test_basic_conditions_table_lists_every_condition_with_its_self_assessment(paths, loaded):
    path = paths[APPLICATION]
    for cond in loaded.scheme.basic_conditions:
        row = find_row(path, cond.group)
        answer = loaded.dossier.basic_conditions[cond.id]
        assert row[0] == str(cond.no)
        assert squash(row[2]) == squash("".join(cond.items) or cond.text)
        assert row[3] == answer.status
        assert row[4] == answer.statement
        for ref in answer.evidence:
            assert Path(ref).name in row[5].splitlines()


def test_indicator_table_lists_every_row_with_points_and_merged_categories(paths, loaded):
    path = paths[APPLICATION]
    (table,) = [t for t in tables(path) if t[0][:5] == ["序号", "指标名称", "具体要求", "分值", "得分"]]
    body = [row for row in table[1:] if row[0].isdigit()]
    assert [int(row[0]) for row in body] == [i.no for i in loaded.scheme.indicators]
    points = {"I01": "10", "I02": "6", "I09": "0", "I10": "5.5"}
    for ind, row in zip(loaded.scheme.indicators, body):
        answer = loaded.dossier.indicators[ind.id]
        assert row[1] == ind.category and row[2] == ind.requirement
        assert row[3] == f"{ind.max_points:g}" and row[5] == answer.status and row[6] == answer.statement
        if ind.id in points:
            assert row[4] == points[ind.id]
    assert table[-1][0] == "合计" and table[-1][3] == "100" and table[-1][4] == "82.5"
    # 一级 cells merged vertically as in the official table: one cell per category.
    doc = Document(str(path))
    xml_table = next(t for t in doc.tables if len(t.columns) == 8)
    merges = []
    for tr in xml_table._tbl.tr_lst[1:-1]:
        vmerge = tr.tc_lst[1].find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
        merges.append("continue" if vmerge is not None and vmerge.get(qn("w:val"), "continue") == "continue" else "new")
    # 能源 1–2, 产品 3–4, 基础设施 5–6, 生产运营 7–9, 碳管理平台 10, 温室气体核算 11–16.
    assert [i + 1 for i, m in enumerate(merges) if m == "new"] == [1, 3, 5, 7, 10, 11]


def test_confirmation_criteria_with_computed_figures(paths, loaded):
    path = paths[APPLICATION]
    assert find_row(path, "符合基本条件")[2] == "基本条件5项：符合4项，不适用1项，不符合0项"
    row = find_row(path, "类别1+类别2碳排放量100%抵消")
    # The engine's figures (dossier score): 类别2 on the factor the 指南 五（八） prescribes
    # (0.6096), as the 附件1-1 row and the narrative print them — not 13934.9 / 113.8 %.
    assert row[2] == "2025年类别1和类别2排放量15744.0 tCO2e，碳抵消量15852.4 tCO2e，抵消比例100.7%"
    assert row[3] == "符合"
    row = find_row(path, "近零碳工厂自主减排比例不低于50%")
    assert row[2] == "基准线情景温室气体排放量29057.2 tCO2e，温室气体减排量15122.3 tCO2e，自主减排比例52.0%"
    assert row[3] == "符合"
    assert find_row(path, "评价得分不低于80分")[2:] == ["评价得分82.5分（附件1-2）", "符合"]


def test_year_words_follow_the_reporting_year(loaded, tmp_path):
    variant = loaded.dossier.model_copy(deep=True)
    variant.reporting_year += 1
    variant.years = {year + 1: data for year, data in variant.years.items()}
    for offset in variant.offsets:
        offset.year += 1
    path = _render_variant(replace(loaded, dossier=variant), tmp_path, APPLICATION)
    assert find_row(path, "类别1+类别2碳排放量100%抵消")[2].startswith("2026年类别1和类别2排放量")
    assert "2025年" not in find_row(path, "类别1+类别2碳排放量100%抵消")[2]


def test_attachment_list_keeps_the_official_numbers_and_marks_what_is_not_attached(paths, loaded):
    path = paths[APPLICATION]
    (table,) = [t for t in tables(path) if t[0] == ["序号", "材料名称", "文件"]]
    # 附件1-3 申报材料清单: items 1–14 with their official numbers, none dropped
    assert [row[0] for row in table[1:]] == [str(n) for n in range(1, 15)]
    assert [row[1] for row in table[1:]] == [e.title for e in loaded.scheme.evidence_list]
    intake, application = loaded.scheme.evidence_list[1], loaded.scheme.evidence_list[2]
    assert find_row(path, intake.title)[2] == "见附件2（另行提交）"  # the forms say where they are
    assert find_row(path, application.title)[2] == "即本申报书"
    row = find_row(path, "获得省级及以上绿色工厂的发文")
    assert row[2] == "省工业和信息化厅关于公布2023年度江苏省绿色工厂名单的通知.pdf"


def test_blank_fields_stay_blank(loaded, tmp_path):
    variant = loaded.dossier.model_copy(deep=True)
    variant.subject.industry = None
    variant.subject.industry_codes = []
    variant.fill_date = None
    variant.narratives.pop("overview")
    path = _render_variant(replace(loaded, dossier=variant), tmp_path, APPLICATION)
    assert value_after(path, "所属行业") == ""
    assert value_after(path, "填报日期：") == ""
    assert not leftovers(path)


# --- typography of the 申报书 (填报说明 4) ---------------------------------------------------


def _styles_chain(style):
    while style is not None:
        yield style
        style = style.base_style


def _east_asia(el) -> str | None:
    rpr = el.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    if fonts is None:
        return None
    assert fonts.get(qn("w:eastAsiaTheme")) is None, "a theme font would override w:eastAsia"
    return fonts.get(qn("w:eastAsia"))


def effective(paragraph, run) -> dict:
    """The font, size, bold and line spacing Word applies to ``run``: direct formatting first,
    then the paragraph's style and the styles it is based on."""
    styles = list(_styles_chain(paragraph.style))
    font = _east_asia(run._r) or next((f for s in styles if (f := _east_asia(s.element))), None)
    size = run.font.size or next((s.font.size for s in styles if s.font.size), None)
    bold = run.font.bold if run.font.bold is not None else next((s.font.bold for s in styles if s.font.bold is not None), False)
    fmt = [paragraph.paragraph_format] + [s.paragraph_format for s in styles]
    line = next((f.line_spacing for f in fmt if f.line_spacing is not None), None)
    rule = next((f.line_spacing_rule for f in fmt if f.line_spacing_rule is not None), None)
    return {"font": font, "size": size, "bold": bool(bold), "line": line, "rule": rule}


def _runs(paragraphs):
    for p in paragraphs:
        for run in p.runs:
            if run.text.strip():
                yield p, run


def test_headings_and_body_have_the_typography_of_the_instructions(paths):
    doc = Document(str(paths[APPLICATION]))
    want = {
        "Heading 1": {"font": "黑体", "size": Pt(16), "bold": False},
        "Heading 2": {"font": "楷体_GB2312", "size": Pt(16), "bold": True},
        "Body Text": {"font": "仿宋_GB2312", "size": Pt(16), "bold": False},
    }
    seen = {name: 0 for name in want}
    for p, run in _runs(doc.paragraphs):
        if p.style.name not in want:
            continue
        got = effective(p, run)
        assert {k: got[k] for k in ("font", "size", "bold")} == want[p.style.name], p.text[:30]
        assert got["rule"] == WD_LINE_SPACING.EXACTLY and got["line"] == Pt(29), p.text[:30]
        seen[p.style.name] += 1
    assert seen["Heading 1"] == 3 and seen["Heading 2"] == 4 and seen["Body Text"] > 20
    normal = doc.styles["Normal"]
    assert _east_asia(normal.element) == "仿宋_GB2312" and normal.font.size == Pt(16)
    assert normal.paragraph_format.line_spacing == Pt(29)


def test_tables_use_fangsong_and_fit_the_page(paths):
    doc = Document(str(paths[APPLICATION]))
    basic_info = doc.tables[1]  # [0] is the cover's fill-in lines
    assert basic_info.rows[0].cells[0].text == "企业名称"
    for row in basic_info.rows:
        for p, run in _runs(row.cells[-1].paragraphs):
            got = effective(p, run)
            assert (got["font"], got["size"], got["line"]) == ("仿宋_GB2312", Pt(16), Pt(29))
    for table in doc.tables[2:]:
        for p, run in _runs(c for cell in table.rows[1].cells for c in cell.paragraphs):
            assert effective(p, run)["font"] == "仿宋_GB2312"
    # A4 everywhere, and no table wider than its section's text width.
    body = doc.element.body
    for section in doc.sections:
        assert {round(section.page_width.mm), round(section.page_height.mm)} == {210, 297}
    sections, current = [], 0
    for child in body.iterchildren():
        if child.tag == qn("w:tbl"):
            sections.append((child, doc.sections[current]))
        elif child.tag == qn("w:p") and child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            current += 1
    for tbl, section in sections:
        width = sum(int(c.get(qn("w:w"))) for c in tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol")))
        text_width = section.page_width - section.left_margin - section.right_margin
        assert width <= Emu(text_width).twips + 5, (width, Emu(text_width).twips)
    assert (round(doc.sections[0].top_margin.mm), round(doc.sections[0].left_margin.mm)) == (37, 28)  # GB/T 9704


# --- PDF: Chinese labels, and a 目录 whose page numbers are right -----------------------------


def _pdf_pages(pdf: Path, mode: str = "-layout") -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return [subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), mode, str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout for i in range(1, count + 1)]


def test_pdf_table_of_contents_gives_the_headings_pages(pdfs):
    pages = _pdf_pages(pdfs[APPLICATION])
    toc = next(i for i, page in enumerate(pages) if "目录" in [squash(line) for line in page.splitlines()])
    # "二、零碳（近零碳）工厂自评价报告......2"; a long title wraps: "三、…符合性" / "情况......5".
    entries, pending = [], ""
    for line in pages[toc].splitlines():
        if squash(line) in ("", "目录"):
            continue
        m = re.match(r"^\s*(\S.*?)[\s.…]*?(\d+)\s*$", line)
        if m is None:
            pending += squash(line)
            continue
        entries.append((pending + squash(m.group(1)), int(m.group(2))))
        pending = ""
    assert [title for title, _ in entries] == [
        "一、基本信息表", "二、零碳（近零碳）工厂自评价报告", "一、企业基本情况", "二、零碳（近零碳）工厂建设情况",
        "三、零碳（近零碳）工厂申报条件与确认标准符合性情况", "四、持续改进与提升计划", "附件江苏省零碳（近零碳）工厂申报材料清单"]
    for title, number in entries:
        # The page whose own lines hold the heading, and the number its footer prints ("— 5 —").
        (page,) = [p for p in pages[toc + 1:] if title in [squash(line) for line in p.splitlines()]]
        footer = re.findall(r"—\s*(\d+)\s*—", page)
        assert footer and int(footer[-1]) == number, (title, number, footer)
    # The front matter (cover, 填报说明, 目录) carries no page number.
    assert not any(re.search(r"—\s*\d+\s*—", p) for p in pages[:toc + 1])
