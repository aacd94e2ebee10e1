"""How a run's first year compares with the national monitoring figures (countysim/data/).

The baseline county is calibrated to the NBS migrant-worker monitoring reports
(``countysim/data/nbs_migrant_workers.csv``). Each check names the model indicator, the national figure it
is compared with, and the range the county may fall in — wider than the figure itself where a
labour-exporting county of central China is expected to differ from the national mean (it sends
more workers out, so its mean income is nearer the out-migrants').
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from countysim import data
from countysim.results import RunResult


@dataclass(frozen=True)
class Check:
    """One comparison: ``indicator``'s first-year mean against ``reference`` (with ``adjust``)."""

    indicator: str
    reference: str  # "year:indicator" in the NBS file, or a plain number
    lo: float  # allowed range, relative to the reference value
    hi: float
    adjust: float = 1.0  # e.g. one year of wage growth from the 2022 figure to 2023
    note: str = ""


CHECKS = (
    Check("mean_monthly_income", "2022:mean_monthly_income", 0.95, 1.12, 1.04,
          "2023 = 2022 × 1.04 (income growth); a labour-exporting county sits above the mean"),
    Check("mean_monthly_income_local", "2022:mean_monthly_income_local", 0.9, 1.1, 1.04),
    Check("mean_monthly_income_out", "2022:mean_monthly_income_out", 0.9, 1.1, 1.04),
    Check("out_migrant_share", "2022:out_migrant_share", 0.9, 1.25, 1.0,
          "NBS out-migrants (outside the township) 58.2 %; out of the county is a stricter test, "
          "but labour-exporting counties send more"),
    Check("mean_worker_age", "2022:mean_age", 0.96, 1.04),
    Check("workers_over_50_share", "2022:share_over_50", 0.85, 1.15),
    Check("female_worker_share", "2021:female_share", 0.85, 1.15),
    Check("certified_share", "0.33", 0.8, 1.2, 1.0, "assumption: about a third hold a certificate"),
    Check("contract_rate", "2016:labour_contract_rate", 0.9, 1.3, 1.0,
          "NBS 2016, the last year published; inspection has raised it since"),
    Check("pension_coverage", "2012:pension_coverage_out_migrants", 1.0, 2.5, 1.0,
          "NBS 2012 (out-migrants, the last figure in data/); coverage has risen since"),
    Check("injury_insurance_coverage", "2012:injury_insurance_coverage_out_migrants", 1.0, 2.5, 1.0,
          "NBS 2012 (out-migrants); coverage has risen since"),
    Check("public_school_share", "0.949", 0.8, 1.05, 1.0,
          "NBS 2021: 84.4 % of migrant primary pupils in public schools + 10.5 % in subsidised private ones"),
    Check("hukou_urbanization_rate", "2021:hukou_urbanization_rate_national", 0.45, 0.85, 1.0,
          "a central county sits well below the national rate"),
    Check("resident_urbanization_rate", "2022:resident_urbanization_rate_national", 0.55, 0.9, 1.0,
          "a central county sits below the national rate"),
)  # fmt: skip


def nbs_figures(path: Path | None = None) -> dict[str, float]:
    """The NBS figures as ``{"year:indicator": value}``, with the out-migrant share derived.

    Args:
        path: another figures file; default: the one shipped with the package
            (``countysim/data/nbs_migrant_workers.csv``).
    """
    if path is not None and not Path(path).is_file():
        raise FileNotFoundError(f"{path}: no such national figures file (see countysim/data/README.md)")
    df = data.read_csv(data.NBS, path)
    figures = {f"{y}:{i}": float(v) for y, i, v in zip(df["year"], df["indicator"], df["value"], strict=True)}
    for year in (2019, 2020, 2021, 2022):
        if f"{year}:out_migrant_workers" in figures:
            figures[f"{year}:out_migrant_share"] = (
                figures[f"{year}:out_migrant_workers"] / figures[f"{year}:total_migrant_workers"]
            )
    return figures


def compare(result: RunResult, months: int = 12) -> pd.DataFrame:
    """A table: indicator, model value (mean of the first ``months``), reference, range, verdict."""
    figures = nbs_figures()
    rows = []
    for chk in CHECKS:
        ref = figures[chk.reference] if ":" in chk.reference else float(chk.reference)
        target = ref * chk.adjust
        value = float(np.mean(result.series(chk.indicator)[:months]))
        lo, hi = target * chk.lo, target * chk.hi
        rows.append({
            "indicator": chk.indicator, "model": value, "reference": chk.reference, "reference_value": ref,
            "low": lo, "high": hi, "within": lo <= value <= hi, "note": chk.note,
        })  # fmt: skip
    return pd.DataFrame(rows)
