"""The sheets of the workbook, one builder each, and :func:`build_layout` that puts them in order.

Each builder reads the scheme and the dossier through a :class:`~.layout.LayoutContext` and
returns a :class:`~.layout.SheetLayout` (or None when the scheme does not use that
part of the dossier). The kinds of the cells come from the model (:mod:`.fields`).
"""

from __future__ import annotations

import re
from typing import Any, Callable

from pydantic import BaseModel

from ..calc import energy as energy_calc
from ..calc import ghg
from ..calc.result import Result
from ..evidence_check import STATUS_LABELS, EvidenceCheckReport
from ..figures import Figures, YearFigures
from ..introspect import SECTION_KEYS, is_dict, is_list
from ..model import SUBJECT_KINDS, Dossier, YearData, energy_carriers
from ..schemes import Indicator, Scheme
from . import cells
from .cells import Kind
from .fields import Path, field_kind, leaf_kind, model_of, split_description
from .layout import (
    BLANK_TABLE_ROWS, FIELD_COLUMNS, PRODUCT_CATEGORY, YEAR_PLACEHOLDER, Block, Column, LayoutContext, Row, SheetLayout,
    at_year, computed_field, field_row, formula_text, key_of, non_empty, section_row, shown_value, year_column,
    year_columns, year_row,
)


# --- 基本信息 --------------------------------------------------------------------------------

# Handled elsewhere: the year data, the answers, offsets/projects (减排项目与抵消),
# certifications and honours (认证与荣誉); narratives stay in dossier.yaml (long text).
_NOT_BASIC = SECTION_KEYS | {"offsets", "projects"}
_OWN_SHEET = {("subject", "certifications"), ("subject", "honours"), ("subject", "kind"),
              ("evaluator", "basic_conditions"), ("evaluator", "indicators"), ("evaluator", "bonus"),
              ("evaluator", "conclusion"), ("evaluator", "site_visits"), ("evaluator", "team")}


def _walk_fields(ctx: LayoutContext, model: type[BaseModel], prefix: Path, label_prefix: str, rows: list[Row]) -> None:
    for name, info in model.model_fields.items():
        path = (*prefix, name)
        if not prefix and name in _NOT_BASIC or path in _OWN_SHEET:
            continue
        if prefix == ("subject",) and name in SUBJECT_KINDS and name != ctx.scheme.subject and ctx.value(path) is None:
            continue  # the details of another kind of subject (subject.park in a factory's dossier)
        sub = model_of(path)
        if sub is not None and not is_list(info.annotation) and not is_dict(info.annotation):
            if not prefix:
                rows.append(section_row(split_description(info.description or name)[0]))
                _walk_fields(ctx, sub, path, "", rows)
            else:
                label = split_description(info.description or name)[0]
                _walk_fields(ctx, sub, path, f"{label_prefix}{label}·", rows)
            continue
        if is_dict(info.annotation):
            keys = list((ctx.value(path) or {}).keys())
            if path == ("carbon", "annual_targets") and ctx.used(path):
                year = ctx.dossier.reporting_year
                keys += [y for y in range(year, year + 3) if y not in keys]
            # "各年度排放目标（年份: tCO2e）" → rows "各年度排放目标：2026", unit tCO2e
            label = split_description(info.description or name)[0]
            inner = re.search(r"（[^（）]*?:\s*([^（）]*)）", label)
            unit = inner.group(1) if inner and inner.group(1) in ("tCO2e", "tce", "万元") else ""
            label = re.sub(r"（[^（）]*:[^（）]*）", "", label)
            for key in keys:
                row = field_row(ctx, (*path, key))
                row.values.update(label=f"{label_prefix}{label}：{key}", unit=unit, note="")
                rows.append(row)
            continue
        if leaf_kind(info.annotation) is None:
            continue  # a list of models: a table of its own
        if ctx.used(path) or non_empty(ctx.value(path)):
            rows.append(field_row(ctx, path, label_prefix))


