"""``dossier rollover``: next year's dossier from this year's, the old folder untouched.

What moves, what stays:

* ``reporting_year`` becomes the new year, so the window (近三年) moves with it. The
  year history under ``years:`` is kept whole: the oldest year leaves the forms (they
  read ``d.window``) but stays in the data. Each year of the new window that has no data
  yet gets an empty entry, shaped like the latest filled year, listed as to fill in.
* Values at listing time (``listing.year`` 入选年份, ``listing.values`` 列入名单时指标值)
  are not touched: they are fixed once a factory or park is listed.
* Narratives, statements (符合性说明), compliance answers and a few yearly facts of the
  subject carry over word for word and are listed under ``review:`` in the new
  ``dossier.yaml``, to be checked and struck off.
* ``fill_date`` and ``submission_date`` move by the same number of years (same day of
  the year): annual rounds recur at about the same time, and the certificates must be
  judged against a date in the new round, not against last year's. The report says to
  confirm them against the new notice. ``evaluator.report_date`` is cleared instead: it
  dates a report that does not exist yet, and a moved date would print on the new forms;
  so are the evaluator's findings, site visits and conclusion (a new round is evaluated afresh).
* Evidence is copied (or hard-linked, ``link=True``), never moved: see
  :mod:`dossier.rollover.evidence`. Generated output and other files of the old folder
  (forms, workbooks, backups) are not carried: they belong to the old year.

The new folder is written beside its final place and renamed into it once complete and
valid, so an interrupted rollover leaves no half-written dossier.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..evidence_check import check_dossier
from ..completeness import empty_fields
from ..errors import BadInputError, DossierExistsError
from ..evidence_files import scan_evidence
from ..edit import write_new
from ..loader import DOSSIER_FILE, EVIDENCE_DIR, LoadedDossier, load_dossier
from ..model import Dossier, Subject, energy_carriers
from ..schemes import Scheme
from ..yamlio import dump_yaml, load_yaml_file
from .evidence import carry_evidence, expiries, missing_years, stale_files
from ..edit import move_trailing_comment
from .newyear import set_review, shift_date, year_skeleton
from .report import Field, Kept, Moved, RolloverReport

MAX_YEAR = 2100
# Facts of the subject that change from year to year: carried, but to be confirmed.
YEARLY_SUBJECT_FIELDS = ("employees", "credit_rating", "environmental_credit_rating")


def default_target(directory: Path, year: int) -> Path:
    """``某某科技`` → ``某某科技-2027``; ``某某科技-2026`` → ``某某科技-2027`` (a trailing
    year in the folder name is replaced, not stacked)."""
    directory = Path(directory).resolve()
    base = re.sub(r"[-_ ]?(?:19|20)\d{2}$", "", directory.name) or directory.name
    return directory.parent / f"{base}-{year}"


def _check_target(target: Path, source: Path) -> None:
    target_abs, source_abs = target.resolve(), source.resolve()
    if target_abs == source_abs or source_abs in target_abs.parents or target_abs in source_abs.parents:
        raise BadInputError(f"新档案目录 {target} 不能是原档案目录 {source}，也不能在其内部或是其上级目录")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise DossierExistsError(f"{target} 已存在且不是空目录，未做任何修改。请用 --out 指定一个新目录")


def roll_over(directory: Path, year: int, out: Path | None = None, *, link: bool = False,
              today: dt.date | None = None) -> RolloverReport:
    """Write the dossier of ``directory`` for reporting year ``year`` into ``out`` (default
    :func:`default_target`) and report what changed. ``directory`` is only read."""
    loaded = load_dossier(directory)
    d, scheme = loaded.dossier, loaded.scheme
    if year <= d.reporting_year:
        raise BadInputError(f"--year {year} 应晚于原档案的申报年度 {d.reporting_year}（例如 --year {d.reporting_year + 1}）")
    if year > MAX_YEAR:
        raise BadInputError(f"--year {year} 不是合理的申报年度")
    target = Path(out) if out else default_target(loaded.directory, year)
    _check_target(target, loaded.directory)

    data = load_yaml_file(loaded.file).data  # a fresh copy: the old file is never written
    new_window = [year - 3, year - 2, year - 1]
    report = RolloverReport(
        source=loaded.directory, target=target, scheme=scheme.id, scheme_name=scheme.name,
        subject=d.subject.name, old_year=d.reporting_year, new_year=year,
        old_window=list(d.window), new_window=new_window,
    )
    _move(data, d, year, report)
    _add_years(data, d, scheme, new_window, report)
    _keep(d, scheme, report)
    report.review = review_fields(d, scheme)
    set_review(data, [f.path for f in report.review])
    header = (f"# {year} 年度档案：由 {loaded.directory.name}（{d.reporting_year} 年度）经 dossier rollover 生成"
              f"（{(today or dt.date.today()).isoformat()}）；近三年为 {new_window[0]}–{new_window[-1]} 年；"
              "review: 列出沿用上一年度、需复核的内容。\n")
    report.carried = _write(target, header + dump_yaml(data), loaded.evidence_dir, link)
    report.not_carried = sorted(p.name + ("/" if p.is_dir() else "") for p in loaded.directory.iterdir()
                                if p.name not in (DOSSIER_FILE, EVIDENCE_DIR) and not p.name.startswith("."))
    _analyse(load_dossier(target), d, report)
    return report


def _write(target: Path, text: str, evidence: Path, link: bool):
    """Build the new folder under a temporary name beside ``target``, validate, rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o777 & ~mask)  # mkdtemp makes 0700; a dossier folder is an ordinary one
        write_new(tmp / DOSSIER_FILE, text)
        carried = carry_evidence(evidence, tmp / EVIDENCE_DIR, link=link)
        load_dossier(tmp)  # the new dossier must validate before it takes the name
        if target.exists():
            target.rmdir()  # empty (checked before)
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return carried


