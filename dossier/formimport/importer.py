"""``dossier import FILE... --scheme ID --out DIR``: last year's forms, as this tool
rendered them (.docx, .xlsx), read back into a new dossier folder — for a user who kept
the forms but not the folder, so that ``dossier rollover`` can start from there.

Each file is recognised by its mapping's title words (``recognise:``); the mapping
(:mod:`dossier.formimport.mapping`, one YAML per form under ``dossier/data/import/``)
says which cell goes to which field. Values read from several forms must agree; the
first one wins and a disagreement is reported. What does not validate (a credit code
with a wrong shape, points above a row's maximum) is left out and reported, so the
dossier that is written always validates; the forms' computed figures (综合能耗,
排放) are stored as the reported figures (``energy_total_tce``…).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.scalarstring import LiteralScalarString

from ..errors import BadInputError, DossierExistsError, DossierInvalidError
from ..edit import write_new
from ..loader import DOSSIER_FILE, EVIDENCE_DIR, load_dossier
from ..model import Dossier
from ..schemes import Scheme, load_scheme
from ..yamlio import dump_yaml
from .formread import Cell, Form, Table, read_form, squash
from .mapping import FormMapping, Target, mappings_for
from .values import TYPES

_YEAR_CELL = re.compile(r"^((?:19|20)\d{2})年?(?:度)?$")


@dataclass
class FormValue:
    path: str
    value: Any
    source: str                     # "zhejiang-factory-dynamic：工厂名称"
    tolerance: float = 0.0
    figure: str | None = None       # the form printed this computed figure

    def to_dict(self) -> dict[str, Any]:
        value = self.value.isoformat() if isinstance(self.value, dt.date) else self.value
        return {"path": self.path, "value": value, "source": self.source, "figure": self.figure}


@dataclass
class FormImportReport:
    scheme: str
    target: Path
    reporting_year: int
    year_source: str
    forms: list[tuple[str, str]] = field(default_factory=list)     # (file, form id)
    found: list[FormValue] = field(default_factory=list)                # the values written
    problems: list[str] = field(default_factory=list)               # unreadable or invalid
    conflicts: list[str] = field(default_factory=list)
    not_read: dict[str, list[str]] = field(default_factory=dict)
    empty: int = 0                                                  # fields still empty

    @property
    def exit_code(self) -> int:
        return 2 if self.problems else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme, "target": str(self.target), "reporting_year": self.reporting_year,
            "reporting_year_source": self.year_source,
            "forms": [{"file": f, "form": form} for f, form in self.forms],
            "fields": [f.to_dict() for f in self.found], "problems": self.problems,
            "conflicts": self.conflicts, "not_read": self.not_read, "empty_fields": self.empty,
        }


# --- reading one form ---------------------------------------------------------------------------


@dataclass
class _Reader:
    form: Form
    mapping: FormMapping
    scheme: Scheme
    year: int = 0
    out: list[FormValue] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return self.mapping.form

    def put(self, target: Target, paragraphs: list[str], label: str, **names: Any) -> None:
        ctx = {"hint": names.pop("hint", None)}
        names = {"last": self.year - 1, "year": names.pop("year", self.year - 1), **names}
        try:
            if target.pattern:
                self._pattern(target, paragraphs, label, names)
                return
            parsed = TYPES[target.type](paragraphs, target, ctx)
        except ValueError as exc:
            self.problems.append(f"{self.form.path.name}（{self.where}）“{label}”：{exc}")
            return
        if parsed.value is not None and target.path:
            self.out.append(FormValue(target.path.format(**names), parsed.value, f"{self.where}：{label}",
                                  parsed.tolerance, target.figure))

    def _pattern(self, target: Target, paragraphs: list[str], label: str, names: dict[str, Any]) -> None:
        text = "\n".join(paragraphs)
        regex = re.compile(target.pattern or "", re.S)
        matches = list(regex.finditer(text)) if target.each else [m for m in [regex.search(text)] if m]
        if not matches and text.strip():
            raise ValueError(f"格式与预期不符：“{text.strip()}”")
        for match in matches:
            groups = match.groupdict()
            local = dict(names)
            if groups.get("year"):
                local["year"] = int(groups["year"])
            for group, path in target.paths.items():
                raw = groups.get(group)
                if raw is None:
                    continue
                kind = target.types.get(group, "text")
                parsed = TYPES[kind]([raw], target, {})
                if parsed.value is not None:
                    self.out.append(FormValue(path.format(**local), parsed.value, f"{self.where}：{label}",
                                          parsed.tolerance, target.figure))

    # -- the parts of a mapping --------------------------------------------------------
    def fields(self) -> None:
        for spec in self.mapping.fields:
            if spec.in_cell:
                self._in_cell(spec)
                continue
            hit = self._nth_label(spec.label, spec.prefix, spec.occurrence)
            if hit is not None:
                table, r, c = hit
                value = table.right_of(r, c)
                if value is not None:
                    self.put(spec, value.paragraphs, spec.label)

    def _in_cell(self, spec: Any) -> None:
        """A cell that starts with its label paragraph: "…主要措施与计划（400字左右）。" then the text."""
        want = squash(spec.label)
        for table in self.form.tables:
            for cell in dict.fromkeys(c for row in table.rows for c in row):
                if cell.paragraphs and squash(cell.paragraphs[0]).startswith(want):
                    self.put(spec, cell.paragraphs[1:], spec.label)
                    return

    def _nth_label(self, label: str, prefix: bool, occurrence: int) -> tuple[Table, int, int] | None:
        """The ``occurrence``-th cell reading ``label`` (a merged cell counts once)."""
        seen: set[int] = set()
        count = 0
        for table in self.form.tables:
            for r, row in enumerate(table.rows):
                for c, cell in enumerate(row):
                    if id(cell) in seen:
                        continue
                    seen.add(id(cell))
                    if _label_match(cell, label, prefix):
                        count += 1
                        if count == occurrence:
                            return table, r, c
        return None

    def patterns(self) -> None:
        text = "\n".join(self.form.paragraphs)
        for spec in self.mapping.patterns:
            match = re.search(spec.find, text)
            if match:
                self.put(spec, [match.groupdict().get("value", match.group(match.lastindex or 0))], spec.find)

    def year_tables(self) -> None:
        for spec in self.mapping.year_tables:
            found = _year_header(self.form, spec.header)
            if found is None:
                continue
            table, r, label_col, years = found
            width = len(set(map(id, table.rows[r])))
            # Rows shaped like the year row; another table part below (持续改进情况, whose
            # labels repeat 工业增加值（万元）) has other columns and is passed over.
            for row in (row for row in table.rows[r + 1:] if len(set(map(id, row))) == width):
                for rowspec in spec.rows:
                    if _label_match(row[label_col], rowspec.label, rowspec.prefix):
                        for col, year in years.items():
                            self.put(rowspec, row[col].paragraphs, f"{rowspec.label}（{year}）", year=year)

    def tables(self) -> None:
        for spec in self.mapping.tables:
            matched = [(t, r) for t in self.form.tables for r in [_header_row(t, spec.header)] if r is not None]
            window = [self.year - 3, self.year - 2, self.year - 1]
            for n, (table, r) in enumerate(matched):
                year = window[n] if spec.per_year and n < len(window) else self.year - 1
                if spec.per_year and n >= len(window):
                    break
                self._table(spec, table, r, year)
                if not spec.per_year and _scheme_rows(self.scheme, spec.rows) is None:
                    break  # first/all/keyed: the first table with this header; scheme rows are
                    # recognised by their text, so every table with the header is looked at

    def _table(self, spec: Any, table: Table, r: int, year: int) -> None:
        header = table.rows[r]
        cols = {name: _column(header, name) for name in spec.columns}
        match_col = _column(header, spec.match) if spec.match else None
        body = _body(table, r)
        if spec.rows == "first":
            body = body[:1]
        rows = _scheme_rows(self.scheme, spec.rows)
        used: set[str] = set()
        for index, row in enumerate(body):
            names: dict[str, Any] = {"year": year, "n": index}
            hint = None
            if rows is not None:
                item = _which_row(rows, row, match_col, used)
                if item is None:
                    continue
                used.add(item.id)
                names["id"], hint = item.id, getattr(item, "evidence_hint", None)
            elif spec.rows == "keyed":
                key = param_key(row[match_col].paragraphs[0] if match_col is not None else "")
                if not key:
                    continue
                names["key"] = key
            for name, targets in spec.columns.items():
                col = cols[name]
                if col is None:
                    continue
                label = f"{name}（{names.get('id') or names.get('key') or index + 1}）"
                for target in targets if isinstance(targets, list) else [targets]:
                    self.put(target, row[col].paragraphs, label, hint=hint, **names)

    def sections(self) -> None:
        headings = {_heading_key(s.heading) for s in self.mapping.sections}
        blocks = self.form.blocks
        for spec in self.mapping.sections:
            want = _heading_key(spec.heading)
            start = next((i for i, b in enumerate(blocks) if b.kind == "p" and _heading_key(b.text) == want), None)
            if start is None:
                continue
            stops = headings | {_heading_key(u) for u in spec.until}
            skips = [squash(k) for k in spec.skip]
            text: list[str] = []
            for block in blocks[start + 1:]:
                if block.kind != "p" or _is_heading(block) or _heading_key(block.text) in stops:
                    break
                if not any(squash(block.text).startswith(k) for k in skips):
                    text.append(block.text)
            self.put(spec, text, spec.heading)


def _body(table: Table, r: int) -> list[list[Cell]]:
    """The rows under header row ``r`` with at least as many cells as the header (a header
    cell may span two columns: 基本要求 over group and text); a row with fewer — a merged
    title row, a 合计 row — ends the table's part."""
    width = len(set(map(id, table.rows[r])))
    body = []
    for row in table.rows[r + 1:]:
        if len(set(map(id, row))) < width:
            break
        body.append(row)
    return body


