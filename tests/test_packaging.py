"""The wheel ships the scheme data, so an installed `dossier` works from any directory."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from .conftest import ROOT, SCHEME_IDS


def test_wheel_contains_scheme_data(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("dossier-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for scheme_id in SCHEME_IDS:
        assert f"dossier_data/checklists/{scheme_id}.yaml" in names
    assert "dossier/data/energy_carriers.yaml" in names
    # every sub-package of the source tree ships (a forgotten one breaks the installed command)
    for init in (ROOT / "dossier").rglob("__init__.py"):
        assert init.relative_to(ROOT).as_posix() in names
    assert any(name.endswith("entry_points.txt") for name in names)
