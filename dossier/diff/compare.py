"""``dossier diff OLD NEW``: what changed between two dossiers of one enterprise — as a
rule last year's and this year's, so the latest year of each is compared (2025 in the
2026 dossier against 2026 in the 2027 one): the figures behind the forms' 持续改进情况
rows.

Four parts:

* figures: every yearly figure either dossier has (the yearly data as entered, energy by
  carrier, emissions, pollutants, 绿色指数 values) and every computed one
  (:data:`dossier.figures.YEAR_FIGURES`: 综合能耗, 排放, intensities, shares), old year
  against new year, with the change, its rate and whether it went the right way where a
  figure has one (an intensity should fall, a share should rise);
* improvement: where the scheme's data lists 持续改进情况 rows (``improvement``: the
  动态管理表 compares listing-time values with the latest year), each row: listing value,
  old year, new year;
* revisions: a year both dossiers hold whose figure differs (a corrected figure);
* answers: indicators whose self-assessment or points changed, and the total score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..calc.result import Result
from ..errors import BadInputError
from ..improvement import improvement_values
from ..figures import YEAR_FIGURES, Figures
from ..loader import LoadedDossier, load_dossier
from ..model import Emissions, Pollutants, YearData, energy_carriers
from ..scoring import score_dossier

# The way a computed figure should move: intensities down, shares and rates up. Totals
# (energy, emissions, output) have no right way on their own.
BETTER: dict[str, str] = {
    "renewable_share": "higher", "energy_per_output_value": "lower", "energy_per_value_added": "lower",
    "energy_per_product": "lower", "carbon_per_output_value": "lower", "carbon_per_value_added": "lower",
    "carbon_per_product": "lower", "output_per_land_area": "higher", "green_material_rate": "higher",
    "solid_waste_utilization_rate": "higher", "wastewater_reuse_rate": "higher", "water_reuse_rate": "higher",
    "wastewater_per_product": "lower", "waste_gas_per_product": "lower",
}
_SKIP = {"energy", "production", "raw_materials", "emissions", "pollutants", "pollutants_emitted",
         "green_index", "bonus_data", "evidence"}


@dataclass
class FigureRow:
    key: str
    label: str
    old: Any
    new: Any
    better: str | None = None

    @property
    def delta(self) -> float | None:
        if _number(self.old) and _number(self.new):
            return float(self.new) - float(self.old)
        return None

    @property
    def rate(self) -> float | None:
        """The change in % of the old value."""
        if self.delta is None or not self.old:
            return None
        return self.delta / abs(float(self.old)) * 100

    @property
    def verdict(self) -> str | None:
        if self.delta is None or self.better is None or self.delta == 0:
            return None
        return "改善" if (self.delta < 0) == (self.better == "lower") else "变差"

    @property
    def changed(self) -> bool:
        return self.old != self.new

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "old": self.old, "new": self.new, "delta": self.delta,
                "rate_pct": self.rate, "better": self.better, "verdict": self.verdict}


@dataclass
class Revision:
    year: int
    key: str
    label: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "key": self.key, "label": self.label, "old": self.old, "new": self.new}


@dataclass
class ImprovementRow:
    key: str
    listed: Any
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "listed": self.listed, "old": self.old, "new": self.new}


@dataclass
class AnswerChange:
    id: str
    section: str
    old_status: str | None
    new_status: str | None
    old_points: float | None
    new_points: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "section": self.section, "old_status": self.old_status, "new_status": self.new_status,
                "old_points": self.old_points, "new_points": self.new_points}


@dataclass
class DiffReport:
    old_path: Path
    new_path: Path
    scheme: str
    scheme_name: str
    subject: str | None
    old_year: int          # the years compared: each dossier's last window year
    new_year: int
    old_reporting_year: int
    new_reporting_year: int
    figures: list[FigureRow] = field(default_factory=list)
    improvement: list[ImprovementRow] = field(default_factory=list)
    listing_changed: list[str] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    answers: list[AnswerChange] = field(default_factory=list)
    old_total: float | None = None
    new_total: float | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": {"path": str(self.old_path), "reporting_year": self.old_reporting_year, "year": self.old_year},
            "new": {"path": str(self.new_path), "reporting_year": self.new_reporting_year, "year": self.new_year},
            "scheme": self.scheme,
            "subject": self.subject,
            "figures": [r.to_dict() for r in self.figures],
            "improvement": [r.to_dict() for r in self.improvement],
            "listing_changed": self.listing_changed,
            "revisions": [r.to_dict() for r in self.revisions],
            "answers": [a.to_dict() for a in self.answers],
            "total": {"old": self.old_total, "new": self.new_total},
            "warnings": self.warnings,
        }


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _value(x: Any) -> Any:
    x = x.value if isinstance(x, Result) else x
    return round(x, 6) if isinstance(x, float) else x


def _label(description: str | None, name: str) -> str:
    """A field's description as a row label: "综合能耗（tce，当量值），报表数；留空则由能源消费计算"
    → "综合能耗（tce，当量值），报表数"; "亩均绩效（综合）评价等级，如 A、B" → "亩均绩效（综合）评价等级"."""
    text = (description or name).split("；")[0]
    return re.sub(r"，如 .*$", "", text)


def year_values(loaded: LoadedDossier, year: int, figures: Figures | None = None) -> dict[str, tuple[str, Any]]:
    """Every figure of one year: ``{key: (label, value)}``, entered ones first."""
    d = loaded.dossier
    data = d.year(year)
    out: dict[str, tuple[str, Any]] = {}
    for name, info in YearData.model_fields.items():
        if name in _SKIP:
            continue
        out[f"years.{name}"] = (_label(info.description, name), getattr(data, name))
    carriers = energy_carriers()
    for key, amount in data.energy.items():
        row = carriers.get(key, {"name": key, "unit": ""})
        out[f"years.energy.{key}"] = (f"能源消费·{row['name']}（{row['unit']}）", amount)
    for name, info in Emissions.model_fields.items():
        if name not in ("verified", "verifier"):
            out[f"years.emissions.{name}"] = (_label(info.description, name), getattr(data.emissions, name))
    for group, title in (("pollutants", "产生量"), ("pollutants_emitted", "排放量")):
        pol: Pollutants = getattr(data, group)
        for name, info in Pollutants.model_fields.items():
            if name != "other":
                out[f"years.{group}.{name}"] = (f"污染物{title}·{info.description}", getattr(pol, name))
        for name, amount in pol.other.items():
            out[f"years.{group}.other.{name}"] = (f"污染物{title}·{name}，t", amount)
    requirements = {row.id: row.requirement for row in loaded.scheme.indicators}
    for key, value in data.green_index.items():
        out[f"years.green_index.{key}"] = (f"绿色指数 {key} {requirements.get(key, '')[:30]}", value)
    fig = (figures or Figures(d))[year]
    for name, (label, _) in YEAR_FIGURES.items():
        out[f"fig.{name}"] = (f"{label}（计算）", _value(fig.get(name)))
    return out


# --- the comparison ----------------------------------------------------------------------------


def diff_dossiers(old_dir: Path, new_dir: Path) -> DiffReport:
    old, new = load_dossier(old_dir), load_dossier(new_dir)
    if old.scheme.id != new.scheme.id:
        raise BadInputError(f"两个档案的方案不同（{old.scheme.id} 与 {new.scheme.id}），无法逐项比较")
    od, nd = old.dossier, new.dossier
    report = DiffReport(old.directory, new.directory, new.scheme.id, new.scheme.name, nd.subject.name,
                        od.last_year, nd.last_year, od.reporting_year, nd.reporting_year)
    if od.subject.name != nd.subject.name:
        report.warnings.append(f"两个档案的申报主体名称不同：{od.subject.name} / {nd.subject.name}")
    old_fig, new_fig = Figures(od), Figures(nd)
    before = year_values(old, od.last_year, old_fig)
    after = year_values(new, nd.last_year, new_fig)
    for key in list(before) + [k for k in after if k not in before]:
        label, a = before.get(key, (after.get(key, ("", None))[0], None))
        b = after.get(key, (label, None))[1]
        if a is None and b is None:
            continue
        name = key.removeprefix("fig.")
        report.figures.append(FigureRow(key, label, a, b, BETTER.get(name) if key.startswith("fig.") else None))
    _revisions(old, new, old_fig, new_fig, report)
    _improvement(old, new, report)
    _answers(old, new, report)
    return report


def _revisions(old: LoadedDossier, new: LoadedDossier, old_fig: Figures, new_fig: Figures, report: DiffReport) -> None:
    for year in sorted(set(old.dossier.years) & set(new.dossier.years)):
        a = year_values(old, year, old_fig)
        b = year_values(new, year, new_fig)
        for key in a:
            if key.startswith("fig."):
                continue  # a computed figure changes only with the entered ones listed here
            if key in b and a[key][1] != b[key][1]:
                report.revisions.append(Revision(year, key, a[key][0], a[key][1], b[key][1]))


def _improvement(old: LoadedDossier, new: LoadedDossier, report: DiffReport) -> None:
    listed_old, listed_new = old.dossier.listing.values, new.dossier.listing.values
    report.listing_changed = sorted(k for k in set(listed_old) | set(listed_new) if listed_old.get(k) != listed_new.get(k))
    if old.dossier.listing.year != new.dossier.listing.year:
        report.listing_changed.insert(0, "listing.year")
    if new.scheme.improvement is None:
        return
    a = improvement_values(old, old.dossier.last_year)  # dossier/improvement.py: as the forms show them
    b = improvement_values(new, new.dossier.last_year)
    keys = list(dict.fromkeys(list(listed_new) + list(a) + list(b)))
    for key in keys:
        row = ImprovementRow(key, listed_new.get(key), _value(a.get(key)), _value(b.get(key)))
        if any(v is not None for v in (row.listed, row.old, row.new)):
            report.improvement.append(row)


def _answers(old: LoadedDossier, new: LoadedDossier, report: DiffReport) -> None:
    a, b = score_dossier(old), score_dossier(new)
    report.old_total, report.new_total = a.total, b.total
    for section in ("basic_conditions", "indicators", "bonus"):
        before, after = getattr(old.dossier, section), getattr(new.dossier, section)
        for row_id in list(before) + [k for k in after if k not in before]:
            sa = before[row_id].status if row_id in before else None
            sb = after[row_id].status if row_id in after else None
            pa = getattr(a.item(row_id), "points", None)
            pb = getattr(b.item(row_id), "points", None)
            if sa != sb or pa != pb:
                report.answers.append(AnswerChange(row_id, section, sa, sb, pa, pb))
