"""The one way to change ``dossier.yaml``: every writer (``extract --apply``,
``workbook import``, ``rollover``, ``dossier import``, the web workspace) goes through here.

- The file is edited on ruamel's round-trip data, so the user's comments, key order,
  quoting and blank lines survive; a new value takes the style of the one it replaces
  or of its neighbours (a double-quoted file gets double-quoted text, an answer written
  是/否 stays 是/否, a flow-style list stays flow style).
- A value the user typed is never silently overwritten: :func:`fill` writes only into an
  empty field and reports a different value as a conflict, keeping the old one;
  :meth:`DossierEdit.set` replaces a value only when the caller says the edit is the
  user's own (a form field, a workbook cell) and then reports the old value.
- Before writing, the result is validated exactly as ``dossier validate`` does (model and
  scheme, the dossier's own ``checklists/`` included); an invalid result is not written.
- The previous file is kept as ``dossier.yaml.bak-YYYYmmdd-HHMMSS`` (``-1``, ``-2``… when
  that name is taken) and the new one written atomically.
- The version of a file is the hash of its bytes: a save made from an older version (two
  browser tabs, an edit in an editor meanwhile) raises :class:`ConflictError` listing what
  changed on disk, and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString, SingleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from .errors import BadInputError, DossierInvalidError, Issue
from .fileio import atomic_write_bytes, atomic_write_text
from .yamlio import dump_yaml, load_yaml_text  # noqa: F401  (re-exported for callers)

DOSSIER_FILE = "dossier.yaml"
YES, NO = "是", "否"
_QUOTED = (DoubleQuotedScalarString, SingleQuotedScalarString)

FILLED, SAME, CONFLICT, CHANGED, CLEARED = "filled", "same", "conflict", "changed", "cleared"
STATUS_NAMES = {FILLED: "已填写", SAME: "一致", CONFLICT: "冲突（保留原值）", CHANGED: "已修改", CLEARED: "已清空"}


class EditError(ValueError):
    """The data has no place for a value (a list item that is not there, a scalar parent)."""


class ConflictError(BadInputError):
    """dossier.yaml changed since the edit began: nothing was written."""

    def __init__(self, file: Path, differences: list["Difference"], current_version: str):
        self.file, self.differences, self.current_version = file, differences, current_version
        lines = [f"{file} 在您开始编辑之后已被修改（可能在另一个窗口或编辑器中），本次保存未写入。"]
        lines += [f"  {d}" for d in differences[:20]] or ["  （内容格式有变化）"]
        super().__init__("\n".join(lines))


@dataclass
class Difference:
    path: str
    before: Any
    after: Any

    def __str__(self) -> str:
        return f"{self.path}：{_show(self.before)} → {_show(self.after)}"


@dataclass
class Outcome:
    """What an edit did to one field."""

    path: str
    status: str
    new: Any = None
    old: Any = None
    line: int | None = None  # 1-based line of the field in the file as read

    def __str__(self) -> str:
        where = f"（dossier.yaml 第 {self.line} 行）" if self.line else ""
        if self.status == CONFLICT:
            return f"{self.path}{where}：已有 {_show(self.old)}，不同于 {_show(self.new)}，保留原值"
        if self.status == CHANGED:
            return f"{self.path}{where}：{_show(self.old)} → {_show(self.new)}"
        return f"{self.path}{where}：{STATUS_NAMES[self.status]} {_show(self.new)}"


@dataclass
class Saved:
    file: Path
    backup: Path | None
    version: str
    outcomes: list[Outcome] = field(default_factory=list)


def _show(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


# --- versions, backups, writing ---------------------------------------------------------------


def version_of(data: bytes) -> str:
    """The version of a file: the first 16 hex digits of the SHA-256 of its bytes."""
    return hashlib.sha256(data).hexdigest()[:16]


def file_version(path: Path) -> str:
    path = Path(path)
    return version_of((path / DOSSIER_FILE if path.is_dir() else path).read_bytes())


def backup_path(file: Path, now: dt.datetime | None = None) -> Path:
    """``dossier.yaml.bak-YYYYmmdd-HHMMSS``, or ``…-1``, ``…-2`` when that name is taken."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = file.with_name(f"{file.name}.bak-{stamp}")
    counter = 1
    while candidate.exists():
        candidate = file.with_name(f"{file.name}.bak-{stamp}-{counter}")
        counter += 1
    return candidate


