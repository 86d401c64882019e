"""``dossier diff`` in the terminal: Chinese tables aligned for CJK widths."""

from __future__ import annotations

from typing import Any

from ..termtext import pad, wrap
from .compare import DiffReport

STATUS_SECTIONS = {"basic_conditions": "基本条件", "indicators": "评价指标", "bonus": "加分项"}


def fmt(x: Any) -> str:
    """1234.5 → "1234.5", 0.071312 → "0.07131", None → "" (blank, as the forms leave it)."""
    if x is None:
        return ""
    if isinstance(x, bool):
        return "是" if x else "否"
    if isinstance(x, (int, float)):
        if float(x).is_integer():
            return str(int(x))
        text = f"{x:.4g}" if abs(x) < 1 else f"{x:.2f}".rstrip("0").rstrip(".")
        return text
    return str(x)


def _signed(x: float | None, unit: str = "") -> str:
    if x is None:
        return ""
    return ("+" if x > 0 else "") + fmt(round(x, 6)) + unit



def _table(headers: list[str], rows: list[list[str]], widths: list[int]) -> list[str]:
    """Rows of cells; the first column wraps, the others are short."""
    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    out = [rule, "  ".join(pad(h, w) for h, w in zip(headers, widths)).rstrip(), rule]
    for row in rows:
        first = wrap(row[0], widths[0])
        for i, line in enumerate(first):
            cells = [line] + (row[1:] if i == 0 else [""] * (len(row) - 1))
            out.append("  ".join(pad(c, w) for c, w in zip(cells, widths)).rstrip())
    out.append(rule)
    return out


def render_diff(report: DiffReport, width: int = 110, *, everything: bool = False) -> str:
    r = report
    same = r.old_year == r.new_year
    out = [
        f"{r.scheme_name}（{r.scheme}）年度对比：{r.subject or '（未填写名称）'}",
        f"旧：{r.old_path}（申报年度 {r.old_reporting_year}，比较 {r.old_year} 年）",
        f"新：{r.new_path}（申报年度 {r.new_reporting_year}，比较 {r.new_year} 年）",
    ]
    out += [f"注意：{w}" for w in r.warnings]
    rows = [f for f in r.figures if everything or f.changed]
    old_h, new_h = (f"旧档案 {r.old_year}", f"新档案 {r.new_year}") if same else (f"{r.old_year}年", f"{r.new_year}年")
    label_w = max(24, min(48, width - 14 * 4 - 10))
    out.append(f"\n一、年度数据与计算指标（{len(rows)} 项{'' if everything else '有变化'}；空白为未填写或无法计算）")
    out += _table(["指标", old_h, new_h, "变化", "变化率", "评价"],
                  [[f.label, fmt(f.old), fmt(f.new), _signed(f.delta), _signed(f.rate and round(f.rate, 2), "%"),
                    f.verdict or ""] for f in rows],
                  [label_w, 14, 14, 12, 9, 4])
    if r.improvement:
        out.append("\n二、持续改进情况（动态管理表：列入名单时指标值与各年度）")
        out += _table(["指标（参数）", "列入名单时", f"{r.old_year}年", f"{r.new_year}年"],
                      [[row.key, fmt(row.listed), fmt(row.old), fmt(row.new)] for row in r.improvement],
                      [label_w, 14, 14, 14])
    if r.listing_changed:
        out.append(f"注意：两个档案的列入名单时指标值不同（应保持不变）：{'、'.join(r.listing_changed)}")
    out.append("\n三、同一年度数据的修订" + ("" if r.revisions else "：无"))
    if r.revisions:
        out += _table(["年度·指标", "旧档案", "新档案"],
                      [[f"{v.year}年 {v.label}", fmt(v.old), fmt(v.new)] for v in r.revisions],
                      [label_w + 14, 16, 16])
    total = f"总分 {fmt(r.old_total) or '—'} → {fmt(r.new_total) or '—'}"
    out.append(f"\n四、自评与得分的变化（{total}）" + ("" if r.answers else "：各项自评和得分无变化"))
    if r.answers:
        out += _table(["项目", "旧：自评", "旧：得分", "新：自评", "新：得分"],
                      [[f"{STATUS_SECTIONS[a.section]} {a.id}", a.old_status or "", fmt(a.old_points),
                        a.new_status or "", fmt(a.new_points)] for a in r.answers],
                      [20, 10, 8, 10, 8])
    return "\n".join(out)
