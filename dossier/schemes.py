"""Scheme data: one YAML file per programme under ``checklists/``.

The format is documented in ``docs/scheme-format.md``. Every file is validated when it
loads; an error names the file and the key (and, for unknown rule types, suggests the
closest known one).
"""

from __future__ import annotations

import re

import difflib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import vocabulary
from .errors import SchemeDataError, UnknownSchemeError
from .introspect import is_model_path
from .messages import translate
from .model import SubjectKind
from .resources import scheme_dirs
from .yamlread import read_yaml

RequirementType = Literal["必选", "可选", "必选（适用时）", "可选（适用时）"]

# The names a scheme file may use (rule types, metrics, threshold metrics, lookup
# calculators, scoring methods) are declared in dossier/vocabulary.py.
RULE_TYPES = vocabulary.RULE_TYPES
RULE_METRICS = tuple(vocabulary.METRICS)
THRESHOLD_METRICS = tuple(vocabulary.THRESHOLD_METRICS)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(BaseModel):
    """A scoring rule: ``type`` picks the rule from :data:`RULE_TYPES`; the rest are its parameters."""

    model_config = ConfigDict(extra="allow", frozen=True)

    type: str = "claimed"
    notes: list[str] = []

    @model_validator(mode="after")
    def _known_type(self) -> "Rule":
        if self.type not in RULE_TYPES:
            hint = difflib.get_close_matches(self.type, RULE_TYPES, n=1)
            suggestion = f"（是否应为 {hint[0]}？）" if hint else ""
            raise ValueError(
                f"未知的计分规则类型 {self.type!r}{suggestion}；可用类型：{', '.join(RULE_TYPES)}"
            )
        extra = self.model_extra or {}
        missing = [p for p in RULE_TYPES[self.type].params if p not in extra]
        if missing:
            raise ValueError(f"计分规则 {self.type} 缺少参数：{', '.join(missing)}")
        metric = extra.get("metric")
        # a binary row may name the figure it is judged by (for the reader): only the
        # rules that compute from a figure must name a known one.
        if "metric" in RULE_TYPES[self.type].params and metric not in RULE_METRICS:
            raise ValueError(f"未知的计算指标 {metric!r}{_hint(metric, RULE_METRICS)}；可用：{', '.join(RULE_METRICS)}")
        calculator = extra.get("calculator")
        if "calculator" in RULE_TYPES[self.type].params and calculator not in vocabulary.LOOKUP_CALCULATORS:
            known = vocabulary.LOOKUP_CALCULATORS
            raise ValueError(f"未知的查表计算方法 {calculator!r}{_hint(str(calculator), known)}；可用：{', '.join(known)}")
        return self

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class Source(_Strict):
    seed: str
    document: str
    year: int | None = None


class NamedOption(_Strict):
    id: str
    name: str
    min_score: float | None = None
    notes: list[str] = []


class Scoring(_Strict):
    # A name of vocabulary.SCORING_METHODS: sum / weighted (dossier/scoring/engine.py),
    # green_index (three-year average 绿色指数 + bonus, dossier/scoring/green_index.py).
    method: str
    max_total: float | None  # null: the programme states no maximum
    # Rows whose requirement text states its own precondition (适用时，… / 必要时，…):
    # answered 不适用 they count like 必选（适用时）/可选（适用时） rows.
    conditional: list[str] = []
    # Parameters of a named method (green_index: divisor, term cap, slots per group, readings).
    params: dict[str, Any] = {}
    notes: list[str] = []

    @field_validator("method")
    @classmethod
    def _known_method(cls, value: str) -> str:
        known = vocabulary.SCORING_METHODS
        if value not in known:
            raise ValueError(f"未知的计分方法 {value!r}{_hint(value, known)}；可用：{', '.join(known)}")
        return value

    @property
    def yearly_indicators(self) -> bool:
        """Are the indicators yearly figures (years.<year>.green_index.<id>) rather than answers?"""
        return vocabulary.SCORING_METHODS[self.method].indicators == "yearly"


class BonusScoring(_Strict):
    max_total: float | None = None
    weight: float | None = None  # 加分项得分 = Σ item points × weight (null: × 1)
    notes: list[str] = []


class Category(_Strict):
    name: str
    weight: float | None = None
    stated_max: float | None = None
    seed_sum: float
    cap: float | None = None
    notes: list[str] = []


class BasicCondition(_Strict):
    id: str
    no: int | None = None
    group: str | None = None
    text: str
    evidence_hint: str | None = None
    items: list[str] = []
    applicable_only: bool = False
    notes: list[str] = []


