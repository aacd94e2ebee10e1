"""Services: households learn of services; the basic public service items (W4, G1-G4, E4, O5, P1).

Awareness is a household state, one bit per service (``codes.SERVICE_NAMES``); a household not
aware of a service does not apply for it (training, affordable housing, school admission in town,
settlement and legal help all check the bit). Each month an unaware household learns of each
service at the rate of ``rules.services.learning_rate`` (publicity W4, one-stop windows G2,
demonstration E4, Spring Warmth G4). The phase also reports the coordination delay (G1) and
monitoring coverage (G3) that the calendar phase applied this month.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from countysim.phases.base import Context, Indicator, Phase, Snapshot, share
from countysim.population import codes as c
from countysim.rules.services import learn, learning_rate
from countysim.state import CountyState

#: for each of the 256 values of ``aware``: the services it is aware of (bit k: service k)
_AWARE_BITS = (np.arange(256)[:, None] >> np.arange(len(c.SERVICE_NAMES))) & 1


def _aware_share(service: int):
    return lambda st, s: share(int(s.by_awareness @ _AWARE_BITS[:, service]), len(st.pop.aware))


def _items_at_standard(st: CountyState, s: Snapshot) -> float:
    """Six basic public service items, each at standard or not (P1)."""
    schools, training = st.accounts["schooling"], st.accounts["training"]
    levers = st.accounts["calendar"].levers
    town_households = max(s.households.count(residence=c.R_TOWN), 1)
    items = (
        schools.shortage[c.ST_PRIMARY] == 0,
        schools.shortage[c.ST_JUNIOR] == 0,
        s.households.count(waiting=1) <= 0.1 * town_households,
        training.applicants_this_month <= training.places_this_month,
        s.n_arrears_slots <= 3 * max(levers["r5_inspection_cases_per_month"], 1),
        levers["p1_service_standard"] >= 1.0,
    )
    return float(np.mean(items))


INDICATORS = (
    *[Indicator(f"awareness_{name}", "share", f"households aware of the {name} service", 1, "W4",
                _aware_share(k))
      for k, name in enumerate(c.SERVICE_NAMES)],
    Indicator("awareness_mean", "share", "mean awareness over the six services", 1, "O5",
              lambda st, s: share(int(s.by_awareness @ _AWARE_BITS.sum(axis=1)), 6 * len(st.pop.aware))),
    Indicator("training_take_up_rate", "share", "willing workers who enrolled since the start / willing workers", 1, "O5",
              lambda st, s: share(s.worker_skills.count(willing=1, trained=1), s.worker_skills.count(willing=1))),
    Indicator("monitoring_coverage", "share", "workers covered by dynamic monitoring (G3 lever)", 1, "G3",
              lambda st, s: st.accounts["calendar"].levers["g3_monitoring_coverage"]),
    Indicator("lever_delay_months", "months", "months by which levers act late without a coordination body", -1, "G1",
              lambda st, s: float(st.accounts["calendar"].lever_delay)),
    Indicator("service_items_at_standard", "share", "share of six service items at the basic public service standard", 1, "P1",
              _items_at_standard),
)  # fmt: skip


class ServicesPhase(Phase):
    """Households learn of services this month."""

    name = "services"
    section = "services"
    clauses = ("W4", "G2", "G4", "E4", "O5", "P1")
    streams: ClassVar[dict[str, str]] = {
        "learn": "which unaware households learn of each service this month (one draw per service)"
    }
    indicators = INDICATORS

    def bind(self, scenario):
        """The services behaviour."""
        return scenario.behaviour.services

    def step(self, state: CountyState, ctx: Context) -> None:
        """Households learn of services this month."""
        beh, pop = state.params[self.name], state.pop
        p = learning_rate(beh, ctx.levers, ctx.month)
        learn(pop, p, ctx.streams.uniform("services.learn", ctx.t, pop.n_households, len(c.SERVICE_NAMES)))
