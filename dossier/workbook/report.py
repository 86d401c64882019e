"""What an import did: the changes, the cells it could not read, and notes — in Chinese."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..termtext import headed_list
from .cells import Kind, display, is_empty


@dataclass
class CellChange:
    """One field set from one cell (or, for ``append``, one new list item from a row)."""

    where: str  # 年度数据!D7
    label: str  # 2024年 工业总产值
    path: tuple[Any, ...]  # ("years", 2024, "output_value"); for append: the list's path
    kind: Kind | None
    old: Any
    new: Any
    action: str = "set"  # set | append
    item: dict[str, tuple[Kind, Any]] = field(default_factory=dict)  # append: field → (kind, value)
    applied_path: tuple[Any, ...] | None = None  # append: the new item's path, once applied

    @property
    def verb(self) -> str:
        if self.action == "append":
            return "新增"
        if is_empty(self.old):
            return "新填"
        if is_empty(self.new):
            return "清空"
        return "修改"

    def dotted(self) -> str:
        return ".".join(str(p) for p in (self.applied_path or self.path))

    def to_dict(self) -> dict[str, Any]:
        return {
            "where": self.where, "field": self.dotted(), "label": self.label, "action": self.verb,
            "old": display(self.old, self.kind) if self.action == "set" else None,
            "new": display(self.new, self.kind) if self.action == "set" else self.label,
        }

    def __str__(self) -> str:
        if self.action == "append":
            return f"{self.where}：新增 {self.label}"
        if self.verb == "新填":
            return f"{self.where}：{self.label}：新填 {display(self.new, self.kind)}"
        if self.verb == "清空":
            return f"{self.where}：{self.label}：已清空（原值 {display(self.old, self.kind)}）"
        return f"{self.where}：{self.label}：{display(self.old, self.kind)} → {display(self.new, self.kind)}"


@dataclass
class Problem:
    """A cell (or a sheet, a column, a row) that could not be read; its field keeps its value."""

    where: str  # 年度数据!C7 / 年度数据 / 年度数据!E3
    message: str

    def __str__(self) -> str:
        return f"{self.where}：{self.message}"

    def to_dict(self) -> dict[str, str]:
        return {"where": self.where, "message": self.message}


@dataclass
class WorkbookImportReport:
    workbook: Path
    dossier_file: Path
    scheme: str
    scheme_name: str
    changes: list[CellChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    backup: Path | None = None
    cells_read: int = 0

    @property
    def exit_code(self) -> int:
        return 2 if self.problems else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "workbook": str(self.workbook),
            "dossier": str(self.dossier_file),
            "scheme": self.scheme,
            "dry_run": self.dry_run,
            "written": self.written,
            "backup": str(self.backup) if self.backup else None,
            "changes": [c.to_dict() for c in self.changes],
            "problems": [p.to_dict() for p in self.problems],
            "notes": self.notes,
        }


def render_report(report: WorkbookImportReport) -> str:
    lines = [f"从 {report.workbook} 导入 {report.dossier_file}（{report.scheme_name}，{report.scheme}）："]
    if report.changes:
        by_verb: dict[str, list[CellChange]] = {}
        for change in report.changes:
            by_verb.setdefault(change.verb, []).append(change)
        for verb in ("修改", "新填", "清空", "新增"):
            items = by_verb.get(verb, [])
            lines += headed_list(f"{verb} {len(items)} 处：" if verb != "新增" else f"新增 {len(items)} 项：", items)
    else:
        lines.append("工作簿中的数据与 dossier.yaml 一致，没有需要导入的修改。")
    lines += headed_list(f"无法读取 {len(report.problems)} 处（对应字段保持原值，请改正后重新导入）：", report.problems)
    lines += headed_list("提示：", report.notes)
    if report.dry_run and report.changes:
        lines.append("试运行（--dry-run）：以上修改没有写入，dossier.yaml 未改动。")
    elif report.written:
        backup = f"原文件已备份为 {report.backup.name}；" if report.backup else ""
        lines.append(f"{backup}已写入 {report.dossier_file}（共 {len(report.changes)} 处修改）。")
    elif report.changes:
        lines.append("没有写入任何文件。")
    return "\n".join(lines)
