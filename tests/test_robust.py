"""The robustness corpus (tests/data/robust/) through the real command: ``extract``,
``check`` and ``build`` give no traceback and no hang, name every bad file, and build the
package around them; nothing outside the dossier enters the package (issue 13)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import DATA, EXAMPLES

sys.path.insert(0, str(DATA / "robust"))
import make_corpus  # noqa: E402

SCHEME = "zhejiang-green-low-carbon-factory"
ITEM_FOLDER = "01 营业执照复印件"
DOSSIER = [sys.executable, "-m", "dossier.cli"]
LONG_NAME = "浙江省" + "超长名称新材料科技发展股份有限公司" * 6  # 282 bytes in UTF-8
BAD_NAME = b"\xb2\xe2\xca\xd4-gbk-name.pdf"  # "测试" in GBK: not valid UTF-8


def _run(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([*DOSSIER, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"}, errors="replace")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, bool]]:
    folder = tmp_path_factory.mktemp("robust") / "corpus"
    shutil.copytree(DATA / "robust" / "files", folder)  # the small files, as committed
    make_corpus.small_files()  # (their expectations)
    for name, data in make_corpus.large_files().items():  # the large ones are generated
        (folder / name).write_bytes(data)
    expect = {f.name: make_corpus.EXPECT[f.name] for f in folder.iterdir()}
    assert len(expect) == 20
    return folder, expect


def test_committed_small_files_are_what_the_script_makes():
    committed = {f.name: f.read_bytes() for f in (DATA / "robust" / "files").iterdir()}
    made = make_corpus.small_files()
    assert set(committed) == set(made)
    for name, data in made.items():
        if not name.endswith((".jpg",)):  # JPEG bytes depend on the Pillow version
            assert committed[name] == data, name


@pytest.fixture(scope="module")
def hostile_dossier(tmp_path_factory, corpus) -> tuple[Path, Path]:
    """An example dossier with the whole corpus in one item's folder, plus links that
    leave the dossier and a file name that is not UTF-8."""
    folder, _ = corpus
    base = tmp_path_factory.mktemp("hostile")
    home = base / "dossier"
    shutil.copytree(EXAMPLES / SCHEME, home)
    text = (home / "dossier.yaml").read_text(encoding="utf-8")
    name = re.search(r"^  name: (.*?)(?:  #.*)?$", text, re.M).group(1)
    (home / "dossier.yaml").write_text(text.replace(f"  name: {name}", f"  name: {LONG_NAME}", 1), encoding="utf-8")
    item = home / "evidence" / ITEM_FOLDER
    for f in folder.iterdir():
        shutil.copy(f, item / f.name)
    outside = base / "secret-outside.pdf"
    outside.write_bytes(make_corpus._page_pdf(b"BT /F1 24 Tf 72 760 Td (TOPSECRET-OUTSIDE) Tj ET"))
    (base / "outside-folder").mkdir()
    shutil.copy(outside, base / "outside-folder" / "also-secret.pdf")
    os.symlink("/etc/passwd", item / "passwd.pdf")
    os.symlink(outside, item / "outside-link.pdf")
    os.symlink(base / "outside-folder", item / "outside-folder-link")
    os.symlink("/etc", home / "evidence" / "etc-link")
    with open(os.path.join(os.fsencode(item), BAD_NAME), "wb") as handle:
        handle.write(make_corpus.good_pdf())
    return home, outside


def _bad(expect: dict[str, bool]) -> list[str]:
    return sorted(name for name, usable in expect.items() if not usable)


def test_check_names_every_bad_file_and_counts_none_as_complete(hostile_dossier, corpus):
    home, _ = hostile_dossier
    result = _run("check", str(home), "--json", timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    item = data["items"][0]  # 01 营业执照复印件
    assert item["status"] != "ok"
    problems = "\n".join(item["problems"])
    for name in _bad(corpus[1]):
        assert name in problems, name
    for name in ("passwd.pdf", "outside-link.pdf"):
        assert name in problems and "档案目录以外" in problems
    assert any("outside-folder-link" in w for w in data["warnings"])
    assert any("etc-link" in w for w in data["warnings"])


def test_build_leaves_bad_files_out_and_outside_files_never_enter(hostile_dossier, corpus):
    home, outside = hostile_dossier
    result = _run("build", str(home), "--allow-incomplete", "--json", "--quiet", timeout=900)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    left_out = {Path(e["file"]).name: e["problem"] for e in report["left_out"]}
    for name in _bad(corpus[1]):
        assert name in left_out, name
    for name in ("passwd.pdf", "outside-link.pdf"):
        assert "档案目录以外" in left_out[name]
    for usable in ("good-text.pdf", "rotated-page.pdf", "good.png"):
        assert usable not in left_out
    assert not any(name.startswith("also-secret") or "etc" == name for name in left_out)
    # the package: nothing of the outside files, in the PDF or the zip
    package = Path(report["packages"][0])
    text = subprocess.run(["pdftotext", str(package), "-"], capture_output=True, text=True).stdout
    assert "TOPSECRET-OUTSIDE" not in text and "root:x:0:0" not in text
    assert "Business licence 2025" in text  # the good files are in
    with zipfile.ZipFile(report["archive"]) as zf:
        for info in zf.infolist():
            data = zf.read(info)
            assert b"TOPSECRET-OUTSIDE" not in data and b"root:x:0:0" not in data
    manifest = json.loads(Path(report["manifest"]).read_text(encoding="utf-8"))
    files = [f for item in manifest["items"] for f in item["files"]]
    assert not any("/etc/" in f["file"] or "also-secret" in f["file"] for f in files)
    linked = [f for f in files if f["file"].endswith(("passwd.pdf", "outside-link.pdf"))]
    assert linked and all(f["sha256"] is None and "pages" not in f for f in linked)
    # a 282-byte enterprise name: file names shortened, the full name kept inside
    assert len(package.name.encode()) <= 255 and package.name.startswith("浙江省超长名称")
    assert manifest["subject"] == LONG_NAME
    # the file with a non-UTF-8 name is in the package with a readable bookmark
    assert any("gbk-name" in f["file"] and "pages" in f for f in files)


def test_extract_reports_each_bad_file(corpus):
    folder, expect = corpus
    result = _run("extract", str(folder), "--json", "--quiet", timeout=600)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, result.stderr
    docs = {Path(d["file"]).name: d for d in json.loads(result.stdout)}
    for name in _bad(expect):
        if name.endswith((".pdf", ".png", ".jpg", ".gif", ".docx")):
            assert docs[name]["errors"], name
