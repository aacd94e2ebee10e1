"""Wages: every worker's monthly income from the wage equation, once a month (E2, E3 premia).

Runs after every phase that changes who works where (labour, enterprise start-ups, rights'
injuries), so the month's income matches the month's jobs. The wage equation is
``rules.labour.wage_of``.
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
