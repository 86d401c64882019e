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
from .classify import classify
from .fields import Found, extract_fields
from .ocr import OcrEngine, get_engine
from .reading import SUFFIXES, Reading, read_document
from .templates import CompiledTemplate, load_templates

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

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` form: exactly file, doc_type, pages, ocr, fields, errors."""
        return {
            "file": str(self.file),
            "doc_type": self.doc_type,
            "pages": self.pages,
            "ocr": self.ocr,
            "fields": {name: found.to_dict() for name, found in self.fields.items()},
            "errors": list(self.errors),
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
    doc.fields = extract_fields(template, reading.pages)
    return doc
