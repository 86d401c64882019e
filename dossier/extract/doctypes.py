"""Document types for extraction: one YAML file per type under ``dossier/data/extract/``
(the "extraction templates" — not the form templates of ``form_templates/``).

A document type says how to recognise it (keywords), how to find each
field (regular expressions over the page text, with macros for the recurring
shapes), which normaliser turns the captured text into a value, and where each value
goes in ``dossier.yaml``. A new certificate layout is a new pattern or a new file,
not new code. The format is described in ``dossier/data/extract/README.md``.

Everything is checked when the template is loaded, with the file and the key in the
message: the YAML shape (pydantic), every regex compiles and captures ``value``,
every normaliser exists (with a "did you mean"), every target is a field of the
Dossier model.
"""

from __future__ import annotations

import difflib
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import SchemeDataError
from ..dates import PATTERN as DATE_PATTERN
from ..resources import data_file
from .normalise import NORMALISERS, REQUIRED_PARAMS

TEMPLATE_DIR = data_file("extract")

# Macros usable in patterns as {NAME}. After normalisation (layout.normalise_text) the
# text has ASCII ":" and "()", no spaces between Chinese characters, and " | "
# between cells that are far apart.
MACROS: dict[str, str] = {
    # a label's left boundary: not in the middle of a word ("名称" but not "企业名称")
    "B": r"(?<![\u4e00-\u9fff])",
    # between a label and its value: spaces, colons, a cell boundary, a short
    # parenthesis ("(盖章)", "(Certificate No.)"), and at most one line break
    "SEP": r"[ \t|:]*(?:\([^()\n]{0,30}\)[ \t|:]*)?(?:\n[ \t|:]*)?",
    # the rest of the cell
    "TEXT": r"[^|\n]+",
    # 常州澜衡汽车零部件有限公司, 工业和信息化部办公厅, 江苏省工业和信息化厅
    # (macros other than SEP never cross a line end: "^2024年 …" must still match
    # on the next line)
    # (shortest name ending in a suffix, then an optional second suffix: 认证中心|有限公司)
    "ORG": r"[^\s|:,;。、]{2,60}?(?:有限责任公司|股份有限公司|有限公司|公司|集团|中心|研究院|研究所|事务所|办公厅|厅|局|委员会)"
           r"(?:有限责任公司|股份有限公司|有限公司|办公厅)?",
    # 2024年5月10日, 2024.05.10, 2024-05-10, 2024/5/10, 二〇二四年五月十日, 04-08-2023,
    # 3 August 2024, August 3, 2024: the one date reader's pattern (dossier/dates.py)
    "DATE": DATE_PATTERN,
    # Continuous Nitrogen Services Arabia Ltd., SHANGHAI XINMA BUS BRIDGE CO.,Ltd.,
    # INDIAN IMMUNOLOGICALS LIMITED, DIGILINK COMPANY
    "ORG_EN": r"[A-Z][A-Za-z0-9&'()\-. ,]{2,80}?(?i:Co\.,\s?Ltd\.?|Co\. Ltd\.?|Ltd\.?|Limited|Company|GmbH|Inc\.?|LLC|Corporation|S\.A\.|PLC)",
    "YEAR": r"(?:19|20)\d\d",
    # 2,016.7 / 16799.2 / 0.3528万
    "NUM": r"[-+]?\d[\d,]*(?:\.\d+)?",
    # a number with its unit: 46.8 kgCO2e/件, 0.3528万吨标准煤, 2,016.7 tCO2e
    "QTY": r"[-+]?\d[\d,]*(?:\.\d+)?[ \t]*万?[ \t]*[A-Za-z\u4e00-\u9fff0-9₂/\-]*",
    # 91320412MA1XW7R58C (OCR may break it with spaces)
    "CODE": r"(?:[0-9A-Z]{18}(?![0-9A-Z])|[0-9A-Z][0-9A-Z ]{16,20}[0-9A-Z])",
    # 00124Q31562R1M, ZH-EnMS-2024-0925, 15/18S0231R10
    "CERTNO": r"[A-Za-z0-9][A-Za-z0-9\-/._]{3,40}",
    # GB/T 19001-2016/ISO 9001:2015, ISO 14067:2018、GB/T 24067-2024
    # (number, part "-1", year ":2018" or "-2016"; several joined by / 、 , 和 及;
    # OCR reads the O of ISO and OHSAS as a zero, the I as a one)
    "STD": r"(?:GB/T|GB|ISO|IS0|1SO|1S0|IATF|OHSAS|0HSAS|PAS|RB/T)\s*\d[\d.]*(?:-\d{1,2}(?!\d))?(?:\s*[-:]\s*\d{4})?"
           r"(?:\s*[/、,和及]\s*(?:GB/T|GB|ISO|IS0|1SO|1S0|IATF|OHSAS|0HSAS|PAS|RB/T)\s*\d[\d.]*(?:-\d{1,2}(?!\d))?(?:\s*[-:]\s*\d{4})?)*",
    # 苏工信节能〔2023〕598号, 工信厅节函〔2023〕8号
    "DOCNO": r"[\u4e00-\u9fff]{2,12}[〔\[【(]\s*(?:19|20)\d\d\s*[〕\]】)]\s*\d{1,4}\s*号",
}

