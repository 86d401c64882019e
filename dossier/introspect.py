"""Walking the dossier model by field path — the one walker every module uses.

Two kinds of walk:

* the model's *types* (:func:`walk_model`, :func:`annotation_at`): which field a path
  such as ``("years", 2025, "energy", "natural_gas")`` or ``subject.contact.phone``
  names, its annotation and description — for init, validate, the workbook, the
  extraction targets and the scheme files' field references;
* a *value* (:func:`dig`): what a dossier (a model instance, or dossier.yaml's nested
  dicts and lists) holds at a path.

``X | None`` and ``Annotated[X, …]`` are unwrapped in one place, :func:`unwrap`.
"""

from __future__ import annotations

from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .model import Dossier


# Top-level dossier keys that init and validate treat section by section (the year
# table, the answers to the scheme's rows, narratives), not as plain fields.
SECTION_KEYS = frozenset(
    {"scheme", "reporting_year", "years", "basic_conditions", "indicators", "bonus", "narratives", "compliance"}
)


def field_used(path: str, fields: list[str]) -> bool:
    """Is ``path`` (e.g. ``subject.contact.phone``) among a scheme's ``fields``?

    A listed parent (``subject.contact``) uses all its children; a listed child uses
    its parents. An empty list means the scheme uses every field.
    """
    if not fields:
        return True
    return any(f == path or f.startswith(path + ".") or path.startswith(f + ".") for f in fields)


def model_class(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = model_class(arg)
        if found:
            return found
    return None


def unwrap(annotation: Any, *, keep_annotated: bool = False) -> Any:
    """``X | None`` → ``X``, ``Annotated[X, …]`` → ``X`` (unless ``keep_annotated``: the
    workbook reads the validator in the metadata); anything else unchanged."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated and not keep_annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def is_list(annotation: Any) -> bool:
    return get_origin(unwrap(annotation)) is list


def is_dict(annotation: Any) -> bool:
    return get_origin(unwrap(annotation)) is dict


class UnknownPath(KeyError):
    """A path that names no field of the model. ``at``: the index of the first part that
    does not fit; ``model``: the model class whose fields were looked up there (or None)."""

    def __init__(self, path: tuple[Any, ...], at: int = 0, model: type[BaseModel] | None = None) -> None:
        super().__init__(path)
        self.path, self.at, self.model = path, at, model


def walk_model(path: tuple[Any, ...] | list[Any], root: type[BaseModel] | None = None, *,
               typed_keys: bool = False) -> tuple[tuple[Any, ...], Any, FieldInfo | None]:
    """Walk ``path`` through the model's types from ``root`` (default: the Dossier):
    model fields by name, a dict's values by any key, a list's items by index.

    Returns (the path, the annotation it ends at, the FieldInfo of the last model field
    on the way). ``typed_keys``: convert keys read as text to the type of the dict's keys
    (``"2024"`` → ``2024`` under ``years``). Raises :class:`UnknownPath`.
    """
    annotation: Any = Dossier if root is None else root
    info: FieldInfo | None = None
    out: list[Any] = []
    for index, part in enumerate(path):
        annotation = unwrap(annotation)
        origin = get_origin(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if not isinstance(part, str) or part not in annotation.model_fields:
                raise UnknownPath(tuple(path), index, annotation)
            info = annotation.model_fields[part]
            annotation = info.annotation
        elif origin is dict:
            key_type, annotation = get_args(annotation)
            if typed_keys and key_type is int and not isinstance(part, int):
                try:
                    part = int(part)
                except (TypeError, ValueError):
                    raise UnknownPath(tuple(path), index) from None
        elif origin is list:
            if not isinstance(part, int) or isinstance(part, bool) or part < 0:
                raise UnknownPath(tuple(path), index)
            annotation = get_args(annotation)[0]
        else:
            raise UnknownPath(tuple(path), index)
        out.append(part)
    return tuple(out), annotation, info


def annotation_at(path: tuple[Any, ...] | list[Any],
                  root: type[BaseModel] | None = None) -> tuple[Any, FieldInfo | None]:
    """(annotation, FieldInfo of the last named model field) of ``path``."""
    _, annotation, info = walk_model(path, root)
    return annotation, info


def is_model_path(dotted: str, root: type[BaseModel] | None = None) -> bool:
    """Is ``dotted`` (``subject.green_factory.level``) a path of the model?"""
    try:
        walk_model(dotted.split("."), root)
    except UnknownPath:
        return False
    return True


def dig(data: Any, path: tuple[Any, ...] | list[Any]) -> Any:
    """The value at ``path`` in nested dicts and lists (ruamel's round-trip data too) or
    model instances (by attribute), or None where the path runs out:
    ``dig(d, ("years", 2025, "energy"))``."""
    node = data
    for part in path:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        elif isinstance(node, BaseModel) and isinstance(part, str):
            node = getattr(node, part, None)
        else:
            return None
        if node is None:
            return None
    return node
