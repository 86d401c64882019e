"""The ``dossier`` console script as users run it: exit codes, every byte of output
delivered through a pipe, and a finished command leaving without Python's slow teardown
(dossier/entry.py) — nothing left behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import EXAMPLES

DOSSIER = str(Path(sys.executable).with_name("dossier"))


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([DOSSIER, *args], capture_output=True, text=True, timeout=300, env=env)


def test_exit_codes_and_messages(tmp_path):
    ok = _run("validate", str(EXAMPLES / "jiangsu-zero-carbon-factory"))
    assert ok.returncode == 0 and "格式正确" in ok.stdout
    folder = tmp_path / "d"
    shutil.copytree(EXAMPLES / "jiangsu-zero-carbon-factory", folder)
    (folder / "dossier.yaml").write_text("scheme: jiangsu-zero-carbon-factory\nsubject: [\n", encoding="utf-8")
    bad = _run("validate", str(folder))
    assert bad.returncode == 2 and "dossier.yaml" in bad.stderr and "第 3 行" in bad.stderr
    missing = _run("validate", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "找不到" in missing.stderr


def test_long_output_arrives_whole_through_a_pipe():
    """The process ends with os._exit after flushing: a score report of tens of kilobytes
    must arrive to its last byte, as when Python ends normally (python -m dossier.cli)."""
    import json

    args = ["score", str(EXAMPLES / "zhejiang-green-low-carbon-factory"), "--json"]
    shown = _run(*args)
    assert shown.returncode == 0
    assert len(shown.stdout.encode("utf-8")) > 30000
    assert json.loads(shown.stdout)["total"]
    reference = subprocess.run([sys.executable, "-m", "dossier.cli", *args], capture_output=True, text=True,
                               timeout=300)
    assert shown.stdout == reference.stdout


def test_a_build_leaves_no_libreoffice_and_no_temporary_files(tmp_path):
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(private_tmp))
    folder = tmp_path / "d"
    shutil.copytree(EXAMPLES / "jiangsu-zero-carbon-factory", folder, ignore=shutil.ignore_patterns("output"))
    built = _run("build", str(folder), "--allow-incomplete", "--quiet", "--out", str(tmp_path / "out"), env=env)
    assert built.returncode == 0, built.stderr[-2000:]
    assert (tmp_path / "out" / "manifest.json").is_file()
    assert list(private_tmp.iterdir()) == []  # LibreOffice's profile, staged copies, scratch: all removed
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(private_tmp) not in ps  # no LibreOffice (or any child) still running with our files
