"""The Zhengzhou green low-carbon factory forms (seed 004): 附件1 表1 基本要求评价表,
附件2 表2 评价导则 (得分), 附件3 表3 加分项评价表, 附件4 第三方评价报告 — each rendered
from the bundled example and read back as a reviewer would check it."""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document

from dossier.loader import load_dossier
from dossier.render import render_forms
from dossier.render.docx_form import render_docx
from dossier.render.templates import TemplateFile
from dossier.schemes import FormDef
from dossier.scoring import score_dossier

from .conftest import EXAMPLES, ROOT
from .forms_support import (docx_fulltext, find_row, leftovers, shows, squash,
                            tables, value_after)

sys.path.insert(0, str(ROOT))
from form_templates.build import kit  # noqa: E402

SCHEME = "zhengzhou-green-low-carbon-factory"
FORMS = ["zhengzhou-basic", "zhengzhou-guide", "zhengzhou-bonus", "zhengzhou-third-party"]


@pytest.fixture(scope="module")
def example():
    return load_dossier(EXAMPLES / SCHEME)


@pytest.fixture(scope="module")
def score(example):
    return score_dossier(example)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, example) -> dict[str, Path]:
    """Every form rendered once (labels, leftovers and the PDF are checked by test_forms.py)."""
    folder = tmp_path_factory.mktemp("zhengzhou")
    return {r.form.id: r.path for r in render_forms(example, form_ids=FORMS, out_dir=folder)}


@pytest.fixture(scope="module")
def out(rendered):
    return rendered


def _form(out: dict[str, Path], form_id: str) -> Path:
    return out[form_id]


def _value(text: str) -> float | None:
    """A printed figure read back as a number ("89.07" → 89.07; blank → None)."""
    m = re.search(r"-?\d+(?:\.\d+)?", text or "")
    return float(m.group(0)) if m else None


def _same(printed: str, value: float | None) -> bool:
    """The printed figure is ``value`` to the two decimals the forms print at most."""
    if value is None:
        return printed.strip() == ""
    got = _value(printed)
    return got is not None and abs(got - value) < 0.006


# --- 表1 基本要求评价表 -------------------------------------------------------------------


def test_basic_table_has_every_requirement_with_its_answer_in_its_group(out, example):
    path = _form(out, "zhengzhou-basic")
    for cond in example.scheme.basic_conditions:
        group, text, answer = find_row(path, cond.text)
        assert squash(group) == squash(cond.group)
        assert answer == example.dossier.basic_conditions[cond.id].status


def test_basic_table_groups_are_merged_vertically(out, example):
    (table,) = Document(str(_form(out, "zhengzhou-basic"))).tables
    groups = {row.cells[0]._tc for row in table.rows[1:]}  # the elements themselves: id() of freed proxies repeats
    assert len(groups) == len({c.group for c in example.scheme.basic_conditions}) == 3


# --- 表2 评价导则 -------------------------------------------------------------------------


def _row_with(rows: list[list[str]], text: str) -> list[str]:
    want = squash(text)
    found = [row for row in rows if any(squash(c) == want for c in row)]
    assert found, f"no row with {text!r}"
    return found[0]


def test_guide_is_the_official_table_and_its_scores_follow_in_the_tools_own_table(out, example):
    """表2 has the seed's seven columns (no 得分); the rows' 得分 follow in a separate table
    marked as the tool's, one row per row of 表2 in its order."""
    official, own = tables(_form(out, "zhengzhou-guide"))[:2]
    assert official[0] == ["序号", "一级指标", "二级指标", "具体评价要求", "要求类型", "分值", "权重"]
    assert own[0] == ["序号", "一级指标", "二级指标", "具体评价要求（摘录）", "要求类型", "分值", "得分"]
    assert len(official) == len(own) == 92  # 91 rows
    weights = {"基础设施": "20%", "管理体系": "15%", "能源与资源投入": "15%", "产品": "10%", "环境排放": "10%", "绩效": "30%"}
    for ind, row, score_row in zip(example.scheme.indicators, official[1:], own[1:]):
        no, category, subcategory, requirement, kind, max_points, weight = row
        assert (no, category, subcategory, kind) == (str(ind.no), ind.category, ind.subcategory, ind.type), ind.id
        assert squash(requirement) == squash(ind.requirement) and _value(max_points) == ind.max_points
        assert weight == weights[ind.category]
        assert score_row[:3] == [no, category, subcategory] and score_row[4:6] == [kind, max_points]
        assert squash(ind.requirement).startswith(squash(score_row[3]).rstrip("…"))
    assert "（本表由申报工具生成，列出上表各行的自评得分，不属于官方表格）" in docx_fulltext(_form(out, "zhengzhou-guide"))
    # the example's 不适用 row: I55 产品/减碳 “适用时，产品满足相关低碳产品要求”
    assert [r[6] for r in own[1:] if r[6] == "不适用"] == ["不适用"]


