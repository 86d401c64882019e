"""What ``dossier extract`` prints (Chinese), and its exit code."""

from __future__ import annotations

from typing import Any

from .apply import CONFLICT, FILLED, REJECTED, SAME, SKIPPED, ApplyReport
from .pipeline import ExtractedDocument

LOW_CONFIDENCE = 0.85


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "，".join(f"{k}: {_show(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def render_documents(documents: list[ExtractedDocument]) -> str:
    lines: list[str] = []
    for doc in documents:
        if not doc.readable:
            lines.append(f"{doc.file}：无法读取")
        else:
            how = f"{doc.pages} 页" + ("，含扫描页（OCR）" if doc.ocr else "")
            lines.append(f"{doc.file}：{doc.doc_name or '未识别的文件'}（{how}）")
        for name, found in doc.fields.items():
            check = "  ← 置信度较低，请核对" if found.confidence < LOW_CONFIDENCE else ""
            lines.append(f"  {doc.label(name)}：{_show(found.value)}（第 {found.page} 页，置信度 {found.confidence:.0%}）{check}")
        if doc.template is not None:
            missing = [spec.label for name, spec in doc.template.template.fields.items() if name not in doc.fields]
            if missing:
                lines.append(f"  未找到：{'、'.join(missing)}")
        for error in doc.errors:
            lines.append(f"  错误：{error}" if not doc.readable else f"  注意：{error}")
        lines.append("")
    read = [d for d in documents if d.readable]
    known = [d for d in read if d.doc_type]
    lines.append(f"汇总：共 {len(documents)} 个文件；识别 {len(known)} 个，未能识别类型 {len(read) - len(known)} 个，"
                 f"无法读取 {len(documents) - len(read)} 个。")
    return "\n".join(lines)


def render_apply(report: ApplyReport) -> str:
    lines: list[str] = []
    if report.written:
        lines.append(f"已写入 {report.file}（原文件备份为 {report.backup.name}）")
    else:
        lines.append(f"{report.file} 未修改（没有可以填写的空字段）")
    filled = report.of(FILLED)
    if filled:
        lines.append(f"已填写 {len(filled)} 项：")
        lines += [f"  {c.path} = {_show(c.value)}（来源：{c.source}）" for c in filled]
    same = report.of(SAME)
    if same:
        lines.append(f"与档案一致 {len(same)} 项（未修改）")
    conflicts = report.of(CONFLICT)
    if conflicts:
        lines.append(f"冲突 {len(conflicts)} 项（档案中已有不同的值，未覆盖，请核对后手工修改）：")
        for c in conflicts:
            lines.append(f"  {c.path}：档案中为 {_show(c.current)}（{c.current_source}），"
                         f"文件中为 {_show(c.value)}（{c.source}：“{c.text}”）")
            if c.reason:
                lines.append(f"    {c.reason}")
    for status, title in ((REJECTED, "未通过校验，未写入"), (SKIPPED, "未应用")):
        group = report.of(status)
        if group:
            lines.append(f"{title} {len(group)} 项：")
            lines += [f"  {c.path} = {_show(c.value)}（{c.source}）：{c.reason}" for c in group]
    for file, reason in report.skipped_documents:
        lines.append(f"未应用文件 {file}：{reason}")
    return "\n".join(lines)


def exit_code(documents: list[ExtractedDocument], report: ApplyReport | None) -> int:
    """3 an OCR engine was needed and missing; 2 a file could not be read; 1 --apply
    left conflicts to resolve; 0 otherwise."""
    if any(d.component_missing for d in documents):
        return 3
    if any(not d.readable for d in documents):
        return 2
    if report is not None and report.conflicts:
        return 1
    return 0


def find_in_lists(documents: list[ExtractedDocument], name: str, as_json: bool) -> tuple[str, int]:
    """``extract LIST --find NAME``: the rows naming NAME in every list read; exit 0 when
    found, 1 when not ("not yet"), 2 when no file is a list."""
    import json

    from .lists import find_rows

    lists = [d for d in documents if d.rows]
    found = [(d, m) for d in lists for m in find_rows(d.rows, name)]
    if as_json:
        out = [{"file": str(d.file), "title": d.fields["title"].value if "title" in d.fields else None,
                "row": m.row.number, "page": m.row.page, "name": m.row.name, "cells": m.row.cells, "exact": m.exact}
               for d, m in found]
        return json.dumps(out, ensure_ascii=False, indent=2), (0 if found else (1 if lists else 2))
    if not lists:
        return "没有读到名单表格（需要“序号”列和连续行号的名单，如绿色工厂名单附件）", 2
    lines = []
    for d, m in found:
        title = d.fields["title"].value if "title" in d.fields else d.file.name
        how = "精确匹配" if m.exact else "名称写法略有不同（括号、空格或“有限公司/股份有限公司”）"
        lines.append(f"{d.file}：{title} 第 {m.row.page} 页 序号 {m.row.number}：{m.row.text}（{how}）")
    if not found:
        counted = "、".join(f"{d.file.name}（{len(d.rows)} 行）" for d in lists)
        lines.append(f"未找到“{name}”：已查 {counted}")
    return "\n".join(lines), 0 if found else 1
