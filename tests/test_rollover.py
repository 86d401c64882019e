"""dossier rollover and dossier diff: every example rolled over to the next reporting year
(and once more), checked as a user would — the new dossier validates, the old folder is
byte-for-byte unchanged, the report names the new year's empty figures and the evidence
the window left behind, the annual forms show the shifted year columns with the
listing-time values unchanged, and diff shows each figure's change."""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from dossier.cli import main
from dossier.loader import load_dossier
from dossier.render import render_forms
from dossier.rollover import roll_over
from dossier.yamlio import dump_yaml, load_yaml_file

from .conftest import EXAMPLES, ROOT, SCHEME_IDS
from .forms_support import docx_texts, find_row, tables

NEW = 2027


def tree_digest(root: Path) -> str:
    """One hash over every path, link target, mode and file content under ``root``."""
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        st = path.lstat()
        h.update(f"{rel}\0{st.st_mode}\0".encode())
        if path.is_symlink():
            h.update(os.readlink(path).encode())
        elif path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def rolled(tmp_path_factory):
    """Each example copied to a work folder and rolled over to 2027 (default target)."""
    base = tmp_path_factory.mktemp("rollover")
    out = {}
    for scheme_id in SCHEME_IDS:
        source = base / scheme_id
        shutil.copytree(EXAMPLES / scheme_id, source)
        before = tree_digest(source)
        report = roll_over(source, NEW)
        out[scheme_id] = (source, report, before)
    return out


def fill_year(directory: Path, year: int, from_year: int, **changes) -> None:
    """What a user does next: fill the new year (here: a copy of an earlier year with
    ``changes``), editing dossier.yaml through the project's YAML layer."""
    file = directory / "dossier.yaml"
    data = load_yaml_file(file).data
    entry = copy.deepcopy(data["years"][from_year])
    for key, value in changes.items():
        entry[key] = value
    data["years"][year] = entry
    file.write_text(dump_yaml(data), encoding="utf-8")


# --- every example ---------------------------------------------------------------------


@pytest.mark.parametrize("scheme_id", SCHEME_IDS)
def test_rolled_example_validates_and_moves_the_window(rolled, scheme_id):
    source, report, _ = rolled[scheme_id]
    assert report.target == source.parent / f"{scheme_id}-{NEW}"
    old, new = load_dossier(source).dossier, load_dossier(report.target).dossier
    assert new.reporting_year == NEW and new.window == [2024, 2025, 2026]
    # history kept: every old year with its data, plus the new (empty) year
    assert sorted(new.years) == sorted(set(old.years) | {2026})
    for year in old.years:
        assert new.years[year] == old.years[year]
    assert 2023 in new.years and 2023 not in new.window
    # values at listing time, answers and narratives unchanged
    assert new.listing == old.listing
    assert new.indicators == old.indicators and new.basic_conditions == old.basic_conditions
    assert new.narratives == old.narratives
    # carried texts are marked for review
    assert set(new.review) == {f.path for f in report.review}
    assert all(f"narratives.{n}" in new.review for n, text in old.narratives.items() if text.strip())


@pytest.mark.parametrize("scheme_id", SCHEME_IDS)
def test_report_names_new_year_figures_and_stale_evidence(rolled, scheme_id):
    _, report, _ = rolled[scheme_id]
    to_fill = {f.path: f.label for f in report.to_fill}
    assert to_fill["years.2026.output_value"] == "2026 年工业总产值（万元，现价）"
    assert any(p.startswith("years.2026.energy.") or p.startswith("years.2026.energy_") for p in to_fill)
    out = [s for s in report.stale if s.kind == "out"]
    assert out, "every example has a 2023 report that the 2024–2026 window leaves behind"
    assert all(max(s.years) < 2024 for s in out)
    assert any("2023" in Path(s.file).name for s in out)
    data = report.to_dict()
    assert data["evidence"]["out_of_window"] and data["to_fill"]
    json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("scheme_id", SCHEME_IDS)
def test_old_folder_unchanged(rolled, scheme_id):
    source, _, before = rolled[scheme_id]
    assert tree_digest(source) == before


