"""The figure of a posterior ensemble: priors and posteriors, targets against the predictive intervals, ε.

It draws the tables ``countysim.calibration.posterior_table`` and ``predictive_table`` compute,
and the sampler's generations, on a ``matplotlib.figure.Figure`` (no pyplot, as ``figures``).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from countysim.report.figures import _save


def plot_calibration(
    parameters: pd.DataFrame,
    weights: np.ndarray,
    posterior: pd.DataFrame,
    predictive: pd.DataFrame,
    generations: pd.DataFrame,
    path: str | Path,
    title: str = "",
) -> Path:
    """One panel per parameter (prior range and weighted posterior histogram), the targets, and ε.

    Args:
        parameters: the ensemble's parameter sets (one column per key path).
        weights: their weights.
        posterior: ``posterior_table``'s rows (prior bounds, posterior interval).
        predictive: ``predictive_table``'s rows (observed value, predictive interval).
        generations: ``generation, epsilon, n_evaluations, n_accepted``.
        path: the PNG to write.
        title: the figure's title.
    """
    n_par = len(posterior)
    cols = max(min(n_par, 3), 2)
    rows_par = math.ceil(n_par / cols)
    fig = Figure(figsize=(4.0 * cols, 2.6 * rows_par + 3.2 + 0.28 * len(predictive)), layout="constrained")
    grid = fig.add_gridspec(
        rows_par + 1, cols, height_ratios=[2.6] * rows_par + [3.2 + 0.28 * len(predictive)]
    )
    for k, row in enumerate(posterior.itertuples()):
        ax = fig.add_subplot(grid[k // cols, k % cols])
        lo, hi = row.prior_lo, row.prior_hi
        values = parameters[row.parameter].to_numpy(dtype=float)
        bins = np.linspace(lo, hi, 25) if math.isfinite(lo) and math.isfinite(hi) else 20
        ax.hist(
            values, bins=bins, weights=weights, density=True, color="#4c72b0", alpha=0.8, label="posterior"
        )
        if math.isfinite(lo) and math.isfinite(hi):
            ax.axhline(1 / (hi - lo), color="0.4", ls="--", lw=1, label="uniform prior")
            ax.set_xlim(lo, hi)
        ax.axvspan(row.lo, row.hi, color="#dd8452", alpha=0.15, label="90 % interval")
        ax.set_title(row.parameter.split(".", 1)[-1], fontsize=8)
        ax.tick_params(labelsize=7)
        if k == 0:
            ax.legend(fontsize=6)
    ax = fig.add_subplot(grid[rows_par, : max(cols - 1, 1)])
    y = np.arange(len(predictive))[::-1]
    for yy, r in zip(y, predictive.itertuples(), strict=True):
        scale = max(abs(r.hi - r.lo), 1e-12)
        centre = (r.hi + r.lo) / 2
        ax.plot(
            [(r.lo - centre) / scale, (r.hi - centre) / scale], [yy, yy], color="#4c72b0", lw=6, alpha=0.4
        )
        ax.plot(
            [(r.model_lo - centre) / scale, (r.model_hi - centre) / scale], [yy, yy], color="#2ca02c", lw=2
        )
        ax.plot(
            [(r.observed - centre) / scale], [yy], "o", color="#c44e52" if not r.covered else "black", ms=4
        )
    ax.set_yticks(y, list(predictive["target"]), fontsize=6)
    ax.set_xlabel("relative to the 90 % predictive interval (blue: with the target's uncertainty; "
                  "green: the model alone; dot: observed)", fontsize=7)  # fmt: skip
    ax.tick_params(axis="x", labelsize=7)
    ax2 = fig.add_subplot(grid[rows_par, cols - 1]) if cols > 1 else None
    if ax2 is not None and not generations.empty:
        eps = generations["epsilon"].astype(float).replace([np.inf], np.nan)
        ax2.plot(generations["generation"], eps, "o-", color="#4c72b0", label="ε")
        ax2.set_xlabel("generation", fontsize=7)
        ax2.set_ylabel("ε (RMS standardised distance)", fontsize=7)
        rate = generations["n_accepted"] / generations["n_evaluations"].clip(lower=1)
        ax3 = ax2.twinx()
        ax3.plot(generations["generation"], rate, "s--", color="#dd8452", label="acceptance")
        ax3.set_ylim(0, 1.05)
        ax3.set_ylabel("acceptance rate", fontsize=7)
        ax2.tick_params(labelsize=7)
        ax3.tick_params(labelsize=7)
    if title:
        fig.suptitle(title, fontsize=10)
    return _save(fig, path)
