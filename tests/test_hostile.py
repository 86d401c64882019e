"""Hostile input (issue 13): output folders that must never be replaced, exit codes,
Ctrl-C during a real conversion, broken dossier.yaml values, hostile workbooks, odd
names. Each test does what a user (or an attacker) would do, through the command."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from dossier import interrupts
from dossier.cli import main
from dossier.exitcodes import ExitCode

from .conftest import EXAMPLES
from .hostile_inputs import (
    BROKEN_YAML,
    FORMULA_NAME,
    HOSTILE_WORKBOOKS,
    hostile_workbook,
    processes_mentioning,
)

SCHEME = "zhejiang-green-low-carbon-factory"


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- 1. never destroy user data ---------------------------------------------------------------


@pytest.mark.parametrize("where", ["dossier", "evidence", "evidence-sub", "user-folder", "parent", "dot"])
def test_build_out_onto_user_data_is_refused_and_nothing_deleted(tmp_path, runner, example_copy, where, monkeypatch):
    home = example_copy(SCHEME)
    user = tmp_path / "我的文件"
    user.mkdir()
    (user / "合同.docx").write_bytes(b"precious")
    out = {"dossier": home, "evidence": home / "evidence", "evidence-sub": home / "evidence" / "new-out",
           "user-folder": user, "parent": tmp_path, "dot": Path(".")}[where]
    if where == "dot":
        monkeypatch.chdir(home)
    before = _tree(tmp_path)
    result = runner.invoke(main, ["build", str(home), "--out", str(out), "--allow-incomplete", "--quiet"])
    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    assert "已拒绝" in result.output and "Traceback" not in result.output
    assert _tree(tmp_path) == before  # not one file added, changed or deleted


def test_build_replaces_its_own_output_and_an_empty_folder(tmp_path):
    from dossier.outdir import MARKER, check_output_folder

    home = tmp_path / "d"
    (home / "evidence").mkdir(parents=True)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert check_output_folder(empty, home, replaces=True) == empty.resolve()
    ours = tmp_path / "ours"
    ours.mkdir()
    (ours / MARKER).write_text("x")
    (ours / "old.pdf").write_bytes(b"%PDF")
    assert check_output_folder(ours, home, replaces=True) == ours.resolve()


def test_libreoffice_never_writes_into_evidence(tmp_path):
    from dossier.render.pdf import convert_to_pdf

    evidence = tmp_path / "evidence"
    evidence.mkdir()
    wb = Workbook()
    wb.active["A1"] = "能源台账"
    wb.save(evidence / "台账.xlsx")
    before = sorted(p.name for p in evidence.iterdir())
    [conv] = convert_to_pdf([(evidence / "台账.xlsx", tmp_path / "out" / "台账.pdf")])
    assert conv.ok and conv.dst.is_file()
    assert sorted(p.name for p in evidence.iterdir()) == before  # no .~lock.台账.xlsx# left


# --- 5. exit codes and Ctrl-C ------------------------------------------------------------------


def test_unexpected_error_has_its_own_code_and_one_chinese_line(runner, monkeypatch):

    def broken(*_a, **_k):
        raise ZeroDivisionError("bug")

    import dossier.loader

    # the CLI imports load_dossier when a command runs (lazy imports): patch it at its source
    monkeypatch.setattr(dossier.loader, "load_dossier", broken)
    result = runner.invoke(main, ["validate", str(EXAMPLES / SCHEME)])
    assert result.exit_code == ExitCode.INTERNAL != ExitCode.NOT_YET
    assert "内部错误" in result.output and "Traceback" not in result.output
    verbose = runner.invoke(main, ["--verbose", "validate", str(EXAMPLES / SCHEME)])
    assert verbose.exit_code == ExitCode.INTERNAL and "ZeroDivisionError" in verbose.output


def test_os_error_is_exit_2_with_the_path(tmp_path, runner):
    home = tmp_path / "d"
    shutil.copytree(EXAMPLES / SCHEME, home)
    (home / "dossier.yaml").chmod(0)
    if os.access(home / "dossier.yaml", os.R_OK):  # root reads anything: use a folder named like the file
        (home / "dossier.yaml").chmod(0o644)
        (home / "dossier.yaml").unlink()
        (home / "dossier.yaml").mkdir()
    result = runner.invoke(main, ["validate", str(home)])
    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    assert "dossier.yaml" in result.output and "Traceback" not in result.output


def test_sigint_during_conversion_cleans_up_and_keeps_the_previous_package(tmp_path):
    home = tmp_path / "d"
    shutil.copytree(EXAMPLES / SCHEME, home)
    out = home / "output" / "package"
    out.mkdir(parents=True)
    (out / ".dossier-output").write_text("x")
    (out / "旧材料包.pdf").write_bytes(b"%PDF-1.4 previous package")
    before = _tree(out)
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(private_tmp), "PYTHONIOENCODING": "utf-8"}
    # the `dossier` console script, as the user runs it: under `python -m`, CPython may end a
    # process whose KeyboardInterrupt was handled by killing itself with SIGINT (-2, which a
    # shell also shows as 130) instead of exiting with the code it was given
    proc = subprocess.Popen([str(Path(sys.executable).with_name("dossier")), "build", str(home), "--allow-incomplete",
                             "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and not processes_mentioning(str(private_tmp)):
        if proc.poll() is not None:
            pytest.fail("the build ended before LibreOffice started: " + proc.stderr.read())
        time.sleep(0.1)
    assert processes_mentioning(str(private_tmp)), "LibreOffice never started"
    time.sleep(1.0)  # well inside the conversion
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.INTERRUPTED, stderr
    assert "Traceback" not in stderr and "已中断" in stderr
    time.sleep(0.5)
    assert processes_mentioning(str(private_tmp)) == []  # no soffice left
    assert list(private_tmp.iterdir()) == []  # no profile, no staged copies
    assert not [p for p in home.rglob("*") if p.name.endswith(".part") or ".building-" in p.name]
    assert not list(Path("/tmp").glob(f"OSL_PIPE_*_dossier_{proc.pid}_*"))
    assert _tree(out) == before  # the previous package, untouched


def test_an_interrupt_whose_exception_was_swallowed_still_stops_the_command():
    """Python drops a KeyboardInterrupt raised in an at-fork hook, and a library's bare
    ``except:`` can swallow one: the count of interrupts received still stops the command
    before it publishes anything (the build checks it before replacing the package)."""
    previous = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        interrupts.install()
        interrupts.check()  # nothing received yet: no exception
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.5)  # the handler runs here, in the main thread
        except:  # noqa: E722 - the swallowing library this test stands for
            pass
        with pytest.raises(KeyboardInterrupt):
            interrupts.check()
        interrupts.install()  # the next command starts counting afresh
        interrupts.check()
    finally:
        signal.signal(signal.SIGINT, previous[0])
        signal.signal(signal.SIGTERM, previous[1])


def test_sigint_during_start_up_is_130_without_traceback():
    proc = subprocess.Popen([sys.executable, "-c", "import sys; sys.argv = ['dossier', 'schemes']; "
                             "import dossier.entry as e, signal, os\n"
                             "import builtins\n"
                             "real = builtins.__import__\n"
                             "def slow(name, *a, **k):\n"
                             "    if name == 'click': os.kill(os.getpid(), signal.SIGINT)\n"
                             "    return real(name, *a, **k)\n"
                             "builtins.__import__ = slow\n"
                             "e.run()"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.INTERRUPTED, stderr
    assert "Traceback" not in stderr and "已中断" in stderr


# --- 6. broken dossier.yaml ---------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "field", "words"), BROKEN_YAML, ids=[b[3] + str(i) for i, b in enumerate(BROKEN_YAML)])
def test_broken_dossier_yaml_is_exit_2_with_field_and_line(tmp_path, runner, old, new, field, words):
    home = tmp_path / "d"
    shutil.copytree(EXAMPLES / SCHEME, home, ignore=shutil.ignore_patterns("evidence"))
    text = (home / "dossier.yaml").read_text(encoding="utf-8")
    assert old in text
    index = text.index(old)
    line = text.count("\n", 0, index) + 1
    (home / "dossier.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(home)])
    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    assert "Traceback" not in result.output
    assert words in result.output
    assert re.search(rf"第 {line}(?!\d) 行|第 {line + 1}(?!\d) 行", result.output), result.output
    if field:
        assert field in result.output


def test_paths_outside_the_dossier_in_yaml_are_errors_with_field_and_line(tmp_path, runner):
    home = tmp_path / "d"
    shutil.copytree(EXAMPLES / SCHEME, home, ignore=shutil.ignore_patterns("evidence"))
    text = (home / "dossier.yaml").read_text(encoding="utf-8")
    first = '      file: "evidence/10 体系认证证书/能源管理体系认证证书.pdf"'
    second = '    evidence: ["evidence/13 社会责任报告/2024年度社会责任报告.pdf"]'
    lines = [text.count("\n", 0, text.index(r)) + 1 for r in (first, second)]
    text = text.replace(first, '      file: "../../../../etc/passwd"', 1)
    text = text.replace(second, '    evidence: ["/etc/shadow"]', 1)
    (home / "dossier.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(home)])
    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    assert "Traceback" not in result.output
    assert "../../../../etc/passwd" in result.output and "档案目录以外" in result.output
    assert "/etc/shadow" in result.output and "绝对路径" in result.output
    for line in lines:
        assert f"第 {line} 行" in result.output
    assert ".evidence.0" in result.output and "subject.certifications.3.file" in result.output  # the fields


# --- 7. workbooks ---------------------------------------------------------------------------------


def _exported(tmp_path, runner) -> tuple[Path, Path]:
    home = tmp_path / "d"
    shutil.copytree(EXAMPLES / SCHEME, home, ignore=shutil.ignore_patterns("evidence"))
    book = tmp_path / "book.xlsx"
    result = runner.invoke(main, ["workbook", "export", str(home), "--out", str(book)])
    assert result.exit_code == 0, result.output
    return home, book


@pytest.mark.parametrize("kind", HOSTILE_WORKBOOKS)
def test_hostile_workbook_is_refused_in_bounded_memory(tmp_path, runner, kind):
    home, book = _exported(tmp_path, runner)
    bad = hostile_workbook(book, tmp_path / f"{kind}.xlsx", kind)  # the bomb: 80 MB inflated
    if kind == "zipbomb":  # refused from the zip directory, nothing inflated
        assert bad.stat().st_size < 1 << 20
    before = (home / "dossier.yaml").read_bytes()
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, resource.RLIM_INFINITY)); "
            "from dossier.cli import main; sys.argv = ['dossier', 'workbook', 'import', sys.argv[1], sys.argv[2]]; main()")
    proc = subprocess.run([sys.executable, "-c", code, str(home), str(bad)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == ExitCode.BAD_INPUT, proc.stderr
    assert "Traceback" not in proc.stderr and "已拒绝" in proc.stderr or "超出" in proc.stderr
    assert (home / "dossier.yaml").read_bytes() == before


def test_formula_text_is_never_written_as_a_formula(tmp_path, runner):
    home = tmp_path / "d"
    shutil.copytree(EXAMPLES / SCHEME, home)
    text = (home / "dossier.yaml").read_text(encoding="utf-8")
    name = re.search(r"^  name: (.*?)(?:  #.*)?$", text, re.M).group(1)
    text = text.replace(f"  name: {name}", f"  name: '{FORMULA_NAME}'", 1)
    (home / "dossier.yaml").write_text(text, encoding="utf-8")
    (home / "evidence" / "01 营业执照复印件" / "=cmd|' -C calc'!A0.pdf").write_bytes(b"%PDF-1.4")
    checklist = tmp_path / "清单.xlsx"
    result = runner.invoke(main, ["check", str(home), "--xlsx", str(checklist)])
    assert result.exit_code in (0, 1), result.output
    summary = tmp_path / "汇总.xlsx"
    result = runner.invoke(main, ["summary", str(home), "--form", "zhejiang-recommendation-summary", "--out", str(summary)])
    assert result.exit_code == 0, result.output
    for path in (checklist, summary):
        wb = load_workbook(path)
        formulas = [c.coordinate for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]
        cells = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert not [f for f in formulas if "HYPERLINK" in str(f) or "cmd" in str(f)], path
        with zipfile.ZipFile(path) as zf:
            xml = b"".join(zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))
        assert b"<f>HYPERLINK" not in xml and b"<f>cmd" not in xml
        assert any("HYPERLINK" in v or "cmd|" in v for v in cells), path  # the text is there, as text


# --- 8. names ---------------------------------------------------------------------------------------


def test_very_long_enterprise_name_builds_with_a_short_file_name(tmp_path):
    from dossier.names import shorten
    from dossier.package.build import safe_name

    long_name = "江苏省" + "超长名称新材料科技发展股份有限公司" * 6
    assert len(long_name.encode()) > 255
    short = safe_name(long_name)
    assert len(f"{short}（第10册，共12册）.pdf".encode()) <= 255 and short.startswith("江苏省超长名称")
    assert shorten("短名称") == "短名称"


def test_names_that_are_not_utf8_are_shown_readably():
    from dossier.names import display

    raw = "测试文件.pdf".encode("gbk")
    assert display(os.fsdecode(raw)) == "测试文件.pdf"
    assert display("evidence/营业执照/" + os.fsdecode(raw)) == "evidence/营业执照/测试文件.pdf"
    assert display("普通名称.pdf") == "普通名称.pdf"
