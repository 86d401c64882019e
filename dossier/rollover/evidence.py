"""Evidence across a new reporting year: carried into the new folder, then judged against
the new window and the new submission date.

Carrying: files are **copied** (``shutil.copy2``, times kept), or hard-linked with
``link=True``. Never moved, and nothing under the old ``evidence/`` is written. Copy is
the default because a hard link shares the file's content: a user who overwrites
``2025年度…报告.pdf`` in the new folder in place (``cp``, some editors) would silently
change last year's submitted dossier too. Links save the space of large scans; where the
file system refuses a link (another disk), that file is copied.

Judging by the years in a file's name ("2023年度温室气体排放核查声明.pdf", "（2023—2025年）";
not a standard's year, "GBT 7119-2018"). A first page names too many years to judge a
file stale by (a licence its founding year, a regulation its issue date); an item with a
year rule is still judged as ``dossier check`` judges it, names first, then first pages
(:func:`dossier.evidence_files.file_years`), for the window years it lacks.

* out of the window: every year a file names is before the new window (a 2023 GHG
  report once the window is 2024–2026);
* no longer covers the window: a period that started before the window and does not
  reach its last year (``光伏发电量统计表（2023—2025年）`` for 2024–2026);
* an item with a year rule (``years: 3``) that lacks a window year (the new year's);
* validity: certificates in ``subject.certifications`` and files with a printed
  validity (items with ``validity: true``) that end before, or within 90 days after,
  the new submission date.

Names of lasting documents (a 2023 notice listing the green factories, an approval)
also carry a year; when their item has no year rule they are listed apart, "to confirm",
rather than as out of the window.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..evidence_check import CERT_NAMES, EXPIRY_WARNING_DAYS, match_file
from ..evidence_files import EvidenceFile, Scan, file_years, read_document, valid_until_in, years_named
from ..loader import EVIDENCE_DIR
from ..model import Dossier
from ..schemes import Scheme

# Words naming a lasting document, valid beyond the year in its name: "省工信厅关于公布
# 2023年度江苏省绿色工厂名单的通知.pdf", "…的批复.pdf", "…证书.pdf".
LASTING = re.compile(r"通知|名单|批复|决定|公告|公示|称号|证书|许可证|发文|意见")


@dataclass
class Carried:
    files: int = 0
    linked: int = 0
    copied: int = 0
    mode: str = "copy"  # copy | link

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "files": self.files, "linked": self.linked, "copied": self.copied}


def carry_evidence(source: Path, target: Path, *, link: bool = False) -> Carried:
    """Copy (or hard-link) ``source`` (an evidence folder) to ``target``; symbolic links are
    copied as links. ``source`` is only read."""
    result = Carried(mode="link" if link else "copy")
    if not source.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        return result

    def put(src: str, dst: str) -> str:
        result.files += 1
        if link:
            try:
                os.link(src, dst, follow_symlinks=False)
                result.linked += 1
                return dst
            except OSError:
                pass  # another file system, or links not allowed: copy this one
        shutil.copy2(src, dst, follow_symlinks=False)
        result.copied += 1
        return dst

    shutil.copytree(source, target, symlinks=True, copy_function=put)
    return result


# --- the new window ---------------------------------------------------------------------------


@dataclass
class StaleFile:
    file: str                  # evidence/…, relative to the dossier folder
    years: list[int]           # the years the file covers (from its name or first page)
    kind: str                  # out (all before the window) | partial (does not reach it) | lasting (to confirm)
    items: list[str]           # "5 温室气体…" the evidence items the file serves
    cited_by: list[str] = field(default_factory=list)  # dossier.yaml fields naming it

    @property
    def years_text(self) -> str:
        return _span(self.years)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "years": self.years, "kind": self.kind, "items": self.items,
                "cited_by": self.cited_by}


@dataclass
class MissingYears:
    no: int
    title: str
    missing: list[int]
    wanted: list[int]

    def to_dict(self) -> dict[str, Any]:
        return {"no": self.no, "title": self.title, "missing": self.missing, "wanted": self.wanted}


@dataclass
class Expiry:
    what: str                  # 职业健康安全管理体系证书（编号 …） or the file
    valid_until: dt.date
    days: int                  # from the submission date (negative: already expired then)
    where: str                 # subject.certifications.2 or the evidence file

    @property
    def status(self) -> str:
        return "expired" if self.days < 0 else "expiring"

    def to_dict(self) -> dict[str, Any]:
        return {"what": self.what, "valid_until": self.valid_until.isoformat(), "days": self.days,
                "status": self.status, "where": self.where}


def _span(years: list[int]) -> str:
    if not years:
        return ""
    ys = sorted(set(years))
    if len(ys) > 1 and ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}–{ys[-1]}"
    return "、".join(map(str, ys))


def _as_rel(ref: str) -> str:
    ref = posixpath.normpath(ref.replace("\\", "/"))
    return ref if ref.startswith(EVIDENCE_DIR + "/") else f"{EVIDENCE_DIR}/{ref}"


def citations(dossier: Dossier) -> dict[str, list[str]]:
    """Every evidence path dossier.yaml names → the fields naming it."""
    out: dict[str, list[str]] = {}

    def add(ref: str | None, where: str) -> None:
        if ref:
            out.setdefault(_as_rel(ref), []).append(where)

    for section in ("basic_conditions", "indicators", "bonus"):
        for row_id, answer in getattr(dossier, section).items():
            for ref in answer.evidence:
                add(ref, f"{section}.{row_id}.evidence")
    for year, data in dossier.years.items():
        for row_id, refs in data.evidence.items():
            for ref in refs:
                add(ref, f"years.{year}.evidence.{row_id}")
    for index, offset in enumerate(dossier.offsets):
        for ref in offset.evidence:
            add(ref, f"offsets.{index}.evidence")
    for index, project in enumerate(dossier.projects):
        for ref in project.evidence:
            add(ref, f"projects.{index}.evidence")
    for kind in ("certifications", "honours"):
        for index, entry in enumerate(getattr(dossier.subject, kind)):
            add(entry.file, f"subject.{kind}.{index}.file")
    return out


def stale_files(dossier: Dossier, scheme: Scheme, scan: Scan) -> list[StaleFile]:
    """The files whose period the new window has left behind (see the module text)."""
    window = dossier.window
    cited = citations(dossier)
    out: list[StaleFile] = []
    for file in scan.files:
        if file.problem:
            continue
        items = match_file(file, scheme.evidence_list)
        yearly = any(i.years for i in items)
        years = sorted(years_in_name(file, window))
        if not years or years[0] >= window[0]:
            continue  # undated, or only years of the window (and later: plans)
        if years[-1] < window[0]:
            kind = "lasting" if not yearly and LASTING.search(file.name) else "out"
        elif window[-1] not in years and years == list(range(years[0], years[-1] + 1)):
            kind = "partial"  # a period (2023—2025) that stops short of the window's end
        else:
            continue  # a period reaching back before the window but covering it all
        out.append(StaleFile(file.rel, years, kind, [f"{i.no} {i.title}" for i in items], cited.get(file.rel, [])))
    return out


# A year standing alone in a name, not the year of a standard: "2024温室气体…" matches,
# "GBT 7119-2018" and "ISO 14064-1:2018" do not (digits and - or : before it).
_NAMED_YEAR = re.compile(r"(?<!\d)(?<!\d[-:])((?:19|20)\d{2})(?!\d)")


def years_in_name(file: EvidenceFile, window: list[int]) -> set[int]:
    """The years in a file's name: "2023年度温室气体排放核查声明.pdf" → {2023}; a range
    "（2023—2025年）" → {2023, 2024, 2025}."""
    stem = unicodedata.normalize("NFKC", Path(file.name).stem)
    return years_named(stem, window) | {int(y) for y in _NAMED_YEAR.findall(stem)}


def missing_years(dossier: Dossier, scheme: Scheme, scan: Scan) -> list[MissingYears]:
    """Items with a year rule (近三年 / 上年度) that lack a year of the new window."""
    window = dossier.window
    by_item: dict[int, set[int]] = {i.no: set() for i in scheme.evidence_list}
    for file in scan.files:
        if file.problem:
            continue
        for item in match_file(file, scheme.evidence_list):
            by_item[item.no] |= file_years(file, window)
    out = []
    for item in scheme.evidence_list:
        if not item.years:
            continue
        wanted = window[-item.years:]
        missing = [y for y in wanted if y not in by_item[item.no]]
        if missing:
            out.append(MissingYears(item.no, item.title, missing, wanted))
    return out


def expiries(dossier: Dossier, scheme: Scheme, scan: Scan, on: dt.date) -> list[Expiry]:
    """Certificates and dated permits that end before ``on`` or within 90 days after it."""
    found: list[Expiry] = []
    covered: set[str] = set()
    for index, cert in enumerate(dossier.subject.certifications):
        if cert.file:
            covered.add(_as_rel(cert.file))
        if cert.valid_until is None:
            continue
        label = f"{CERT_NAMES[cert.kind]}证书" + (f"（编号 {cert.number}）" if cert.number else "")
        found.append(Expiry(label, cert.valid_until, (cert.valid_until - on).days, f"subject.certifications.{index}"))
    for file in scan.files:
        if file.problem or file.rel in covered:
            continue
        if not any(i.validity for i in match_file(file, scheme.evidence_list)):
            continue
        until = valid_until_in(read_document(file).text)
        if until is not None:
            found.append(Expiry(file.rel, until, (until - on).days, file.rel))
    return sorted((e for e in found if e.days <= EXPIRY_WARNING_DAYS), key=lambda e: e.valid_until)
