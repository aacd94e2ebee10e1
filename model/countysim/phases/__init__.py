"""The phases of the month, in order: ``PHASES`` is the plan every ``CountyModel`` runs.

Each phase is a ``countysim.phases.base.Phase``: its name, parameter section, account, clauses,
random streams and indicators, and ``init`` / ``step``. ``countysim phases`` prints this plan.
"""

from __future__ import annotations

from countysim.phases.base import Context, Indicator, Phase, Snapshot
from countysim.phases.calendar import CalendarPhase
from countysim.phases.demography import DemographyPhase
from countysim.phases.enterprise import EnterprisePhase
from countysim.phases.fiscal import FiscalPhase
from countysim.phases.housing import HousingPhase
from countysim.phases.labour import LabourPhase
from countysim.phases.rights import RightsPhase
from countysim.phases.schooling import SchoolingPhase
from countysim.phases.services import ServicesPhase
from countysim.phases.settlement import SettlementPhase
from countysim.phases.training import TrainingPhase
from countysim.phases.wages import WagesPhase

#: the month, in order
PHASES: tuple[Phase, ...] = (
    CalendarPhase(),
    DemographyPhase(),
    LabourPhase(),
    EnterprisePhase(),
    WagesPhase(),
    TrainingPhase(),
    RightsPhase(),
    HousingPhase(),
    SettlementPhase(),
    SchoolingPhase(),
    ServicesPhase(),
    FiscalPhase(),
)


def catalogue(phases: tuple[Phase, ...] = PHASES) -> tuple[Indicator, ...]:
    """Every indicator the phases define, in phase order."""
    return tuple(ind for phase in phases for ind in phase.indicators)


def plan(phases: tuple[Phase, ...] = PHASES) -> list[dict[str, object]]:
    """The month as data: one row per phase, in order, with what it reads, serves, draws and records."""
    return [
        {
            "order": k,
            "phase": p.name,
            "parameters": f"behaviour.{p.section}" if p.section else "",
            "clauses": list(p.clauses),
            "streams": [f"{p.name}.{s}" for s in p.streams],
            "traits": [f"{p.name}.{s}" for s in p.traits],
            "indicators": [i.name for i in p.indicators],
            "doc": (type(p).__doc__ or "").strip().splitlines()[0],
        }
        for k, p in enumerate(phases, start=1)
    ]


__all__ = ["PHASES", "Context", "Indicator", "Phase", "Snapshot", "catalogue", "plan"]
