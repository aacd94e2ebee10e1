"""``CountyModel``: one county, one month per step."""

from __future__ import annotations

import time
from collections.abc import Callable

import mesa
import numpy as np

from countysim import indicators
from countysim.build.initial import initialise
from countysim.build.microdata import load_microdata
from countysim.build.synthesis import synthesize
from countysim.calendar import Month, month_label
from countysim.policy.levers import LEVERS
from countysim.population import codes as c
from countysim.population.state import Population
from countysim.results import RunResult
from countysim.rng import Streams
from countysim.rules import (
    demography,
    enterprise,
    fiscal,
    housing,
    labour,
    rights,
    schooling,
    services,
    settlement,
    training,
)
from countysim.scenario import Scenario


def build_population(scenario: Scenario, streams: Streams) -> Population:
    """The county's persons and households at the start: synthesised or read, then initialised."""
    if scenario.population.source == "microdata":
        pop = load_microdata(scenario.population.path, scenario, streams)
    else:
        pop = synthesize(scenario, streams)
    initialise(pop, scenario, streams)
    return pop


#: how far monitoring coverage (G3) lets outreach reach: at no coverage half of it (assumption)
MONITORING_FLOOR = 0.5


def effective_levers(spec: Scenario, t: int, delay: int) -> dict[str, float]:
    """Every lever's value in month ``t``.

    A change scheduled with a ``start`` month takes effect ``delay`` months late (no
    coordination body, G1); a lever set without a start is the county's standing value from
    the first month. Outreach (S2) and village PES reach (E5) are scaled by monitoring coverage
    (G3).
    """
    lv = {}
    for lever in LEVERS:
        setting = spec.levers.get(lever.name)
        late = setting is not None and setting.start is not None and lever.name != "g1_coordination"
        lv[lever.name] = spec.lever_value(lever.name, t - delay if late else t)
    reach = MONITORING_FLOOR + (1.0 - MONITORING_FLOOR) * lv["g3_monitoring_coverage"]
    lv["s2_outreach"] *= reach
    lv["e5_pes_village_coverage"] *= reach
    return lv


