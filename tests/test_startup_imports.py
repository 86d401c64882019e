"""Start-up (issue 20): a command loads what it uses. Checked by the modules a real
command leaves loaded, not by timing."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import EXAMPLES, ROOT

RUN = """
import json, sys
from dossier.cli import main
sys.argv = ["dossier", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
sys.__stdout__.write("\\nMODULES " + json.dumps(sorted(sys.modules)))
"""


def _modules_after(*args: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True, cwd=ROOT,
                         check=True).stdout
    return set(json.loads(out.rsplit("MODULES ", 1)[1]))


HEAVY = {"openpyxl", "numpy", "pypdf", "pikepdf", "docx", "docxtpl", "jinja2", "reportlab", "PIL", "fitz",
         "importlib.metadata", "dossier.access", "dossier.render", "dossier.package"}


def test_validate_loads_neither_documents_nor_accounts():
    loaded = _modules_after("validate", str(EXAMPLES / "jiangsu-zero-carbon-factory"))
    assert "dossier.loader" in loaded  # it did validate
    assert not HEAVY & loaded, HEAVY & loaded
    # a valid dossier and its scheme are read by yaml_rs: libyaml's reader is not even loaded
    assert "yaml_rs" in loaded and "yaml" not in loaded and "dossier.yamlmarked" not in loaded


def test_a_mistake_loads_libyaml_for_its_line(tmp_path):
    import shutil

    folder = tmp_path / "d"
    shutil.copytree(EXAMPLES / "jiangsu-zero-carbon-factory", folder)
    text = (folder / "dossier.yaml").read_text(encoding="utf-8")
    (folder / "dossier.yaml").write_text(text.replace("  credit_code:", "  credit_cod:", 1), encoding="utf-8")
    assert "dossier.yamlmarked" in _modules_after("validate", str(folder))


def test_schemes_loads_neither_documents_nor_accounts():
    loaded = _modules_after("schemes")
    assert "dossier.schemes" in loaded
    assert not HEAVY & loaded, HEAVY & loaded


def test_a_build_of_word_forms_does_not_load_the_spreadsheet_library():
    code = "import sys; from dossier.package import build_package; print(sorted(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "openpyxl" not in out and "numpy" not in out


def test_summary_to_xlsx_does_not_load_numpy(tmp_path):
    """openpyxl imports numpy only to know its number types; the forms write Python's."""
    from openpyxl import load_workbook

    out = tmp_path / "汇总.xlsx"
    loaded = _modules_after("summary", str(EXAMPLES / "zhejiang-green-low-carbon-factory"),
                            str(EXAMPLES / "zhejiang-green-low-carbon-park"),
                            "--form", "zhejiang-recommendation-summary", "--out", str(out))
    assert "openpyxl" in loaded and "numpy" not in loaded
    cells = [c for row in load_workbook(out).active.iter_rows(values_only=True) for c in row if c]
    assert "宁波澜屿家居塑业有限公司" in cells


def test_users_commands_still_load_when_asked():
    out = subprocess.run([sys.executable, "-m", "dossier.cli", "users", "--help"], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert "admin" in out and "list" in out
