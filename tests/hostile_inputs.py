"""Hostile inputs, made once for the tests (tests/test_hostile.py,
tests/test_template_sandbox.py, tests/test_render.py) and the reliability probe
(benchmarks/robust_probe.py): broken dossier.yaml lines, hostile user templates,
hostile workbooks, and a look for processes left behind.

It imports nothing of ``dossier``: the probe measures whichever checkout is on
PYTHONPATH, and these inputs must be the same for every version it measures. Files of the
robustness corpus (bad PDFs, images, bombs) are made by tests/data/robust/make_corpus.py.
"""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# --- dossier.yaml ---------------------------------------------------------------------------------

# (line of the Zhejiang factory example, what replaces it, the field the message names,
# words of the message). "" as field: the message names a line only.
BROKEN_YAML: list[tuple[str, str, str, str]] = [
    ("  founded: 2011-06-15", "  founded: 2016-13-45", "founded", "不存在的日期"),
    ("fill_date: 2026-11-20", "fill_date: 2026-02-30", "fill_date", "不存在的日期"),
    ("  employees: 432", "  employees: " + "9" * 5000, "employees", "数字过长"),
    ("  employees: 432", "  employees: 99999999999999999999", "employees", "数值过大"),
    ("  employees: 432", "  employees: -668", "subject.employees", "不能为负数"),
    ("    output_value: 29800", "    output_value: .nan", "output_value", "有限的数字"),
    ("    revenue: 29210", "    revenue: .inf", "revenue", "有限的数字"),
    ("    revenue: 29210", "    revenue: -.inf", "revenue", "有限的数字"),
    ("  employees: 432", "  employees: 4\x0032", "", "空字符"),
    ("  employees: 432", "  nested: " + "[" * 10000 + "]" * 10000, "nested", "嵌套过深"),
    ("fill_date: 2026-11-20", "fill_date: 2026-11-20\nfill_date: 2026-11-21", "", "重复"),
    ("  founded: 2011-06-15", "\tfounded: 2011-06-15", "", "制表符"),
]

# A formula where a name belongs: written to a workbook, it must stay text.
FORMULA_NAME = '=HYPERLINK("http://evil.example","点击")'


# --- user templates ---------------------------------------------------------------------------------

# (what it tries, the tag): each must be refused with no file written.
HOSTILE_TEMPLATES: list[tuple[str, str]] = [
    ("parse_raw", "{{ d.parse_raw('x', content_type='application/pickle', allow_pickle=True) }}"),
    ("parse_file", "{{ d.parse_file('/etc/passwd') }}"),
    ("nested parse_file", "{{ d.subject.parse_file('/etc/passwd') }}"),
    ("model_validate", "{{ d.model_validate({}) }}"),
    ("scheme loader", "{{ s.model_validate_json('{}') }}"),
    ("figures to the model", "{{ fig.dossier.parse_file('/etc/passwd') }}"),
    ("score to the model", "{{ score.__class__ }}"),
    ("dunder", "{{ d.__class__.__mro__[1].__subclasses__() }}"),
    ("mutate data", "{{ narrative.update({'a': 1}) }}"),
    ("include absolute", "{% include '/etc/passwd' %}"),
    ("include parent", "{% include '../../../../etc/passwd' %}"),
    ("import absolute", "{% import '/etc/passwd' as x %}"),
]
HUGE_STRING = "{{ 'A' * 4000000000 }}"  # 4 GB of text: the memory limit
ENDLESS_LOOP = ("{% for a in range(100000) %}{% for b in range(100000) %}{% for c in range(100000) %}"
                "{% endfor %}{% endfor %}{% endfor %}")  # the time limit


def user_template(folder: Path, form_id: str, *lines: str) -> Path:
    """A user's own template for ``form_id`` in ``folder``: one paragraph per line."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from form_templates.build import kit

    doc = kit.new_document()
    for line in lines:
        kit.para(doc, line)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{form_id}.docx"
    doc.save(path)
    return path


# --- workbooks ----------------------------------------------------------------------------------------

XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
          + b"]>")
HOSTILE_WORKBOOKS = ("xxe", "laughs", "xfd", "zipbomb")
_SHEET = "xl/worksheets/sheet1.xml"


def _rewrite_sheet(book: Path, target: Path, change: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, change(data) if info.filename == _SHEET else data)
    return target


def hostile_workbook(book: Path, target: Path, kind: str, *, inflate_mb: int = 80) -> Path:
    """``book`` (a workbook ``dossier workbook export`` wrote) made hostile at ``target``:
    ``xxe`` (an external entity naming /etc/passwd), ``laughs`` (nested entities),
    ``xfd`` (a cell at the last column and row), ``zipbomb`` (a sheet that inflates to
    ``inflate_mb`` MB of spaces from a file of a few kB)."""
    if kind == "xxe":
        return _rewrite_sheet(book, target, lambda d: XXE + d.split(b"?>", 1)[-1].replace(b"<sheetData>", b"<sheetData>&e;", 1))
    if kind == "laughs":
        return _rewrite_sheet(book, target, lambda d: LAUGHS + d.split(b"?>", 1)[-1])
    if kind == "xfd":
        return _rewrite_sheet(book, target, lambda d: d.replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))
    if kind != "zipbomb":
        raise ValueError(f"unknown hostile workbook {kind!r}; known: {', '.join(HOSTILE_WORKBOOKS)}")
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != _SHEET:
                dst.writestr(info, src.read(info))
        with dst.open(_SHEET, "w", force_zip64=True) as handle:
            handle.write(src.read(_SHEET).split(b"</worksheet>")[0])
            block = b" " * (1 << 20)
            for _ in range(inflate_mb):
                handle.write(block)
            handle.write(b"</worksheet>")
    return target


# --- what a command leaves behind ------------------------------------------------------------------


def processes_mentioning(text: str) -> list[int]:
    """Ids of the running processes whose command line contains ``text`` (a soffice left
    running with a private profile folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found
