"""A new programme by data alone: a scheme file and a Word template, written here into a
temporary folder (no Python in the programme), made known to the engine by
``DOSSIER_SCHEMES``, then every command run on a dossier of it through the CLI.

The programme is fictional (示范市绿色车间); its numbers are chosen so that every figure
below is worked out by hand:

* I1 可再生能源占比, tiers on the ``renewable_share`` metric: 2025 energy 1 000 MWh grid +
  1 500 MWh own PV → 1 500 ÷ 2 500 = 60 % (both electricity, one coefficient) → ≥ 50 % → 10;
* I2 能源管理体系, binary, 符合 → 20;  I3 节能改造覆盖, options, 部分车间 → 15;
* I4 管理水平, claimed 32 of 40 → 32;  indicators 10 + 20 + 15 + 32 = 77;
* B1 节能技术, per_item 2 each, cap 6, count 4 → 6; bonus capped at 5 → total 82 of 105;
* thresholds: both basic conditions 符合, total 82 ≥ 60 → eligible.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from PIL import Image

from dossier.cli import main
from dossier.yamlio import dump_yaml, load_yaml_file

SCHEME_ID = "demo-green-workshop"
FORM_ID = "demo-application"
COMPANY = "示范精密制造有限公司"
LICENCE = "evidence/01 营业执照/营业执照.png"

SCHEME = textwrap.dedent(f"""\
    id: {SCHEME_ID}
    name: 示范市绿色车间
    full_title: 示范市绿色车间评价
    region: 示范市
    issuer: 示范市工业和信息化局
    subject: factory
    source:
      seed: demo
      document: 示范市绿色车间评价办法（测试用，虚构）
      year: 2026
    scoring:
      method: sum
      max_total: 100
    categories:
      - {{name: 能源, weight: null, stated_max: 30, seed_sum: 30, cap: null}}
      - {{name: 管理, weight: null, stated_max: 70, seed_sum: 70, cap: null}}
    basic_conditions:
      - {{id: BC1, no: 1, text: 依法设立，近三年无重大安全、环境事故。}}
      - {{id: BC2, no: 2, text: 建立能源计量体系。}}
    indicators:
      - id: I1
        category: 能源
        requirement: 可再生能源消费占比（≥50%得10分，≥20%得5分）
        type: 可选
        max_points: 10
        rule:
          type: tiers
          metric: renewable_share
          unit: ratio
          tiers:
            - {{min: 0.5, points: 10}}
            - {{min: 0.2, points: 5}}
      - {{id: I2, category: 能源, requirement: 建立并运行能源管理体系, type: 必选, max_points: 20,
          rule: {{type: binary}}}}
      - id: I3
        category: 管理
        requirement: 节能改造覆盖的车间
        max_points: 30
        rule:
          type: options
          options:
            - {{label: 全部车间, points: 30}}
            - {{label: 部分车间, points: 15}}
      - {{id: I4, category: 管理, requirement: 车间管理水平, max_points: 40}}
    bonus:
      - id: B1
        requirement: 采用列入目录的节能技术，每项2分，最高6分
        max_points: 6
        rule: {{type: per_item, points_each: 2, cap: 6}}
    bonus_scoring: {{max_total: 5}}
    evidence_list:
      - {{no: 1, title: 营业执照复印件, folder: 01 营业执照, keywords: [营业执照], refs: [BC1]}}
      - no: 2
        title: 示范市绿色车间申报书（加盖公章）
        folder: 02 申报书
        form: {FORM_ID}
        keywords: [申报书]
        seal: true
        confirm: [公章]
    thresholds:
      - {{id: basic, name: 符合基本条件, metric: basic_conditions, op: all}}
      - {{id: total, name: 总分不低于60分, metric: total_score, op: ">=", value: 60}}
    forms:
      - {{id: {FORM_ID}, annex: 附件1, title: 示范市绿色车间申报书, template: {FORM_ID}.docx}}
    """)


def write_template(path: Path) -> None:
    """The programme's form, as a template author would make it in Word."""
    doc = Document()
    doc.add_heading("示范市绿色车间申报书", level=1)
    doc.add_paragraph("申报单位：{{ d.subject.name }}")
    doc.add_paragraph("申报年度：{{ Y }}")
    doc.add_paragraph("{{ last }}年工业总产值（万元）：{{ yd[last].output_value | num(0) }}")
    table = doc.add_table(rows=4, cols=3)
    for cell, text in zip(table.rows[0].cells, ("指标", "要求", "得分")):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for r in indicator_rows %}"
    row = ("{{ r.item.id }}", "{{ r.item.requirement }}", "{{ r.points | num(0) }}")
    for cell, text in zip(table.rows[2].cells, row):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    doc.add_paragraph("自评总分：{{ score.total | num(0) }}")
    doc.save(str(path))


