"""``CountyModel``: one county, one month per step."""

from __future__ import annotations

import time
from collections.abc import Callable

import mesa
import numpy as np

from countysim import indicators
from countysim.calendar import Month, month_label
from countysim.policy.levers import LEVERS
from countysim.population.microdata import load_microdata
from countysim.population.state import Population
from countysim.population.synthesis import synthesize
from countysim.results import RunResult
from countysim.rng import Streams
from countysim.rules import demography, labour, training
from countysim.scenario import Scenario


class CountyModel(mesa.Model):
    """A county's migrant-worker households under a policy package.

    State lives in numpy columns (``self.pop``); each phase of the month is a vectorised rule
    module in ``countysim.rules``; ``step()`` runs one month.

    Args:
        scenario: a validated scenario (``countysim.scenario.load``).
        seed: root seed; defaults to the scenario's ``seed``.
        population: start from this population (copied) instead of building one.

    Attributes:
        spec: the scenario.
        seed: the root seed.
        streams: the named random streams (common random numbers).
        pop: persons and households.
        markets: county job stocks.
        training: cumulative training account.
        flows: what each phase did in the last month.
        panel: recorded indicators, one row per simulated month.
    """

    def __init__(
        self, scenario: Scenario, seed: int | None = None, population: Population | None = None
    ) -> None:
        seed = scenario.seed if seed is None else int(seed)
        super().__init__(rng=seed)
        self.spec = scenario
        self.seed = seed
        self.streams = Streams(seed)
        if population is not None:
            self.pop = population.copy()
        elif scenario.population.source == "microdata":
            self.pop = load_microdata(scenario.population.path, scenario, self.streams)
        else:
            self.pop = synthesize(scenario, self.streams)
        self.persons_at_start = int(self.pop.alive.sum())
        self.markets = labour.Markets.initial(self.pop, scenario.county.labour)
        self.training = training.TrainingAccount()
        self.flows: dict = {"labour": labour.LabourFlows(), "demography": demography.DemographyFlows()}
        self.cum = {"births": 0, "deaths": 0, "emigrations": 0}
        self.t = 0
        self.month: Month | None = None
        self.levers: dict[str, float] = {}
        self.panel = np.full((scenario.horizon.months, len(indicators.CATALOGUE)), np.nan)

    def step(self) -> None:
        """Simulate one month.

        The phases, in order:

        1. **calendar and policy** — the month's calendar events (Spring Festival, post-festival
           hiring season, school year, annual plans) and each lever's value this month.
        2. **demography** — ageing, deaths, births, labour-market entry and exit
           (``rules.demography``).
        3. **labour** — separations, job stocks, search, market choice, matching, referrals,
           East-West placements, wages (``rules.labour``; E1, E2, E3, E5, E6).
        4. **training** — course completion and certification, applications, capacity-limited
           allocation with priority groups, enrolment (``rules.training``; S1-S5, E3).
        5. **record** — the indicator catalogue for the month (``indicators``).
        """
        if self.t >= self.spec.horizon.months:
            raise RuntimeError(f"the horizon of {self.spec.horizon.months} months is already simulated")
        self.month = Month.at(self.spec.horizon.start_absolute, self.t)
        self.levers = {lever.name: self.spec.lever_value(lever.name, self.t) for lever in LEVERS}

        demo = demography.step(
            self.pop, self.spec.behaviour.demography, self.spec.behaviour.labour.wage_person_sd,
            self.streams, self.month,
        )  # fmt: skip
        self.flows["demography"] = demo
        self.cum["births"] += demo.births
        self.cum["deaths"] += demo.deaths
        self.cum["emigrations"] += demo.emigrations
        self.flows["labour"] = labour.step(
            self.pop, self.spec, self.levers, self.streams, self.month, self.markets
        )
        training.step(self.pop, self.spec, self.levers, self.streams, self.month, self.training)

        self.panel[self.t] = indicators.compute_all(self)
        self.t += 1
        self.running = self.t < self.spec.horizon.months

    @property
    def month_labels(self) -> tuple[str, ...]:
        """Labels of the months simulated so far."""
        s = self.spec.horizon.start_absolute
        return tuple(month_label(s + i) for i in range(self.t))

    def result(self, wall_seconds: float = 0.0, meta: dict | None = None) -> RunResult:
        """The run so far as a ``RunResult``."""
        from countysim import __version__

        return RunResult(
            scenario_name=self.spec.name,
            scenario_hash=self.spec.content_hash(),
            seed=self.seed,
            months=self.month_labels,
            indicators=indicators.NAMES,
            values=self.panel[: self.t].copy(),
            persons=self.persons_at_start,
            wall_seconds=wall_seconds,
            code_version=__version__,
            scenario_json=self.spec.to_json(),
            meta=dict(meta or {}),
        )


def run(
    scenario: Scenario,
    seed: int | None = None,
    months: int | None = None,
    meta: dict | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Build the county, simulate the horizon (or its first ``months``), return the result.

    Args:
        scenario: a validated scenario.
        seed: root seed; defaults to the scenario's.
        months: simulate only this many months (at most the horizon).
        meta: extra facts stored with the result.
        progress: called after each month with (months done, months in all).
    """
    if months is not None:
        if not 1 <= months <= 360:
            raise ValueError(f"months must be between 1 and 360, got {months}")
        scenario = scenario.replace(**{"horizon.months": months})
    t0 = time.perf_counter()
    model = CountyModel(scenario, seed=seed)
    while model.running:
        model.step()
        if progress is not None:
            progress(model.t, model.spec.horizon.months)
    return model.result(time.perf_counter() - t0, meta)
