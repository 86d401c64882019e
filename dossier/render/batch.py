"""The forms of many dossiers, with their PDFs, in one LibreOffice batch.

    >>> from dossier.render.batch import render_many
    >>> rendered = render_many(["clients/a", "clients/b"], out_root=Path("forms"), pdf=True)  # doctest: +SKIP

Every dossier's forms are filled first (LibreOffice starting meanwhile), then all are
converted by one LibreOffice: calling ``soffice --convert-to pdf`` once per file pays
LibreOffice's start for every file.
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Callable, Iterable

from .forms import RenderedForm, render_forms, to_pdf


def render_many(directories: Iterable[Path | str], *, out_root: Path, pdf: bool = False,
                templates: Path | None = None,
                progress: Callable[[str], None] | None = None) -> list[list[RenderedForm]]:
    """Render every single-dossier form of each dossier into ``out_root/<folder name>``;
    one list of forms per dossier, in order. Raises on the first invalid dossier."""
    from ..loader import load_dossier
    from .office import warm_office

    dirs = [Path(d) for d in directories]
    with warm_office() if pdf else nullcontext():
        results = [render_forms(load_dossier(d), out_dir=Path(out_root) / d.name, templates=templates,
                                progress=progress) for d in dirs]
        if pdf:
            to_pdf([r for forms in results for r in forms], progress=progress)
    return results