def basic_sheet(ctx: LayoutContext) -> SheetLayout:
    scheme, dossier = ctx.scheme, ctx.dossier
    rows = [
        section_row("申报信息"),
        Row(key="#computed:scheme", values={"label": "申报方案", "value": f"{scheme.name}（{scheme.id}）", "note": "导出时确定，不可修改"},
            style="computed"),
        Row(key="#computed:reporting_year", values={"label": "申报年度", "value": dossier.reporting_year,
                                           "note": f"近三年为 {dossier.window[0]}–{dossier.window[-1]} 年；如需修改请编辑 dossier.yaml"},
            style="computed"),
    ]
    for name in ("application_type", "target_level"):
        if name == "application_type" and not scheme.application_types or name == "target_level" and not scheme.levels:
            continue
        rows.append(field_row(ctx, (name,)))
    for name in ("fill_date", "submission_date"):
        rows.append(field_row(ctx, (name,)))
    body: list[Row] = []
    _walk_fields(ctx, Dossier, (), "", body)
    body = [r for r in body if r.key not in {key_of((n,)) for n in ("application_type", "target_level", "fill_date", "submission_date")}]
    body = _drop_empty_sections(body)
    carbon = [i for i, r in enumerate(body) if r.key and r.key.startswith('["carbon"')]
    if carbon:
        body[carbon[-1] + 1:carbon[-1] + 1] = _carbon_figures(ctx)
    elif ctx.used(("projects",)) or dossier.projects:
        body += [section_row(CARBON_SECTION), *_carbon_figures(ctx)]
    rows += body
    if scheme.compliance_questions:
        rows.append(section_row("合规性信息"))
        for q in scheme.compliance_questions:
            row = field_row(ctx, ("compliance", q.id))
            row.values.update(label=f"{q.id} {q.text}", note="是 / 否")
            rows.append(row)
    block = Block("basic", "fields", None, FIELD_COLUMNS, rows)
    return SheetLayout("basic", "基本信息", f"{scheme.name}申报档案 · 基本信息",
                       "黄色单元格为必填（★），灰色为只读；日期写作 2025-03-01；金额单位为万元。", [block], landscape=False)


def _drop_empty_sections(rows: list[Row]) -> list[Row]:
    out: list[Row] = []
    for i, row in enumerate(rows):
        if row.style == "section" and (i + 1 == len(rows) or rows[i + 1].style == "section"):
            continue
        out.append(row)
    return out


# --- 认证与荣誉 / 减排项目与抵消 / 产品与原材料: tables ----------------------------------------

_TABLE_WIDTHS = {
    "name": 22, "content": 26, "effect": 22, "verified_by": 18, "evidence": 28, "description": 26,
    "certificate": 22, "standard": 20, "number": 16, "body": 20, "scope": 26, "file": 28, "document": 26,
    "issuer": 16, "batch": 9, "kind": 12, "type": 10, "category": 7, "library": 7, "level": 7,
    "unit": 8, "year": 7, "start": 11, "end": 11, "issued": 11, "valid_until": 11,
}


# Where a field's description is a sentence, the column header says it shorter.
_TABLE_HEADERS = {"library": "入选项目库级别", "verified_by": "减排量核查（评估）机构"}
_HEADER_END = re.compile(r"：|；|，如|，每|（evidence/")  # "类别：quality 质量 / …" → "类别"


def table_header(name: str, description: str) -> str:
    if name in _TABLE_HEADERS:
        return _TABLE_HEADERS[name]
    text = _HEADER_END.split(description, maxsplit=1)[0].strip()
    if "（" in text:
        return text  # "项目总投资（万元）", "年节能量（tce，等价值）"
    label, unit, _ = split_description(text)
    return f"{label}（{unit}）" if unit else label


def _table_columns(model: type[BaseModel], order: list[str] | None = None) -> list[Column]:
    return [
        Column(name, table_header(name, model.model_fields[name].description or name), _TABLE_WIDTHS.get(name, 11), input=True)
        for name in order or list(model.model_fields)
    ]


