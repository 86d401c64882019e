"""What went wrong reading dossier.yaml, in Chinese and with its line.

ruamel.yaml reports syntax errors in English with a mark; values it cannot build (a
date 2016-13-45, an integer of 5 000 digits, brackets nested 10 000 deep) raise plain
Python errors with no mark at all. :func:`read_problem` turns either into an
:class:`Issue` naming the line, whatever loader read the file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .errors import BadInputError, Issue

_TRANSLATIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r'found duplicate key "([^"]*)" with value "([^"]*)" \(original value: "([^"]*)"\)'),
     "键 {0} 重复出现（先为 {2}，又为 {1}）：同一层中每个键只能写一次，请删除其中一处"),
    (re.compile(r"found duplicate key"), "键重复出现：同一层中每个键只能写一次，请删除其中一处"),
    (re.compile(r"found character '\\t' that cannot start any token"),
     "含有制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格"),
    (re.compile(r"unacceptable character #x0000"), "含有空字符（NUL）：文件可能已损坏，请删除该字符或从备份恢复"),
    (re.compile(r"unacceptable character (#x[0-9a-fA-F]+)"), "含有不允许的控制字符 {0}：请删除该字符"),
    (re.compile(r"mapping values are not allowed here"), "此处不能出现“键: 值”：多半是冒号后缺少空格或缩进不对"),
    (re.compile(r"could not find expected ':'"), "缺少冒号（:）"),
    (re.compile(r"found unexpected end of stream"), "文件意外结束：引号或括号没有闭合"),
    (re.compile(r"did not find expected key"), "没有找到预期的键：多半是缩进不对"),
    (re.compile(r"did not find expected '-' indicator"), "列表项缩进不对（应以 - 开头）"),
    (re.compile(r"found undefined alias '?([^']*)'?"), "引用了未定义的锚点 {0}"),
]


def translate_yaml(problem: str) -> str:
    """ruamel's English problem text in Chinese (unchanged when not known)."""
    for pattern, text in _TRANSLATIONS:
        match = pattern.search(problem)
        if match:
            return text.format(*match.groups())
    return problem


def read_yaml_source(path: Path) -> str:
    """The text of a YAML file; a missing, unreadable or non-UTF-8 file is a
    :class:`BadInputError` naming it (one wording for both readers)."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise BadInputError(f"找不到文件：{path}") from exc
    except UnicodeDecodeError as exc:
        raise BadInputError(f"{path} 不是 UTF-8 编码的文本文件（请在编辑器中另存为 UTF-8）") from exc
    except OSError as exc:
        raise BadInputError(f"无法读取 {path}：{exc.strerror}") from exc


def syntax_issue_of(exc: BaseException, problem: str | None = None) -> Issue:
    """The Issue for a YAML syntax error of either reader (ruamel's or libyaml's): the
    problem in Chinese where known, with the line and column of its mark. ``problem``
    replaces the error's own wording (libyaml words some problems differently)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    original = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    chinese = translate_yaml(problem or original)
    if chinese != original:
        text = f"YAML 格式错误：{chinese}"
    else:
        text = f"YAML 语法错误：{original}" + (f"（{context}）" if context else "")
        text += "。请检查该行的缩进、冒号和引号"
    return Issue(path="", message=text, line=mark.line + 1 if mark else None,
                 column=mark.column + 1 if mark else None)


_DATE = re.compile(r"(?<![\d.])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")
_LONG_INT = re.compile(r"[-+]?\d{300,}")


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


_KEY = re.compile(r"^\s*-?\s*([^:#\s][^:#]*?)\s*:")


def _key_at(text: str, index: int) -> str:
    """The key written on the line of ``index`` (the field the user must edit)."""
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    match = _KEY.match(text[start:end if end >= 0 else len(text)])
    return match.group(1).strip("'\"") if match else ""


def read_problem(text: str, exc: BaseException) -> Issue:
    """An Issue for a value the YAML loader could not build (no mark of its own)."""
    import datetime as dt

    if isinstance(exc, RecursionError):
        depth, deepest = 0, 0
        for i, ch in enumerate(text):
            if ch in "[{":
                depth += 1
                if depth > 200:
                    return Issue(_key_at(text, i), "括号嵌套过深（超过 200 层），无法读取：请检查该行", _line_of(text, i), None)
            elif ch in "]}":
                depth = max(depth - 1, 0)
            deepest = max(deepest, depth)
        return Issue("", "内容嵌套过深，无法读取：请检查缩进", None, None)
    for match in _LONG_INT.finditer(text):
        return Issue(_key_at(text, match.start()), f"数字过长（{len(match.group(0))} 位），无法作为数值：请检查该行",
                     _line_of(text, match.start()), None)
    for match in _DATE.finditer(text):
        year, month, day = (int(g) for g in match.groups())
        try:
            dt.date(year, month, day)
        except ValueError:
            return Issue(_key_at(text, match.start()), f"不存在的日期：{match.group(0)}（应为 YYYY-MM-DD，月 1–12，日不超过当月天数）",
                         _line_of(text, match.start()), None)
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return Issue("", f"无法读取的值：{message}", None, None)


_BRACKETS = re.compile(r"[\[\]{}]")


def nul_problem(text: str) -> Issue | None:
    """A NUL byte, or flow brackets nested past 200 levels (found before the loader
    recurses into them: ruamel takes seconds to fail on 10 000 levels)."""
    index = text.find("\x00")
    if index < 0:
        if text.count("[") + text.count("{") > 200:
            depth = 0
            for match in _BRACKETS.finditer(text):
                depth = depth + 1 if match.group(0) in "[{" else max(depth - 1, 0)
                if depth > 200:
                    i = match.start()
                    return Issue(_key_at(text, i), "括号嵌套过深（超过 200 层），无法读取：请检查该行", _line_of(text, i), None)
        return None
    line = _line_of(text, index)
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return Issue("", "含有空字符（NUL）：文件可能已损坏，请删除该字符或从备份恢复", line, column)


def describe(value: Any) -> str:
    return repr(value)[:60]