def issues_of(text: str, file: Path) -> list[Issue]:
    """The problems ``dossier validate`` would report if ``file`` held ``text``."""
    from .loader import validate_text

    try:
        validate_text(text, file)
    except DossierInvalidError as exc:
        return [i for i in exc.issues if i.severity == "error"]
    return []


def write_new(file: Path, text: str) -> None:
    """Write a dossier.yaml that is being created (``init``, ``dossier import``, rollover's
    new folder) atomically; callers validate the folder once it is complete."""
    atomic_write_text(Path(file), text)


def replace_text(file: Path, text: str, original: bytes, *, now: dt.datetime | None = None,
                 validate: bool = True) -> Path:
    """Replace ``file`` (whose bytes were ``original`` when the edit began) by ``text``:
    validate, check nobody changed it meanwhile, back up, write atomically. The backup."""
    file = Path(file)
    if validate:
        issues = issues_of(text, file)
        if issues:
            raise DossierInvalidError(str(file), issues)
    on_disk = file.read_bytes()
    if on_disk != original:
        raise ConflictError(file, differences(original.decode("utf-8", "replace"), on_disk.decode("utf-8", "replace"),
                                              file), version_of(on_disk))
    backup = backup_path(file, now)
    atomic_write_bytes(backup, original)
    atomic_write_text(file, text)
    return backup


# --- paths ---------------------------------------------------------------------------------


def parse_path(path: str | Sequence[Any]) -> tuple[Any, ...]:
    """``"years.2024.energy.electricity"`` / ``"subject.certifications[2].number"`` → keys;
    a number under ``years`` and an index in brackets become ints."""
    if not isinstance(path, str):
        return tuple(path)
    keys: list[Any] = []
    for part in path.replace("]", "").replace("[", ".").split("."):
        if part == "":
            raise EditError(path)
        if part.isdigit() and keys and (keys[-1] == "years" or isinstance(keys[-1], str) and f"{keys[-1]}[{part}]" in path):
            keys.append(int(part))
        else:
            keys.append(part)
    return tuple(keys)


def dotted(keys: Sequence[Any]) -> str:
    out = ""
    for key in keys:
        out += f"[{key}]" if isinstance(key, int) and out and not out.endswith("years") else (f".{key}" if out else str(key))
    return out


def get(data: Any, keys: Sequence[Any]) -> Any:
    node = data
    for key in keys:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
        else:
            return None
    return node


def parent_of(data: Any, keys: Sequence[Any], create: bool) -> Any:
    """The mapping or sequence that holds ``keys[-1]``; created on the way when asked."""
    node = data
    for key in keys[:-1]:
        if isinstance(node, CommentedSeq) or isinstance(node, list):
            if not isinstance(key, int) or not 0 <= key < len(node):
                raise EditError(dotted(keys))
            node = node[key]
            continue
        if not isinstance(node, dict):
            raise EditError(dotted(keys))
        child = node.get(key)
        if child is None:
            if not create:
                return None
            child = CommentedMap()
            node[key] = child
        node = child
    if not isinstance(node, (dict, list)):
        raise EditError(dotted(keys))
    if isinstance(node, list):
        last = keys[-1]
        if not isinstance(last, int) or not 0 <= last < len(node):
            raise EditError(dotted(keys))
    return node


def line_of(parent: Any, key: Any) -> int | None:
    try:
        line, _ = parent.lc.value(key) if isinstance(parent, CommentedMap) else parent.lc.item(key)
        return line + 1
    except (KeyError, TypeError, AttributeError, IndexError):
        return None