def _heading_key(text: str) -> str:
    return squash(text).rstrip("。.")


def _is_heading(block: Any) -> bool:
    return bool(re.match(r"(?i)heading|caption|title|toc|标题|题注", block.style or ""))


def _label_match(cell: Cell, label: str, prefix: bool) -> bool:
    want = squash(label)
    return cell.key == want or prefix and bool(want) and cell.key.startswith(want)


def _header_row(table: Table, header: list[str]) -> int | None:
    for r, row in enumerate(table.rows):
        keys = [c.key for c in row]
        if all(any(k.startswith(squash(h)) for k in keys) for h in header):
            return r
    return None


def _column(header: list[Cell], name: str) -> int | None:
    want = squash(name)
    for c, cell in enumerate(header):
        if cell.key == want:
            return c
    for c, cell in enumerate(header):
        if cell.key.startswith(want):
            return c
    return None


def _year_header(form: Form, label: str) -> tuple[Table, int, int, dict[int, int]] | None:
    """The row whose cell ``label`` is followed by year cells (2023年 | 2024年 | 2025年)."""
    for table in form.tables:
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row):
                if not _label_match(cell, label, False):
                    continue
                years: dict[int, int] = {}
                for col in range(c + 1, len(row)):
                    match = _YEAR_CELL.match(row[col].key)
                    if match and int(match.group(1)) not in years.values() and row[col] is not row[col - 1]:
                        years[col] = int(match.group(1))
                if years:
                    return table, r, c, years
    return None


