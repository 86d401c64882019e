"""The names a form template can use, built from a loaded dossier.

Every template sees the same context; :data:`CONTEXT_DOC` is its reference (also in
``form_templates/README.md``). A name is computed only when a template uses it (the
evidence check reads every PDF; a form that does not list evidence should not wait).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from collections.abc import Iterator, Mapping
from pathlib import PurePosixPath
from typing import Any, Callable

from ..evidence_check import EvidenceCheckReport, check_dossier
from ..figures import Figures
from ..loader import LoadedDossier
from ..model import Answer, Finding, YearData, energy_carriers
from ..schemes import BasicCondition, FormDef, Indicator
from ..scoring import ItemScore, ScoreReport, score_dossier
from .extras import build_extras

CONTEXT_DOC: dict[str, str] = {
    "d": "the dossier (dossier.yaml as a model): d.subject.name, d.years[2025].output_value, …",
    "s": "the scheme (checklists/<id>.yaml): s.name, s.indicators, s.evidence_list, …",
    "form": "the form being rendered: form.id, form.annex, form.title",
    "Y": "the reporting year (申报年度), e.g. 2026",
    "years": "the three years of the window (近三年), oldest first: [Y-3, Y-2, Y-1]",
    "last": "the last year of the window, Y-1",
    "yd": "year data of each window year (empty YearData where the dossier has none): yd[last].revenue",
    "fig": "computed figures: fig[2025].energy_tce (a Result; print with num()), fig.own_reduction_ratio",
    "score": "the score report (dossier.scoring): score.total, score.item('I01').points, score.categories",
    "basic_rows": "rows of the basic-condition table: r.no, r.item (text, group), r.answer, r.evidence_index, r.score",
    "indicator_rows": "rows of the indicator table: r.no, r.item (category, subcategory, requirement, type, "
                      "max_points), r.answer (status, statement), r.points, r.evidence_index, r.weight",
    "bonus_rows": "rows of the bonus table, as indicator_rows",
    "calculations": "the calculated indicators of the score: c.id, c.label, c.formula (formula with its inputs), "
                    "c.sources (where the inputs come from), c.points",
    "categories": "categories with their rows and score: c.name, c.weight, c.max, c.score, c.rows; the engine's "
                  "c.earned (Σ row points), c.note (不适用 rescaling, cap), c.weighted (score × weight)",
    "narrative": "narrative texts by id (blank when not written): narrative['overview']",
    "compliance": "compliance answers by question id: compliance['env_incident'] → True/False/None",
    "questions": "the scheme's compliance questions with answers: q.text, q.answer",
    "evidence": "the evidence list with what the check found: e.no, e.title, e.status, e.label, e.files",
    "carriers": "energy carriers with a figure in the window: c.id, c.name, c.unit",
    "application_type": "name of the application type chosen (s.application_types)",
    "target_level": "name of the level applied for (s.levels)",
    "today": "the date of rendering",
    "x": "scheme-specific figures from dossier/render/extras/<scheme_id>.py (empty for other schemes)",
    "entries": "the contexts of every dossier in a many-enterprise table (one entry when rendering one "
               "dossier): {%tr for e in entries %}{{ e.d.subject.name }}…",
}


# Names that differ between the applicant's forms and the evaluator's (ContextBuilder.view).
VIEW_NAMES = frozenset({"score", "basic_rows", "indicator_rows", "bonus_rows", "categories", "calculations", "x"})


class LazyContext(Mapping[str, Any]):
    """The context of one dossier as a read-only mapping, computed on access."""

    def __init__(self, builder: "ContextBuilder", form: FormDef) -> None:
        self._builder, self._form = builder, form

    def __getitem__(self, name: str) -> Any:
        if name == "form":
            return self._form
        if name == "entries":
            return [self]
        if name not in self._builder.names():
            raise KeyError(name)
        return self._builder.get(name)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._builder.names()))

    def __len__(self) -> int:
        return len(self._builder.names())


@dataclass
class Row:
    """One row of a basic-condition, indicator or bonus table, with its answer and score."""

    no: int
    item: BasicCondition | Indicator
    answer: Answer
    score: ItemScore | None = None
    weight: float | None = None
    finding: Finding | None = None  # the evaluator's (forms signed by the evaluator)

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def points(self) -> float | None:
        return self.score.points if self.score else self.answer.points

    @property
    def evidence_index(self) -> str:
        """The evidence files named in the answer, by file name: "能源审计报告.pdf；…"."""
        return "；".join(PurePosixPath(ref).name for ref in self.answer.evidence)

    def status_is(self, status: str) -> bool:
        return self.answer.status == status

    @property
    def check_note(self) -> str:
        """The evaluator's on-site check date and remarks: "现场核查：2026年11月26日；备注：…"."""
        f = self.finding
        if f is None:
            return ""
        parts = []
        if f.checked_on:
            parts.append(f"现场核查：{f.checked_on.year}年{f.checked_on.month}月{f.checked_on.day}日")
        if f.remarks:
            parts.append(f"备注：{f.remarks}")
        return "；".join(parts)