def test_yaml_edit_keeps_comments_and_order(rolled):
    source, report, _ = rolled["zhejiang-green-low-carbon-factory"]
    old = (source / "dossier.yaml").read_text(encoding="utf-8").splitlines()
    new = (report.target / "dossier.yaml").read_text(encoding="utf-8").splitlines()
    # last year's evaluation (evaluator.site_visits … bonus) is cleared: a new round is evaluated afresh
    start = old.index("  site_visits: [2026-11-27, 2026-11-28]  # 现场评价日期")
    end = next(i for i in range(start, len(old)) if old[i] and not old[i].startswith(" "))
    assessment = set(old[start:end])
    assert not any(line.startswith("  basic_conditions:") for line in new[new.index("evaluator:  # 第三方评价机构（附件6-2）"):])
    removed = [line for line in difflib.ndiff(old, new) if line.startswith("- ") and line[2:] not in assessment]
    # otherwise only the lines of what moves with the year change; every comment stays
    assert [r.split(":")[0].strip("- ").strip() for r in removed] == [
        "reporting_year", "fill_date", "submission_date", "report_date"]
    assert "reporting_year: 2027  # 申报（填报）年度；“近三年”为其前三年" in new
    assert "fill_date: 2027-11-20  # 填报日期" in new
    assert "  2026:  # 2026 年度数据：dossier rollover 新增，待填写" in new
    assert "    output_value:  # 工业总产值（万元，现价）" in new
    # the blank line and comments before basic_conditions stay above it, below the new year
    at = new.index("basic_conditions:  # 基本要求自评（附表1.1；不满足不能评价为绿色低碳工厂）")
    assert new[at - 1] == "" and new.index("  2026:  # 2026 年度数据：dossier rollover 新增，待填写") < at


def test_dates_move_and_report_date_is_cleared(rolled):
    _, report, _ = rolled["zhejiang-green-low-carbon-factory"]
    new = load_dossier(report.target).dossier
    assert str(new.fill_date) == "2027-11-20" and str(new.submission_date) == "2027-12-15"
    assert new.evaluator.report_date is None
    assert new.evaluator.indicators == {} and new.evaluator.site_visits == [] and new.evaluator.conclusion is None
    assert new.evaluator.team  # the team may evaluate again; kept
    assert "evaluator.report_date" in {f.path for f in report.other_empty}
    moved = {c.path: (str(c.old), str(c.new)) for c in report.moved}
    assert moved["submission_date"] == ("2026-12-15", "2027-12-15")


def test_certificates_checked_against_new_submission_date(rolled):
    _, report, _ = rolled["zhejiang-green-low-carbon-factory"]
    expired = {e.where: e for e in report.expiring if e.status == "expired"}
    # 职业健康安全管理体系证书 valid until 2027-01-28: fine for 2026-12-15, expired by 2027-12-15
    ohs = expired["subject.certifications.2"]
    assert ohs.valid_until.isoformat() == "2027-01-28" and ohs.days == -321
    assert "职业健康安全管理体系证书" in ohs.what
    assert report.check_on.isoformat() == "2027-12-15" and report.check_counts.get("expired")


def test_ghg_statement_of_2023_falls_out_and_cites_its_users(rolled):
    _, report, _ = rolled["zhejiang-green-low-carbon-factory"]
    stale = {Path(s.file).name: s for s in report.stale}
    ghg = stale["2023年度温室气体排放核查声明.pdf"]
    assert ghg.kind == "out" and ghg.years == [2023]
    assert "indicators.I32.evidence" in ghg.cited_by
    assert [m.no for m in report.missing_years] == [9] and report.missing_years[0].missing == [2026]


def test_lasting_document_is_to_confirm_and_partial_period_flagged(rolled):
    _, report, _ = rolled["jiangsu-zero-carbon-factory"]
    kinds = {Path(s.file).name: s.kind for s in report.stale}
    assert kinds["省工业和信息化厅关于公布2023年度江苏省绿色工厂名单的通知.pdf"] == "lasting"
    assert kinds["光伏发电量及自用量统计表（2023—2025年）.pdf"] == "partial"
    assert kinds["2023年度温室气体排放核查报告.pdf"] == "out"
    assert any(f.path == "offsets" and "2026 年碳抵消" in f.label for f in report.to_fill)


def test_park_new_year_lists_green_index(rolled):
    _, report, _ = rolled["zhejiang-green-low-carbon-park"]
    paths = {f.path: f.label for f in report.to_fill}
    assert paths["years.2026.green_index.GI01"].startswith("2026 年绿色指数 GI01 能源产出率")
    assert len([p for p in paths if ".green_index." in p]) == 31


