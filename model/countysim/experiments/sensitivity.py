"""Sensitivity indices of a sweep's outcomes to its parameters (SALib).

Each design has its method:

- ``sobol`` designs — Sobol' first-order (``S1``) and total (``ST``) indices with bootstrap
  confidence half-widths (``SALib.analyze.sobol``): the share of the outcome's variance due to a
  parameter alone, and with all its interactions;
- ``morris`` designs — Morris elementary effects (``SALib.analyze.morris``): ``mu_star``, the mean
  absolute effect of moving a parameter across its range (in the outcome's unit), with its
  confidence half-width, ``sigma`` (spread: non-linearity or interactions) and signed ``mu``; for
  a categorical parameter (a switch) the effect of changing its value (switching it on);
- ``grid`` and ``lhs`` designs — standardised regression coefficients (``src``: the change of the
  outcome, in its standard deviations, per standard deviation of the parameter) and the linear
  fit's ``r2``. They are only as good as the fit: Sobol' and Morris indices need their own designs.

Replications of a point are averaged first, so the indices describe the model's mean response,
not its Monte Carlo noise. The analysis needs every design point: a point with no finished run
makes the design incomplete (``IncompleteDesign``); a point with only some replications is used
with those, and a note says so.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from countysim.experiments.designs import Design, morris_step

#: the method each design is analysed with
METHODS = {"sobol": "sobol", "morris": "morris", "grid": "src", "lhs": "src"}
#: index columns of each method, in table order
COLUMNS = {
    "sobol": ("S1", "S1_conf", "ST", "ST_conf"),
    "morris": ("mu_star", "mu_star_conf", "sigma", "mu"),
    "src": ("src", "r2"),
}
#: bootstrap resamples for confidence intervals
RESAMPLES = 200


class IncompleteDesign(Exception):
    """Design points without a single finished run: the indices cannot be computed."""


@dataclass(frozen=True)
class SensitivityReport:
    """Indices of every analysed outcome.

    Attributes:
        method: ``sobol``, ``morris`` or ``src``.
        table: one row per (outcome, parameter): ``outcome, parameter`` and the method's columns.
        notes: what the reader should know (replications missing, constant outcomes).
        runs_used: finished runs the means are made of.
        runs_expected: points × replications of the design.
    """

    method: str
    table: pd.DataFrame
    notes: tuple[str, ...]
    runs_used: int
    runs_expected: int


def sobol_indices(design: Design, y: np.ndarray, seed: int | None = None) -> pd.DataFrame:
    """First-order and total Sobol' indices of ``y`` over a Saltelli design (second order on)."""
    from SALib.analyze import sobol

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        si = sobol.analyze(
            design.problem(), np.asarray(y, dtype=np.float64), calc_second_order=True,
            num_resamples=RESAMPLES, seed=design.seed if seed is None else seed,
        )  # fmt: skip
    return pd.DataFrame({"parameter": list(design.names), **{c: np.asarray(si[c]) for c in COLUMNS["sobol"]}})


def morris_indices(design: Design, y: np.ndarray, seed: int | None = None) -> pd.DataFrame:
    """Morris ``mu_star`` (with confidence), ``sigma`` and ``mu`` of ``y`` over a Morris design."""
    from SALib.analyze import morris

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        si = morris.analyze(
            design.problem(), design.samples, np.asarray(y, dtype=np.float64), num_resamples=RESAMPLES,
            num_levels=design.levels, seed=design.seed if seed is None else seed,
        )  # fmt: skip
    table = pd.DataFrame(
        {
            "parameter": list(design.names),
            **{c: np.asarray(si[c], dtype=np.float64) for c in COLUMNS["morris"]},
        }
    )
    # SALib divides each effect by the step (a share of the range); a categorical parameter's
    # step is a whole change of value (a switch turned on), so its effect is per change
    switch = [j for j in range(len(design.names)) if design.categorical(j) is not None]
    table.loc[switch, list(COLUMNS["morris"])] *= morris_step(design.levels)
    return table


def src_indices(design: Design, y: np.ndarray) -> pd.DataFrame:
    """Standardised regression coefficients of ``y`` on the parameters, and the fit's R²."""
    x = design.samples
    y = np.asarray(y, dtype=np.float64)
    sx, sy = x.std(axis=0), y.std()
    src = np.full(x.shape[1], np.nan)
    r2 = np.nan
    varies = sx > 0
    if sy > 0 and varies.any():
        z = (x[:, varies] - x[:, varies].mean(axis=0)) / sx[varies]
        a = np.column_stack([np.ones(len(y)), z])
        coef, *_ = np.linalg.lstsq(a, (y - y.mean()) / sy, rcond=None)
        src[varies] = coef[1:]
        resid = (y - y.mean()) / sy - a @ coef
        r2 = 1.0 - float(resid @ resid) / len(y)
    return pd.DataFrame({"parameter": list(design.names), "src": src, "r2": r2})


