"""The evidence check (材料核查, ``dossier check``): what is missing, expired or still to confirm, item by item.

``check_dossier(loaded, on)`` matches the files under ``evidence/`` to the scheme's
evidence list and applies each item's rules, which are data in the scheme file
(docs/scheme-format.md, "Evidence list"): ``required`` / ``required_if``, ``years``,
``validity`` and ``cert_kinds``, ``formats``, ``confirm``, ``translation`` and
``supports_condition``. No item has code of its own.

Statuses, worst first: missing 缺失, expired 过期, incomplete 不完整 — these make the
dossier not complete (``dossier check`` exits 1); expiring 即将过期 and to_confirm
待确认 are warnings a person must look at, listed but not blocking (exit 0), because
exit 1 means "something is missing or expired", and a seal or a
certificate renewed next month does not stop a submission today. ok 齐全 and
not_applicable 不适用 need nothing.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from . import vocabulary
from .evidence_files import (
    FORMAT_NAMES,
    TRANSLATION_MARK,
    EvidenceFile,
    Scan,
    file_years,
    has_translation,
    is_foreign,
    read_document,
    scan_evidence,
    valid_until_in,
)
from .introspect import dig
from .loader import EVIDENCE_DIR, LoadedDossier
from .names import display
from .paths import OUTSIDE_LINK, inside, reference_problem
from .safefile import inspect_many
from .model import Certification, Dossier
from .schemes import CONFIRM_TEXTS, EvidenceItem
from .termtext import headed_list, pad, wrap
from .textfold import fold_name

STATUS_LABELS: dict[str, str] = {
    "ok": "齐全",
    "missing": "缺失",
    "expired": "过期",
    "expiring": "即将过期",
    "incomplete": "不完整",
    "to_confirm": "待确认",
    "not_applicable": "不适用",
}
BLOCKING = frozenset({"missing", "expired", "incomplete"})
_WORST_FIRST = ("missing", "expired", "incomplete", "expiring", "to_confirm")
EXPIRY_WARNING_DAYS = 90
MET = ("符合", "部分符合")
CERT_NAMES = {
    "quality": "质量管理体系", "environment": "环境管理体系", "ohs": "职业健康安全管理体系",
    "energy": "能源管理体系", "ghg": "温室气体", "green_product": "绿色产品",
    "product_carbon": "产品碳足迹", "other": "其他",
}


# --- the report -------------------------------------------------------------------------


@dataclass
class ItemResult:
    no: int
    title: str
    status: str
    files: list[str]
    problems: list[str]
    folder: str = ""
    required: bool = True          # required for this dossier (after required_if)
    required_when: str | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    def to_dict(self) -> dict[str, Any]:
        return {"no": self.no, "title": self.title, "status": self.status, "files": [display(f) for f in self.files],
                "problems": self.problems}


@dataclass
class CrossCheck:
    where: str            # the dossier.yaml field, e.g. basic_conditions.BC1.evidence
    message: str
    severity: str = "error"  # error (blocks completeness) | warning
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"where": self.where, "line": self.line, "severity": self.severity, "message": self.message}


@dataclass
class EvidenceCheckReport:
    scheme: str
    scheme_name: str
    subject: str | None
    as_of: dt.date
    items: list[ItemResult]
    unmatched_files: list[str] = field(default_factory=list)
    cross_checks: list[CrossCheck] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # rows the third-party evaluator has not assessed (dossier.evaluation); listed, not blocking
    pending_evaluation: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not any(i.status in BLOCKING for i in self.items) and not any(
            c.severity == "error" for c in self.cross_checks
        )

    @property
    def exit_code(self) -> int:
        return 0 if self.complete else 1

    def counts(self) -> dict[str, int]:
        return {s: n for s in STATUS_LABELS if (n := sum(1 for i in self.items if i.status == s))}

    def to_dict(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "as_of": self.as_of.isoformat(),
            "complete": self.complete,
            "items": [i.to_dict() for i in self.items],
            "unmatched_files": self.unmatched_files,
            "cross_checks": [c.to_dict() for c in self.cross_checks],
            "warnings": self.warnings,
            "pending_evaluation": self.pending_evaluation,
            "counts": self.counts(),
        }


# --- required_if ----------------------------------------------------------------------------

def _offsets(d: Dossier, value: str) -> bool:
    return any(o.type == value for o in d.offsets)


def _application_type(d: Dossier, value: str) -> bool:
    return d.application_type == value


def _honours(d: Dossier, value: str) -> bool:
    return any(value in h.name for h in d.subject.honours)


def _certifications(d: Dossier, value: str) -> bool:
    return any(c.kind == value for c in d.subject.certifications)


# ``name:value`` conditions, looked up by name (declared in vocabulary.py),
# each with the reason the checklist gives when it holds.
CONDITIONS: dict[str, tuple[Callable[[Dossier, str], bool], str]] = {
    "offsets": (_offsets, "碳抵消中有{value}"),
    "application_type": (_application_type, "申报类型为 {value}"),
    "honours": (_honours, "主要荣誉中有“{value}”"),
    "certifications": (_certifications, "有{value}认证"),
}
vocabulary.require_implemented("evidence conditions", CONDITIONS)


def answer_of(dossier: Dossier, row_id: str) -> Any:
    for section in (dossier.basic_conditions, dossier.indicators, dossier.bonus):
        if row_id in section:
            return section[row_id]
    return None


def required_because(item: EvidenceItem, dossier: Dossier) -> str | None:
    """Why the item is required for this dossier ("" when unconditionally), or None."""
    if item.required:
        return ""
    for cond in item.required_if:
        if ":" in cond:
            name, value = cond.split(":", 1)
            holds, reason = CONDITIONS[name]
            if holds(dossier, value):
                return reason.format(value=CERT_NAMES.get(value, value) if name == "certifications" else value)
        else:
            answer = answer_of(dossier, cond)
            if answer is not None and answer.status in MET:
                return f"{cond} 自评为{answer.status}"
    return None


# --- matching files to items ----------------------------------------------------------------

# "04 营业执照", "4.营业执照", "4、", "04营业执照", "第4项", "4": the item number leading
# a top-level folder name; "2023年" (four digits) is not one.
_NUMBERED = re.compile(r"^\s*(?:第\s*)?0*(\d{1,3})(?!\d)\s*项?\s*(?:[.、,:)_\-\s]|(?=[^\W\d_])|$)")
_MIN_KEYWORD = 2  # one-character keywords (苯, 氨) match too many names to identify a file


def _keywords(item: EvidenceItem) -> list[str]:
    return [k for k in (fold_name(k) for k in item.keywords) if len(k) >= _MIN_KEYWORD]


def _folder_items(name: str, items: list[EvidenceItem], top: bool) -> list[EvidenceItem]:
    folded = fold_name(name)
    exact = [i for i in items if fold_name(i.folder) == folded]
    if exact or not top:
        return exact
    match = _NUMBERED.match(unicodedata.normalize("NFKC", name))
    return [i for i in items if match and i.no == int(match.group(1))]


SIGNED_DIR = "signed"  # evidence/signed/<form-id>.pdf: the signed and sealed scan of a generated form


def signed_form_id(file: EvidenceFile) -> str | None:
    """``evidence/signed/jiangsu-application.pdf`` → "jiangsu-application" (any image/PDF suffix)."""
    if len(file.parts) == 2 and file.parts[0] == SIGNED_DIR:
        return Path(file.name).stem
    return None


def match_file(file: EvidenceFile, items: list[EvidenceItem]) -> list[EvidenceItem]:
    """The items a file serves: a signed form's scan by its form id, else by folder, else by
    keywords in its names, else by content."""
    form_id = signed_form_id(file)
    if form_id is not None:
        return [i for i in items if i.form == form_id]
    for depth, folder in enumerate(file.folders):
        found = _folder_items(folder, items, top=depth == 0)
        if found:
            return found
    names = [fold_name(f) for f in file.folders] + [fold_name(Path(file.name).stem)]
    by_name = [i for i in items if any(k in n for k in _keywords(i) for n in names)]
    if by_name:
        return by_name
    text = fold_name(read_document(file).text)
    if not text:
        return []
    # Content is noisy (a first page names many things): keep the best-scoring items,
    # and only when the keywords found add up to a few characters.
    scores = {i.no: sum(len(k) for k in set(_keywords(i)) if k in text) for i in items}
    best = max(scores.values(), default=0)
    return [i for i in items if best >= 4 and scores[i.no] == best]


# --- one item -------------------------------------------------------------------------------


@dataclass
class _CheckContext:
    dossier: Dossier
    on: dt.date
    siblings: dict[tuple[str, ...], list[EvidenceFile]]
    by_rel: dict[str, EvidenceFile]


def _short(file: EvidenceFile) -> str:
    return display("/".join(file.parts))


def _cert_label(cert: Certification) -> str:
    label = f"{CERT_NAMES[cert.kind]}证书"
    return label + (f"（编号 {cert.number}）" if cert.number else "")


def _rel_ref(ref: str) -> str:
    """A reference in dossier.yaml as a scan's ``rel``: "evidence/…" (the prefix is optional)."""
    ref = posixpath.normpath(ref.replace("\\", "/"))
    return ref if ref.startswith(EVIDENCE_DIR + "/") else f"{EVIDENCE_DIR}/{ref}"


