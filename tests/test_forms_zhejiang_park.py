"""The Zhejiang park forms (seed 003): 附件3 动态管理表, 附件5-1 自评价报告, 附件5-2 第三方评价报告.

Each form is rendered once from the bundled example (examples/zhejiang-green-low-carbon-park,
reporting year 2026, window 2023–2025) and read back as a user would check it: the seed's
labels (tests/data/forms/<form-id>.txt), the example's figures in their rows and year
columns, the scheme's requirement texts, the check boxes, the scores from the engine.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from dossier.loader import load_dossier
from dossier.render import render_forms
from dossier.render.extras import zhejiang_green_low_carbon_park as extras
from dossier.scoring import score_dossier
from tests.conftest import EXAMPLES
from tests.forms_support import (docx_fulltext, docx_texts, find_row, shows, squash, tables,
                                 value_after)

SCHEME = "zhejiang-green-low-carbon-park"
FORMS = ("zhejiang-park-dynamic", "zhejiang-park-self-eval", "zhejiang-park-third-party")
NAME = "浙江临澜经济开发区"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("zhejiang-park")
    loaded = load_dossier(EXAMPLES / SCHEME)
    return {r.form.id: r.path for r in render_forms(loaded, form_ids=list(FORMS), out_dir=out)}


@pytest.fixture(scope="module")
def loaded():
    return load_dossier(EXAMPLES / SCHEME)


def _table_with(path: Path, header: str) -> list[list[str]]:
    for table in tables(path):
        if any(squash(c) == squash(header) for row in table for c in row):
            return table
    raise AssertionError(f"no table with a cell {header!r}")


def _rows_after(table: list[list[str]], header: str) -> list[list[str]]:
    """The rows of ``table`` below the row holding ``header``."""
    for i, row in enumerate(table):
        if any(squash(c) == squash(header) for c in row):
            return table[i + 1:]
    raise AssertionError(f"no row {header!r}")


def _row(rows: list[list[str]], label: str) -> list[str]:
    for row in rows:
        if any(squash(c) == squash(label) for c in row):
            return row
    raise AssertionError(f"no row {label!r}")


# --- every form -----------------------------------------------------------------------------


# --- 附件3 动态管理表 ------------------------------------------------------------------------


def test_dynamic_basic_information(rendered):
    path = rendered["zhejiang-park-dynamic"]
    assert value_after(path, "园区名称") == NAME
    assert value_after(path, "入选年份") == "2021"
    assert value_after(path, "园区地址") == "浙江省湖州市澜溪县临澜大道1号"
    assert value_after(path, "填报信息联系人") == "钱雨晴"
    assert value_after(path, "联系人电话") == "0572-62338126"


def test_dynamic_year_columns_follow_the_reporting_year(rendered):
    path = rendered["zhejiang-park-dynamic"]
    assert find_row(path, "项目") == ["项目", "2023年", "2024年", "2025年"]
    assert find_row(path, "产值（万元）")[1:] == ["10860000.00", "11720000.00", "12680000.00"]  # one format per row
    assert find_row(path, "工业增加值（万元）")[1:] == ["2280000.00", "2450000.00", "2640000.00"]
    assert find_row(path, "综合能耗总量（tce）")[1:] == ["760649.00", "775884.00", "790988.00"]
    # computed: 综合能耗 ÷ 工业增加值, 类别1 + 类别2, 碳排放 ÷ 工业增加值
    assert find_row(path, "单位工业增加值能耗（tce/万元）")[1:] == ["0.3336", "0.3167", "0.2996"]
    assert find_row(path, "碳排放量（t）")[1:] == ["2606227.00", "2578918.00", "2560811.00"]
    assert find_row(path, "单位增加值碳排放（t/万元）")[1:] == ["1.1431", "1.0526", "0.9700"]


def test_dynamic_compliance_boxes(rendered):
    path = rendered["zhejiang-park-dynamic"]
    row = find_row(path, "3.近三年是否完成国家或地方政府下达的节能减排指标")
    assert squash(row[-1]) == "☑是□否"
    row = find_row(path, "5.列入以来是否发生园区名称变更")
    assert squash(row[-1]) == "□是☑否"


def test_dynamic_improvement_listing_and_last_year(rendered):
    path = rendered["zhejiang-park-dynamic"]
    table = _table_with(path, "列入名单时指标值")
    header = _row(table, "列入名单时指标值")
    assert header[-2:] == ["列入名单时指标值", "2025年指标值"]
    rows = _rows_after(table, "列入名单时指标值")
    expected = {
        "工业增加值（万元）": ("1826000.00", "2640000.00"),
        "可再生能源消耗量（tce）": ("18600.00", "82097.00"),
        "单位工业增加值能耗（tce/万元）": ("0.3712", "0.2996"),
        "工业用新鲜水量（m3）": ("27600000.00", "29200000.00"),
        "工业用地面积（km2）": ("8.96", "9.68"),  # 9 680 000 m²
        "工业固体废弃物综合利用率（%）": ("90.80", "95.21"),  # 480 800 ÷ 505 000
        "碳排放量（t）": ("2365000.00", "2560811.00"),
        "COD排放量（t）": ("562.00", "441.70"),
        "氨氮排放量（t）": ("29.40", "21.40"),
        "二氧化硫排放量（t）": ("108.60", "72.80"),
        "氮氧化物排放量（t）": ("702.50", "546.20"),
        "省级及以上绿色（低碳）工厂数量（家）": ("4", "12"),
    }
    for label, (listed, now) in expected.items():
        assert _row(rows, label)[-2:] == [listed, now], label


def test_dynamic_narratives_and_pledge(rendered, loaded):
    text = docx_fulltext(rendered["zhejiang-park-dynamic"])
    first = loaded.dossier.narratives["highlights"].splitlines()[0]
    assert first in text
    assert "建议明确园区绿电交易电量" in text
    texts = [squash(t) for t in docx_texts(rendered["zhejiang-park-dynamic"])]
    pledge = next(i for i, t in enumerate(texts) if t.startswith("真实性承诺："))
    note = texts.index(squash("表注1：统计时间为列入名单以来。存在合规性信息中所述情况的，请另附情况说明。"))
    assert "园区负责人签字：（公章）" in texts[pledge]  # the signature line inside the pledge cell
    assert note > pledge  # 表注1 under the table


def test_dynamic_years_shift_with_the_reporting_year(tmp_path):
    target = tmp_path / SCHEME
    shutil.copytree(EXAMPLES / SCHEME, target)
    yaml_path = target / "dossier.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    yaml_path.write_text(re.sub(r"^reporting_year: 2026", "reporting_year: 2027", text, flags=re.M),
                         encoding="utf-8")
    (form,) = render_forms(load_dossier(target), form_ids=["zhejiang-park-dynamic"], out_dir=tmp_path / "out")
    assert find_row(form.path, "项目") == ["项目", "2024年", "2025年", "2026年"]
    assert find_row(form.path, "产值（万元）")[1:] == ["11720000.00", "12680000.00", ""]  # no 2026 data yet
    assert "2026年指标值" in docx_fulltext(form.path)


# --- 附件5-1 自评价报告 ---------------------------------------------------------------------


def test_self_eval_cover_and_basic_information(rendered):
    path = rendered["zhejiang-park-self-eval"]
    paragraphs = [squash(t) for t in docx_texts(path)]
    assert squash(f"园区名称：{NAME}") in paragraphs
    assert squash("所在地市：湖州市") in paragraphs
    assert squash("2026年11月20日") in paragraphs
    assert value_after(path, "园区名称") == NAME
    assert value_after(path, "园区类型") == "省级开发区"
    assert squash(value_after(path, "园区级别")) == "□国家级☑省级"
    assert value_after(path, "邮政编码") == "313100"
    assert value_after(path, "园区负责人") == "沈立峰"
    assert value_after(path, "申报单位联系人") == "钱雨晴"
    assert value_after(path, "园区成立日期") == "2006年3月18日"
    assert value_after(path, "园区用地面积") == "18.6 km²"
    assert value_after(path, "入驻企业数量") == "640 家"
    assert "新能源装备（光伏组件、储能电池）" in value_after(path, "园区主导产业")


def test_self_eval_three_year_figures(rendered):
    path = rendered["zhejiang-park-self-eval"]
    assert find_row(path, "地区生产总值（亿元）")[-3:] == ["342.00", "365.00", "390.50"]
    assert find_row(path, "园区工业增加值（亿元）")[-3:] == ["228.00", "245.00", "264.00"]
    assert find_row(path, "工业增加值占比")[-3:] == ["66.67%", "67.12%", "67.61%"]
    assert find_row(path, "近3年碳排放强度（tCO2/万元）")[-3:] == ["1.1431", "1.0526", "0.9700"]
    assert find_row(path, "能源综合消耗总量（tce）")[-3:] == ["760649.00", "775884.00", "790988.00"]
    assert find_row(path, "工业企业综合能耗总量（tce）")[-3:] == ["711967.00", "726227.00", "740365.00"]
    assert find_row(path, "终端能源消费总量（tce）")[-3:] == ["754564.00", "769677.00", "784660.00"]
    years = _row(_table_with(path, "地区生产总值（亿元）"), "2023")
    assert years[-3:] == ["2023", "2024", "2025"]


def test_self_eval_certification_and_honour_boxes(rendered):
    path = rendered["zhejiang-park-self-eval"]
    certs = squash(value_after(path, "体系认证（可复选）"))
    assert "□质量体系认证☑环境体系认证" in certs
    assert "□职业健康安全体系认证☑能源管理体系认证" in certs
    assert "□其他：" in certs
    assert "国家新型工业化产业示范基地（新能源装备）（2023年）" in value_after(path, "国家级荣誉")
    assert "浙江省绿色低碳工业园区（2021年）" in value_after(path, "省级荣誉")
    assert "湖州市绿色低碳示范园区（2023年）" in value_after(path, "市级荣誉")


@pytest.mark.parametrize("form_id", ["zhejiang-park-self-eval", "zhejiang-park-third-party"])
def test_evaluation_result_comes_from_the_scoring_engine(rendered, loaded, form_id):
    path = rendered[form_id]
    report = score_dossier(loaded, by="evaluator" if form_id.endswith("third-party") else "self")
    assert squash(value_after(path, "基本要求")).startswith("☑符合□不符合")  # BC1–BC8 符合
    per_year = extras._per_year(report.extra or {}, [2023, 2024, 2025], "gi", "gi_by_year", "green_index")
    row = find_row(path, "绿色指数-GI得分")[1:]
    assert all(shows(c, v) for c, v in zip(row, [per_year[y] for y in (2023, 2024, 2025)] + [report.indicator_total]))
    assert shows(find_row(path, "加分项得分")[-1], report.bonus_total)
    assert shows(find_row(path, "总分")[-1], report.total)
    sep = "：" if form_id.endswith("self-eval") else ""
    assert [squash(c) for c in find_row(path, "近三年得分情况")[1:4]] == [
        f"第1年{sep}2023年", f"第2年{sep}2024年", f"第3年{sep}2025年"]


def test_scores_stay_blank_without_leading_values_and_the_missing_ones_are_named(tmp_path):
    """The guide's 引领值 (附录B.2) are in no public text: without the example's
    parameters.leading_values the GI cells stay blank (never a made-up figure) and the note
    under the table names what is missing. (With them: tests/test_evaluator.py.)"""
    target = tmp_path / SCHEME
    shutil.copytree(EXAMPLES / SCHEME, target)
    data = (target / "dossier.yaml").read_text(encoding="utf-8")
    data = re.sub(r"\nparameters:.*?\n(?=\S)", "\n", data, count=1, flags=re.S)
    (target / "dossier.yaml").write_text(data, encoding="utf-8")
    loaded = load_dossier(target)
    assert not loaded.dossier.parameters.leading_values
    forms = render_forms(loaded, form_ids=["zhejiang-park-self-eval", "zhejiang-park-third-party"],
                         out_dir=tmp_path / "out")
    for form in forms:
        assert find_row(form.path, "绿色指数-GI得分")[1:] == ["", "", "", ""]
        assert find_row(form.path, "加分项得分")[1:4] == ["15", "15", "15"]  # the bonus does not need them
        text = squash(docx_fulltext(form.path))
        assert "尚缺：绿色指数27项定量指标缺少引领值" in text and "parameters.leading_values" in text


def test_self_eval_construction_narrative(rendered, loaded):
    text = docx_fulltext(rendered["zhejiang-park-self-eval"])
    for line in loaded.dossier.narratives["construction"].splitlines():
        assert line.strip() in text


@pytest.mark.parametrize("form_id", ["zhejiang-park-self-eval", "zhejiang-park-third-party"])
def test_basic_requirements_table(rendered, loaded, form_id):
    path = rendered[form_id]
    table = _table_with(path, "是否符合")
    rows = _rows_after(table, "是否符合")
    assert [squash(r[0]) for r in rows] == [squash(c.text) for c in loaded.scheme.basic_conditions]
    bc1 = rows[0]
    assert bc1[1] == "符合"
    assert "省政府关于设立浙江临澜经济开发区的批复.pdf" in bc1[2]
    assert rows[-1][1] == "部分符合"  # BC10


def _gi_tables(path: Path) -> list[list[list[str]]]:
    return [t for t in tables(path) if t[0][:4] == ["一级指标", "序号", "二级指标", "指标单位"]]


@pytest.mark.parametrize("form_id", ["zhejiang-park-self-eval", "zhejiang-park-third-party"])
def test_green_index_data_list_for_each_year(rendered, loaded, form_id):
    path = rendered[form_id]
    text = squash(docx_fulltext(path))
    for heading in ("第1年（2023年）园区数据清单", "第2年（2024年）指标数据清单", "第3年（2025年）指标数据清单"):
        assert heading in text
    gi_tables = _gi_tables(path)[:3]
    assert len(gi_tables) == 3
    indicators = loaded.scheme.indicators
    for table, year, first in zip(gi_tables, (2023, 2024, 2025), ("2.997", "3.158", "3.338")):
        body = table[1:]
        assert [r[2] for r in body] == [i.requirement for i in indicators]  # every row, scheme texts
        assert [r[1] for r in body] == [str(i.no) for i in indicators]
        assert [r[0] for r in body] == [i.category for i in indicators]
        assert body[0][4] == first  # 能源产出率 of the year
        assert body[0][5] == f"{year}年园区绿色指数指标数据及计算过程.pdf"
        assert _row(body, "污水集中处理设施")[3:5] == ["-", "已建成"]
        assert shows(_row(body, "主要污染物弹性系数")[4], float(loaded.dossier.years[year].green_index["GI24"]), 4)


def test_green_index_category_cells_are_merged_vertically(rendered):
    doc = Document(str(rendered["zhejiang-park-self-eval"]))
    gi = [t for t in doc.tables if t.rows[0].cells[0].text == "一级指标" and len(t.rows) == 32]
    assert len(gi) == 3
    for table in gi:
        merged = []  # the distinct cells of the 一级指标 column, top to bottom
        for row in table.rows[1:]:
            tc = row.cells[0]._tc
            if not merged or merged[-1] is not tc:
                merged.append(tc)
        texts = ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in merged]
        assert texts == list(dict.fromkeys(i.category for i in load_dossier(EXAMPLES / SCHEME).scheme.indicators))


@pytest.mark.parametrize("form_id", ["zhejiang-park-self-eval", "zhejiang-park-third-party"])
def test_bonus_data_list_for_each_year(rendered, loaded, form_id):
    path = rendered[form_id]
    text = squash(docx_fulltext(path))
    for i, year in enumerate((2023, 2024, 2025), 1):
        assert f"第{i}年（{year}年）园区数据清单" in text
    bonus_tables = [t for t in tables(path) if len(t) == 7 and t[1][0] == "其它要求"]
    assert len(bonus_tables) == 3
    for table, year in zip(bonus_tables, (2023, 2024, 2025)):
        body = table[1:]
        assert [r[2] for r in body] == [b.requirement for b in loaded.scheme.bonus]
        data = loaded.dossier.years[year].bonus_data
        assert _row(body, "小微产废企业集中收运体系")[4] == data["B2"]
        assert _row(body, "碳排放强度")[3] == "tCO2/万元" and shows(_row(body, "碳排放强度")[4], float(data["B5"]), 4)
        assert _row(body, "工业节能诊断比例")[5] == f"{year}年重点用能企业工业节能诊断汇总表.pdf"


# --- 附件5-2 第三方评价报告 ------------------------------------------------------------------


def test_third_party_cover_and_basic_information(rendered):
    path = rendered["zhejiang-park-third-party"]
    paragraphs = [squash(t) for t in docx_texts(path)]
    assert squash(f"园区名称：{NAME}") in paragraphs
    assert squash("第三方评价机构名称：浙江衡策绿色低碳技术服务有限公司") in paragraphs
    assert squash("2026年12月5日") in paragraphs
    assert value_after(path, "园区名称") == NAME
    assert value_after(path, "园区负责人") == "沈立峰"
    assert value_after(path, "负责人电话") == "0572-62338001"
    assert value_after(path, "园区联系人") == "钱雨晴"
    assert value_after(path, "电子邮箱") == "lvdi@linlankfq.cn"
    assert value_after(path, "评价机构名称") == "浙江衡策绿色低碳技术服务有限公司"
    assert value_after(path, "机构法定代表人") == "周明远"
    assert value_after(path, "法人代表电话") == "0571-87962201"
    assert value_after(path, "报告编制负责人") == "韩志诚"
    assert value_after(path, "审核人电话") == "0571-87962258"


def test_third_party_report_sections_in_order(rendered, loaded):
    path = rendered["zhejiang-park-third-party"]
    texts = [squash(t) for t in docx_texts(path)]
    headings = ["一、评价园区情况介绍", "二、评价过程描述", "三、园区绿色化建设或改造主要做法",
                "四、绿色低碳工业园区建设或改造工作亮点", "五、绿色低碳工业园区建设或改造中存在的问题", "六、有关建议",
                "七、参考文件清单", "八、第三方机构资质符合性证明材料"]
    positions = [texts.index(h) for h in headings]
    assert positions == sorted(positions)
    ids = ["tp-introduction", "tp-process", "tp-practices", "tp-highlights", "tp-problems", "tp-suggestions",
           "tp-references", "tp-qualification"]
    for i, (pos, nid) in enumerate(zip(positions, ids)):
        first_line = squash(loaded.dossier.narratives[nid].splitlines()[0])
        end = positions[i + 1] if i + 1 < len(positions) else len(texts)
        assert first_line in texts[pos:end], nid


# --- extras ------------------------------------------------------------------------------------


def test_listing_keys_may_carry_their_unit():
    listed, unknown = extras._listed({"工业增加值（万元）": 5, "工业用地面积(km2)": 1.5, "省级及以上绿色（低碳）工厂数量": 3,
                                      "亩均税收": 9})
    assert (listed.value_added, listed.land_km2, listed.green_factories) == (5, 1.5, 3)
    assert unknown == ["亩均税收"]


def test_per_year_scores_read_from_either_shape():
    years = [2023, 2024, 2025]
    assert extras._per_year({"years": {2023: {"gi": 88.5, "bonus": None}}}, years, "gi") == {
        2023: 88.5, 2024: None, 2025: None}
    assert extras._per_year({"gi_by_year": {"2024": 90}}, years, "gi", "gi_by_year")[2024] == 90.0
    assert extras._per_year({"gi": 87.0}, years, "gi") == {2023: None, 2024: None, 2025: None}