def _table_rows(ctx: LayoutContext, list_path: Path, columns: list[Column], items: list[Any], blank: int = BLANK_TABLE_ROWS) -> list[Row]:
    rows = []
    required = [c.id for c in columns if c.input and _model_required(list_path, c.id)]
    for index in range(len(items) + blank):
        path = (*list_path, index)
        kinds = {c.id: field_kind((*path, c.id), ctx.scheme) for c in columns if c.input}
        values = {}
        if index < len(items):
            for c in columns:
                if c.input:
                    values[c.id] = cells.to_cell(kinds[c.id], ctx.value((*path, c.id)))
        rows.append(Row(key=key_of(path) if index < len(items) else None, values=values, kinds=kinds, required=set(required)))
    return rows


def _model_required(list_path: Path, name: str) -> bool:
    model = model_of((*list_path, 0))
    return bool(model and model.model_fields[name].is_required())


def table_block(ctx: LayoutContext, block_id: str, title: str, list_path: Path, order: list[str] | None = None) -> Block:
    model = model_of((*list_path, 0))
    if model is None:
        raise TypeError(f"{list_path} is not a list of records")
    columns = _table_columns(model, order)
    items = ctx.value(list_path) or []
    return Block(block_id, "table", title, columns, _table_rows(ctx, list_path, columns, items), section=key_of(list_path))


def credentials_sheet(ctx: LayoutContext) -> SheetLayout | None:
    blocks = []
    for name, title in (("certifications", "管理体系及产品认证"), ("honours", "主要荣誉")):
        path = ("subject", name)
        if ctx.used(path) or ctx.value(path):
            blocks.append(table_block(ctx, name, title, path))
    if not blocks:
        return None
    return SheetLayout("credentials", "认证与荣誉", f"{ctx.scheme.name}申报档案 · 认证与荣誉",
                       "每行一张证书或一项荣誉；在表格末尾的空行中填写即可新增（行不够时在空行之间插入行）。", blocks)


PROJECT_ORDER = ["name", "content", "category", "start", "end", "effect", "verified_by",
                 "investment", "energy_saving_tce", "reduction_tco2e", "water_saving_t", "library", "evidence"]
# The offsets table shares the sheet's columns with the projects table above it: the
# wide text columns line up (抵消方式 under 项目名称, 说明 under 具体实施内容 …).
OFFSET_ORDER = ["type", "description", "year", "quantity_tco2e", "quantity_mwh", "certificate", "evidence"]


def _carbon_figures(ctx: LayoutContext) -> list[Row]:
    """自主减排 and 抵消 as computed from the carbon data, projects and offsets (read-only)."""
    figures = Figures(ctx.dossier)
    year = ctx.dossier.last_year
    return [
        computed_field("own_reduction", "自主减排量（计算）", figures.own_reduction),
        computed_field("own_reduction_ratio", "自主减排比例（计算）", figures.own_reduction_ratio),
        computed_field("offsets_total", f"{year} 年碳抵消量合计（计算）", figures.offsets_total(year)),
        computed_field("offset_coverage", f"{year} 年碳抵消比例（计算）", figures.offset_coverage(year)),
    ]


CARBON_SECTION = split_description(Dossier.model_fields["carbon"].description or "")[0]


def carbon_sheet(ctx: LayoutContext) -> SheetLayout | None:
    d = ctx.dossier
    blocks: list[Block] = []
    if ctx.used(("projects",)) or d.projects:
        blocks.append(table_block(ctx, "projects", "节能降碳（减排）项目", ("projects",), PROJECT_ORDER))
    if ctx.used(("offsets",)) or d.offsets:
        blocks.append(table_block(ctx, "offsets", "碳抵消", ("offsets",), OFFSET_ORDER))
    if not blocks:
        return None
    return SheetLayout("carbon", "减排项目与抵消", f"{ctx.scheme.name}申报档案 · 减排项目与抵消",
                       "每行一个项目或一笔抵消；在表格末尾的空行中填写即可新增。自主减排比例、抵消比例的计算值见“基本信息”。", blocks)