def _merged_cells(table, col: int) -> int:
    """How many cells column ``col`` of the body rows shows (a vertically continued cell
    belongs to the one above it)."""
    count = 0
    for row in table.rows[1:]:
        tc = row._tr.tc_lst[col]  # the guide's body rows span no columns
        count += tc.vMerge != "continue"
    return count


def test_guide_merges_first_and_second_level_cells_as_the_official_table(out, example):
    table = Document(str(_form(out, "zhengzhou-guide"))).tables[0]
    inds = example.scheme.indicators
    assert len(table.rows) - 1 == len(inds) == 91
    assert _merged_cells(table, 0) == _merged_cells(table, 1) == 6  # 序号, 一级指标: one cell per category
    assert _merged_cells(table, 6) == 6  # 权重: one per category, though 管理体系 and 能源与资源投入 both weigh 15%
    assert _merged_cells(table, 2) == len({(i.category, i.subcategory) for i in inds})  # 二级指标
    assert _merged_cells(table, 4) < 91  # 要求类型 merged within a 二级指标 where the seed leaves it blank
    for col in (3, 5):  # 具体评价要求, 分值: every row its own
        assert _merged_cells(table, col) == 91


def test_guide_summary_gives_category_scores_and_the_totals(out):
    """The example's figures, worked out by hand (tests/data/schemes.yaml): 18.4 + 14.4 + 13.35
    + 产品 (I55 不适用: 88 × 100 ÷ 97 = 90.72 × 0.1 = 9.07) + 8.2 + 25.65 = 89.07; + 5.1 = 94.17."""
    path = _form(out, "zhengzhou-guide")
    summary = tables(path)[2]
    assert summary[1:7] == [
        ["基础设施", "92.00", "—", "92.00", "20%", "18.40"],
        ["管理体系", "96.00", "—", "96.00", "15%", "14.40"],
        ["能源与资源投入", "89.00", "—", "89.00", "15%", "13.35"],
        ["产品", "88.00", "不适用 3 分：88 × 100 ÷ 97 = 90.72", "90.72", "10%", "9.07"],
        ["环境排放", "82.00", "—", "82.00", "10%", "8.20"],
        ["绩效", "85.50", "—", "85.50", "30%", "25.65"]]
    assert value_after(path, "指标得分（Σ一级指标得分×权重）") == "89.07"
    assert value_after(path, "加分（表3 绿色低碳工厂加分项评价表）") == "5.10"
    assert value_after(path, "得分（指标得分＋加分）") == "94.17"


# --- 表3 加分项评价表 ---------------------------------------------------------------------


def test_bonus_table_rows_points_and_the_bonus(out, example):
    """表3 as the seed prints it (five columns); the example's points, by hand: B1 20 + B2 5 +
    B4 5 + B5 6 + B7 10 + B9 5 = 51, × 10 % = 5.1, in the tool's table after it."""
    path = _form(out, "zhengzhou-bonus")
    official, own = tables(path)[:2]
    assert official[0] == ["序号", "具体要求", "要求类型", "分值", "权重"]
    for item in example.scheme.bonus:
        no, requirement, kind, max_points, weight = find_row(path, item.requirement)
        assert (no, kind, weight) == (str(item.no), "可选", "10%") and _value(max_points) == item.max_points
    assert own[0] == ["序号", "具体要求（摘录）", "要求类型", "分值", "得分"]
    assert [r[4] for r in own[1:10]] == ["20", "5", "0", "5", "6", "0", "10", "0", "5"]
    assert value_after(path, "各项得分合计") == "51"
    assert value_after(path, "加分（各项得分×权重10%，至多10分）") == "5.1"


# --- 附件4 第三方评价报告 -----------------------------------------------------------------


def test_third_party_cover(out, example):
    text = docx_fulltext(_form(out, "zhengzhou-third-party"))
    d = example.dossier
    assert value_after(_form(out, "zhengzhou-third-party"), "工厂名称：") == d.subject.name
    assert value_after(_form(out, "zhengzhou-third-party"), "第三方评价机构名称：") == d.evaluator.name
    assert "2026年11月10日" in text  # evaluator.report_date


def test_third_party_basic_information(out, example, score):
    path = _form(out, "zhengzhou-third-party")
    d = example.dossier
    assert value_after(path, "工厂名称") == d.subject.name
    assert value_after(path, "工厂地址") == d.subject.address
    industry = value_after(path, "所属行业\n（按统计局四位代码填写，可多填）")
    assert industry.startswith("3823、3821") and d.subject.industry in industry
    assert value_after(path, "主要产品") == "智能环网柜、箱式变电站、干式变压器"
    assert value_after(path, "统一社会信用代码") == "91410100MA9GTR4P5P"
    assert value_after(path, "法定代表人") == "杜永祥"
    assert value_after(path, "申报工作联系部门") == "安环与能源管理部"
    assert value_after(path, "联系人") == "邵静怡"
    assert value_after(path, "联系电话") == "0371-67852136\n13603718842"
    assert value_after(path, "电子邮箱") == "shaojy@xcdq-zz.com.cn"
    assert value_after(path, "第三方机构名称") == d.evaluator.name
    assert value_after(path, "第三方机构地址") == d.evaluator.address
    assert value_after(path, "机构法定代表人") == "韩立新"
    assert value_after(path, "法定代表人电话") == "0371-66183520"
    assert value_after(path, "机构联系人") == "宋雨桐"
    assert value_after(path, "联系人电话") == "0371-66183526\n15838206417"
    assert value_after(path, "报告编制负责人") == "冯志远"
    assert value_after(path, "负责人电话") == "0371-66183531\n13783615290"
    assert value_after(path, "受评价方主要亮点\n（请在 100 字以内概述受评价方主要亮点）") == d.evaluator.highlights
    got = value_after(path, "指标得分")
    evaluator = score_dossier(example, by="evaluator")  # the evaluator's report: the evaluator's points
    assert shows(got.splitlines()[0], evaluator.total) and not shows(got.splitlines()[0], score.total)
    assert shows(re.search(r"表2 (\S+) 分", got).group(1), evaluator.indicator_total)
    assert shows(re.search(r"表3 加分 (\S+) 分", got).group(1), evaluator.bonus_total)


