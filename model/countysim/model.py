"""``CountyModel``: one county, one month per step — a loop over the phases of the month."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

import mesa
import numpy as np

from countysim.build import SETUP_STREAMS, build_population
from countysim.calendar import Month, month_label
from countysim.indicators import compute_all
from countysim.phases import PHASES, Context, Phase, catalogue
from countysim.population.state import Population
from countysim.results import RunResult
from countysim.rng import DEFAULT_GENERATOR, Streams
from countysim.scenario import Scenario
from countysim.state import CountyState, JobStocks


def stream_registry(phases: tuple[Phase, ...] = PHASES) -> dict[str, str]:
    """Every random stream a run may draw from (the builders' and the phases'), with its decision.

    Raises:
        ValueError: if two phases share a name, or two declarations share a stream.
    """
    registry = dict(SETUP_STREAMS)
    names = [p.name for p in phases]
    if len(set(names)) != len(names):
        raise ValueError(f"two phases share a name: {names}")
    for phase in phases:
        for name, decision in phase.stream_names().items():
            if name in registry:
                raise ValueError(f"random stream {name!r} is declared twice")
            registry[name] = decision
    return registry


def _root_seed(scenario: Scenario, rng: object, seed: int | None) -> int:
    """The run's root seed from Mesa's ``rng`` (an int or a numpy Generator), ``seed``, or the scenario."""
    if rng is not None and seed is not None:
        raise ValueError("give rng or seed, not both")
    if rng is None:
        return scenario.seed if seed is None else int(seed)
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(2**63 - 1))
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool):
        return int(rng)
    raise TypeError(f"rng must be a non-negative integer seed or a numpy Generator, got {rng!r}")


def _indicator_value(j: int, model: CountyModel) -> float:
    """The model's last recorded value of indicator ``j`` (a DataCollector reporter)."""
    return float(model.panel[model.t - 1, j])


