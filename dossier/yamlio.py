"""YAML reading and writing that keeps line numbers, comments and key order.

ruamel.yaml's round-trip loader keeps, on every mapping and sequence, the line and
column of each key and item (``.lc``), so a validation error on ``subject.founded`` can
name the line the user must edit; and writing back keeps the user's comments.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .errors import DossierInvalidError
from .yamlcheck import nul_problem, read_problem, read_yaml_source, syntax_issue_of


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold long Chinese lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


@dataclass
class LoadedYaml:
    data: Any
    path: Path

    def locate(self, loc: Sequence[Any]) -> tuple[int | None, int | None]:
        """1-based (line, column) of the deepest node of ``loc`` that exists in the file."""
        node = self.data
        line = col = None
        for key in loc:
            if isinstance(node, CommentedMap) and key in node:
                try:
                    line, col = node.lc.value(key)
                except (KeyError, TypeError, AttributeError):
                    line, col = node.lc.line, node.lc.col
                node = node[key]
            elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
                try:
                    line, col = node.lc.item(key)
                except (KeyError, TypeError, AttributeError):
                    line, col = node.lc.line, node.lc.col
                node = node[key]
            else:
                # The key is missing (e.g. a required field): point at its parent mapping.
                if line is None and isinstance(node, (CommentedMap, CommentedSeq)):
                    line, col = node.lc.line, node.lc.col
                break
        if line is None:
            return None, None
        return line + 1, col + 1


def load_yaml_file(path: Path) -> LoadedYaml:
    """Read a YAML file; a syntax error becomes :class:`DossierInvalidError` with its line."""
    text = read_yaml_source(path)
    return load_yaml_text(text, path)


def load_yaml_text(text: str, path: Path) -> LoadedYaml:
    nul = nul_problem(text)
    if nul:
        raise DossierInvalidError(str(path), [nul])
    try:
        data = _yaml().load(text)
    except (MarkedYAMLError, YAMLError) as exc:
        raise DossierInvalidError(str(path), [syntax_issue_of(exc)]) from exc
    except (ValueError, OverflowError, RecursionError, TypeError) as exc:  # a value it cannot build
        raise DossierInvalidError(str(path), [read_problem(text, exc)]) from None
    return LoadedYaml(data=data, path=path)


def dump_yaml(data: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()
