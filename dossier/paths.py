"""Staying inside the dossier: nothing outside the dossier folder is ever read as
evidence, copied into a package, zip, manifest or form.

A path written in dossier.yaml must be relative and stay below the folder (no ``..``
leading out, no absolute path); a symbolic link in evidence/ may point anywhere inside
the dossier, but one that leads out of it is reported and not followed.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

OUTSIDE_LINK = "链接指向档案目录以外的位置，出于安全原因未使用（请把文件本身复制到 evidence/ 中）"


def inside(path: Path, folder: Path) -> bool:
    """Does ``path`` (links resolved) lie inside ``folder`` (links resolved)?"""
    real = os.path.realpath(path)
    home = os.path.realpath(folder)
    return real == home or real.startswith(home.rstrip(os.sep) + os.sep)


def reference_problem(ref: str) -> str | None:
    """Why a path written in dossier.yaml may not be used (None when it is fine)."""
    if "\x00" in ref:
        return "路径中含有空字符（NUL）"
    text = ref.replace("\\", "/")
    # a Windows drive ("C:", as PureWindowsPath reads one: an ASCII letter, then ":"); a UNC
    # path ("\\\\server") starts with "/" once its backslashes are turned
    if text.startswith(("/", "~")) or (ref[1:2] == ":" and ref[:1].isascii() and ref[:1].isalpha()):
        return f"应为档案目录内的相对路径（如 evidence/04 绿色工厂发文/发文.pdf），不能是绝对路径：{ref}"
    norm = posixpath.normpath(text)
    if norm == ".." or norm.startswith("../"):
        return f"路径指向档案目录以外（含 ..），不能使用：{ref}"
    return None
