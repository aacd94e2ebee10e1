"""Assessment (成效評估, clause W3): outcomes against targets, with uncertainty.

A **targets file** (TOML) is a list of ``[[target]]`` tables::

    [[target]]
    id = "p5_public_school_share"      # unique in the file
    clause = "P5"                      # a clause ID of POLICY_MAP.md (countysim.policy.clauses)
    indicator = "public_school_share"  # an indicator of the catalogue (countysim indicators)
    op = ">="                          # ">=", "<=" or "=="
    value = 0.85                       # a number, in the indicator's unit
    at = "2025-12"                     # the month (YYYY-MM) the target is checked at
    tol = 0.01                         # optional, "==" only: relative tolerance (default 0.01)
    kind = "share"                     # optional: "absolute" (default), "share", or relative to the
                                       #   county: "per_worker", "per_child", "per_household", "per_person"
    applies_to = "all"                 # optional: "all" (default), "key_assisted", "not_key_assisted"
    subgroup = "all"                   # optional; only "all" is supported now
    description = "..."                # optional

A **relative** target (``per_worker``, ...) gives ``value`` per unit of the county's base: the
number of workers (children, households, persons) of its migrant-worker households in the run's
first month, the county's base year. Each replication's threshold is ``value`` times its own base
(``left_behind_children <= 0.115 per_child``: at most 0.115 left-behind children per child the
county had at the start), so one file fits a county of any size. A ``share`` target is a number
from 0 to 1 checked on an indicator that is a share. A target whose ``applies_to`` does not fit the
county (read from the runs' scenario, ``county.key_assisted``) gets no verdict: its row says
``not applicable`` and why.

:func:`load_targets` reads and validates a file: every problem (unknown or missing key, unknown
indicator or clause, bad comparison, bad date, duplicate id, ...) is reported in one
``TargetsError`` naming the file, the entry (its id or position) and what is allowed.

:func:`assess` evaluates targets on the replications of a run: for each target the indicator's
mean and 90 % interval (5th-95th percentile across replications) at the target's month, the
**probability** of meeting it (the share of replications meeting it) and a **verdict**:

=========  ==========================
verdict    probability of meeting it
=========  ==========================
met        ≥ 0.9
likely     ≥ 0.5 (and < 0.9)
unlikely   > 0.1 (and < 0.5)
missed     ≤ 0.1
=========  ==========================

The **gap** is signed so that positive is better: ``mean - value`` for ``>=``, ``value - mean``
for ``<=``; for ``==`` it is ``mean - value`` (no side is better). Given baseline results (the
same seeds without the action), the same columns are reported for the baseline, and the
**effect** (scenario minus baseline) with its 90 % interval over the replications paired by
seed, when the seeds match (common random numbers make this interval narrow).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from countysim.calendar import parse_month
from countysim.formatting import number
from countysim.results import RunResult
from countysim.stats import interval

OPS = (">=", "<=", "==")
SUBGROUPS = ("all",)
REQUIRED = ("id", "clause", "indicator", "op", "value", "at")
OPTIONAL = ("tol", "kind", "applies_to", "subgroup", "description")
#: what a target's value is: in the indicator's unit, a share, or per unit of a base-year count
KINDS = ("absolute", "share", "per_worker", "per_child", "per_household", "per_person")
#: the indicator a relative kind's base is (its value in the run's first month)
BASES = {
    "per_worker": "workers",
    "per_child": "children",
    "per_household": "households",
    "per_person": "persons",
}
#: which counties a target may apply to (``county.key_assisted``)
APPLIES_TO = ("all", "key_assisted", "not_key_assisted")
#: the verdict of a target that does not apply to the county
NOT_APPLICABLE = "not applicable"
DEFAULT_TOL = 0.01
#: (verdict, lowest probability that earns it, inclusive?) from best to worst
VERDICTS = (("met", 0.9, True), ("likely", 0.5, True), ("unlikely", 0.1, False), ("missed", 0.0, True))


class TargetsError(ValueError):
    """A malformed targets file, or targets that a run cannot be assessed against."""


@dataclass(frozen=True)
class Target:
    """One target: ``indicator op value`` at month ``at``."""

    id: str
    clause: str
    indicator: str
    op: str
    value: float
    at: str
    tol: float = DEFAULT_TOL
    subgroup: str = "all"
    description: str = ""
    entry: int = 0  # position in its file, from 1 (0: made in code)
    kind: str = "absolute"
    applies_to: str = "all"

    @property
    def base(self) -> str | None:
        """The indicator whose first-month value a relative target's value is per unit of."""
        return BASES.get(self.kind)

    def applies(self, key_assisted: bool) -> bool:
        """Whether the target applies to a county (by its key-assisted flag)."""
        return self.applies_to == "all" or (self.applies_to == "key_assisted") == key_assisted

    def why_not(self) -> str:
        """Why the target gives no verdict for a county it does not apply to."""
        if self.applies_to == "key_assisted":
            return "applies to national key assisted counties (国家乡村振兴重点帮扶县) only; this county is not one"
        return "applies to counties that are not key assisted; this county is one"

    @property
    def label(self) -> str:
        """How errors name the target: its id and its position in the file."""
        return f"target {self.id!r}" + (f" (entry {self.entry})" if self.entry else "")

    def meets(self, values: np.ndarray, threshold: np.ndarray | float | None = None) -> np.ndarray:
        """Whether each value meets the target (NaN never does).

        Args:
            values: the indicator's values.
            threshold: the number each is compared with (a relative target's scaled value, one
                per replication); default ``value``.
        """
        v = np.asarray(values, dtype=float)
        t = np.asarray(self.value if threshold is None else threshold, dtype=float)
        with np.errstate(invalid="ignore"):
            if self.op == ">=":
                return v >= t
            if self.op == "<=":
                return v <= t
            scale = np.where(t != 0, np.abs(t), 1.0)  # "== 0" is within tol absolutely
            return np.abs(v - t) <= self.tol * scale

    def gap(self, mean: float, threshold: float | None = None) -> float:
        """``mean`` against the target, signed so that positive is better (``==``: mean - value)."""
        t = self.value if threshold is None else threshold
        return t - mean if self.op == "<=" else mean - t

    def describe(self) -> str:
        """``indicator op value at YYYY-MM`` (``per worker`` and so on for a relative target)."""
        tol = f" (±{self.tol:g} relative)" if self.op == "==" else ""
        per = f" {self.kind.replace('_', ' ')}" if self.base else ""
        return f"{self.indicator} {self.op} {self.value:g}{per}{tol} at {self.at}"