def evaluate_item(item: EvidenceItem, files: list[EvidenceFile], ctx: _CheckContext) -> ItemResult:
    because = required_because(item, ctx.dossier)
    result = ItemResult(
        item.no, item.title, "ok", [], [], item.folder, because is not None, item.required_when
    )
    statuses: set[str] = set()
    certs = _certificates(item, files, ctx, result, statuses)
    files = files + [f for f in certs.values() if f is not None and f not in files]
    result.files = [f.rel for f in files]
    if not files:
        return _absent(item, result, because)
    usable = []
    for file in files:
        problem = read_document(file).problem
        if problem:
            result.problems.append(f"{_short(file)}：{problem}")
            statuses.add("incomplete")
        else:
            usable.append(file)
    accepted = _formats(item, usable, result, statuses)
    if usable and not accepted:
        statuses.add("incomplete")
    if accepted:
        _years(item, accepted, ctx, result, statuses)
        _validity(item, accepted, certs, ctx, result, statuses)
        _translation(item, accepted, ctx, result, statuses)
        if item.confirm:
            result.problems += [CONFIRM_TEXTS[c] for c in item.confirm]
            statuses.add("to_confirm")
    result.status = next((s for s in _WORST_FIRST if s in statuses), "ok")
    return result


def _absent(item: EvidenceItem, result: ItemResult, because: str | None) -> ItemResult:
    if item.form and because is not None:
        # The form itself is generated (dossier render / build); what only the user can add
        # is the signed and sealed scan, which the build swaps in for the generated pages.
        result.status = "to_confirm"
        result.problems.append(
            f"本项表单由 dossier 生成（{item.form}）；打印后签字盖章，将扫描件放入 "
            f"{EVIDENCE_DIR}/{SIGNED_DIR}/{item.form}.pdf（或放入 {EVIDENCE_DIR}/{item.folder}/）"
        )
        result.problems += [CONFIRM_TEXTS[c] for c in item.confirm]
        return result
    if because is None:
        result.status = "not_applicable"
        if item.required_when:
            result.problems.append(f"未提供；仅在{item.required_when}需要")
        return result
    where = f"请放入 {EVIDENCE_DIR}/{item.folder}/"
    reason = f"（{because}，须提供本项）" if because else ""
    result.problems.insert(0, f"未找到文件：{where}{reason}")
    result.status = "missing"
    return result