def products_sheet(ctx: LayoutContext) -> SheetLayout | None:
    used = ctx.used(("years", YEAR_PLACEHOLDER, "production")) or ctx.used(("years", YEAR_PLACEHOLDER, "raw_materials"))
    has = any(ctx.value(("years", y, n)) for y in ctx.window for n in ("production", "raw_materials"))
    if not (used or has):
        return None
    columns = [
        Column("year", "年度", 8, input=True),
        Column("category", "类别", 9, input=True),
        Column("name", "名称", 30, input=True),
        Column("unit", "计量单位", 10, input=True),
        Column("amount", "产量/消耗量", 14, input=True),
        Column("green_amount", "其中绿色物料用量", 16, input=True),
    ]
    rows: list[Row] = []
    kinds = {
        "year": Kind("choice", tuple((y, str(y)) for y in ctx.window)),
        "category": PRODUCT_CATEGORY,
        "name": cells.TEXT, "unit": cells.TEXT, "amount": cells.NUMBER, "green_amount": cells.NUMBER,
    }
    for year in ctx.window:
        for list_name, label in (("production", "产品"), ("raw_materials", "原材料")):
            for index, item in enumerate(ctx.value(("years", year, list_name)) or []):
                values = {"year": year, "category": label, "name": item.get("name"), "unit": item.get("unit"),
                          "amount": cells.to_cell(cells.NUMBER, item.get("amount"))}
                if list_name == "raw_materials":
                    values["green_amount"] = cells.to_cell(cells.NUMBER, item.get("green_amount"))
                rows.append(Row(key_of(("years", year, list_name, index)), values, dict(kinds), {"name", "unit", "amount"}))
    for _ in range(BLANK_TABLE_ROWS * 2):
        rows.append(Row(None, {}, dict(kinds), {"year", "category", "name", "unit", "amount"}))
    block = Block("products", "table", "主要产品产量和原材料消耗量", columns, rows, section="products")
    return SheetLayout("products", "产品与原材料", f"{ctx.scheme.name}申报档案 · 产品与原材料",
                       "每行一种产品或原材料的一年数据；“其中绿色物料用量”只对原材料填写。在末尾空行中填写即可新增。",
                       [block], landscape=False)


# --- 年度数据 / 能源消费 / 绿色指数 ----------------------------------------------------------------

_YEAR_ELSEWHERE = {
    "energy", "energy_total_tce", "energy_total_equivalent_tce", "renewable_tce",  # 能源消费
    "production", "raw_materials",  # 产品与原材料
    "green_index", "bonus_data",  # 绿色指数
    "evidence",  # per-indicator evidence of a park: stays in dossier.yaml
}
_YEAR_SECTIONS = {"emissions": "温室气体排放", "pollutants": "主要污染物产生量", "pollutants_emitted": "主要污染物排放量"}


def yearly_sheet(ctx: LayoutContext) -> SheetLayout:
    rows: list[Row] = []
    plain: list[Row] = []
    for name, info in YearData.model_fields.items():
        if name in _YEAR_ELSEWHERE:
            continue
        path = ("years", YEAR_PLACEHOLDER, name)
        sub = model_of(path)
        if sub is not None:
            sub_rows = []
            for sub_name in sub.model_fields:
                sub_path = (*path, sub_name)
                if sub_name == "other":  # 其他污染物: one row per pollutant named in the dossier
                    names: list[str] = []
                    for y in ctx.window:
                        names += [n for n in (ctx.value(at_year(sub_path, y)) or {}) if n not in names]
                    for pollutant in names:
                        sub_rows.append(year_row(ctx, (*sub_path, pollutant), label=f"其他：{pollutant}", unit="t",
                                                  note="", kind=cells.NUMBER, required=False))
                    continue
                if ctx.used(sub_path) or any(non_empty(v) for v in ctx.year_values(sub_path).values()):
                    sub_rows.append(year_row(ctx, sub_path))
            if sub_rows:
                rows.append(section_row(_YEAR_SECTIONS.get(name, split_description(info.description or name)[0])))
                rows += sub_rows
            continue
        if ctx.used(path) or any(non_empty(v) for v in ctx.year_values(path).values()):
            plain.append(year_row(ctx, path))
    block = Block("yearly", "years", None, year_columns(ctx.window), plain + rows)
    return SheetLayout("yearly", "年度数据", f"{ctx.scheme.name}申报档案 · 年度数据（近三年）",
                       "每行一项数据，每列一年；只填数字（单位见“单位”列），黄色为必填（★）。", [block])