class CountyModel(mesa.Model):
    """A county's migrant-worker households under a policy package.

    The state lives in one ``CountyState`` (``self.state``: numpy columns of persons and
    households, job stocks, and each phase's account); ``step()`` runs one month as a loop over
    ``PHASES`` and records the indicator panel.

    Args:
        scenario: a validated scenario (``countysim.scenario.load``).
        rng: root seed (an int, or a numpy Generator to draw one from), as Mesa passes it;
            defaults to the scenario's ``seed``.
        seed: the same as ``rng`` (an int); give one or the other.
        population: start from this population (copied; as made by ``build_population``)
            instead of building one.
        generator: the random generator of the streams (``countysim.rng.GENERATORS``).

    Attributes:
        spec: the scenario.
        seed: the root seed.
        streams: the named random streams (common random numbers).
        state: the county's state.
        indicators: the indicators recorded each month (those of ``PHASES``, in order).
        panel: recorded indicators, one row per simulated month.
        phase_seconds: wall seconds spent in each phase so far (and ``record``).
        datacollector: Mesa's collector, one model-level reporter per indicator.
    """

    #: the month, in order (``countysim phases`` prints it)
    PHASES: tuple[Phase, ...] = PHASES

    def __init__(
        self,
        scenario: Scenario,
        *,
        rng: int | np.random.Generator | None = None,
        seed: int | None = None,
        population: Population | None = None,
        generator: str = DEFAULT_GENERATOR,
    ) -> None:
        root = _root_seed(scenario, rng, seed)
        super().__init__(rng=root)
        self.spec = scenario
        self.seed = root
        self.streams = Streams(root, stream_registry(self.PHASES), generator=generator)
        pop = population.copy() if population is not None else build_population(scenario, self.streams)
        self.state = CountyState(
            pop=pop,
            jobs=JobStocks.initial(pop, scenario.county.labour),
            profile=scenario.county,
            persons_at_start=int(pop.alive.sum()),
        )
        for phase in self.PHASES:
            phase.init(self.state, scenario)
        self.indicators = catalogue(self.PHASES)
        self.t = 0
        self.month: Month | None = None
        self.panel = np.full((scenario.horizon.months, len(self.indicators)), np.nan)
        self.phase_seconds: dict[str, float] = {p.name: 0.0 for p in self.PHASES} | {"record": 0.0}
        self.datacollector = mesa.DataCollector(
            model_reporters={ind.name: partial(_indicator_value, j) for j, ind in enumerate(self.indicators)}
        )

    @property
    def pop(self) -> Population:
        """The county's persons and households (``state.pop``)."""
        return self.state.pop

    def step(self) -> None:
        """Simulate one month: each phase of ``PHASES`` in order, then record.

        The phases of the default plan (``countysim phases`` prints it with each phase's
        clauses, streams and indicators):

        1. **calendar** — each lever's value this month, late by the coordination delay when
           there is no coordination body (G1); monitoring coverage (G3) scales what outreach
           reaches.
        2. **demography** — ageing, deaths, births, labour-market entry and exit.
        3. **labour** — separations, job stocks, search, market choice, matching, referrals,
           East-West placements (E1, E2, E3, E5, E6).
        4. **enterprise** — returnee start-ups, closures, jobs created (E7).
        5. **wages** — every worker's income for the month's jobs, once a month.
        6. **training** — course completion and certification, applications, capacity-limited
           allocation with priority groups, enrolment (S1-S5, E3).
        7. **rights** — contracts, insurance enrolment and transfer, injuries and benefits, wage
           arrears and their resolution (R1-R7, W1, G4).
        8. **housing** — residence, permits, dormitory / rent / affordable-unit queue / purchase,
           savings (P3).
        9. **settlement** — eligibility under the county's conditions and the household's
           choice (P6, P1).
        10. **schooling** — seats grow; each September every compulsory-age child gets a school
            (P4, P5).
        11. **services** — awareness of services (W4, G2, G4, E4).
        12. **fiscal** — the month's costs and transfers (P1, P2).

        Then **record**: the indicator catalogue for the month.
        """
        if self.t >= self.spec.horizon.months:
            raise RuntimeError(f"the horizon of {self.spec.horizon.months} months is already simulated")
        month = self.month = Month.at(self.spec.horizon.start_absolute, self.t)
        ctx = Context(month=month, streams=self.streams)
        state, seconds = self.state, self.phase_seconds
        state.start_month()
        for phase in self.PHASES:
            t0 = time.perf_counter()
            phase.step(state, ctx)
            seconds[phase.name] += time.perf_counter() - t0
        t0 = time.perf_counter()
        self.panel[self.t] = compute_all(state, self.indicators)
        self.t += 1
        self.datacollector.collect(self)
        seconds["record"] += time.perf_counter() - t0
        self.running = self.t < self.spec.horizon.months

    @property
    def levers(self) -> dict[str, float]:
        """Every lever's effective value in the last simulated month."""
        return self.state.accounts["calendar"].levers  # type: ignore[attr-defined]

    @property
    def month_labels(self) -> tuple[str, ...]:
        """Labels of the months simulated so far."""
        s = self.spec.horizon.start_absolute
        return tuple(month_label(s + i) for i in range(self.t))

    def result(self, wall_seconds: float = 0.0, meta: dict | None = None) -> RunResult:
        """The run so far as a ``RunResult``."""
        from countysim.version import code_fingerprint, package_version

        return RunResult(
            scenario_name=self.spec.name,
            scenario_hash=self.spec.content_hash(),
            seed=self.seed,
            months=self.month_labels,
            indicators=tuple(i.name for i in self.indicators),
            values=self.panel[: self.t].copy(),
            persons=self.state.persons_at_start,
            wall_seconds=wall_seconds,
            code_version=package_version(),
            scenario_json=self.spec.to_json(),
            meta=dict(meta or {}),
            code_fingerprint=code_fingerprint(),
        )


def run(
    scenario: Scenario,
    seed: int | None = None,
    months: int | None = None,
    meta: dict | None = None,
    progress: Callable[[int, int], None] | None = None,
    phase_seconds: bool = False,
    generator: str = DEFAULT_GENERATOR,
) -> RunResult:
    """Build the county, simulate the horizon (or its first ``months``), return the result.

    Args:
        scenario: a validated scenario.
        seed: root seed; defaults to the scenario's.
        months: simulate only this many months (at most the horizon).
        meta: extra facts stored with the result.
        progress: called after each month with (months done, months in all).
        phase_seconds: add the wall seconds spent in each phase to ``meta["phase_seconds"]``.
        generator: the random generator (``countysim.rng.GENERATORS``); ``"pcg64"`` is the
            reference generator of earlier versions, for comparisons of the two.
    """
    if months is not None:
        if not 1 <= months <= 360:
            raise ValueError(f"months must be between 1 and 360, got {months}")
        scenario = scenario.replace(**{"horizon.months": months})
    t0 = time.perf_counter()
    model = CountyModel(scenario, seed=seed, generator=generator)
    if generator != DEFAULT_GENERATOR:
        meta = {**(meta or {}), "generator": generator}
    while model.running:
        model.step()
        if progress is not None:
            progress(model.t, model.spec.horizon.months)
    meta = dict(meta or {})
    if phase_seconds:
        meta["phase_seconds"] = dict(model.phase_seconds)
    return model.result(time.perf_counter() - t0, meta)
