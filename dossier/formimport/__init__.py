"""``dossier import``: read this tool's own rendered forms (.docx) back into a new dossier.

formread.py reads a .docx into tables and paragraphs; mapping.py loads the per-form maps
(dossier/data/import/<form-id>.yaml: which label or cell goes to which dossier.yaml field);
values.py converts a cell's text to the field's type; importer.py puts them together;
report.py writes the Chinese report.

    from dossier.formimport import import_forms, render_import
    print(render_import(import_forms([Path("自评价表.docx")], scheme_id, Path("园区"))))
"""

from .importer import FormImportReport, import_forms
from .report import render_import

__all__ = ["FormImportReport", "import_forms", "render_import"]
