"""How a rendered form maps back to dossier fields: one YAML file per form under
``dossier/data/import/<form-id>.yaml``, data rather than code (the format is described
in that folder's README.md). Loaded and checked here: unknown keys and value types fail
with the file and the key, as scheme files do.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from ..errors import SchemeDataError
from ..resources import data_file
from ..yamlread import read_yaml
from .values import TYPES

MAPPING_DIR = data_file("import")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Target(_Strict):
    """Where a value goes: ``path`` (placeholders {year} {last} {id} {key}), its ``type``
    (:data:`dossier.formimport.values.TYPES`), and how to compare it in a round trip."""

    path: str | None = None
    type: str = "text"
    scale: float | None = None          # 亿元 → 万元: 10000
    values: dict[str, Any] = {}         # ticked option / text → stored value
    pattern: str | None = None          # a regex with named groups, each a key of ``paths``
    paths: dict[str, str] = {}
    types: dict[str, str] = {}
    each: bool = False                  # the pattern repeats ({year} from its group "year")
    figure: str | None = None           # the form prints a computed figure (Figures name, or "score")

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in TYPES:
            hint = difflib.get_close_matches(value, TYPES, n=1)
            raise ValueError(f"未知的值类型 {value!r}" + (f"（是否应为 {hint[0]}？）" if hint else "")
                             + f"；可用：{', '.join(TYPES)}")
        return value

    @model_validator(mode="after")
    def _path_or_pattern(self) -> "Target":
        if not self.path and not (self.pattern and self.paths):
            raise ValueError("需要 path，或 pattern 与 paths")
        if self.pattern:
            groups = set(re.compile(self.pattern).groupindex)
            missing = set(self.paths) - groups
            if missing:
                raise ValueError(f"pattern 中没有这些分组：{', '.join(sorted(missing))}")
        return self


class FieldMap(Target):
    label: str
    prefix: bool = False
    occurrence: int = 1   # the n-th cell with this label (两个“联系电话”)
    in_cell: bool = False  # the label is the cell's first paragraph, the value the rest


class PatternMap(Target):
    """A regex over the paragraphs (outside tables), e.g. 填表时间：2026年11月20日."""

    find: str


class YearRow(Target):
    label: str
    prefix: bool = False


class YearTable(_Strict):
    header: str                      # the label heading the year column row: 项目, 年度/金额
    rows: list[YearRow]


class TableMap(_Strict):
    header: list[str]                # cells of the header row (squashed, prefix match)
    # first: the first row under the header; all: every row ({n} = 0, 1, …); keyed: {key} from
    # the match column; basic_conditions / indicators / bonus / green_index: the scheme's
    # rows, recognised by their text in the match column ({id})
    rows: Literal["first", "all", "keyed", "basic_conditions", "indicators", "bonus", "green_index"]
    match: str | None = None         # the column naming the scheme row / the key
    per_year: bool = False           # the n-th such table holds window year n
    columns: dict[str, Target | list[Target]]   # a column may feed several fields (status and statement)


class HeadingSection(Target):
    """The paragraphs after a heading (outside tables), up to the next heading: a
    Heading/Caption-styled paragraph, another section's heading, one of ``until``, or a
    table. ``skip``: fixed instruction paragraphs of the form (by their start)."""

    heading: str
    until: list[str] = []
    skip: list[str] = []


class ReportingYear(_Strict):
    year_table: str | None = None    # a year table's header label: reporting year = last column + 1
    find: str | None = None          # a regex over paragraphs and cells; group 1 is the year
    offset: int = 0


class FormMapping(_Strict):
    form: str
    scheme: str
    recognise: list[str]
    reporting_year: ReportingYear = ReportingYear()
    fields: list[FieldMap] = []
    patterns: list[PatternMap] = []
    year_tables: list[YearTable] = []
    tables: list[TableMap] = []
    sections: list[HeadingSection] = []
    not_read: list[str] = []         # what the form shows that is not read back, and why
    notes: list[str] = []


def load_mapping_file(path: Path) -> FormMapping:
    data = read_yaml(path).data
    try:
        return FormMapping.model_validate(_plain(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SchemeDataError(f"{path}：{where}：{first['msg']}") from exc


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@lru_cache(maxsize=1)
def all_mappings() -> tuple[FormMapping, ...]:
    return tuple(load_mapping_file(p) for p in sorted(MAPPING_DIR.glob("*.yaml")))


def mappings_for(scheme_id: str) -> list[FormMapping]:
    return [m for m in all_mappings() if m.scheme == scheme_id]