# --- what moves ------------------------------------------------------------------------------


def _move(data: Any, d: Dossier, year: int, report: RolloverReport) -> None:
    shift = year - d.reporting_year
    data["reporting_year"] = year
    report.moved.append(Moved("reporting_year", "申报年度", d.reporting_year, year))
    old, new = report.old_window, report.new_window
    left = [y for y in old if y not in new]
    report.moved.append(Moved(
        "years", "近三年", f"{old[0]}–{old[-1]}", f"{new[0]}–{new[-1]}",
        f"{'、'.join(map(str, left))} 年移出表单，数据仍保留在 years 中" if left else "",
    ))
    for name, label in (("fill_date", "填报日期"), ("submission_date", "计划提交日期")):
        value = getattr(d, name)
        if value is not None:
            moved = shift_date(value, shift)
            data[name] = moved
            report.moved.append(Moved(name, label, value, moved, f"按 {shift} 年后的同一天推算，请按新一年的通知核实"))
    if d.evaluator.report_date is not None and isinstance(data.get("evaluator"), dict):
        data["evaluator"]["report_date"] = None
        report.moved.append(Moved("evaluator.report_date", "第三方评价报告日期", d.evaluator.report_date, None,
                                   "新一年度的报告尚未出具，已清空"))
    # The evaluator's findings, visits and conclusion belong to last year's report: a new
    # round is evaluated afresh (its rows are 待评价 until the evaluator assesses them).
    ev = data.get("evaluator")
    if isinstance(ev, dict):
        for key, label in (("basic_conditions", "第三方评价：基本条件"), ("indicators", "第三方评价：评价指标"),
                           ("bonus", "第三方评价：加分项"), ("site_visits", "现场评价日期"), ("conclusion", "评价结论")):
            if ev.get(key):
                old = ev[key]
                shown = f"{len(old)} 项" if isinstance(old, (dict, list)) else str(old)[:20]
                del ev[key]
                report.moved.append(Moved(f"evaluator.{key}", label, shown, None, "上一年度的第三方评价，新一年度待评价，已清空"))


def _add_years(data: Any, d: Dossier, scheme: Scheme, window: list[int], report: RolloverReport) -> None:
    from ruamel.yaml.comments import CommentedMap

    years = data.get("years")
    if not isinstance(years, dict):
        years = data["years"] = CommentedMap()
    filled = sorted(y for y in d.years if d.years[y] != type(d.years[y])())
    for y in window:
        if y in years:
            continue
        previous_year = max((p for p in filled if p < y), default=None)
        previous = years.get(previous_year) if previous_year is not None else None
        last_key = list(years)[-1] if years else None
        entry = year_skeleton(previous, scheme)
        years[y] = entry
        if last_key is not None:
            move_trailing_comment(years[last_key], entry)
        years.yaml_add_eol_comment(f"{y} 年度数据：dossier rollover 新增，待填写", y)