class Indicator(_Strict):
    id: str
    no: int | None = None
    category: str | None = None
    subcategory: str | None = None
    requirement: str
    evidence_hint: str | None = None
    type: RequirementType = "可选"
    max_points: float | None  # null only where the programme's text does not give it (Zhejiang park bonus)
    rule: Rule = Field(default_factory=Rule)
    unit: str | None = None
    notes: list[str] = []

    @property
    def mandatory(self) -> bool:
        return self.type.startswith("必选")

    @property
    def applicable_only(self) -> bool:
        return self.type.endswith("（适用时）")


# --- evidence rules (docs/scheme-format.md, "Evidence list") -------------------------
# The evidence check (dossier/evidence_check.py) reads these; the names are validated here
# so that a typo in a scheme file fails when it loads, naming the file and the key.

# What a person must confirm on paper (a machine cannot see a seal), with the sentence
# the checklist shows. 附件3 填报说明 3: “申报书需签字盖章，并加盖骑缝章”.
CONFIRM_TEXTS: dict[str, str] = {
    "公章": "请确认已加盖申报单位公章",
    "骑缝章": "请确认已加盖骑缝章",
    "签字": "请确认已由法定代表人（企业负责人）签字",
    "第三方机构公章": "请确认已加盖第三方评价机构公章",
    "第三方机构签字": "请确认已由第三方评价机构法定代表人签字",
}
# Conditions of ``required_if`` other than an answered row: ``name:value``.
REQUIRED_IF_TOKENS = vocabulary.EVIDENCE_CONDITIONS
EvidenceFormat = Literal["pdf", "image", "docx", "xlsx", "ofd"]
CertKind = Literal["quality", "environment", "ohs", "energy", "ghg", "green_product", "product_carbon", "other"]


def _hint(value: str, known: Any) -> str:
    close = difflib.get_close_matches(value, list(known), n=1)
    return f"（是否应为 {close[0]}？）" if close else ""


def _field_path_problems(paths: list[str]) -> list[str]:
    """``fields:`` entries that name no field of dossier.yaml (``years.X``: X of a year's data)."""
    from .model import Dossier, YearData

    problems = []
    for path in paths:
        yearly = path.startswith("years.")
        root, rest = (YearData, path.removeprefix("years.")) if yearly else (Dossier, path)
        if not is_model_path(rest, root):
            head = rest.split(".")[0]
            hint = "" if head in root.model_fields else _hint(head, root.model_fields)
            problems.append(f"fields: dossier.yaml 中没有字段 {path!r}{hint}")
    return problems


class SupportsCondition(_Strict):
    """A basic condition this item proves, and a dossier field that must agree with it.

    Jiangsu BC1 (省级及以上绿色工厂) answered 符合 needs item 4 (the 发文) and
    ``subject.green_factory.level`` 国家级 or 省级.
    """

    id: str
    field: str | None = None
    values: list[str] = []
    notes: list[str] = []


class EvidenceItem(_Strict):
    no: int
    title: str
    folder: str
    source: str | None = None
    derived: bool = False
    refs: list[str] = []
    keywords: list[str] = []
    required: bool = True
    required_when: str | None = None  # the human text of required_if, shown in the report
    required_if: list[str] = []
    years: int = Field(0, ge=0, le=3)
    seal: bool = False
    validity: bool = False
    cert_kinds: list[CertKind] = []
    formats: list[EvidenceFormat] = ["pdf", "image"]
    confirm: list[str] = []
    translation: bool = False
    supports_condition: SupportsCondition | None = None
    form: str | None = None  # a form dossier generates for this item (id under forms:); its signed scan replaces it
    notes: list[str] = []

    @field_validator("folder")
    @classmethod
    def _portable_folder(cls, value: str) -> str:
        bad = set(value) & set('/\\:*?"<>|')
        if bad:
            raise ValueError(f"文件夹名含有不可用于 Windows 的字符：{''.join(sorted(bad))}")
        return value

    @field_validator("confirm")
    @classmethod
    def _known_confirmations(cls, value: list[str]) -> list[str]:
        for name in value:
            if name not in CONFIRM_TEXTS:
                raise ValueError(f"未知的待确认事项 {name!r}{_hint(name, CONFIRM_TEXTS)}；可用：{'、'.join(CONFIRM_TEXTS)}")
        return value

    @model_validator(mode="after")
    def _rules_consistent(self) -> "EvidenceItem":
        if self.required and self.required_if:
            raise ValueError("required 为 true 时不应再写 required_if（条件性材料请设 required: false）")
        if self.required_if and not self.required_when:
            raise ValueError("有 required_if 时须用 required_when 写明条件（报告中显示给用户）")
        if self.seal and not {"公章", "第三方机构公章"} & set(self.confirm):
            raise ValueError("seal 为 true 时 confirm 须列出 公章（或 第三方机构公章）")
        if not self.formats:
            raise ValueError("formats 不能为空")
        return self


