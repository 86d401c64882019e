"""libyaml's reading of a YAML file, every key and item with its line and column.

The reference reader of :mod:`dossier.yamlread` (imported only when a file needs it:
``yaml_rs`` reads most dossiers, and a position is needed only for a message). It reads
a file the way the round-trip parser does — YAML 1.2 — so a dossier means the same
whichever reader read it (tests/test_yamlread.py compares them).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, ScalarNode
from yaml.resolver import BaseResolver

from .errors import DossierInvalidError, Issue
from .gcpause import collector_paused
from .yamlcheck import read_problem, syntax_issue_of

try:  # libyaml is in every PyYAML wheel; the pure-Python parser is the fallback
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

class MarkedMap(dict):
    """A mapping that remembers where it and each of its values start (0-based)."""

    __slots__ = ("mark", "marks")


class MarkedSeq(list):
    """A sequence that remembers where it and each of its items start (0-based)."""

    __slots__ = ("mark", "marks")


# --- YAML 1.2 core schema, as ruamel.yaml reads it ---------------------------------------

class _Resolver12(BaseResolver):
    pass


_IMPLICIT = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:float", r"""^(?:
         [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""", "-+0123456789."),
    ("tag:yaml.org,2002:int", r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$""", "-+0123456789"),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", "<"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:timestamp", r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?
        :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""", "0123456789"),
]
for _tag, _pattern, _first in _IMPLICIT:
    _Resolver12.add_implicit_resolver(_tag, re.compile(_pattern, re.X), list(_first))


class _FastResolver(_Resolver12):
    """The same rules, without the path resolvers PyYAML looks up for every node (none
    are defined here): libyaml calls ``resolve`` once per scalar."""

    _by_first = {k: tuple(v) for k, v in _Resolver12.yaml_implicit_resolvers.items()}

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in self._by_first.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        if kind is MappingNode:
            return self.DEFAULT_MAPPING_TAG
        return self.DEFAULT_SEQUENCE_TAG


class _Constructor(SafeConstructor):
    def construct_yaml_int(self, node):
        text = self.construct_scalar(node).replace("_", "")
        sign = -1 if text.startswith("-") else 1
        text = text.lstrip("+-")
        if text.startswith("0b"):
            return sign * int(text[2:], 2)
        if text.startswith("0x"):
            return sign * int(text[2:], 16)
        if text.startswith("0o"):
            return sign * int(text[2:], 8)
        return sign * int(text)  # YAML 1.2: a leading zero is not octal

    def construct_yaml_float(self, node):
        text = self.construct_scalar(node).replace("_", "").lower()
        if text.lstrip("+-") == ".inf":
            return float("-inf") if text.startswith("-") else float("inf")
        if text == ".nan":
            return float("nan")
        return float(text)

    def construct_yaml_map(self, node):
        data = MarkedMap()
        data.mark = (node.start_mark.line, node.start_mark.column)
        data.marks = {}
        yield data
        explicit = {id(k) for k, _ in node.value}
        self.flatten_mapping(node)
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError as exc:
                raise ConstructorError("while constructing a mapping", node.start_mark,
                                       "found unhashable key", key_node.start_mark) from exc
            if id(key_node) in explicit:  # keys merged in (<<: *anchor) may be overridden
                if key in seen:
                    raise ConstructorError("while constructing a mapping", node.start_mark,
                                           f"found duplicate key {key!r}", key_node.start_mark)
                seen.add(key)
            data[key] = self.construct_object(value_node, deep=True)
            data.marks[key] = (value_node.start_mark.line, value_node.start_mark.column)

    def construct_yaml_seq(self, node):
        data = MarkedSeq()
        data.mark = (node.start_mark.line, node.start_mark.column)
        data.marks = [(n.start_mark.line, n.start_mark.column) for n in node.value]
        yield data
        data.extend(self.construct_sequence(node, deep=True))

    def construct_value(self, node):
        return self.construct_scalar(node)


_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)
_Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_yaml_float)
_Constructor.add_constructor("tag:yaml.org,2002:map", _Constructor.construct_yaml_map)
_Constructor.add_constructor("tag:yaml.org,2002:seq", _Constructor.construct_yaml_seq)
_Constructor.add_constructor("tag:yaml.org,2002:value", _Constructor.construct_value)


_STR, _INT, _FLOAT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_NULL, _BOOL, _MAP, _SEQ = "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_TRUE, _FALSE = ("true", "True", "TRUE"), ("false", "False", "FALSE")


class _Loader(_Parser, _Constructor, _FastResolver):
    """libyaml composes the node tree; ``data()`` turns it into Python directly for the
    common tags (4× faster than PyYAML's general machinery, which handles the rest)."""

    def __init__(self, stream):
        _Parser.__init__(self, stream)
        _Constructor.__init__(self)
        _FastResolver.__init__(self)
        self._memo: dict[int, Any] = {}

    def data(self) -> Any:
        node = self.get_single_node()
        return None if node is None else self._value(node)

    def _value(self, node) -> Any:
        tag = node.tag
        if type(node) is ScalarNode:
            if tag == _STR:
                return node.value
            if tag == _INT:
                return self.construct_yaml_int(node)
            if tag == _NULL:
                return None
            if tag == _FLOAT:
                return self.construct_yaml_float(node)
            if tag == _BOOL and node.value in _TRUE:
                return True
            if tag == _BOOL and node.value in _FALSE:
                return False
            return self.construct_object(node, deep=True)
        memo = self._memo
        done = memo.get(id(node))
        if done is not None:
            return done  # an alias (*name): the same object, as the round-trip reader gives
        value = self._value
        if tag == _MAP and type(node) is MappingNode:
            data = memo[id(node)] = MarkedMap()
            start = node.start_mark
            data.mark = (start.line, start.column)
            data.marks = marks = {}
            pairs = node.value
            explicit = None
            for k, _ in pairs:
                if k.tag == _MERGE:
                    explicit = {id(k) for k, _ in pairs}
                    self.flatten_mapping(node)
                    pairs = node.value
                    break
            seen: set[Any] = set()
            for key_node, value_node in pairs:
                key = value(key_node)
                try:
                    duplicate = key in seen
                except TypeError as exc:
                    raise ConstructorError("while constructing a mapping", node.start_mark,
                                           "found unhashable key", key_node.start_mark) from exc
                if explicit is None or id(key_node) in explicit:  # merged keys may be overridden
                    if duplicate:
                        raise ConstructorError("while constructing a mapping", node.start_mark,
                                               f"found duplicate key {key!r}", key_node.start_mark)
                    seen.add(key)
                data[key] = value(value_node)
                mark = value_node.start_mark
                marks[key] = (mark.line, mark.column)
            return data
        if tag == _SEQ and node.id == "sequence":
            data = memo[id(node)] = MarkedSeq()
            start = node.start_mark
            data.mark = (start.line, start.column)
            items = node.value
            data.marks = [(n.start_mark.line, n.start_mark.column) for n in items]
            data.extend([value(n) for n in items])
            return data
        return self.construct_object(node, deep=True)


def _ruamel_wording(problem: str, mark, text: str) -> str:
    """libyaml words two problems differently from ruamel (which character cannot start a
    token — a Tab, the usual one; mapping values not allowed): say them as ruamel does, so
    the same Chinese message follows."""
    if problem == "found character that cannot start any token" and mark is not None:
        lines = text.splitlines()
        line = lines[mark.line] if mark.line < len(lines) else ""
        if mark.column < len(line) and line[mark.column] == "\t":
            return "found character '\\t' that cannot start any token"
    if problem == "mapping values are not allowed in this context":
        return "mapping values are not allowed here"
    return problem


def syntax_issue(exc: yaml.YAMLError, text: str = "") -> Issue:
    """The same message as the round-trip reader's (dossier/yamlio.py) for the same mistake."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return syntax_issue_of(exc, _ruamel_wording(problem, mark, text))


def read_marked(text: str, path: Path) -> Any:
    """The data of ``text``, every mapping and sequence with its positions; a syntax
    error or a value that cannot be built raises :class:`DossierInvalidError`."""
    loader = _Loader(text)
    try:
        with collector_paused():  # libyaml's node tree: no cycles, many objects (issue 20)
            data = loader.data()
    except yaml.YAMLError as exc:
        raise DossierInvalidError(str(path), [syntax_issue(exc, text)]) from exc
    except (ValueError, OverflowError, RecursionError, TypeError) as exc:  # a value it cannot build (2016-13-45)
        raise DossierInvalidError(str(path), [read_problem(text, exc)]) from None
    finally:
        loader.dispose()
    return data