def _keep(d: Dossier, scheme: Scheme, report: RolloverReport) -> None:
    kept = report.kept
    if d.listing.year is not None or d.listing.values:
        detail = f"入选年份 {d.listing.year or '（未填写）'}；列入名单时指标值 {len(d.listing.values)} 项，原样保留"
        kept.append(Kept("listing", "列入名单信息", detail))
    history = sorted(d.years)
    if history:
        kept.append(Kept("years", "年度数据", f"{'、'.join(map(str, history))} 年的数据全部保留"))
    s = d.subject
    kept.append(Kept("subject", "申报主体", f"{s.name or '（未填写名称）'}；认证 {len(s.certifications)} 项、"
                                            f"荣誉 {len(s.honours)} 项（有效期见第五部分）"))
    answers = [(label, len(getattr(d, section))) for section, label in
               (("basic_conditions", "基本条件"), ("indicators", "评价指标"), ("bonus", "加分项"))]
    shown = "、".join(f"{label} {n} 项" for label, n in answers if n)
    if shown:
        kept.append(Kept("basic_conditions/indicators/bonus", "自评结果和得分", f"{shown}，沿用（说明文字见第三部分）"))
    if d.projects:
        kept.append(Kept("projects", "节能降碳项目", f"{len(d.projects)} 项"))
    if d.offsets:
        by_year = sorted({o.year for o in d.offsets})
        kept.append(Kept("offsets", "碳抵消", f"{len(d.offsets)} 条（{'、'.join(map(str, by_year))} 年）"))
    for name, label in (("application_type", "申报类型"), ("target_level", "申报级别")):
        if getattr(d, name):
            kept.append(Kept(name, label, str(getattr(d, name))))


# --- what must be reviewed or filled in ------------------------------------------------------


def review_fields(d: Dossier, scheme: Scheme) -> list[Field]:
    """Texts and answers carried over word for word: to be read again for the new year."""
    out: list[Field] = []
    titles = {n.id: n.title for n in scheme.narratives}
    for nid, text in d.narratives.items():
        if (text or "").strip():
            out.append(Field(f"narratives.{nid}", f"报告正文“{titles.get(nid, nid).rstrip('。')}”"))
    for section, label in (("basic_conditions", "基本条件"), ("indicators", "评价指标"), ("bonus", "加分项")):
        for row_id, answer in getattr(d, section).items():
            if (answer.statement or "").strip():
                out.append(Field(f"{section}.{row_id}.statement", f"{label} {row_id} 的符合性说明"))
    if any(v is not None for v in d.compliance.values()):
        out.append(Field("compliance", "合规性信息（近三年的是/否回答）"))
    if d.evaluator.highlights:
        out.append(Field("evaluator.highlights", "第三方评价：受评价方主要亮点"))
    for name in YEARLY_SUBJECT_FIELDS:
        if getattr(d.subject, name) is not None:
            out.append(Field(f"subject.{name}", f"{Subject.model_fields[name].description}（逐年变化）"))
    return out


def _new_year_gaps(new: LoadedDossier, years: list[int]) -> list[Field]:
    """The new years' empty figures: what ``dossier validate`` lists, and the keys left
    empty in the carriers and indicator tables (which it does not, as they are there)."""
    d, scheme = new.dossier, new.scheme
    found = [Field(p, label) for p, label in empty_fields(d, scheme) if _under_years(p, years)]
    carriers = energy_carriers()
    requirements = {row.id: row.requirement for row in scheme.indicators}
    bonus = {row.id: row.requirement for row in scheme.bonus}
    for y in years:
        data = d.year(y)
        for key, value in data.energy.items():
            if value is None:
                row = carriers[key]
                found.append(Field(f"years.{y}.energy.{key}", f"{y} 年能源消费·{row['name']}（{row['unit']}）"))
        for key, value in data.green_index.items():
            if value is None:
                found.append(Field(f"years.{y}.green_index.{key}", f"{y} 年绿色指数 {key} {requirements.get(key, '')}"))
        for key, value in data.bonus_data.items():
            if value is None:
                found.append(Field(f"years.{y}.bonus_data.{key}", f"{y} 年加分项数据 {key} {bonus.get(key, '')[:40]}"))
    seen: set[str] = set()
    return [f for f in found if not (f.path in seen or seen.add(f.path))]


def _under_years(path: str, years: list[int]) -> bool:
    return any(path == f"years.{y}" or path.startswith(f"years.{y}.") for y in years)


def _analyse(new: LoadedDossier, old: Dossier, report: RolloverReport) -> None:
    d, scheme = new.dossier, new.scheme
    report.to_fill = _new_year_gaps(new, report.new_years or [d.last_year])
    if any(o.year == old.last_year for o in old.offsets) and not any(o.year == d.last_year for o in d.offsets):
        report.to_fill.append(Field("offsets", f"{d.last_year} 年碳抵消（上一年度档案有 {old.last_year} 年的抵消记录）"))
    listed = {f.path for f in report.to_fill}
    report.other_empty = [Field(p, label) for p, label in empty_fields(d, scheme)
                          if p not in listed and not _under_years(p, report.new_years)]
    on = d.submission_date or dt.date.today()
    scan = scan_evidence(new.evidence_dir, new.directory)
    report.stale = stale_files(d, scheme, scan)
    report.missing_years = missing_years(d, scheme, scan)
    report.expiring = expiries(d, scheme, scan, on)
    check = check_dossier(new, on)
    report.check_on = on
    report.check_counts = check.counts()
