"""Render the forms of a dossier (``dossier render``) and many-enterprise tables
(``dossier summary``): find each template, build the context it uses, fill it, and
optionally convert the results to PDF in one LibreOffice batch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..checklist import ChecklistReport
from ..errors import BadInputError, TemplateError
from ..loader import LoadedDossier
from ..outdir import check_output_folder
from ..schemes import FormDef
from .context import ContextBuilder
from .docx_form import render_docx, template_names
from .pdf import convert_to_pdf
from .templates import TemplateFile, find_template
from .xlsx_form import names_used, render_xlsx

OUTPUT_DIR = "output"


@dataclass
class RenderedForm:
    form: FormDef
    path: Path
    template: Path
    user_template: bool
    title: str = ""  # the title with this dossier's years (FormDef.display_title)
    pdf: Path | None = None
    pdf_error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "form": self.form.id, "annex": self.form.annex, "title": self.title or self.form.title,
            "file": str(self.path), "pdf": str(self.pdf) if self.pdf else None, "pdf_error": self.pdf_error,
            "template": str(self.template), "user_template": self.user_template,
        }


def select_forms(loaded: LoadedDossier, form_ids: list[str] | None) -> list[FormDef]:
    """The forms to render: all single-dossier forms of the scheme, or those asked for."""
    scheme = loaded.scheme
    if not form_ids:
        return [f for f in scheme.forms if f.scope == "single"]
    known = {f.id: f for f in scheme.forms}
    unknown = [i for i in form_ids if i not in known]
    if unknown:
        raise BadInputError(f"方案 {scheme.id} 没有表单 {'、'.join(unknown)}；可用：{'、'.join(known)}")
    return [known[i] for i in form_ids]


def _context_for(builder: ContextBuilder, template: TemplateFile) -> dict[str, Any]:
    """The names the template uses, computed; ``entries`` lists this dossier's lazy context."""
    if template.path.suffix.lower() == ".docx":
        names = template_names(template)
    else:
        names = names_used(template.path)
    ctx = builder.context(template.form, names)
    ctx["entries"] = [builder.lazy(template.form)]
    return ctx


def render_forms(
    loaded: LoadedDossier,
    *,
    form_ids: list[str] | None = None,
    out_dir: Path | None = None,
    templates: Path | None = None,
    pdf: bool = False,
    on: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
    checklist: ChecklistReport | None = None,
) -> list[RenderedForm]:
    """Render the forms of ``loaded`` into ``out_dir`` (default ``<dossier>/output``).

    ``checklist``: the evidence check as of ``on`` when the caller has run it already
    (forms that list the evidence read it instead of checking again)."""
    out_dir = check_output_folder(Path(out_dir) if out_dir else loaded.directory / OUTPUT_DIR, loaded.directory,
                                  replaces=False)
    if pdf:  # LibreOffice starts first and gets ready while the forms are filled
        from .office import warm_office

        with warm_office():
            rendered = render_forms(loaded, form_ids=form_ids, out_dir=out_dir, templates=templates,
                                    on=on, progress=progress, checklist=checklist)
            to_pdf(rendered, progress=progress)
        return rendered
    builder = ContextBuilder(loaded, on=on, checklist=checklist)
    rendered: list[RenderedForm] = []
    for form in select_forms(loaded, form_ids):
        template = find_template(form, templates)
        if progress:
            progress(f"填写 {form.annex} {form.display_title(loaded.dossier.reporting_year)}")
        target = out_dir / f"{form.id}{template.path.suffix.lower()}"
        ctx = _context_for(builder.view(form.author), template)
        if template.path.suffix.lower() == ".xlsx":
            render_xlsx(template, [ctx], target)
        else:
            render_docx(template, ctx, target)
        rendered.append(RenderedForm(form, target, template.path, template.user,
                                     title=form.display_title(loaded.dossier.reporting_year)))
    return rendered


def to_pdf(rendered: list[RenderedForm], *, progress: Callable[[str], None] | None = None) -> None:
    """Convert rendered forms to PDF beside them (one LibreOffice batch)."""
    def tick(src: Path, ok: bool) -> None:
        if progress:
            progress(f"转换 PDF {src.name}：{'完成' if ok else '失败'}")

    results = convert_to_pdf([(r.path, r.path.with_suffix(".pdf")) for r in rendered], progress=tick)
    for r, conv in zip(rendered, results):
        r.pdf = conv.dst if conv.ok else None
        r.pdf_error = conv.error


def render_summary(
    dossiers: list[LoadedDossier],
    form_id: str,
    out: Path,
    *,
    templates: Path | None = None,
    on: dt.date | None = None,
) -> Path:
    """One many-enterprise table (培育计划汇总表, 推荐名单汇总表, …) with a row per dossier."""
    if not dossiers:
        raise BadInputError("没有给出申报材料目录")
    forms = []
    for loaded in dossiers:
        match = [f for f in loaded.scheme.forms if f.id == form_id]
        if not match:
            have = "、".join(f.id for f in loaded.scheme.forms)
            raise BadInputError(f"{loaded.directory}：方案 {loaded.scheme.id} 没有表单 {form_id}；可用：{have}")
        forms.append(match[0])
    form = forms[0]
    template = find_template(form, templates)
    suffix = template.path.suffix.lower()
    out = Path(out)
    if out.suffix.lower() != suffix:
        raise BadInputError(f"表单 {form_id} 的模板是 {suffix} 文件，输出文件名应以 {suffix} 结尾：{out}")
    builders = [ContextBuilder(loaded, on=on) for loaded in dossiers]
    if suffix == ".xlsx":
        contexts = [_context_for(b, TemplateFile(f, template.path, template.user)) for b, f in zip(builders, forms)]
        return render_xlsx(template, contexts, out)
    if "entries" not in template_names(template):
        raise TemplateError(f"模板 {template.path.name} 不是多企业汇总表（没有使用 entries），不能汇总")
    ctx = _context_for(builders[0], template)
    ctx["entries"] = [b.lazy(f) for b, f in zip(builders, forms)]
    return render_docx(template, ctx, out)
