"""The ``dossier import`` report in Chinese."""

from __future__ import annotations

from pathlib import Path

from ..termtext import headed_list
from .importer import FormImportReport


def render_import(report: FormImportReport) -> str:
    """The ``dossier import`` report in Chinese."""
    r = report
    out = [f"已从 {len(r.forms)} 份表单读回档案：{r.target / 'dossier.yaml'}",
           f"方案 {r.scheme}，申报年度 {r.reporting_year}（依据：{r.year_source}）"]
    per_form: dict[str, int] = {}
    for found in r.found:
        form = found.source.split("：", 1)[0]
        per_form[form] = per_form.get(form, 0) + 1
    for file, form in r.forms:
        out.append(f"  {Path(file).name}（{form}）：读回 {per_form.get(form, 0)} 项")
    groups: dict[str, int] = {}
    for found in r.found:
        groups[found.path.split(".")[0]] = groups.get(found.path.split(".")[0], 0) + 1
    out.append(f"共读回 {len(r.found)} 项：" + "、".join(f"{k} {n}" for k, n in groups.items()))
    out += headed_list(f"\n无法读取或无效、未写入（{len(r.problems)} 处）：", r.problems)
    out += headed_list(f"\n表单之间不一致（{len(r.conflicts)} 处）：", r.conflicts)
    out += headed_list("\n表单中有、但未读回的内容：",
                       [f"{form}：{item}" for form, items in r.not_read.items() for item in items])
    out.append(f"\n尚未填写 {r.empty} 项（表单中没有）：运行 dossier validate {r.target} 查看；"
               f"再用 dossier rollover {r.target} --year {r.reporting_year + 1} 生成下一年度的档案。")
    return "\n".join(out)
