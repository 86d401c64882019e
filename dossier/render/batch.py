"""The forms of many dossiers, with their PDFs: a worker per core, each filling its share
of the dossiers and converting all their forms in one warm LibreOffice.

    >>> from dossier.render.batch import render_many
    >>> rendered = render_many(["clients/a", "clients/b"], out_root=Path("forms"), pdf=True)  # doctest: +SKIP

Calling ``soffice --convert-to pdf`` once per file pays LibreOffice's start for every file;
here it is paid once per worker, and LibreOffice starts while the forms are filled.
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from pathlib import Path
from typing import Iterable

from .forms import RenderedForm, render_forms, to_pdf


def _render_share(dirs: list[Path], out_root: Path, pdf: bool, templates: Path | None,
                  check: bool = True) -> list[list[RenderedForm]]:
    from ..loader import load_dossier
    from .office import warm_office

    with warm_office() if pdf else nullcontext():
        results = [render_forms(load_dossier(d), out_dir=Path(out_root) / d.name, templates=templates) for d in dirs]
        if pdf:
            to_pdf([r for forms in results for r in forms], check=check)
    return results


def render_many(directories: Iterable[Path | str], *, out_root: Path, pdf: bool = False,
                templates: Path | None = None, workers: int | None = None,
                check: bool = True) -> list[list[RenderedForm]]:
    """Render every single-dossier form of each dossier into ``out_root/<folder name>``;
    one list of forms per dossier, in the order given. Raises on an invalid dossier.
    ``check=False``: PDFs without the layout checks (and the conversions they repeat)."""
    dirs = [Path(d) for d in directories]
    count = max(1, min(len(dirs), workers or os.cpu_count() or 1))
    if count == 1 or not pdf:
        return _render_share(dirs, out_root, pdf, templates, check)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    shares = [dirs[i::count] for i in range(count)]  # dossier i goes to worker i % count
    with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn")) as pool:
        done = list(pool.map(_render_share, shares, [out_root] * count, [pdf] * count, [templates] * count,
                             [check] * count))
    results: list[list[RenderedForm]] = [[] for _ in dirs]
    for w, share in enumerate(done):
        for k, forms in enumerate(share):
            results[w + k * count] = forms
    return results