_LABEL = re.compile(r"<<([^<>]+)>>")
_MACRO = re.compile(r"\{([A-Z_]+)\}")


def label_regex(label: str, tolerant: bool = False) -> str:
    """``<<名称>>`` → ``名[ |]{0,3}称``: a label whose characters may be spread out
    (``名　　称`` becomes ``名 | 称`` when the gap is as wide as a cell's).

    ``tolerant``: a Chinese label of four characters or more also matches with one
    character lost or changed, as an overprint (“仅供存档”) or a seal leaves it to OCR:
    ``成日期`` and ``成X日期`` for ``成立日期``, ``注册/本`` for ``注册资本``.
    """
    chars = [c for c in label if not c.isspace()]
    exact = r"[ |]{0,3}".join(re.escape(c) for c in chars)
    if not tolerant or len(chars) < 4 or not all(_CJK_CHAR.match(c) for c in chars):
        return exact
    variants = [exact]
    # the first character stays exact: without it a label is a suffix that matches
    # inside other labels ("证日期" in "初次发证日期")
    for i in range(1, len(chars)):
        kept = chars[:i] + chars[i + 1:]
        variants.append(r"[ |]{0,3}".join(re.escape(c) for c in kept))
        variants.append(r"[ |]{0,3}".join(re.escape(c) if j != i else r"[^\s|:\d]" for j, c in enumerate(chars)))
    return "(?:" + "|".join(variants) + ")"


_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def expand(pattern: str) -> str:
    def macro(match: re.Match) -> str:
        name = match.group(1)
        if name not in MACROS:
            raise KeyError(name)
        return MACROS[name]

    return _MACRO.sub(macro, _LABEL.sub(lambda m: label_regex(m.group(1), tolerant=True), pattern))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NormaliserSpec(_Strict):
    type: str
    params: dict[str, Any] = Field(default_factory=dict)


class FieldSpec(_Strict):
    label: str = Field(description="字段的中文名称（显示用）")
    patterns: list[str] = Field(min_length=1)
    normaliser: str | NormaliserSpec = "text"
    multiline: bool = False        # the value may wrap onto the next lines
    per_year: bool = False         # one value per year: {2023: …, 2024: …}
    pick: Literal["first", "last"] = "first"
    cut_at_labels: bool = True     # cut a text value where another field's label starts

    @property
    def normaliser_name(self) -> str:
        return self.normaliser if isinstance(self.normaliser, str) else self.normaliser.type

    @property
    def normaliser_params(self) -> dict[str, Any]:
        return {} if isinstance(self.normaliser, str) else self.normaliser.params