def verdict(probability: float) -> str:
    """The verdict for a probability of meeting a target (see the module docstring)."""
    for name, threshold, inclusive in VERDICTS:
        if probability > threshold or (inclusive and probability >= threshold):
            return name
    return "missed"


# -- reading targets files --------------------------------------------------------------------


def load_targets(path: str | Path) -> tuple[Target, ...]:
    """Read and validate a targets file (UTF-8 with or without BOM, or UTF-16 with a BOM).

    Raises:
        TargetsError: listing every problem, each naming the entry and what is allowed.
    """
    from countysim.scenario import TomlFileError, read_toml

    path = Path(path)
    try:
        data = read_toml(path)
    except TomlFileError as exc:
        raise TargetsError(f"invalid targets file {path}: {exc.msg}") from None
    return parse_targets(data, str(path))


#: the largest target value (a generous bound: a county's counts and yuan are far below it)
MAX_VALUE = 1e12


def parse_targets(data: dict, source: str = "<targets>") -> tuple[Target, ...]:
    """Validate parsed TOML (``{"target": [{...}, ...]}``) into targets.

    Raises:
        TargetsError: listing every problem, each naming the entry and what is allowed.
    """
    from countysim.indicators import CATALOGUE_BY_NAME
    from countysim.parameters.base import did_you_mean
    from countysim.policy.clauses import CLAUSES
    from countysim.scenario import short_repr

    def wrong(key: str, value: object, msg: str) -> str:
        return f"{key} = {short_repr(value)}: {msg}"

    problems: list[str] = []
    if not isinstance(data, dict):
        raise TargetsError(f"invalid targets file {source}:\n  must be a TOML document of [[target]] tables")
    extra = sorted(map(str, set(data) - {"target"}))
    if extra:
        problems.append(
            f"unknown top-level key(s) {', '.join(map(repr, extra))}; allowed: [[target]] tables only"
            + "".join(did_you_mean(k, ["target"]) for k in extra)
        )
    entries = data.get("target")
    if entries is None or (isinstance(entries, list) and not entries):
        problems.append("no targets: the file must hold at least one [[target]] table")
        entries = []
    elif not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.append("'target' must be a list of tables, written [[target]]")
        entries = []

    targets: list[Target] = []
    first_seen: dict[str, int] = {}
    allowed_keys = ", ".join((*REQUIRED, *OPTIONAL))
    for k, entry in enumerate(entries, start=1):
        tid = entry.get("id")
        name = f"target {tid!r} (entry {k})" if isinstance(tid, str) and tid.strip() else f"entry {k}"
        bad: list[str] = []

        unknown = [key for key in entry if key not in REQUIRED and key not in OPTIONAL]
        if unknown:
            bad.append(
                f"unknown key(s) {', '.join(map(repr, unknown))}; allowed: {allowed_keys}"
                + "".join(did_you_mean(key, (*REQUIRED, *OPTIONAL)) for key in unknown)
            )
        missing = [key for key in REQUIRED if key not in entry]
        if missing:
            bad.append(f"missing key(s) {', '.join(map(repr, missing))}; required: {', '.join(REQUIRED)}")

        if "id" in entry:
            if not isinstance(tid, str) or not tid.strip():
                bad.append(wrong("id", tid, "must be a non-empty string"))
            elif tid in first_seen:
                bad.append(f"duplicate id {tid!r} (also entry {first_seen[tid]}); ids must be unique")
            else:
                first_seen[tid] = k
        clause = entry.get("clause")
        if "clause" in entry and (not isinstance(clause, str) or clause not in CLAUSES):
            allowed = f"unknown clause; allowed (POLICY_MAP.md): {', '.join(CLAUSES)}"
            bad.append(wrong("clause", clause, allowed + did_you_mean(clause, list(CLAUSES))))
        indicator = entry.get("indicator")
        known_indicator = isinstance(indicator, str) and indicator in CATALOGUE_BY_NAME
        if "indicator" in entry and not known_indicator:
            allowed = "not in the indicator catalogue; allowed: any name listed by `countysim indicators` "
            allowed += "(docs/indicators.md)" + did_you_mean(indicator, list(CATALOGUE_BY_NAME))
            bad.append(wrong("indicator", indicator, allowed))
        op = entry.get("op")
        if "op" in entry and (not isinstance(op, str) or op not in OPS):
            bad.append(wrong("op", op, f"unknown comparison; allowed: {', '.join(map(repr, OPS))}"))
        value = entry.get("value")
        if "value" in entry:
            unit = CATALOGUE_BY_NAME[indicator].unit if known_indicator else None
            if not _is_number(value):
                bad.append(
                    wrong(
                        "value",
                        value,
                        "must be a finite number" + (", not a string" if isinstance(value, str) else ""),
                    )
                )
            elif unit == "share" and not 0 <= value <= 1:
                bad.append(wrong("value", value, f"{indicator} is a share; allowed 0 to 1"))
            elif entry.get("kind") in BASES and value < 0:
                bad.append(
                    wrong("value", value, f"a {entry['kind']} target is at least 0 (per unit of the base)")
                )
            elif abs(value) > MAX_VALUE:
                bad.append(wrong("value", value, f"out of range; allowed -{MAX_VALUE:g} to {MAX_VALUE:g}"))
        at = entry.get("at")
        if "at" in entry:
            try:
                parse_month(at)
            except ValueError:
                bad.append(wrong("at", at, 'must be a month written as a string "YYYY-MM", e.g. "2025-12"'))
        tol = entry.get("tol", DEFAULT_TOL)
        if "tol" in entry:
            if op in (">=", "<="):
                bad.append(wrong("tol", tol, "a tolerance applies only to op '=='"))
            elif not _is_number(tol) or not 0 <= tol <= 1:
                bad.append(
                    wrong("tol", tol, "must be a number ≥ 0 and ≤ 1 (a relative tolerance, e.g. 0.01)")
                )
        kind = entry.get("kind", "absolute")
        if not isinstance(kind, str) or kind not in KINDS:
            bad.append(wrong("kind", kind, f"unknown kind; allowed: {', '.join(map(repr, KINDS))}"
                             + did_you_mean(kind, list(KINDS))))  # fmt: skip
        elif known_indicator:
            unit = CATALOGUE_BY_NAME[indicator].unit
            if kind == "share" and unit != "share":
                bad.append(wrong("kind", kind, f"{indicator} is in {unit}, not a share; allowed: 'absolute' or "
                                 f"a relative kind ({', '.join(map(repr, BASES))})"))  # fmt: skip
            elif kind in BASES and unit.startswith("share"):
                bad.append(wrong("kind", kind, f"{indicator} is a share, which does not scale with the county; "
                                 "allowed: 'share' or 'absolute'"))  # fmt: skip
        applies_to = entry.get("applies_to", "all")
        if not isinstance(applies_to, str) or applies_to not in APPLIES_TO:
            bad.append(wrong("applies_to", applies_to, f"allowed: {', '.join(map(repr, APPLIES_TO))} "
                             "(counties by their county.key_assisted flag)" + did_you_mean(applies_to, list(APPLIES_TO))))  # fmt: skip
        subgroup = entry.get("subgroup", "all")
        if not isinstance(subgroup, str) or subgroup not in SUBGROUPS:
            bad.append(
                wrong("subgroup", subgroup, f"not supported; allowed: {', '.join(map(repr, SUBGROUPS))}")
            )
        description = entry.get("description", "")
        if not isinstance(description, str):
            bad.append(wrong("description", description, "must be a string"))

        if bad:
            problems += [f"{name}: {b}" for b in bad]
            continue
        targets.append(
            Target(
                tid,
                clause,
                indicator,
                op,
                float(value),
                at,
                float(tol),
                subgroup,
                description,
                k,
                kind,
                applies_to,
            )
        )
    if problems:
        raise TargetsError(f"invalid targets file {source}:\n  " + "\n  ".join(problems))
    return tuple(targets)


