"""``--apply DIR``: merge extracted values into ``DIR/dossier.yaml``.

Rules, in the user's interest:

- only EMPTY fields are filled; a field that holds a different value is never
  overwritten: the conflict is reported with both values and both sources;
- a document of another enterprise (its holder is not ``subject.name``) is not applied,
  and a list (绿色工厂名单) only when the enterprise is on it;
- every filled value gets a YAML comment naming the file and page it came from;
- the file is edited through ruamel's round-trip data, so comments and key order
  survive; the result is validated with the Dossier model before writing (a value
  the model refuses is reported, not written); the previous file is kept as
  ``dossier.yaml.bak-<timestamp>`` and the new one written atomically.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from .. import edit
from ..loader import dossier_file, load_dossier
from ..messages import translate
from ..model import Dossier
from ..yamlio import dump_yaml, load_yaml_text
from .classify import squash
from .fields import Found
from .normalise import NORMALISERS, Reject, same_value
from .pipeline import ExtractedDocument
from .targets import resolve
from .doctypes import ApplyRule, referenced_fields

FILLED, SAME, CONFLICT, SKIPPED, REJECTED = "filled", "same", "conflict", "skipped", "rejected"


@dataclass
class Change:
    path: str                 # "subject.credit_code", "years.2024.emissions.scope1", "subject.certifications[3]"
    value: Any
    status: str
    source: str               # "营业执照.pdf 第 1 页"
    text: str = ""            # the line the value was read from
    current: Any = None       # the value already in dossier.yaml (conflicts)
    current_source: str = ""  # "dossier.yaml 第 12 行"
    reason: str = ""
    undo: Callable[[], None] | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        out = {"path": self.path, "status": self.status, "value": _jsonable(self.value), "source": self.source,
               "text": self.text}
        if self.status == CONFLICT:
            out.update(current=_jsonable(self.current), current_source=self.current_source)
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass
class ApplyReport:
    file: Path
    backup: Path | None = None
    changes: list[Change] = field(default_factory=list)
    skipped_documents: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)

    def of(self, status: str) -> list[Change]:
        return [c for c in self.changes if c.status == status]

    @property
    def conflicts(self) -> list[Change]:
        return self.of(CONFLICT)

    @property
    def written(self) -> bool:
        return self.backup is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "backup": str(self.backup) if self.backup else None,
            "changes": [c.to_dict() for c in self.changes],
            "skipped_documents": [{"file": f, "reason": r} for f, r in self.skipped_documents],
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


# --- the entry point ----------------------------------------------------------------


def apply_to_dossier(documents: list[ExtractedDocument], directory: Path, now: dt.datetime | None = None,
                     dry_run: bool = False) -> ApplyReport:
    """Fill the empty fields of ``directory``'s dossier.yaml from ``documents`` (``dry_run``:
    only report what would be filled, as the web workspace proposes it value by value)."""
    loaded = load_dossier(directory)  # the dossier must be valid before we touch it
    path = dossier_file(directory)
    original = path.read_bytes()
    data = load_yaml_text(original.decode("utf-8"), path).data
    report = ApplyReport(path)
    merger = _Merger(data, loaded.dossier, loaded.directory, report)

    ordered = sorted(documents, key=lambda d: d.doc_type != "business_license")
    subject_name = loaded.dossier.subject.name
    for doc in ordered:
        if doc.template is None or not doc.fields:
            continue
        reason = _foreign(doc, subject_name)
        if reason:
            report.skipped_documents.append((str(doc.file), reason))
            continue
        for rule in doc.template.template.apply:
            merger.apply_rule(doc, rule)
        if doc.doc_type == "business_license" and not subject_name and "name" in doc.fields:
            subject_name = doc.fields["name"].value

    _validate(data, path, report)
    if not dry_run and any(c.status == FILLED for c in report.changes):
        report.backup = edit.replace_text(path, dump_yaml(data), original, now=now)
    return report


def _foreign(doc: ExtractedDocument, subject_name: str | None) -> str | None:
    """Why a document must not be applied to this dossier's enterprise, if it must not."""
    check = doc.template.template.subject
    if not subject_name:
        return None
    if check.listed and doc.rows:
        from .lists import find_rows

        matches = find_rows(doc.rows, subject_name)
        if not matches:
            return f"名单中没有本企业（{subject_name}），未应用"
        doc.matched_row = matches[0]  # provenance: the row, in _source
        return None
    if check.listed and squash(subject_name) not in squash(doc.text):
        return f"名单中没有本企业（{subject_name}），未应用"
    holder = doc.fields.get(check.field) if check.field else None
    if holder is not None and not same_value(holder.value, subject_name):
        return f"文件属于 {holder.value}，与档案中的企业（{subject_name}）不一致，未应用"
    return None


