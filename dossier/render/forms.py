"""Render the forms of a dossier (``dossier render``) and many-enterprise tables
(``dossier summary``): find each template, build the context it uses, fill it, and
optionally convert the results to PDF in one LibreOffice batch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..evidence_check import EvidenceCheckReport
from ..errors import BadInputError, TemplateError
from ..fileio import atomic_write_bytes, safe_name
from ..loader import LoadedDossier
from ..outdir import check_output_folder
from ..schemes import FormDef
from .context import ContextBuilder
from .docx_form import render_docx, template_names
from .continued import first_rows_of_continued_pages, split_merges_at
from .layout import check_layout
from .pdf import convert_to_pdf
from .toc import fill_contents
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
    layout: list[str] = field(default_factory=list)  # layout findings of the PDF (layout.check_layout)

    def to_dict(self) -> dict[str, Any]:
        return {
            "form": self.form.id, "annex": self.form.annex, "title": self.title or self.form.title,
            "file": str(self.path), "pdf": str(self.pdf) if self.pdf else None, "pdf_error": self.pdf_error,
            "template": str(self.template), "user_template": self.user_template, "layout": self.layout,
        }


def form_file_name(loaded: LoadedDossier, form: FormDef, suffix: str) -> str:
    """A rendered form's file name: the enterprise's full name, the annex and the title
    (“常州澜衡汽车零部件有限公司 附件3 江苏省零碳（近零碳）工厂申报书.docx”), as the
    programmes ask the electronic copies to be named; the form id without a name."""
    title = form.display_title(loaded.dossier.reporting_year)
    name = loaded.dossier.subject.name
    return (safe_name(f"{name} {form.annex} {title}") if name else form.id) + suffix  # shortened, suffix kept


def select_forms(loaded: LoadedDossier, form_ids: list[str] | None) -> list[FormDef]:
    """The forms to render: every form of the scheme (a many-enterprise table with this
    dossier's row alone), or those asked for."""
    scheme = loaded.scheme
    if not form_ids:
        return list(scheme.forms)
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
    if {"x", "evidence"} & set(names):
        # the evidence check opens every evidence file in processes of its own: run it here,
        # not lazily inside the template's sandbox process (which may not start processes)
        builder.get("evidence")
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
    checklist: EvidenceCheckReport | None = None,
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
        target = out_dir / form_file_name(loaded, form, template.path.suffix.lower())
        ctx = _context_for(builder.view(form.author), template)
        if template.path.suffix.lower() == ".xlsx":
            render_xlsx(template, [ctx], target)
        else:
            render_docx(template, ctx, target)
        rendered.append(RenderedForm(form, target, template.path, template.user,
                                     title=form.display_title(loaded.dossier.reporting_year)))
    return rendered


def to_pdf(rendered: list[RenderedForm], *, progress: Callable[[str], None] | None = None,
           check: bool = True) -> None:
    """Convert rendered forms to PDF beside them (one LibreOffice batch), then check each
    PDF's layout (``r.layout``). A merged group label left blank on a continued page is
    repeated there in the .docx, which is converted again (at most three times)."""
    def tick(src: Path, ok: bool) -> None:
        if progress:
            progress(f"转换 PDF {src.name}：{'完成' if ok else '失败'}")

    def convert(batch: list[RenderedForm]) -> None:
        results = convert_to_pdf([(r.path, r.path.with_suffix(".pdf")) for r in batch], progress=tick)
        for r, conv in zip(batch, results):
            r.pdf = conv.dst if conv.ok else None
            r.pdf_error = conv.error
            if conv.ok and conv.contents and r.path.suffix.lower() == ".docx":
                fill_contents(r.path, conv.contents)  # the .docx 目录 shows the PDF's page numbers

    convert(rendered)
    if not check:
        return
    before: dict[int, tuple[list[str], bytes, bytes]] = {}  # the last state, restored if a fix makes it worse
    for attempt in range(4):
        again = []
        for r in rendered:
            if r.pdf is None:
                continue
            if progress and attempt == 0:
                progress(f"检查版面 {r.pdf.name}")
            findings = check_layout(r.pdf, r.form.id)
            layout = [str(f) for f in findings]
            if id(r) in before and len(layout) >= len(before[id(r)][0]):
                layout, docx, pdf = before.pop(id(r))  # the repeated labels moved the pages: undo
                atomic_write_bytes(r.path, docx)
                atomic_write_bytes(r.pdf, pdf)
                r.layout = layout
                continue
            r.layout = layout
            pages = sorted({f.page for f in findings if f.kind == "label"})
            if pages and attempt < 3 and r.path.suffix.lower() == ".docx":
                saved = (layout, r.path.read_bytes(), r.pdf.read_bytes())
                if split_merges_at(r.path, first_rows_of_continued_pages(r.pdf, pages)):
                    before[id(r)] = saved
                    again.append(r)
        if not again:
            break
        convert(again)


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