@dataclass
class CalculationView:
    """A calculated indicator as the evaluation report shows it (浙江导则3.5.2：计算过程和数据来源)."""

    id: str
    label: str
    formula: str
    sources: list[str]
    points: float | None


@dataclass
class CategoryView:
    name: str
    weight: float | None
    max: float
    score: float | None
    rows: list[Row]
    # the engine's figures behind ``score``: Σ points of the rows that apply, the rescaling
    # of 不适用 rows or the cap (“不适用 24 分：69 × 106 ÷ 82 = 89.2”), score × weight
    earned: float | None = None
    note: str = ""
    weighted: float | None = None


@dataclass
class QuestionView:
    id: str
    text: str
    answer: bool | None


@dataclass
class CarrierView:
    id: str
    name: str
    unit: str


@dataclass
class EvidenceView:
    no: int
    title: str
    required: bool
    status: str
    label: str
    files: list[str]


def _rows(items: list[Any], answers: dict[str, Answer], report: ScoreReport | None,
          weights: dict[str, float | None], findings: dict[str, Finding] | None = None) -> list[Row]:
    """Table rows; with ``findings`` (a form the evaluator signs) the evaluator's findings
    stand in the answers' place, and a row without one stays blank (待评价)."""
    if findings is not None:
        answers = {key: f.as_answer() for key, f in findings.items()}
    return [
        Row(no=i, item=item, answer=answers.get(item.id) or Answer(),
            score=report.item(item.id) if report else None,
            weight=weights.get(getattr(item, "category", None) or ""),
            finding=findings.get(item.id) if findings is not None else None)
        for i, item in enumerate(items, 1)
    ]


def _name_of(options: list[Any], chosen: str | None) -> str | None:
    for opt in options:
        if opt.id == chosen:
            return opt.name
    return chosen