def test_evidence_is_copied_not_linked(rolled):
    source, report, _ = rolled["jiangsu-zero-carbon-factory"]
    rel = "evidence/05 温室气体核查及碳足迹报告/2025年度温室气体排放核查报告.pdf"
    old, new = (source / rel).stat(), (report.target / rel).stat()
    assert old.st_ino != new.st_ino and (source / rel).read_bytes() == (report.target / rel).read_bytes()
    assert report.carried.mode == "copy" and report.carried.files == report.carried.copied > 0


def test_link_option_hard_links_and_leaves_old_intact(example_copy, runner, tmp_path):
    source = example_copy("zhejiang-green-low-carbon-park")
    before = tree_digest(source)
    result = runner.invoke(main, ["rollover", str(source), "--year", "2027", "--out", str(tmp_path / "new"), "--link"])
    assert result.exit_code == 0, result.output
    assert "证明材料已硬链接到新目录" in result.output
    rel = "evidence/12 绿色指数近三年数据/2025年园区绿色指数指标数据及计算过程.pdf"
    assert (source / rel).stat().st_ino == (tmp_path / "new" / rel).stat().st_ino
    assert tree_digest(source) == before


def test_twice_keeps_history_and_listing_values(rolled, tmp_path):
    for scheme_id in ("zhejiang-green-low-carbon-factory", "zhejiang-green-low-carbon-park"):
        source, first, _ = rolled[scheme_id]
        second = roll_over(first.target, NEW + 1, tmp_path / scheme_id)
        assert second.target == tmp_path / scheme_id
        old, new = load_dossier(source).dossier, load_dossier(second.target).dossier
        assert new.reporting_year == 2028 and new.window == [2025, 2026, 2027]
        assert sorted(new.years) == [2023, 2024, 2025, 2026, 2027]
        for year in (2023, 2024, 2025):
            assert new.years[year] == old.years[year]
        assert new.listing == old.listing and new.listing.year in (2021, 2022)
        assert len(new.review) == len(set(new.review)) == len(load_dossier(first.target).dossier.review)
        assert {f.path for f in second.to_fill} >= {"years.2027.output_value", "years.2027.value_added"}
        assert not any(f.path.startswith("years.2026") for f in second.to_fill)


def test_default_target_replaces_a_trailing_year(tmp_path):
    from dossier.rollover import default_target

    assert default_target(tmp_path / "某某科技-2026", 2027) == tmp_path / "某某科技-2027"
    assert default_target(tmp_path / "某某科技", 2027) == tmp_path / "某某科技-2027"


# --- refusals -----------------------------------------------------------------------------


def test_year_not_after_reporting_year_is_refused(example_copy, runner):
    source = example_copy("jiangsu-zero-carbon-factory")
    result = runner.invoke(main, ["rollover", str(source), "--year", "2026"])
    assert result.exit_code == 2
    assert "--year 2026 应晚于原档案的申报年度 2026" in result.output
    assert not (source.parent / "jiangsu-zero-carbon-factory-2026").exists()


def test_existing_target_is_refused(example_copy, runner, tmp_path):
    source = example_copy("jiangsu-zero-carbon-factory")
    target = tmp_path / "taken"
    target.mkdir()
    (target / "note.txt").write_text("x", encoding="utf-8")
    result = runner.invoke(main, ["rollover", str(source), "--year", "2027", "--out", str(target)])
    assert result.exit_code == 2 and "已存在且不是空目录" in result.output
    assert [p.name for p in target.iterdir()] == ["note.txt"]
    result = runner.invoke(main, ["rollover", str(source), "--year", "2027", "--out", str(source / "inside")])
    assert result.exit_code == 2 and "不能是原档案目录" in result.output


