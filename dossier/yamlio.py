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

from .errors import BadInputError, DossierInvalidError, Issue
from .yamlcheck import nul_problem, read_problem, translate_yaml


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


def _syntax_issue(path: Path, exc: YAMLError) -> Issue:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    chinese = translate_yaml(problem)
    if chinese != problem:
        text = f"YAML 格式错误：{chinese}"
    else:
        text = f"YAML 语法错误：{problem}" + (f"（{context}）" if context else "")
        text += "。请检查该行的缩进、冒号和引号"
    return Issue(
        path="",
        message=text,
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
    )


def load_yaml_file(path: Path) -> LoadedYaml:
    """Read a YAML file; a syntax error becomes :class:`DossierInvalidError` with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise BadInputError(f"找不到文件：{path}") from exc
    except UnicodeDecodeError as exc:
        raise BadInputError(f"{path} 不是 UTF-8 编码的文本文件（请在编辑器中另存为 UTF-8）") from exc
    except OSError as exc:
        raise BadInputError(f"无法读取 {path}：{exc.strerror}") from exc
    return load_yaml_text(text, path)


def load_yaml_text(text: str, path: Path) -> LoadedYaml:
    nul = nul_problem(text)
    if nul:
        raise DossierInvalidError(str(path), [nul])
    try:
        data = _yaml().load(text)
    except (MarkedYAMLError, YAMLError) as exc:
        raise DossierInvalidError(str(path), [_syntax_issue(path, exc)]) from exc
    except (ValueError, OverflowError, RecursionError, TypeError) as exc:  # a value it cannot build
        raise DossierInvalidError(str(path), [read_problem(text, exc)]) from None
    return LoadedYaml(data=data, path=path)


def dump_yaml(data: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()
