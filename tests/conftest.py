"""Shared fixtures: paths to the shipped data, the seeds and the examples."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossier.yamlio import load_yaml_file

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEEDS = DATA / "seeds"
EXAMPLES = ROOT / "examples"

# A LibreOffice shared by `dossier office start` on this machine is not the tests' to
# borrow (nor to stop): they have a runtime folder of their own (tests/test_office_shared.py).
os.environ["DOSSIER_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="dossier-test-runtime-")
atexit.register(shutil.rmtree, os.environ["DOSSIER_RUNTIME_DIR"], True)
# the OCR engine's compiled models (dossier/extract/ocr.py) are cached here, not in ~/.cache
os.environ["DOSSIER_CACHE_DIR"] = tempfile.mkdtemp(prefix="dossier-test-cache-")
atexit.register(shutil.rmtree, os.environ["DOSSIER_CACHE_DIR"], True)

# Every scheme the project ships, as found in checklists/ (no list to keep in step), and
# the ground truth the tests compare each one with (tests/data/schemes.yaml).
SCHEME_IDS = sorted(p.stem for p in (ROOT / "checklists").glob("*.yaml"))
SCHEME_FACTS: dict = load_yaml_file(DATA / "schemes.yaml").data


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def example_copy(tmp_path):
    """Copy an example dossier to tmp_path, so a test may break it freely."""

    def _copy(scheme_id: str) -> Path:
        target = tmp_path / scheme_id
        shutil.copytree(EXAMPLES / scheme_id, target)
        return target

    return _copy