def test_cli_text_and_json(example_copy, runner, tmp_path):
    source = example_copy("suzhou-near-zero-carbon-factory")
    result = runner.invoke(main, ["rollover", str(source), "--year", "2027", "--out", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    text = result.output
    for part in ("一、已随年度移动", "四、需填写：2026 年度数据", "2026 年工业总产值（万元，现价）（years.2026.output_value）",
                 "已移出近三年", "2023年度温室气体排放核查声明.pdf", "五、有效期：按新的计划提交日 2027-12-15"):
        assert part in text
    result = runner.invoke(main, ["rollover", str(source), "--year", "2027", "--out", str(tmp_path / "b"), "--json"])
    data = json.loads(result.output)
    assert data["new_window"] == [2024, 2025, 2026]
    assert any(f["path"] == "years.2026.output_value" for f in data["to_fill"])
    assert any("2023年度温室气体排放核查声明.pdf" in s["file"] for s in data["evidence"]["out_of_window"])


# --- the annual forms of the new year ----------------------------------------------------------


def _improvement(path: Path, parameter: str) -> list[str]:
    """A row of 三、1 绩效指标提升情况: 指标名称 | 指标涉及的参数 | 列入名单时 | 当年."""
    for table in tables(path):
        for row in table:
            # grid positions: a merged cell repeats, so the last two are 列入名单时 and 当年
            if row[0].rstrip("0123456789").endswith("化") and row[1] == parameter:
                return [row[0], row[1], row[-2], row[-1]]
    raise AssertionError(f"no 持续改进情况 row {parameter!r}")


def _year_row(path: Path, first: str) -> list[str]:
    row = find_row(path, first)
    return list(dict.fromkeys(row))


def test_zhejiang_factory_dynamic_shows_shifted_years(rolled, tmp_path):
    source, report, _ = rolled["zhejiang-green-low-carbon-factory"]
    old_form = render_forms(load_dossier(source), form_ids=["zhejiang-factory-dynamic"], out_dir=tmp_path / "old")[0].path
    fill_year(report.target, 2026, 2025, output_value=35500, value_added=9900)
    (form,) = render_forms(load_dossier(report.target), form_ids=["zhejiang-factory-dynamic"], out_dir=tmp_path / "new")
    assert _year_row(form.path, "项目") == ["项目", "2024年", "2025年", "2026年"]
    assert _year_row(old_form, "项目") == ["项目", "2023年", "2024年", "2025年"]
    assert _year_row(form.path, "产值（万元）") == ["产值（万元）", "31900.00", "33600.00", "35500.00"]
    # 三、1: the listing-time column unchanged, the last column now the 2026 figures
    header = _year_row(form.path, "指标涉及的参数")
    assert header[-2:] == ["列入名单时指标情况", "2026年指标情况"]
    for label in ("用地面积（亩）", "产值（万元）", "能源消耗总量（tce）", "单位工业增加值碳排放量（tce/万元）"):
        assert _improvement(form.path, label)[-2] == _improvement(old_form, label)[-2]   # 列入名单时
    assert _improvement(form.path, "产值（万元）")[-2:] == ["27400.00", "35500.00"]
    assert _improvement(old_form, "产值（万元）")[-2:] == ["27400.00", "33600.00"]
    assert find_row(form.path, "入选年份")[-1] == "2022"


def test_zhejiang_park_dynamic_shows_shifted_years(rolled, tmp_path):
    _, report, _ = rolled["zhejiang-green-low-carbon-park"]
    (form,) = render_forms(load_dossier(report.target), form_ids=["zhejiang-park-dynamic"], out_dir=tmp_path)
    assert _year_row(form.path, "项目") == ["项目", "2024年", "2025年", "2026年"]
    row = _year_row(form.path, "工业增加值（万元）")
    assert row == ["工业增加值（万元）", "2450000.00", "2640000.00", ""]  # 2026 still to fill: blank
    assert _year_row(form.path, "指标名称") == ["指标名称", "列入名单时指标值", "2026年指标值"]
    improvement = [r for t in tables(form.path) for r in t if r[0] == "碳排放量（t）" and len(set(r)) == 3]
    assert list(dict.fromkeys(improvement[0])) == ["碳排放量（t）", "2365000.00", ""]
    assert find_row(form.path, "入选年份")[-1] == "2021"


def test_suzhou_annual_year_pair_moves(rolled, tmp_path):
    _, report, _ = rolled["suzhou-near-zero-carbon-factory"]
    (form,) = render_forms(load_dossier(report.target), form_ids=["suzhou-nzc-annual"], out_dir=tmp_path)
    texts = docx_texts(form.path)
    assert "苏州市“近零碳”工厂2026年度总结及2027年度计划" in texts
    assert not any("2025年度总结" in t for t in texts)


# --- diff ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def filled(rolled, tmp_path_factory):
    """The Zhejiang factory's 2027 dossier with 2026 filled in, one 2025 figure revised."""
    source, report, _ = rolled["zhejiang-green-low-carbon-factory"]
    target = tmp_path_factory.mktemp("diff") / "filled"
    shutil.copytree(report.target, target)
    fill_year(target, 2026, 2025, output_value=36960, value_added=10175)
    file = target / "dossier.yaml"
    data = load_yaml_file(file).data
    data["years"][2025]["tax"] = 1980
    file.write_text(dump_yaml(data), encoding="utf-8")
    return source, target


def test_diff_compares_last_years(filled):
    from dossier.diff import diff_dossiers

    source, target = filled
    report = diff_dossiers(source, target)
    assert (report.old_year, report.new_year) == (2025, 2026)
    rows = {r.key: r for r in report.figures}
    out = rows["years.output_value"]
    assert (out.old, out.new) == (33600, 36960)
    assert out.delta == pytest.approx(3360) and out.rate == pytest.approx(10.0)
    # the same energy with more value added: the intensity falls, which is better
    intensity = rows["fig.energy_per_value_added"]
    assert intensity.new < intensity.old and intensity.verdict == "改善"
    revisions = {(r.year, r.key): r for r in report.revisions}
    assert (revisions[(2025, "years.tax")].old, revisions[(2025, "years.tax")].new) == (1950, 1980)
    improvement = {r.key: r for r in report.improvement}
    assert improvement["产值"].listed == 27400 and improvement["产值"].old == 33600 and improvement["产值"].new == 36960
    assert report.listing_changed == []


def test_diff_cli(filled, runner):
    source, target = filled
    result = runner.invoke(main, ["diff", str(source), str(target)])
    assert result.exit_code == 0, result.output
    for part in ("年度对比", "2025年", "2026年", "工业总产值（万元，现价）", "+3360", "+10%",
                 "二、持续改进情况", "列入名单时", "三、同一年度数据的修订", "2025年 纳税总额（万元）"):
        assert part in result.output
    data = json.loads(runner.invoke(main, ["diff", str(source), str(target), "--json"]).output)
    assert data["old"]["year"] == 2025 and data["new"]["year"] == 2026
    assert any(r["key"] == "years.output_value" and r["new"] == 36960 for r in data["figures"])


def test_diff_of_other_schemes_is_refused(runner):
    result = runner.invoke(main, ["diff", str(EXAMPLES / "jiangsu-zero-carbon-factory"),
                                  str(EXAMPLES / "zhejiang-green-low-carbon-park")])
    assert result.exit_code == 2 and "两个档案的方案不同" in result.output


def test_diff_of_the_park_compares_the_improvement_rows_of_its_scheme_data():
    """The park's 持续改进情况 rows are scheme data (improvement.rows): the same figures the
    动态管理表 prints (test_forms_zhejiang_park), worked out from the example by hand."""
    from dossier.diff import diff_dossiers

    park = EXAMPLES / "zhejiang-green-low-carbon-park"
    rows = {r.key: r for r in diff_dossiers(park, park).improvement}
    expected = {
        "工业增加值": (1826000, 2640000),
        "可再生能源消耗量": (18600, 82097),
        "工业用新鲜水量": (27600000, 29200000),
        "工业用地面积": (8.96, 9.68),  # 9 680 000 m² → km²
        "工业固体废弃物综合利用率": (90.8, 95.2079),  # 480 800 ÷ 505 000
        "碳排放量": (2365000, 2560811),
        "COD排放量": (562.0, 441.7),
        "氮氧化物排放量": (702.5, 546.2),
        "省级及以上绿色（低碳）工厂数量": (4, 12),
    }
    for key, (listed, last) in expected.items():
        assert rows[key].listed == listed, key
        assert rows[key].new == pytest.approx(last, abs=1e-4) and rows[key].old == rows[key].new, key
    assert list(rows)[:2] == ["工业增加值", "可再生能源消耗量"]  # in the form's order


def test_a_scheme_whose_improvement_needs_a_programme_module_it_lacks_says_so(tmp_path, monkeypatch, runner):
    scheme = load_yaml_file(ROOT / "checklists" / "zhejiang-green-low-carbon-factory.yaml").data
    scheme["id"] = "copied-factory"
    folder = tmp_path / "programmes"
    folder.mkdir()
    (folder / "copied-factory.yaml").write_text(dump_yaml(scheme), encoding="utf-8")
    monkeypatch.setenv("DOSSIER_SCHEMES", str(folder))
    dossier = tmp_path / "copy"
    shutil.copytree(EXAMPLES / "zhejiang-green-low-carbon-factory", dossier)
    data = load_yaml_file(dossier / "dossier.yaml").data
    data["scheme"] = "copied-factory"
    (dossier / "dossier.yaml").write_text(dump_yaml(data), encoding="utf-8")
    result = runner.invoke(main, ["diff", str(dossier), str(dossier)])
    assert result.exit_code == 2
    assert "improvement.programme_rows 为 true" in result.output and "improvement_values" in result.output
