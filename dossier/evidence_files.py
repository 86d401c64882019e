"""The files under a dossier's ``evidence/``: found, classified and read (first page only).

Users arrange evidence any way they like: the folders ``dossier init`` made, folders of
their own, deep nesting, Chinese and full-width names, copies with the same name in two
folders, symbolic links (sometimes one pointing at its own parent). Scanning must list
every real document once, skip the operating system's litter, and never hang or crash;
a file that cannot be used (empty, corrupt, password-protected, a dangling link) is
returned with a ``problem`` for the checklist to report against its item.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .paths import OUTSIDE_LINK, inside
from .textfold import fold_name

# Suffix → format name used by the scheme data (``formats: [pdf, image]``).
FORMATS: dict[str, str] = {
    ".pdf": "pdf",
    ".jpg": "image", ".jpeg": "image", ".png": "image", ".tif": "image", ".tiff": "image",
    ".bmp": "image", ".gif": "image", ".webp": "image",
    ".docx": "docx", ".doc": "docx", ".wps": "docx",
    ".xlsx": "xlsx", ".xls": "xlsx", ".et": "xlsx", ".csv": "xlsx",
    ".ofd": "ofd",  # China's e-document format (电子发票, 电子证照)
}
FORMAT_NAMES = {"pdf": "PDF", "image": "图片", "docx": "Word", "xlsx": "Excel", "ofd": "OFD", "other": "其他"}

# Litter that editors and operating systems leave beside documents: never evidence.
_LITTER = re.compile(r"^(?:\..*|~\$.*|Thumbs\.db|desktop\.ini|.*\.tmp|.*\.crdownload)$", re.IGNORECASE)



@dataclass(frozen=True)
class EvidenceFile:
    path: Path           # where it was found (not resolved: links keep their own name)
    rel: str             # "evidence/04 绿色工厂发文/发文.pdf": POSIX, relative to the dossier folder
    parts: tuple[str, ...]  # the path below evidence/, folders then the file name
    size: int
    kind: str            # a value of FORMATS, or "other"
    problem: str | None = None  # why it cannot serve as evidence (empty, dangling link)

    @property
    def name(self) -> str:
        return self.parts[-1]

    @property
    def folders(self) -> tuple[str, ...]:
        return self.parts[:-1]


@dataclass
class Scan:
    files: list[EvidenceFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def scan_evidence(evidence_dir: Path, base: Path) -> Scan:
    """Every file under ``evidence_dir`` (any depth), relative paths from ``base``.

    Real folders are walked first; symbolic links to folders afterwards, each only if
    its real path was not visited yet. So a link to an ancestor (a loop) or a second
    way into a folder already listed is skipped with a warning and cannot hang the
    scan, and a file is listed under its real folder rather than under a link to it.
    Hidden files and editor litter are skipped.
    """
    scan = Scan()
    if not evidence_dir.is_dir():
        scan.warnings.append(f"没有找到材料文件夹 {_rel(evidence_dir, base)}/（用 dossier init 创建，或新建后放入材料）")
        return scan
    visited: set[str] = set()
    links: list[Path] = []
    _walk(evidence_dir, evidence_dir, base, visited, links, scan)
    evidence_real = os.path.realpath(evidence_dir)
    while links:
        link = links.pop(0)
        real = os.path.realpath(link)
        if not inside(Path(real), base):
            scan.warnings.append(f"已跳过文件夹链接 {_rel(link, base)}：{OUTSIDE_LINK}")
        elif real in visited or _is_ancestor(real, evidence_real):
            scan.warnings.append(f"已跳过指向已列出文件夹（或其上级，会形成循环）的链接：{_rel(link, base)}")
        elif os.path.isdir(real):
            _walk(link, evidence_dir, base, visited, links, scan)
        else:
            scan.warnings.append(f"文件夹链接指向不存在的位置：{_rel(link, base)}")
    scan.files.sort(key=lambda f: f.rel)
    return scan


def _walk(top: Path, evidence_dir: Path, base: Path, visited: set[str], links: list[Path], scan: Scan) -> None:
    # followlinks=False: os.walk never descends into a linked folder; links are queued
    # for scan_evidence, which checks their real path first.
    def unreadable(error: OSError) -> None:
        scan.warnings.append(f"无法读取文件夹 {_rel(Path(error.filename or top), base)}：{error.strerror}")

    for root, dirs, files in os.walk(top, followlinks=False, onerror=unreadable):
        real_root = os.path.realpath(root)
        if real_root in visited:
            dirs[:] = []
            continue
        visited.add(real_root)
        kept = []
        for name in sorted(dirs):
            if _LITTER.match(name):
                continue
            if os.path.islink(os.path.join(root, name)):
                links.append(Path(root) / name)
            else:
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            if not _LITTER.match(name):
                scan.files.append(_describe(Path(root) / name, evidence_dir, base))


def _is_ancestor(real: str, of: str) -> bool:
    return of == real or of.startswith(real.rstrip(os.sep) + os.sep)


def _rel(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def _describe(path: Path, evidence_dir: Path, base: Path) -> EvidenceFile:
    parts = path.relative_to(evidence_dir).parts
    kind = FORMATS.get(path.suffix.lower(), "other")
    problem = None
    size = 0
    if path.is_symlink() and not inside(path, base):
        return EvidenceFile(path=path, rel=_rel(path, base), parts=parts, size=0, kind=kind, problem=OUTSIDE_LINK)
    try:
        size = path.stat().st_size  # follows a file link to its target
    except OSError as exc:
        problem = "链接指向的文件不存在（链接已失效）" if path.is_symlink() else f"无法读取文件：{exc.strerror}"
    else:
        if size == 0:
            problem = "空文件（0 字节），请重新导出或扫描"
    return EvidenceFile(path=path, rel=_rel(path, base), parts=parts, size=size, kind=kind, problem=problem)


# --- reading documents -------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    text: str = ""              # text of the first page ("" for scans and images)
    problem: str | None = None  # corrupt, encrypted, not what its suffix says


def read_document(file: EvidenceFile) -> Document:
    """The first page's text (PDF, Word), or why the file cannot be opened.

    Only the first page: it carries the title, the holder, the year and the validity,
    and reading one page of a 300-page scanned report stays fast.
    """
    if file.problem:
        return Document(problem=file.problem)
    try:
        stat = file.path.stat()
    except OSError:
        return Document(problem="无法读取文件")
    return _read_cached(str(file.path), file.kind, stat.st_size, stat.st_mtime_ns)


def _read_cached(path: str, kind: str, size: int, mtime_ns: int) -> Document:
    # The one safe opener (a limited child process per file) for every format it knows:
    # what build cannot use is never counted here.
    from .safefile import inspect, kind_of

    suffix_kind = kind_of(Path(path))
    if kind in ("pdf", "image") or suffix_kind in ("docx", "xlsx", "ole"):
        found = inspect(Path(path), suffix_kind if suffix_kind != "other" else kind)
        return Document(text=found.text, problem=found.problem)
    return Document()


# --- what a file says: years, validity, language ------------------------------------------

_YEAR = r"((?:19|20)\d{2})"
# "2023-2025年", "2023年至2025年", "2023年1月1日至2025年12月31日", "2023～2025"
_YEAR_RANGE = re.compile(_YEAR + r"年?(?:\d{1,2}月(?:\d{1,2}日)?)?(?:-|—|–|~|～|至|到)+" + _YEAR + r"(?!\d)")
_YEAR_IN_NAME = re.compile(r"(?<!\d)" + _YEAR + r"(?!\d)")     # "2024温室气体核查报告"
_YEAR_IN_TEXT = re.compile(r"(?<!\d)" + _YEAR + r"年")         # "2024年度" (text has many bare numbers)
_WHOLE_WINDOW = re.compile(r"近三年|近3年|近三个年度")


def years_named(text: str, window: list[int]) -> set[int]:
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    years: set[int] = set()
    if _WHOLE_WINDOW.search(text):
        years.update(window)
    for a, b in _YEAR_RANGE.findall(text):
        if 0 <= int(b) - int(a) <= 10:
            years.update(range(int(a), int(b) + 1))
    return years


def file_years(file: EvidenceFile, window: list[int]) -> set[int]:
    """Years a file covers: from its name, else (no year in the name) its first page.

    The name wins because a 2024 report's first page also cites 2023 for comparison.
    """
    stem = unicodedata.normalize("NFKC", Path(file.name).stem)
    years = years_named(stem, window) | {int(y) for y in _YEAR_IN_NAME.findall(stem)}
    if years:
        return years
    text = re.sub(r"\s+", "", read_document(file).text)
    return years_named(text, window) | {int(y) for y in _YEAR_IN_TEXT.findall(text)}


def valid_until_in(text: str) -> dt.date | None:
    """The earliest "valid until" date printed in ``text``, if any: read by the one date
    reader (dossier/dates.py) that extraction uses too, so check and extract agree."""
    from .dates import valid_until

    found = valid_until(text)
    return found.date if found else None


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
# Words in scanner and camera file names that say nothing about the language.
_NEUTRAL_WORDS = {"scan", "image", "photo", "page", "copy", "final", "draft", "file", "document", "print"}
TRANSLATION_MARK = re.compile(r"翻译|译文|译本|中文")


def is_foreign(file: EvidenceFile) -> bool:
    """Is this a document in a foreign language (Jiangsu: 涉及外文的，须同步提供中文翻译件)?

    By its text layer when it has one: mostly Latin letters and (almost) no Chinese; a
    bilingual certificate counts as Chinese. A scan has no text: then an English file
    name with no Chinese in it ("ISO 14001 Certificate.pdf"). Photos are not documents.
    """
    if file.kind not in ("pdf", "docx"):
        return False
    text = read_document(file).text
    latin, cjk = len(_LATIN.findall(text)), len(_CJK.findall(text))
    if latin + cjk >= 20:
        return latin >= 40 and cjk * 20 < latin
    stem = unicodedata.normalize("NFKC", Path(file.name).stem)
    if _CJK.search(stem):
        return False
    words = [w.lower() for w in re.findall(r"[A-Za-z]{4,}", stem)]
    return any(w not in _NEUTRAL_WORDS for w in words)


def has_translation(file: EvidenceFile, siblings: list[EvidenceFile]) -> bool:
    """A file beside it named 翻译/译文/中文 that shares its name, or is the only other file."""
    others = [f for f in siblings if f.rel != file.rel]
    marked = [f for f in others if TRANSLATION_MARK.search(f.name) and not f.problem]
    stem = fold_name(Path(file.name).stem)
    return any(stem in fold_name(f.name) for f in marked) or (len(others) == 1 and bool(marked))