def test_third_party_check_boxes_follow_the_data(out):
    path = _form(out, "zhengzhou-third-party")
    assert squash(value_after(path, "单位性质")) == "内资（□国有□集体☑民营）□中外合资□港澳台□外商独资"
    assert squash(value_after(path, "基本要求")) == "☑符合□不符合"


def _render_changed(example_copy, tmp_path, edit) -> Path:
    folder = example_copy(SCHEME)
    yaml = folder / "dossier.yaml"
    yaml.write_text(edit(yaml.read_text(encoding="utf-8")), encoding="utf-8")
    (form,) = render_forms(load_dossier(folder), form_ids=["zhengzhou-third-party"], out_dir=tmp_path / "out")
    return form.path


def test_third_party_ticks_other_options_and_leaves_missing_fields_blank(example_copy, tmp_path):
    def edit(text: str) -> str:
        text = text.replace('ownership: "民营"', 'ownership: "外商独资"')
        text = re.sub(r"(    BC2:\n      status: )符合", r"\1不符合", text)  # the evaluator's finding
        text = text.replace("  report_date: 2026-11-10\n", "")
        text = re.sub(r'  highlights: "[^"]*"', "  highlights: ''", text)  # evaluator's and narrative's
        return text

    path = _render_changed(example_copy, tmp_path, edit)
    assert squash(value_after(path, "单位性质")) == "内资（□国有□集体□民营）□中外合资□港澳台☑外商独资"
    assert squash(value_after(path, "基本要求")) == "□符合☑不符合"
    assert value_after(path, "受评价方主要亮点\n（请在 100 字以内概述受评价方主要亮点）") == ""
    text = docx_fulltext(path)
    assert "20    年    月    日" in text  # no report date: the cover's blank date line
    assert leftovers(path) == []


def test_third_party_basic_result_is_blank_while_a_requirement_is_unanswered(example_copy, tmp_path):
    path = _render_changed(example_copy, tmp_path,
                           lambda t: re.sub(r"(    BC4:\n      status: )符合", r"\1", t))  # not yet assessed
    assert squash(value_after(path, "基本要求")) == "□符合□不符合"


# --- vertical merges of looped rows (dossier/render/vmerge.py) -------------------------------


def test_vm_merges_equal_consecutive_cells_or_equal_keys(tmp_path):
    """``{% vm %}`` merges while the texts are equal; ``{% vm KEY %}`` while the keys are."""
    doc = kit.new_document()
    t = kit.table(doc, 2, 3, [40, 40, 40])
    kit.fill_row(t, 0, ["组", "权重", "项"])
    cells = t.rows[1].cells
    kit.cell_text(cells[0], "{% vm %}{{ r.g }}", table_=t)
    kit.cell_text(cells[1], "{% vm r.g %}{{ r.w }}", table_=t)
    kit.cell_text(cells[2], "{{ r.i }}", table_=t)
    kit.loop_rows(t, 1, "for r in rows", 3)
    path = tmp_path / "t.docx"
    doc.save(path)
    rows = [dict(g="甲", w="15%", i=1), dict(g="甲", w="15%", i=2), dict(g="乙", w="15%", i=3),
            dict(g="甲", w="10%", i=4)]
    form = FormDef(id="t", annex="附件", title="t", template="t.docx", kind="docx", scope="single")
    out = render_docx(TemplateFile(form, path, True), {"rows": rows}, tmp_path / "out.docx")
    table = Document(str(out)).tables[0]
    body = table.rows[1:]
    assert [row.cells[0].text for row in body] == ["甲", "甲", "乙", "甲"]  # a merged cell reads in every row
    assert _merged_cells(table, 0) == 3  # 甲 甲 | 乙 | 甲
    assert _merged_cells(table, 1) == 3  # 15% of 甲 and 15% of 乙 stay apart
    assert [row.cells[2].text for row in body] == ["1", "2", "3", "4"]
    with zipfile.ZipFile(out) as z:
        assert "urn:dossier:vmerge" not in z.read("word/document.xml").decode()