class Threshold(_Strict):
    id: str
    name: str
    metric: str
    op: Literal[">=", ">", "<=", "<", "all"]
    value: float | None = None
    when: dict[str, Any] | None = None
    items: list[str] = []  # basic_conditions / mandatory_indicators: only these ids (empty = all)
    params: dict[str, Any] = {}  # metric options, e.g. offset_coverage {grid_scope: national_excl_market}
    text: str | None = None
    notes: list[str] = []

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, value: str) -> str:
        if value not in THRESHOLD_METRICS:
            raise ValueError(f"未知的门槛指标 {value!r}{_hint(value, THRESHOLD_METRICS)}；可用：{', '.join(THRESHOLD_METRICS)}")
        return value


class LookupTable(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    title: str | None = None
    annex: str | None = None
    columns: list[str] = []
    rows: list[dict[str, Any]] = []
    notes: list[str] = []


class ImprovementRow(_Strict):
    """A row of the 持续改进情况 table: the value at listing (``listing.values.<key>``)
    against a year's figure. ``value`` names the figure as ``dossier diff`` does:
    ``years.<field>`` (``years.pollutants_emitted.cod``) or ``fig.<computed figure>``
    (``fig.scope12``, :data:`dossier.figures.YEAR_FIGURES`), times ``scale``."""

    key: str
    value: str
    scale: float = 1.0
    notes: list[str] = []

    @field_validator("value")
    @classmethod
    def _figure_path(cls, value: str) -> str:
        from .improvement import row_value_problem  # the figures' names live with the calculators

        problem = row_value_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class Improvement(_Strict):
    """持续改进情况 (动态管理): the listing-time values compared with a year's figures."""

    rows: list[ImprovementRow] = []
    # True: the programme's module computes further rows (``improvement_values``), e.g.
    # per-unit figures on the dossier's own basis (dossier/programmes.py).
    programme_rows: bool = False
    notes: list[str] = []


class Narrative(_Strict):
    id: str
    form: str | None = None
    title: str
    hint: str | None = None
    max_chars: int | None = None
    notes: list[str] = []


class ComplianceQuestion(_Strict):
    id: str
    text: str
    form: str | None = None
    notes: list[str] = []


_YEAR_SLOT = re.compile(r"\{Y([+-]\d+)?\}")  # "{Y}", "{Y-1}" in FormDef.title_by_year


class FormDef(_Strict):
    id: str
    annex: str
    title: str
    # The title with its years as a function of the reporting year, where the seed's title
    # prints the year of its own round: "苏州市“近零碳”工厂{Y-1}年度总结及{Y}年度计划".
    title_by_year: str | None = None
    template: str
    kind: Literal["docx", "xlsx"] = "docx"
    scope: Literal["single", "summary"] = "single"
    # Who signs the form: the applicant (its self-assessment fills the tables) or the
    # third-party evaluator (第三方评价报告: the evaluator's findings and points, never the
    # applicant's statements).
    author: Literal["applicant", "evaluator"] = "applicant"
    notes: list[str] = []

    def display_title(self, reporting_year: int) -> str:
        """The title as this dossier's forms print it (years follow the reporting year)."""
        if not self.title_by_year:
            return self.title
        return _YEAR_SLOT.sub(lambda m: str(reporting_year + int(m.group(1) or 0)), self.title_by_year)


class Scheme(_Strict):
    id: str
    name: str
    full_title: str | None = None
    region: str
    issuer: str
    subject: SubjectKind
    source: Source
    application_types: list[NamedOption] = []
    levels: list[NamedOption] = []
    scoring: Scoring
    categories: list[Category] = []
    basic_conditions: list[BasicCondition]
    indicators: list[Indicator]
    bonus: list[Indicator] = []
    bonus_scoring: BonusScoring | None = None
    evidence_list: list[EvidenceItem]
    evidence_note: str | None = None
    thresholds: list[Threshold] = []
    lookup_tables: dict[str, LookupTable] = {}
    improvement: Improvement | None = None
    narratives: list[Narrative] = []
    compliance_questions: list[ComplianceQuestion] = []
    forms: list[FormDef]
    fields: list[str] = []
    notes: list[str] = []

    @model_validator(mode="after")
    def _consistent(self) -> "Scheme":
        problems: list[str] = []
        for label, rows in (
            ("basic_conditions", self.basic_conditions),
            ("indicators", self.indicators),
            ("bonus", self.bonus),
            ("narratives", self.narratives),
            ("compliance_questions", self.compliance_questions),
            ("forms", self.forms),
        ):
            ids = [row.id for row in rows]
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                problems.append(f"{label}: 重复的 id {', '.join(dupes)}")
        numbers = [item.no for item in self.evidence_list]
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(f"evidence_list: 序号应从 1 连续编号，实际为 {numbers}")
        known = {c.name for c in self.categories}
        if known:
            for row in self.indicators:
                if row.category not in known:
                    problems.append(f"indicators.{row.id}.category: {row.category!r} 不在 categories 中")
        all_ids = {r.id for r in (*self.basic_conditions, *self.indicators, *self.bonus)}
        for item in self.evidence_list:
            for ref in item.refs:
                if ref not in all_ids:
                    problems.append(f"evidence_list[{item.no}].refs: 未知的条目 id {ref!r}")
            problems += self._evidence_rule_problems(item, all_ids)
        for row in (*self.indicators, *self.bonus):
            if row.rule.type == "lookup" and row.rule.params["table"] not in self.lookup_tables:
                problems.append(f"{row.id}.rule.table: lookup_tables 中没有 {row.rule.params['table']!r}")
        indicator_ids = {r.id for r in self.indicators}
        for row_id in self.scoring.conditional:
            if row_id not in indicator_ids:
                problems.append(f"scoring.conditional: 未知的指标 id {row_id!r}{_hint(row_id, indicator_ids)}")
        for t in self.thresholds:
            for row_id in t.items:
                if row_id not in all_ids:
                    problems.append(f"thresholds.{t.id}.items: 未知的条目 id {row_id!r}{_hint(row_id, all_ids)}")
        form_ids = {f.id for f in self.forms}
        for item in self.evidence_list:
            if item.form and item.form not in form_ids:
                problems.append(f"evidence_list[{item.no}].form: 未知的表单 {item.form!r}")
        for narrative in self.narratives:
            if narrative.form and narrative.form not in form_ids:
                problems.append(f"narratives.{narrative.id}.form: 未知的表单 {narrative.form!r}")
        problems += _field_path_problems(self.fields)
        if problems:
            raise ValueError("；".join(problems))
        return self

    def _evidence_rule_problems(self, item: EvidenceItem, all_ids: set[str]) -> list[str]:
        """Names in an item's rules (required_if, supports_condition) that the scheme lacks."""
        from typing import get_args

        from .model import Offset

        where = f"evidence_list[{item.no}]"
        problems: list[str] = []
        values_of = {
            "offsets": list(get_args(Offset.model_fields["type"].annotation)),
            "application_type": [t.id for t in self.application_types],
            "certifications": list(get_args(CertKind)),
        }
        for cond in item.required_if:
            if ":" not in cond:
                if cond not in all_ids:
                    problems.append(f"{where}.required_if: 未知的条目 id {cond!r}{_hint(cond, all_ids)}")
                continue
            name, value = cond.split(":", 1)
            if name not in REQUIRED_IF_TOKENS:
                problems.append(
                    f"{where}.required_if: 未知的条件 {name!r}{_hint(name, REQUIRED_IF_TOKENS)}；"
                    f"可用：{'、'.join(REQUIRED_IF_TOKENS)}"
                )
            elif name in values_of and value not in values_of[name]:
                problems.append(f"{where}.required_if: {name} 的取值 {value!r} 无效；可用：{'、'.join(values_of[name])}")
        link = item.supports_condition
        if link is not None:
            if link.id not in {b.id for b in self.basic_conditions}:
                problems.append(f"{where}.supports_condition.id: 未知的基本条件 {link.id!r}")
            if link.field and not is_model_path(link.field):
                problems.append(f"{where}.supports_condition.field: dossier.yaml 中没有字段 {link.field!r}")
        return problems

    # -- convenience -------------------------------------------------------------
    @property
    def yearly_indicators(self) -> bool:
        """Indicators are yearly figures (``years.<year>.green_index.<id>``), scored by the
        scoring method, not self-assessed answers (``indicators.<id>``)."""
        return self.scoring.yearly_indicators

    def indicator(self, item_id: str) -> Indicator:
        for row in (*self.indicators, *self.bonus):
            if row.id == item_id:
                return row
        raise KeyError(item_id)

    def form(self, form_id: str) -> FormDef:
        for form in self.forms:
            if form.id == form_id:
                return form
        raise KeyError(form_id)

    def category_points(self) -> dict[str, float]:
        sums: dict[str, float] = {}
        for row in self.indicators:
            sums[row.category or ""] = sums.get(row.category or "", 0) + (row.max_points or 0)
        return sums

    def summary(self) -> dict[str, Any]:
        """The short listing of ``dossier schemes``."""
        return {
            "id": self.id,
            "name": self.name,
            "region": self.region,
            "issuer": self.issuer,
            "subject": self.subject,
            "source": self.source.document,
            "seed": self.source.seed,
            "forms": [f.id for f in self.forms],
            "evidence_items": len(self.evidence_list),
        }

    def definition(self) -> dict[str, Any]:
        """The full definition of ``dossier schemes ID --json`` (the documented schema)."""
        weights = {c.name: c.weight for c in self.categories}

        def row(ind: Indicator) -> dict[str, Any]:
            return {
                "id": ind.id,
                "category": ind.category,
                "subcategory": ind.subcategory,
                "requirement": ind.requirement,
                "type": ind.type,
                "max_points": ind.max_points,
                "weight": weights.get(ind.category or ""),
                "evidence_hint": ind.evidence_hint,
                "rule": ind.rule.type,
            }

        return {
            "id": self.id,
            "name": self.name,
            "region": self.region,
            "issuer": self.issuer,
            "subject": self.subject,
            "source": self.source.model_dump(),
            "forms": [{"id": f.id, "annex": f.annex, "title": f.title} for f in self.forms],
            "basic_conditions": [
                {"id": b.id, "group": b.group, "text": b.text, "evidence_hint": b.evidence_hint}
                for b in self.basic_conditions
            ],
            "categories": [c.model_dump() for c in self.categories],
            "indicators": [row(i) for i in self.indicators],
            "bonus": [row(i) for i in self.bonus],
            "evidence_list": [
                {"no": e.no, "title": e.title, "required": e.required, "derived": e.derived}
                for e in self.evidence_list
            ],
            "evidence_note": self.evidence_note,
            "thresholds": [t.model_dump() for t in self.thresholds],
            "levels": [lv.model_dump() for lv in self.levels],
            "application_types": [a.model_dump() for a in self.application_types],
        }


def _describe(err: dict[str, Any]) -> str:
    key = ".".join(str(p) for p in err["loc"]) or "（顶层）"
    return f"{key}: {translate(err)}"


def parse_scheme(data: Any, source: str) -> Scheme:
    """Validate raw scheme data; errors name ``source`` and every failing key."""
    try:
        return Scheme.model_validate(data)
    except ValidationError as exc:
        details = "\n".join(f"  {_describe(e)}" for e in exc.errors())
        raise SchemeDataError(f"方案数据文件 {source} 不合格：\n{details}") from exc


def scheme_files(directory: Path | None = None) -> dict[str, Path]:
    """Scheme id → file: of ``directory``, or of ``DOSSIER_SCHEMES`` and the shipped
    ``checklists/`` (the first folder holding an id wins)."""
    files: dict[str, Path] = {}
    for folder in [directory] if directory is not None else scheme_dirs():
        for path in sorted(folder.glob("*.yaml")):
            files.setdefault(path.stem, path)
    return files


@lru_cache(maxsize=None)
def _load_cached(path: str, mtime: float) -> Scheme:
    data = read_yaml(Path(path)).data
    scheme = parse_scheme(data, path)
    if scheme.id != Path(path).stem:
        raise SchemeDataError(f"方案数据文件 {path}: id {scheme.id!r} 与文件名不一致")
    return scheme


def load_scheme(scheme_id: str, directory: Path | None = None) -> Scheme:
    files = scheme_files(directory)
    if scheme_id not in files:
        hint = difflib.get_close_matches(scheme_id, files, n=1)
        suggestion = f"是否应为 {hint[0]}？" if hint else ""
        raise UnknownSchemeError(
            f"未知的方案 id：{scheme_id!r}。{suggestion}可用方案：{', '.join(files)}"
            "（用 `dossier schemes` 查看）"
        )
    path = files[scheme_id]
    return _load_cached(str(path), path.stat().st_mtime)


def all_schemes(directory: Path | None = None) -> list[Scheme]:
    return [load_scheme(sid, directory) for sid in scheme_files(directory)]