class Recognise(_Strict):
    all: list[str] = Field(default_factory=list)   # every one must occur
    any: list[str] = Field(default_factory=list)   # at least min_any must occur
    min_any: int = 1
    one_of: list[list[str]] = Field(default_factory=list)  # from each group, at least one
    none: list[str] = Field(default_factory=list)  # none may occur
    title: list[str] = Field(default_factory=list)  # words of the title: strong evidence at the top
    # "titled": fields are read only from the pages that carry a title word (a licence
    # scanned with another certificate behind it: the second page's 名称 and 代码 are
    # not the licence's); "all": every page (reports, lists).
    pages: Literal["all", "titled"] = "all"


class ApplyRule(_Strict):
    # A dotted path of dossier.yaml, with {year} for a year of the document:
    # "subject.credit_code", "years.{year}.emissions.scope1". For a list of records
    # ("subject.certifications"), give `record` and `key` instead of `value`.
    target: str
    value: Any = None              # "{field}", "text {a} {b}", a list of such (first complete one), or a literal
    record: dict[str, Any] | None = None
    # applied only when each named field has that value ({list_kind: 绿色工厂})
    when: dict[str, Any] = Field(default_factory=dict)
    key: list[str] = Field(default_factory=lambda: ["number"])


class SubjectCheck(_Strict):
    # The field naming the enterprise a document belongs to (holder, enterprise): a
    # document of another enterprise is not applied.
    field: str | None = None
    # Lists (green-factory notices) name many enterprises: applied only when the
    # dossier's enterprise is among them.
    listed: bool = False


class Template(_Strict):
    id: str
    name: str
    description: str = ""
    recognise: Recognise
    subject: SubjectCheck = Field(default_factory=SubjectCheck)
    fields: dict[str, FieldSpec]
    apply: list[ApplyRule] = Field(default_factory=list)
    # a list: its numbered rows are read (lists.py) for `extract --find` and --apply
    rows: bool = False

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", value):
            raise ValueError("id 只能由小写字母、数字和下划线组成")
        return value


@dataclass
class CompiledField:
    name: str
    spec: FieldSpec
    expanded: list[str]  # its patterns, macros expanded
    labels: list[str]  # the literal labels of its patterns (for cut_at_labels)
    path: Path
    _regexes: list[re.Pattern] | None = None

    @property
    def regexes(self) -> list[re.Pattern]:
        """Compiled when first used: the bundled document types compile ~180 long patterns
        (~0.8 s), and a document needs those of its own type only."""
        if self._regexes is None:
            self._regexes = [self._compile(i, pattern) for i, pattern in enumerate(self.expanded)]
        return self._regexes

    def _compile(self, i: int, pattern: str) -> re.Pattern:
        where = f"fields.{self.name}.patterns[{i}]"
        try:
            regex = re.compile(pattern, re.MULTILINE)
        except re.error as exc:
            raise _error(self.path, where, f"正则表达式错误：{exc}") from exc
        if "value" not in regex.groupindex:
            raise _error(self.path, where, "缺少命名分组 (?P<value>…)")
        if "year" in regex.groupindex and not self.spec.per_year:
            raise _error(self.path, where, "含 (?P<year>…) 分组的字段应设 per_year: true")
        return regex


@dataclass
class CompiledTemplate:
    template: Template
    path: Path
    fields: list[CompiledField]

    @property
    def id(self) -> str:
        return self.template.id

    @property
    def name(self) -> str:
        return self.template.name


def _error(path: Path, where: str, message: str) -> SchemeDataError:
    return SchemeDataError(f"提取模板 {path.name}：{where}：{message}")