@pytest.fixture(scope="module")
def programme(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("programmes")
    (folder / f"{SCHEME_ID}.yaml").write_text(SCHEME, encoding="utf-8")
    write_template(folder / f"{FORM_ID}.docx")
    return folder


@pytest.fixture
def env(programme, monkeypatch) -> None:
    monkeypatch.setenv("DOSSIER_SCHEMES", str(programme))


def fill(directory: Path) -> None:
    """What the applicant types into the dossier ``init`` wrote."""
    file = directory / "dossier.yaml"
    data = load_yaml_file(file).data
    data["subject"]["name"] = COMPANY
    for year, output in ((2023, 8000), (2024, 8800), (2025, 9600)):
        data["years"][year] = {"output_value": output, "value_added": output / 4,
                               "energy": {"electricity_grid": 1000, "pv_self_consumed": 1500}}
    proof = {"evidence": [LICENCE]}
    data["basic_conditions"] = {"BC1": {"status": "符合", **proof}, "BC2": {"status": "符合", **proof}}
    data["indicators"] = {
        "I1": {"status": "符合", "points": 10, **proof},
        "I2": {"status": "符合", **proof},
        "I3": {"status": "部分符合", "option": "部分车间", **proof},
        "I4": {"status": "部分符合", "points": 32, **proof},
    }
    data["bonus"] = {"B1": {"status": "符合", "count": 4, **proof}}
    file.write_text(dump_yaml(data), encoding="utf-8")


def pdf_text(path: Path) -> str:
    """The PDF's text without white space (pdftotext spaces a Latin run from the Chinese)."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(text.split())


def test_the_engine_lists_a_programme_it_has_never_seen(env, runner):
    result = runner.invoke(main, ["schemes", "--json"])
    assert result.exit_code == 0, result.output
    listed = {s["id"]: s for s in json.loads(result.output)}
    assert listed[SCHEME_ID]["name"] == "示范市绿色车间"
    assert listed[SCHEME_ID]["forms"] == [FORM_ID]
    assert "jiangsu-zero-carbon-factory" in listed  # the shipped ones stay


def test_without_the_folder_the_programme_is_unknown(runner, tmp_path, monkeypatch):
    monkeypatch.delenv("DOSSIER_SCHEMES", raising=False)
    result = runner.invoke(main, ["init", str(tmp_path / "d"), "--scheme", SCHEME_ID])
    assert result.exit_code == 2
    assert f"未知的方案 id：'{SCHEME_ID}'" in result.output


def test_every_command_on_a_programme_made_of_data(env, runner, tmp_path):
    directory = tmp_path / "示范精密"
    result = runner.invoke(main, ["init", str(directory), "--scheme", SCHEME_ID, "--name", COMPANY, "--year", "2026"])
    assert result.exit_code == 0, result.output
    assert (directory / "evidence" / "01 营业执照").is_dir() and (directory / "evidence" / "02 申报书").is_dir()
    skeleton = (directory / "dossier.yaml").read_text(encoding="utf-8")
    for row in ("BC1", "BC2", "I1", "I4", "B1"):
        assert f"{row}:" in skeleton
    fill(directory)

    result = runner.invoke(main, ["validate", str(directory)])
    assert result.exit_code == 0, result.output

    result = runner.invoke(main, ["score", str(directory), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["total"], report["max"], report["eligible"]) == (82, 105, True)
    points = {i["id"]: i["points"] for i in report["items"] if i["kind"] != "basic"}
    assert points == {"I1": 10, "I2": 20, "I3": 15, "I4": 32, "B1": 6}
    assert (report["indicator_total"], report["bonus_total"]) == (77, 5)

    result = runner.invoke(main, ["render", str(directory), "--pdf", "--quiet"])
    assert result.exit_code == 0, result.output
    # render names its files with the enterprise's full name, the annex and the title
    (form_pdf,) = (directory / "output").glob(f"{COMPANY} 附件1 示范市绿色车间申报书.pdf")
    text = pdf_text(form_pdf)
    for expected in ("示范市绿色车间申报书", f"申报单位：{COMPANY}", "申报年度：2026", "2025年工业总产值（万元）：9600",
                     "可再生能源消费占比", "车间管理水平", "自评总分：82"):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text

    result = runner.invoke(main, ["check", str(directory)])
    assert result.exit_code == 1, result.output  # nothing in evidence/ yet
    assert "营业执照复印件" in result.output and "缺失" in result.output
    Image.new("RGB", (620, 877), "white").save(directory / LICENCE)
    (directory / "evidence" / "signed").mkdir()
    shutil.copy(form_pdf, directory / "evidence" / "signed" / f"{FORM_ID}.pdf")
    result = runner.invoke(main, ["check", str(directory)])
    assert result.exit_code == 0, result.output
    assert "请确认已加盖申报单位公章" in result.output

    result = runner.invoke(main, ["build", str(directory), "--quiet"])
    assert result.exit_code == 0, result.output
    packages = sorted((directory / "output" / "package").glob("*.pdf"))
    assert packages, list((directory / "output" / "package").iterdir())
    whole = pdf_text(packages[0])
    assert "营业执照复印件" in whole and "示范市绿色车间申报书" in whole and COMPANY in whole

    book = tmp_path / "填报.xlsx"
    result = runner.invoke(main, ["workbook", "export", str(directory), "--out", str(book)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(book)
    changed = 0
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value == 9600 and changed == 0:
                    cell.value = 9700  # 2025 工业总产值, corrected by the person filling in numbers
                    changed += 1
    assert changed == 1
    wb.save(book)
    result = runner.invoke(main, ["workbook", "import", str(directory), str(book)])
    assert result.exit_code == 0, result.output
    assert load_yaml_file(directory / "dossier.yaml").data["years"][2025]["output_value"] == 9700

    result = runner.invoke(main, ["rollover", str(directory), "--year", "2027", "--out", str(tmp_path / "2027")])
    assert result.exit_code == 0, result.output
    rolled = load_yaml_file(tmp_path / "2027" / "dossier.yaml").data
    assert rolled["reporting_year"] == 2027 and 2026 in rolled["years"]
    assert rolled["years"][2025]["output_value"] == 9700
    result = runner.invoke(main, ["validate", str(tmp_path / "2027")])
    assert result.exit_code == 0, result.output
    assert "2026" in result.output  # the new year's figures are listed as still to fill in

    result = runner.invoke(main, ["diff", str(directory), str(tmp_path / "2027"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["old"]["year"] == 2025


def test_the_programme_has_no_code(env):
    from dossier.programmes import programme_module
    from dossier.schemes import load_scheme

    assert programme_module(SCHEME_ID) is None
    assert load_scheme(SCHEME_ID).forms[0].template == f"{FORM_ID}.docx"


def test_a_mistyped_programme_folder_is_named(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_SCHEMES", str(tmp_path / "no-such-folder"))
    result = runner.invoke(main, ["schemes"])
    assert result.exit_code == 2
    assert f"环境变量 DOSSIER_SCHEMES 中的方案目录不存在：{tmp_path / 'no-such-folder'}" in result.output


def test_a_broken_programme_file_is_named_with_its_key(runner, programme, tmp_path, monkeypatch):
    folder = tmp_path / "broken"
    shutil.copytree(programme, folder)
    text = (folder / f"{SCHEME_ID}.yaml").read_text(encoding="utf-8")
    text = text.replace("metric: renewable_share", "metric: renewables")
    (folder / f"{SCHEME_ID}.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("DOSSIER_SCHEMES", str(folder))
    result = runner.invoke(main, ["schemes", SCHEME_ID])
    assert result.exit_code == 2
    assert f"{SCHEME_ID}.yaml" in result.output and "indicators.0.rule" in result.output
    assert "未知的计算指标 'renewables'" in result.output