def _is_number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def check_horizon(targets: Sequence[Target], months: Sequence[str], what: str = "the run") -> None:
    """Check that every target's month lies in a horizon.

    Args:
        targets: the targets.
        months: the horizon's month labels (``YYYY-MM``, consecutive).
        what: how the error names the horizon's owner (a scenario, a run).

    Raises:
        TargetsError: naming every target outside, the horizon's start and end.
    """
    start, end = months[0], months[-1]
    have = set(months)
    outside = [t for t in targets if t.at not in have]
    if outside:
        lines = [
            f"{t.label} is checked at {t.at}, "
            + ("after the horizon's end" if t.at > end else "before the horizon's start")
            for t in outside
        ]
        raise TargetsError(
            f"the horizon of {what} ({start} to {end}) does not cover every target "
            "(run longer with --months, or move the targets):\n  " + "\n  ".join(lines)
        )


# -- assessing ------------------------------------------------------------------------------------


def _values(results: Sequence[RunResult], target: Target) -> np.ndarray:
    return np.array([r.series(target.indicator)[r.months.index(target.at)] for r in results], dtype=float)


#: the half-width a probability's Monte-Carlo interval should reach (``reps_for_0_05``)
MC_HALF_WIDTH = 0.05
#: normal quantile of the 90 % Monte-Carlo interval of a probability
MC_Z = 1.6448536269514722