def is_empty(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        truth = {True: True, False: False, YES: True, NO: False}
        return a in truth and b in truth and truth[a] == truth[b]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    if isinstance(a, (dt.date, str)) and isinstance(b, (dt.date, str)):
        return str(a).strip() == str(b).strip()
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


# --- values in the file's style ----------------------------------------------------------------


def _number(value: float | int) -> float | int:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def styled(value: Any, old: Any = None, siblings: Iterable[Any] = ()) -> Any:
    """``value`` as it should be stored beside ``old`` (the value it replaces) and its siblings."""
    siblings = list(siblings)
    if value is None:
        return None
    if isinstance(value, bool):
        # Chinese files answer compliance questions with 是/否 (model.Dossier._yes_no).
        if old in (YES, NO) or old is None and any(s in (YES, NO) for s in siblings):
            return YES if value else NO
        return value
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str):
        if "\n" in value or isinstance(old, LiteralScalarString):
            return LiteralScalarString(value)
        if isinstance(old, _QUOTED):
            return type(old)(value)
        if old is None and any(isinstance(s, DoubleQuotedScalarString) for s in siblings):
            return DoubleQuotedScalarString(value)
        return value
    return value


def _siblings(node: Any) -> list[Any]:
    return list(node.values()) if isinstance(node, dict) else list(node)


def _store(parent: Any, key: Any, value: Any) -> None:
    old = parent[key] if (isinstance(parent, dict) and key in parent) or isinstance(parent, list) else None
    if isinstance(value, list) and not isinstance(value, CommentedSeq):
        if isinstance(old, CommentedSeq):
            quoted = next((type(i) for i in old if isinstance(i, _QUOTED)), None)
            old[:] = [quoted(i) if quoted and isinstance(i, str) else i for i in value]  # keeps flow style, comment
            return
        parent[key] = CommentedSeq(value)
        return
    parent[key] = styled(value, old, _siblings(parent))
    if isinstance(parent, CommentedMap):
        _keep_comment_apart(parent, key, old)


def _scalar_text(value: Any) -> str | None:
    """How a scalar is written on its line (None for blocks and multi-line text)."""
    if value is None:
        return ""
    if isinstance(value, (LiteralScalarString, CommentedMap, CommentedSeq)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) + ("  " if isinstance(value, _QUOTED) else "")


def _keep_comment_apart(node: CommentedMap, key: Any, old: Any = None) -> None:
    """Keep the comment after a new value where the user had it: two spaces after the
    value when it was two spaces after the old one (ruamel keeps the column it was read
    from, leaving a gap after a shorter value), and never closer than two spaces (ruamel
    would write ``fill_date: 2026-11-01 # 填报日期`` after a longer one)."""
    entry = node.ca.items.get(key)
    token = entry[2] if entry and len(entry) > 2 else None
    text = _scalar_text(node[key])
    if token is None or text is None or node[key] is None:
        return
    try:
        _, column = node.lc.key(key)
    except (KeyError, TypeError):
        return
    start = column + len(str(key)) + len(": ")
    needed = start + len(text) + 2
    old_text = _scalar_text(old)
    snug = old_text is not None and token.column == start + len(old_text) + 2
    if token.column < needed or snug:
        token.column = needed


# --- the edits -----------------------------------------------------------------------------


def fill(data: Any, keys: Sequence[Any], value: Any, *, equal: Callable[[Any, Any], bool] | None = None,
         source: str | None = None) -> Outcome:
    """Write ``value`` into an EMPTY field; a field already holding a different value keeps
    it (CONFLICT). ``source`` ("营业执照.pdf 第 1 页") is added to the field's comment."""
    keys = tuple(keys)
    parent = parent_of(data, keys, create=True)
    key = keys[-1]
    current = get(parent, (key,))
    path = dotted(keys)
    if is_empty(current):
        _store(parent, key, value)
        if source and isinstance(parent, CommentedMap):
            add_comment(parent, key, f"来源：{source}")
        return Outcome(path, FILLED, value, current, line_of(parent, key))
    if (equal or same)(current, value):
        return Outcome(path, SAME, value, current, line_of(parent, key))
    return Outcome(path, CONFLICT, value, current, line_of(parent, key))


