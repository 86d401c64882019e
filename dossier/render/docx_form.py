"""Rendering one .docx form template with docxtpl in the sandboxed, strict environment."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from ..errors import TemplateError
from ..fileio import atomic_write_bytes
from .environment import make_environment
from .sandbox import plain, run_isolated
from .templates import TemplateFile
from .vmerge import FormTemplate

def _where(exc: jinja2.TemplateError) -> str:
    lines = [line.strip() for line in getattr(exc, "docx_context", []) or [] if line.strip()]
    return f"；模板附近文字：{' '.join(lines)[:160]}" if lines else ""


def template_names(template: TemplateFile) -> set[str]:
    """The top-level names a .docx template uses (for the context and the template-rot test).
    Parsed in the sandbox process too: jinja folds constants (``'A' * 4000000000``) as it parses."""
    return run_isolated(_names, (template,), name=template.path.name)


_INCLUDED = re.compile(r"\{%-?\s*(?:include|import|from|extends)\s+['\"]([^'\"]+)['\"]")


def _names(template: TemplateFile) -> set[str]:
    try:
        doc = FormTemplate(str(template.path))
        names = doc.get_undeclared_template_variables(make_environment())
        env = make_environment(template.path.parent)
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
        raise TemplateError(f"模板 {template.path} 有语法错误：{exc.message}（第 {exc.lineno} 行附近）") from exc
    except Exception as exc:  # not a .docx (zip) at all
        raise TemplateError(f"模板 {template.path} 无法读取：{exc}") from exc


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


def render_docx(template: TemplateFile, context: dict[str, Any], out: Path) -> Path:
    """Render ``template`` with ``context`` (as plain data, in the sandbox process) to
    ``out`` (written atomically, only when the rendering succeeded)."""
    data = run_isolated(_render_bytes, (template, plain(context)), name=template.path.name)
    atomic_write_bytes(out, data)
    return out