def _formats(item: EvidenceItem, usable: list[EvidenceFile], result: ItemResult, statuses: set[str]) -> list[EvidenceFile]:
    accepted = [f for f in usable if f.kind in item.formats]
    allowed = "、".join(FORMAT_NAMES[k] for k in item.formats)
    for file in usable:
        if file not in accepted:
            result.problems.append(
                f"{_short(file)}：{FORMAT_NAMES[file.kind]}文件不计入，本项接受 {allowed}"
                + ("；请确认是否仍需提交" if accepted else "；请转换后放入")
            )
            statuses.add("to_confirm" if accepted else "incomplete")
    return accepted


def _years(item: EvidenceItem, files: list[EvidenceFile], ctx: _CheckContext, result: ItemResult, statuses: set[str]) -> None:
    if not item.years:
        return
    window = ctx.dossier.window
    wanted = window[-item.years:]
    covered: set[int] = set()
    for file in files:
        covered |= file_years(file, window)
    missing = [y for y in wanted if y not in covered]
    if missing:
        span = "近三年" if item.years == 3 else ("上年度" if item.years == 1 else f"近{item.years}年")
        result.problems.append(
            f"缺少 {'、'.join(map(str, missing))} 年的材料（{span}应覆盖 {'、'.join(map(str, wanted))} 年；"
            "按文件名或首页中的年份判断，如“2024年温室气体核查报告.pdf”）"
        )
        statuses.add("incomplete")


