"""What a new reporting year puts into ``dossier.yaml`` (the file itself is edited through
:mod:`dossier.edit`, so the user's comments, key order and quoting survive).

Only what moves with the year is touched: ``reporting_year``, the two dates, the
third-party report date, a new (empty) year under ``years:`` and the ``review:`` list.
Everything else — the year history, ``listing`` (values at listing time), the answers
and their statements, narratives — is left exactly as the user wrote it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..edit import add_comment
from ..model import Dossier, YearData, energy_carriers
from ..schemes import Scheme

REVIEW_KEY = "review"


def shift_date(value: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return value.replace(year=value.year + years, day=28)


# --- the new year's entry ------------------------------------------------------------------


def _accepts_none(annotation: Any) -> bool:
    """Does a dict field accept ``{key: null}`` (energy, green_index) or not (pollutants.other)?"""
    try:
        TypeAdapter(annotation).validate_python({"x": None})
    except ValidationError:
        return False
    return True


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _key_comments(scheme: Scheme) -> dict[str, dict[str, str]]:
    """Comments for the keys of the dict fields: carrier names and units, indicator texts."""
    carriers = {cid: f"{row['name']}（{row['unit']}）" for cid, row in energy_carriers().items()}
    units = {row.id: f"，{row.unit}" if row.unit else "" for row in scheme.indicators}
    green = {row.id: _short(f"{row.requirement}{units[row.id]}") for row in scheme.indicators}
    bonus = {row.id: _short(row.requirement) for row in scheme.bonus}
    return {"energy": carriers, "green_index": green, "bonus_data": bonus}


# ``dossier.yaml`` is always written with 2-space mappings (yamlio): the keys of a year
# entry (years → 2026 → key) start in column 4, those one level deeper in column 6.
YEAR_KEY_INDENT = 4


def _comment(mapping: CommentedMap, key: Any, text: str, indent: int) -> None:
    """``key:  # text`` — two spaces after the colon, as the examples write it."""
    add_comment(mapping, key, text, column=indent + len(str(key)) + 3)


def _blank_model(model: type[BaseModel], previous: Any, comments: dict[str, dict[str, str]],
                 indent: int) -> CommentedMap:
    """An entry with the keys of ``previous`` (in its order), every value empty, each key
    commented with its description; lists become ``[]`` (their items need values)."""
    out = CommentedMap()
    for name in previous or {}:
        info = model.model_fields.get(name)
        if info is None:
            continue
        value = previous[name]
        sub = info.annotation if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel) else None
        if sub is not None:
            out[name] = _blank_model(sub, value, comments, indent + 2)
        elif isinstance(value, list):
            out[name] = CommentedSeq()
            out[name].fa.set_flow_style()
        elif isinstance(value, dict):
            keys = list(value) if _accepts_none(info.annotation) else []
            entry = CommentedMap((k, None) for k in keys)
            if not keys:
                entry.fa.set_flow_style()
            for key in keys:
                note = comments.get(name, {}).get(str(key))
                if note:
                    _comment(entry, key, note, indent + 2)
            out[name] = entry
        else:
            out[name] = None
        if info.description:
            _comment(out, name, _short(info.description, 80), indent)
    return out


def year_skeleton(previous: Any, scheme: Scheme) -> CommentedMap:
    """The empty entry of a new year, shaped like the latest year the user filled in.

    Where the indicators are yearly figures (a park's 绿色指数) every indicator gets its
    key (the scheme lists them), so that the new year's table is there to fill in, as
    ``dossier init`` writes it.
    """
    previous = previous if isinstance(previous, dict) else {}
    shape: dict[str, Any] = dict(previous)
    if scheme.yearly_indicators:
        shape["green_index"] = {row.id: None for row in scheme.indicators} | dict(previous.get("green_index") or {})
    if not shape:  # nothing to copy the shape from: the fields the scheme uses
        shape = {name: None for name in ("output_value", "value_added", "energy")}
        shape["energy"] = {}
    return _blank_model(YearData, shape, _key_comments(scheme), YEAR_KEY_INDENT)


# --- review list ---------------------------------------------------------------------------


def set_review(data: CommentedMap, paths: list[str]) -> list[str]:
    """Add ``paths`` to the top-level ``review:`` list (kept in order, each once)."""
    current = data.get(REVIEW_KEY)
    merged = [str(p) for p in current] if isinstance(current, list) else []
    merged += [p for p in paths if p not in merged]
    seq = CommentedSeq(merged)
    data[REVIEW_KEY] = seq
    data.yaml_add_eol_comment(_short(Dossier.model_fields[REVIEW_KEY].description or "", 80), REVIEW_KEY)
    return merged
