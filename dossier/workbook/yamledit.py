"""Edit ``dossier.yaml`` in place through ruamel's round-trip data.

The file is not regenerated: each imported value replaces one scalar (or one list) of
the data ruamel loaded, so the user's comments, key order, quoting and blank lines
stay as they were (an unchanged dossier dumps byte for byte as it was read). A new
value takes the style of the one it replaces, or of its neighbours: a file that
double-quotes its strings gets a double-quoted string, a compliance answer written
是/否 stays 是/否, a product list written in flow style gets a flow-style item.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString, SingleQuotedScalarString

from ..introspect import dig
from .cells import YES, NO, Kind, is_empty

_QUOTED = (DoubleQuotedScalarString, SingleQuotedScalarString)


class EditError(ValueError):
    """The data has no place for a value (a list item that is not there)."""


def _styled_text(text: str, old: Any, siblings: Iterable[Any]) -> Any:
    if "\n" in text or isinstance(old, LiteralScalarString):
        return LiteralScalarString(text)
    if isinstance(old, _QUOTED):
        return type(old)(text)
    if old is None and any(isinstance(s, DoubleQuotedScalarString) for s in siblings):
        return DoubleQuotedScalarString(text)
    return text


def _number(value: float | int) -> float | int:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def yaml_value(kind: Kind, value: Any, old: Any = None, siblings: Iterable[Any] = ()) -> Any:
    """The value to store in the round-trip data for a value read from a cell."""
    siblings = list(siblings)
    if value is None:
        return None
    if kind.name == "bool":
        # Chinese files answer compliance questions with 是/否 (model.Dossier._yes_no).
        if old in (YES, NO) or old is None and any(s in (YES, NO) for s in siblings):
            return YES if value else NO
        return bool(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return _styled_text(value, old, siblings)
    return value


def _child(node: Any, key: Any, create: bool) -> Any:
    if isinstance(node, CommentedMap):
        if key not in node or node[key] is None:
            if not create:
                return None
            node[key] = CommentedMap()
        return node[key]
    if isinstance(node, CommentedSeq):
        if not isinstance(key, int) or key >= len(node):
            raise EditError(key)
        return node[key]
    raise EditError(key)


def get(data: Any, path: tuple[Any, ...]) -> Any:
    return dig(data, path)


def set_value(data: CommentedMap, path: tuple[Any, ...], kind: Kind, value: Any) -> None:
    """Store ``value`` (as read from a cell; None or [] to clear) at ``path``."""
    node = data
    for key in path[:-1]:
        node = _child(node, key, create=not is_empty(value))
        if node is None:
            return  # clearing a field whose parent is not there: nothing to do
    last = path[-1]
    if isinstance(node, CommentedSeq):
        if not isinstance(last, int) or last >= len(node):
            raise EditError(last)
    elif not isinstance(node, CommentedMap):
        raise EditError(last)
    old = node[last] if (isinstance(node, CommentedMap) and last in node) or isinstance(node, CommentedSeq) else None
    if kind.name == "lines":
        _set_list(node, last, old, value or [])
        return
    if value is None and isinstance(node, CommentedMap) and last not in node:
        return
    siblings = node.values() if isinstance(node, CommentedMap) else iter(node)
    node[last] = yaml_value(kind, value, old, siblings)
    if isinstance(node, CommentedMap):
        _keep_comment_apart(node, last)


def _keep_comment_apart(node: CommentedMap, key: Any) -> None:
    """Keep two spaces between a new value and the comment after it.

    ruamel writes an end-of-line comment at the column it was read from, or one space
    after a longer value: ``fill_date:  # 填报日期`` would become
    ``fill_date: 2026-11-01 # 填报日期``. The comment is moved to stay two spaces away.
    """
    entry = node.ca.items.get(key)
    token = entry[2] if entry and len(entry) > 2 else None
    value = node[key]
    if token is None or value is None or isinstance(value, (LiteralScalarString, CommentedMap, CommentedSeq)):
        return
    try:
        _, column = node.lc.key(key)
    except (KeyError, TypeError):
        return
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value) + ("  " if isinstance(value, _QUOTED) else "")
    needed = column + len(str(key)) + len(": ") + len(text) + 2
    if token.column < needed:
        token.column = needed


def _set_list(node: Any, key: Any, old: Any, items: list[str]) -> None:
    if isinstance(old, CommentedSeq):
        quoted = next((type(i) for i in old if isinstance(i, _QUOTED)), None)
        old[:] = [quoted(i) if quoted else i for i in items]  # in place: keeps flow style and the key's comment
        return
    seq = CommentedSeq(items)
    node[key] = seq


def append_item(data: CommentedMap, list_path: tuple[Any, ...], item: dict[str, tuple[Kind, Any]]) -> int:
    """Append a new item (field → (kind, value)) to the list at ``list_path``; its index."""
    node = data
    for key in list_path[:-1]:
        node = _child(node, key, create=True)
    last = list_path[-1]
    seq = node.get(last) if isinstance(node, CommentedMap) else None
    if not isinstance(seq, CommentedSeq):
        seq = CommentedSeq()
        node[last] = seq
    neighbour = seq[-1] if len(seq) and isinstance(seq[-1], CommentedMap) else None
    siblings = list(neighbour.values()) if neighbour is not None else []
    entry = CommentedMap()
    for name, (kind, value) in item.items():
        if is_empty(value):
            continue
        entry[name] = CommentedSeq(value) if kind.name == "lines" else yaml_value(kind, value, None, siblings)
    if neighbour is not None and neighbour.fa.flow_style():
        entry.fa.set_flow_style()
    seq.append(entry)
    return len(seq) - 1
