"""``extract(paths)``: files and folders → one :class:`ExtractedDocument` per file.

read (reading.py) → recognise (classify.py) → find fields (fields.py). A file that
cannot be read is returned with its errors, never raised: one bad scan must not stop
a folder of forty certificates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..errors import BadInputError, SystemComponentError
from ..safefile import inspect
from .classify import classify, squash
from .fields import Found, extract_fields
from .ocr import OcrEngine, get_engine
from .reading import SUFFIXES, Reading, read_document
from .doctypes import CompiledTemplate, load_templates

# What operating systems and editors leave beside documents (as in evidence_files.py).
_LITTER = re.compile(r"^(?:\..*|~\$.*|Thumbs\.db|desktop\.ini|.*\.tmp)$", re.IGNORECASE)


@dataclass
class ExtractedDocument:
    file: Path
    doc_type: str | None = None
    doc_name: str | None = None      # the template's Chinese name
    pages: int = 0
    ocr: bool = False
    fields: dict[str, Found] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    readable: bool = True
    component_missing: bool = False  # an OCR engine was needed and is not installed
    text: str = ""                   # the text read (not in the JSON; used by --apply)
    template: CompiledTemplate | None = None
    rows: list = field(default_factory=list)  # a list's numbered rows (lists.ListRow)

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` form: exactly file, doc_type, pages, ocr, fields, errors."""
        return {
            "file": str(self.file),
            "doc_type": self.doc_type,
            "pages": self.pages,
            "ocr": self.ocr,
            "fields": {name: found.to_dict() for name, found in self.fields.items()},
            "errors": list(self.errors),
            **({"rows": len(self.rows)} if self.rows else {}),
        }

    def label(self, name: str) -> str:
        if self.template is not None:
            spec = self.template.template.fields.get(name)
            if spec is not None:
                return spec.label
        return name


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """The files to read: named files as given, folders searched recursively for PDF,
    images and .docx (sorted; hidden files and editor litter skipped)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise BadInputError(f"找不到文件或目录：{path}")
        if path.is_dir():
            found = [
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES and not _LITTER.match(p.name)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
            files += sorted(found, key=lambda p: p.as_posix())
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def extract(
    paths: Iterable[Path],
    *,
    engine: str | None = None,
    templates: tuple[CompiledTemplate, ...] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[ExtractedDocument]:
    """Read every file under ``paths`` and extract its fields.

    ``engine`` names the OCR engine (default: the best installed); it is loaded only
    when a page needs OCR, so text PDFs and Word files work without one. A scan that
    needs a missing engine gets the install command in its errors and
    ``component_missing`` (the CLI then exits 3); the other files are still read.
    """
    templates = templates or load_templates()
    files = collect_files(paths)
    results = []
    for index, path in enumerate(files, start=1):
        def page_progress(message: str, _path: Path = path, _i: int = index) -> None:
            if progress:
                progress(f"[{_i}/{len(files)}] {_path.name} {message}".rstrip())

        page_progress("")
        results.append(extract_file(path, templates, lambda: _engine(engine), page_progress))
    return results


def _engine(name: str | None) -> OcrEngine:
    return get_engine(name)


def _field_pages(template: CompiledTemplate, pages: list) -> list:
    """The pages fields are read from: with ``recognise.pages: titled``, those that carry
    a title word (when any does)."""
    rec = template.template.recognise
    if rec.pages != "titled" or not rec.title:
        return pages
    titled = [p for p in pages if any(squash(t) in squash(p.text) for t in rec.title)]
    return titled or pages


def extract_file(path: Path, templates: tuple[CompiledTemplate, ...], ocr: Callable[[], OcrEngine],
                 progress: Callable[[str], None] | None = None) -> ExtractedDocument:
    checked = inspect(path)  # the one safe opener: bombs and runaway files stop here, reported
    if checked.problem and checked.limit:
        return ExtractedDocument(path, errors=[checked.problem], readable=False)
    try:
        reading: Reading = read_document(path, ocr, progress)
    except SystemComponentError as exc:
        # Reported against this file; the other files of the run are still read.
        return ExtractedDocument(path, errors=[str(exc)], readable=False, component_missing=True)
    doc = ExtractedDocument(path, pages=reading.page_count, ocr=reading.ocr, errors=list(reading.errors),
                            readable=not reading.fatal)
    if reading.fatal:
        return doc
    doc.text = reading.text
    if not doc.text.strip():
        doc.errors.append("没有读到文字（空白页，或图片中没有可识别的文字）")
        return doc
    template = classify(doc.text, templates)
    if template is None:
        doc.errors.append("无法识别文件类型（不是营业执照、管理体系证书、绿色工厂名单、温室气体核查报告、"
                          "产品碳足迹报告、能源审计报告或本工具生成的表格）")
        return doc
    doc.template, doc.doc_type, doc.doc_name = template, template.id, template.name
    notes: list[str] = []
    doc.fields = extract_fields(template, _field_pages(template, reading.pages), notes)
    doc.errors += notes
    if template.template.rows:
        _read_rows(doc, reading.pages)
    return doc


def _read_rows(doc: ExtractedDocument, pages: list) -> None:
    """A list's rows, and its level from what the page prints (lists.list_level)."""
    from .lists import list_level, parse_rows

    doc.rows = parse_rows(pages)
    if not doc.rows:
        doc.errors.append("未能读出名单表格的行（需要“序号”列和连续的行号）")
    if "level" not in doc.fields:
        title = doc.fields.get("title")
        level, confidence = list_level(title.value if title else None, doc.rows)
        if level:
            first = doc.rows[0] if doc.rows else None
            doc.fields["level"] = Found(level, title.page if title else (first.page if first else 1),
                                        title.text if title else "", confidence,
                                        "标题未写级别；名单各行的地区跨多个省份，按国家级名单处理" if confidence < 1 else None)
