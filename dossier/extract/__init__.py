"""Extraction: read prior certificates, reports and forms (text PDFs, scans, photos,
.docx) and pre-fill ``dossier.yaml`` from them.

    from dossier.extract import extract, apply_to_dossier
    docs = extract([Path("证书/")])                 # one ExtractedDocument per file
    report = apply_to_dossier(docs, Path("某某科技"))  # fills empty fields, lists conflicts

Pipeline: reading.py (PDFium text layer, laid out by pdfpage.py → OCR per page; .docx; images) →
classify.py (keywords of each template) → fields.py (patterns, normalisers,
provenance; codes.py finds credit codes by their check digit, dates come from the one
date reader ``dossier/dates.py``) → lists.py (a list's numbered rows, ``--find``) →
apply.py (merge into dossier.yaml). Document types are data:
``dossier/data/extract/<type>.yaml``, loaded and checked by doctypes.py. Measured on
real documents by ``benchmarks/extract_real.py``.
"""

from .doctypes import load_templates
from .pipeline import ExtractedDocument, collect_files, extract

__all__ = ["ExtractedDocument", "apply_to_dossier", "collect_files", "extract", "load_templates"]


def apply_to_dossier(*args, **kwargs):
    from .apply import apply_to_dossier as _apply

    return _apply(*args, **kwargs)