def monte_carlo_error(met: int, n: int) -> tuple[float, int]:
    """A probability's Monte-Carlo standard error, and the replications for ±``MC_HALF_WIDTH``.

    The probability is estimated as ``met / n``; the replications are those that would bring its
    90 % Monte-Carlo interval to ±``MC_HALF_WIDTH``. Both use the probability with one success and one failure added (``(met + 1) / (n + 2)``), so
    that 3 runs all meeting a target give an error of 0.2, not 0, and do not claim enough runs.
    """
    p = (met + 1) / (n + 2)
    return math.sqrt(p * (1 - p) / n), math.ceil(MC_Z**2 * p * (1 - p) / MC_HALF_WIDTH**2)


def thresholds(results: Sequence[RunResult], target: Target) -> np.ndarray:
    """The number each replication is checked against: ``value``, or ``value`` × its base-year count."""
    if target.base is None:
        return np.full(len(results), target.value)
    return np.array([target.value * r.series(target.base)[0] for r in results], dtype=float)


def key_assisted(results: Sequence[RunResult]) -> bool:
    """Whether the runs' county is a key assisted county (``county.key_assisted`` of their scenario).

    Raises:
        TargetsError: if the runs disagree (runs of different counties are not assessed together).
    """
    import json

    flags = set()
    for r in results:
        try:
            flags.add(bool(json.loads(r.scenario_json or "{}").get("county", {}).get("key_assisted", False)))
        except (ValueError, AttributeError):
            flags.add(False)
    if len(flags) > 1:
        raise TargetsError("the runs assessed together are of a key assisted county and of another county")
    return flags.pop() if flags else False


