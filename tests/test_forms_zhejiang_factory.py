"""The Zhejiang green low-carbon factory forms (seed 003): 附件4 动态管理表, 附件6-1 自评价报告,
附件6-2 第三方评价报告, and 附件2 推荐名单汇总表 (shared with the park scheme).

The example (examples/zhejiang-green-low-carbon-factory, reporting year 2026, window
2023–2025, listed in 2022) is rendered once and read back as a user would check it: the
seed's labels in the seed's order (tests/data/forms/<form-id>.txt), the example's figures
in their rows and year columns, check boxes, merged 一级/二级指标 cells, the scores from the
engine. An empty dossier (``dossier init``) shows the seed's writing hints and blank fields.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dossier.cli import main as cli
from dossier.loader import load_dossier
from dossier.model import YearData
from dossier.render import render_forms
from dossier.render.extras import zhejiang_green_low_carbon_factory as extras
from dossier.scoring import score_dossier
from tests.conftest import EXAMPLES
from tests.forms_support import (docx_fulltext, docx_texts, find_row, labels_file, leftovers,
                                 missing_labels, shows, squash, value_after,
                                 xlsx_rows)

SCHEME = "zhejiang-green-low-carbon-factory"
FORMS = ("zhejiang-factory-dynamic", "zhejiang-factory-self-eval", "zhejiang-factory-third-party")
NAME = "宁波澜屿家居塑业有限公司"


@lru_cache(maxsize=None)
def document(path: Path):
    """A rendered form parsed once (reading a 100-row merged table back is slow)."""
    from docx import Document

    return Document(str(path))


@pytest.fixture(scope="module", autouse=True)
def parse_once():
    """The read-back helpers of tests.forms_support parse each form once in this module."""
    import tests.forms_support as support

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(support, "tables", lru_cache(maxsize=None)(support.tables))
        mp.setattr(support, "docx_texts", lru_cache(maxsize=None)(support.docx_texts))
        yield


@pytest.fixture(scope="module")
def loaded():
    return load_dossier(EXAMPLES / SCHEME)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, loaded) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("zhejiang-factory")
    return {r.form.id: r.path for r in render_forms(loaded, form_ids=list(FORMS), out_dir=out)}


@pytest.fixture(scope="module")
def score(loaded):
    return score_dossier(loaded)


@pytest.fixture(scope="module")
def empty(tmp_path_factory) -> dict[str, Path]:
    """The forms of a dossier just created by ``dossier init`` (every field empty)."""
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("zhejiang-factory-empty")
    result = CliRunner().invoke(cli, ["init", str(root / "d"), "--scheme", SCHEME, "--name", "某某塑业有限公司",
                                      "--year", "2026"])
    assert result.exit_code == 0, result.output
    loaded = load_dossier(root / "d")
    return {r.form.id: r.path for r in render_forms(loaded, form_ids=list(FORMS), out_dir=root / "out")}


@lru_cache(maxsize=None)
def grid(path: Path) -> list[list[list[tuple[object, str]]]]:
    """Each table as rows of (cell element, text) per grid column: python-docx gives every grid
    column of a merged cell (across or down) the same element."""
    return [[[(c._tc, c.text) for c in row.cells] for row in table.rows] for table in document(path).tables]


def unique_tables(path: Path) -> list[list[list[str]]]:
    """Each table as rows of cell texts, a cell spanning several grid columns once (the 附件4
    table's parts use different column widths on one grid)."""
    out = []
    for table in grid(path):
        rows = []
        for row in table:
            unique: list[tuple[object, str]] = []
            for tc, text in row:
                if not unique or tc is not unique[-1][0]:
                    unique.append((tc, text))
            rows.append([text for _, text in unique])
        out.append(rows)
    return out


def table_with(path: Path, text: str) -> list[list[str]]:
    for table in unique_tables(path):
        if any(squash(text) == squash(c) for row in table for c in row):
            return table
    raise AssertionError(f"no table with a cell {text!r} in {path.name}")


def cells_of(path: Path, label: str) -> list[str]:
    """The cells of the first row holding a cell ``label`` (each spanning cell once)."""
    for table in unique_tables(path):
        for row in table:
            if any(squash(c) == squash(label) for c in row):
                return row
    raise AssertionError(f"no row with a cell {label!r} in {path.name}")


def merged_rows(path: Path, col: int, text: str) -> list[int]:
    """Sizes of the vertical merges of cells reading ``text`` in grid column ``col``."""
    sizes: list[int] = []
    for table in grid(path):
        previous = None
        for row in table:
            if col < len(row) and squash(row[col][1]) == squash(text):
                tc = row[col][0]
                if previous is not None and tc is previous:
                    sizes[-1] += 1
                else:
                    sizes.append(1)
                previous = tc
            else:
                previous = None
    return sizes


# --- 附件4 动态管理表 --------------------------------------------------------------------------


def test_dynamic_basic_information(rendered):
    path = rendered["zhejiang-factory-dynamic"]
    assert value_after(path, "工厂名称") == NAME
    assert value_after(path, "入选年份") == "2022"
    assert value_after(path, "工厂地址") == "浙江省宁波市慈溪市崇寿镇澜屿路188号"
    assert cells_of(path, "工厂所属行业代码1\n（填写 4位代码）")[1] == "2927"
    assert value_after(path, "联系人电话").split("\n") == ["0574-63528830", "13958247163"]


def test_dynamic_year_columns_are_the_window(rendered):
    path = rendered["zhejiang-factory-dynamic"]
    assert cells_of(path, "项目") == ["项目", "2023年", "2024年", "2025年"]
    assert cells_of(path, "亩均绩效*") == ["亩均绩效*", "B", "A", "A"]
    assert cells_of(path, "产值（万元）")[1:] == ["29800.00", "31900.00", "33600.00"]  # one format per row
    assert cells_of(path, "能源消费总量（tce）")[1:] == ["2075.58", "2122.10", "2140.15"]
    assert cells_of(path, "可再生能源消耗量（tce）")[1:] == ["264.24", "341.66", "447.36"]


def test_dynamic_compliance_ticks_the_answer(rendered):
    row = cells_of(rendered["zhejiang-factory-dynamic"], "1.工厂是否已停产或经营异常")
    assert squash(row[-1]) == "□是☑否"


def test_dynamic_improvement_compares_listing_with_last_year(rendered):
    path = rendered["zhejiang-factory-dynamic"]
    assert "2025年指标情况" in cells_of(path, "列入名单时指标情况")
    assert cells_of(path, "用地面积（亩）") == ["用地集约化", "用地面积（亩）", "60.00", "60.00"]
    assert cells_of(path, "单位工业增加值能耗（tce/万元）")[2:] == ["0.2720", "0.2314"]
    assert cells_of(path, "单位工业增加值碳排放量（tce/万元）")[2:] == ["1.0401", "0.7521"]
    # per-unit rows: the basis and units come from the data (塑料收纳箱/万只)
    product = next(r for r in table_with(path, "指标名称") if len(r) > 1 and r[1].startswith("产品产量"))
    assert product[1].endswith("塑料收纳箱/万只") and product[2:] == ["880.00", "1090.00"]
    pp = next(r for r in table_with(path, "指标名称") if len(r) > 1 and r[1].startswith("单位产品或产值主要原材料1消耗量"))
    assert pp[1].endswith("聚丙烯（PP）（t/万只）") and pp[2:] == ["14.8000", "14.2000"]
    cod = next(r for r in table_with(path, "指标名称") if len(r) > 1 and r[1].startswith("单位产品或产值COD产生量"))
    assert cod[2:] == ["12.4000", "9.2844"]  # 10.12 t ÷ 1090 万只, one format per column
    other = next(r for r in table_with(path, "指标名称") if len(r) > 1 and r[1].startswith("单位产品或产值非甲烷总烃产生量"))
    assert other[0] == "生产洁净化4" and other[2] == "7.9500"


def test_dynamic_indicator_groups_are_merged(rendered):
    path = rendered["zhejiang-factory-dynamic"]
    assert merged_rows(path, 0, "用地集约化") == [3]
    assert merged_rows(path, 0, "能源低碳化") == [5]
    assert merged_rows(path, 0, "原料节约化3") == [4]
    assert merged_rows(path, 0, "生产洁净化4") == [6]  # 5 printed rows + 非甲烷总烃 added by the factory


def test_dynamic_projects_since_listing(rendered, loaded):
    path = rendered["zhejiang-factory-dynamic"]
    first = cells_of(path, "项目1：注塑车间伺服节能及全电动注塑机替代改造项目")
    assert first[2] == "980万元" and "节能110.6吨标煤" in first[3]
    assert len([r for r in table_with(path, "项目名称") if re.match(r"项目\d：", r[0])]) == 5
    assert "再生PP使用比例由2023年27.8%提高到34.0%" in value_after(path, "四、列入名单以来开展的亮点工作")


def test_dynamic_year_words_follow_the_reporting_year(tmp_path, example_copy):
    directory = example_copy(SCHEME)
    text = (directory / "dossier.yaml").read_text(encoding="utf-8")
    (directory / "dossier.yaml").write_text(text.replace("reporting_year: 2026", "reporting_year: 2027"),
                                            encoding="utf-8")
    (form,) = render_forms(load_dossier(directory), form_ids=["zhejiang-factory-dynamic"], out_dir=tmp_path / "o")
    assert cells_of(form.path, "项目") == ["项目", "2024年", "2025年", "2026年"]
    assert cells_of(form.path, "产值（万元）")[1:] == ["31900.00", "33600.00", ""]  # no 2026 data yet: blank
    assert "2026年指标情况" in cells_of(form.path, "列入名单时指标情况")
    assert "如申报时2026年度数据未出" in squash(docx_fulltext(form.path))


# --- 附件6-1 自评价报告 ----------------------------------------------------------------------------


def test_self_eval_cover(rendered):
    texts = [squash(t) for t in docx_texts(rendered["zhejiang-factory-self-eval"])]
    assert f"申报单位：{NAME}" in texts
    assert "所在省市：浙江省宁波市慈溪市" in texts
    assert "2026年11月20日" in texts


def test_self_eval_basic_information(rendered):
    path = rendered["zhejiang-factory-self-eval"]
    assert value_after(path, "工厂名称") == NAME
    assert value_after(path, "统一社会信用代码") == "913302825731862472"
    assert value_after(path, "所属行业") == "日用塑料制品制造（2927）"
    assert value_after(path, "注册资本") == "6800万元人民币"
    assert value_after(path, "成立日期") == "2011年6月15日"
    assert value_after(path, "信用等级") == "AAA"
    assert value_after(path, "环境评价信用等级") == "绿码"
    assert squash(value_after(path, "亩均绩效*\n（近两年）")) == "年度：2024级别：A年度：2025级别：A"
    assert value_after(path, "碳效评价等级*") == "低碳"


def test_self_eval_check_boxes(rendered):
    path = rendered["zhejiang-factory-self-eval"]
    assert squash(value_after(path, "单位性质")) == "内资（□国有□集体☑民营）□中外合资□港澳台□外商独资"
    honours = squash(value_after(path, "主要荣誉\n（可复选）"))
    assert "☑省专精特新小巨人企业" in honours and "☑节水型企业" in honours and "☑能源管理中心" in honours
    assert "□省雄鹰行动培育企业" in honours and "□省政府质量奖" in honours
    certs = squash(value_after(path, "体系认证\n（可复选）"))
    assert certs == "☑质量体系认证☑环境体系认证☑职业健康安全体系认证☑能源管理体系认证☑绿色产品认证"
    assert squash(value_after(path, "信息化应用\n（可复选）")) == "□智能微电网☑能源管理平台☑ERP/MRPⅡ□其他"
    assert squash(value_after(path, "基本要求满足情况")) == "☑符合□不符合"


def test_self_eval_three_years_and_energy(rendered):
    path = rendered["zhejiang-factory-self-eval"]
    assert find_row(path, "工业总产值（亿元）")[-3:] == ["2.98", "3.19", "3.36"]
    assert find_row(path, "纳税总额（万元）")[-3:] == ["1620.00", "1790.00", "1950.00"]
    carbon = find_row(path, "近 3年单位工业增加值碳排放量（吨 CO2/万元）")[-3:]
    assert carbon == ["0.9240", "0.8455", "0.7521"]  # (297.92 + 7136.57) ÷ 8046, (288.34 + 7025.14) ÷ 8650
    assert find_row(path, "年综合能耗（吨标准煤）")[-1] == "2140.15"
    assert find_row(path, "单位产品综合能耗（吨标煤/产品单位）")[-1] == "1.9634 tce/万只"  # 2140.15 ÷ 1090


def test_self_eval_result_and_scores_come_from_the_engine(rendered, score):
    path = rendered["zhejiang-factory-self-eval"]
    assert value_after(path, "报告编制负责人") == "陈晓岚"
    assert value_after(path, "报告审核人电话") == "0574-6358 2201"
    assert shows(value_after(path, "评价指标得分"), score.indicator_total)
    assert shows(value_after(path, "加分项得分"), score.bonus_total)
    assert shows(value_after(path, "总分"), score.total)
    last = table_with(path, "符合性说明及证明材料索引")[-1]  # 附表1.2
    assert last[0] == "总分" and shows(last[1], score.indicator_total)
    assert shows(find_row(path, "加分合计")[-2], score.bonus_total)


def test_self_eval_sections_and_material_list(rendered):
    path = rendered["zhejiang-factory-self-eval"]
    text = squash(docx_fulltext(path))
    assert squash("宁波澜屿家居塑业有限公司成立于2011年6月，注册资本6800万元") in text
    assert squash("拟实施的重大项目：储能及智能微电网项目") in text
    assert squash("1. 企业营业执照复印件（营业执照副本.pdf）；") in text
    assert "（2026年）" in docx_texts(path)  # “（20 年）” under 附表1.2 and 1.3


def test_self_eval_basic_requirements_table(rendered, loaded):
    path = rendered["zhejiang-factory-self-eval"]
    row = find_row(path, loaded.scheme.basic_conditions[0].text)
    assert row[1] == "符合" and "营业执照副本.pdf" in row[2]
    assert len(table_with(path, "证明材料索引")) == 1 + len(loaded.scheme.basic_conditions)


def test_self_eval_indicator_table(rendered, loaded, score):
    path = rendered["zhejiang-factory-self-eval"]
    table = table_with(path, "符合性说明及证明材料索引")
    assert len(table) == 1 + len(loaded.scheme.indicators) + 1  # header, every row, 总分
    i06 = next(i for i in loaded.scheme.indicators if i.id == "I06")
    row = find_row(path, i06.requirement)
    assert row[:3] == ["1", "基础设施", "建筑"]
    assert "钢结构建筑面积占比约32%" in row[4] and row[5:8] == ["可选", "4", "20%"]
    assert shows(row[8], score.item("I06").points)
    categories = [c.name for c in loaded.scheme.categories]
    assert [merged_rows(path, 1, c) for c in categories] == [
        [sum(1 for i in loaded.scheme.indicators if i.category == c)] for c in categories]
    # 二级指标 建筑 over its nine rows; 要求类型 必选 over I01–I04
    assert merged_rows(path, 2, "建筑") == [9]
    assert merged_rows(path, 5, "必选")[0] == 4


def test_self_eval_bonus_table(rendered, loaded, score):
    path = rendered["zhejiang-factory-self-eval"]
    b1 = loaded.scheme.bonus[0]
    row = find_row(path, b1.requirement)
    assert row[:3] == ["1", "综合绩效", "亩均综合绩效评价"]
    assert row[4:6] == ["可选", "10"] and shows(row[7], score.item("B1").points)
    weight = loaded.scheme.bonus_scoring.weight if loaded.scheme.bonus_scoring else None
    assert row[6] == (f"{round(weight * 100)}%" if weight is not None else "")


# --- 附件6-2 第三方评价报告 ------------------------------------------------------------------------


def test_third_party_cover_and_evaluator(rendered):
    path = rendered["zhejiang-factory-third-party"]
    texts = [squash(t) for t in docx_texts(path)]
    assert f"工厂名称：{NAME}" in texts
    assert "第三方评价机构名称：浙江绿衡低碳技术服务有限公司" in texts
    assert "2026年12月4日" in texts
    assert value_after(path, "评价机构名称") == "浙江绿衡低碳技术服务有限公司"
    assert value_after(path, "评价机构地址") == "浙江省杭州市拱墅区莫干山路1088号12楼"
    assert find_row(path, "机构法定代表人") == ["机构法定代表人", "周志远", "法人代表电话", "0571-86952200"]
    assert find_row(path, "机构联系人")[3].split("\n") == ["0571-86952231", "13867429915"]
    assert find_row(path, "报告编制负责人")[1] == "李文涛"


def test_third_party_factory_and_scores(rendered, score):
    path = rendered["zhejiang-factory-third-party"]
    assert value_after(path, "工厂名称") == NAME
    assert squash(value_after(path, "单位性质")) == "内资（□国有□集体☑民营）□中外合资□港澳台□外商独资"
    assert find_row(path, "成立日期") == ["成立日期", "2011年6月15日", "注册资本", "6800万元人民币"]
    assert squash(value_after(path, "基本要求满足情况")) == "☑符合□不符合"
    # the evaluator's report prints the evaluator's score (I22, I34 lower than self-assessed)
    assert value_after(path, "总分") == "100.92" and not shows("100.92", score.total)
    text = squash(docx_fulltext(path))
    assert squash("受宁波澜屿家居塑业有限公司委托，浙江绿衡低碳技术服务有限公司") in text
    assert squash("12. 塑料收纳箱产品碳足迹核查证书；") in text  # 六、参考文件 as written


def test_third_party_basic_table_merges_groups(rendered, loaded):
    path = rendered["zhejiang-factory-third-party"]
    groups = [bc.group for bc in loaded.scheme.basic_conditions]
    for group in dict.fromkeys(groups):
        assert merged_rows(path, 0, group) == [groups.count(group)]
    row = find_row(path, loaded.scheme.basic_conditions[5].text)
    assert row[2] == "符合" and row[3].startswith("评价组查阅了")  # the evaluator's finding
    assert "董事长签发《绿色低碳发展承诺书》" not in row[3]  # never the applicant's statement


def test_third_party_tables_repeat_the_self_evaluation_rows(rendered, loaded):
    path = rendered["zhejiang-factory-third-party"]
    assert "绿色低碳工厂评价指标第三方评价表" in docx_texts(path)
    assert len(table_with(path, "符合性说明及证明材料索引")) >= len(loaded.scheme.basic_conditions)
    last = loaded.scheme.indicators[-1]
    assert find_row(path, last.requirement)[1] == last.category


def test_references_list_the_cited_files_when_not_written(loaded):
    refs = extras.references(loaded.dossier)
    assert refs[0] == "营业执照副本.pdf" and len(refs) == len(set(refs))


# --- an empty dossier ----------------------------------------------------------------------------


def test_an_empty_dossier_leaves_boxes_and_dates_open(empty):
    path = empty["zhejiang-factory-self-eval"]
    assert squash(value_after(path, "单位性质")) == "内资（□国有□集体□民营）□中外合资□港澳台□外商独资"
    assert squash(value_after(path, "基本要求满足情况")) == "□符合□不符合"
    assert value_after(path, "统一社会信用代码") == ""
    assert "20　　年　　月　　日" in docx_texts(path)
    dynamic = empty["zhejiang-factory-dynamic"]
    assert cells_of(dynamic, "用地面积（亩）")[2:] == ["", ""]
    assert squash(cells_of(dynamic, "1.工厂是否已停产或经营异常")[-1]) == "□是□否"


# --- the figures behind 附件4 --------------------------------------------------------------------


def test_listing_keys_of_the_example_are_known(loaded):
    keys = set(loaded.dossier.listing.values)
    others = {k for k in keys if k not in extras.LISTING_KEYS}
    assert set(extras.LISTING_KEYS) <= keys
    assert others == {extras.OTHER_POLLUTANT.format("非甲烷总烃")}


def test_year_values_use_the_listing_keys_and_units(loaded):
    values = extras.year_values(loaded.dossier, 2025)
    assert set(extras.LISTING_KEYS) <= set(values)
    assert values["用地面积"] == pytest.approx(60.0)
    assert values["单位用地面积产值"] == pytest.approx(33600 / 60)
    assert values["碳排放总量"] == pytest.approx(271.34 + 6685.56)
    assert values["单位产品或产值SO2产生量"] == pytest.approx(0.016 * 1000 / 1090)  # kg/万只


def test_per_unit_basis_falls_back_to_output_value():
    data = YearData(output_value=5000, production=[{"name": "A", "unit": "台", "amount": 10},
                                                   {"name": "B", "unit": "t", "amount": 3}])
    assert extras.basis(data).label == "产值/万元"
    same = YearData(production=[{"name": "储水桶", "unit": "万只", "amount": 10},
                                {"name": "水杯", "unit": "万只", "amount": 5}])
    assert extras.basis(same).label == "储水桶、水杯/万只" and extras.basis(same).amount == 15


def test_at_most_five_projects_the_most_effective(loaded):
    d = loaded.dossier.model_copy(deep=True)
    d.projects = d.projects + [d.projects[0].model_copy(update={"name": "小项目", "reduction_tco2e": 1.0})]
    names = [p.name for p in extras.projects_since_listing(d)]
    assert len(names) == 5 and "小项目" not in names


# --- 附件2 推荐名单汇总表 (factory and park) --------------------------------------------------------


def test_recommendation_summary_one_row_per_dossier(tmp_path, runner, example_copy):
    variant = example_copy(SCHEME)
    text = (variant / "dossier.yaml").read_text(encoding="utf-8")
    text = text.replace(NAME, "宁波澜湾日用品有限公司").replace("浙江绿衡低碳技术服务有限公司", "宁波甬衡绿色评价中心")
    (variant / "dossier.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "推荐汇总表.xlsx"
    result = runner.invoke(cli, ["summary", str(EXAMPLES / SCHEME), str(EXAMPLES / "zhejiang-green-low-carbon-park"),
                                 str(variant), "--form", "zhejiang-recommendation-summary", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [tuple(r) for r in xlsx_rows(out)]
    # the seed's two blocks, each numbered from 1
    assert rows == [
        ("附件2", None, None, None),
        ("设区市经济和信息化局省级绿色制造名单推荐汇总表", None, None, None),
        ("绿色低碳工业园区", None, None, None),
        ("序号", "园区名称", "第三方机构名称", None),
        (1, "浙江临澜经济开发区", "浙江衡策绿色低碳技术服务有限公司", None),
        (None, None, None, None),
        ("绿色低碳工厂", None, None, None),
        ("序号", "企业名称", "第三方机构名称", "所属行业"),
        (1, NAME, "浙江绿衡低碳技术服务有限公司", "日用塑料制品制造（2927）"),
        (2, "宁波澜湾日用品有限公司", "宁波甬衡绿色评价中心", "日用塑料制品制造（2927）"),
    ]
    assert missing_labels(out, labels_file("zhejiang-recommendation-summary")) == []
    assert leftovers(out) == []
    ws = load_workbook(out).active
    assert [ws.column_dimensions[c].width for c in "ABCD"] == [8, 44, 40, 30]
    assert sorted(str(m) for m in ws.merged_cells.ranges) == ["A2:D2", "A3:D3", "A7:D7"]
