"""``dossier build``: the complete submission package, as a pipeline of small steps —
check → render the forms → plan the sections → convert everything to PDF pages (one
LibreOffice batch) → cover, 目录 and page stamps → assemble → fit the size limit →
manifest and zip → swap the new package into place atomically.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import shutil
import tempfile
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .. import interrupts
from ..errors import NotReadyError, SystemComponentError
from ..evidence_check import BLOCKING, SIGNED_DIR, check_dossier
from ..fileio import safe_name
from ..loader import LoadedDossier
from ..outdir import check_output_folder, mark
from ..paths import OUTSIDE_LINK, inside
from ..render import render_forms
from ..render.pdf import convert_to_pdf
from ..render.toc import fill_contents
from ..safefile import inspect_many
from . import size as sizing
from .assemble import assemble
from .frontmatter import Volume, build_front_matter
from .plan import Section, plan_sections
from .topdf import normalize_part, office_jobs

OUTPUT = Path("output") / "package"
Progress = Callable[[str], None] | None


@dataclass
class BuildReport:
    out_dir: Path
    packages: list[Path]
    forms: list[Path]
    archive: Path
    manifest: Path
    pages: int
    size: int
    sections: list[Section]
    complete: bool
    left_out: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    score: Any = None

    @property
    def missing(self) -> list[Section]:
        return [s for s in self.sections if s.status in BLOCKING]

    @property
    def exit_code(self) -> int:
        eligible = True if self.score is None else bool(self.score.eligible)
        return 0 if self.complete and eligible else 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "out_dir": str(self.out_dir),
            "packages": [str(p) for p in self.packages],
            "forms": [str(p) for p in self.forms],
            "archive": str(self.archive),
            "manifest": str(self.manifest),
            "pages": self.pages,
            "size": self.size,
            "complete": self.complete,
            "missing": [{"no": s.no, "title": s.title, "status": s.label} for s in self.missing],
            "left_out": [{"file": f, "problem": p} for f, p in self.left_out],
            "warnings": self.warnings,
            "score": None if self.score is None else {
                "total": self.score.total, "max": self.score.max, "eligible": self.score.eligible},
        }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _signed_scans(loaded: LoadedDossier) -> dict[str, Path]:
    folder = loaded.evidence_dir / SIGNED_DIR
    form_ids = {f.id for f in loaded.scheme.forms}
    found: dict[str, Path] = {}
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if (path.is_file() and path.stem in form_ids and not path.name.startswith(".")
                    and inside(path, loaded.directory)):
                found.setdefault(path.stem, path)
    return found


def _with_warm_office(fn):
    """Start LibreOffice as the build starts: it gets ready while Python checks and fills
    the forms, and every conversion of the build uses it (issue 20)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from ..render.office import warm_office

        with warm_office():
            return fn(*args, **kwargs)
    return wrapper


@_with_warm_office
def build_package(
    loaded: LoadedDossier,
    *,
    out: Path | None = None,
    allow_incomplete: bool = False,
    max_size: int | None = None,
    templates: Path | None = None,
    on: dt.date | None = None,
    progress: Progress = None,
) -> BuildReport:
    say = progress or (lambda _m: None)
    d = loaded.dossier
    on = on or d.submission_date or dt.date.today()
    out = check_output_folder(Path(out) if out else loaded.directory / OUTPUT, loaded.directory, replaces=True)
    say("检查证明材料")
    report = check_dossier(loaded, on)
    blocking = [i for i in report.items if i.status in BLOCKING]
    if blocking and not allow_incomplete:
        lines = "\n".join(f"  {i.no}. {i.title}：{i.label}（{'；'.join(i.problems[:1])}）" for i in blocking)
        raise NotReadyError(f"材料不齐全，未生成材料包：\n{lines}\n补齐后重试，或加 --allow-incomplete 生成标注“缺失”的材料包。")
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        result = _build(loaded, report, work, out, allow_incomplete, max_size, templates, on, say)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return result


