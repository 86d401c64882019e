"""Which YAML files ``yaml_rs`` reads exactly as libyaml does: :func:`fast_parsable`.

``yaml_rs`` (a Rust YAML 1.2 parser) reads a dossier 4× faster than libyaml builds its node
tree in Python (:mod:`dossier.yamlread`), but it reads a few constructs differently or
accepts what libyaml and ruamel refuse. The differential tests in tests/test_yamlread.py
(thousands of generated and mutated documents, every shipped file) found each one listed
here; a file containing any of them is read by libyaml. A match costs speed only, never
meaning: a "*" at the start of a word sends the file to libyaml even where it is harmless.

Every pattern starts with one literal character, so that the regex engine jumps from one
occurrence to the next: the screen costs about 1 ms on a 2000-line dossier. A match in a
comment does not count.
"""

from __future__ import annotations

import re

_REFUSED = [re.compile(p) for p in (
    r"\t",  # tabs (both refuse them; libyaml words the message)
    # anchors, aliases, tags: at the start of a token ("表注*" and "R&D" are text)
    r"&(?<=[\s\[{,:?-]&)", r"\*(?<=[\s\[{,:?-]\*)", r"!(?<=[\s\[{,:?-]!)",
    # complex or empty keys, document markers, directives, reserved characters on a new line
    r"\n(?:---|\.\.\.|[ -]*(?:[?:](?:[ \n]|$)|[%@`]))",
    r"\][ ]*:", r"\}[ ]*:",  # a flow collection as a key
    r":[ ]+[%@`?:]", r":[,\]}]", r":[ ]*,",  # a reserved character opening a value; an implicit key
    r"-[ ]+[%@`?]", r"\?[ ]+[%@`]",
    r"\[[ ]*[%@`:?|>]", r"\{[ ]*[%@`:?|>]", r",[ ]*[%@`:?|>]",
    r"""\[(?:[^\n:"']|"[^"\n]*"|'[^'\n]*')*:[^ \n]""",  # "a:b" in a flow collection
    r"""\{(?:[^\n:"']|"[^"\n]*"|'[^'\n]*')*:[^ \n]""",
    r"\{[^}\n]*\n", r"\[[^\]\n]*\n",  # a flow collection over several lines
    r":[ ]+[|>](?![-+0-9]*[ ]*(?:\#|\n|$))", r"-[ ]+[|>](?![-+0-9]*[ ]*(?:\#|\n|$))",  # "| text"
    r"\|(?<=[ \n]\|)[0-9]?-", r">(?<=[ \n]>)[0-9]?-",  # |- and >-: yaml_rs types "2024-01-02" as a date
    r"-[0-9]{1,2}(?:[Tt]|[ ]+)[0-9]", r":[0-9][0-9][-:+.]",  # a date with a time: patterns differ
)]
_NESTED = re.compile(r",[ ]*[\[{]")  # "{a ,[1, 2]}": a flow collection after a bare key

# Numbers with "_" in odd places (_1, -_, 3e_5) and ".5e3": yaml_rs reads numbers, ruamel text.
_NUMBERISH = [re.compile(p) for p in (r"_(?<=[-+0-9.]_)", r"_[-+._0-9]", r"\.[0-9][0-9_]*[eE]")]
_NUMBER_CHARS = frozenset("-+._0123456789eE")

# A block scalar's indicator (|, |-, >+, |2) ending its line.
_BLOCKS = [re.compile(p) for p in (r"\|(?<=[ \n]\|)[-+0-9]*[ ]*(?:\#[^\n]*)?(?=\n|$)",
                                   r">(?<=[ \n]>)[-+0-9]*[ ]*(?:\#[^\n]*)?(?=\n|$)")]


def fast_parsable(text: str) -> bool:
    """Whether ``yaml_rs`` reads ``text`` exactly as libyaml (and ruamel) do."""
    text = "\n" + text
    for pattern in _REFUSED:
        if any(not _in_comment(text, m.end() - 1) for m in pattern.finditer(text)):
            return False
    for m in _NESTED.finditer(text):
        before = m.start() - 1
        while text[before] == " ":  # text starts with "\n": the loop stops there at the latest
            before -= 1
        if text[before] not in "]}" and not _in_comment(text, m.start()):
            return False
    for pattern in _NUMBERISH:
        if any(_numberish(text, m) and not _in_comment(text, m.start()) for m in pattern.finditer(text)):
            return False
    blocks = [m for pattern in _BLOCKS for m in pattern.finditer(text)]
    if blocks and not text.endswith("\n"):  # yaml_rs ends a last block scalar with a "\n" not there
        return False
    return not any(_empty_block(text, m) for m in blocks)


def _in_comment(text: str, at: int) -> bool:
    """Whether ``at`` lies in a comment: after a "#" that opens the line or follows a
    space, with no quote before it on the line (a "#" in quotes is text)."""
    line = text[text.rfind("\n", 0, at) + 1:at]
    hash_at = line.find("#")
    while hash_at > 0 and line[hash_at - 1] != " ":
        hash_at = line.find("#", hash_at + 1)
    return hash_at >= 0 and "'" not in line[:hash_at] and '"' not in line[:hash_at]


def _numberish(text: str, match: re.Match) -> bool:
    """Whether the match lies in a token made of number characters only (a value, a key)."""
    i, j = match.start(), match.end()
    while i and text[i - 1] in _NUMBER_CHARS:
        i -= 1
    while j < len(text) and text[j] in _NUMBER_CHARS:
        j += 1
    return (text[i - 1] if i else "\n") in " \n[{,:" and (text[j] if j < len(text) else "\n") in " \n]},:#"


def _empty_block(text: str, match: re.Match) -> bool:
    """A block scalar without an indented body (yaml_rs reads "\\n", libyaml "")."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    head = text[line_start:match.start()]
    indent = len(head) - len(head.lstrip(" -"))
    for line in text[match.end():].split("\n", 40)[1:40]:
        if line.strip():
            return len(line) - len(line.lstrip(" ")) <= indent
    return True
