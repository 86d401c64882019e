"""Rendering one .docx form template with docxtpl in the sandboxed, strict environment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from ..errors import TemplateError
from ..fileio import atomic_write_bytes
from .environment import make_environment
from .templates import TemplateFile
from .vmerge import FormTemplate

def _where(exc: jinja2.TemplateError) -> str:
    lines = [line.strip() for line in getattr(exc, "docx_context", []) or [] if line.strip()]
    return f"；模板附近文字：{' '.join(lines)[:160]}" if lines else ""


def template_names(template: TemplateFile) -> set[str]:
    """The top-level names a .docx template uses (for the context and the template-rot test)."""
    try:
        return FormTemplate(str(template.path)).get_undeclared_template_variables(make_environment())
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"模板 {template.path} 有语法错误：{exc.message}（第 {exc.lineno} 行附近）") from exc
    except Exception as exc:  # not a .docx (zip) at all
        raise TemplateError(f"模板 {template.path} 无法读取：{exc}") from exc


def render_docx(template: TemplateFile, context: dict[str, Any], out: Path) -> Path:
    """Render ``template`` with ``context`` to ``out`` (written atomically)."""
    doc = FormTemplate(str(template.path))
    try:
        doc.render(context, make_environment(), autoescape=True)
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"模板 {template.path.name} 用了数据中没有的名称：{exc.message}{_where(exc)}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"模板 {template.path.name} 有语法错误：{exc.message}{_where(exc)}") from exc
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"模板 {template.path.name} 试图访问不允许的内容：{exc}") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"模板 {template.path.name} 渲染失败：{exc}{_where(exc)}") from exc
    import io

    buffer = io.BytesIO()
    doc.save(buffer)
    atomic_write_bytes(out, buffer.getvalue())
    return out