def _build(loaded, report, work: Path, out: Path, allow_incomplete: bool, max_size: int | None,
           templates: Path | None, on: dt.date, say: Callable[[str], None]) -> BuildReport:
    d, scheme = loaded.dossier, loaded.scheme
    final = work / "final"
    scratch = work / "scratch"
    final.mkdir()
    scratch.mkdir()
    say("填写表单")
    rendered = render_forms(loaded, out_dir=scratch / "forms", templates=templates, on=on, checklist=report)
    forms = {r.form.id: r.path for r in rendered}
    sections = plan_sections(loaded, report, forms, _signed_scans(loaded))
    parts = [p for s in sections for p in s.parts]
    if templates is None:
        from .frontpdf import preload

        preload()  # the cover's font loads while LibreOffice converts
    say(f"整理 {len(parts)} 个文件")
    # The forms go to LibreOffice at once; the evidence is checked and turned into PDF
    # pages meanwhile (issue 20); Word/Excel evidence follows in the same LibreOffice.
    for i, part in enumerate(parts):
        if part.kind == "form":
            normalize_part(part, scratch, i)
    form_jobs = office_jobs([p for p in parts if p.kind == "form"], scratch)
    with _converting(form_jobs, say) as converted:
        for i, part in enumerate(parts):
            if part.kind != "form":
                normalize_part(part, scratch, i)
    jobs = office_jobs([p for p in parts if p.kind != "form"], scratch, start=len(parts))
    if jobs:
        _record(jobs, _convert(jobs, say))
    _record(form_jobs, converted)
    failed_forms = [p for p in parts if p.kind == "form" and p.problem]
    if failed_forms:
        raise SystemComponentError("表单转换 PDF 失败：" + "；".join(f"{p.title}：{p.problem}" for p in failed_forms))
    left_out = [(p.rel, p.problem) for p in parts if p.problem]
    name = safe_name(d.subject.name or "申报材料")
    scheme_title = scheme.full_title or scheme.name
    volumes = [list(range(len(sections)))]
    say("生成封面、目录和页码")
    packages = _write_volumes(sections, volumes, final, name, scheme_title, d, templates, scratch, on)
    size = sum(p.stat().st_size for p in packages)
    warnings: list[str] = []
    if max_size and size > max_size:
        say(f"材料包 {sizing.human(size)} 超过 {sizing.human(max_size)}：压缩扫描图片")
        for p in packages:
            sizing.recompress(p)
        size = sum(p.stat().st_size for p in packages)
        if size > max_size:
            say("仍超过上限：按材料分册")
            for p in packages:
                p.unlink()
            volumes = _plan_volumes(sections, max_size)
            packages = _write_volumes(sections, volumes, final, name, scheme_title, d, templates, scratch, on)
            for p in packages:
                sizing.recompress(p)
            size = sum(p.stat().st_size for p in packages)
            too_big = [p.name for p in packages if p.stat().st_size > max_size]
            if too_big:
                warnings.append(f"以下分册仍超过 {sizing.human(max_size)}（单项材料过大，请压缩或拆分该项文件）：{'、'.join(too_big)}")
    forms_dir = final / "forms"
    forms_dir.mkdir()
    form_files = []
    for r in rendered:
        target = forms_dir / safe_name(f"{r.form.annex} {r.title}{r.path.suffix}")
        shutil.copyfile(r.path, target)
        form_files.append(target)
    pages = sum(sizing.page_count(p) for p in packages)
    manifest = final / "manifest.json"
    manifest.write_text(json.dumps(_manifest(loaded, sections, packages, form_files, on, pages),
                                   ensure_ascii=False, indent=2), encoding="utf-8")
    archive = final / f"{name}.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in [*packages, *form_files, manifest]:
            zf.write(path, path.relative_to(final).as_posix())
    mark(final)
    interrupts.check()  # Ctrl-C at any time keeps the previous package, even if its exception was lost
    _swap_into_place(final, out)
    shutil.rmtree(work, ignore_errors=True)
    moved = lambda p: out / p.relative_to(final)  # noqa: E731
    from ..scoring import score_dossier

    complete = not any(s.status in BLOCKING for s in sections)
    return BuildReport(
        out_dir=out, packages=[moved(p) for p in packages], forms=[moved(p) for p in form_files],
        archive=moved(archive), manifest=moved(manifest), pages=pages, size=size, sections=sections,
        complete=complete, left_out=left_out, warnings=warnings, score=score_dossier(loaded),
    )


def _convert(jobs: list[tuple[Any, Path]], say: Callable[[str], None]) -> list[Any]:
    say(f"LibreOffice 转换 {len(jobs)} 个文件为 PDF")
    return convert_to_pdf([(part.source, pdf) for part, pdf in jobs],
                          progress=lambda src, ok: say(f"  {src.name}：{'完成' if ok else '失败'}"))


def _record(jobs: list[tuple[Any, Path]], results: list[Any]) -> None:
    converted = [(part, conv) for (part, _), conv in zip(jobs, results) if conv.ok]
    # the PDFs' pages counted by the one safe opener, all in one child process
    found = inspect_many([(conv.dst, "pdf") for _, conv in converted])
    for (part, conv), pdf in zip(converted, found):
        if conv.contents and part.kind == "form" and part.source.suffix.lower() == ".docx":
            fill_contents(part.source, conv.contents)  # forms/*.docx: the 目录 shows the PDF's page numbers
        if pdf.problem:
            part.pdf, part.pages, part.problem = None, 0, pdf.problem
        else:
            part.pdf, part.pages = conv.dst, pdf.pages
    for (part, _), conv in zip(jobs, results):
        if not conv.ok:
            part.problem = conv.error


