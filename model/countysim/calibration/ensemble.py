"""Posterior ensembles: weighted parameter sets, their provenance, and how replications draw from them.

An ensemble is what a calibration leaves: parameter sets (scenario key path → value) with
weights, the model's value of each target at each set, and the provenance (base scenario and
its hash, priors, targets with values and sources, method, code fingerprint, cost). It lives in
the results store under its name, or in a small CSV file (``calibrations/*.csv``) that a new
user has without running the calibration::

    # countysim posterior ensemble
    # provenance: {"name": "nbs-2019-2022", "base": ..., "targets": [...], ...}
    weight,behaviour.settlement.base,...,stat:survey_mean_age@2022,...
    0.0213,-6.91,...,42.1,...

**Replication draws.** Replication *r* of an experiment with root seed *S* uses parameter set
*i(r)*, drawn by weight from a generator seeded by *S* alone (the same *i(r)* for every
scenario of a comparison, so common random numbers still pair them), and seed *S + r* as before.
The draws of the first *R* replications do not change when more are asked for.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from countysim.store import StoreError

#: first line of an ensemble file
HEADER = "# countysim posterior ensemble"
#: prefix of the columns that hold the model's value of a target at each parameter set
STAT = "stat:"
#: stream number of the replication draws (see the module's docstring)
DRAW_STREAM = 0x454E5345  # "ENSE"
#: the shipped ensemble, fitted to the national figures of 2019-2022 (``calibrations/``)
SHIPPED = Path(__file__).resolve().parents[3] / "calibrations" / "nbs_2019_2022.csv"
#: the central interval of the predictive checks
LEVEL = 0.90


class EnsembleError(ValueError):
    """An ensemble cannot be read: the message names the file or name, the problem and what is allowed."""


@dataclass
class Ensemble:
    """A posterior ensemble (see the module's docstring).

    Attributes:
        name: its name.
        parameters: one row per parameter set, one column per scenario key path.
        weights: the sets' weights (summing to 1).
        statistics: the model's value of each target at each set (columns: target names).
        provenance: settings, targets, code fingerprint, cost.
    """

    name: str
    parameters: pd.DataFrame
    weights: np.ndarray
    statistics: pd.DataFrame = field(default_factory=pd.DataFrame)
    provenance: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.parameters)

    @property
    def paths(self) -> tuple[str, ...]:
        """The scenario key paths the ensemble sets."""
        return tuple(self.parameters.columns)

    def frame(self) -> pd.DataFrame:
        """Parameter sets and weights as one table (``weight`` first)."""
        return pd.concat([pd.Series(self.weights, name="weight"), self.parameters], axis=1)

    def parameter_set(self, i: int) -> dict[str, float | int]:
        """Parameter set ``i`` as ``{key path: value}`` (whole numbers stay whole)."""
        out: dict[str, float | int] = {}
        for path in self.paths:
            v = self.parameters[path].iloc[i]
            out[path] = int(v) if isinstance(v, np.integer) else float(v)
        return out

    def draws(self, seed: int, reps: int) -> list[int]:
        """Parameter set ``i(r)`` of replications ``r = 0 .. reps - 1`` (by weight; see the module)."""
        u = np.random.default_rng([DRAW_STREAM, int(seed)]).random(reps)
        cumulative = np.cumsum(self.weights)
        cumulative /= cumulative[-1]
        return [int(i) for i in np.minimum(np.searchsorted(cumulative, u, side="right"), len(self) - 1)]

    def effective_size(self) -> float:
        """Kish's effective sample size of the weights."""
        return float(1.0 / np.sum(self.weights**2))

    def to_csv(self, path: str | Path) -> Path:
        """Write the ensemble file (see the module's docstring)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        body = pd.concat([self.frame(), self.statistics.add_prefix(STAT)], axis=1)
        provenance = {"name": self.name, **self.provenance}
        with path.open("w", encoding="utf-8", newline="") as f:
            f.write(HEADER + "\n")
            f.write("# provenance: " + json.dumps(provenance, ensure_ascii=False, sort_keys=True) + "\n")
            body.to_csv(f, index=False, float_format="%.10g", lineterminator="\n")
        return path


def from_particles(name: str, particles: pd.DataFrame, provenance: dict[str, Any]) -> Ensemble:
    """An ensemble from the store's particle rows (``weight``, ``parameters``, ``statistics`` dicts)."""
    parameters = pd.DataFrame(list(particles["parameters"]))
    statistics = pd.DataFrame(list(particles["statistics"]))
    weights = particles["weight"].to_numpy(dtype=np.float64)
    return Ensemble(name, parameters, weights / weights.sum(), statistics, provenance)


def read_csv(path: str | Path) -> Ensemble:
    """Read an ensemble file.

    Raises:
        EnsembleError: naming the file, what is wrong and what an ensemble file holds.
    """
    path = Path(path)
    want = f"an ensemble file starts with {HEADER!r}, then '# provenance: {{...}}', then a CSV table"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EnsembleError(f"{path}: cannot read the ensemble file: {exc}") from None
    if len(lines) < 4 or lines[0].strip() != HEADER or not lines[1].startswith("# provenance: "):
        raise EnsembleError(f"{path}: not a countysim ensemble file; {want}")
    try:
        provenance = json.loads(lines[1].removeprefix("# provenance: "))
    except json.JSONDecodeError as exc:
        raise EnsembleError(f"{path}: line 2: the provenance is not JSON ({exc}); {want}") from None
    from io import StringIO

    body = pd.read_csv(StringIO("\n".join(lines[2:])))
    if "weight" not in body.columns:
        raise EnsembleError(f"{path}: the table has no 'weight' column; {want}")
    bad = [c for c in body.columns if not pd.api.types.is_numeric_dtype(body[c])]
    if bad:
        raise EnsembleError(f"{path}: column(s) {', '.join(bad)} hold values that are not numbers")
    weights = body["weight"].to_numpy(dtype=np.float64)
    if not (np.all(np.isfinite(weights)) and np.all(weights >= 0) and weights.sum() > 0):
        raise EnsembleError(f"{path}: the weights must be finite, non-negative and not all zero")
    stats = [c for c in body.columns if c.startswith(STAT)]
    parameters = body.drop(columns=["weight", *stats])
    if parameters.empty or parameters.isna().any().any():
        raise EnsembleError(f"{path}: every parameter set needs a value for every parameter")
    statistics = body[stats].rename(columns=lambda c: c.removeprefix(STAT))
    name = str(provenance.pop("name", path.stem))
    return Ensemble(name, parameters, weights / weights.sum(), statistics, provenance)


def load_ensemble(name_or_path: str | Path, store=None) -> Ensemble:
    """A posterior ensemble by store name, or from an ensemble file.

    Args:
        name_or_path: an ensemble file (``*.csv``), or the name of one in the store.
        store: a ``ResultsStore`` (default: one opened at ``$COUNTYSIM_DB`` or the default URL)
            for a name.

    Raises:
        EnsembleError: for a file that is not an ensemble file.
        StoreError: for a name the store does not hold (listing those it does).
    """
    path = Path(name_or_path)
    if path.suffix.lower() == ".csv" or path.is_file():
        if not path.is_file():
            raise EnsembleError(f"{path}: no such ensemble file")
        return read_csv(path)
    if store is None:
        from countysim.store import ResultsStore

        with ResultsStore() as opened:
            return load_ensemble(name_or_path, opened)
    record, particles, generations = store.calibration(str(name_or_path))
    provenance = dict(record["spec"])
    provenance.update({
        "code_fingerprint": record["code_fingerprint"], "git_commit": record["git_commit"],
        "n_simulations": int(record["n_simulations"]), "wall_seconds": record["wall_seconds"],
        "created_at": str(record["created_at"]),
        "generations": generations.replace({np.nan: None}).to_dict("records"),
    })  # fmt: skip
    return from_particles(str(name_or_path), particles, provenance)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float | np.ndarray) -> np.ndarray:
    """Quantiles of a weighted sample (linear between the mid-points of the weights)."""
    order = np.argsort(values)
    v, w = np.asarray(values, dtype=float)[order], np.asarray(weights, dtype=float)[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(q, cdf, v)


def posterior_table(ensemble: Ensemble, level: float = LEVEL) -> pd.DataFrame:
    """Each parameter's prior and posterior: ``parameter, prior, prior_lo, prior_hi, mean, lo, hi, shrinkage``.

    ``lo``/``hi`` bound the central ``level`` posterior interval; ``shrinkage`` is one minus its
    width over the prior's central ``level`` width (0: the data said nothing; near 1: a lot).
    """
    priors = {p["path"]: p for p in ensemble.provenance.get("parameters", [])}
    rows = []
    tails = np.array([(1 - level) / 2, (1 + level) / 2])
    for path in ensemble.paths:
        values = ensemble.parameters[path].to_numpy(dtype=float)
        lo, hi = weighted_quantile(values, ensemble.weights, tails)
        prior = priors.get(path, {})
        p_lo, p_hi = prior.get("lo", math.nan), prior.get("hi", math.nan)
        width = _prior_width(prior, level)
        rows.append({
            "parameter": path, "prior": _describe_prior(prior), "prior_lo": p_lo, "prior_hi": p_hi,
            "mean": float(np.average(values, weights=ensemble.weights)), "lo": float(lo), "hi": float(hi),
            "shrinkage": 1 - (hi - lo) / width if width and width > 0 else math.nan,
        })  # fmt: skip
    return pd.DataFrame(rows)


def _prior_width(prior: dict, level: float) -> float:
    from scipy import stats

    if not prior:
        return math.nan
    lo, hi = prior["lo"], prior["hi"]
    if prior.get("kind") == "normal":
        a, b = (lo - prior["mean"]) / prior["sd"], (hi - prior["mean"]) / prior["sd"]
        dist = stats.truncnorm(a, b, loc=prior["mean"], scale=prior["sd"])
        return float(dist.ppf((1 + level) / 2) - dist.ppf((1 - level) / 2))
    return (hi - lo) * level


def _describe_prior(prior: dict) -> str:
    if not prior:
        return "unknown"
    if prior.get("kind") == "normal":
        return f"normal({prior['mean']:g}, {prior['sd']:g}) on [{prior['lo']:g}, {prior['hi']:g}]"
    return f"uniform({prior['lo']:g}, {prior['hi']:g})"


def predictive_table(ensemble: Ensemble, level: float = LEVEL, draws: int = 20_000) -> pd.DataFrame:
    """Each target against the ensemble's predictive interval: the coverage check.

    The model's value at each parameter set (weighted) plus the target's own uncertainty (a
    normal error of its standard error, or a uniform one over its tolerance) gives the
    posterior predictive distribution of the observation; the target is covered when its
    observed value lies in the central ``level`` interval of it. ``model_lo``/``model_hi`` are
    the interval of the model's value alone.

    Returns:
        ``target, indicator, observed, uncertainty, source, model_mean, model_lo, model_hi,
        lo, hi, covered`` (one row per target).
    """
    rng = np.random.default_rng(DRAW_STREAM)
    tails = np.array([(1 - level) / 2, (1 + level) / 2])
    rows = []
    for t in ensemble.provenance.get("targets", []):
        name = t["name"]
        if name not in ensemble.statistics.columns:
            continue
        x = ensemble.statistics[name].to_numpy(dtype=float)
        ok = np.isfinite(x)
        w = ensemble.weights[ok]
        m_lo, m_hi = weighted_quantile(x[ok], w, tails)
        pick = rng.choice(int(ok.sum()), size=draws, p=w / w.sum())
        if t.get("se") is not None:
            noise = rng.normal(0.0, t["se"], draws)
            unc = f"se {t['se']:.4g}"
        else:
            noise = rng.uniform(-t["tolerance"], t["tolerance"], draws)
            unc = f"± {t['tolerance']:.4g}"
        lo, hi = np.quantile(x[ok][pick] + noise, tails)
        rows.append({
            "target": name, "indicator": t["indicator"], "observed": t["value"], "uncertainty": unc,
            "source": t.get("source", ""), "model_mean": float(np.average(x[ok], weights=w)),
            "model_lo": float(m_lo), "model_hi": float(m_hi), "lo": float(lo), "hi": float(hi),
            "covered": bool(lo <= t["value"] <= hi),
        })  # fmt: skip
    return pd.DataFrame(rows)


def check_paths(ensemble: Ensemble, scenario, where: str) -> None:
    """Raise ``EnsembleError`` unless every parameter of the ensemble can be set on ``scenario``."""
    try:
        scenario.replace(**ensemble.parameter_set(0))
    except (ValueError, KeyError) as exc:
        raise EnsembleError(f"{where}: ensemble {ensemble.name!r} cannot be applied to scenario "
                            f"{scenario.name!r}: {exc}") from None  # fmt: skip


__all__ = [
    "SHIPPED",
    "Ensemble",
    "EnsembleError",
    "StoreError",
    "load_ensemble",
    "posterior_table",
    "predictive_table",
    "read_csv",
]