def _scheme_rows(scheme: Scheme, name: str) -> list[Any] | None:
    return {"basic_conditions": scheme.basic_conditions, "indicators": scheme.indicators,
            "bonus": scheme.bonus, "green_index": scheme.indicators}.get(name)


def _row_text(item: Any) -> str:
    return squash(getattr(item, "requirement", None) or getattr(item, "text", ""))


def _which_row(rows: list[Any], row: list[Cell], match_col: int | None, used: set[str]) -> Any:
    """The scheme row a table row shows: by its text (the form prints it verbatim) in the
    match column — or in another cell of the row, where a merged header spans the group
    and the text (基本要求 over 基础合规性… | 绿色工厂应依法设立…) — else, for a text the form
    shortened, the next unused row whose text starts the same."""
    cells = ([row[match_col]] if match_col is not None else []) + list(dict.fromkeys(row))
    for cell in cells:
        exact = [r for r in rows if _row_text(r) == cell.key and r.id not in used]
        if exact:
            return exact[0]
    key = row[match_col].key if match_col is not None else ""
    return next((r for r in rows if r.id not in used and key and _row_text(r).startswith(key[:12])), None)


def param_key(text: str) -> str:
    """A 持续改进情况 row's name as ``listing.values`` keys it: without the unit or the
    fill-in instruction the form prints after it.

    "工业增加值（万元）" → "工业增加值"; "省级及以上绿色（低碳）工厂数量（家）" → "省级及以上绿色（低碳）
    工厂数量"; "单位产品或产值主要原材料2消耗量/色母粒（t/万只）" → "单位产品或产值主要原材料2消耗量";
    "产品产量（填写产品名称及单位或者产值，…例：储水桶/万只）" → "产品产量".
    """
    t = re.sub(r"\s+", "", text)
    slash, bracket = t.find("/"), t.find("（")
    if slash > 0 and (bracket < 0 or slash < bracket):
        t = t[:slash]
    while t.endswith("）"):
        depth = 0
        for i in range(len(t) - 1, -1, -1):
            depth += {"）": 1, "（": -1}.get(t[i], 0)
            if depth == 0:
                t = t[:i]
                break
        else:
            break
    return t