@contextlib.contextmanager
def _converting(jobs: list[tuple[Any, Path]], say: Callable[[str], None]):
    """Convert ``jobs`` in a helper thread (with this build's LibreOffice) during the
    block; the list yielded holds the results once the block has ended. When the block
    fails (Ctrl-C), LibreOffice is stopped, so the conversion ends with it."""
    from ..render.office import current, lent

    results: list[Any] = []
    if not jobs:
        yield results
        return
    office = current()
    failure: list[BaseException] = []

    def work() -> None:
        try:
            with lent(office):
                results.extend(_convert(jobs, say))
        except BaseException as exc:  # raised in the build's own thread below
            failure.append(exc)

    helper = threading.Thread(target=work, name="dossier-convert", daemon=True)
    helper.start()
    try:
        yield results
        helper.join()
    except BaseException as exc:  # also Ctrl-C while waiting for the helper
        if office is not None and not isinstance(exc, Exception):
            office.close()  # interrupted: the conversion ends with it and starts no other
        elif office is not None:
            office.stop()  # a failure: the batch's next dossier may start it again
        helper.join(30)
        raise
    if failure:
        raise failure[0]


def _plan_volumes(sections: list[Section], max_size: int) -> list[list[int]]:
    sizes = [sum(p.pdf.stat().st_size for p in s.included) for s in sections]
    # the estimate counts the files as they are; recompression usually shrinks scans further
    return sizing.split_points(sizes, int(max_size * 0.9), overhead=200_000)


def _write_volumes(sections, volumes, final: Path, name: str, scheme_title: str, d, templates, scratch: Path,
                   on: dt.date) -> list[Path]:
    many = len(volumes) > 1
    chosen = [[sections[i] for i in indexes] for indexes in volumes]
    labels = [f"第{v}册，共{len(volumes)}册" if many else "" for v in range(1, len(volumes) + 1)]
    folder = scratch / f"front-{len(volumes)}"  # a fresh folder per layout: no stale lock files
    folder.mkdir(exist_ok=True)
    fronts = build_front_matter(
        [Volume(s, label) for s, label in zip(chosen, labels)], scheme_title=scheme_title,
        subject=d.subject.name or "", credit_code=d.subject.credit_code, date=d.fill_date or on,
        workdir=folder, templates=templates,
    )
    packages = []
    for v, (secs, label, front) in enumerate(zip(chosen, labels, fronts), 1):
        file = final / (f"{name}（第{v}册）.pdf" if many else f"{name}.pdf")
        assemble(secs, front, file, title=f"{d.subject.name} {scheme_title}申报材料 {label}".strip())
        for section, start in zip(secs, front.starts):
            section.volume = v if many else None
            section.first_page = start
        packages.append(file)
    return packages


def _manifest(loaded, sections, packages, form_files, on, pages) -> dict[str, Any]:
    d, scheme = loaded.dossier, loaded.scheme
    items = []
    for s in sections:
        page = s.first_page
        files = []
        for p in s.parts:
            entry = {"file": p.rel, "kind": p.kind, "sha256": _sha256(p.source) if p.source.is_file() and p.problem != OUTSIDE_LINK else None}
            if p.pdf is not None and p.pages:
                entry["pages"] = [page, page + p.pages - 1]
                page += p.pages
            else:
                entry["left_out"] = p.problem
            files.append(entry)
        items.append({"no": s.no, "title": s.title, "status": s.label, "volume": s.volume,
                      "files": files, "problems": s.problems})
    return {
        "scheme": scheme.id, "scheme_name": scheme.name, "subject": d.subject.name,
        "credit_code": d.subject.credit_code, "reporting_year": d.reporting_year, "as_of": on.isoformat(),
        "built_at": dt.datetime.now().isoformat(timespec="seconds"),
        "packages": [{"file": p.name, "sha256": _sha256(p), "size": p.stat().st_size} for p in packages],
        "forms": [{"file": f"forms/{f.name}", "sha256": _sha256(f)} for f in form_files],
        "pages": pages, "items": items,
    }


def _swap_into_place(new: Path, out: Path) -> None:
    """Replace ``out`` by ``new`` so that a reader sees the old package or the new one."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{dt.datetime.now():%Y%m%d%H%M%S%f}")
        out.rename(old)
    try:
        new.rename(out)
    except BaseException:
        if old is not None:
            old.rename(out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
