"""Finding a form's template: the user's folder first (``--templates DIR``), then the
bundled ``form_templates/``. A template is named by form id: ``<form-id>.docx`` or
``<form-id>.xlsx`` (the scheme's ``forms[].template`` gives the file name)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import TemplateError
from ..resources import templates_dir
from ..schemes import FormDef


@dataclass(frozen=True)
class TemplateFile:
    form: FormDef
    path: Path
    user: bool  # True: from the user's --templates folder (overrides the bundled one)


def find_template(form: FormDef, user_dir: Path | None = None) -> TemplateFile:
    if user_dir is not None:
        if not user_dir.is_dir():
            raise TemplateError(f"模板目录不存在：{user_dir}")
        mine = user_dir / form.template
        if mine.is_file():
            return TemplateFile(form, mine, True)
    bundled = templates_dir() / form.template
    if not bundled.is_file():
        raise TemplateError(f"表单 {form.id}（{form.annex} {form.title}）的模板不存在：{bundled}")
    return TemplateFile(form, bundled, False)
