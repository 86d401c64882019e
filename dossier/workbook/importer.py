"""``dossier workbook import``: read a filled-in workbook back into ``dossier.yaml``.

The same rules as extraction's ``--apply``: a value typed into the workbook fills an
empty field; a value that differs from the dossier's replaces it (the workbook is the
user's deliberate edit) and the report gives the old value; an emptied cell clears its
field. Before writing, the edited dossier is validated with the model and the scheme
exactly as ``dossier validate`` does; the previous file is kept as
``dossier.yaml.bak-YYYYmmdd-HHMMSS`` and the new one written atomically.

Nothing is guessed. A cell that cannot be read (text in a number cell, an impossible
date, a value outside its drop-down, a merged range), a missing sheet or column, an
extra column or an unrecognised row is reported by sheet and cell address
(“年度数据!C7：应为数字，实际为“约三千””) and its field keeps its value; the rest of
the workbook is imported. Rows are recognised by the key in their hidden first
column, so rows moved around still land on their fields.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import edit
from ..errors import BadInputError, Issue
from ..loader import LoadedDossier, load_dossier
from ..yamlio import dump_yaml, load_yaml_text
from .layout import dossier_fingerprint
from .report import CellChange, Problem, WorkbookImportReport
from .reader import Meta, Reader, open_workbook, read_meta
from .sheets import build_layout


# --- the import ----------------------------------------------------------------------------


def import_workbook(directory: Path, workbook_path: Path, dry_run: bool = False) -> WorkbookImportReport:
    """Import ``workbook_path`` into the dossier in ``directory``; the report says what changed."""
    loaded = load_dossier(directory)
    original = loaded.file.read_bytes()
    workbook_path = Path(workbook_path)
    book = open_workbook(workbook_path)
    meta = read_meta(book, workbook_path)
    scheme = loaded.scheme
    if meta.scheme != scheme.id:
        raise BadInputError(
            f"{workbook_path} 是方案“{meta.values.get('方案名称')}”（{meta.scheme}）的工作簿，"
            f"而 {loaded.file} 的方案是“{scheme.name}”（{scheme.id}），不能导入。"
            f"请导入本档案导出的工作簿（dossier workbook export {directory}）"
        )
    report = WorkbookImportReport(workbook_path, loaded.file, scheme.id, scheme.name, dry_run=dry_run)
    _identity_notes(meta, loaded, report)
    layout = build_layout(loaded.dossier, scheme, None)
    Reader(book, meta, layout, loaded, report, open_workbook(workbook_path, formulas=True)).read()
    if not report.changes:
        return report
    text = _validated_text(loaded, report, original.decode("utf-8"))
    if text is None or dry_run:
        return report
    report.backup = edit.replace_text(loaded.file, text, original, validate=False)  # validated above
    report.written = True
    return report


def _identity_notes(meta: Meta, loaded: LoadedDossier, report: WorkbookImportReport) -> None:
    d = loaded.dossier
    if meta.values.get("申报年度") != d.reporting_year:
        report.notes.append(
            f"工作簿导出时申报年度为 {meta.values.get('申报年度')}，dossier.yaml 现为 {d.reporting_year}："
            "年份列按列标题中的年份导入"
        )
    exported_name = meta.values.get("申报单位") or ""
    if exported_name and d.subject.name and exported_name != d.subject.name:
        report.notes.append(f"工作簿导出自“{exported_name}”的档案，当前档案为“{d.subject.name}”：请确认没有导错档案")
    if meta.values.get("dossier.yaml 指纹") != dossier_fingerprint(loaded.file):
        report.notes.append("dossier.yaml 在导出工作簿之后修改过：两者不同之处以工作簿为准（见下方修改清单）")


# --- validating and writing -------------------------------------------------------------------


def _apply(data: Any, change: CellChange) -> None:
    if change.action == "append":
        item = {name: (value or [] if kind.name == "lines" else value) for name, (kind, value) in change.item.items()}
        index = edit.append_item(data, change.path, item)
        change.applied_path = (*change.path, index)
    else:
        new = change.new
        if change.kind is not None and change.kind.name == "lines":
            new = list(new or [])
        edit.set_value(data, change.path, new)


def _issues(text: str, loaded: LoadedDossier) -> list[Issue]:
    """Validate the edited text exactly as `dossier validate` does."""
    return edit.issues_of(text, loaded.file)


def _culprit(issue: Issue, changes: list[CellChange]) -> CellChange | None:
    best: CellChange | None = None
    for change in changes:
        dotted = change.dotted()
        if issue.path == dotted or issue.path.startswith(dotted + ".") or dotted.startswith(issue.path + ".") and issue.path:
            if best is None or len(dotted) > len(best.dotted()):
                best = change
    return best


def _validated_text(loaded: LoadedDossier, report: WorkbookImportReport, original: str) -> str | None:
    """The new text of dossier.yaml with every change that keeps it valid.

    A change the model or the scheme rejects (an e-mail without @, a credit code of 17
    characters, a new project without its name) is dropped and reported at its cell;
    the others go through. Returns None when nothing is left to write.
    """
    pending = list(report.changes)
    while pending:
        data = load_yaml_text(original, loaded.file).data
        for change in list(pending):
            try:
                _apply(data, change)
            except edit.EditError:
                pending.remove(change)
                report.problems.append(Problem(change.where, "dossier.yaml 中没有对应的项（导出后被删除？），未导入"))
        text = dump_yaml(data)
        issues = _issues(text, loaded)
        if not issues:
            report.changes = pending
            return text
        culprits = [(issue, _culprit(issue, pending)) for issue in issues]
        unmatched = [issue for issue, change in culprits if change is None]
        if unmatched:
            lines = "\n".join(f"  {issue.path}：{issue.message}" for issue in unmatched)
            raise BadInputError(f"导入后的 dossier.yaml 不能通过校验，没有写入任何文件：\n{lines}")
        for issue, change in culprits:
            if change in pending:
                pending.remove(change)
                report.problems.append(Problem(change.where, f"{change.label}：{issue.message}（未导入）"))
    report.changes = []
    return None
