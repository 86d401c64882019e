"""The rollover report: what moved to the new year, what was kept, what must be reviewed
or filled in, what expires before the new submission date, which evidence the new
window left behind. ``to_dict()`` is the ``--json`` output; :func:`render_text` the
terminal report in Chinese."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..evidence_check import STATUS_LABELS
from .evidence import Carried, Expiry, MissingYears, StaleFile


@dataclass
class Moved:
    path: str
    label: str
    old: Any
    new: Any
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "label": self.label, "old": _plain(self.old), "new": _plain(self.new),
                "note": self.note}


@dataclass
class Kept:
    path: str
    label: str
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "label": self.label, "detail": self.detail}


@dataclass
class Field:
    path: str
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "label": self.label}


@dataclass
class RolloverReport:
    source: Path
    target: Path
    scheme: str
    scheme_name: str
    subject: str | None
    old_year: int
    new_year: int
    old_window: list[int]
    new_window: list[int]
    moved: list[Moved] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)
    review: list[Field] = field(default_factory=list)
    to_fill: list[Field] = field(default_factory=list)        # the new years' empty figures
    other_empty: list[Field] = field(default_factory=list)    # other fields still empty
    expiring: list[Expiry] = field(default_factory=list)
    stale: list[StaleFile] = field(default_factory=list)
    missing_years: list[MissingYears] = field(default_factory=list)
    carried: Carried = field(default_factory=Carried)
    not_carried: list[str] = field(default_factory=list)
    check_on: dt.date | None = None
    check_counts: dict[str, int] = field(default_factory=dict)

    @property
    def new_years(self) -> list[int]:
        return [y for y in self.new_window if y not in self.old_window]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": str(self.source),
            "target": str(self.target),
            "scheme": self.scheme,
            "subject": self.subject,
            "old_year": self.old_year,
            "new_year": self.new_year,
            "old_window": self.old_window,
            "new_window": self.new_window,
            "moved": [c.to_dict() for c in self.moved],
            "kept": [k.to_dict() for k in self.kept],
            "review": [f.to_dict() for f in self.review],
            "to_fill": [f.to_dict() for f in self.to_fill],
            "other_empty": [f.to_dict() for f in self.other_empty],
            "expiring": [e.to_dict() for e in self.expiring],
            "evidence": {
                "carried": self.carried.to_dict(),
                "out_of_window": [s.to_dict() for s in self.stale if s.kind == "out"],
                "partial": [s.to_dict() for s in self.stale if s.kind == "partial"],
                "to_confirm": [s.to_dict() for s in self.stale if s.kind == "lasting"],
                "missing_years": [m.to_dict() for m in self.missing_years],
            },
            "not_carried": self.not_carried,
            "check": {"as_of": self.check_on.isoformat() if self.check_on else None, "counts": self.check_counts},
        }


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    return str(_plain(value))


def _span(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if years else ""


def render_text(report: RolloverReport) -> str:
    r = report
    out = [
        f"已生成 {r.new_year} 年度档案：{r.target}",
        f"来源：{r.source}（{r.old_year} 年度，未做任何修改）",
        f"方案：{r.scheme_name}（{r.scheme}）；申报主体：{r.subject or '（未填写名称）'}",
        f"近三年：{_span(r.old_window)} 年 → {_span(r.new_window)} 年",
    ]
    out.append("\n一、已随年度移动")
    for c in r.moved:
        note = f"（{c.note}）" if c.note else ""
        out.append(f"  {c.label}（{c.path}）：{_shown(c.old)} → {_shown(c.new)}{note}")
    out.append("\n二、保持不变")
    for k in r.kept:
        out.append(f"  {k.label}（{k.path}）：{k.detail}")
    out.append(f"\n三、需复核：沿用上一年度的文字和自评（{len(r.review)} 处，已列入 dossier.yaml 的 review:，核实后删除）")
    out += _grouped_review(r.review)
    years = "、".join(map(str, r.new_years)) or str(r.new_window[-1])
    out.append(f"\n四、需填写：{years} 年度数据（{len(r.to_fill)} 项）")
    out += [f"  - {f.label}（{f.path}）" for f in r.to_fill] or ["  （无）"]
    if r.other_empty:
        out.append(f"  其他尚未填写（{len(r.other_empty)} 项）：")
        out += [f"  - {f.label}（{f.path}）" for f in r.other_empty]
    on = r.check_on.isoformat() if r.check_on else "—"
    out.append(f"\n五、有效期：按新的计划提交日 {on}（到期或 {90} 天内到期）")
    for e in r.expiring:
        state = f"届时已过期 {-e.days} 天" if e.days < 0 else f"届时仅剩 {e.days} 天"
        out.append(f"  {'已过期' if e.days < 0 else '即将过期'}：{e.what}，有效期至 {e.valid_until.isoformat()}（{state}；{e.where}）")
    if not r.expiring:
        out.append("  （无）")
    out.append(f"\n六、证明材料（近三年 {_span(r.new_window)} 年）")
    out += _stale_lines(r.stale, "out", "已移出近三年（请换成新年度的材料）")
    out += _stale_lines(r.stale, "partial", "所覆盖的期间不再涵盖近三年")
    if r.missing_years:
        out.append("  缺少年度材料的材料项：")
        for m in r.missing_years:
            out.append(f"    第 {m.no} 项 {m.title}：缺 {'、'.join(map(str, m.missing))} 年（应覆盖 {'、'.join(map(str, m.wanted))} 年）")
    out += _stale_lines(r.stale, "lasting", "文件名年份早于近三年、但可能长期有效（请确认）")
    how = "硬链接" if r.carried.mode == "link" else "复制"
    extra = f"，其中 {r.carried.copied} 个因无法建立链接而复制" if r.carried.mode == "link" and r.carried.copied else ""
    out.append(f"  证明材料已{how}到新目录：{r.carried.files} 个文件{extra}；原目录的文件未移动、未改动。")
    if r.not_carried:
        out.append(f"  未带入新目录（上一年度生成的文件等）：{'、'.join(r.not_carried)}")
    if r.check_counts:
        counts = "，".join(f"{STATUS_LABELS[s]} {n} 项" for s, n in r.check_counts.items())
        out.append(f"\n七、新档案材料检查（检查日 {on}）：{counts}")
    out.append(f"\n下一步：填写上面第四部分的数据后运行 dossier validate {r.target}；"
               f"再运行 dossier check {r.target} --on {on}")
    return "\n".join(out)


def _stale_lines(stale: list[StaleFile], kind: str, title: str) -> list[str]:
    chosen = [s for s in stale if s.kind == kind]
    if not chosen:
        return []
    lines = [f"  {title}（{len(chosen)} 个）："]
    for s in chosen:
        cited = f"；被 {'、'.join(s.cited_by)} 引用" if s.cited_by else ""
        lines.append(f"    {s.file}（{s.years_text} 年{cited}）")
    return lines


_SECTIONS = {
    "narratives": "报告正文",
    "basic_conditions": "基本条件符合性说明",
    "indicators": "评价指标符合性说明",
    "bonus": "加分项说明",
    "compliance": "合规性信息",
}


def _grouped_review(fields: list[Field]) -> list[str]:
    """Narratives one per line; statements as counts with their ids."""
    lines: list[str] = []
    groups: dict[str, list[Field]] = {}
    for f in fields:
        groups.setdefault(f.path.split(".")[0], []).append(f)
    for section, items in groups.items():
        name = _SECTIONS.get(section)
        if section == "narratives" or name is None:
            lines += [f"  {f.label}（{f.path}）" for f in items]
        else:
            ids = [f.path.split(".")[1] for f in items if f.path.count(".") >= 1]
            shown = "、".join(ids[:12]) + ("…" if len(ids) > 12 else "")
            lines.append(f"  {name} {len(items)} 处" + (f"：{shown}" if ids else f"（{items[0].path}）"))
    return lines or ["  （无）"]
