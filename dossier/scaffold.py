"""``dossier init``: a new dossier folder with a commented ``dossier.yaml`` and ``evidence/``.

The YAML is generated from the model (each field's Chinese description becomes its
comment) restricted to the fields the scheme uses (``fields:`` in the scheme data),
followed by one entry per basic condition, indicator and bonus item of the scheme,
each headed by its requirement text, so the user fills the file top to bottom.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .errors import DossierExistsError
from .introspect import SECTION_KEYS, field_used as _used, is_dict as _is_dict, is_list as _is_list, model_class as _model_class
from .loader import DOSSIER_FILE, EVIDENCE_DIR
from .model import Answer, Dossier, YearData, energy_carriers
from .schemes import Indicator, Scheme, load_scheme
from .edit import write_new

_EXAMPLE_TEXT_WIDTH = 60


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)


def _line(indent: int, key: str, value: str, comment: str | None) -> str:
    text = f"{'  ' * indent}{key}:" + (f" {value}" if value else "")
    return text + (f"  # {comment}" if comment else "")


def _emit_model(model: type[BaseModel], prefix: str, indent: int, fields: list[str], values: dict, out: list[str]) -> None:
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        if not prefix and name in SECTION_KEYS:
            continue
        if not _used(path, fields):
            continue
        comment = info.description
        sub = _model_class(info.annotation)
        if _is_list(info.annotation):
            if sub is not None:
                keys = ", ".join(sub.model_fields)
                comment = f"{comment}；每项字段：{keys}"
            out.append(_line(indent, name, "[]", comment))
        elif _is_dict(info.annotation):
            out.append(_line(indent, name, "{}", comment))
        elif sub is not None:
            out.append(_line(indent, name, "", comment))
            _emit_model(sub, f"{path}.", indent + 1, fields, values.get(name, {}) or {}, out)
        else:
            out.append(_line(indent, name, _scalar(values.get(name)), comment))


def _emit_year(year: int, scheme: Scheme, fields: list[str], out: list[str]) -> None:
    out.append(f"  {year}:")
    if scheme.yearly_indicators:
        # Indicators that are yearly figures: the 绿色指数 values and the 加分项 data.
        out.append(_line(2, "green_index", "", "绿色指数指标数据（按指标单位填写数值；定性指标可填文字）"))
        for row in scheme.indicators:
            unit = f"，{row.unit}" if row.unit else ""
            out.append(_line(3, row.id, "", f"{row.category} {row.requirement}{unit}"))
        out.append(_line(2, "bonus_data", "", "加分项指标数据"))
        for row in scheme.bonus:
            out.append(_line(3, row.id, "", row.requirement))
        out.append(_line(2, "evidence", "{}", "各指标的证明材料索引（指标 id: [文件]）"))
    for name, info in YearData.model_fields.items():
        path = f"years.{name}"
        if not _used(path, fields):
            continue
        if name == "energy":
            out.append(_line(2, name, "", f"{info.description}"))
            for carrier in energy_carriers().values():
                out.append(_line(3, carrier["id"], "", f"{carrier['name']}，{carrier['unit']}"))
            continue
        sub = _model_class(info.annotation)
        if _is_list(info.annotation):
            keys = ", ".join(sub.model_fields) if sub else ""
            out.append(_line(2, name, "[]", f"{info.description}" + (f"；每项字段：{keys}" if keys else "")))
        elif _is_dict(info.annotation):
            out.append(_line(2, name, "{}", info.description))
        elif sub is not None:
            out.append(_line(2, name, "", info.description))
            for sub_name, sub_info in sub.model_fields.items():
                if _is_dict(sub_info.annotation):
                    continue
                out.append(_line(3, sub_name, "", sub_info.description))
        else:
            out.append(_line(2, name, "", info.description))


def _short(text: str, width: int = _EXAMPLE_TEXT_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _answer_block(row_id: str, heading: str, row: Indicator | None, out: list[str]) -> None:
    out.append(f"  # {heading}")
    out.append(f"  {row_id}:")
    out.append(_line(2, "status", "", "符合 / 部分符合 / 不符合 / 不适用"))
    if row is not None:
        rule = row.rule
        if rule.type == "options":
            labels = " / ".join(o["label"] for o in rule.params["options"])
            out.append(_line(2, "option", "", f"所选档次：{labels}"))
        elif rule.type == "components":
            labels = " / ".join(c["label"] for c in rule.params["components"])
            out.append(_line(2, "components", "[]", f"已满足的分项：{labels}"))
        elif rule.type == "per_item":
            out.append(_line(2, "count", "", f"满足的项数（每项 {rule.params['points_each']:g} 分，最高 {rule.params['cap']:g} 分）"))
        top = "分值未知" if row.max_points is None else f"0–{row.max_points:g}"  # null: the text lacks it
        out.append(_line(2, "points", "", f"自评得分（{top}）"))
    out.append(_line(2, "statement", "", Answer.model_fields["statement"].description))
    out.append(_line(2, "evidence", "[]", Answer.model_fields["evidence"].description))


def render_scaffold(scheme: Scheme, name: str | None = None, reporting_year: int | None = None) -> str:
    """The text of a new ``dossier.yaml`` for ``scheme``."""
    year = reporting_year or dt.date.today().year
    probe = Dossier(scheme=scheme.id, reporting_year=year)
    # subject.kind is always written: it must match the scheme's subject (factory/park).
    fields = [*scheme.fields, "subject.kind"] if scheme.fields else []
    out: list[str] = [
        f"# {scheme.name} 申报档案",
        f"# 方案：{scheme.id}（{scheme.issuer}，{scheme.source.document}）",
        "# 填写说明：“#”后为字段说明；留空表示尚未填写（dossier validate 会列出）。",
        "# 金额单位为万元；能源为实物量；日期写作 YYYY-MM-DD。",
        "",
        _line(0, "scheme", scheme.id, "方案 id（请勿修改）"),
        _line(0, "reporting_year", str(year), Dossier.model_fields["reporting_year"].description),
    ]
    if scheme.application_types:
        types = " / ".join(f"{t.id}（{t.name}）" for t in scheme.application_types)
        out.append(_line(0, "application_type", "", f"申报类型：{types}"))
    if scheme.levels:
        levels = " / ".join(lv.id for lv in scheme.levels)
        out.append(_line(0, "target_level", "", f"申报级别：{levels}"))
    values = {"subject": {"kind": scheme.subject, "name": name}}
    body: list[str] = []
    _emit_model(Dossier, "", 0, fields, values, body)
    # application_type / target_level were written above with their choices.
    body = [ln for ln in body if not ln.startswith(("application_type:", "target_level:"))]
    out += body

    out += ["", _line(0, "years", "", f"年度数据：近三年为 {probe.window[0]}–{probe.window[-1]} 年")]
    for y in probe.window:
        _emit_year(y, scheme, fields, out)

    out += ["", _line(0, "basic_conditions", "", "基本条件自评（一票否决项）")]
    for bc in scheme.basic_conditions:
        label = f"{bc.no} " if bc.no else ""
        group = f"{bc.group}：" if bc.group else ""
        _answer_block(bc.id, f"{label}{group}{_short(bc.text)}", None, out)
    for section, rows, title in (("indicators", scheme.indicators, "评价指标自评"), ("bonus", scheme.bonus, "加分项自评")):
        if not rows or (section == "indicators" and scheme.yearly_indicators):
            continue
        out += ["", _line(0, section, "", title)]
        for row in rows:
            where = "/".join(x for x in (row.category, row.subcategory) if x)
            worth = "分值未知" if row.max_points is None else f"{row.max_points:g} 分"
            heading = f"{row.id} {where}（{row.type}，{worth}）：{_short(row.requirement)}"
            _answer_block(row.id, heading, row, out)
    if scheme.compliance_questions:
        out += ["", _line(0, "compliance", "", "合规性信息：是 / 否")]
        for q in scheme.compliance_questions:
            out.append(_line(1, q.id, "", _short(q.text, 80)))
    if scheme.narratives:
        out += ["", _line(0, "narratives", "", "报告正文各节（多行文字用 | 开头）")]
        for n in scheme.narratives:
            limit = f"，不超过 {n.max_chars} 字" if n.max_chars else ""
            out.append(f"  # {n.title}{limit}" + (f"：{_short(n.hint, 80)}" if n.hint else ""))
            out.append(_line(1, n.id, '""', None))
    return "\n".join(out) + "\n"


def init_dossier(directory: Path, scheme_id: str, name: str | None = None, reporting_year: int | None = None) -> Path:
    """Create ``directory/dossier.yaml`` and ``directory/evidence/<item folders>``.

    Refuses to overwrite an existing dossier.
    """
    scheme = load_scheme(scheme_id)
    directory = Path(directory)
    target = directory / DOSSIER_FILE
    if target.exists():
        raise DossierExistsError(f"{target} 已存在，未做任何修改。如需重新创建，请换一个目录或先移走原文件")
    text = render_scaffold(scheme, name=name, reporting_year=reporting_year)
    evidence = directory / EVIDENCE_DIR
    for item in scheme.evidence_list:
        (evidence / item.folder).mkdir(parents=True, exist_ok=True)
    write_new(target, text)
    return target
