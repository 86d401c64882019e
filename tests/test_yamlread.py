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



# --- the fast parser (yaml_rs) against libyaml --------------------------------------------
# yaml_rs reads plain block-style files 4× faster; it is used only where it reads exactly as
# libyaml does (yamlfast.fast_parsable). These tests compare the two on every shipped file
# and on thousands of generated and mutated documents; the seeds are fixed, so a failure
# names a document that can be replayed.

import random  # noqa: E402

from dossier import yamlfast, yamlread  # noqa: E402

EXAMPLES = sorted(ROOT.glob("examples/*/dossier.yaml"))

ATOMS = [
    "甲公司", "yes", "0755", "1_000", "_1", "-_", ".5e3", "1e3", "2024-01-02", "2015-3-1", "1:20", "'q''s'",
    '"x\\ty"', "~", "", "null", "12.5", "-3", "+.5", "0x1F", "a # c", "x*y", "&a v", "*a", "!!str 1", "[a, b]",
    "[1:, x]", "{k: v}", "{}", "[]", "|", "|-", ">", "@x", "`x`", "%x", "? k", "a: b", "9 %", "R&D", "'# no'",
    '"a\nb"', "k:", "- x", "---", "...", "\t", "年: 1", "2023", "3.0", ".inf", "true", "False", "NULL", "0o17",
    "-.inf", ".nan", "2015-03-01 10:00:00", "1.5", "|2", ">-", "|+", "'a\n  b'", '"x # y"', "[a, [b, {c: d}]]",
    "{a: [1, 2], b: null}", "123", "-", "- - x", "a:b", "http://x.cn/a#b", "x #y", "2024-01-02T10:00:00+08:00",
    "1,000", "50%", "¥100", "①", "A&B", "e5", "1e", "0.", "00", "+1", "1__0", "3e_5",
]
KEYS = ["name", "evidence", "2023", "k_1", "a b", "年份", "x"]


def _generated(rng: random.Random, depth: int = 0, indent: int = 0) -> list[str]:
    lines = []
    for _ in range(rng.randint(1, 5)):
        pad, key, r = " " * indent, rng.choice(KEYS), rng.random()
        if r < 0.2 and depth < 3:
            lines += [f"{pad}{key}:", *_generated(rng, depth + 1, indent + 2)]
        elif r < 0.35 and depth < 3:
            lines += [f"{pad}{key}:"] + [f"{pad}  - {rng.choice(ATOMS)}" for _ in range(rng.randint(1, 3))]
        elif r < 0.45:
            lines.append(f"{pad}{key}: {rng.choice(['|', '|-', '>', '|+'])}")
            lines += [f"{pad}  {rng.choice(ATOMS)}" if rng.random() < 0.8 else "" for _ in range(rng.randint(0, 3))]
        else:
            comment = f"  # {rng.choice(ATOMS)}" if rng.random() < 0.2 else ""
            lines.append(f"{pad}{key}: {rng.choice(ATOMS)}{comment}")
    return lines


def _mutated(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(0, 3)):
        op, i = rng.random(), rng.randrange(len(chars) + 1)
        if op < 0.4 and chars:
            del chars[min(i, len(chars) - 1)]
        elif op < 0.8:
            chars.insert(i, rng.choice(" :-#'\"[]{},&*!|>?%@`_.e0123\n\t年"))
        elif chars:
            chars[min(i, len(chars) - 1)] = rng.choice(" :-\n")
    return "".join(chars)


def _compare(text: str) -> str | None:
    """None when the fast reader declines ``text`` or reads it as libyaml does."""
    fast = yamlread._read_fast(text, Path("x.yaml"))
    if fast is None:
        return None
    try:
        reference = _kind(yamlread._read_marked(text, Path("x.yaml")).data)
    except DossierInvalidError:
        return f"yaml_rs accepts what libyaml refuses: {text!r}"
    if _kind(fast.data) != reference:
        return f"read differently: {text!r}\n  yaml_rs {_kind(fast.data)}\n  libyaml {reference}"
    return None


def test_the_shipped_dossiers_take_the_fast_path():
    """Otherwise the speed (issue 20) is not there: a construct the screen refuses crept in."""
    assert yamlread._fast is not None, "yaml-rs is a dependency (pyproject.toml)"
    for path in EXAMPLES:
        read = read_yaml_text(path.read_text(encoding="utf-8"), path)
        assert not read.marked, path


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_reader_equals_libyaml_on_generated_documents(seed):
    rng = random.Random(seed)
    used = 0
    for _ in range(6000):
        text = "\n".join(_generated(rng)) + "\n"
        if rng.random() < 0.7:
            text = _mutated(rng, text)
        problem = _compare(text)
        assert problem is None, problem
        used += yamlread._read_fast(text, Path("x.yaml")) is not None
    assert used > 500  # the comparison really ran on the fast path


def test_fast_reader_equals_libyaml_on_mutated_examples():
    rng = random.Random(7)
    examples = [p.read_text(encoding="utf-8").split("\n") for p in EXAMPLES]
    for _ in range(1200):
        lines = rng.choice(examples)
        start = rng.randrange(len(lines))
        problem = _compare(_mutated(rng, "\n".join(lines[start:start + rng.randint(5, 60)]) + "\n"))
        assert problem is None, problem


@pytest.mark.parametrize("text, why", [
    ("a: |-\n  2024-01-02\n", "yaml_rs types a stripped block scalar (a date)"),
    ("a: |\n", "an empty block scalar: yaml_rs reads a newline"),
    ("a: _1\n", "yaml_rs reads a number"),
    ("a: .5e3\n", "ruamel reads text"),
    ("a: 2015-03-01 0:00:00\n", "libyaml reads a date and time, yaml_rs text"),
    ("b: &x 1\nc: *x\n", "aliases"),
    ("a: [1:, x]\n", "yaml_rs accepts an implicit key libyaml refuses"),
    ("a: |\n  x", "no final newline after a block scalar"),
])
def test_constructs_yaml_rs_reads_differently_go_to_libyaml(text, why):
    assert not yamlfast.fast_parsable(text), why


def test_a_mistake_in_a_fast_read_dossier_is_reported_with_its_line(tmp_path):
    """The fast reader keeps no positions: the message's line comes from reading the file
    again with libyaml, and it is the line the user must fix."""
    from dossier.loader import load_dossier

    source = EXAMPLES[0].read_text(encoding="utf-8")
    lines = source.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("  credit_code:"))
    lines[at] = "  credit_code: [1, 2]"
    (tmp_path / "dossier.yaml").write_text("\n".join(lines), encoding="utf-8")
    assert yamlfast.fast_parsable("\n".join(lines))
    with pytest.raises(DossierInvalidError) as err:
        load_dossier(tmp_path)
    issue = next(i for i in err.value.issues if i.path.endswith("credit_code"))
    assert issue.line == at + 1


def test_indicator_characters_inside_words_keep_the_fast_path():
    """"表注*", "R&D", "好!" are text, not an alias, an anchor, a tag: read fast, read alike."""
    text = "a: 表注*：数据未出\nb: R&D 中心\nc: 好!\nd: evaluator.*\n"
    assert yamlfast.fast_parsable(text)
    assert _compare(text) is None
    assert read_yaml_text(text, Path("x.yaml")).data["b"] == "R&D 中心"
