"""How a run compares with the national monitoring figures (countysim/data/): levels and 2019-2022 trends.

The county is calibrated to the NBS migrant-worker monitoring reports (``countysim/data/
nbs_migrant_workers.csv``), and the model's survey indicators (``survey_*``) use the survey's own definitions:
migrant workers in non-farm work who still hold rural hukou, "local" meaning inside the home
township. Two kinds of check:

- **level** — the model's mean over a reference year against the national figure of that year,
  within a range relative to it; a run that does not cover the year is compared in its first
  year, with the adjustment the row states (one year of wage growth, say);
- **trend** — the model's change a year between two reference years (both in the horizon:
  ``scenarios/validation/from_2019.toml`` covers 2019-2022) against the national change: the
  same direction, and a slope within ±50 % of the national one unless the row gives its own
  range and says why the county should differ.

Every row says why its range is what it is: one county is not the nation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from countysim import data
from countysim.formatting import number
from countysim.results import RunResult


@dataclass(frozen=True)
class Level:
    """``indicator``'s annual mean in ``year`` against ``reference`` (× ``adjust``), within [lo, hi] of it.

    ``reference`` is ``"indicator"`` of the NBS file (taken in ``year``), or a plain number
    (``year`` then only names the run's year to compare); with ``absolute``, ``lo`` and ``hi``
    are the allowed values themselves.
    """

    indicator: str
    reference: str
    year: int
    lo: float
    hi: float
    adjust: float = 1.0
    absolute: bool = False
    note: str = ""


@dataclass(frozen=True)
class Trend:
    """``indicator``'s change a year from ``first`` to ``last`` against the national change.

    ``relative``: compare growth rates (per year) rather than differences; ``lo``/``hi``: the
    allowed ratio of the model's slope to the national one (default 0.5-1.5, ±50 %), or with
    ``absolute`` the allowed slopes themselves, when the row says why the county differs.
    """

    indicator: str
    reference: str
    first: int
    last: int
    relative: bool = False
    lo: float = 0.5
    hi: float = 1.5
    absolute: bool = False
    note: str = ""


LABOUR_EXPORTING = "a labour-exporting county sends more workers out of the township than the nation"

LEVELS = (
    Level("survey_mean_income", "mean_monthly_income", 2022, 0.92, 1.12, 1.04,
          note="survey definition; 2023 = 2022 × 1.04 (income growth) when the run starts later; "
          "the county may sit a little either side of the nation"),
    Level("survey_mean_income_local", "mean_monthly_income_local", 2022, 0.85, 1.15, 1.04),
    Level("survey_mean_income_out", "mean_monthly_income_out", 2022, 0.85, 1.15, 1.04),
    Level("survey_local_share", "local_share", 2022, 0.65, 1.05, note=LABOUR_EXPORTING),
    Level("survey_cross_province_share", "cross_province_share", 2022, 0.75, 1.35,
          note="central provinces send more of their out-migrants to the coast"),
    Level("survey_mean_age", "mean_age", 2022, 0.96, 1.04),
    Level("survey_share_over_50", "share_over_50", 2022, 0.85, 1.15),
    Level("survey_share_40_and_under", "share_40_and_under", 2022, 0.9, 1.12),
    Level("survey_female_share", "female_share", 2021, 0.85, 1.15),
    Level("survey_edu_college", "edu_college_plus", 2022, 0.75, 1.3),
    Level("survey_edu_primary_or_less", "edu_primary_or_less", 2022, 0.75, 1.25),
    Level("certified_share", "0.33", 2022, 0.8, 1.2, note="assumption: about a third hold a certificate"),
    Level("contract_rate", "labour_contract_rate", 2016, 0.9, 1.35,
          note="NBS 2016, the last year published; inspection has raised it since"),
    Level("pension_coverage", "pension_coverage_out_migrants", 2012, 1.0, 2.5,
          note="NBS 2012 (out-migrants, the last figure in data/); coverage has risen since"),
    Level("injury_insurance_coverage", "injury_insurance_coverage_out_migrants", 2012, 1.0, 2.5,
          note="NBS 2012 (out-migrants); coverage has risen since"),
    Level("public_school_share", "primary_public_or_subsidised_share", 2021, 0.8, 1.05,
          note="NBS 2021: 84.4 % of migrant primary pupils in public schools + 10.5 % in subsidised private ones"),
    Level("public_school_share_primary", "primary_children_public_school_share", 2021, 0.85, 1.05),
    Level("hukou_urbanization_rate", "hukou_urbanization_rate_national", 2021, 0.45, 0.85,
          note="a central county sits well below the national rate"),
    Level("resident_urbanization_rate", "resident_urbanization_rate_national", 2022, 0.55, 0.9,
          note="a central county sits below the national rate"),
    Level("jobless_rate", "0.05", 2022, 0.03, 0.08, absolute=True,
          note="assumption: rural migrants' surveyed urban unemployment rate is ~5-6 %; idle time at home adds"),
    Level("town_home_ownership_rate", "0.2", 2022, 0.10, 0.35, absolute=True,
          note="assumption: a minority of town-based migrant households own their home (county towns are cheap)"),
    Level("rent_burden", "0.15", 2022, 0.05, 0.30, absolute=True,
          note="assumption: rent of a county-town flat against a migrant household's income"),
)  # fmt: skip

TRENDS = (
    Trend("survey_mean_age", "mean_age", 2019, 2022, note="NBS: 40.8 → 42.3"),
    Trend("survey_share_over_50", "share_over_50", 2019, 2022, note="NBS: 24.6 % → 29.2 %"),
    Trend("survey_share_40_and_under", "share_40_and_under", 2020, 2022, note="NBS: 49.4 % → 47.0 %"),
    Trend("survey_mean_income", "mean_monthly_income", 2019, 2022, relative=True,
          note="NBS: 3,962 → 4,615 yuan (5.2 % a year)"),
    Trend("survey_edu_college", "edu_college_plus", 2020, 2022, note="NBS: 12.2 % → 13.7 %"),
    Trend("survey_edu_primary_or_less", "edu_primary_or_less", 2020, 2022, note="NBS: 15.7 % → 14.1 %"),
    Trend("public_school_share_primary", "primary_children_public_school_share", 2019, 2021, hi=2.5,
          note="NBS: 83.4 % → 84.4 %; the county starts lower (~77 %), so as its seats keep pace with demand "
          "its share may rise faster, up to 2.5 times the national pace"),
    Trend("survey_local_share", "local_share", 2019, 2022, note="NBS: 40.1 % → 41.9 %"),
    Trend("survey_migrant_workers", "total_migrant_workers", 2019, 2022, relative=True, lo=-0.01, hi=0.015,
          absolute=True,
          note="NBS +0.55 % a year, with 2020's dip; a labour-exporting county's migrant workforce grows less "
          "(fewer young entrants stay in its villages): −1 % to +1.5 % a year"),
)  # fmt: skip


def nbs_figures(path: Path | None = None) -> dict[str, float]:
    """The NBS figures as ``{"year:indicator": value}``, with the shares the checks use derived.

    Args:
        path: another figures file; default: the one shipped with the package
            (``countysim/data/nbs_migrant_workers.csv``).
    """
    if path is not None and not Path(path).is_file():
        raise FileNotFoundError(f"{path}: no such national figures file (see countysim/data/README.md)")
    df = data.read_csv(data.NBS, path)
    figures = {f"{y}:{i}": float(v) for y, i, v in zip(df["year"], df["indicator"], df["value"], strict=True)}
    for year in range(2010, 2031):
        get = lambda name: figures.get(f"{year}:{name}")  # noqa: B023, E731 - read now, in this year
        total, out = get("total_migrant_workers"), get("out_migrant_workers")
        if total and out is not None:
            figures[f"{year}:out_migrant_share"] = out / total
            figures[f"{year}:local_share"] = get("local_migrant_workers") / total
        if out and get("out_migrant_cross_province") is not None:
            figures[f"{year}:cross_province_share"] = get("out_migrant_cross_province") / out
        if get("edu_none") is not None and get("edu_primary") is not None:
            figures[f"{year}:edu_primary_or_less"] = get("edu_none") + get("edu_primary")
        if get("primary_children_public_school_share") is not None:
            subsidised = {2019: 0.119, 2021: 0.105}.get(year)  # the notes of the NBS rows
            if subsidised is not None:
                figures[f"{year}:primary_public_or_subsidised_share"] = (
                    get("primary_children_public_school_share") + subsidised
                )
    return figures


def _annual_mean(result: RunResult, indicator: str, year: int) -> float | None:
    idx = [i for i, m in enumerate(result.months) if m.startswith(f"{year}-")]
    return float(np.mean(result.series(indicator)[idx])) if idx else None


def _first_year(result: RunResult) -> int:
    return int(result.months[0][:4])


def levels(results: list[RunResult], figures: dict[str, float] | None = None) -> pd.DataFrame:
    """The level checks: one row each, over the runs' mean."""
    figures = figures or nbs_figures()
    rows = []
    for chk in LEVELS:
        ref = (
            figures[f"{chk.year}:{chk.reference}"] if not _is_number(chk.reference) else float(chk.reference)
        )
        covered = _annual_mean(results[0], chk.indicator, chk.year) is not None
        year = chk.year if covered else _first_year(results[0])
        adjust = 1.0 if covered else chk.adjust
        value = float(np.mean([_annual_mean(r, chk.indicator, year) for r in results]))
        target = ref * adjust
        lo, hi = (chk.lo, chk.hi) if chk.absolute else (target * chk.lo, target * chk.hi)
        rows.append({
            "check": "level", "indicator": chk.indicator, "years": str(year), "model": value,
            "reference": f"{chk.year}:{chk.reference}" if not _is_number(chk.reference) else chk.reference,
            "reference_value": target, "low": lo, "high": hi, "within": bool(lo <= value <= hi), "note": chk.note,
        })  # fmt: skip
    return pd.DataFrame(rows)


def trends(results: list[RunResult], figures: dict[str, float] | None = None) -> pd.DataFrame:
    """The trend checks the runs' horizon covers: one row each (empty when it covers none)."""
    figures = figures or nbs_figures()
    rows = []
    for chk in TRENDS:
        if _annual_mean(results[0], chk.indicator, chk.first) is None:
            continue
        if _annual_mean(results[0], chk.indicator, chk.last) is None:
            continue
        years = chk.last - chk.first
        a = float(np.mean([_annual_mean(r, chk.indicator, chk.first) for r in results]))
        b = float(np.mean([_annual_mean(r, chk.indicator, chk.last) for r in results]))
        f0, f1 = figures[f"{chk.first}:{chk.reference}"], figures[f"{chk.last}:{chk.reference}"]
        if chk.relative:
            model = (b / a) ** (1 / years) - 1 if a > 0 else math.nan
            national = (f1 / f0) ** (1 / years) - 1
        else:
            model, national = (b - a) / years, (f1 - f0) / years
        if chk.absolute:
            lo, hi = chk.lo, chk.hi
        else:
            lo, hi = sorted((national * chk.lo, national * chk.hi))
        rows.append({
            "check": "trend", "indicator": chk.indicator, "years": f"{chk.first}-{chk.last}", "model": model,
            "reference": f"{chk.first}-{chk.last}:{chk.reference}", "reference_value": national, "low": lo,
            "high": hi, "within": bool(lo <= model <= hi and (chk.absolute or np.sign(model) == np.sign(national))),
            "note": chk.note,
        })  # fmt: skip
    return pd.DataFrame(rows)


def compare(results: RunResult | list[RunResult]) -> pd.DataFrame:
    """Every level check and every trend check the horizon covers, one table (``check`` says which)."""
    runs = [results] if isinstance(results, RunResult) else list(results)
    figures = nbs_figures()
    return pd.concat([levels(runs, figures), trends(runs, figures)], ignore_index=True)


#: the columns of the printed table (``countysim plausibility``)
TABLE_HEADER = ("check", "indicator", "years", "model", "national", "allowed", "within", "why the range")


def table_rows(checks: pd.DataFrame) -> list[tuple[str, ...]]:
    """The rows of the printed table, one per check."""
    return [
        (
            r.check, r.indicator, r.years, number(r.model), f"{r.reference} = {number(r.reference_value)}",
            f"{number(r.low)} to {number(r.high)}", "yes" if r.within else "NO", r.note,
        )
        for r in checks.itertuples()
    ]  # fmt: skip


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
