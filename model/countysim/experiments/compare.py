"""Compare scenarios on common random numbers: paired differences with intervals, bands, figures.

A comparison runs every scenario on the same seeds (``replicate``), so replication ``i`` of each
scenario shares its random numbers (``countysim.rng``). The effect of scenario B against the first
scenario A is then estimated from the per-seed differences ``B_s - A_s``, whose spread is far
smaller than that of two independent samples: the paired t-interval is what a planner reads.

The statistics are pure functions over ``RunResult`` lists (no model, no store):

- :func:`paired_differences` — mean of per-seed differences and its t-interval;
- :func:`pairing_gain` — how many times narrower common seeds made that interval;
- :func:`summarise` — the table of means and paired differences, one row per indicator and scenario;
- :func:`band` — the mean and the 5-95 % band of a series across replications, month by month;
- :func:`bands` — those bands as a table, which ``report.figures.plot_comparison`` draws.

:func:`compare` runs the whole thing from Python on any ``concurrent.futures.Executor`` (and
optionally into a ``ResultsStore``, resuming what is stored); ``countysim compare`` is its command.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from countysim.experiments.runner import Failure, load_results, replicate, run_experiment
from countysim.indicators import CATALOGUE_BY_NAME, HEADLINE, NAMES
from countysim.results import RunResult
from countysim.scenario import Scenario
from countysim.scenario import load as load_scenario
from countysim.stats import interval

#: indicators reported by default: the planner's key outcomes (as in ``countysim run``'s summary)
COMPARE_INDICATORS: tuple[str, ...] = HEADLINE

#: series drawn by the comparison figure by default, one panel each
COMPARE_SERIES: tuple[str, ...] = (
    "employed_rate",
    "mean_monthly_income",
    "training_person_times",
    "contract_rate",
    "public_school_share",
    "left_behind_children",
    "settled_persons_cum",
    "hukou_urbanization_rate",
    "fiscal_cost_cum",
)

#: columns of the summary frame (and of ``comparison.csv``)
SUMMARY_COLUMNS = ("indicator", "scenario", "mean", "diff", "lo90", "hi90", "n", "pairing_gain")

#: confidence level of the paired interval
LEVEL = 0.90


def check_indicators(names: Sequence[str]) -> tuple[str, ...]:
    """Return ``names`` as a tuple if every one is in the catalogue.

    Raises:
        ValueError: naming the unknown ones and listing the allowed names.
    """
    names = tuple(names)
    if not names:
        raise ValueError(f"no indicators given; allowed: {', '.join(NAMES)}")
    unknown = [n for n in names if n not in CATALOGUE_BY_NAME]
    if unknown:
        raise ValueError(f"unknown indicator(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(NAMES)}")
    return names


def check_horizons(scenarios: Sequence[Scenario]) -> None:
    """Raise ``ValueError`` unless every scenario covers the same months (same start and length)."""
    spans = {(s.horizon.start, s.horizon.months) for s in scenarios}
    if len(spans) > 1:
        listed = "; ".join(f"{s.name}: {s.horizon.start} + {s.horizon.months} months" for s in scenarios)
        raise ValueError(
            f"the scenarios cover different horizons ({listed}); compared scenarios must start in the "
            "same month and run as long (set the same [horizon] or use --months)"
        )


def _value_at(result: RunResult, indicator: str, month: int | str) -> float:
    series = result.series(indicator)
    if isinstance(month, str):
        try:
            return float(series[result.months.index(month)])
        except ValueError:
            raise KeyError(
                f"month {month!r} is not in run {result.scenario_name!r} (seed {result.seed}); "
                f"it has {result.months[0]} to {result.months[-1]}"
            ) from None
    return float(series[month])


def _by_seed(results: Sequence[RunResult], indicator: str, month: int | str) -> dict[int, float]:
    out: dict[int, float] = {}
    for r in results:
        if r.seed in out:
            raise ValueError(
                f"seed {r.seed} appears twice among the runs of {r.scenario_name!r}; give one run per seed"
            )
        out[int(r.seed)] = _value_at(r, indicator, month)
    return out


def paired_differences(
    base_results: Sequence[RunResult],
    other_results: Sequence[RunResult],
    indicator: str,
    month: int | str = -1,
    level: float = LEVEL,
) -> tuple[float, float, float, int]:
    """Mean of per-seed differences ``other - base`` and its t-interval.

    Runs are matched by seed; seeds present in only one list are ignored.

    Args:
        base_results: runs of the reference scenario, one per seed.
        other_results: runs of the scenario compared with it.
        indicator: indicator name.
        month: month index (``-1``: the horizon) or label ``"YYYY-MM"``.
        level: confidence level of the two-sided interval (default 0.90).

    Returns:
        ``(mean, lo, hi, n)``: ``n`` the number of paired seeds; with ``n == 1`` the interval is
        ``(nan, nan)`` (one difference says nothing about its spread).

    Raises:
        ValueError: if no seed is shared, or a seed repeats within a list.
    """
    base = _by_seed(base_results, indicator, month)
    other = _by_seed(other_results, indicator, month)
    seeds = sorted(set(base) & set(other))
    if not seeds:
        raise ValueError(
            f"no seed is shared by the two sets of runs ({sorted(base)} and {sorted(other)}); "
            "a paired difference needs runs on the same seeds"
        )
    diffs = np.array([other[s] - base[s] for s in seeds], dtype=np.float64)
    n = len(diffs)
    mean = float(diffs.mean())
    if n < 2:
        return mean, math.nan, math.nan, n
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * diffs.std(ddof=1) / math.sqrt(n))
    return mean, mean - half, mean + half, n


def pairing_gain(
    base_results: Sequence[RunResult],
    other_results: Sequence[RunResult],
    indicator: str,
    month: int | str = -1,
) -> float:
    """How many times narrower common seeds made the interval of ``other - base``.

    With independent seeds the difference of two means would spread as ``√(var_a + var_b)``
    per replication; paired on common seeds it spreads as the standard deviation of the per-seed
    differences. Their ratio, estimated from the same runs (no extra runs needed), is the factor
    by which pairing narrowed the interval; independent seeds would need its square times as many
    replications for the same width.

    Returns:
        The factor (``inf`` when the paired differences do not vary at all but the runs do), or
        NaN with fewer than 2 paired seeds or no variation anywhere.
    """
    base = _by_seed(base_results, indicator, month)
    other = _by_seed(other_results, indicator, month)
    seeds = sorted(set(base) & set(other))
    if len(seeds) < 2:
        return math.nan
    a = np.array([base[s] for s in seeds], dtype=np.float64)
    b = np.array([other[s] for s in seeds], dtype=np.float64)
    spread = a.var(ddof=1) + b.var(ddof=1)
    paired = (b - a).var(ddof=1)
    if spread <= 0:
        return math.nan
    return math.inf if paired <= 0 else float(math.sqrt(spread / paired))


def band(
    results: Sequence[RunResult], indicator: str, level: float = LEVEL
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Month by month, the mean and the central ``level`` band across replications (``stats.interval``).

    Returns:
        ``(mean, p_lo, p_hi)``, each an array with one value per month (5th and 95th percentiles
        for the default 90 %).

    Raises:
        ValueError: if there are no results or their months differ.
    """
    if not results:
        raise ValueError("no runs to summarise")
    months = results[0].months
    if any(r.months != months for r in results):
        raise ValueError("the runs cover different months; a band needs runs of the same horizon")
    values = np.vstack([r.series(indicator) for r in results])  # replications × months
    mean, p_lo, p_hi, _ = interval(values, level, axis=0)
    return mean, p_lo, p_hi