def set_value(data: Any, keys: Sequence[Any], value: Any) -> Outcome:
    """The user's own edit of one field (a form field, a workbook cell): replaces the value
    and reports the old one; None or [] clears it."""
    keys = tuple(keys)
    clearing = is_empty(value)
    parent = parent_of(data, keys, create=not clearing)
    path = dotted(keys)
    key = keys[-1]
    if parent is None or (clearing and isinstance(parent, dict) and key not in parent):
        return Outcome(path, SAME, value, None)
    current = get(parent, (key,))
    line = line_of(parent, key)
    if is_empty(current) and clearing:
        return Outcome(path, SAME, value, current, line)
    if not is_empty(current) and not clearing and same(current, value):
        return Outcome(path, SAME, value, current, line)
    _store(parent, key, [] if isinstance(current, list) and value is None else value)
    status = CLEARED if clearing else FILLED if is_empty(current) else CHANGED
    return Outcome(path, status, value, current, line)


def append_item(data: Any, list_keys: Sequence[Any], item: dict[str, Any]) -> int:
    """Append a new item (field → value; empty values left out) to the list at ``list_keys``;
    its index. The item takes the style (flow, quoting) of the list's last item."""
    list_keys = tuple(list_keys)
    parent = parent_of(data, list_keys, create=True)
    last = list_keys[-1]
    seq = parent.get(last) if isinstance(parent, dict) else parent[last]
    if not isinstance(seq, CommentedSeq):
        seq = CommentedSeq()
        parent[last] = seq
    neighbour = seq[-1] if len(seq) and isinstance(seq[-1], CommentedMap) else None
    siblings = list(neighbour.values()) if neighbour is not None else []
    entry = CommentedMap()
    for name, value in item.items():
        if is_empty(value):
            continue
        entry[name] = CommentedSeq(value) if isinstance(value, list) else styled(value, None, siblings)
    if neighbour is not None and neighbour.fa.flow_style():
        entry.fa.set_flow_style()
    seq.append(entry)
    return len(seq) - 1


def add_comment(parent: CommentedMap, key: Any, note: str, column: int | None = None) -> None:
    """Add ``note`` to the field's end-of-line comment (after the description ``dossier init``
    wrote there, which is kept), or give the field one at ``column``."""
    entry = parent.ca.items.get(key)
    token = entry[2] if entry and len(entry) > 2 else None
    if isinstance(token, CommentToken) and token.value.lstrip().startswith("#"):
        if note in token.value:
            return
        first, newline, rest = token.value.partition("\n")
        token.value = f"{first.rstrip()}；{note}{newline}{rest}"
        return
    parent.yaml_add_eol_comment(note, key, column=column)


def _last_comment_holder(node: Any) -> tuple[Any, Any] | None:
    if isinstance(node, CommentedMap) and node:
        key = list(node)[-1]
        return _last_comment_holder(node[key]) or (node, key)
    if isinstance(node, CommentedSeq) and node:
        return _last_comment_holder(node[-1]) or (node, len(node) - 1)
    return None


def _eol_token(holder: Any, key: Any) -> CommentToken | None:
    entry = holder.ca.items.get(key)
    if not entry:
        return None
    index = 0 if isinstance(holder, CommentedSeq) else 2
    token = entry[index] if len(entry) > index else None
    return token if isinstance(token, CommentToken) else None


def move_trailing_comment(before: Any, after: Any) -> None:
    """ruamel keeps the blank lines and comments that follow a block with the block's last
    value. When a block is appended after ``before`` (a new year after the last one), move
    them along so they stay above the next top-level key."""
    source = _last_comment_holder(before)
    target = _last_comment_holder(after)
    if source is None or target is None:
        return
    token = _eol_token(*source)
    if token is None or "\n" not in token.value:
        return
    first, rest = token.value.split("\n", 1)
    if not rest:
        return
    token.value = first + "\n"
    holder, key = target
    existing = _eol_token(holder, key)
    if existing is not None:
        existing.value = existing.value.rstrip("\n") + "\n" + rest
    else:
        holder.yaml_add_eol_comment("x", key)
        new = _eol_token(holder, key)
        if new is not None:
            new.value = "\n" + rest


