"""Load and validate a dossier folder: ``dossier.yaml`` against the model and its scheme.

Every problem is reported at once, each with its field path and the line and column
in ``dossier.yaml``. Problems that do not stop the work (a credit code failing its
check digit) are warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from .credit_code import check_digit_warning
from .gcpause import collector_paused
from .errors import BadInputError, DossierInvalidError, Issue, UnknownSchemeError
from .messages import translate
from .model import SUBJECT_KINDS, Dossier
from .paths import reference_problem
from .schemes import Scheme, load_scheme
from .yamlread import ReadYaml, read_yaml, read_yaml_text

DOSSIER_FILE = "dossier.yaml"
EVIDENCE_DIR = "evidence"


@dataclass
class LoadedDossier:
    dossier: Dossier
    scheme: Scheme
    directory: Path
    source: ReadYaml
    warnings: list[Issue] = field(default_factory=list)

    @property
    def file(self) -> Path:
        return self.directory / DOSSIER_FILE

    @property
    def evidence_dir(self) -> Path:
        return self.directory / EVIDENCE_DIR


def dossier_file(path: Path) -> Path:
    """Accept the dossier folder or its ``dossier.yaml``."""
    path = Path(path)
    if path.is_dir():
        path = path / DOSSIER_FILE
    if not path.exists():
        raise BadInputError(f"找不到 {path}。请先用 `dossier init 目录 --scheme 方案` 创建档案")
    return path


def _dotted(loc: Iterable[Any]) -> str:
    return ".".join(str(p) for p in loc)


def _loc_issue(source: ReadYaml, loc: tuple[Any, ...], message: str, severity: str = "error") -> Issue:
    line, column = source.locate(loc)
    return Issue(path=_dotted(loc), message=message, line=line, column=column, severity=severity)


OWN_SCHEMES = "checklists"  # DIR/checklists/<scheme-id>.yaml overrides the shipped scheme file


def _scheme_of(source: ReadYaml, scheme_dir: Path | None) -> Scheme:
    data = source.data
    if not isinstance(data, dict):
        raise DossierInvalidError(str(source.path), [Issue("", "文件内容应为“键: 值”形式的映射", 1, 1)])
    scheme_id = data.get("scheme")
    if not scheme_id:
        raise DossierInvalidError(
            str(source.path), [_loc_issue(source, ("scheme",), "缺少顶层字段 scheme（方案 id，见 dossier schemes）")]
        )
    if scheme_dir is None:
        # A dossier may carry its own copy of its scheme file, with the parameters the
        # official text leaves to the user filled in (the Zhejiang park's 绿色指数 weights
        # and leading values): DIR/checklists/<scheme-id>.yaml. Every command then uses it.
        own = source.path.parent / OWN_SCHEMES / f"{scheme_id}.yaml"
        if own.is_file():
            scheme_dir = own.parent
    try:
        return load_scheme(str(scheme_id), scheme_dir)
    except UnknownSchemeError as exc:
        raise DossierInvalidError(str(source.path), [_loc_issue(source, ("scheme",), str(exc))]) from exc


# Pydantic adds the name of a union branch or validator to an error's location
# ("years.2023.energy.x.function-before[_to_number(), float]"): not a key of the file.
_BRANCH = re.compile(r"^(function-\w+\[.*\]|str|int|float|bool|date|none|list\[.*\]|dict\[.*\]|literal\[.*\])$")


def _model_issues(source: ReadYaml, exc: ValidationError) -> list[Issue]:
    issues: list[Issue] = []
    seen: set[str] = set()
    for error in exc.errors():
        loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and _BRANCH.match(p)))
        key = _dotted(loc)
        if key in seen:  # one message per field, not one per union branch
            continue
        seen.add(key)
        issues.append(_loc_issue(source, loc, translate(error)))
    return issues


def _scheme_issues(dossier: Dossier, scheme: Scheme, source: ReadYaml) -> list[Issue]:
    """Cross-checks that need the scheme: ids, types, maxima."""
    issues: list[Issue] = []

    def unknown(section: str | tuple[str, ...], ids: Iterable[str], known: dict[str, Any], what: str) -> None:
        prefix = section if isinstance(section, tuple) else (section,)
        for item_id in ids:
            if item_id not in known:
                choices = "、".join(list(known)[:12]) + ("…" if len(known) > 12 else "")
                issues.append(_loc_issue(source, (*prefix, item_id), f"方案中没有{what} {item_id!r}；可用：{choices}"))

    if dossier.subject.kind != scheme.subject:
        issues.append(
            _loc_issue(
                source,
                ("subject", "kind"),
                f"方案 {scheme.id} 的申报主体是{SUBJECT_KINDS[scheme.subject]}，subject.kind 应为 {scheme.subject}",
            )
        )
    basic = {b.id: b for b in scheme.basic_conditions}
    indicators = {i.id: i for i in scheme.indicators}
    bonus = {b.id: b for b in scheme.bonus}
    unknown("basic_conditions", dossier.basic_conditions, basic, "基本条件")
    unknown("indicators", dossier.indicators, indicators, "评价指标")
    unknown("bonus", dossier.bonus, bonus, "加分项")
    unknown("narratives", dossier.narratives, {n.id: n for n in scheme.narratives}, "报告章节")
    unknown("compliance", dossier.compliance, {q.id: q for q in scheme.compliance_questions}, "合规性问题")

    # the evaluator's findings (第三方评价) name the same rows as the self-assessment
    unknown(("evaluator", "basic_conditions"), dossier.evaluator.basic_conditions, basic, "基本条件")
    unknown(("evaluator", "indicators"), dossier.evaluator.indicators, indicators, "评价指标")
    unknown(("evaluator", "bonus"), dossier.evaluator.bonus, bonus, "加分项")
    if scheme.yearly_indicators:  # leading values of the yearly 绿色指数 figures
        unknown(("parameters", "leading_values"), dossier.parameters.leading_values, indicators, "绿色指数指标")
    if dossier.parameters.level_cutoffs:
        unknown(("parameters", "level_cutoffs"), dossier.parameters.level_cutoffs,
                {lv.id: lv for lv in scheme.levels}, "等级")

    for prefix, owner, who in (((), dossier, "自评得分"), (("evaluator",), dossier.evaluator, "评价得分")):
        for section, rows in (("indicators", indicators), ("bonus", bonus)):
            answers = getattr(owner, section)
            for item_id, answer in answers.items():
                row = rows.get(item_id)
                if row is None:
                    continue
                where = (*prefix, section, item_id)
                if answer.points is not None and row.max_points is not None and answer.points > row.max_points:
                    issues.append(_loc_issue(source, (*where, "points"),
                                             f"{who} {answer.points:g} 超过该项分值 {row.max_points:g}"))
                if answer.option is not None and row.rule.type == "options":
                    labels = [o["label"] for o in row.rule.params["options"]]
                    if answer.option not in labels:
                        issues.append(_loc_issue(source, (*where, "option"), f"档次应为：{'、'.join(labels)}"))
                if answer.components and row.rule.type == "components":
                    labels = [c["label"] for c in row.rule.params["components"]]
                    for name in answer.components:
                        if name not in labels:
                            issues.append(_loc_issue(source, (*where, "components"),
                                                     f"分项 {name!r} 不在：{'、'.join(labels)}"))

    if dossier.application_type is not None:
        types = [t.id for t in scheme.application_types]
        if dossier.application_type not in types:
            allowed = "、".join(f"{t.id}（{t.name}）" for t in scheme.application_types) or "（该方案无申报类型）"
            issues.append(_loc_issue(source, ("application_type",), f"申报类型应为：{allowed}"))
    if dossier.target_level is not None:
        levels = [lv.id for lv in scheme.levels]
        if dossier.target_level not in levels:
            issues.append(_loc_issue(source, ("target_level",), f"申报级别应为：{'、'.join(levels) or '（该方案不分级）'}"))

    gi_ids = {i.id for i in scheme.indicators} if scheme.yearly_indicators else set()
    bonus_ids = set(bonus)
    for year, data in dossier.years.items():
        for key in data.green_index:
            if key not in gi_ids:
                issues.append(_loc_issue(source, ("years", year, "green_index", key), f"方案中没有绿色指数指标 {key!r}"))
        for key in data.bonus_data:
            if key not in bonus_ids:
                issues.append(_loc_issue(source, ("years", year, "bonus_data", key), f"方案中没有加分项 {key!r}"))
    return issues


def _path_issues(dossier: Dossier, source: ReadYaml) -> list[Issue]:
    """Paths in dossier.yaml that would lead out of the dossier folder (``../``, absolute)."""
    issues: list[Issue] = []

    def check(loc: tuple[Any, ...], ref: str | None) -> None:
        problem = reference_problem(ref) if ref else None
        if problem:
            issues.append(_loc_issue(source, loc, problem))

    for section in ("basic_conditions", "indicators", "bonus"):
        for row_id, answer in getattr(dossier, section).items():
            for i, ref in enumerate(answer.evidence):
                check((section, row_id, "evidence", i), ref)
    for year, data in dossier.years.items():
        for row_id, refs in data.evidence.items():
            for i, ref in enumerate(refs):
                check(("years", year, "evidence", row_id, i), ref)
    for kind in ("offsets", "projects"):
        for index, entry in enumerate(getattr(dossier, kind)):
            for i, ref in enumerate(entry.evidence):
                check((kind, index, "evidence", i), ref)
    for kind in ("certifications", "honours"):
        for index, entry in enumerate(getattr(dossier.subject, kind)):
            check(("subject", kind, index, "file"), entry.file)
    return issues


def _warnings(dossier: Dossier, source: ReadYaml) -> list[Issue]:
    warnings = []
    code = dossier.subject.credit_code
    if code:
        message = check_digit_warning(code)
        if message:
            warnings.append(_loc_issue(source, ("subject", "credit_code"), message, severity="warning"))
    return warnings


def load_dossier(path: Path, scheme_dir: Path | None = None) -> LoadedDossier:
    """Load ``path`` (a dossier folder or its dossier.yaml) and validate it fully.

    Raises :class:`DossierInvalidError` listing every problem with its line.
    """
    file = dossier_file(Path(path))
    with collector_paused():
        return _validated(read_yaml(file), file, scheme_dir)


def validate_text(text: str, file: Path) -> LoadedDossier:
    """Validate ``text`` as if it were ``file`` (its folder's own checklists/ included),
    exactly as :func:`load_dossier` would; used before an edit is written."""
    file = Path(file)
    # the same reader as load_dossier (the edit itself is round-trip)
    return _validated(read_yaml_text(text, file), file, None)


def _validated(source: ReadYaml, file: Path, scheme_dir: Path | None) -> LoadedDossier:
    """The model's, the scheme's and the evidence paths' checks over ``source``; every
    problem with its line. An edit is checked as the next load will check it: an edit
    that names a file outside the dossier is refused before it is written.

    A file the fast parser read and something found wrong: it is read again by libyaml,
    whose positions (and own syntax checks) make the messages."""
    try:
        return _checked(source, file, scheme_dir)
    except DossierInvalidError:
        if source.marked:
            raise
    return _checked(source.with_marks(), file, scheme_dir)


def _checked(source: ReadYaml, file: Path, scheme_dir: Path | None) -> LoadedDossier:
    scheme = _scheme_of(source, scheme_dir)
    try:
        dossier = Dossier.model_validate(source.data)
    except ValidationError as exc:
        raise DossierInvalidError(str(file), _model_issues(source, exc)) from exc
    issues = _scheme_issues(dossier, scheme, source) + _path_issues(dossier, source)
    if issues:
        raise DossierInvalidError(str(file), issues)
    return LoadedDossier(dossier, scheme, file.parent, source, _warnings(dossier, source))
