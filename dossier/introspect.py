"""Small helpers to walk the pydantic model by field path (shared by init and validate)."""

from __future__ import annotations

from types import UnionType
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel


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


def _unwrap_optional(annotation: Any) -> Any:
    """``X | None`` → ``X``; anything else unchanged."""
    if get_origin(annotation) in (Union, UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def is_list(annotation: Any) -> bool:
    return get_origin(_unwrap_optional(annotation)) is list


def is_dict(annotation: Any) -> bool:
    return get_origin(_unwrap_optional(annotation)) is dict


def dig(data: Any, path: tuple[Any, ...] | list[Any]) -> Any:
    """The value at ``path`` in nested dicts and lists (ruamel's round-trip data too), or
    None where the path runs out: ``dig(d, ("years", 2025, "energy"))``."""
    node = data
    for part in path:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return None
        if node is None:
            return None
    return node
