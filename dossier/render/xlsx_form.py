"""Rendering an .xlsx form template: a many-enterprise table, one row per dossier.

The template is an ordinary workbook with the official header rows. The first row whose
cells hold jinja tags is the *row template*: each cell is either fixed text or a tag such
as ``{{ d.subject.name }}``; the engine writes one copy of that row per dossier (styles,
height and validation kept) and moves whatever follows it (notes, 填表人 / 日期 lines,
their merged cells) down below the last row. Tags above the row template (a title with
the year: ``{{ Y }}年度…``) render with the first dossier's context. ``n`` is the row's
running number (序号).

A table in blocks (推荐名单汇总表: 园区 then 工厂, each numbered from 1) has one row
template per block, each with ``{# only: EXPR #}`` in a cell: the block lists the dossiers
for which EXPR holds, numbered from 1; a block no dossier belongs to keeps one blank row.

A cell holding exactly one ``{{ expression }}`` keeps the expression's type (a number
stays a number in Excel); any other text renders as a string.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta

from ._openpyxl import get_column_letter, load_workbook

from ..errors import TemplateError
from ..fileio import atomic_write_bytes
from .environment import make_environment
from ..gcpause import collector_paused
from .sandbox import plain, run_isolated
from .xlsx_safe import set_cell
from .templates import TemplateFile

# "{{ d.subject.name }}" → group 1 "d.subject.name"; "共{{ n }}家" does not match (not whole).
WHOLE_TAG = re.compile(r"^\s*\{\{(.*)\}\}\s*$", re.S)
HAS_TAG = re.compile(r"\{\{|\{%")
# "{# only: s.subject == 'park' #}" in a row template: the block takes only the dossiers for which it holds.
ONLY = re.compile(r"\{#\s*only:\s*(.*?)\s*#\}", re.S)


def _compiled(env: jinja2.Environment, text: str):
    """The cell's compiled expression or template, compiled once per environment (a
    summary of 150 dossiers renders the same row 150 times)."""
    cache = env.__dict__.setdefault("_dossier_cells", {})
    if text not in cache:
        whole = WHOLE_TAG.match(text)
        if whole and "}}" not in whole.group(1) and "{{" not in whole.group(1):
            cache[text] = ("expr", env.compile_expression(whole.group(1).strip(), undefined_to_none=False))
        else:
            cache[text] = ("template", env.from_string(text))
    return cache[text]


def _render_cell(env: jinja2.Environment, text: str, ctx: dict[str, Any], where: str) -> Any:
    try:
        kind, compiled = _compiled(env, text)
        if kind == "expr":
            value = compiled(**ctx)
            if isinstance(value, jinja2.Undefined):
                str(value)  # StrictUndefined raises with the missing name
            return "" if value is None else value
        return compiled.render(**ctx)
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"模板 {where} 用了数据中没有的名称：{exc.message}") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"模板 {where} 的标签有误：{exc}") from exc


def expressions(path: Path) -> list[tuple[str, str]]:
    """Every tagged cell of a template: (sheet!cell, text), for the template-rot test."""
    path = Path(path)
    stat = path.stat()
    return list(_expressions(str(path), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=64)
def _expressions(path: str, mtime_ns: int, size: int) -> tuple[tuple[str, str], ...]:
    wb = load_workbook(path)
    return tuple((f"{ws.title}!{c.coordinate}", c.value) for ws in wb.worksheets for row in ws.iter_rows()
                 for c in row if isinstance(c.value, str) and HAS_TAG.search(c.value))


def names_used(path: Path, env: jinja2.Environment | None = None) -> set[str]:
    """The top-level names the tags of an .xlsx template use (``n`` included), found in the
    sandbox process (jinja folds constants as it parses) once per file version: a summary of
    150 dossiers asks 150 times."""
    stat = Path(path).stat()
    return set(_names_cached(str(path), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=64)
def _names_cached(path: str, mtime_ns: int, size: int) -> frozenset[str]:
    return frozenset(run_isolated(_names_used, (Path(path),), name=Path(path).name))


def _names_used(path: Path) -> set[str]:
    env = make_environment()
    used: set[str] = set()
    for where, text in expressions(path):
        try:
            used |= meta.find_undeclared_variables(env.parse(text))
            for condition in ONLY.findall(text):
                used |= meta.find_undeclared_variables(env.parse(f"{{{{ {condition} }}}}"))
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"模板 {path.name} {where} 的标签有语法错误：{exc.message}") from exc
    return used


def render_xlsx(template: TemplateFile, contexts: list[dict[str, Any]], out: Path) -> Path:
    """Render ``template`` with one row per context; header tags use the first context."""
    if not contexts:
        raise TemplateError("没有可汇总的申报材料")
    with collector_paused():  # 150 dossiers' data: no full collections while it is built (issue 20)
        data = [plain(c) for c in contexts]
    data = run_isolated(_render_bytes, (template, data), name=template.path.name)
    atomic_write_bytes(out, data)
    return out


def _render_bytes(template: TemplateFile, contexts: list[dict[str, Any]]) -> bytes:
    """Runs in the sandbox process: the rendered workbook as bytes."""
    import io

    env = make_environment(template.path.parent)
    try:
        wb = load_workbook(template.path)
    except Exception as exc:
        raise TemplateError(f"模板 {template.path} 不是有效的 .xlsx 文件：{exc}") from exc
    name = template.path.name
    for ws in wb.worksheets:
        _render_sheet(ws, env, contexts, name)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _data_rows(ws: Any) -> list[int]:
    """The row templates: the tagged rows with the most tagged cells (titles have one tag);
    several when the table has blocks (each row template filtered with ``{# only: … #}``)."""
    counts = {row[0].row: sum(1 for c in row if isinstance(c.value, str) and HAS_TAG.search(c.value))
              for row in ws.iter_rows()}
    best = max(counts.values(), default=0)
    if best <= 1:
        return []
    filtered = [r for r in counts if counts[r] > 1 and any(
        isinstance(c.value, str) and ONLY.search(c.value) for c in ws[r])]
    return filtered or [max((r for r in counts if counts[r] == best), key=lambda r: r)]


def _render_sheet(ws: Any, env: jinja2.Environment, contexts: list[dict[str, Any]], name: str) -> None:
    first = dict(contexts[0], n=1)
    templates = _data_rows(ws)
    # Header and footer cells with tags: rendered once, with the first context.
    for row in ws.iter_rows():
        if row[0].row in templates:
            continue
        for c in row:
            if isinstance(c.value, str) and HAS_TAG.search(c.value):
                set_cell(c, _render_cell(env, c.value, first, f"{name} {ws.title}!{c.coordinate}"))
    for row_t in sorted(templates, reverse=True):  # bottom up: a block's rows move the blocks below
        _render_block(ws, env, contexts, name, row_t)


def _render_block(ws: Any, env: jinja2.Environment, contexts: list[dict[str, Any]], name: str, row_t: int) -> None:
    """One copy of row ``row_t`` per context its ``{# only: EXPR #}`` admits (all without
    one), numbered from 1; a block no dossier belongs to keeps one blank row."""
    width = ws.max_column
    cells = [ws.cell(row_t, col) for col in range(1, width + 1)]
    texts = [c.value for c in cells]
    condition = next((m.group(1) for t in texts if isinstance(t, str) for m in [ONLY.search(t)] if m), None)
    texts = [ONLY.sub("", t) if isinstance(t, str) else t for t in texts]
    if condition:
        test = env.compile_expression(condition)
        contexts = [ctx for ctx in contexts if test(**ctx)]
    styles = [copy.copy(c._style) for c in cells]
    height = ws.row_dimensions[row_t].height
    if not contexts:
        for cell, text in zip(cells, texts):
            cell.value = "" if isinstance(text, str) and HAS_TAG.search(text) else text
        return
    extra = len(contexts) - 1
    if extra:
        _shift_below(ws, row_t, extra)
    for i, ctx in enumerate(contexts):
        r = row_t + i
        ctx = dict(ctx, n=i + 1)
        for col, (text, style) in enumerate(zip(texts, styles), 1):
            cell = ws.cell(r, col)
            cell._style = copy.copy(style)
            if isinstance(text, str) and HAS_TAG.search(text):
                set_cell(cell, _render_cell(env, text, ctx, f"{name} {ws.title}!{get_column_letter(col)}{row_t}"))
            else:
                cell.value = text
        if height is not None:
            ws.row_dimensions[r].height = height


def _shift_below(ws: Any, row_t: int, by: int) -> None:
    """Move every row after ``row_t`` down by ``by`` rows, merged ranges included."""
    if row_t >= ws.max_row:
        return  # the row template is the last row (no notes below): nothing to move
    below = [m for m in ws.merged_cells.ranges if m.min_row > row_t]
    for m in below:
        ws.merged_cells.remove(m)
    heights = {r: ws.row_dimensions[r].height for r in range(row_t + 1, ws.max_row + 1)}
    ws.move_range(f"A{row_t + 1}:{get_column_letter(ws.max_column)}{ws.max_row}", rows=by, translate=False)
    for r, h in sorted(heights.items(), reverse=True):
        ws.row_dimensions[r + by].height = h
        ws.row_dimensions[r].height = None
    for m in below:
        m.shift(0, by)
        ws.merged_cells.add(m)
