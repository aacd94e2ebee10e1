"""The indicator catalogue: every number the model records each month.

Each indicator has a name, a unit, a definition and the direction the action aims for
(``+1`` up is better, ``-1`` down is better, ``0`` neither). The phases of the month define
them (``Phase.indicators``); the catalogue is theirs in phase order. ``countysim indicators``
prints it. Values are computed from the county state at the end of the month; cumulative
indicators (``_cum``, person-times) count from the start of the run.
"""

from __future__ import annotations

import numpy as np

from countysim.phases import PHASES, Indicator, Snapshot, catalogue
from countysim.state import CountyState

CATALOGUE: tuple[Indicator, ...] = catalogue(PHASES)
CATALOGUE_BY_NAME: dict[str, Indicator] = {i.name: i for i in CATALOGUE}

#: the planner's headline outcomes: what ``countysim run`` prints and ``compare`` reports
HEADLINE: tuple[str, ...] = (
    "persons",
    "workers",
    "employed_rate",
    "local_employment_share",
    "out_migrant_share",
    "mean_monthly_income",
    "stable_employment_rate",
    "training_person_times",
    "training_person_times_poverty",
    "poverty_willing_trained_share",
    "high_skilled_workers",
    "rural_craftsmen",
    "contract_rate",
    "pension_coverage",
    "arrears_open_cases",
    "public_school_share",
    "left_behind_children",
    "affordable_housing_households",
    "settled_persons_cum",
    "hukou_urbanization_rate",
    "startups_cum",
    "awareness_mean",
    "fiscal_cost_cum",
    "transfer_revenue_cum",
)
NAMES: tuple[str, ...] = tuple(i.name for i in CATALOGUE)


def compute_all(state: CountyState, indicators: tuple[Indicator, ...] = CATALOGUE) -> np.ndarray:
    """Every indicator for the state at the end of a month, in the given (catalogue) order."""
    snap = Snapshot(state)
    return np.array([ind.compute(state, snap) for ind in indicators], dtype=np.float64)


__all__ = ["CATALOGUE", "CATALOGUE_BY_NAME", "HEADLINE", "NAMES", "Indicator", "compute_all"]
