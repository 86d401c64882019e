"""The names a scheme file may use, and what each one means: the engine's registries.

A programme is data (``checklists/<id>.yaml``) and form templates. Whatever it needs
beyond them it names from these tables — a rule type, a metric, a threshold check, a
lookup calculator, a scoring method — and the engine runs the code registered under
that name. ``dossier.schemes`` checks every name when a scheme file loads (a typo fails
there, naming the file and key, with the closest known name); each engine module that
implements a table registers its functions under the same names and checks them
against this table when it is imported (:func:`require_implemented`), so a name
declared here without code, or code without a name, fails at once — also under
``python -O``. ``docs/adding-a-programme.md`` lists them for the people who write
scheme files.

Where a registry's code lives:

* rule types → ``dossier/scoring/rules.py`` (``RULES``);
* metrics → ``dossier/scoring/metrics.py`` (``METRICS``);
* threshold metrics → ``dossier/scoring/thresholds.py`` (``THRESHOLDS``);
* lookup calculators → ``dossier/scoring/rules.py`` (``CALCULATORS``);
* scoring methods → ``dossier/scoring/engine.py`` (``SCORING_METHODS``);
* evidence conditions (``required_if: name:value``) → ``dossier/evidence_check.py`` (``CONDITIONS``).

Per-programme code that is not a reusable name (figures only one programme's forms
show) lives in one module per programme, found by scheme id: :mod:`dossier.programmes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

@dataclass(frozen=True)
class RuleType:
    params: tuple[str, ...]  # the parameters a row's rule must give
    text: str


@dataclass(frozen=True)
class ScoringMethod:
    # "answers": each indicator is self-assessed (indicators.<id>: status, points …);
    # "yearly": each indicator is a yearly figure (years.<year>.green_index.<id>), entered
    # for every year of the window and scored by the method — init, validate, the
    # workbook and rollover then ask for yearly figures instead of answers.
    indicators: str
    text: str


RULE_TYPES: dict[str, RuleType] = {
    "claimed": RuleType((), "自评得分（0 … max_points；符合而未填分按满分）"),
    "binary": RuleType((), "符合得满分，否则 0"),
    "options": RuleType(("options",), "按所选档次（options[].label / points）"),
    "components": RuleType(("components",), "各分项之和（components[].label / points）"),
    "per_item": RuleType(("points_each", "cap"), "每项 points_each 分，最高 cap"),
    "tiers": RuleType(("metric", "tiers"), "按 metric 所在档次（tiers[].min / points）"),
    "proportional": RuleType(("metric", "zero_at", "full_at"), "按 metric 在 zero_at 与 full_at 之间线性给分"),
    "lookup": RuleType(("table", "calculator"), "按 lookup_tables.<table> 由计算方法 calculator 给分"),
    "grade": RuleType(("metric", "grades"), "按 metric 的等级（grades[].grade / points）"),
}

METRICS: dict[str, str] = {
    "renewable_share": "可再生能源消费占比（%，上年度）",
    "solid_waste_utilization_rate": "工业固体废物综合利用率（%，上年度）",
    "building_density": "建筑密度（%）",
    "green_material_rate": "绿色物料使用率（%，上年度）",
    "plot_ratio_vs_requirement": "容积率与规划要求之比",
    "near_zero_commitment_years": "承诺实现近零碳的年数",
    "energy_zero_carbon_ratio": "能源层面零碳比例（%）",
    "resource_intensive_grade": "资源集约利用评价等级（A/B/C/D）",
}

THRESHOLD_METRICS: dict[str, str] = {
    "basic_conditions": "基本条件全部符合（items：只看这些条目）",
    "mandatory_indicators": "必选指标全部符合",
    "total_score": "总分与 value 比较",
    "own_reduction_ratio": "自主减排比例与 value 比较",
    "offset_coverage": "碳抵消覆盖比例与 value 比较",
}

LOOKUP_CALCULATORS: dict[str, str] = {
    "energy_saving": "节能量评分表：按上年度综合能耗所在档次，项目节能量得分与综合节能率得分取高（苏州附件1-3/1-4）",
}

SCORING_METHODS: dict[str, ScoringMethod] = {
    "sum": ScoringMethod("answers", "各一级指标得分相加，加分项另计"),
    "weighted": ScoringMethod("answers", "各一级指标得分 × 权重相加，加分项另计"),
    "green_index": ScoringMethod("yearly", "近三年绿色指数（GI）平均值 + 加分项（浙江省绿色低碳工业园区导则）"),
}

# Conditions of an evidence item's ``required_if`` other than an answered row: ``name:value``.
EVIDENCE_CONDITIONS: dict[str, str] = {
    "offsets": "dossier 中有该类型的碳抵消（offsets[].type），如 offsets:绿证",
    "application_type": "申报类型为该值，如 application_type:zero",
    "honours": "主要荣誉中有名称含该文字的一项，如 honours:智能工厂",
    "certifications": "有该类别的认证（subject.certifications[].kind），如 certifications:energy",
}

REGISTRIES: dict[str, dict[str, Any]] = {
    "rule types": RULE_TYPES,
    "metrics": METRICS,
    "threshold metrics": THRESHOLD_METRICS,
    "lookup calculators": LOOKUP_CALCULATORS,
    "scoring methods": SCORING_METHODS,
    "evidence conditions": EVIDENCE_CONDITIONS,
}


def require_implemented(registry: str, implemented: Iterable[str]) -> None:
    """Raise unless the code of ``registry`` covers exactly the names declared here."""
    declared, done = set(REGISTRIES[registry]), set(implemented)
    if declared != done:
        missing, extra = sorted(declared - done), sorted(done - declared)
        raise RuntimeError(f"the engine's {registry} disagree with dossier/vocabulary.py: "
                           f"no code for {missing}, not declared {extra}")
