"""第三方评价: the evaluator's findings in the browser — the ``evaluator`` block of
dossier.yaml (the evaluating body, report date, highlights, conclusion) and, where the
model has them, the evaluator's own finding and points for every basic condition,
indicator and bonus row of the scheme.

Everything saved here is under ``evaluator.``, which needs the ``edit_findings`` action
(:func:`dossier.access.action_for_field`); the save goes through :mod:`dossier.edit`
from the version the page showed, like the data tabs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .. import edit
from ..errors import BadInputError, DossierInvalidError
from ..loader import load_dossier
from ..model import ThirdParty
from ..workbook.cells import shown
from .auth import note_outcomes, require_fields
from .pages import dossier_context, render

STATUSES = ("符合", "部分符合", "不符合", "不适用")
SECTIONS = (("basic_conditions", "基本条件（基本要求）"), ("indicators", "评价指标"), ("bonus", "加分项"))
# scalar fields of the evaluator block, in the order shown; those the model lacks are skipped
TEXT_FIELDS = ("name", "report_date", "highlights", "conclusion")
LONG_TEXT = ("highlights", "conclusion")


@dataclass
class Field:
    name: str         # form field name = dotted dossier path
    label: str
    kind: str         # text | long | date | status | points
    value: str
    maximum: float | None = None
    error: str = ""


@dataclass
class RowFindings:
    id: str
    text: str
    fields: list[Field]


def per_row() -> bool:
    """Does the model hold the evaluator's findings per scheme row?"""
    return "indicators" in ThirdParty.model_fields


def _text(value: Any) -> str:
    """A value as its form field shows it (empty for none)."""
    return "" if value is None else shown(value)


def _layout(loaded) -> tuple[list[Field], list[tuple[str, list[RowFindings]]]]:
    data = loaded.source.data
    top = []
    for name in TEXT_FIELDS:
        info = ThirdParty.model_fields.get(name)
        if info is None:
            continue
        kind = "date" if name.endswith("_date") else "long" if name in LONG_TEXT else "text"
        path = f"evaluator.{name}"
        top.append(Field(path, info.description or name, kind, _text(edit.get(data, edit.parse_path(path)))))
    sections = []
    if per_row():
        for key, title in SECTIONS:
            rows = []
            for row in getattr(loaded.scheme, key):
                base = f"evaluator.{key}.{row.id}"
                get = lambda leaf: _text(edit.get(data, (*edit.parse_path(base), leaf)))  # noqa: E731
                fields = [Field(f"{base}.status", "评价结论", "status", get("status"))]
                if key != "basic_conditions":
                    fields.append(Field(f"{base}.points", "评价得分", "points", get("points"),
                                        getattr(row, "max_points", None)))
                fields.append(Field(f"{base}.finding", "评价发现", "long", get("finding")))
                rows.append(RowFindings(row.id, getattr(row, "requirement", None) or getattr(row, "text", ""), fields))
            sections.append((title, rows))
    return top, sections


def _all_fields(top, sections) -> list[Field]:
    return top + [f for _, rows in sections for r in rows for f in r.fields]


async def findings_tab(request: Request, submitted: dict | None = None, errors: dict | None = None,
                       problem: str = "", status: int = 200) -> Response:
    directory = request.state.dossier_dir
    context = dossier_context(request, "findings")
    try:
        loaded = await run_in_threadpool(load_dossier, directory)
    except DossierInvalidError as exc:
        return render(request, "invalid.html", {**context, "issues": exc.issues}, 200)
    top, sections = _layout(loaded)
    for f in _all_fields(top, sections):
        if submitted is not None and f.name in submitted:
            f.value = submitted[f.name]
        f.error = (errors or {}).get(f.name, "")
    version = edit.version_of(loaded.file.read_bytes())
    context.update(top=top, sections=sections, version=version, statuses=STATUSES, problem=problem,
                   per_row=per_row(), saved=request.query_params.get("saved"))
    return render(request, "findings.html", context, status)


def _parse(field: Field, text: str) -> Any:
    text = text.strip()
    if not text:
        return None
    if field.kind == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError("应为日期，如 2026-03-15") from None
    if field.kind == "status":
        if text not in STATUSES:
            raise ValueError("应为 符合 / 部分符合 / 不符合 / 不适用")
        return text
    if field.kind == "points":
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"应为数字，实际为“{text}”") from None
        if value < 0 or (field.maximum is not None and value > field.maximum):
            raise ValueError(f"应在 0–{field.maximum:g} 之间")
        return int(value) if value.is_integer() else value
    return text


async def findings_save(request: Request) -> Response:
    directory = request.state.dossier_dir
    form = {k: str(v) for k, v in (await request.form()).items()}
    version = form.pop("_version", "")
    loaded = await run_in_threadpool(load_dossier, directory)
    top, sections = _layout(loaded)
    known = {f.name: f for f in _all_fields(top, sections)}
    # Only the findings fields of this page are read: anything else posted is refused.
    require_fields(request, request.state.dossier_name, [k for k in form if k != "csrf_token"])
    errors, changes = {}, []
    for name, text in form.items():
        field = known.get(name)
        if field is None:
            continue
        try:
            value = _parse(field, text)
        except ValueError as exc:
            errors[name] = str(exc)
            continue
        if _text(value) != field.value:
            changes.append((name, value))
    if errors:
        return await findings_tab(request, form, errors, status=400)
    if not changes:
        return RedirectResponse(f"/d/{request.state.dossier_name}/findings?saved=0", status_code=303)

    def save() -> edit.Saved:
        e = edit.DossierEdit(directory, expected_version=version)
        for name, value in changes:
            e.set(name, value)
        return e.save()

    try:
        saved = await run_in_threadpool(save)
    except edit.ConflictError as exc:
        return await findings_tab(request, form, problem=str(exc), status=409)
    except (DossierInvalidError, BadInputError) as exc:
        return await findings_tab(request, form, problem=str(exc), status=400)
    note_outcomes(request, saved.outcomes)
    return RedirectResponse(f"/d/{request.state.dossier_name}/findings?saved={len(saved.outcomes)}", status_code=303)