def summarise(
    results_by_scenario: Mapping[str, Sequence[RunResult]],
    indicators: Sequence[str] = COMPARE_INDICATORS,
    month: int | str = -1,
    level: float = LEVEL,
) -> pd.DataFrame:
    """The comparison table: for each indicator, every scenario's mean and its paired difference.

    The first scenario is the reference: its rows carry ``diff``, ``lo90``, ``hi90`` and
    ``pairing_gain`` as NaN and ``n`` its number of runs; every other scenario's row carries the
    paired difference against it (:func:`paired_differences`), ``n`` the number of paired seeds,
    and how many times narrower common seeds made the interval (:func:`pairing_gain`).

    Args:
        results_by_scenario: runs by scenario name, the reference first.
        indicators: indicator names, in row order.
        month: month index (``-1``: the horizon) or label.
        level: confidence level of the intervals (the columns keep their names ``lo90``/``hi90``).

    Returns:
        A frame with columns ``indicator, scenario, mean, diff, lo90, hi90, n, pairing_gain``.
    """
    names = list(results_by_scenario)
    if not names:
        raise ValueError("no scenarios to summarise")
    for name in names:
        if not results_by_scenario[name]:
            raise ValueError(f"scenario {name!r} has no finished runs")
    base = results_by_scenario[names[0]]
    rows = []
    for indicator in indicators:
        for name in names:
            runs = results_by_scenario[name]
            mean = float(np.mean([_value_at(r, indicator, month) for r in runs]))
            if name == names[0]:
                diff, lo, hi, n, gain = math.nan, math.nan, math.nan, len(runs), math.nan
            else:
                diff, lo, hi, n = paired_differences(base, runs, indicator, month, level)
                gain = pairing_gain(base, runs, indicator, month)
            rows.append((indicator, name, mean, diff, lo, hi, n, gain))
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def verdict(indicator: str, lo: float, hi: float) -> str:
    """Read an interval of a difference with the indicator's direction.

    Returns:
        ``"better"``/``"worse"`` when the interval excludes zero and the indicator has a
        direction, ``"higher"``/``"lower"`` when it has none, ``"no clear difference"`` when the
        interval contains zero, and ``""`` without an interval.
    """
    if math.isnan(lo) or math.isnan(hi):
        return ""
    if lo <= 0 <= hi:
        return "no clear difference"
    up = lo > 0
    direction = CATALOGUE_BY_NAME[indicator].direction if indicator in CATALOGUE_BY_NAME else 0
    if direction == 0:
        return "higher" if up else "lower"
    return "better" if up == (direction > 0) else "worse"