def differences(before_text: str, after_text: str, file: Path) -> list[Difference]:
    """Field-level differences between two versions of a dossier.yaml."""
    try:
        before = load_yaml_text(before_text, file).data
        after = load_yaml_text(after_text, file).data
    except BadInputError:
        return [Difference("（文件）", "", "YAML 无法读取")]
    out: list[Difference] = []

    def walk(a: Any, b: Any, keys: tuple[Any, ...]) -> None:
        if isinstance(a, dict) and isinstance(b, dict):
            for key in list(a) + [k for k in b if k not in a]:
                walk(a.get(key), b.get(key), (*keys, key))
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b)):
                walk(x, y, (*keys, i))
        elif not (is_empty(a) and is_empty(b)) and a != b:
            out.append(Difference(dotted(keys), _plain(a), _plain(b)))

    walk(before, after, ())
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) if all(not isinstance(v, (dict, list)) for v in value) else f"[{len(value)} 项]"
    return value


# --- a whole edit ----------------------------------------------------------------------------


class DossierEdit:
    """One edit of a dossier's ``dossier.yaml``: open, change fields, :meth:`save`.

    ``expected_version`` (the version a browser form was rendered from) makes the edit
    fail with :class:`ConflictError` when the file has changed since.
    """

    def __init__(self, directory: Path, expected_version: str | None = None):
        directory = Path(directory)
        self.file = directory / DOSSIER_FILE if directory.is_dir() or directory.name != DOSSIER_FILE else directory
        try:
            self.original = self.file.read_bytes()
        except FileNotFoundError as exc:
            raise BadInputError(f"找不到 {self.file}。请先用 `dossier init 目录 --scheme 方案` 创建档案") from exc
        self.version = version_of(self.original)
        self.base_text: str | None = None
        if expected_version is not None and expected_version != self.version:
            raise ConflictError(self.file, [], self.version)
        self.data = load_yaml_text(self.original.decode("utf-8"), self.file).data
        self.outcomes: list[Outcome] = []

    @classmethod
    def from_base(cls, directory: Path, base_text: str, base_version: str) -> "DossierEdit":
        """An edit of the text a form was rendered from; :meth:`save` refuses when the file
        on disk is no longer that text (the conflict lists what changed on disk)."""
        edit = cls(directory)
        if edit.version != base_version:
            raise ConflictError(edit.file, differences(base_text, edit.original.decode("utf-8", "replace"), edit.file),
                                edit.version)
        return edit

    def get(self, path: str | Sequence[Any]) -> Any:
        return get(self.data, parse_path(path))

    def fill(self, path: str | Sequence[Any], value: Any, **kwargs: Any) -> Outcome:
        outcome = fill(self.data, parse_path(path), value, **kwargs)
        self.outcomes.append(outcome)
        return outcome

    def set(self, path: str | Sequence[Any], value: Any) -> Outcome:
        outcome = set_value(self.data, parse_path(path), value)
        self.outcomes.append(outcome)
        return outcome

    def append(self, path: str | Sequence[Any], item: dict[str, Any]) -> int:
        return append_item(self.data, parse_path(path), item)

    def text(self) -> str:
        return dump_yaml(self.data)

    def issues(self) -> list[Issue]:
        return issues_of(self.text(), self.file)

    @property
    def changed(self) -> bool:
        return self.text().encode("utf-8") != self.original

    def save(self, now: dt.datetime | None = None) -> Saved:
        """Validate, back up and write; nothing is written when nothing changed."""
        text = self.text()
        if text.encode("utf-8") == self.original:
            return Saved(self.file, None, self.version, self.outcomes)
        backup = replace_text(self.file, text, self.original, now=now)
        return Saved(self.file, backup, file_version(self.file), self.outcomes)
