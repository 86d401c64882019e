"""The workspace: a folder whose sub-folders are dossiers. Every path the web app reads
or writes goes through :func:`confine`, so nothing outside a dossier is ever touched."""

from __future__ import annotations

from pathlib import Path

from starlette.exceptions import HTTPException

from ..loader import DOSSIER_FILE

TRASH_DIR = ".trash"  # evidence removed in the browser goes here (inside the dossier), never deleted


class Workspace:
    def __init__(self, root: Path):
        self.root = Path(root).resolve()

    def names(self) -> list[str]:
        """The dossier folders, by name (a sub-folder with a dossier.yaml)."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir()
                      if not p.name.startswith(".") and p.is_dir() and not p.is_symlink() and (p / DOSSIER_FILE).is_file())

    def dossier_dir(self, name: str) -> Path:
        """The folder of dossier ``name``; 404 for anything that is not one of ours."""
        if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name or name.startswith("."):
            raise HTTPException(404, "没有这个档案")
        path = self.root / name
        if path.is_symlink() or not (path / DOSSIER_FILE).is_file() or path.resolve().parent != self.root:
            raise HTTPException(404, "没有这个档案")
        return path

    def new_dir(self, name: str) -> Path:
        """Where a new dossier called ``name`` (already sanitised) goes; must not exist."""
        path = self.root / name
        if path.resolve().parent != self.root:
            raise HTTPException(400, "档案名称无效")
        return path


def confine(dossier_dir: Path, relative: str) -> Path:
    """``relative`` (a path inside the dossier, as the browser sends it) as a real path
    inside ``dossier_dir``; 404 for ``..``, absolute paths, links leading out, or names
    with control characters. The one function through which the web app resolves files."""
    base = Path(dossier_dir).resolve()
    if not relative or "\x00" in relative or any(ord(c) < 32 for c in relative) or relative.startswith(("/", "\\")):
        raise HTTPException(404, "没有这个文件")
    parts = Path(relative.replace("\\", "/")).parts
    if any(p in ("..",) for p in parts):
        raise HTTPException(404, "没有这个文件")
    path = (base / Path(*parts)).resolve()
    if path != base and base not in path.parents:
        raise HTTPException(404, "没有这个文件")
    return path
