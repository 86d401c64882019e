"""Rendering one .docx form template with docxtpl in the sandboxed, strict environment."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from ..errors import TemplateError
from ..fileio import atomic_write_bytes
from ..resources import templates_dir
from .environment import make_environment
from .sandbox import plain, run_isolated
from .templates import TemplateFile
from .vmerge import FormTemplate


def _where(exc: jinja2.TemplateError) -> str:
    lines = [line.strip() for line in getattr(exc, "docx_context", []) or [] if line.strip()]
    return f"；模板附近文字：{' '.join(lines)[:160]}" if lines else ""


NAMES_FILE = "names.json"  # beside the bundled templates: their names, by content (sha256)


def template_names(template: TemplateFile) -> set[str]:
    """The top-level names a .docx template uses (for the context and the template-rot test).

    A template whose bytes are those of a bundled one (none of which includes another)
    uses the names its generator recorded in ``form_templates/names.json`` (parsing one
    costs ~0.3 s, before LibreOffice can start converting it: issue 20). Any other is
    parsed in the sandbox process: jinja folds constants (``'A' * 4000000000``) as it parses."""
    known = _bundled_names().get(_sha256(template.path))
    if known is not None:
        return set(known)
    return run_isolated(_names, (template.path,), name=template.path.name)


def _sha256(path: Path) -> str | None:
    try:
        if path.stat().st_size > 20 * 1024 * 1024:
            return None  # larger than any bundled template: not one of them
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # reported when it is parsed


@functools.lru_cache(maxsize=1)
def _bundled_names() -> dict[str, list[str]]:
    """sha256 → names of the bundled templates (an unreadable record: none, all parsed)."""
    try:
        record = json.loads((templates_dir() / NAMES_FILE).read_text(encoding="utf-8"))
        return {entry["sha256"]: list(entry["names"]) for entry in record.values()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


_INCLUDED = re.compile(r"\{%-?\s*(?:include|import|from|extends)\s+['\"]([^'\"]+)['\"]")


def names_record(paths: list[Path]) -> dict[str, dict[str, Any]]:
    """The ``names.json`` entries of bundled templates (written by ``python -m form_templates.build``)."""
    return {p.name: {"sha256": _sha256(p), "names": sorted(_names(p))} for p in sorted(paths)}


def _names(path: Path) -> set[str]:
    try:
        doc = FormTemplate(str(path))
        names = doc.get_undeclared_template_variables(make_environment())
        env = make_environment(path.parent)
        doc.init_docx()
        text = re.sub(r"<[^>]+>", "", doc.get_xml())
        for ref in set(_INCLUDED.findall(text)):  # the names of the templates it includes
            try:
                source = env.loader.get_source(env, ref)[0]  # type: ignore[union-attr]
            except jinja2.TemplateNotFound:
                continue  # reported when rendering
            names |= jinja2.meta.find_undeclared_variables(env.parse(source))
        return names
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"模板 {path} 有语法错误：{exc.message}（第 {exc.lineno} 行附近）") from exc
    except Exception as exc:  # not a .docx (zip) at all
        raise TemplateError(f"模板 {path} 无法读取：{exc}") from exc


def _render_bytes(template: TemplateFile, context: dict[str, Any]) -> bytes:
    """Runs in the sandbox process: the rendered .docx as bytes."""
    import io

    doc = FormTemplate(str(template.path))
    try:
        doc.render(context, make_environment(template.path.parent), autoescape=True)
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"模板 {template.path.name} 用了数据中没有的名称：{exc.message}{_where(exc)}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"模板 {template.path.name} 有语法错误：{exc.message}{_where(exc)}") from exc
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"模板 {template.path.name} 试图访问不允许的内容：{exc}") from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"模板 {template.path.name} 引用的文件 {exc.name} 不在模板文件夹中（只能引用同一文件夹中的模板）") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"模板 {template.path.name} 渲染失败：{exc}{_where(exc)}") from exc
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError, OverflowError) as exc:
        raise TemplateError(f"模板 {template.path.name} 渲染失败：{type(exc).__name__}：{str(exc)[:200]}{_where(exc)}") from exc
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


_rendered: dict[str, int] = {}  # sha256 of a bundled template → renders in this process


def precompile(template: TemplateFile) -> None:
    """Compile a bundled template's jinja code here, when it is rendered a second time in
    this process, so that the sandbox children that render it (one per dossier in a batch)
    find the code instead of compiling it again (a single build compiles each template once,
    in its child, as before). Only for a template whose bytes are a bundled one's
    (names.json): a user's template is compiled in its sandbox child only (jinja folds
    constants as it compiles)."""
    digest = _sha256(template.path)
    if digest is None or digest not in _bundled_names():
        return
    _rendered[digest] = _rendered.get(digest, 0) + 1
    if _rendered[digest] != 2:
        return
    env = make_environment(template.path.parent)
    env.record_code = True
    try:  # the body compiles (and is kept), then its first name fails to render: enough
        FormTemplate(str(template.path)).render({}, env, autoescape=True)
    except Exception:  # noqa: BLE001 - an empty context cannot render; the code is what is wanted
        pass


def render_docx(template: TemplateFile, context: dict[str, Any], out: Path) -> Path:
    """Render ``template`` with ``context`` (as plain data, in the sandbox process) to
    ``out`` (written atomically, only when the rendering succeeded)."""
    precompile(template)
    data = run_isolated(_render_bytes, (template, plain(context)), name=template.path.name)
    atomic_write_bytes(out, data)
    return out
