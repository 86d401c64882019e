"""What goes into the package, in order: the sections of the 材料目录 (one per evidence
item, forms at their item or before the evidence) and the files of each section."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..evidence_check import STATUS_LABELS, EvidenceCheckReport
from ..loader import LoadedDossier
from ..names import display
from ..paths import OUTSIDE_LINK, inside
from ..schemes import FormDef


@dataclass
class Part:
    """One file of the package, before and after conversion to PDF."""

    title: str  # the bookmark: the file name, or the form's annex and title
    source: Path  # the file as the user has it (or the rendered form)
    rel: str  # how the manifest names it: evidence/… or forms/<id>.docx
    kind: str  # form | signed | evidence
    pdf: Path | None = None  # the PDF pages it became
    pages: int = 0
    problem: str | None = None  # why it was left out
    shrink: bool = True  # pages are scaled by ~5 % to leave the stamp strip clear (forms have their own footers)


@dataclass
class Section:
    no: int | None
    title: str
    status: str  # a checklist status (ok, missing, …) or "form"
    parts: list[Part] = field(default_factory=list)
    form: FormDef | None = None
    problems: list[str] = field(default_factory=list)
    volume: int | None = None  # the volume it is in, when the package is split
    first_page: int = 0  # its first page in its volume (0: no pages)

    @property
    def label(self) -> str:
        return "表单" if self.status == "form" else STATUS_LABELS.get(self.status, self.status)

    @property
    def included(self) -> list[Part]:
        return [p for p in self.parts if p.pdf is not None and p.pages > 0]


def plan_sections(loaded: LoadedDossier, report: EvidenceCheckReport, forms: dict[str, Path],
                  signed: dict[str, Path]) -> list[Section]:
    """The sections in package order.

    ``forms`` maps form id → rendered .docx; ``signed`` maps form id → the signed scan
    (evidence/signed/<id>.*), which takes the generated form's place.
    """
    scheme = loaded.scheme
    by_no = {r.no: r for r in report.items}
    placed = {e.form for e in scheme.evidence_list if e.form}
    sections: list[Section] = []
    for form in scheme.forms:
        if form.scope == "single" and form.id not in placed and form.id in forms:
            sections.append(_form_section(None, f"{form.annex} {form.display_title(loaded.dossier.reporting_year)}", form, forms, signed, loaded))
    for item in scheme.evidence_list:
        result = by_no[item.no]
        if item.form and item.form in forms:
            section = _form_section(item.no, item.title, scheme.form(item.form), forms, signed, loaded)
            # the user's own scans in the item's folder (other than the signed one) follow the form
            extra = [rel for rel in result.files if not rel.startswith("evidence/signed/")]
            if extra and item.form not in signed:
                section.parts = [_evidence_part(loaded, rel, "signed") for rel in extra]
            sections.append(section)
            continue
        section = Section(item.no, item.title, result.status, problems=list(result.problems))
        section.parts = [_evidence_part(loaded, rel) for rel in result.files]
        sections.append(section)
    return sections


def _evidence_part(loaded: LoadedDossier, rel: str, kind: str = "evidence") -> Part:
    path = loaded.directory / rel
    part = Part(title=display(Path(rel).name), source=path, rel=display(rel), kind=kind)
    if not inside(path, loaded.directory):
        part.problem = OUTSIDE_LINK  # never read, copied or hashed
    return part


def _form_section(no: int | None, title: str, form: FormDef, forms: dict[str, Path], signed: dict[str, Path],
                  loaded: LoadedDossier) -> Section:
    section = Section(no, title, "form", form=form)
    title = form.display_title(loaded.dossier.reporting_year)
    if form.id in signed:
        path = signed[form.id]
        rel = path.relative_to(loaded.directory).as_posix()
        section.parts = [Part(f"{form.annex} {title}（签字盖章扫描件）", path, rel, "signed")]
    else:
        path = forms[form.id]
        section.parts = [Part(f"{form.annex} {title}", path, f"forms/{path.name}", "form")]
        section.problems.append("未签字盖章（生成稿）：签字盖章后将扫描件放入 evidence/signed/" + f"{form.id}.pdf")
    return section