# --- merging ------------------------------------------------------------------------


def _source(doc: ExtractedDocument, found: Found | None) -> str:
    match = getattr(doc, "matched_row", None)
    if match is not None:  # a list: the enterprise's row is the evidence
        how = "" if match.exact else "，名称写法略有不同"
        return f"{doc.file.name} 第 {match.row.page} 页 序号 {match.row.number}（{match.row.name}{how}）"
    page = found.page if found else 1
    return f"{doc.file.name} 第 {page} 页"


class _Merger:
    def __init__(self, data: CommentedMap, dossier: Dossier, directory: Path, report: ApplyReport):
        self.data, self.dossier, self.directory, self.report = data, dossier, directory, report
        years = data.get("years")
        self.years = set(years) if isinstance(years, dict) else set()
        self.years |= set(dossier.window)

    # -- rules -----------------------------------------------------------------------
    def apply_rule(self, doc: ExtractedDocument, rule: ApplyRule) -> None:
        if any(doc.fields.get(k) is None or doc.fields[k].value != v for k, v in rule.when.items()):
            return
        refs = referenced_fields(rule.value if rule.record is None else list(rule.record.values()))
        if "{year}" in rule.target:
            for year in _document_years(doc, refs):
                self._apply_once(doc, rule, year)
        else:
            self._apply_once(doc, rule, None)

    def _apply_once(self, doc: ExtractedDocument, rule: ApplyRule, year: int | None) -> None:
        target = rule.target.replace("{year}", str(year)) if year is not None else rule.target
        if year is not None and year not in self.years:
            found = _first_found(doc, referenced_fields(rule.value))
            self.report.changes.append(Change(target, None, SKIPPED, _source(doc, found),
                                              reason=f"档案中没有 {year} 年的年度数据（近三年为 {'、'.join(map(str, self.dossier.window))}）"))
            return
        if rule.record is not None:
            self._merge_record(doc, rule, target)
            return
        value, found = _render(rule.value, doc, year)
        if value is None:
            return
        parts, annotation = resolve(rule.target)
        value = _typed(value, annotation)
        keys: list[Any] = [int(p) if p.isdigit() and i > 0 and parts[i - 1] == "years" else p
                           for i, p in enumerate(target.split("."))]
        normaliser = _rule_normaliser(doc, rule.value)
        self._merge_scalar(doc, keys, target, value, found, normaliser)

    # -- one value -------------------------------------------------------------------
    def _merge_scalar(self, doc, keys, target, value, found, normaliser) -> None:
        source = _source(doc, found)
        text = found.text if found else ""
        try:
            parent = edit.parent_of(self.data, keys, create=True)
        except edit.EditError:
            parent = None
        if not isinstance(parent, dict):
            self.report.changes.append(Change(target, value, SKIPPED, source, text, reason="上级字段不是映射，无法填写"))
            return
        key = keys[-1]
        current, missing = parent.get(key), key not in parent
        outcome = edit.fill(self.data, keys, _quoted(value), equal=lambda old, new: _same(old, value, normaliser),
                            source=source)
        if outcome.status == edit.FILLED:
            def undo(parent=parent, key=key, current=current, missing=missing) -> None:
                if missing:
                    del parent[key]
                else:
                    parent[key] = current

            self.report.changes.append(Change(target, value, FILLED, source, text, undo=undo))
        elif outcome.status == edit.SAME:
            self.report.changes.append(Change(target, value, SAME, source, text))
        else:
            self.report.changes.append(Change(target, value, CONFLICT, source, text, current=current,
                                              current_source=_line_of(parent, key)))

    def _parent(self, keys: list[Any], create: bool) -> CommentedMap | None:
        try:
            node = edit.parent_of(self.data, [*keys, None], create=create)
        except edit.EditError:
            return None
        return node if isinstance(node, dict) else None

    # -- records (subject.certifications) ---------------------------------------------
    def _merge_record(self, doc: ExtractedDocument, rule: ApplyRule, target: str) -> None:
        from .targets import record_item_model

        model = record_item_model(rule.target)
        record: dict[str, Any] = {}
        founds: dict[str, Found | None] = {}
        for name, template in rule.record.items():
            if template == "{file}":
                value, found = self._evidence_path(doc.file), None
            else:
                value, found = _render(template, doc, None)
            if value is not None:
                record[name] = _typed(value, model.model_fields[name].annotation)
                founds[name] = found
        if not all(k in record for k in rule.key):
            return
        first = next((f for f in founds.values() if f), None)
        source, text = _source(doc, first), first.text if first else ""
        keys = target.split(".")
        parent = self._parent(keys[:-1], create=True)
        if parent is None:
            return
        items = parent.get(keys[-1])
        if not isinstance(items, list):
            items = CommentedSeq()
            parent[keys[-1]] = items
        match = next((i for i, item in enumerate(items) if isinstance(item, dict)
                      and all(same_value(item.get(k), record[k]) for k in rule.key)), None)
        if match is not None:
            for name, value in record.items():
                if name in rule.key:
                    continue
                exact = isinstance(rule.record[name], str) and re.fullmatch(r"\{\w+\}", rule.record[name])
                normaliser = _rule_normaliser(doc, rule.record[name])
                path = f"{target}[{match}].{name}"
                item = items[match]
                if not exact and not _empty(item.get(name)):
                    continue  # a composed description ("产品 碳足迹 46.8…") only fills a gap
                self._merge_scalar(doc, [*keys, match, name], path, value, founds.get(name), normaliser)
            return
        kind = record.get("kind")
        rival = next((i for i, item in enumerate(items) if isinstance(item, dict) and kind is not None
                      and item.get("kind") == kind and _family(item.get("standard")) == _family(record.get("standard"))),
                     None)
        if rival is not None:
            key = rule.key[0]
            self.report.changes.append(Change(
                f"{target}[{rival}].{key}", record[key], CONFLICT, source, text, current=items[rival].get(key),
                current_source=_line_of(items[rival], key),
                reason="同类证书已有一张；如为换发的新证书，请手工更新该条目"))
            return
        index = edit.append_item(self.data, [*keys], {name: _quoted(record[name]) for name in rule.record if name in record})
        entry = items[index]
        entry.yaml_add_eol_comment(f"来源：{source}", next(iter(entry)))

        def undo(items=items, entry=entry) -> None:
            items.remove(entry)

        self.report.changes.append(Change(f"{target}[{index}]", dict(record), FILLED, source, text, undo=undo))

    def _evidence_path(self, file: Path) -> str | None:
        try:
            return file.resolve().relative_to(self.directory.resolve()).as_posix()
        except ValueError:
            return None