class ContextBuilder:
    """Builds the context of one dossier; each name on first request."""

    def __init__(self, loaded: LoadedDossier, *, on: dt.date | None = None,
                 checklist: EvidenceCheckReport | None = None, by: str = "self",
                 shared: dict[str, Any] | None = None) -> None:
        self.loaded = loaded
        self.on = on or loaded.dossier.submission_date or dt.date.today()
        self.by = by  # self: the applicant's forms; evaluator: forms the evaluator signs
        self._cache: dict[str, Any] = shared if shared is not None else {}  # names alike in both views
        self._own: dict[str, Any] = {}  # VIEW_NAMES of this view
        self._views: dict[str, ContextBuilder] = {by: self}
        self._checklist = checklist  # a check the caller already ran (dossier build), reused
        d, s = loaded.dossier, loaded.scheme
        weights = {c.name: c.weight for c in s.categories}
        ev = d.evaluator if by == "evaluator" else None
        self._factories: dict[str, Callable[[], Any]] = {
            "d": lambda: d,
            "s": lambda: s,
            "Y": lambda: d.reporting_year,
            "years": lambda: list(d.window),
            "last": lambda: d.last_year,
            "yd": lambda: {y: d.years.get(y) or YearData() for y in d.window},
            "fig": lambda: Figures(d),
            "score": lambda: score_dossier(loaded, by=by),
            "basic_rows": lambda: _rows(s.basic_conditions, d.basic_conditions, None, {},
                                        ev.basic_conditions if ev else None),
            "indicator_rows": lambda: _rows(s.indicators, d.indicators, self.get("score"), weights,
                                            ev.indicators if ev else None),
            "bonus_rows": lambda: _rows(s.bonus, d.bonus, self.get("score"), {}, ev.bonus if ev else None),
            "calculations": self._calculations,
            "categories": self._categories,
            "narrative": lambda: {n.id: d.narratives.get(n.id) or "" for n in s.narratives} | dict(d.narratives),
            "compliance": lambda: {q.id: d.compliance.get(q.id) for q in s.compliance_questions} | dict(d.compliance),
            "questions": lambda: [QuestionView(q.id, q.text, d.compliance.get(q.id)) for q in s.compliance_questions],
            "evidence": self._evidence,
            "carriers": self._carriers,
            "application_type": lambda: _name_of(s.application_types, d.application_type),
            "target_level": lambda: _name_of(s.levels, d.target_level),
            "today": lambda: dt.date.today(),
            "x": lambda: build_extras(loaded, self),
        }
        if self.names() != set(CONTEXT_DOC):
            raise RuntimeError(f"CONTEXT_DOC and the context's names disagree: {sorted(self.names() ^ set(CONTEXT_DOC))}")

    def names(self) -> set[str]:
        return set(self._factories) | {"form", "entries"}

    def get(self, name: str) -> Any:
        cache = self._own if name in VIEW_NAMES else self._cache
        if name not in cache:
            cache[name] = self._factories[name]()
        return cache[name]

    def view(self, author: str) -> "ContextBuilder":
        """The builder of the forms ``author`` signs (FormDef.author): the evaluator's forms
        read the evaluator's findings and score; the figures, evidence check and texts are
        shared."""
        by = "evaluator" if author == "evaluator" else "self"
        if by not in self._views:
            other = ContextBuilder(self.loaded, on=self.on, checklist=self._checklist, by=by, shared=self._cache)
            other._views = self._views
            self._views[by] = other
        return self._views[by]

    def context(self, form: FormDef, names: set[str] | None = None) -> dict[str, Any]:
        """The context for ``form``: every name, or only ``names`` (those a template uses)."""
        wanted = self._factories.keys() if names is None else [n for n in names if n in self._factories]
        ctx = {name: self.get(name) for name in wanted}
        ctx["form"] = form
        return ctx

    def lazy(self, form: FormDef) -> "LazyContext":
        """A mapping that computes each name when a template first reads it (``e.d``)."""
        return LazyContext(self, form)

    # -- the larger names --------------------------------------------------------------
    def _calculations(self) -> list[CalculationView]:
        """Every indicator whose points a calculation decided: its formula with the inputs
        filled in, and the sources of those inputs (evidence the row cites — the
        evaluator's checked evidence on the evaluator's forms — and the year's evidence)."""
        d = self.loaded.dossier
        report: ScoreReport = self.get("score")
        rows = {r.id: r for r in (*self.get("indicator_rows"), *self.get("bonus_rows"))}
        leading = report.extra.get("leading_values_source") if report.extra else None
        out = []
        for item in report.items:
            if not item.computed or not item.formula:
                continue
            sources: list[str] = []
            row = rows.get(item.id)
            if row is not None and row.evidence_index:
                sources.append(row.evidence_index)
            for y in d.window:
                files = d.year(y).evidence.get(item.id)
                if files:
                    sources.append(f"{y}年：" + "；".join(PurePosixPath(f).name for f in files))
            if item.rule == "green_index":
                if not sources:
                    sources.append("指标值：园区填报的年度数据")
                if leading and item.formula and "引领值" in item.formula:
                    sources.append(f"引领值：{leading}")
            elif not sources:
                sources.append("dossier.yaml 年度数据（years）")
            out.append(CalculationView(item.id, item.label, item.formula, sources, item.points))
        return out

    def _categories(self) -> list[CategoryView]:
        s = self.loaded.scheme
        rows: list[Row] = self.get("indicator_rows")
        report: ScoreReport = self.get("score")
        views = []
        for cat in s.categories:
            got = report.category(cat.name)
            views.append(CategoryView(
                name=cat.name, weight=cat.weight, max=got.max if got else (cat.cap or cat.stated_max or cat.seed_sum),
                score=got.score if got else None, rows=[r for r in rows if r.item.category == cat.name],
                earned=got.earned if got else None, note=got.note if got else "",
                weighted=got.weighted if got else None,
            ))
        return views

    def _evidence(self) -> list[EvidenceView]:
        # the check reads every evidence file: only when a form lists them, and only once
        report = self._checklist or check_dossier(self.loaded, self.on)
        by_no = {r.no: r for r in report.items}
        return [
            EvidenceView(no=e.no, title=e.title, required=by_no[e.no].required, status=by_no[e.no].status,
                         label=by_no[e.no].label, files=[PurePosixPath(f).name for f in by_no[e.no].files])
            for e in self.loaded.scheme.evidence_list
        ]

    def _carriers(self) -> list[CarrierView]:
        d = self.loaded.dossier
        used = {k for y in d.window for k, v in d.year(y).energy.items() if v is not None}
        return [CarrierView(cid, row["name"], row["unit"]) for cid, row in energy_carriers().items() if cid in used]