# --- the reporting year -----------------------------------------------------------------------------


def _reporting_year(forms: list[tuple[Form, FormMapping]]) -> tuple[int, str] | None:
    for form, mapping in forms:
        spec = mapping.reporting_year
        if spec.year_table:
            found = _year_header(form, spec.year_table)
            if found:
                return max(found[3].values()) + 1 + spec.offset, f"{form.path.name} 的年度列"
        if spec.find:
            match = re.search(spec.find, form.fulltext())
            if match:
                return int(match.group(1)) + spec.offset, f"{form.path.name}：“{match.group(0)}”"
    return None


# --- the whole import ----------------------------------------------------------------------------------


def recognise(form: Form, scheme: Scheme) -> FormMapping:
    text = squash(form.fulltext())
    candidates = mappings_for(scheme.id)
    for mapping in candidates:
        if all(squash(word) in text for word in mapping.recognise):
            return mapping
    known = "、".join(m.form for m in candidates) or "（该方案暂无可读回的表单）"
    raise BadInputError(f"{form.path}：不是方案 {scheme.id} 可读回的表单（可读回：{known}）")


def import_forms(files: list[Path], scheme_id: str, out: Path, *, year: int | None = None) -> FormImportReport:
    scheme = load_scheme(scheme_id)
    out = Path(out)
    if (out / DOSSIER_FILE).exists():
        raise DossierExistsError(f"{out / DOSSIER_FILE} 已存在，未做任何修改。请换一个输出目录")
    if not files:
        raise BadInputError("没有给出要读回的表单文件")
    forms = []
    for path in files:
        if not Path(path).is_file():
            raise BadInputError(f"找不到文件：{path}")
        form = read_form(Path(path))
        forms.append((form, recognise(form, scheme)))
    source = "--year"
    if year is None:
        guessed = _reporting_year(forms)
        if guessed is None:
            raise BadInputError("无法从表单中确定申报年度（表单没有年度列或标题年份），请加 --year YYYY")
        year, source = guessed
    report = FormImportReport(scheme.id, out, year, source)
    values: dict[str, FormValue] = {}
    for form, mapping in forms:
        reader = _Reader(form, mapping, scheme, year)
        for step in (reader.fields, reader.patterns, reader.year_tables, reader.tables, reader.sections):
            step()
        report.forms.append((str(form.path), mapping.form))
        report.problems += reader.problems
        report.not_read[mapping.form] = list(mapping.not_read)
        for found in reader.out:
            _merge(values, found, report)
    data = _lists(_nested(values.values(), scheme, year))
    dossier = _validated(data, values, report)
    _write(out, dossier, report, scheme)
    report.found = list(values.values())
    return report


def _same(a: Any, b: Any, tolerance: float) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) <= tolerance + 1e-9
    if isinstance(a, str) and isinstance(b, str):
        return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)
    return a == b


def _merge(values: dict[str, FormValue], found: FormValue, report: FormImportReport) -> None:
    have = values.get(found.path)
    if have is None:
        values[found.path] = found
    elif not _same(have.value, found.value, max(have.tolerance, found.tolerance)):
        report.conflicts.append(f"{found.path}：{have.source} 为 {have.value}，{found.source} 为 {found.value}；采用前者")


