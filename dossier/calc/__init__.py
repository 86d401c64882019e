"""Calculators: the figures the forms ask for, each with its unit, its formula (figures
filled in, in Chinese) and the sources of its coefficients.

=================  ============================================================
module             computes
=================  ============================================================
``energy``         综合能耗 (tce), 当量值 / 等价值, per carrier and in total
``ghg``            emissions by 类别1/2/3 (tCO2e), grid factors, GWP
``intensity``      renewable share, intensities, year-on-year, average decline
``carbon``         自主减排比例, 碳抵消 coverage of 类别1+2
``annex_a``        GB/T 36132 附录A ratios
``energy_saving``  Suzhou 附件1-4 / 附件1-3 energy-saving score
=================  ============================================================

Every function returns a :class:`~dossier.calc.result.Result`. A figure that cannot be
computed has ``value None`` and says in ``missing`` what it needs. The coefficients
come from ``dossier/data/coefficients.yaml``.

    >>> from dossier.calc import ghg
    >>> from dossier.model import YearData
    >>> r = ghg.purchased_electricity(YearData(energy={"electricity_grid": 1000}), 2022)
    >>> r.formula
    '1000 MWh × 0.5366 tCO2/MWh = 536.6 tCO2'
"""

from . import annex_a, carbon, energy, energy_saving, ghg, intensity
from .result import Result, Source

__all__ = ["Result", "Source", "annex_a", "carbon", "energy", "energy_saving", "ghg", "intensity"]