def analyse(design: Design, y: np.ndarray, seed: int | None = None) -> pd.DataFrame:
    """Indices of one outcome ``y`` (one value per design point) by the design's method.

    Args:
        design: the design (its ``kind`` picks the method, see ``METHODS``).
        y: the outcome at each point, in design order.
        seed: bootstrap seed (default: the design's).

    Returns:
        One row per parameter: ``parameter`` and the method's columns (``COLUMNS``); NaN where
        the outcome does not vary.
    """
    y = np.asarray(y, dtype=np.float64)
    if y.shape != (design.n,):
        raise ValueError(f"need one outcome value per design point ({design.n}), got shape {y.shape}")
    if not np.isfinite(y).all():
        raise ValueError("outcome values must be finite")
    method = METHODS[design.kind]
    if np.ptp(y) == 0:  # no variance: every index is undefined
        return pd.DataFrame({"parameter": list(design.names), **{c: np.nan for c in COLUMNS[method]}})
    if method == "sobol":
        return sobol_indices(design, y, seed)
    if method == "morris":
        return morris_indices(design, y, seed)
    return src_indices(design, y)


def point_means(rows: pd.DataFrame, outcome: str, n_points: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean of ``outcome`` over each point's finished replications, and how many there were."""
    ok = rows[(rows["status"] == "done") & rows[outcome].notna()]
    grouped = ok.groupby("point")[outcome]
    means = grouped.mean().reindex(range(n_points)).to_numpy(dtype=np.float64)
    counts = grouped.size().reindex(range(n_points), fill_value=0).to_numpy()
    return means, counts


def analyse_sweep(spec: dict[str, Any], rows: pd.DataFrame, outcomes: list[str]) -> SensitivityReport:
    """Indices of each outcome of a stored sweep.

    Args:
        spec: the sweep's stored spec (``sweep.Sweep.description``).
        rows: its runs, one per (point, replicate) (``sweep.sweep_results``).
        outcomes: indicators to analyse.

    Raises:
        IncompleteDesign: if some design point has no finished run (with an outcome value).
    """
    design = Design.from_dict(spec)
    reps = len(spec["seeds"])
    expected = design.n * reps
    method = METHODS[design.kind]
    tables, notes = [], []
    used = 0
    for outcome in outcomes:
        means, counts = point_means(rows, outcome, design.n)
        empty = int((counts == 0).sum())
        if empty:
            status = rows["status"].value_counts()
            raise IncompleteDesign(
                f"{empty} of {design.n} design points have no finished run with {outcome!r} "
                f"({status.get('failed', 0)} of {expected} runs failed, {status.get('missing', 0)} "
                f"missing, {int(((rows['status'] == 'done') & rows[outcome].isna()).sum())} without a value); "
                f"{_method_name(method)} need the complete {design.kind} design. Run the sweep "
                "again to resume it (stored runs are skipped, failed ones retried)."
            )
        used = max(used, int(counts.sum()))
        if counts.min() < reps:
            short = int((counts < reps).sum())
            notes.append(
                f"{outcome}: {short} of {design.n} points have fewer than {reps} replications; "
                f"used the {int(counts.sum())} of {expected} runs there are"
            )
        if np.ptp(means) == 0:
            notes.append(f"{outcome}: the same value at every point; its indices are undefined")
        table = analyse(design, means)
        table.insert(0, "outcome", outcome)
        tables.append(table)
    if spec.get("scale") not in (None, 1, 1.0):
        notes.append(
            f"the county was run at scale {spec['scale']:g}: counts and money are the smaller county's "
            "(shares and rates are not affected)"
        )
    if method == "src":
        notes.append(
            "standardised regression coefficients of a linear fit (see r2); "
            "Sobol' and Morris indices need design = 'sobol' or 'morris'"
        )
    return SensitivityReport(
        method=method,
        table=pd.concat(tables, ignore_index=True),
        notes=tuple(notes),
        runs_used=used,
        runs_expected=expected,
    )


def _method_name(method: str) -> str:
    return {
        "sobol": "Sobol' indices",
        "morris": "Morris indices",
        "src": "regression coefficients",
    }[method]
