"""What a dossier still lacks: the fields its scheme uses that are empty.

Used by ``dossier validate`` (exit 0 with the list) and, later, by the checklist. A
field counts as used when the scheme lists it under ``fields:`` (or all fields when a
scheme lists none); yearly fields are checked for each of the three window years.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .model import Dossier, YearData
from .introspect import SECTION_KEYS, field_used as _used, is_dict as _is_dict, is_list as _is_list, model_class as _model_class
from .schemes import Scheme



def _optional(info: Any) -> bool:
    return bool(info.json_schema_extra and info.json_schema_extra.get("optional"))


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _walk(model: BaseModel, prefix: str, fields: list[str], out: list[tuple[str, str]], label: str = "") -> None:
    for name, info in type(model).model_fields.items():
        path = f"{prefix}{name}"
        if not prefix and name in SECTION_KEYS:
            continue
        if not _used(path, fields) or name == "kind" or _optional(info):
            continue
        value = getattr(model, name)
        desc = info.description or name
        if _model_class(info.annotation) and not _is_list(info.annotation) and not _is_dict(info.annotation):
            if value is None:
                out.append((path, f"{label}{desc}"))
            else:
                _walk(value, f"{path}.", fields, out, f"{label}{desc}·")
        elif _empty(value):
            out.append((path, f"{label}{desc}"))


def empty_fields(dossier: Dossier, scheme: Scheme) -> list[tuple[str, str]]:
    """``[(path, Chinese label)]`` of what is still empty, in file order."""
    fields = scheme.fields
    out: list[tuple[str, str]] = []
    _walk(dossier, "", fields, out)
    for year in dossier.window:
        data = dossier.years.get(year)
        if data is None:
            out.append((f"years.{year}", f"{year} 年度数据"))
            continue
        for name, info in YearData.model_fields.items():
            path = f"years.{name}"
            if not _used(path, fields) or name in {"green_index", "bonus_data", "evidence"}:
                continue
            value = getattr(data, name)
            if isinstance(value, BaseModel):
                for sub, sub_info in type(value).model_fields.items():
                    if _is_dict(sub_info.annotation) or _optional(sub_info):
                        continue
                    if _empty(getattr(value, sub)):
                        out.append((f"years.{year}.{name}.{sub}", f"{year} 年{sub_info.description}"))
            elif _empty(value):
                out.append((f"years.{year}.{name}", f"{year} 年{info.description}"))
        if scheme.yearly_indicators:
            for row in scheme.indicators:
                if row.id not in data.green_index:
                    out.append((f"years.{year}.green_index.{row.id}", f"{year} 年绿色指数 {row.requirement}"))
    for section, rows, what in (
        ("basic_conditions", scheme.basic_conditions, "基本条件"),
        ("indicators", scheme.indicators, "评价指标"),
        ("bonus", scheme.bonus, "加分项"),
    ):
        answers = getattr(dossier, section)
        if scheme.yearly_indicators and section == "indicators":
            continue  # yearly figures (green_index), not answers
        for row in rows:
            answer = answers.get(row.id)
            if answer is None or answer.status is None:
                out.append((f"{section}.{row.id}.status", f"{what} {row.id} 的符合性"))
    for question in scheme.compliance_questions:
        if dossier.compliance.get(question.id) is None:
            out.append((f"compliance.{question.id}", f"合规性信息 {question.id}"))
    for narrative in scheme.narratives:
        if not (dossier.narratives.get(narrative.id) or "").strip():
            out.append((f"narratives.{narrative.id}", f"报告章节“{narrative.title}”"))
    return out
