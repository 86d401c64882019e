"""Where the data lives: the shipped ``checklists/`` and ``form_templates/``, the
package's own data files (``dossier/data/``), and the user's extra programmes.

In a source checkout (and an editable install) the shipped folders sit beside the
package at the top of the repository; a wheel installs them as the ``dossier_data``
package (see pyproject.toml). Either way an installed ``dossier`` finds them from any
directory.

Extra programmes: ``DOSSIER_SCHEMES`` names folders (separated by ``os.pathsep``, ``:``
on Linux, ``;`` on Windows), each holding scheme files ``<id>.yaml`` and the form
templates they name. They are searched before the shipped ones, so a folder may also
hold a changed copy of a shipped scheme (docs/adding-a-programme.md).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from .errors import BadInputError

_REPO_ROOT = Path(__file__).resolve().parent.parent
_PACKAGE_DATA = Path(__file__).resolve().parent / "data"
SCHEMES_ENV = "DOSSIER_SCHEMES"


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


def data_file(*parts: str) -> Path:
    """A file or folder of ``dossier/data/`` (coefficients, energy carriers, fonts.conf,
    the extraction and form-import rules)."""
    return _PACKAGE_DATA.joinpath(*parts)


def extra_scheme_dirs() -> list[Path]:
    """The folders of ``DOSSIER_SCHEMES``, in order; one that is not a folder is an error
    (a mistyped path would otherwise hide the programme silently)."""
    folders = [Path(p.strip()).expanduser() for p in os.environ.get(SCHEMES_ENV, "").split(os.pathsep) if p.strip()]
    for folder in folders:
        if not folder.is_dir():
            raise BadInputError(f"环境变量 {SCHEMES_ENV} 中的方案目录不存在：{folder}")
    return folders


def scheme_dirs() -> list[Path]:
    """Where scheme files are looked up, first match wins: ``DOSSIER_SCHEMES``, then shipped."""
    return [*extra_scheme_dirs(), checklists_dir()]


def template_dirs() -> list[Path]:
    """Where form templates are looked up after the user's ``--templates`` folder."""
    return [*extra_scheme_dirs(), templates_dir()]
