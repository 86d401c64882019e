"""The commands as a user runs them: output, exit codes, messages naming line and field."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

from dossier.cli import main
from dossier.schemes import load_scheme

from .conftest import SCHEME_IDS


def run(runner, *args: str):
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


def _commands(group, prefix=()):
    """Every command, subcommands of groups (``workbook export``) included."""
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


def test_every_command_has_help(runner):
    listed = list(_commands(main))
    names = [" ".join(path) for path, _ in listed]
    assert {"init", "validate", "check", "score", "render", "build", "rollover", "diff", "import",
            "workbook", "workbook export", "workbook import"} <= set(names)
    for path, command in listed:
        result = run(runner, *path, "--help")
        assert result.exit_code == 0, path
        assert f"Usage: main {' '.join(path)}" in result.output or f"Usage: dossier {' '.join(path)}" in result.output
        first_line = command.help.strip().splitlines()[0]
        assert first_line and any("\u4e00" <= ch <= "\u9fff" for ch in first_line), path  # in Chinese
        assert " ".join(first_line.split())[:20] in " ".join(result.output.split()), path
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert param.opts[0] in result.output, (path, param.opts[0])
                if param.help:
                    assert param.help.split("（")[0][:12] in " ".join(result.output.split()), (path, param.opts[0])


def test_schemes_json_lists_the_six_ids(runner):
    result = run(runner, "schemes", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == sorted(SCHEME_IDS)
    jiangsu = next(r for r in rows if r["id"] == "jiangsu-zero-carbon-factory")
    assert jiangsu["evidence_items"] == 14
    assert jiangsu["name"] and jiangsu["region"] == "江苏省" and jiangsu["forms"]


def test_schemes_table_is_chinese(runner):
    result = run(runner, "schemes")
    assert result.exit_code == 0
    assert "证明材料：14 项" in result.output


@pytest.mark.parametrize("scheme_id", SCHEME_IDS)
def test_scheme_definition_json(runner, scheme_id):
    result = run(runner, "schemes", scheme_id, "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    for key in ("id", "name", "forms", "basic_conditions", "indicators", "bonus", "evidence_list", "thresholds"):
        assert key in data
    assert data["id"] == scheme_id
    scheme = load_scheme(scheme_id)
    assert scheme.forms and scheme.basic_conditions and scheme.indicators and scheme.evidence_list
    assert [(f["id"], f["annex"], f["title"]) for f in data["forms"]] == [(f.id, f.annex, f.title) for f in scheme.forms]
    assert [(b["id"], b["text"]) for b in data["basic_conditions"]] == [(b.id, b.text) for b in scheme.basic_conditions]
    assert [(i["id"], i["category"], i["subcategory"], i["requirement"], i["type"], i["max_points"])
            for i in data["indicators"]] == [(i.id, i.category, i.subcategory, i.requirement, i.type, i.max_points)
                                             for i in scheme.indicators]
    assert all("weight" in i for i in data["indicators"])
    assert [i["id"] for i in data["bonus"]] == [b.id for b in scheme.bonus]
    assert [(e["no"], e["title"]) for e in data["evidence_list"]] == [(e.no, e.title) for e in scheme.evidence_list]


def test_scheme_definition_text(runner):
    result = run(runner, "schemes", "jiangsu-zero-carbon-factory")
    assert result.exit_code == 0
    assert "获得省级及以上绿色工厂称号" in result.output


def test_unknown_scheme_exits_2_in_chinese(runner):
    result = run(runner, "schemes", "jiangsu")
    assert result.exit_code == 2
    assert "未知的方案" in result.output


@pytest.mark.parametrize("scheme_id", SCHEME_IDS)
def test_init_then_validate(runner, tmp_path: Path, scheme_id: str):
    target = tmp_path / "新档案 dossier"
    result = run(runner, "init", target, "--scheme", scheme_id, "--name", "示例科技有限公司", "--year", "2026")
    assert result.exit_code == 0, result.output
    text = (target / "dossier.yaml").read_text(encoding="utf-8")
    assert f"scheme: {scheme_id}" in text
    assert "示例科技有限公司" in text
    assert "# " in text  # commented in Chinese
    from dossier.schemes import load_scheme

    scheme = load_scheme(scheme_id)
    for item in scheme.evidence_list:
        assert (target / "evidence" / item.folder).is_dir()
    for row in (*scheme.basic_conditions, *scheme.bonus):
        assert f"  {row.id}:" in text
    result = run(runner, "validate", target)
    assert result.exit_code == 0, result.output
    assert "格式正确" in result.output and "尚未填写" in result.output
    data = json.loads(run(runner, "validate", target, "--json").output)
    assert data == {**data, "scheme": scheme_id, "valid": True, "errors": []}
    assert "subject.credit_code" in data["empty_fields"]


def test_init_names_the_first_evidence_folder_as_the_issue_shows(runner, tmp_path):
    run(runner, "init", tmp_path / "d", "--scheme", "jiangsu-zero-carbon-factory")
    assert (tmp_path / "d" / "evidence" / "01 营业执照或法人登记证书复印件").is_dir()


def test_init_refuses_to_overwrite(runner, tmp_path):
    target = tmp_path / "d"
    run(runner, "init", target, "--scheme", "jiangsu-zero-carbon-factory", "--name", "甲公司")
    (target / "dossier.yaml").write_text("scheme: jiangsu-zero-carbon-factory\n# 用户已填写的内容\n", encoding="utf-8")
    result = run(runner, "init", target, "--scheme", "jiangsu-zero-carbon-factory")
    assert result.exit_code == 2
    assert "已存在" in result.output
    assert "用户已填写的内容" in (target / "dossier.yaml").read_text(encoding="utf-8")


def test_init_unknown_scheme_exits_2(runner, tmp_path):
    result = run(runner, "init", tmp_path / "d", "--scheme", "no-such-scheme")
    assert result.exit_code == 2
    assert "未知的方案" in result.output
    assert not (tmp_path / "d" / "dossier.yaml").exists()


# --- malformed dossiers: exit 2, Chinese message with line and field -------------------


def _fresh(runner, tmp_path: Path) -> Path:
    target = tmp_path / "d"
    run(runner, "init", target, "--scheme", "jiangsu-zero-carbon-factory", "--name", "甲公司", "--year", "2026")
    return target / "dossier.yaml"


def _line_of(path: Path, prefix: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(prefix):
            return number
    raise AssertionError(prefix)


def _replace(path: Path, prefix: str, new: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    number = _line_of(path, prefix)
    lines[number - 1] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number


def test_yaml_syntax_error_names_the_line(runner, tmp_path):
    file = _fresh(runner, tmp_path)
    number = _replace(file, "  address:", '  address: "苏州市工业园区')  # unclosed quote
    result = run(runner, "validate", file.parent)
    assert result.exit_code == 2
    assert "YAML 语法错误" in result.output or "YAML 格式错误" in result.output  # (the fast reader words it in Chinese)
    data = json.loads(run(runner, "validate", file.parent, "--json").output)
    assert data["valid"] is False
    assert data["errors"][0]["line"] >= number


def test_a_number_where_a_date_belongs(runner, tmp_path):
    file = _fresh(runner, tmp_path)
    number = _replace(file, "  founded:", "  founded: 20150301")
    result = run(runner, "validate", file.parent)
    assert result.exit_code == 2
    assert f"第 {number} 行" in result.output
    assert "subject.founded" in result.output
    assert "应为日期" in result.output
    data = json.loads(run(runner, "validate", file.parent, "--json").output)
    error = data["errors"][0]
    assert (error["path"], error["line"]) == ("subject.founded", number)
    assert error["column"] > 1


def test_an_unknown_scheme_id_in_the_file(runner, tmp_path):
    file = _fresh(runner, tmp_path)
    number = _replace(file, "scheme:", "scheme: jiangsu-zero-carbon")
    result = run(runner, "validate", file.parent)
    assert result.exit_code == 2
    assert f"第 {number} 行" in result.output and "未知的方案" in result.output


def test_text_in_a_number_field(runner, tmp_path):
    file = _fresh(runner, tmp_path)
    number = _line_of(file, "    output_value:")
    _replace(file, "    output_value:", "    output_value: 约五千万")
    result = run(runner, "validate", file.parent)
    assert result.exit_code == 2
    assert f"第 {number} 行" in result.output and "应为数字" in result.output


def test_unknown_field_and_bad_choice(runner, tmp_path):
    file = _fresh(runner, tmp_path)
    _replace(file, "  ownership:", "  ownership: 私营")
    _replace(file, "  city:", "  town: 苏州市")
    result = run(runner, "validate", file.parent)
    assert result.exit_code == 2
    assert "subject.ownership" in result.output and "民营" in result.output
    assert "subject.town" in result.output and "未知字段" in result.output


def test_points_above_the_maximum(runner, tmp_path):
    file = _fresh(runner, tmp_path)
    lines = file.read_text(encoding="utf-8").splitlines()
    start = lines.index("  I02:")
    at = next(i for i in range(start, len(lines)) if lines[i].startswith("    points:"))
    lines[at] = "    points: 12"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(runner, "validate", file.parent)
    assert result.exit_code == 2
    assert "indicators.I02.points" in result.output and "超过该项分值 10" in result.output


def test_wrong_check_digit_is_a_warning(runner, tmp_path):
    file = _fresh(runner, tmp_path)
    number = _replace(file, "  credit_code:", '  credit_code: "91350100M000100Y44"')
    result = run(runner, "validate", file.parent)
    assert result.exit_code == 0
    assert "校验位不符" in result.output and f"第 {number} 行" in result.output
    data = json.loads(run(runner, "validate", file.parent, "--json").output)
    assert data["valid"] is True and data["warnings"][0]["path"] == "subject.credit_code"


def test_malformed_credit_code_is_an_error(runner, tmp_path):
    file = _fresh(runner, tmp_path)
    _replace(file, "  credit_code:", '  credit_code: "91350100M00010OY43"')
    result = run(runner, "validate", file.parent)
    assert result.exit_code == 2 and "不允许的字符" in result.output


def test_validate_missing_dossier(runner, tmp_path):
    result = run(runner, "validate", tmp_path)
    assert result.exit_code == 2 and "dossier init" in result.output


def test_the_command_list_shows_a_summary_for_every_command(runner):
    result = runner.invoke(main, ["--help"])
    lines = [line for line in result.output.splitlines() if line.startswith("  ") and not line.strip().startswith("-")]
    assert lines and not [line for line in lines if line.split(maxsplit=1)[-1].strip() == "..."], result.output