def energy_sheet(ctx: LayoutContext) -> SheetLayout:
    rows: list[Row] = []
    for carrier in energy_carriers().values():
        path = ("years", YEAR_PLACEHOLDER, "energy", carrier["id"])
        note = "可再生能源" if carrier.get("renewable") else ""
        if carrier.get("kind") == "exported_power":
            note = "输出厂外，不计入综合能耗"
        rows.append(year_row(ctx, path, label=carrier["name"], unit=carrier["unit"], note=note,
                              kind=cells.NUMBER.with_bounds(0, None), required=False))
    reported: list[Row] = []
    for name in ("energy_total_tce", "energy_total_equivalent_tce", "renewable_tce"):
        path = ("years", YEAR_PLACEHOLDER, name)
        if ctx.used(path) or any(non_empty(v) for v in ctx.year_values(path).values()):
            reported.append(year_row(ctx, path))
    if reported:
        rows += [section_row("统计报表数（填写后优先采用）"), *reported]
    block = Block("energy", "years", None, year_columns(ctx.window), rows)
    computed = Block("energy_figures", "computed", "计算值（只读：按上表实物量和国家标准折标系数、排放因子计算；“申报采用”优先用报表数和核查数）",
                     year_columns(ctx.window, note_width=60), energy_figure_rows(ctx))
    return SheetLayout("energy", "能源消费", f"{ctx.scheme.name}申报档案 · 能源消费（实物量）",
                       "按能源品种填写实物量（单位见“单位”列）；至少填写一种能源。下方灰色为计算值，只读，公式见“说明”列。",
                       [block, computed])


# name → (label, unit, function of (year data, year))
ENERGY_FIGURES: list[tuple[str, str, Callable[[Any, int], Result]]] = [
    ("energy_tce_computed", "综合能耗（当量值，按实物量计算）", lambda d, y: energy_calc.total_tce(d, basis="当量")),
    ("energy_equivalent_tce_computed", "综合能耗（等价值，按实物量计算）", lambda d, y: energy_calc.total_tce(d, basis="等价")),
    ("renewable_tce_computed", "可再生能源消费量（按实物量计算）", lambda d, y: energy_calc.renewable_tce(d)),
    ("renewable_share", "可再生能源消费占比（申报采用）", lambda d, y: YearFigures(d, y).renewable_share),
    ("scope1_computed", "类别1 直接排放（按实物量计算）", lambda d, y: ghg.category1(d)),
    ("scope2_computed", "类别2 能源间接排放（按实物量计算）", lambda d, y: ghg.category2(d, y)),
    ("scope12", "类别1+类别2 排放（申报采用）", lambda d, y: YearFigures(d, y).scope12),
]


def energy_figure_rows(ctx: LayoutContext) -> list[Row]:
    rows = []
    for name, label, compute in ENERGY_FIGURES:
        values: dict[str, Any] = {"label": label}
        notes = []
        unit = ""
        for year in ctx.window:
            result = compute(ctx.dossier.year(year), year)
            unit = result.unit
            values[year_column(year)] = shown_value(result)
            notes.append(f"{year}年：{formula_text(result)}")
        values["unit"] = unit
        values["note"] = "\n".join(notes)
        rows.append(Row(key=f"#computed:{name}", values=values, style="computed"))
    return rows