def _stats(values: np.ndarray, target: Target, threshold: np.ndarray) -> dict[str, float | str]:
    mean, lo, hi, _ = interval(values)
    met = target.meets(values, threshold)
    p = float(met.mean())
    se, needed = monte_carlo_error(int(met.sum()), len(values))
    return {"mean": mean, "lo90": lo, "hi90": hi, "probability": p, "probability_mc_se": se,
            "reps_for_0_05": needed, "verdict": verdict(p),
            "gap": target.gap(mean, float(np.mean(threshold)))}  # fmt: skip


def assess(
    results: Sequence[RunResult],
    targets: Sequence[Target] | str | Path,
    baseline_results: Sequence[RunResult] | None = None,
    county_key_assisted: bool | None = None,
) -> pd.DataFrame:
    """Assess replications of a scenario against targets.

    Args:
        results: the scenario's replications.
        targets: targets, or the path of a targets file.
        baseline_results: the baseline's replications (ideally on the same seeds), or ``None``.
        county_key_assisted: whether the county is key assisted, for the targets' ``applies_to``;
            default: read from the runs' scenario.

    Returns:
        One row per target: ``id, clause, indicator, unit, kind, applies_to, op, value,
        threshold, at, n_runs, mean, lo90, hi90, probability, probability_mc_se, reps_for_0_05,
        verdict, gap, note, description`` (``threshold``: the value the indicator is checked
        against, a relative target's value times the county's base-year count, mean over
        replications; ``monte_carlo_error``: the probability's error, and the replications for
        ±0.05; a target that does not apply has verdict ``not applicable``, no statistics and a
        ``note`` saying why); with a baseline also ``baseline_mean, baseline_lo90, baseline_hi90,
        baseline_probability, baseline_verdict, baseline_gap, effect, effect_lo90, effect_hi90``
        (effect intervals from seed-paired differences, NaN when the seeds do not pair).

    Raises:
        ValueError: if ``results`` (or a given ``baseline_results``) is empty.
        TargetsError: for a malformed targets file, or a run whose horizon misses a target's
            month (naming the target and the horizon's end).
    """
    from countysim.indicators import CATALOGUE_BY_NAME

    if isinstance(targets, str | Path):
        targets = load_targets(targets)
    if not results:
        raise ValueError("assess needs at least one run of the scenario")
    if baseline_results is not None and not baseline_results:
        raise ValueError("assess was given an empty list of baseline runs")
    for group, label in ((results, "scenario"), (baseline_results or (), "baseline")):
        for r in group:
            check_horizon(targets, r.months, f"{label} run {r.scenario_name!r} seed {r.seed}")
    flag = key_assisted(results) if county_key_assisted is None else county_key_assisted

    by_seed = {r.seed: r for r in results}
    base_by_seed = {r.seed: r for r in baseline_results or ()}
    paired = (
        baseline_results is not None and set(by_seed) == set(base_by_seed) and len(by_seed) == len(results)
    )
    stat_keys = ("mean", "lo90", "hi90", "probability", "probability_mc_se", "reps_for_0_05", "gap")
    rows = []
    for t in targets:
        row: dict[str, object] = {
            "id": t.id, "clause": t.clause, "indicator": t.indicator,
            "unit": CATALOGUE_BY_NAME[t.indicator].unit if t.indicator in CATALOGUE_BY_NAME else "",
            "kind": t.kind, "applies_to": t.applies_to, "op": t.op, "value": t.value,
        }  # fmt: skip
        if not t.applies(flag):
            row.update({"threshold": math.nan, "at": t.at, "n_runs": len(results)})
            row.update({k: math.nan for k in stat_keys} | {"verdict": NOT_APPLICABLE})
            if baseline_results is not None:
                row.update(
                    {f"baseline_{k}": math.nan for k in stat_keys} | {"baseline_verdict": NOT_APPLICABLE}
                )
                row.update({"effect": math.nan, "effect_lo90": math.nan, "effect_hi90": math.nan})
            row.update({"note": t.why_not(), "description": t.description})
            rows.append(row)
            continue
        threshold = thresholds(results, t)
        row.update({"threshold": float(np.mean(threshold)), "at": t.at, "n_runs": len(results)})
        values = _values(results, t)
        row.update(_stats(values, t, threshold))
        if baseline_results is not None:
            base = _values(baseline_results, t)
            row.update(
                {f"baseline_{k}": v for k, v in _stats(base, t, thresholds(baseline_results, t)).items()}
            )
            row["effect"] = row["mean"] - row["baseline_mean"]
            if paired:
                seeds = sorted(by_seed)
                diff = _values([by_seed[s] for s in seeds], t) - _values([base_by_seed[s] for s in seeds], t)
                _, lo, hi, _ = interval(diff)
            else:
                lo = hi = math.nan
            row["effect_lo90"], row["effect_hi90"] = lo, hi
        row["note"] = (f"{t.value:g} {t.kind.replace('_', ' ')} × the county's {t.base} at {results[0].months[0]}"
                       if t.base else "")  # fmt: skip
        row["description"] = t.description
        rows.append(row)
    return pd.DataFrame(rows)


