"""Paths written in dossier.yaml: relative and inside the dossier, or refused with a reason."""

from __future__ import annotations

import pytest

from dossier.paths import reference_problem


@pytest.mark.parametrize("ref", [
    "C:/证明材料/a.pdf", "c:a.pdf", "Z:", "\\\\server\\share\\a.pdf", "//server/share/a.pdf", "/etc/passwd",
    "~/a.pdf", "../a.pdf", "evidence/../../a.pdf", "..", "\\\\?\\C:\\a.pdf", "a\x00.pdf",
])
def test_paths_leading_out_of_the_dossier_are_refused(ref):
    assert reference_problem(ref) is not None


@pytest.mark.parametrize("ref", [
    "evidence/04 绿色工厂发文/发文.pdf", "evidence/a:b.pdf", "年:说明.pdf", "1:2 对照表.pdf", "evidence/../a.pdf",
    "a.pdf", ":a.pdf",
])
def test_relative_paths_inside_the_dossier_are_accepted(ref):
    # "年:" and "1:" are not Windows drives (a drive is an ASCII letter and ":")
    assert reference_problem(ref) is None