class CountyModel(mesa.Model):
    """A county's migrant-worker households under a policy package.

    State lives in numpy columns (``self.pop``); each phase of the month is a vectorised rule
    module in ``countysim.rules``; ``step()`` runs one month.

    Args:
        scenario: a validated scenario (``countysim.scenario.load``).
        seed: root seed; defaults to the scenario's ``seed``.
        population: start from this population (copied; as made by ``build_population``)
            instead of building one.

    Attributes:
        spec: the scenario.
        seed: the root seed.
        streams: the named random streams (common random numbers).
        pop: persons and households.
        markets: county job stocks.
        training, rights, housing, settlement, schools, enterprise, fiscal: the phases'
            accounts (capacities and cumulative counts).
        flows: what demography and labour did in the last month.
        levers: each lever's effective value this month.
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
        self.pop = population.copy() if population is not None else build_population(scenario, self.streams)
        self.persons_at_start = int(self.pop.alive.sum())
        county = scenario.county
        self.markets = labour.Markets.initial(self.pop, county.labour)
        self.training = training.TrainingAccount()
        self.rights = rights.RightsAccount()
        self.housing = housing.HousingAccount(units=float(county.housing.affordable_units))
        self.settlement = settlement.SettlementAccount()
        seats = np.array([0.0, county.schools.primary_seats, county.schools.junior_seats])
        self.schools = schooling.SchoolAccount(seats=seats)
        self.enterprise = enterprise.EnterpriseAccount()
        self.fiscal = fiscal.FiscalAccount()
        self.flows: dict = {"labour": labour.LabourFlows(), "demography": demography.DemographyFlows()}
        self.cum = {"births": 0, "deaths": 0, "emigrations": 0}
        self.t = 0
        self.month: Month | None = None
        self.levers: dict[str, float] = {}
        self.lever_delay = 0
        self.panel = np.full((scenario.horizon.months, len(indicators.CATALOGUE)), np.nan)

    def step(self) -> None:
        """Simulate one month.

        The phases, in order:

        1. **calendar and policy** — the month's calendar events (Spring Festival, post-festival
           hiring season, school year, annual plans) and each lever's value this month, late by
           the coordination delay when there is no coordination body (G1); monitoring coverage
           (G3) scales what outreach reaches (``effective_levers``).
        2. **demography** — ageing, deaths, births, labour-market entry and exit
           (``rules.demography``).
        3. **labour** — separations, job stocks, search, market choice, matching, referrals,
           East-West placements, wages (``rules.labour``; E1, E2, E3, E5, E6).
        4. **enterprise** — returnee start-ups, closures, jobs created (``rules.enterprise``; E7).
        5. **training** — course completion and certification, applications by aware workers,
           capacity-limited allocation with priority groups, enrolment (``rules.training``;
           S1-S5, E3).
        6. **rights** — contracts, insurance enrolment and transfer, injuries and benefits, wage
           arrears and their resolution (``rules.rights``; R1-R7, W1, G4).
        7. **housing** — residence, permits, dormitory / rent / affordable-unit queue / purchase,
           savings (``rules.housing``; P3).
        8. **settlement** — eligibility under the county's conditions and the household's
           choice (``rules.settlement``; P6, P1).
        9. **schooling** — seats grow; each September every compulsory-age child gets a school
           (``rules.schooling``; P4, P5).
        10. **services and fiscal** — awareness of services (``rules.services``; W4, G2, G4,
            E4) and the month's costs and transfers (``rules.fiscal``; P1, P2).
        11. **record** — the indicator catalogue for the month (``indicators``).
        """
        if self.t >= self.spec.horizon.months:
            raise RuntimeError(f"the horizon of {self.spec.horizon.months} months is already simulated")
        spec, pop, streams, beh = self.spec, self.pop, self.streams, self.spec.behaviour
        month = self.month = Month.at(spec.horizon.start_absolute, self.t)
        self.lever_delay = services.coordination_delay(
            beh.services, spec.lever_value("g1_coordination", self.t)
        )
        lv = self.levers = effective_levers(spec, self.t, self.lever_delay)
        take_up = services.take_up_factor(beh.services, lv)
        subsidy_before = self.training.subsidy_yuan
        inspected_before, legal_before = self.rights.inspected, self.rights.legal_cases

        demo = self.flows["demography"] = demography.step(
            pop, beh.demography, beh.labour.wage_person_sd, streams, month
        )
        for key in self.cum:
            self.cum[key] += getattr(demo, key)
        flows = self.flows["labour"] = labour.step(pop, spec, lv, streams, month, self.markets)
        enterprise.step(pop, beh.enterprise, lv, streams, month, self.markets, self.enterprise)
        training.step(pop, spec, lv, streams, month, self.training, take_up)
        rights.step(pop, beh.rights, lv, streams, month, self.rights)
        # start-ups (enterprise) and injuries (rights) changed jobs after the labour phase
        labour.update_wages(pop, spec, lv, spec.horizon.start_absolute + self.t)
        housing.step(pop, beh.housing, spec.county, lv, take_up, streams, month, self.housing)
        settlement.step(pop, beh.settlement, lv, take_up, streams, month, self.settlement)
        schooling.step(
            pop, beh.schooling, lv, streams, month, self.schools, spec.county.schools.private_places
        )
        services.step(pop, beh.services, lv, streams, month)
        school = pop.school[pop.alive]
        age = pop.age_m[pop.alive] // 12
        activity = fiscal.MonthActivity(
            subsidy_yuan=self.training.subsidy_yuan - subsidy_before,
            referrals=flows.referrals,
            placements=flows.placements,
            pupils_primary=int(((school == c.S_PUBLIC) & (age <= 11)).sum()),
            pupils_junior=int(((school == c.S_PUBLIC) & (age >= 12)).sum()),
            purchased_places=int((school == c.S_PURCHASED).sum()),
            seats_built=float(self.schools.seats_built_this_month.sum()),
            units_built=self.housing.built_this_month,
            units_occupied=int((pop.housing == c.H_AFFORDABLE).sum()),
            startups_supported=self.enterprise.supported_this_month,
            park_places_used=int(pop.in_park.sum()),
            inspected=self.rights.inspected - inspected_before,
            legal_cases=self.rights.legal_cases - legal_before,
            spring_festival=month.spring_festival,
        )
        fiscal.step(pop, activity, spec.county.costs, lv, self.fiscal)

        self.panel[self.t] = indicators.compute_all(self)
        self.t += 1
        self.running = self.t < spec.horizon.months

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
            indicators=indicators.NAMES,
            values=self.panel[: self.t].copy(),
            persons=self.persons_at_start,
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