# --- helpers -------------------------------------------------------------------------


def _document_years(doc: ExtractedDocument, refs: set[str]) -> list[int]:
    years: set[int] = set()
    for name in refs:
        found = doc.fields.get(name)
        if found is not None and isinstance(found.value, dict):
            years |= {int(y) for y in found.value}
    if not years:  # only per-document fields: the document's year
        year = doc.fields.get("year")
        if year is not None and isinstance(year.value, int):
            years.add(year.value)
        for found in doc.fields.values():
            if isinstance(found.value, dict):
                years |= {int(y) for y in found.value}
    return sorted(years)


def _first_found(doc: ExtractedDocument, refs: set[str]) -> Found | None:
    return next((doc.fields[r] for r in refs if r in doc.fields), None)


def _field_value(doc: ExtractedDocument, name: str, year: int | None) -> tuple[Any, Found | None]:
    if name == "year" and year is not None:
        return year, doc.fields.get("year")
    found = doc.fields.get(name)
    if found is None:
        return None, None
    value = found.value
    if isinstance(value, dict):
        value = value.get(str(year)) if year is not None else None
    return value, found


def _render(template: Any, doc: ExtractedDocument, year: int | None) -> tuple[Any, Found | None]:
    """``"{scope1}"`` → the field's typed value; ``"{title}（{doc_number}）"`` → text
    when every field is there; a list → its first complete alternative; a literal as is."""
    if isinstance(template, list):
        for alternative in template:
            value, found = _render(alternative, doc, year)
            if value is not None:
                return value, found
        return None, None
    if not isinstance(template, str):
        return template, _first_found(doc, set(doc.fields))
    whole = re.fullmatch(r"\{(\w+)\}", template)
    if whole:
        return _field_value(doc, whole.group(1), year)
    values, first = {}, None
    for _, name, _, _ in string.Formatter().parse(template):
        if not name:
            continue
        value, found = _field_value(doc, name, year)
        if value is None:
            return None, None
        values[name] = value if not isinstance(value, float) else f"{value:g}"
        first = first or found
    return template.format(**values), first


