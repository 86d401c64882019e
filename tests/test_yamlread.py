"""The fast reader (libyaml, dossier/yamlread.py) reads every file as the round-trip
reader (ruamel, dossier/yamlio.py) does: same values, same types, same lines for errors.
A dossier must not mean something else because a command read it the fast way."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from dossier.errors import DossierInvalidError
from dossier.yamlio import load_yaml_text
from dossier.yamlread import read_yaml, read_yaml_text

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(ROOT.glob("examples/*/dossier.yaml")) + sorted(ROOT.glob("checklists/*.yaml"))


def _kind(value):
    """The value as plain Python, with its type spelled out (True is not 1, 1 is not 1.0,
    a date is not a string)."""
    if isinstance(value, dict):
        return ("map", [(_kind(k), _kind(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [_kind(v) for v in value])
    if isinstance(value, bool):
        return ("bool", bool(value))
    if isinstance(value, int):
        return ("int", int(value))
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else float(value))
    if isinstance(value, dt.datetime):
        return ("datetime", value.replace(tzinfo=None).isoformat(), value.utcoffset())
    if isinstance(value, dt.date):
        return ("date", value.isoformat())
    if isinstance(value, str):
        return ("str", str(value))
    if value is None:
        return ("null",)
    raise AssertionError(f"unexpected {type(value)}")


def _paths(value, prefix=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_file_reads_the_same_both_ways(path):
    text = path.read_text(encoding="utf-8")
    fast, slow = read_yaml_text(text, path), load_yaml_text(text, path)
    assert _kind(fast.data) == _kind(slow.data)
    # every key and item is located on the same line and column
    for loc in _paths(slow.data):
        assert fast.locate(loc) == slow.locate(loc), loc
    # a key that is missing points at its parent, as before
    assert fast.locate(("subject", "no_such_field")) == slow.locate(("subject", "no_such_field"))


# Scalars whose meaning differs between YAML 1.1 (PyYAML's default) and YAML 1.2 (ruamel).
TRICKY = [
    "yes", "no", "on", "off", "Yes", "NO", "y", "n", "True", "false", "FALSE", "~", "null", "",
    "0755", "0o755", "010", "08", "0x1F", "0b101", "1_000", "-0x10", "+12", "-0", "00",
    "1:20", "12:30", "1:20.5", "1e3", "1E3", "1.5e3", "1.5E-3", ".5", "-.5", "+.5", "5.", "1_0.5",
    ".inf", "-.Inf", ".nan", "2015-03-01", "2015-3-1", "2015-03-01 10:00:00",
    "2015-03-01T10:00:00Z", "2015-03-01T10:00:00+08:00", "2015/03/01", "2015年3月1日", "20150301",
    "'quoted'", '"0755"', "'yes'", "3.14", "1,000", "91320500MA1X2Y3Z4W", "0.1_1", "_1",
    "12%", "1.2.3", "= x", "<<x",
]


@pytest.mark.parametrize("scalar", TRICKY)
def test_yaml_1_1_and_1_2_differences_do_not_change_a_value(scalar):
    text = f"a: {scalar}\nlist:\n  - {scalar}\n{scalar or 'k'}: 1\n" if scalar else "a:\nlist:\n  -\n"
    fast = read_yaml_text(text, Path("x.yaml")).data
    slow = load_yaml_text(text, Path("x.yaml")).data
    assert _kind(fast) == _kind(slow)


def test_1_2_meanings_spelled_out():
    """What the user wrote is what the dossier says (not the YAML 1.1 reading)."""
    data = read_yaml_text(
        "a: yes\nb: off\nc: 0755\nd: 0o17\ne: 1:20\nf: 1e3\ng: 2015-03-01\nh: 2015-3-1\ni: true\n",
        Path("x.yaml")).data
    assert data == {"a": "yes", "b": "off", "c": 755, "d": 15, "e": "1:20", "f": 1000.0,
                    "g": dt.date(2015, 3, 1), "h": "2015-3-1", "i": True}
    assert isinstance(data["c"], int) and isinstance(data["f"], float)


def test_merge_keys_override_and_duplicates_are_errors():
    data = read_yaml_text("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n", Path("x.yaml")).data
    assert data["c"] == {"x": 1, "y": 3}
    with pytest.raises(DossierInvalidError) as err:
        read_yaml_text("subject:\n  name: 甲\n  name: 乙\n", Path("dossier.yaml"))
    issue = err.value.issues[0]
    assert issue.line == 3 and "键重复出现" in issue.message
    # the round-trip reader refuses it too
    with pytest.raises(DossierInvalidError):
        load_yaml_text("subject:\n  name: 甲\n  name: 乙\n", Path("dossier.yaml"))


@pytest.mark.parametrize("text", [
    "subject:\n  name: 甲\n   kind: factory\n",
    "subject:\n  name: \"甲\n",
    "a: [1, 2\nb: 3\n",
    "a:\n\t- 1\n",
])
def test_syntax_errors_name_the_same_line(text):
    with pytest.raises(DossierInvalidError) as fast:
        read_yaml_text(text, Path("dossier.yaml"))
    with pytest.raises(DossierInvalidError) as slow:
        load_yaml_text(text, Path("dossier.yaml"))
    assert fast.value.issues[0].message.startswith("YAML ")
    assert fast.value.issues[0].line is not None
    if "格式错误" in slow.value.issues[0].message:  # a mistake the Chinese messages know: the same words
        assert fast.value.issues[0].message == slow.value.issues[0].message
    assert abs(fast.value.issues[0].line - slow.value.issues[0].line) <= 1


def test_read_yaml_reports_a_missing_or_non_utf8_file(tmp_path):
    from dossier.errors import BadInputError

    with pytest.raises(BadInputError, match="找不到文件"):
        read_yaml(tmp_path / "none.yaml")
    bad = tmp_path / "gbk.yaml"
    bad.write_bytes("名称: 甲".encode("gbk"))
    with pytest.raises(BadInputError, match="UTF-8"):
        read_yaml(bad)

