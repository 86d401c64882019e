"""Fast YAML reading for everything that does not edit the file: ``read_yaml``.

``dossier.yaml`` and the scheme files are read far more often than they are edited (a
dashboard reads every dossier; ``summary`` reads 150). ruamel's round-trip parser, which
keeps comments for writing back (:mod:`dossier.yamlio`), is pure Python and costs
~0.15 s per dossier. Here:

- ``yaml_rs`` (a Rust YAML 1.2 parser, ~2.5 ms for a 2000-line dossier) reads the data of
  every file it reads exactly as libyaml does (:mod:`dossier.yamlfast` screens out the
  constructs where it differs: anchors, tags, an empty block scalar, odd numbers...);
- libyaml (:mod:`dossier.yamlmarked`, ~10 ms) reads the rest, and any file as soon as a
  message needs the line and column of a key (:meth:`ReadYaml.locate`).

Both read a file the way the round-trip parser does — YAML 1.2 — so a dossier means the
same whichever reader read it: ``yes``/``no``/``on``/``off`` stay text, ``1:20`` stays
text, ``0755`` is 755 and ``0o755`` is octal, ``1e3`` is a number, a date is a date, a key
given twice is an error. tests/test_yamlread.py compares the three readers over every
shipped file, and yaml_rs with libyaml over thousands of generated and mutated documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DossierInvalidError
from .gcpause import collector_paused
from .yamlcheck import nul_problem, read_yaml_source
from .yamlfast import fast_parsable

try:
    import yaml_rs as _fast
except ImportError:  # pragma: no cover - a platform without its wheel: libyaml only
    _fast = None


# --- reading ----------------------------------------------------------------------------

@dataclass
class ReadYaml:
    """The data of a YAML file, with the position of every key and item (found again
    from ``text`` the first time one is asked for, when the fast parser read it)."""

    data: Any
    path: Path
    text: str | None = None  # set when ``data`` carries no positions

    @property
    def marked(self) -> bool:
        return self.text is None

    def with_marks(self) -> ReadYaml:
        """The same file read by libyaml, every position kept (raises what libyaml finds
        wrong with it: the reference reader has the last word on a file's syntax)."""
        if self.text is None:
            return self
        return _read_marked(self.text, self.path)

    def locate(self, loc: Sequence[Any]) -> tuple[int | None, int | None]:
        """1-based (line, column) of the deepest node of ``loc`` that exists in the file."""
        if self.text is not None:
            try:
                marked = self.with_marks()
            except DossierInvalidError:
                return None, None
            self.data, self.text = marked.data, None
        node = self.data
        where = None
        for key in loc:  # libyaml's MarkedMap and MarkedSeq (dossier/yamlmarked.py)
            marks = getattr(node, "marks", None)
            if isinstance(node, dict) and marks is not None and key in node:
                where = marks.get(key, node.mark)
                node = node[key]
            elif isinstance(node, list) and marks is not None and isinstance(key, int) and 0 <= key < len(node):
                where = marks[key]
                node = node[key]
            else:
                # The key is missing (e.g. a required field): point at its parent mapping.
                if where is None and marks is not None:
                    where = node.mark
                break
        if where is None:
            return None, None
        return where[0] + 1, where[1] + 1


# --- the fast parser, where it reads as the reference readers do --------------------------

def _read_fast(text: str, path: Path) -> ReadYaml | None:
    if _fast is None or not fast_parsable(text):
        return None
    try:
        with collector_paused():
            data = _fast.loads(text)
    except Exception:  # noqa: BLE001 - anything it refuses, libyaml reads and words the error
        return None
    return ReadYaml(data=data, path=path, text=text)


def read_yaml_text(text: str, path: Path) -> ReadYaml:
    nul = nul_problem(text)
    if nul:
        raise DossierInvalidError(str(path), [nul])
    return _read_fast(text, path) or _read_marked(text, path)


def _read_marked(text: str, path: Path) -> ReadYaml:
    """libyaml's reading, positions kept (PyYAML is imported only when a file needs it)."""
    from .yamlmarked import read_marked

    return ReadYaml(data=read_marked(text, path), path=path)


def read_yaml(path: Path) -> ReadYaml:
    """Read a YAML file for anything but editing it; a syntax error becomes
    :class:`DossierInvalidError` with its line."""
    path = Path(path)
    text = read_yaml_source(path)
    return read_yaml_text(text, path)
