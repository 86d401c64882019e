"""统一社会信用代码 found anywhere on a page, by the GB 32100 check digit.

An OCR engine reads the code well more often than it keeps it next to its label (the
label is above the code on the 2019 licence, in another cell, or broken by a seal), so
the code is looked for as any run of 18 code characters whose check digit holds:

- a run that validates as read: confidence 1.0;
- letters a code never contains (I O S V Z) read for the digits they resemble
  (I→1, O→0, S→5, Z→2): one reading only, confidence 0.9;
- otherwise ONE OCR confusion (8↔B, 6↔G, 0↔D, 1↔L, 2↔Z, 5↔S, U↔V) repaired only when
  exactly one single-character repair validates: confidence 0.7;
- 17 characters where a doubled character was read once ("9110106…" for "91110106…"):
  repaired only when exactly one doubling validates: confidence 0.7;
- a code that does not validate is never output as valid: returned with confidence 0.3
  and a note, only when it stands next to its label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..credit_code import CHARS, check_char

_FORCED = str.maketrans({"I": "1", "O": "0", "S": "5", "Z": "2", "V": "U"})
# characters an OCR engine mistakes for each other, within the code's alphabet
_CONFUSABLE = {"8": "B", "B": "8", "6": "G", "G": "6", "0": "D", "D": "0", "1": "L", "L": "1",
               "2": "Z", "5": "S", "U": "V"}
_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z][0-9A-Za-z ]{15,22}[0-9A-Za-z](?![0-9A-Za-z])")


@dataclass
class CodeFound:
    code: str
    start: int        # offset in the text searched
    end: int
    confidence: float
    note: str | None = None


# GB/T 2260 province codes (characters 3–4 of a credit code); 100000: registered nationally
_PROVINCES = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
              "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"}


def plausible(code: str) -> bool:
    """A repaired code must also name a real province (a repair that only satisfies the
    check digit is one chance in 31)."""
    return code[2:4] in _PROVINCES or code[2:8] == "100000"


def valid(code: str) -> bool:
    return (len(code) == 18 and all(c in CHARS for c in code) and code[2:8].isdigit()
            and check_char(code[:17]) == code[17])


def repair(raw: str) -> tuple[str, float, str | None] | None:
    """``raw`` (18 characters, spaces removed) as a valid code, with its confidence."""
    code = raw.upper()
    if len(code) == 17:
        doubled = {code[:i] + code[i] + code[i:] for i in range(17)}
        doubled = {c for c in (d.translate(_FORCED) for d in doubled) if valid(c) and plausible(c)}
        if len(doubled) == 1:
            fixed = doubled.pop()
            return fixed, 0.7, f"识别为 {raw}（17 位），补回一个重复字符后为 {fixed}（仅此一种可通过校验），请核对"
        return None
    if len(code) != 18:
        return None
    if valid(code):
        return code, 1.0, None
    forced = code.translate(_FORCED)
    if valid(forced):
        return forced, 0.9, f"识别为 {raw}，按代码不使用的字母更正为 {forced}"
    repairs = set()
    for i, char in enumerate(forced):
        alternatives = {_CONFUSABLE.get(char)} - {None}
        if 2 <= i < 8 and not char.isdigit():  # the region code is digits
            alternatives |= {c for c, d in _CONFUSABLE.items() if d == char and c.isdigit()}
        for alt in alternatives:
            candidate = forced[:i] + alt + forced[i + 1:]
            if valid(candidate) and plausible(candidate):
                repairs.add(candidate)
    if len(repairs) == 1:
        fixed = repairs.pop()
        return fixed, 0.7, f"识别为 {raw}，校验位不符；更正一个易混字符后为 {fixed}（仅此一种更正可通过校验），请核对"
    return None


def find_codes(text: str) -> list[CodeFound]:
    """Every valid (or singly repaired) credit code in ``text``, in order."""
    out: list[CodeFound] = []
    for match in _RUN.finditer(text):
        raw = match.group()
        squeezed = raw.replace(" ", "")
        # a run may hold the code and a neighbour ("代码91320412MA1XW7R58C 2"): try each
        # 18-character window of the squeezed run, whole run first
        windows = [squeezed] if len(squeezed) <= 18 else [squeezed[i:i + 18] for i in range(len(squeezed) - 17)]
        for window in windows:
            fixed = repair(window)
            if fixed is not None and (window == squeezed or fixed[1] == 1.0):
                code, confidence, note = fixed
                out.append(CodeFound(code, match.start(), match.end(), confidence, note))
                break
    return out