def bands(
    results_by_scenario: Mapping[str, Sequence[RunResult]],
    indicators: Sequence[str] = COMPARE_SERIES,
    level: float = LEVEL,
) -> pd.DataFrame:
    """Each scenario's mean series and its band across replications, as the figure draws them.

    Returns:
        One row per scenario, indicator and month (in the order given): ``scenario, indicator,
        month, mean, lo, hi, n`` (``lo``/``hi``: the 5th and 95th percentiles for 90 %; ``n``:
        replications).
    """
    parts = []
    for name, runs in results_by_scenario.items():
        for indicator in indicators:
            mean, lo, hi = band(runs, indicator, level)
            frame = pd.DataFrame({"month": list(runs[0].months), "mean": mean, "lo": lo, "hi": hi})
            parts.append(frame.assign(scenario=name, indicator=indicator, n=len(runs)))
    columns = ["scenario", "indicator", "month", "mean", "lo", "hi", "n"]
    return pd.concat(parts, ignore_index=True)[columns]


def experiment_name(scenarios: Sequence[Scenario]) -> str:
    """The default store experiment of a comparison: ``compare:`` + names joined by ``+``."""
    return "compare:" + "+".join(s.name for s in scenarios)


@dataclass
class ComparisonResult:
    """What :func:`compare` returns.

    Attributes:
        results: finished runs by scenario name (first: the reference), ordered by seed.
        summary: the table of :func:`summarise` at the horizon.
        seeds: the seeds every scenario was run on.
        failures: runs that raised (they are missing from ``results``).
        experiment: the store experiment, if a store was used.
        uncertainty: the sources of uncertainty the intervals include.
    """

    results: dict[str, list[RunResult]]
    summary: pd.DataFrame
    seeds: tuple[int, ...]
    failures: list[Failure] = field(default_factory=list)
    experiment: str | None = None
    uncertainty: str = "seed noise only"

    @property
    def scenarios(self) -> tuple[str, ...]:
        """Scenario names, the reference first."""
        return tuple(self.results)

    def plot(self, path: str | Path, indicators: Sequence[str] = COMPARE_SERIES) -> Path:
        """Write the band figure of ``indicators`` (``report.figures.plot_comparison``) to ``path``."""
        from countysim.report.figures import plot_comparison

        return plot_comparison(bands(self.results, indicators), path)

    def to_csv(self, path: str | Path) -> Path:
        """Write the summary table as CSV (``comparison.csv``'s format)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.summary.to_csv(path, index=False, float_format="%.10g")
        return path


def _as_scenario(s: Scenario | str | Path) -> Scenario:
    return s if isinstance(s, Scenario) else load_scenario(Path(s))


def compare(
    scenarios: Sequence[Scenario | str | Path],
    reps: int,
    seed: int | None = None,
    executor: Executor | None = None,
    store=None,
    months: int | None = None,
    indicators: Sequence[str] = COMPARE_INDICATORS,
    experiment: str | None = None,
    progress: bool = False,
    posterior=None,
) -> ComparisonResult:
    """Run scenarios on common seeds and compare each with the first.

    Args:
        scenarios: the reference first, then the scenarios compared with it (``Scenario``
            objects or scenario file paths); names must differ.
        reps: replications per scenario: seeds ``seed``, ``seed + 1``, ... (common random numbers).
        seed: first seed (default: the first scenario's seed).
        executor: any ``concurrent.futures.Executor`` (default: a local process pool).
        store: a ``ResultsStore`` to write to; runs already stored under ``experiment`` are not
            run again but read back.
        months: simulate only the first ``months`` months of every scenario.
        indicators: rows of the summary.
        experiment: store experiment name (default :func:`experiment_name`).
        progress: show a progress bar.
        posterior: a posterior ensemble (``countysim.calibration.Ensemble``): replication ``i``
            of every scenario sets its parameter set ``i(r)`` (``replicate``), so intervals
            include behavioural-parameter uncertainty and differences still pair; ``None``:
            seed noise only.

    Returns:
        A :class:`ComparisonResult`.

    Raises:
        ValueError: fewer than two scenarios, repeated names, different horizons, unknown
            indicators, or a scenario with no finished run (every run of it failed).
    """
    specs_in = [_as_scenario(s) for s in scenarios]
    if len(specs_in) < 2:
        raise ValueError(f"a comparison needs at least two scenarios, got {len(specs_in)}")
    names = [s.name for s in specs_in]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(
            f"scenario name(s) {', '.join(map(repr, dup))} repeat; give each compared scenario its own name"
        )
    indicators = check_indicators(indicators)
    if months is not None:
        specs_in = [s.replace(**{"horizon.months": months}) for s in specs_in]
    check_horizons(specs_in)
    specs = replicate(specs_in, reps, seed, posterior)
    seeds = tuple(sorted({s.seed for s in specs}))
    name = experiment or experiment_name(specs_in)
    description = {"scenarios": names, "reps": reps, "seeds": [seeds[0], seeds[-1]], "months": months}
    if posterior is not None:
        description["posterior"] = posterior.name
    done, failures = run_experiment(
        name,
        specs,
        store=store,
        executor=executor,
        kind="compare",
        description=description,
        progress=progress,
    )
    by_key: dict[tuple[str, int], RunResult] = {(r.scenario_hash, int(r.seed)): r for r in done}
    wanted = {s.key for s in specs}
    if store is not None and not wanted <= set(by_key):
        # runs stored by an earlier invocation (resumed or repeated comparison)
        for r in load_results(store, name):
            key = (r.scenario_hash, int(r.seed))
            if key in wanted and key not in by_key:
                by_key[key] = r
    results: dict[str, list[RunResult]] = {}
    for j, scenario in enumerate(specs_in):
        own = sorted(
            specs[j * reps : (j + 1) * reps], key=lambda s: s.seed
        )  # replicate: scenario by scenario
        results[scenario.name] = [by_key[s.key] for s in own if s.key in by_key]
    missing = [n for n, runs in results.items() if not runs]
    if missing:
        errors = "; ".join(f.error.strip().splitlines()[-1] for f in failures[:3])
        raise ValueError(f"no finished run of {', '.join(map(repr, missing))}: {errors or 'unknown error'}")
    summary = summarise(results, indicators)
    return ComparisonResult(
        results, summary, seeds, failures, name if store is not None else None, uncertainty_sources(posterior)
    )


def uncertainty_sources(posterior=None) -> str:
    """What the intervals of runs replicated with ``posterior`` (or without, ``None``) include."""
    if posterior is None:
        return "seed noise only (behavioural parameters fixed at the scenario's values)"
    return (
        f"seed noise and behavioural-parameter uncertainty (posterior ensemble {posterior.name!r}, "
        f"{len(posterior)} parameter sets); not scenario uncertainty"
    )