def _nested(found: Any, scheme: Scheme, year: int) -> dict[str, Any]:
    data: dict[str, Any] = {"scheme": scheme.id, "reporting_year": year, "subject": {"kind": scheme.subject}}
    for item in found:
        node = data
        parts = item.path.split(".")
        for i, part in enumerate(parts[:-1]):
            key: Any = int(part) if parts[i - 1:i] == ["years"] and part.isdigit() else part
            node = node.setdefault(key, {})
        last = parts[-1]
        if isinstance(node.get(last), list) and isinstance(item.value, list):
            node[last] += [v for v in item.value if v not in node[last]]
        else:
            node[last] = item.value
    return data


# Fields that are lists of records: "projects.0.name" builds projects[0].name.
LIST_FIELDS = {"projects", "offsets", "certifications", "honours", "production", "raw_materials"}


def _lists(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            value = _lists(value)
            if key in LIST_FIELDS and isinstance(value, dict) and all(str(k).isdigit() for k in value):
                value = [value[k] for k in sorted(value, key=int)]
            out[key] = value
        return out
    return node


def _drop(data: Any, loc: tuple[Any, ...]) -> bool:
    """Remove the value at ``loc`` (keys and list indexes); False when there is none."""
    node: Any = data
    for key in loc[:-1]:
        if isinstance(node, dict) and (key in node or str(key) in node):
            node = node[key] if key in node else node[str(key)]
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
        else:
            return False
    last = loc[-1] if loc else None
    if isinstance(node, dict) and last in node:
        del node[last]
        return True
    if isinstance(node, list) and isinstance(last, int) and 0 <= last < len(node):
        del node[last]
        return True
    return False


def _validated(data: dict[str, Any], values: dict[str, FormValue], report: FormImportReport) -> Dossier:
    """The model of ``data``; each value the model refuses is dropped and reported."""
    for _ in range(50):
        try:
            return Dossier.model_validate(data)
        except ValidationError as exc:
            dropped = False
            for error in exc.errors():
                loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and "[" in p))
                for cut in range(len(loc), 0, -1):
                    if _drop(data, loc[:cut]):
                        path = ".".join(map(str, loc[:cut]))
                        report.problems.append(f"{path}：读出的值无效（{error['msg']}），未写入")
                        for key in [k for k in values if k == path or k.startswith(path + ".")]:
                            del values[key]
                        dropped = True
                        break
            if not dropped:
                raise BadInputError(f"读回的数据无法组成有效的档案：{exc.errors()[0]['msg']}") from exc
    raise BadInputError("读回的数据无法组成有效的档案")


def _yaml_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _yaml_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_yaml_ready(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value.rstrip("\n") + "\n")
    return value


def _write(out: Path, dossier: Dossier, report: FormImportReport, scheme: Scheme) -> None:
    data = _yaml_ready(dossier.model_dump(mode="python", exclude_defaults=True))
    data = {"scheme": dossier.scheme, "reporting_year": dossier.reporting_year, **data}
    names = "；".join(f"{Path(f).name}（{form}）" for f, form in report.forms)
    header = (f"# {scheme.name} 申报档案：由 dossier import 从本工具生成的表单读回（{dt.date.today().isoformat()}）。\n"
              f"# 来源：{names}\n# 表单中没有的内容为空：补填后运行 dossier validate 查看尚缺的字段。\n\n")
    write_new(out / DOSSIER_FILE, header + dump_yaml(data))
    for item in scheme.evidence_list:
        (out / EVIDENCE_DIR / item.folder).mkdir(parents=True, exist_ok=True)
    try:
        load_dossier(out)
    except DossierInvalidError as exc:  # scheme cross-checks (points above a maximum…)
        plain = dossier.model_dump(mode="python", exclude_defaults=True)
        for issue in exc.issues:
            if _drop(plain, tuple(int(p) if p.isdigit() else p for p in issue.path.split("."))):
                report.problems.append(f"{issue.path}：{issue.message}，未写入")
        write_new(out / DOSSIER_FILE, header + dump_yaml({"scheme": dossier.scheme, **_yaml_ready(plain)}))
        load_dossier(out)
    from ..completeness import empty_fields

    loaded = load_dossier(out)
    report.empty = len(empty_fields(loaded.dossier, loaded.scheme))
