"""Wages: every worker's monthly income from the wage equation, once a month (E2, E3 premia).

Runs once a month, after the phases that hire (labour) and start firms (enterprise), so the
month's income matches the month's jobs and the rights phase sees this month's pay when wages
fall into arrears; a job lost later in the month (a work injury) ends its pay at once
(``Population.end_jobs``). A certificate earned this month raises pay from the next month. The
wage equation is ``rules.labour.wage_of``.
"""

from __future__ import annotations

from countysim.phases.base import Context, Phase
from countysim.phases.labour import LabourParams
from countysim.rules.labour import update_wages
from countysim.state import CountyState


class WagesPhase(Phase):
    """Every worker's income this month (0 for the jobless and non-workers)."""

    name = "wages"
    section = "labour"
    clauses = ("E2", "E3")

    def bind(self, scenario) -> LabourParams:
        """The wage equation's parameters (labour behaviour) and the county's wage levels."""
        return LabourParams(scenario.behaviour.labour, scenario.county.labour)

    def step(self, state: CountyState, ctx: Context) -> None:
        """Set every worker's wage for this month."""
        beh, profile = state.params[self.name]
        update_wages(state.pop, profile, beh, ctx.levers, ctx.month.absolute)
