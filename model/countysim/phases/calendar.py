"""Calendar and policy: each lever's effective value this month (clauses G1, G3).

The first phase of every month. A lever set without a ``start`` is the county's standing value
from the first month; a change scheduled with a ``start`` takes effect late by the coordination
delay when there is no coordination body (G1: ``behaviour.services.coordination_delay_months``
× (1 − g1)). Dynamic monitoring (G3) decides how far outreach reaches: training outreach (S2)
and village PES reach (E5) are scaled by it. The values go into the month's context, where every
later phase reads them; the calendar facts themselves (Spring Festival, school year, annual
plans) are the context's ``Month``. The services phase reports the delay and monitoring
coverage among its indicators.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from countysim.phases.base import Context, Phase
from countysim.policy.levers import LEVERS
from countysim.rules.services import coordination_delay
from countysim.state import Account, CountyState

#: how far monitoring coverage (G3) lets outreach reach: at no coverage half of it (assumption)
MONITORING_FLOOR = 0.5


class LeverSchedule:
    """A scenario's policy package as a schedule: every lever's value in any month.

    Args:
        scenario: the scenario whose ``[levers]`` the schedule follows.
    """

    def __init__(self, scenario) -> None:
        self._value = scenario.lever_value
        self._scheduled = frozenset(
            name for name, setting in scenario.levers.items() if setting.start is not None
        )
        self._services = scenario.behaviour.services

    def delay(self, t: int) -> int:
        """Months by which scheduled changes act late in month ``t`` (G1)."""
        return coordination_delay(self._services, self._value("g1_coordination", t))

    def effective(self, t: int, delay: int) -> dict[str, float]:
        """Every lever's value in month ``t``: scheduled changes ``delay`` months late, G3 reach applied."""
        lv = {}
        for lever in LEVERS:
            late = lever.name in self._scheduled and lever.name != "g1_coordination"
            lv[lever.name] = self._value(lever.name, t - delay if late else t)
        reach = MONITORING_FLOOR + (1.0 - MONITORING_FLOOR) * lv["g3_monitoring_coverage"]
        lv["s2_outreach"] *= reach
        lv["e5_pes_village_coverage"] *= reach
        return lv


@dataclass
class CalendarAccount(Account):
    """This month's effective levers and coordination delay."""

    levers: dict[str, float] = field(default_factory=dict)
    lever_delay: int = 0


def _calendar(state: CountyState) -> CalendarAccount:
    return state.accounts["calendar"]  # type: ignore[return-value]


class CalendarPhase(Phase):
    """The month's effective levers, late by the coordination delay, with monitoring's reach."""

    name = "calendar"
    clauses = ("G1", "G3")
    Account = CalendarAccount

    def bind(self, scenario) -> LeverSchedule:
        """The scenario's lever schedule."""
        return LeverSchedule(scenario)

    def step(self, state: CountyState, ctx: Context) -> None:
        """Fill the context (and the account) with this month's levers and delay."""
        schedule: LeverSchedule = state.params[self.name]
        acc = _calendar(state)
        ctx.lever_delay = acc.lever_delay = schedule.delay(ctx.t)
        ctx.levers = acc.levers = schedule.effective(ctx.t, ctx.lever_delay)
