"""Targets of extracted values: dotted paths into the Dossier model.

``subject.credit_code``, ``subject.legal_representative.name``,
``years.{year}.emissions.scope1``; a list of records is named by the list itself
(``subject.certifications``). :func:`check_target` walks the pydantic model, so a
template naming a field that does not exist (or no longer exists) fails at load time.
"""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel

from ..introspect import UnknownPath, annotation_at, is_dict, unwrap, walk_model


class TargetError(ValueError):
    pass


def resolve(target: str) -> tuple[list[str], Any]:
    """The parts of ``target`` and the annotation of the field it names."""
    parts = target.split(".")
    try:
        _, annotation, _ = walk_model(parts)
    except UnknownPath as exc:
        walked, part = parts[:exc.at], parts[exc.at]
        if exc.model is None:
            raise TargetError(f"{'.'.join(walked)} 不是可以继续展开的字段") from None
        hint = difflib.get_close_matches(part, exc.model.model_fields, n=1)
        raise TargetError(
            f"dossier.yaml 中没有字段 {'.'.join(walked + [part])}" + (f"（是否应为 {hint[0]}？）" if hint else "")
        ) from None
    for index, part in enumerate(parts):
        if is_dict(annotation_at(parts[:index])[0]) and part != "{year}":
            raise TargetError(f"{'.'.join(parts[:index])} 的键应写作 {{year}}")
    return parts, unwrap(annotation)


def check_target(target: str, record: bool = False, record_fields: list[str] | None = None) -> None:
    _, annotation = resolve(target)
    if record:
        if typing.get_origin(annotation) is not list:
            raise TargetError(f"{target} 不是记录列表")
        item = unwrap(typing.get_args(annotation)[0])
        for name in record_fields or []:
            if name not in item.model_fields:
                raise TargetError(f"{target} 的记录没有字段 {name}")
    else:
        origin = typing.get_origin(annotation)
        if origin in (list, dict) or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            raise TargetError(f"{target} 不是单个值的字段")


def record_item_model(target: str) -> type[BaseModel]:
    _, annotation = resolve(target)
    return unwrap(typing.get_args(annotation)[0])
