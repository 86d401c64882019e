"""Where the shipped data lives: ``checklists/`` and ``form_templates/``.

In a source checkout (and an editable install) they sit beside the package at the top
of the repository; a wheel installs them as the ``dossier_data`` package (see
pyproject.toml). Either way an installed ``dossier`` finds them from any directory.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent


def _data_dir(name: str) -> Path:
    in_checkout = _REPO_ROOT / name
    if in_checkout.is_dir():
        return in_checkout
    try:
        installed = Path(str(resources.files("dossier_data") / name))
    except ModuleNotFoundError:  # pragma: no cover - broken install
        installed = in_checkout
    return installed


def checklists_dir() -> Path:
    return _data_dir("checklists")


def templates_dir() -> Path:
    return _data_dir("form_templates")
