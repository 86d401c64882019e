"""The 工作台 rows: one per dossier, cached by the modification times of its files.

A row is recomputed only when something in the dossier folder changed (dossier.yaml,
a file or folder under evidence/, the last package), so the dashboard of 150 dossiers
answers from memory once warm; :meth:`StatusCache.warm` fills it in a background thread
at start-up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable

from ..evidence_check import EXPIRY_WARNING_DAYS, check_dossier
from ..errors import DossierError
from ..fileio import atomic_write_text
from ..loader import DOSSIER_FILE, OWN_SCHEMES, load_dossier
from .workspace import Workspace

MANIFEST = Path("output") / "package" / "manifest.json"
MANIFEST_REL = os.fspath(MANIFEST)
DISK_CACHE = Path("output") / ".web-status.json"  # the row as last computed, for a restarted server


@dataclass
class Row:
    name: str                      # the folder
    enterprise: str = ""
    scheme: str = ""
    scheme_name: str = ""
    year: int | None = None
    counts: dict[str, int] = field(default_factory=dict)  # missing / expired / to_confirm / …
    complete: bool = False
    score: float | None = None
    score_max: float | None = None
    eligible: bool | None = None
    expiring: list[str] = field(default_factory=list)  # "ISO 14001 至 2027-01-10"
    days_to_submission: int | None = None
    last_package: str | None = None
    error: str | None = None
    updating: bool = False  # shown from the cache while the files' new state is computed

    @property
    def evidence_text(self) -> str:
        if self.error:
            return "档案有误"
        parts = [f"{label} {self.counts[key]}" for key, label in
                 (("missing", "缺失"), ("expired", "过期"), ("incomplete", "不完整"), ("to_confirm", "待确认"))
                 if self.counts.get(key)]
        return "齐全" if not parts else " / ".join(parts)

    @property
    def status(self) -> str:
        """ok | blocking | confirm | error: for the filter and the colour."""
        if self.error:
            return "error"
        if not self.complete:
            return "blocking"
        return "confirm" if self.counts.get("to_confirm") or self.counts.get("expiring") else "ok"


def fingerprint(directory: Path) -> frozenset:
    """Modification times of everything a row depends on (relative names, sizes, mtimes):
    dossier.yaml, the last package's manifest, every file and folder under evidence/ and
    checklists/. Paths are relative, so a copied folder (mtimes kept) keeps its marks."""
    base = os.fspath(directory)
    skip = len(base) + 1
    marks: list[tuple] = []
    for rel in (DOSSIER_FILE, MANIFEST_REL):
        try:
            st = os.stat(os.path.join(base, rel))
            marks.append((rel, st.st_mtime_ns, st.st_size))
        except OSError:
            marks.append((rel, None, None))
    stack = [os.path.join(base, "evidence"), os.path.join(base, OWN_SCHEMES)]
    while stack:
        top = stack.pop()
        try:
            with os.scandir(top) as it:
                for entry in it:
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    marks.append((entry.path[skip:], st.st_mtime_ns, st.st_size))
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
        except OSError:
            continue
    return frozenset(marks)


def compute_row(directory: Path, today: dt.date) -> Row:
    from ..scoring import score_dossier

    row = Row(directory.name)
    try:
        loaded = load_dossier(directory)
    except DossierError as exc:
        row.error = str(exc).splitlines()[0]
        return row
    d, scheme = loaded.dossier, loaded.scheme
    row.enterprise = d.subject.name or "（未填写企业名称）"
    row.scheme, row.scheme_name, row.year = scheme.id, scheme.name, d.reporting_year
    try:
        report = check_dossier(loaded, d.submission_date or today)
        row.counts, row.complete = report.counts(), report.complete
    except DossierError as exc:
        row.error = str(exc).splitlines()[0]
    try:
        score = score_dossier(loaded)
        row.score, row.score_max, row.eligible = score.total, score.max, score.eligible
    except DossierError:
        pass
    horizon = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    for cert in d.subject.certifications:
        if cert.valid_until and today <= cert.valid_until <= horizon:
            row.expiring.append(f"{cert.standard or cert.kind} 至 {cert.valid_until.isoformat()}")
    if d.submission_date:
        row.days_to_submission = (d.submission_date - today).days
    manifest = directory / MANIFEST
    if manifest.is_file():
        try:
            built = json.loads(manifest.read_text(encoding="utf-8")).get("built_at")
        except (OSError, ValueError):
            built = None
        row.last_package = built.replace("T", " ")[:16] if built else dt.datetime.fromtimestamp(manifest.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    return row


def _mark_text(mark: frozenset) -> str:
    return hashlib.sha256(repr(sorted(mark, key=repr)).encode("utf-8")).hexdigest()


def _read_disk(directory: Path, mark: frozenset, today: dt.date) -> Row | None:
    try:
        data = json.loads((directory / DISK_CACHE).read_text(encoding="utf-8"))
        if data.get("mark") != _mark_text(mark) or data.get("today") != today.isoformat():
            return None
        return replace(Row(**data["row"]), name=directory.name, updating=False)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _write_disk(directory: Path, mark: frozenset, today: dt.date, row: Row) -> None:
    try:
        atomic_write_text(directory / DISK_CACHE, json.dumps(
            {"mark": _mark_text(mark), "today": today.isoformat(), "row": asdict(row)}, ensure_ascii=False))
    except OSError:
        pass  # a read-only dossier: the memory cache still works


class StatusCache:
    def __init__(self, workspace: Workspace, today: Callable[[], dt.date]):
        self.workspace, self.today = workspace, today
        self._rows: dict[str, tuple[frozenset, dt.date, Row]] = {}
        self._lock = threading.Lock()
        self._stale: set[str] = set()
        self._worker: threading.Thread | None = None

    def row(self, name: str, background: bool = False) -> Row:
        """The row of dossier ``name``: from the cache while its files are unchanged; else
        computed now, or (``background``) the cached row marked as updating while a
        background thread computes the new one."""
        directory = self.workspace.root / name
        mark, today = fingerprint(directory), self.today()
        with self._lock:
            cached = self._rows.get(name)
        if cached and cached[0] == mark and cached[1] == today:
            return cached[2]
        if cached and background:
            self._refresh_later(name)
            return replace(cached[2], updating=True)
        row = _read_disk(directory, mark, today)
        if row is None:
            row = compute_row(directory, today)
            _write_disk(directory, mark, today, row)
        with self._lock:
            self._rows[name] = (mark, today, row)
        return row

    def rows(self, background: bool = False) -> list[Row]:
        names = self.workspace.names()
        with self._lock:
            for gone in set(self._rows) - set(names):
                del self._rows[gone]
        return [self.row(n, background) for n in names]

    def _refresh_later(self, name: str) -> None:
        with self._lock:
            self._stale.add(name)
            if self._worker is not None and self._worker.is_alive():
                return
            self._worker = threading.Thread(target=self._refresh, name="dossier-status", daemon=True)
            self._worker.start()

    def _refresh(self) -> None:
        while True:
            with self._lock:
                if not self._stale:
                    self._worker = None
                    return
                name = self._stale.pop()
            self.row(name)

    def wait(self, timeout: float = 60) -> None:
        """Until the background refresh has finished (tests, the benchmark)."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)

    def warm(self) -> threading.Thread:
        thread = threading.Thread(target=self.rows, name="dossier-status-warm", daemon=True)
        thread.start()
        return thread
