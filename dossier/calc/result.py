"""What every calculator returns: a value with its unit, the formula with the figures
filled in, and the sources of the coefficients it used.

The forms print the formula; a reviewer traces each figure to its source. A figure that
cannot be computed is a :class:`Result` whose ``value`` is ``None`` and whose ``missing``
says what is needed — never an exception, never a silent 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterable

# Status words of dossier/data/coefficients.yaml.
STATUSES = ("verified", "single-source", "unverified")


@dataclass(frozen=True)
class Source:
    """Where one figure of a formula comes from."""

    figure: str  # "原煤 0.7143 kgce/kg"
    ref: str  # "GB/T 2589-2020 附录A（原煤）"
    status: str  # verified | single-source | unverified | parameter | reported

    def __str__(self) -> str:
        return f"{self.figure}：{self.ref}（{self.status}）"

    def to_dict(self) -> dict[str, str]:
        return {"figure": self.figure, "ref": self.ref, "status": self.status}


@dataclass(frozen=True)
class Result:
    """One computed figure.

    ``value`` is in ``unit``; percentages are in % (``value=35.0, unit="%"``), and
    :attr:`ratio` gives 0.35 for the scheme data, whose rules compare ratios.
    ``parts`` holds the breakdown (per carrier, per category, per sub-score).
    """

    name: str
    value: float | None
    unit: str
    formula: str = ""
    sources: tuple[Source, ...] = ()
    missing: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    parts: tuple["Result", ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def ok(self) -> bool:
        return self.value is not None

    @property
    def ratio(self) -> float | None:
        """The value as a fraction when the unit is %, else the value itself."""
        if self.value is None:
            return None
        return self.value / 100 if self.unit == "%" else self.value

    @property
    def confirmed(self) -> bool:
        """True when every coefficient used is verified (parameters and reported figures count as given)."""
        return all(s.status not in ("single-source", "unverified") for s in self.all_sources())

    def all_sources(self) -> tuple[Source, ...]:
        """The sources of this figure and of its parts, each once, in order."""
        seen: list[Source] = []
        for source in (*self.sources, *(s for p in self.parts for s in p.all_sources())):
            if source not in seen:
                seen.append(source)
        return tuple(seen)

    def part(self, name: str) -> "Result":
        for p in self.parts:
            if p.name == name:
                return p
        raise KeyError(name)

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.name}：无法计算（缺少：{'；'.join(self.missing)}）"
        if self.unit == "%":
            return f"{self.name}：{pct(self.value)}"
        return f"{self.name}：{fmt(self.value)} {self.unit}".rstrip()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "formula": self.formula,
            "sources": [s.to_dict() for s in self.all_sources()],
            "missing": list(self.missing),
            "notes": list(self.notes),
            "parts": [p.to_dict() for p in self.parts],
        }

    def with_notes(self, *notes: str) -> "Result":
        return replace(self, notes=(*self.notes, *(n for n in notes if n)))


def missing(name: str, unit: str, *what: str, notes: Iterable[str] = (), parts: Iterable[Result] = ()) -> Result:
    """A result that could not be computed, saying what is missing."""
    return Result(name=name, value=None, unit=unit, missing=tuple(what), notes=tuple(notes), parts=tuple(parts))


def missing_from(name: str, unit: str, *results: Result, notes: Iterable[str] = ()) -> Result:
    """A result that cannot be computed because some inputs could not: carries their gaps."""
    gaps: list[str] = []
    for r in results:
        for gap in r.missing:
            if gap not in gaps:
                gaps.append(gap)
    return missing(name, unit, *gaps, notes=notes, parts=results)


def fmt(x: float | None, places: int | None = None) -> str:
    """A figure as the forms print it: no exponent, no trailing zeros.

    ``places`` fixes the decimals; by default large figures get 2 decimals and small
    ones 4 significant digits, so that 714.3, 0.5366 and 0.0001234 all read right.
    """
    if x is None:
        return "—"
    if places is None:
        magnitude = abs(x)
        if magnitude >= 100 or magnitude == 0:
            places = 2
        elif magnitude >= 1:
            places = 4
        else:
            places = 3  # 4 significant digits: 0.5366, 0.0001234
            while magnitude < 10 ** (3 - places) and places < 12:
                places += 1
    text = f"{x:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def coef(x: float) -> str:
    """A coefficient exactly as the data file gives it (0.1229, 12.143, 0.03412)."""
    return f"{x:.10g}"


def pct(x: float | None) -> str:
    return "—" if x is None else f"{fmt(x, 2)}%"


def ratio(
    name: str, numerator: Result, denominator: Result, unit: str, *, scale: float = 1.0, positive: str | None = None
) -> Result:
    """numerator ÷ denominator (× scale), carrying the gaps of either.

    ``positive``: the message when the denominator must be > 0 (a baseline, an
    emission total); without it only a zero denominator is refused.
    """
    if not (numerator.ok and denominator.ok):
        return missing_from(name, unit, numerator, denominator)
    if positive is not None and denominator.value <= 0:  # type: ignore[operator]
        return missing(name, unit, positive, parts=(numerator, denominator))
    if denominator.value == 0:
        return missing(name, unit, f"{denominator.name}为 0", parts=(numerator, denominator))
    value = numerator.value / denominator.value * scale  # type: ignore[operator]
    times = (" × 100%" if unit == "%" and scale == 100 else f" × {fmt(scale)}") if scale != 1 else ""
    shown = pct(value) if unit == "%" else f"{fmt(value)} {unit}"
    return Result(
        name=name, value=value, unit=unit,
        formula=(
            f"{fmt(numerator.value)} {numerator.unit} ÷ {fmt(denominator.value)} {denominator.unit}{times}"
            f" = {shown}"
        ),
        parts=(numerator, denominator),
    )