def _certificates(
    item: EvidenceItem, files: list[EvidenceFile], ctx: _CheckContext, result: ItemResult, statuses: set[str]
) -> dict[int, EvidenceFile | None]:
    """Certifications in dossier.yaml that belong to this item: by file or by kind.

    Returns {index in subject.certifications: its file (None when it names none)}.
    """
    rels = {f.rel for f in files}
    found: dict[int, EvidenceFile | None] = {}
    for index, cert in enumerate(ctx.dossier.subject.certifications):
        rel = _rel_ref(cert.file) if cert.file else None
        if rel in rels or cert.kind in item.cert_kinds:
            found[index] = ctx.by_rel.get(rel) if rel else None
            if rel and rel not in ctx.by_rel and cert.kind in item.cert_kinds:
                result.problems.append(f"{_cert_label(cert)}的文件不存在：{cert.file}（subject.certifications.{index}.file）")
                statuses.add("incomplete")
    return found


def _validity(
    item: EvidenceItem,
    files: list[EvidenceFile],
    certs: dict[int, EvidenceFile | None],
    ctx: _CheckContext,
    result: ItemResult,
    statuses: set[str],
) -> None:
    dated: list[tuple[str, dt.date]] = []
    covered: set[str] = set()
    for index, file in certs.items():
        cert = ctx.dossier.subject.certifications[index]
        if cert.valid_until:
            dated.append((_cert_label(cert), cert.valid_until))
            if file is not None:
                covered.add(file.rel)
    if item.validity:
        for file in files:
            if file.rel not in covered and (until := valid_until_in(read_document(file).text)):
                dated.append((_short(file), until))
        if not dated:
            result.problems.append(
                f"未能读出有效期：请确认证书在 {ctx.on.isoformat()} 仍在有效期内"
                "（可在 dossier.yaml 的 subject.certifications 中填写 valid_until 和 file）"
            )
            statuses.add("to_confirm")
    for label, until in dated:
        days = (until - ctx.on).days
        if days < 0:
            result.problems.append(f"{label}已于 {until.isoformat()} 过期（检查日 {ctx.on.isoformat()}）")
            statuses.add("expired")
        elif days <= EXPIRY_WARNING_DAYS:
            result.problems.append(f"{label}将于 {until.isoformat()} 到期（距检查日 {days} 天，不足 {EXPIRY_WARNING_DAYS} 天）")
            statuses.add("expiring")


def _translation(item: EvidenceItem, files: list[EvidenceFile], ctx: _CheckContext, result: ItemResult, statuses: set[str]) -> None:
    if not item.translation:
        return
    for file in files:
        if TRANSLATION_MARK.search(file.name) or not is_foreign(file):
            continue
        if not has_translation(file, ctx.siblings.get(file.folders, [])):
            result.problems.append(
                f"{_short(file)} 为外文材料，缺少中文翻译件（请在同一文件夹放入名称含“翻译”或“译文”的文件）"
            )
            statuses.add("incomplete")


# --- cross-checks with dossier.yaml ---------------------------------------------------------


def _exists(directory: Path, ref: str) -> str | None:
    """None when the referenced file exists and is not empty, else the problem."""
    bad = reference_problem(ref)
    if bad:
        return bad
    for candidate in (directory / ref, directory / EVIDENCE_DIR / ref):
        if candidate.is_file():
            if not inside(candidate, directory):
                return OUTSIDE_LINK
            return "引用的文件为空文件（0 字节）" if candidate.stat().st_size == 0 else None
    return "引用的文件不存在"


