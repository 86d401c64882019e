"""Targets of extracted values: dotted paths into the Dossier model.

``subject.credit_code``, ``subject.legal_representative.name``,
``years.{year}.emissions.scope1``; a list of records is named by the list itself
(``subject.certifications``). :func:`check_target` walks the pydantic model, so a
template naming a field that does not exist (or no longer exists) fails at load time.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel

from ..model import Dossier


class TargetError(ValueError):
    pass


def _unwrap(annotation: Any) -> Any:
    """``Annotated[X, …] | None`` → ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def resolve(target: str) -> tuple[list[str], Any]:
    """The parts of ``target`` and the annotation of the field it names."""
    parts = target.split(".")
    model: Any = Dossier
    annotation: Any = Dossier
    walked: list[str] = []
    for part in parts:
        annotation = _unwrap(annotation)
        if typing.get_origin(annotation) is dict:
            if part != "{year}":
                raise TargetError(f"{'.'.join(walked)} 的键应写作 {{year}}")
            annotation = typing.get_args(annotation)[1]
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
            if part not in model.model_fields:
                import difflib

                hint = difflib.get_close_matches(part, model.model_fields, n=1)
                raise TargetError(
                    f"dossier.yaml 中没有字段 {'.'.join(walked + [part])}" + (f"（是否应为 {hint[0]}？）" if hint else "")
                )
            annotation = model.model_fields[part].annotation
        else:
            raise TargetError(f"{'.'.join(walked)} 不是可以继续展开的字段")
        walked.append(part)
    return parts, _unwrap(annotation)


def check_target(target: str, record: bool = False, record_fields: list[str] | None = None) -> None:
    _, annotation = resolve(target)
    if record:
        if typing.get_origin(annotation) is not list:
            raise TargetError(f"{target} 不是记录列表")
        item = _unwrap(typing.get_args(annotation)[0])
        for name in record_fields or []:
            if name not in item.model_fields:
                raise TargetError(f"{target} 的记录没有字段 {name}")
    else:
        origin = typing.get_origin(annotation)
        if origin in (list, dict) or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            raise TargetError(f"{target} 不是单个值的字段")


def record_item_model(target: str) -> type[BaseModel]:
    _, annotation = resolve(target)
    return _unwrap(typing.get_args(annotation)[0])