def green_index_sheet(ctx: LayoutContext) -> SheetLayout | None:
    scheme = ctx.scheme
    if not scheme.yearly_indicators:
        return None
    rows: list[Row] = [section_row("绿色指数指标")]
    for row in scheme.indicators:
        path = ("years", YEAR_PLACEHOLDER, "green_index", row.id)
        where = "/".join(x for x in (row.category, row.subcategory) if x)
        rows.append(year_row(ctx, path, label=f"{row.id} {row.requirement}", unit=row.unit or "", note=where,
                              kind=cells.MEASURE, required=True))
    if scheme.bonus:
        rows.append(section_row("加分项指标数据"))
        for row in scheme.bonus:
            path = ("years", YEAR_PLACEHOLDER, "bonus_data", row.id)
            rows.append(year_row(ctx, path, label=f"{row.id} {row.requirement}", unit=row.unit or "", note="数值或文字说明",
                                  kind=cells.MEASURE, required=False))
    block = Block("green_index", "years", None, year_columns(ctx.window, label_width=40, note_width=30), rows)
    return SheetLayout("green_index", "绿色指数", f"{scheme.name}申报档案 · 绿色指数（近三年）",
                       "按指标单位填写数值；定性指标可填文字（如“已建成”）。", [block])


# --- 基本条件自评 / 评价指标自评 / 加分项自评 -----------------------------------------------------

ANSWER_INPUTS = {
    "status": ("符合性", 8),
    "points": ("自评得分", 6),
    "option": ("所选档次", 14),
    "components": ("已满足的分项（每行一项）", 18),
    "count": ("满足项数", 6),
    "statement": ("符合性说明", 34),
    "evidence": ("证明材料（路径，每行一个）", 28),
}


def _answer_columns(inputs: list[str], display: list[Column]) -> list[Column]:
    return [*display, *[Column(n, ANSWER_INPUTS[n][0], ANSWER_INPUTS[n][1], input=True) for n in inputs]]


def _answer_row(ctx: LayoutContext, section: str, row_id: str, inputs: list[str], display: dict[str, Any]) -> Row:
    kinds = {n: field_kind((section, row_id, n), ctx.scheme) for n in inputs}
    answer = ctx.value((section, row_id)) or {}
    values = dict(display)
    for name in inputs:
        values[name] = cells.to_cell(kinds[name], answer.get(name))
    return Row(key=key_of((section, row_id)), values=values, kinds=kinds, required={"status"})


def conditions_sheet(ctx: LayoutContext) -> SheetLayout:
    scheme = ctx.scheme
    has_group = any(b.group for b in scheme.basic_conditions)
    display = [Column("id", "编号", 6)]
    if has_group:
        display.append(Column("group", "类别", 12))
    display.append(Column("text", "基本条件", 60))
    inputs = ["status", "statement", "evidence"]
    rows = []
    for bc in scheme.basic_conditions:
        text = bc.text + ("".join(f"\n{item}" for item in bc.items) if bc.items else "")
        rows.append(_answer_row(ctx, "basic_conditions", bc.id, inputs, {"id": bc.id, "group": bc.group, "text": text}))
    block = Block("basic_conditions", "answers", None, _answer_columns(inputs, display), rows, section="basic_conditions")
    return SheetLayout("basic_conditions", "基本条件自评", f"{scheme.name} · 基本条件自评（一票否决）",
                       "“符合性”从下拉列表选择：符合 / 部分符合 / 不符合 / 不适用；条件原文不可修改。", [block])


def _indicator_display(rows: list[Indicator]) -> list[Column]:
    columns = [Column("id", "编号", 5)]
    if any(r.category for r in rows):
        columns.append(Column("category", "一级指标", 9))
    if any(r.subcategory for r in rows):
        columns.append(Column("subcategory", "二级指标", 9))
    columns += [Column("requirement", "要求", 40), Column("type", "类型", 6), Column("max_points", "分值", 5)]
    return columns


def _indicator_inputs(rows: list[Indicator]) -> list[str]:
    inputs = ["status", "points"]
    rules = {r.rule.type for r in rows}
    if "options" in rules:
        inputs.append("option")
    if "components" in rules:
        inputs.append("components")
    if "per_item" in rules:
        inputs.append("count")
    return [*inputs, "statement", "evidence"]


