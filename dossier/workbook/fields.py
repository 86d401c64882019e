"""Dossier fields by path: their kind (for the cell), Chinese label and unit.

A workbook row names the dossier field it holds by a *path*, the list of keys from
the top of ``dossier.yaml`` (``["subject", "contact", "phone"]``,
``["years", 2024, "emissions", "scope1"]``, ``["projects", 3, "name"]``). The kind of
a path is read from the pydantic model (:mod:`dossier.model`), so the workbook follows
the model: a new field needs no code here. Labels are the fields' Chinese
descriptions, with the unit split off into its own column.
"""

from __future__ import annotations

import re
from typing import Any, Annotated, Literal, get_args, get_origin

from pydantic import BaseModel, BeforeValidator

from .. import model as m
from ..evidence_check import CERT_NAMES
from ..introspect import UnknownPath, annotation_at, model_class, unwrap, walk_model
from ..schemes import Scheme
from . import cells
from .cells import Kind

Path = tuple[Any, ...]


# --- walking the model (dossier.introspect) -------------------------------------------------


def typed_path(path: list[Any] | Path) -> Path:
    """Convert the keys of a path read from JSON to the types dossier.yaml uses.

    ``["years", "2024", "output_value"]`` → ``("years", 2024, "output_value")``: the
    year keys of ``years`` and ``carbon.annual_targets`` are integers.
    """
    return walk_model(path, typed_keys=True)[0]


def _validator_kind(annotation: Any) -> Kind | None:
    if get_origin(annotation) is not Annotated:
        return None
    for meta in get_args(annotation)[1:]:
        if isinstance(meta, BeforeValidator):
            func = meta.func
            if func is m._to_number:
                return cells.NUMBER
            if func is m._to_date:
                return cells.DATE
            if func is m._to_measure:
                return cells.MEASURE
            if func is m._to_count:
                return cells.INT
    return None


def leaf_kind(annotation: Any) -> Kind | None:
    """The kind of a leaf annotation, or None when it is a model, a dict or a list of models."""
    annotation = unwrap(annotation, keep_annotated=True)
    found = _validator_kind(annotation)
    if found:
        return found
    origin = get_origin(annotation)
    if origin is Literal:
        return Kind("choice", tuple((v, str(v)) for v in get_args(annotation)))
    if origin is list:
        item = unwrap(get_args(annotation)[0], keep_annotated=True)
        # a list of dates (evaluator.site_visits) is one date a line, as text: 2026-11-26
        return cells.LINES if item is str or _validator_kind(item) is cells.DATE else None
    if annotation is bool:
        return cells.BOOL
    if annotation is int:
        return cells.INT
    if annotation is float:
        return cells.NUMBER
    if annotation is str:
        return cells.TEXT
    return None


def field_kind(path: Path, scheme: Scheme) -> Kind:
    """The kind of the field at ``path`` (scheme-specific choices included)."""
    if path == ("application_type",):
        return Kind("choice", tuple((t.id, t.name) for t in scheme.application_types))
    if path == ("target_level",):
        return Kind("choice", tuple((lv.id, lv.id) for lv in scheme.levels))
    if path[:1] in (("basic_conditions",), ("indicators",), ("bonus",)) and len(path) == 3:
        return answer_kind(scheme, path[0], path[1], path[2])
    annotation, _ = annotation_at(path)
    kind = leaf_kind(annotation)
    if kind is None:
        raise UnknownPath(path)
    if path[:2] == ("subject", "certifications") and path[-1] == "kind":
        return Kind("choice", tuple((k, CERT_NAMES.get(k, k)) for k, _ in kind.choices))
    if len(path) == 4 and path[0] == "years" and path[2] == "energy":
        return kind.with_bounds(0, None)  # model.YearData._known_carriers: no negative amounts
    return kind


def answer_kind(scheme: Scheme, section: str, row_id: str, name: str) -> Kind:
    """Kind of one field of an answer: points bounded by the row's maximum, the row's options."""
    annotation, _ = annotation_at((section, row_id, name))
    kind = leaf_kind(annotation)
    if kind is None:
        raise UnknownPath((section, row_id, name))
    if section == "basic_conditions":
        return kind
    try:
        row = scheme.indicator(row_id)
    except KeyError:
        return kind
    if name == "points":
        return kind.with_bounds(0, row.max_points)  # loader: 自评得分不能超过该项分值
    if name == "count":
        return kind.with_bounds(0, None)
    if name == "option" and row.rule.type == "options":
        return Kind("choice", tuple((o["label"], o["label"]) for o in row.rule.params["options"]))
    return kind


def component_labels(scheme: Scheme, row_id: str) -> list[str]:
    try:
        row = scheme.indicator(row_id)
    except KeyError:
        return []
    if row.rule.type != "components":
        return []
    return [c["label"] for c in row.rule.params["components"]]


def is_optional(path: Path) -> bool:
    """Fields marked OPTIONAL in the model are never required (类别3)."""
    try:
        _, info = annotation_at(path)
    except UnknownPath:
        return False
    return bool(info is not None and info.json_schema_extra and info.json_schema_extra.get("optional"))


def description(path: Path) -> str:
    _, info = annotation_at(path)
    return (info.description if info is not None else None) or str(path[-1])


def model_of(path: Path) -> type[BaseModel] | None:
    annotation, _ = annotation_at(path)
    return model_class(unwrap(annotation))


# --- label and unit from a description -------------------------------------------------------

# Units as the model's descriptions write them: "工业总产值（万元，现价）", "化学需氧量 COD，t".
_UNITS = (
    "万元", "亿元", "元", "tce", "tCO2e", "tCO2", "t", "m³", "m²", "km²", "万Nm³", "万m³", "MWh", "GJ",
    "家", "人", "个", "%", "kgce",
)
_UNIT = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_IN_PARENS = re.compile(rf"（({_UNIT})(?:，([^（）]*))?）")  # （万元，现价） / （tce）
_TRAILING = re.compile(rf"，({_UNIT})(?=$|（)")  # 化学需氧量 COD，t / …，tCO2e（鼓励填写）


def split_description(text: str) -> tuple[str, str, str]:
    """(label, unit, note) of a field description.

    >>> split_description("综合能耗（tce，当量值），报表数；留空则由能源消费计算")
    ('综合能耗（当量值）', 'tce', '报表数；留空则由能源消费计算')
    """
    label, _, note = text.partition("；")
    unit = ""
    match = _IN_PARENS.search(label)
    if match:
        unit = match.group(1)
        rest = match.group(2)
        label = label[: match.start()] + (f"（{rest}）" if rest else "") + label[match.end():]
    else:
        match = _TRAILING.search(label)
        if match:
            unit = match.group(1)
            label = label[: match.start()] + label[match.end():]
    label, more = _split_outside_parens(label)
    note = "；".join(x for x in (more, note.strip()) if x)
    return label.strip(), unit, note


def _split_outside_parens(text: str) -> tuple[str, str]:
    """"企业（园区）全称，与营业执照一致" → ("企业（园区）全称", "与营业执照一致")."""
    depth = 0
    for index, char in enumerate(text):
        if char in "（(":
            depth += 1
        elif char in "）)":
            depth -= 1
        elif char in "，：" and depth == 0:
            return text[:index], text[index + 1:].strip()
    return text, ""
