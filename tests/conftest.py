"""Shared fixtures: paths to the shipped data, the seeds and the examples."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEEDS = DATA / "seeds"
EXAMPLES = ROOT / "examples"

SCHEME_IDS = [
    "jiangsu-zero-carbon-factory",
    "suzhou-near-zero-carbon-factory",
    "suzhou-green-factory",
    "zhejiang-green-low-carbon-factory",
    "zhejiang-green-low-carbon-park",
    "zhengzhou-green-low-carbon-factory",
]


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
