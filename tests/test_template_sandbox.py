"""Templates are data, not code (issue 13, item 2): a user's template sees plain data
only, renders in a separate process with time, memory and output limits, and can
include nothing outside its own folder. Each violation is exit 2 with a Chinese message,
and leaves no file behind."""

from __future__ import annotations

import base64
import pickle
from pathlib import Path

import pytest

from dossier.cli import main
from dossier.errors import TemplateError
from dossier.loader import load_dossier
from dossier.render import render_forms, sandbox

from .conftest import EXAMPLES
from .hostile_inputs import ENDLESS_LOOP, HOSTILE_TEMPLATES, HUGE_STRING, user_template

JIANGSU = "jiangsu-zero-carbon-factory"
FORM = "jiangsu-intake-form"


def _template(folder: Path, *lines: str) -> Path:
    return user_template(folder, FORM, *lines)


class _Touch:
    """A pickle that, if ever unpickled, creates the file it names."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def _pickle_tag(marker: Path) -> str:
    payload = base64.b64encode(pickle.dumps(_Touch(str(marker)))).decode()
    return ("{{ d.parse_raw(b64decode('" + payload + "'), content_type='application/pickle', allow_pickle=True) }}"
            "{{ d.parse_raw('x', content_type='application/pickle', allow_pickle=True) }}")


@pytest.fixture(scope="module")
def jiangsu():
    return load_dossier(EXAMPLES / JIANGSU)


@pytest.mark.parametrize(("what", "tag"), HOSTILE_TEMPLATES, ids=[h[0] for h in HOSTILE_TEMPLATES])
def test_hostile_template_is_refused_and_leaves_no_file(tmp_path, jiangsu, what, tag):
    mine = tmp_path / "mine"
    _template(mine, f"企业：{tag}")
    out = tmp_path / "out"
    with pytest.raises(TemplateError) as err:
        render_forms(jiangsu, form_ids=[FORM], out_dir=out, templates=mine)
    message = str(err.value)
    assert f"{FORM}.docx" in message
    assert "root:" not in message  # /etc/passwd's content never shows
    assert not out.exists() or not any(out.iterdir())


def test_pickle_payload_never_runs(tmp_path, jiangsu, runner):
    marker = tmp_path / "pwned"
    mine = tmp_path / "mine"
    _template(mine, _pickle_tag(marker))
    result = runner.invoke(main, ["render", str(EXAMPLES / JIANGSU), "--form", FORM, "--templates", str(mine),
                                  "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "错误：" in result.output and "Traceback" not in result.output
    assert not marker.exists()
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_huge_string_hits_the_memory_limit(tmp_path, jiangsu, runner):
    mine = tmp_path / "mine"
    _template(mine, HUGE_STRING)
    result = runner.invoke(main, ["render", str(EXAMPLES / JIANGSU), "--form", FORM, "--templates", str(mine),
                                  "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "内存" in result.output or "过大" in result.output or "渲染失败" in result.output
    assert not list((tmp_path / "out").glob("*")) if (tmp_path / "out").exists() else True


def test_endless_loops_hit_the_time_limit(tmp_path, jiangsu, monkeypatch):
    monkeypatch.setattr(sandbox, "TIMEOUT_S", 3.0)
    mine = tmp_path / "mine"
    _template(mine, ENDLESS_LOOP)
    with pytest.raises(TemplateError, match="超时|超过时间"):
        render_forms(jiangsu, form_ids=[FORM], out_dir=tmp_path / "out", templates=mine)
    assert not (tmp_path / "out" / f"{FORM}.docx").exists()


def test_output_size_limit(tmp_path, jiangsu, monkeypatch):
    monkeypatch.setattr(sandbox, "OUTPUT_BYTES", 200_000)
    mine = tmp_path / "mine"
    # ~20 MB of text, compressible: the limit is on the written file, so make it incompressible-ish
    _template(mine, "{% for i in range(99999) %}{{ i * i * 7919 }} {% endfor %}")
    with pytest.raises(TemplateError, match="超过|过大"):
        render_forms(jiangsu, form_ids=[FORM], out_dir=tmp_path / "out", templates=mine)


def test_include_from_the_template_folder_works(tmp_path, jiangsu):
    mine = tmp_path / "mine"
    (mine).mkdir()
    (mine / "part.txt").write_text("片段{{ Y }}", encoding="utf-8")
    _template(mine, "开头{% include 'part.txt' %}结尾")
    (form,) = render_forms(jiangsu, form_ids=[FORM], out_dir=tmp_path / "out", templates=mine)
    from .forms_support import docx_fulltext

    assert f"开头片段{jiangsu.dossier.reporting_year}结尾" in docx_fulltext(form.path)


def test_context_is_plain_data(jiangsu):
    from dossier.render.context import ContextBuilder
    from dossier.render.sandbox import plain

    builder = ContextBuilder(jiangsu)
    ctx = plain(builder.context(jiangsu.scheme.forms[0]))
    seen = 0

    def walk(value, depth=0):
        nonlocal seen
        seen += 1
        assert not hasattr(value, "parse_raw") and not hasattr(value, "model_validate"), type(value)
        assert type(value).__module__ in ("builtins", "datetime", "dossier.render.sandbox", "docxtpl.listing"), type(value)
        if isinstance(value, dict) and depth < 12:
            for v in list(value.values()):
                walk(v, depth + 1)
        elif isinstance(value, list) and depth < 12:
            for v in value:
                walk(v, depth + 1)

    walk(ctx)
    assert seen > 1000  # the whole dossier, scheme and scores went through
    # helpers the forms call are plain functions returning plain data
    assert isinstance(ctx["score"]["category"](jiangsu.scheme.categories[0].name), (dict, type(None)))