def compile_template(data: Any, path: Path, *, eager: bool = True) -> CompiledTemplate:
    """A document type from its YAML data; every mistake named with file and key.
    ``eager=False`` (the bundled types, whose patterns the tests compile): the field
    patterns compile when first used."""
    try:
        template = Template.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "（文件）"
        raise _error(path, where, first["msg"]) from exc
    if template.id != path.stem:
        raise _error(path, "id", f"应与文件名一致（{path.stem}）")
    fields = []
    for name, spec in template.fields.items():
        norm = spec.normaliser_name
        if norm not in NORMALISERS:
            hint = difflib.get_close_matches(norm, NORMALISERS, n=1)
            raise _error(path, f"fields.{name}.normaliser", f"未知的规范化方法 {norm!r}"
                         + (f"（是否应为 {hint[0]}？）" if hint else "") + f"；可用：{', '.join(NORMALISERS)}")
        for param in REQUIRED_PARAMS.get(norm, ()):
            if param not in spec.normaliser_params:
                raise _error(path, f"fields.{name}.normaliser.params", f"{norm} 需要参数 {param}")
        expanded = []
        for i, pattern in enumerate(spec.patterns):
            try:
                expanded.append(expand(pattern))
            except KeyError as exc:
                hint = difflib.get_close_matches(exc.args[0], MACROS, n=1)
                raise _error(path, f"fields.{name}.patterns[{i}]", f"未知的宏 {{{exc.args[0]}}}"
                             + (f"（是否应为 {{{hint[0]}}}？）" if hint else "")) from exc
        labels = [lab.replace(" ", "") for p in spec.patterns for lab in _LABEL.findall(p)]
        field = CompiledField(name, spec, expanded, labels, path)
        if eager:
            field.regexes  # noqa: B018 - compiled now: a mistake is reported as the file is read
        fields.append(field)
    names = set(template.fields)
    if template.subject.field and template.subject.field not in names:
        raise _error(path, "subject.field", f"没有字段 {template.subject.field!r}")
    if any(f.spec.per_year for f in fields) and "year" not in names:
        raise _error(path, "fields", "按年度的字段（per_year）需要同时定义 year 字段")
    for i, rule in enumerate(template.apply):
        _check_rule(rule, names, path, f"apply[{i}]")
    return CompiledTemplate(template, path, fields)


def _check_rule(rule: ApplyRule, names: set[str], path: Path, where: str) -> None:
    from .targets import TargetError, check_target

    if (rule.value is None) == (rule.record is None):
        raise _error(path, where, "value 和 record 须且只须给出一个")
    try:
        check_target(rule.target, record=rule.record is not None, record_fields=list(rule.record or {}))
    except TargetError as exc:
        raise _error(path, f"{where}.target", str(exc)) from exc
    refs = referenced_fields(rule.value if rule.record is None else list(rule.record.values()))
    special = {"year", "file"}
    for ref in refs:
        if ref not in names and ref not in special:
            raise _error(path, where, f"引用了未定义的字段 {{{ref}}}")
    for key in rule.key if rule.record else ():
        if key not in (rule.record or {}):
            raise _error(path, f"{where}.key", f"{key} 不在 record 中")


def referenced_fields(value: Any) -> set[str]:
    if isinstance(value, str):
        return {name for _, name, _, _ in string.Formatter().parse(value) if name}
    if isinstance(value, list):
        return set().union(*(referenced_fields(v) for v in value)) if value else set()
    return set()


def load_template_file(path: Path, *, eager: bool = True) -> CompiledTemplate:
    from ..yamlread import read_yaml

    return compile_template(_plain(read_yaml(path).data), path, eager=eager)


def _plain(data: Any) -> Any:
    """The reader's containers (which carry line numbers) → plain dicts and lists (for pydantic)."""
    if isinstance(data, dict):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


@lru_cache(maxsize=4)
def load_templates(directory: Path | None = None) -> tuple[CompiledTemplate, ...]:
    directory = Path(directory) if directory else TEMPLATE_DIR
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise SchemeDataError(f"找不到提取模板：{directory} 中没有 .yaml 文件")
    # the bundled types compile their patterns when used (tests/test_extract.py compiles them
    # all); another folder's are checked whole as they are read
    eager = directory.resolve() != Path(TEMPLATE_DIR).resolve()
    return tuple(load_template_file(path, eager=eager) for path in files)