def cross_checks(loaded: LoadedDossier, results: dict[int, ItemResult]) -> list[CrossCheck]:
    dossier, scheme, source = loaded.dossier, loaded.scheme, loaded.source
    out: list[CrossCheck] = []

    def add(loc: tuple[Any, ...], message: str, severity: str = "error") -> None:
        line, _ = source.locate(loc)
        out.append(CrossCheck(".".join(map(str, loc)), message, severity, line))

    def refs(loc: tuple[Any, ...], paths: list[str]) -> None:
        for index, ref in enumerate(paths):
            problem = _exists(loaded.directory, ref)
            if problem:
                add((*loc, index), f"{problem}：{ref}")

    sections = (("basic_conditions", "基本条件"), ("indicators", "评价指标"), ("bonus", "加分项"))
    for section, label in sections:
        for row_id, answer in getattr(dossier, section).items():
            if answer.status in MET and not answer.evidence:
                add((section, row_id, "status"), f"{label} {row_id} 自评为{answer.status}，但没有填写证明材料索引（evidence）")
            refs((section, row_id, "evidence"), answer.evidence)
    # the evidence the third-party evaluator names as checked: a file path that is not in
    # the dossier is flagged (a warning: the applicant's materials may still be complete)
    for section, label in sections:
        for row_id, finding in getattr(dossier.evaluator, section).items():
            for index, ref in enumerate(finding.evidence_checked):
                if "/" in ref or PurePosixPath(ref).suffix:
                    problem = _exists(loaded.directory, ref)
                    if problem:
                        add(("evaluator", section, row_id, "evidence_checked", index),
                            f"第三方评价 {label} {row_id} 核查的材料{problem}：{ref}", "warning")
    for year, data in dossier.years.items():
        for row_id, paths in data.evidence.items():
            refs(("years", year, "evidence", row_id), paths)
    for index, offset in enumerate(dossier.offsets):
        refs(("offsets", index, "evidence"), offset.evidence)
    for index, project in enumerate(dossier.projects):
        refs(("projects", index, "evidence"), project.evidence)
    for kind in ("certifications", "honours"):
        for index, entry in enumerate(getattr(dossier.subject, kind)):
            problem = _exists(loaded.directory, entry.file) if entry.file else None
            if problem:
                add(("subject", kind, index, "file"), f"{problem}：{entry.file}")
    for item in scheme.evidence_list:
        if item.supports_condition:
            _condition_agrees(item, dossier, results[item.no], add)
    return out


def _condition_agrees(item: EvidenceItem, dossier: Dossier, result: ItemResult, add: Callable[..., None]) -> None:
    """A basic condition, its evidence item and a dossier field tell the same story."""
    link = item.supports_condition
    if link is None:
        return
    answer = dossier.basic_conditions.get(link.id)
    met = answer is not None and answer.status in MET
    value = dig(dossier, link.field.split(".")) if link.field else None
    expected = " 或 ".join(link.values)
    shown = f"“{value}”" if value else "未填写"
    if met:
        if result.status in ("missing", "not_applicable"):
            add(("basic_conditions", link.id, "status"),
                f"基本条件 {link.id} 自评为{answer.status}，但第{item.no}项“{item.title}”没有文件")
        if link.field and value not in link.values:
            add(tuple(link.field.split(".")),
                f"基本条件 {link.id} 自评为{answer.status}，但 {link.field} 为{shown}（应为 {expected}）")
    elif link.field and value in link.values:
        status = answer.status if answer and answer.status else "未填写"
        add(("basic_conditions", link.id, "status"),
            f"{link.field} 为{shown}，但基本条件 {link.id} 自评为{status}：两者不一致", "warning")


# --- the whole check ------------------------------------------------------------------------


def _pending(loaded: LoadedDossier) -> list[Any]:
    from .evaluation import pending_evaluation

    return pending_evaluation(loaded)


def check_dossier(loaded: LoadedDossier, on: dt.date) -> EvidenceCheckReport:
    """Check the evidence of a loaded dossier as of ``on`` (the submission date)."""
    scheme = loaded.scheme
    scan: Scan = scan_evidence(loaded.evidence_dir, loaded.directory)
    # every file opened once, safely, in one limited child process (check and build share the answers)
    inspect_many([(f.path, None) for f in scan.files if f.problem is None])
    assigned: dict[int, list[EvidenceFile]] = {item.no: [] for item in scheme.evidence_list}
    unmatched: list[EvidenceFile] = []
    for file in scan.files:
        items = match_file(file, scheme.evidence_list)
        for item in items:
            assigned[item.no].append(file)
        if not items:
            unmatched.append(file)
    siblings: dict[tuple[str, ...], list[EvidenceFile]] = {}
    for file in scan.files:
        siblings.setdefault(file.folders, []).append(file)
    ctx = _CheckContext(loaded.dossier, on, siblings, {f.rel: f for f in scan.files})
    results = {item.no: evaluate_item(item, assigned[item.no], ctx) for item in scheme.evidence_list}
    warnings = list(scan.warnings)
    planned = loaded.dossier.submission_date
    if planned and planned != on:
        # Validity is judged on the check date; the user usually means the submission date.
        warnings.append(f"检查日为 {on}，dossier.yaml 的计划提交日为 {planned}：按提交日检查证书有效期请加 --on {planned}")
    for file in unmatched:
        problem = read_document(file).problem
        if problem:
            warnings.append(f"{file.rel}：{problem}")
    return EvidenceCheckReport(
        scheme=scheme.id,
        scheme_name=scheme.name,
        subject=loaded.dossier.subject.name,
        as_of=on,
        items=list(results.values()),
        unmatched_files=[f.rel for f in unmatched],
        cross_checks=cross_checks(loaded, results),
        warnings=warnings,
        pending_evaluation=[p.label for p in _pending(loaded)],
    )