def _rule_normaliser(doc: ExtractedDocument, template: Any):
    """The normaliser of the field a rule copies, to read the user's value the same
    way before comparing (``壹亿捌仟万元整`` = ``18000万元人民币``)."""
    if isinstance(template, str):
        whole = re.fullmatch(r"\{(\w+)\}", template)
        if whole and doc.template is not None:
            spec = doc.template.template.fields.get(whole.group(1))
            if spec is not None:
                return lambda raw: NORMALISERS[spec.normaliser_name](raw, spec.normaliser_params)[0]
    return None


def _typed(value: Any, annotation: Any) -> Any:
    """ISO date text → a date where the model holds a date, so YAML writes 2024-05-10."""
    from ..introspect import unwrap

    if unwrap(annotation) is dt.date and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _quoted(value: Any) -> Any:
    """Text is written in double quotes, as ``dossier init`` and the examples do: a
    credit code of digits or a "2024" must stay text."""
    return DoubleQuotedScalarString(value) if isinstance(value, str) else value


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _same(current: Any, value: Any, normaliser) -> bool:
    if same_value(current, value):
        return True
    if normaliser is not None and isinstance(current, str):
        try:
            return same_value(normaliser(current), value)
        except Reject:
            return False
    return False


def _family(standard: Any) -> str | None:
    """``GB/T 19001-2016/ISO 9001:2015`` → ``19001`` (the first standard's number)."""
    match = re.search(r"\d{4,5}", str(standard or ""))
    return match.group() if match else None


def _line_of(node: Any, key: Any) -> str:
    try:
        line, _ = node.lc.value(key) if isinstance(node, CommentedMap) else node.lc.item(key)
        return f"dossier.yaml 第 {line + 1} 行"
    except (KeyError, TypeError, AttributeError, IndexError):
        return "dossier.yaml"


def _validate(data: CommentedMap, path: Path, report: ApplyReport) -> None:
    """Validate the merged data with the Dossier model; a change the model refuses is
    undone and reported (e.g. a year before 1990, a malformed credit code)."""
    for _ in range(20):
        text = dump_yaml(data)
        try:
            Dossier.model_validate(load_yaml_text(text, path).data)
            return
        except ValidationError as exc:
            undone = False
            for error in exc.errors():
                loc = ".".join(str(p) for p in error["loc"])
                for change in report.changes:
                    dotted = change.path.replace("[", ".").replace("]", "")
                    if change.status == FILLED and change.undo and (loc == dotted or loc.startswith(dotted + ".")):
                        change.undo()
                        change.status, change.reason, change.undo = REJECTED, translate(error), None
                        undone = True
            if not undone:
                raise