def target_text(row: object) -> str:
    """A row's target as read: ``indicator op threshold at YYYY-MM`` (a relative one with its value per unit)."""
    r = row
    if r.verdict == NOT_APPLICABLE or not BASES.get(r.kind):
        per = f" {r.kind.replace('_', ' ')}" if BASES.get(r.kind) else ""
        return f"{r.indicator} {r.op} {number(r.value)}{per} at {r.at}"
    return (
        f"{r.indicator} {r.op} {number(r.threshold)} ({number(r.value)} {r.kind.replace('_', ' ')}) at {r.at}"
    )


def _p(x: float) -> str:
    return "–" if x != x else f"{x:.2f}"


def to_markdown(table: pd.DataFrame) -> str:
    """An assessment table as Markdown (what ``assessment.md`` holds)."""
    base = "baseline_mean" in table.columns
    header = ["id", "clause", "target", "mean", "90 % interval", "P(meet)", "verdict", "gap"]
    if base:
        header += ["baseline mean", "baseline P(meet)", "baseline verdict", "effect (90 %)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    notes = []
    for r in table.itertuples():
        if r.verdict == NOT_APPLICABLE:
            cells = [r.id, r.clause, target_text(r), "–", "–", "–", NOT_APPLICABLE, "–"] + (
                ["–"] * 4 if base else []
            )
            notes.append(f"- {r.id}: no verdict: {r.note}")
            lines.append("| " + " | ".join(cells) + " |")
            continue
        cells = [r.id, r.clause, target_text(r), number(r.mean),
                 f"{number(r.lo90)} – {number(r.hi90)}", _p(r.probability), r.verdict,
                 number(r.gap)]  # fmt: skip
        if base:
            cells += [number(r.baseline_mean), _p(r.baseline_probability), r.baseline_verdict,
                      f"{number(r.effect)} ({number(r.effect_lo90)} – {number(r.effect_hi90)})"]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n" + ("\n" + "\n".join(notes) + "\n" if notes else "")