def _shown_file(item: ItemResult, rel: str) -> str:
    below = rel.removeprefix(EVIDENCE_DIR + "/")
    return below.removeprefix(item.folder + "/")


def render_text(report: EvidenceCheckReport, width: int = 120) -> str:
    """The checklist as a plain-text table in Chinese, aligned for CJK widths."""
    width = max(width, 80)
    gap = 2
    rest = width - 4 - 8 - 4 * gap
    widths = [4, rest * 3 // 10, 8, rest * 3 // 10, rest - 2 * (rest * 3 // 10)]
    rule = "-" * width
    out = [f"{report.scheme_name}（{report.scheme}）申报材料检查：{report.subject or '（未填写企业名称）'}，检查日 {report.as_of}"]
    out += [rule, (" " * gap).join(pad(h, w) for h, w in zip(("序号", "材料", "状态", "文件", "问题"), widths)).rstrip(), rule]
    for item in report.items:
        files = [line for rel in item.files for line in wrap(_shown_file(item, rel), widths[3])]
        problems = [
            ("· " if n == 0 else "  ") + line
            for p in item.problems
            for n, line in enumerate(wrap(p, widths[4] - 2))
        ]
        cells = [[str(item.no)], wrap(item.title, widths[1]), [item.label], files or ["—"], problems]
        for row in range(max(len(c) for c in cells)):
            texts = [c[row] if row < len(c) else "" for c in cells]
            out.append((" " * gap).join(pad(t, w) for t, w in zip(texts, widths)).rstrip())
        out.append(rule)
    counts = report.counts()
    out.append("汇总：" + "，".join(f"{STATUS_LABELS[s]} {n} 项" for s, n in counts.items()) + f"（共 {len(report.items)} 项）")
    if report.cross_checks:
        out.append("\n交叉核对（dossier.yaml 与材料）：")
        for c in report.cross_checks:
            where = f"第 {c.line} 行 " if c.line else ""
            out.append(f"  {'错误' if c.severity == 'error' else '注意'}：{where}{c.where}：{c.message}")
    out += headed_list(f"\n未归入任何材料项的文件（{len(report.unmatched_files)} 个，请移入对应的材料文件夹）：",
                       report.unmatched_files)
    out += headed_list("\n提示：", report.warnings)
    if report.pending_evaluation:
        out.append(f"\n待评价（第三方评价人尚未评定，第三方评价报告中留空）{len(report.pending_evaluation)} 项：")
        out.append("  " + "、".join(report.pending_evaluation))
    out.append("\n" + _conclusion(report))
    return "\n".join(out)


def _conclusion(report: EvidenceCheckReport) -> str:
    counts = report.counts()
    errors = sum(1 for c in report.cross_checks if c.severity == "error")
    warn = "、".join(f"{STATUS_LABELS[s]} {counts[s]} 项" for s in ("expiring", "to_confirm") if s in counts)
    if report.complete:
        return "结论：材料齐全（没有缺失、过期或不完整的项）。" + (f"另有{warn}，请逐项核实。" if warn else "")
    blocking = "、".join(f"{STATUS_LABELS[s]} {counts[s]} 项" for s in ("missing", "expired", "incomplete") if s in counts)
    parts = [p for p in (blocking, f"交叉核对错误 {errors} 处" if errors else "") if p]
    return "结论：尚未齐全：" + "；".join(parts) + "。" + (f"另有{warn}。" if warn else "")