def indicators_sheet(ctx: LayoutContext, section: str) -> SheetLayout | None:
    scheme = ctx.scheme
    rows_of = scheme.indicators if section == "indicators" else scheme.bonus
    if not rows_of or section == "indicators" and scheme.yearly_indicators:
        return None  # yearly figures (绿色指数): the green-index sheet
    display = _indicator_display(rows_of)
    inputs = _indicator_inputs(rows_of)
    rows = []
    for ind in rows_of:
        values = {
            "id": ind.id, "category": ind.category, "subcategory": ind.subcategory,
            "requirement": ind.requirement, "type": ind.type, "max_points": ind.max_points,
        }
        row = _answer_row(ctx, section, ind.id, inputs, values)
        # Only the inputs the row's rule reads: the others are greyed out (read-only).
        for name, rule in (("option", "options"), ("components", "components"), ("count", "per_item")):
            if name in row.kinds and ind.rule.type != rule and cells.is_empty(row.values.get(name)):
                del row.kinds[name]
        rows.append(row)
    title = "评价指标自评" if section == "indicators" else "加分项自评"
    block = Block(section, "answers", None, _answer_columns(inputs, display), rows, section=section)
    return SheetLayout(section, title, f"{scheme.name} · {title}",
                       "“符合性”从下拉列表选择；“自评得分”不超过该项分值；要求原文不可修改。", [block])


def rule_hint(ind: Indicator) -> str | None:
    """What the option/components/count cell of a row expects (shown as the cell's prompt)."""
    rule = ind.rule
    if rule.type == "options":
        return "档次：" + "；".join(f"{o['label']}（{o['points']:g} 分）" for o in rule.params["options"])
    if rule.type == "components":
        return "分项（照抄，每行一项）：" + "；".join(c["label"] for c in rule.params["components"])
    if rule.type == "per_item":
        return f"每项 {rule.params['points_each']:g} 分，最高 {rule.params['cap']:g} 分"
    return None


# --- 第三方评价 (the evaluator's findings) -------------------------------------------------------

FINDING_INPUTS = {
    "status": ("评价结论", 8),
    "points": ("评价得分", 6),
    "option": ("评定档次", 14),
    "components": ("核实满足的分项（每行一项）", 18),
    "count": ("满足项数", 6),
    "finding": ("评价发现（评价人填写）", 40),
    "evidence_checked": ("核查的证明材料（每行一个）", 28),
    "checked_on": ("现场核查日期", 11),
    "remarks": ("备注", 18),
}


def _finding_row(ctx: LayoutContext, section: str, row_id: str, inputs: list[str], display: dict[str, Any]) -> Row:
    path = ("evaluator", section, row_id)
    kinds = {n: field_kind((*path, n), ctx.scheme) for n in inputs}
    if "points" in kinds and section != "basic_conditions":
        try:
            kinds["points"] = kinds["points"].with_bounds(0, ctx.scheme.indicator(row_id).max_points)
        except KeyError:
            pass
    finding = ctx.value(path) or {}
    values = dict(display)
    for name in inputs:
        values[name] = cells.to_cell(kinds[name], finding.get(name))
    return Row(key=key_of(path), values=values, kinds=kinds, required={"status"})


