"""The render engine itself: user templates, strict and sandboxed rendering, blank
fields, many-enterprise .xlsx tables, PDF conversion with Chinese fonts, and the
template-rot check over every shipped template."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from dossier.cli import main
from dossier.errors import BadInputError, TemplateError
from dossier.loader import load_dossier
from dossier.render import CONTEXT_DOC, render_forms, render_summary
from dossier.resources import templates_dir

from .conftest import EXAMPLES, ROOT
from .forms_support import docx_fulltext, leftovers, pdf_text, xlsx_rows
from .hostile_inputs import user_template

sys.path.insert(0, str(ROOT))
from form_templates.build import kit  # noqa: E402

JIANGSU = "jiangsu-zero-carbon-factory"


@pytest.fixture(scope="module")
def jiangsu():
    return load_dossier(EXAMPLES / JIANGSU)


# --- user templates, strictness, sandbox -------------------------------------------------


def test_user_template_overrides_the_bundled_one(tmp_path, jiangsu):
    mine = tmp_path / "mine"
    user_template(mine, "jiangsu-intake-form", "本公司抬头 {{ d.subject.name }}", "传真：{{ d.subject.contact.fax }}。")
    (form,) = render_forms(jiangsu, form_ids=["jiangsu-intake-form"], out_dir=tmp_path / "out", templates=mine)
    assert form.user_template and form.template == mine / "jiangsu-intake-form.docx"
    text = docx_fulltext(form.path)
    assert "本公司抬头 常州澜衡汽车零部件有限公司" in text
    assert "传真：。" in text  # no data → visibly blank, never "None"
    assert not leftovers(form.path)


def test_values_are_escaped_for_word(tmp_path):
    loaded = load_dossier(EXAMPLES / JIANGSU)
    loaded.dossier.subject.name = 'A&B <C> "D"'
    mine = tmp_path / "mine"
    user_template(mine, "jiangsu-intake-form", "名称：{{ d.subject.name }}")
    (form,) = render_forms(loaded, form_ids=["jiangsu-intake-form"], out_dir=tmp_path / "out", templates=mine)
    assert '名称：A&B <C> "D"' in docx_fulltext(form.path)


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("{{ d.subject.nmae }}", "nmae"),  # a name the model does not declare
        ("{{ no_such_thing }}", "no_such_thing"),
        ("{{ d.__class__.__mro__ }}", "__class__"),  # sandbox: no Python internals
        ("{{ d.subject.name ", "语法错误"),
    ],
)
def test_broken_user_template_names_file_and_tag(tmp_path, jiangsu, tag, expected):
    mine = tmp_path / "mine"
    user_template(mine, "jiangsu-intake-form", f"企业：{tag}")
    with pytest.raises(TemplateError) as err:
        render_forms(jiangsu, form_ids=["jiangsu-intake-form"], out_dir=tmp_path / "out", templates=mine)
    assert "jiangsu-intake-form.docx" in str(err.value)
    assert expected in str(err.value)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())  # nothing half-written


def test_cli_reports_broken_template_with_exit_2(tmp_path, runner):
    mine = tmp_path / "mine"
    user_template(mine, "jiangsu-intake-form", "{{ d.subject.nmae }}")
    result = runner.invoke(main, ["render", str(EXAMPLES / JIANGSU), "--form", "jiangsu-intake-form",
                                  "--templates", str(mine), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "jiangsu-intake-form.docx" in result.output and "nmae" in result.output


def test_unknown_form_and_missing_template_folder(tmp_path, jiangsu, runner):
    with pytest.raises(BadInputError, match="没有表单 no-such-form"):
        render_forms(jiangsu, form_ids=["no-such-form"], out_dir=tmp_path)
    result = runner.invoke(main, ["render", str(EXAMPLES / JIANGSU), "--templates", str(tmp_path / "nope"),
                                  "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "模板目录不存在" in result.output


# --- many-enterprise .xlsx tables ------------------------------------------------------


def _summary_template(folder: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "{{ Y }}年度推荐汇总表"
    ws.merge_cells("A1:D1")
    ws.append(["序号", "名称", "综合能耗（tce）", "备注"])
    ws.append(["{{ n }}", "{{ d.subject.name }}", "{{ fig[last].energy_tce.value }}", "固定文字"])
    ws.append(["填表人：", None, "日期：", None])
    ws.merge_cells("A4:B4")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "zhejiang-recommendation-summary.xlsx"
    wb.save(path)
    return path


def test_xlsx_summary_has_one_row_per_dossier_and_keeps_the_footer(tmp_path, example_copy):
    mine = tmp_path / "mine"
    _summary_template(mine)
    factory = load_dossier(EXAMPLES / "zhejiang-green-low-carbon-factory")
    park = load_dossier(EXAMPLES / "zhejiang-green-low-carbon-park")
    out = render_summary([factory, park, factory], "zhejiang-recommendation-summary", tmp_path / "汇总.xlsx",
                         templates=mine)
    rows = xlsx_rows(out)
    assert rows[0][0] == "2026年度推荐汇总表"
    assert rows[1] == ["序号", "名称", "综合能耗（tce）", "备注"]
    assert [r[0] for r in rows[2:5]] == [1, 2, 3]  # numbers stay numbers
    assert rows[2][1] == factory.dossier.subject.name and rows[3][1] == park.dossier.subject.name
    assert rows[2][2] == pytest.approx(2140.15)
    assert rows[4][3] == "固定文字"
    assert rows[5][0] == "填表人：" and rows[5][2] == "日期："
    merged = {str(m) for m in load_workbook(out).active.merged_cells.ranges}
    assert merged == {"A1:D1", "A6:B6"}


def test_summary_rejects_a_form_the_scheme_lacks_and_a_wrong_suffix(tmp_path):
    jiangsu = load_dossier(EXAMPLES / JIANGSU)
    with pytest.raises(BadInputError, match="没有表单 zhejiang-recommendation-summary"):
        render_summary([jiangsu], "zhejiang-recommendation-summary", tmp_path / "x.xlsx")
    mine = tmp_path / "mine"
    _summary_template(mine)
    factory = load_dossier(EXAMPLES / "zhejiang-green-low-carbon-factory")
    with pytest.raises(BadInputError, match=r"\.xlsx 结尾"):
        render_summary([factory], "zhejiang-recommendation-summary", tmp_path / "x.docx", templates=mine)


# --- PDF ---------------------------------------------------------------------------------


def test_pdf_shows_chinese_in_mapped_fonts(tmp_path, jiangsu):
    mine = tmp_path / "mine"
    doc = kit.new_document()
    kit.para(doc, "标题黑体 {{ d.subject.name }}", font=kit.HEITI, size="二号")
    kit.para(doc, "正文仿宋：统一社会信用代码 {{ d.subject.credit_code }}", font=kit.FANGSONG, size="三号")
    kit.para(doc, "楷体段落", font=kit.KAITI, size="三号")
    mine.mkdir()
    doc.save(mine / "jiangsu-intake-form.docx")
    (form,) = render_forms(jiangsu, form_ids=["jiangsu-intake-form"], out_dir=tmp_path / "out",
                           templates=mine, pdf=True)
    assert form.pdf and form.pdf.is_file() and form.pdf_error is None
    text = pdf_text(form.pdf)
    assert "标题黑体 常州澜衡汽车零部件有限公司" in text
    assert jiangsu.dossier.subject.credit_code in text
    fonts = subprocess.run(["pdffonts", str(form.pdf)], capture_output=True, text=True, check=True).stdout
    # 黑体 → Noto Sans CJK, 仿宋 → AR PL UMing, 楷体 → AR PL UKai (dossier/data/fonts.conf)
    assert "NotoSansCJK" in fonts.replace(" ", "") and "UMing" in fonts and "UKai" in fonts


def test_a_file_libreoffice_cannot_convert_is_reported_and_the_batch_goes_on(tmp_path):
    from dossier.render.pdf import convert_to_pdf

    good = user_template(tmp_path, "good", "好文件")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 truncated zip")
    results = convert_to_pdf([(bad, tmp_path / "bad.pdf"), (good, tmp_path / "good.pdf")])
    assert [r.ok for r in results] == [False, True]
    assert results[0].error and "好文件" in pdf_text(tmp_path / "good.pdf")
    assert not list(tmp_path.glob(".*.part"))  # no half-written outputs left behind


# --- the template README (the rot checks of every template: tests/test_forms.py) ---------------


def test_template_readme_documents_every_context_name():
    readme = (templates_dir() / "README.md").read_text(encoding="utf-8")
    assert [name for name in CONTEXT_DOC if f"| `{name}` |" not in readme] == []


def test_titles_follow_the_reporting_year(tmp_path):
    loaded = load_dossier(EXAMPLES / "suzhou-near-zero-carbon-factory")
    form = loaded.scheme.form("suzhou-nzc-annual")
    assert form.title == "苏州市“近零碳”工厂2022年度总结及2023年度计划"  # verbatim, the seed's round
    assert form.display_title(2026) == "苏州市“近零碳”工厂2025年度总结及2026年度计划"
    (rendered,) = render_forms(loaded, form_ids=["suzhou-nzc-annual"], out_dir=tmp_path)
    assert rendered.title == "苏州市“近零碳”工厂2025年度总结及2026年度计划"
    assert loaded.scheme.form("suzhou-nzc-plan-summary").display_title(2026).startswith("2026年度苏州市")


# --- a batch compiles each bundled template once --------------------------------------------


def test_a_batch_renders_bundled_templates_from_code_compiled_once(tmp_path, jiangsu):
    """From its second render in a process on, a bundled template's jinja code is compiled
    by the parent and reused by every sandbox child (issue 20); the forms are the same
    bytes as when each child compiled its own. A user's template is never compiled outside
    its sandbox child."""
    import zipfile

    from dossier.render import sandbox

    def bodies(folder):
        out = {}
        for path in sorted(folder.glob("*.docx")):
            with zipfile.ZipFile(path) as zf:
                out[path.name] = zf.read("word/document.xml")
        return out

    first = render_forms(jiangsu, out_dir=tmp_path / "1")
    render_forms(jiangsu, out_dir=tmp_path / "2")  # compiles here, once
    recorded = dict(sandbox._TRUSTED_CODE)
    assert recorded, "the second render should have compiled the bundled templates in the parent"
    render_forms(jiangsu, out_dir=tmp_path / "3")
    assert sandbox._TRUSTED_CODE == recorded  # nothing compiled again
    assert bodies(tmp_path / "3") == bodies(tmp_path / "1") == bodies(tmp_path / "2")
    assert len(first) == 2

    mine = tmp_path / "mine"
    user_template(mine, "jiangsu-intake-form", "本公司抬头 {{ d.subject.name }}")
    for i in range(3):
        render_forms(jiangsu, form_ids=["jiangsu-intake-form"], out_dir=tmp_path / f"u{i}", templates=mine)
    assert sandbox._TRUSTED_CODE == recorded  # the user's template: compiled in its child only
    assert "本公司抬头" in docx_fulltext(next((tmp_path / "u2").glob("*.docx")))
