"""``dossier office``: one LibreOffice kept for many commands (issue 20) — borrowed by a
command when free, never in the way when busy or gone, and stopped cleanly."""

from __future__ import annotations

import fcntl
import os
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossier.cli import main
from dossier.render import officed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]


def _gone(pid: int, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def runtime(tmp_path, monkeypatch):
    folder = tmp_path / "run"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("DOSSIER_RUNTIME_DIR", str(folder))
    yield folder
    officed.stop()


def _render_pdf(directory: Path) -> list[Path]:
    result = CliRunner().invoke(main, ["render", str(directory), "--pdf", "--quiet"])
    assert result.exit_code == 0, result.output
    pdfs = sorted((directory / "output").glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "常州澜衡汽车零部件有限公司" in text
    return pdfs


def test_start_a_render_borrows_it_and_stop_ends_it(runtime, example_copy):
    runner = CliRunner()
    assert runner.invoke(main, ["office", "status"]).exit_code == 1
    started = runner.invoke(main, ["office", "start", "--idle", "5"])
    assert started.exit_code == 0, started.output
    assert "已就绪" in started.output
    state = officed.status()
    assert state is not None
    shown = runner.invoke(main, ["office", "status"])
    assert shown.exit_code == 0 and str(state["soffice_pid"]) in shown.output
    again = runner.invoke(main, ["office", "start"])  # a second start finds the running one
    assert again.exit_code == 0 and str(state["soffice_pid"]) in again.output

    lock = runtime / officed.LOCK
    before = lock.stat().st_mtime
    time.sleep(0.05)
    _render_pdf(example_copy("jiangsu-zero-carbon-factory"))
    assert lock.stat().st_mtime > before  # it was borrowed (its idle clock started again)
    assert officed.status() == state  # and it is still the same LibreOffice, still running

    stopped = runner.invoke(main, ["office", "stop"])
    assert stopped.exit_code == 0 and "已停止" in stopped.output
    assert _gone(int(state["soffice_pid"])) and _gone(int(state["pid"]))
    assert officed.status() is None
    assert not (runtime / officed.STATE).exists()
    assert runner.invoke(main, ["office", "stop"]).output.startswith("没有")


def test_a_busy_or_dead_shared_office_is_not_waited_for(runtime, example_copy):
    state = officed.start(idle=300)
    folder = example_copy("jiangsu-zero-carbon-factory")
    handle = os.open(runtime / officed.LOCK, os.O_RDWR)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # another command is converting with it
        _render_pdf(folder)  # with a LibreOffice of its own
    finally:
        os.close(handle)
    assert officed.status() == state

    os.killpg(int(state["soffice_pid"]), 9)  # the shared LibreOffice dies
    _render_pdf(folder)
    assert _gone(int(state["pid"]))  # its supervisor noticed and went
    assert not (runtime / officed.STATE).exists()


def test_a_runtime_folder_others_may_open_is_not_used(tmp_path, monkeypatch):
    folder = tmp_path / "open"
    folder.mkdir()
    folder.chmod(0o777)
    monkeypatch.setenv("DOSSIER_RUNTIME_DIR", str(folder))
    result = CliRunner().invoke(main, ["office", "start"])
    assert result.exit_code == 3
    assert "运行目录" in result.output
    with officed.borrow() as shared:
        assert shared is None
