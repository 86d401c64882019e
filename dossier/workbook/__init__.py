"""The data-entry workbook: ``dossier workbook export`` and ``dossier workbook import``.

The people who collect a dossier's figures work in Excel and WPS. :func:`export_workbook`
writes a workbook in Chinese with one sheet per part of the dossier the scheme uses
(:mod:`.layout`); :func:`import_workbook` reads it back into ``dossier.yaml`` — editing
the file in place so the user's comments and layout survive — and reports every change
and every cell it could not read, by sheet and cell address (:mod:`.importer`).
"""

from __future__ import annotations

from .export import ExportResult, export_workbook
from .importer import import_workbook
from .report import CellChange, WorkbookImportReport, Problem, render_report

__all__ = ["CellChange", "ExportResult", "WorkbookImportReport", "Problem", "export_workbook", "import_workbook", "render_report"]
