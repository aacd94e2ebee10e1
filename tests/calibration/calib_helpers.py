"""Tiny calibrations for the tests: the validation county at 1 % of its size, over 2019."""

from __future__ import annotations

from pathlib import Path

import countysim as cs
from countysim.calibration.statistics import statistics

from helpers import ROOT

VALIDATION = ROOT / "scenarios" / "validation" / "from_2019.toml"
SCALE = 0.01
MONTHS = 12
#: the true values the recovery test simulates its observations from
TRUTH = {"behaviour.labour.p_find_outside": 0.3, "behaviour.labour.match_efficiency": 0.2}
PRIORS = {"behaviour.labour.p_find_outside": (0.1, 0.6), "behaviour.labour.match_efficiency": (0.05, 0.5)}


def observe(truth: dict[str, float], seeds: range = range(900, 903)) -> dict[str, float]:
    """What the county at ``truth`` reports in 2019: jobless rate and survey local share, over ``seeds``."""
    from countysim.calibration.spec import Target

    base = cs.load_scenario(VALIDATION).replace(**{"horizon.months": MONTHS}).replace(**truth).scaled(SCALE)
    runs = [cs.run(base, seed=s) for s in seeds]
    targets = [Target("jobless_rate", "level", 0.0, se=1.0, year=2019),
               Target("survey_local_share", "level", 0.0, se=1.0, year=2019)]  # fmt: skip
    return statistics(runs, targets)


def write_calibration(
    folder: Path,
    observed: dict[str, float],
    name: str = "recovery",
    priors: dict[str, tuple[float, float]] = PRIORS,
    population: int = 25,
    generations: int = 3,
    se: float = 0.006,
    seed: int = 7,
) -> Path:
    """A calibration file of the tiny county against ``observed`` (target name → value)."""
    lines = [
        f'base = "{VALIDATION.as_posix()}"', f'name = "{name}"', f"scale = {SCALE}", f"months = {MONTHS}",
        f"seed = {seed}", "[method]", f"population = {population}", f"generations = {generations}",
        "min_epsilon = 0.5", "[parameters]",
    ]  # fmt: skip
    lines += [f'"{path}" = {{ range = [{lo}, {hi}] }}' for path, (lo, hi) in priors.items()]
    for target, value in observed.items():
        indicator, year = target.split("@")
        lines += ["[[target]]", f'indicator = "{indicator}"', f"year = {year}", f"value = {value!r}", f"se = {se}",
                  'source = "simulated from known parameter values"']  # fmt: skip
    path = folder / f"{name}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