def evaluator_sheet(ctx: LayoutContext) -> SheetLayout | None:
    """第三方评价: the evaluator's verdict, points, finding, evidence checked, on-site check
    date and remarks per basic condition, indicator (not a park's 绿色指数, which is data)
    and bonus item — only for schemes with a form the evaluator signs."""
    scheme = ctx.scheme
    if not any(f.author == "evaluator" for f in scheme.forms):
        return None
    tail = ["finding", "evidence_checked", "checked_on", "remarks"]
    blocks = [
        Block("evaluator", "fields", None, FIELD_COLUMNS,
              [section_row("评价过程与结论"), field_row(ctx, ("evaluator", "site_visits")),
               field_row(ctx, ("evaluator", "conclusion"))]),
        table_block(ctx, "evaluator.team", "评价组成员", ("evaluator", "team")),
    ]
    basic_inputs = ["status", *tail]
    rows = [_finding_row(ctx, "basic_conditions", bc.id, basic_inputs, {"id": bc.id, "group": bc.group, "text": bc.text})
            for bc in scheme.basic_conditions]
    display = [Column("id", "编号", 6), Column("text", "基本条件", 48)]
    blocks.append(Block("evaluator.basic_conditions", "answers", "基本条件（基本要求）",
                        [*display, *[Column(n, *FINDING_INPUTS[n], input=True) for n in basic_inputs]], rows,
                        section="evaluator.basic_conditions"))
    for section, title, rows_of in (("indicators", "评价指标", [] if scheme.yearly_indicators else scheme.indicators),
                                    ("bonus", "加分项", scheme.bonus)):
        if not rows_of:
            continue
        inputs = [n for n in _indicator_inputs(rows_of) if n not in ("statement", "evidence")] + tail
        rows = []
        for ind in rows_of:
            values = {"id": ind.id, "category": ind.category, "subcategory": ind.subcategory,
                      "requirement": ind.requirement, "type": ind.type, "max_points": ind.max_points}
            row = _finding_row(ctx, section, ind.id, inputs, values)
            for name, rule in (("option", "options"), ("components", "components"), ("count", "per_item")):
                if name in row.kinds and ind.rule.type != rule and cells.is_empty(row.values.get(name)):
                    del row.kinds[name]
            rows.append(row)
        columns = [*_indicator_display(rows_of), *[Column(n, *FINDING_INPUTS[n], input=True) for n in inputs]]
        blocks.append(Block(f"evaluator.{section}", "answers", title, columns, rows, section=f"evaluator.{section}"))
    return SheetLayout("evaluator", "第三方评价", f"{scheme.name} · 第三方评价（评价机构填写）",
                       "由第三方评价人填写：现场评价日期每行一个（如 2026-11-26）；评价结论从下拉列表选择，评价得分不超过该项分值，"
                       "评价发现写评价人的核实情况和判断；未填写评价结论的行为“待评价”，第三方评价报告中留空。", blocks)


# --- 证明材料 ----------------------------------------------------------------------------------


def evidence_sheet(ctx: LayoutContext, report: EvidenceCheckReport) -> SheetLayout:
    columns = [Column("no", "序号", 6), Column("title", "材料", 40), Column("status", "状态", 10),
               Column("files", "文件", 44), Column("problems", "问题", 50)]
    rows = [
        Row(key=f"#computed:evidence:{item.no}",
            values={"no": item.no, "title": item.title, "status": STATUS_LABELS[item.status],
                    "files": "\n".join(item.files), "problems": "\n".join(item.problems), "_status": item.status},
            style="computed")
        for item in report.items
    ]
    counts = "，".join(f"{STATUS_LABELS[s]} {n} 项" for s, n in report.counts().items())
    block = Block("evidence", "evidence", None, columns, rows)
    return SheetLayout("evidence", "证明材料", f"{ctx.scheme.name} · 证明材料清单（检查日 {report.as_of}）",
                       f"由 dossier check 生成，只读（不导入）：{counts}。材料放在 evidence/ 下对应子目录。", [block],
                       imported=False)


# --- the whole workbook ---------------------------------------------------------------------


def build_layout(dossier: Dossier, scheme: Scheme, report: EvidenceCheckReport | None) -> list[SheetLayout]:
    """The sheets of the workbook of ``dossier``, in order."""
    ctx = LayoutContext(dossier, scheme)
    sheets: list[SheetLayout | None] = [
        basic_sheet(ctx),
        yearly_sheet(ctx),
        energy_sheet(ctx),
        products_sheet(ctx),
        green_index_sheet(ctx),
        credentials_sheet(ctx),
        conditions_sheet(ctx),
        indicators_sheet(ctx, "indicators"),
        indicators_sheet(ctx, "bonus"),
        evaluator_sheet(ctx),
        carbon_sheet(ctx),
        evidence_sheet(ctx, report) if report is not None else None,
    ]
    return [s for s in sheets if s is not None]
