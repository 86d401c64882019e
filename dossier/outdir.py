"""Output folders that the tool may replace, and those it must never touch.

``build`` replaces its output folder as a whole. So before it does, the folder must be
one the tool made: it carries :data:`MARKER` (or, from earlier versions, a package
``manifest.json``). A folder that is, contains or lies inside the dossier's evidence or
the dossier folder itself is refused, as is any other non-empty folder: a mistyped
``--out`` must never delete a user's files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .errors import BadInputError

MARKER = ".dossier-output"
MARKER_TEXT = "此文件夹由 dossier 生成，重新生成时会整体替换。请勿在此存放其他文件。\n"


def _real(path: Path) -> Path:
    return Path(os.path.realpath(Path(path).expanduser().absolute()))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def made_by_us(folder: Path) -> bool:
    if (folder / MARKER).is_file():
        return True
    manifest = folder / "manifest.json"  # a package from a version before the marker
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "scheme" in data and "packages" in data and "items" in data


def check_output_folder(out: Path, dossier_dir: Path, *, replaces: bool) -> Path:
    """The absolute output folder, or :class:`BadInputError` when writing there could
    destroy the user's files. ``replaces``: the command replaces the folder as a whole
    (``build``); otherwise it only adds its own files (``render``)."""
    target = _real(out)
    home = _real(dossier_dir)
    evidence = home / "evidence"
    if _inside(target, evidence) or (replaces and _inside(evidence, target)):
        raise BadInputError(f"输出目录 {out} 是（或包含、或位于）证明材料文件夹 evidence/：会覆盖证明材料，已拒绝。请换一个输出目录")
    if replaces and _inside(home, target):
        raise BadInputError(f"输出目录 {out} 是（或包含）档案目录 {dossier_dir}：生成时会整体替换该目录，已拒绝。请换一个输出目录（默认 {dossier_dir}/output/package）")
    if replaces and target.exists():
        if not target.is_dir():
            raise BadInputError(f"输出目录 {out} 已存在且不是文件夹")
        try:
            entries = [e for e in os.listdir(target)]
        except OSError as exc:
            raise BadInputError(f"无法读取输出目录 {out}：{exc.strerror}") from exc
        if entries and not made_by_us(target):
            raise BadInputError(
                f"输出目录 {out} 不是空文件夹，也不是 dossier 生成的材料包（没有 {MARKER} 标记文件）："
                "生成时会整体替换该目录，已拒绝。请指定一个新的或空的文件夹")
    return target


def mark(folder: Path) -> None:
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
