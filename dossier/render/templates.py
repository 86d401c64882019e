"""Finding a form's template: the user's folder first (``--templates DIR``), then the
folders of ``DOSSIER_SCHEMES`` (an extra programme's templates beside its scheme file),
then the bundled ``form_templates/``. A template is named by form id: ``<form-id>.docx`` or
``<form-id>.xlsx`` (the scheme's ``forms[].template`` gives the file name)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import TemplateError
from ..resources import template_dirs, templates_dir
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
    for folder in template_dirs():
        if (folder / form.template).is_file():
            return TemplateFile(form, folder / form.template, False)
    raise TemplateError(f"表单 {form.id}（{form.annex} {form.title}）的模板不存在：{templates_dir() / form.template}")
