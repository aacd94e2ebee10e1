"""``CountyState``: everything a month reads and writes, in one typed object.

The state of one county is its persons and households (``Population``: numpy columns), its job
stocks, the county profile (what the county is: population figures, capacities at the start),
each phase's bound parameters, and each phase's **account**: capacities, cumulative counts and
this month's flows. Phases mutate the state; indicators read it. Nothing outside the state
carries information from one month to the next, so a province is one ``CountyState`` per county
and another array backend changes only what the columns are.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from countysim.parameters.county import County, Labour
from countysim.population import codes as c
from countysim.population.state import Population


def flow(default: Any = 0, *, size: int | None = None) -> Any:
    """An account field that counts this month only: reset to ``default`` at each month's start.

    With ``size``, the field is an array of that many zeros (e.g. one value per school stage).
    """
    if size is not None:
        return field(default_factory=lambda: np.zeros(size), metadata={"flow": True})
    return field(default=default, metadata={"flow": True})


@cache
def _flow_fields(cls: type) -> tuple[dataclasses.Field, ...]:
    return tuple(f for f in dataclasses.fields(cls) if f.metadata.get("flow"))


@dataclass
class Account:
    """Base of a phase's account: capacities, cumulative counts and this month's flows.

    Fields made with :func:`flow` hold what happened this month and are reset by
    :meth:`start_month`; the others persist (stocks, capacities, cumulative counts).
    """

    def start_month(self) -> None:
        """Reset this month's flows."""
        for f in _flow_fields(type(self)):
            value = f.default_factory() if f.default is dataclasses.MISSING else f.default  # type: ignore[misc]
            setattr(self, f.name, value)


@dataclass
class JobStocks:
    """The county's job stocks (jobs filled plus vacant), updated monthly.

    Attributes:
        county_formal: county-town formal jobs.
        county_flexible: county-town flexible jobs.
        township: township non-farm jobs.
    """

    county_formal: float
    county_flexible: float
    township: float

    @classmethod
    def initial(cls, pop: Population, profile: Labour) -> JobStocks:
        """Job stocks at the start: filled jobs times (1 + vacancy rate)."""
        working = pop.alive & (pop.role == c.WORKER)
        count = np.bincount(pop.job[working], minlength=len(c.JOB_NAMES))
        return cls(
            county_formal=count[c.J_COUNTY_FORMAL] * profile.county_jobs_per_employed,
            county_flexible=count[c.J_COUNTY_FLEX] * profile.county_jobs_per_employed,
            township=count[c.J_TOWNSHIP] * profile.township_jobs_per_employed,
        )


@dataclass
class CountyState:
    """One county's state: persons, job stocks, profile, and each phase's parameters and account.

    Attributes:
        pop: persons and households (numpy columns).
        jobs: the county's job stocks.
        profile: the county profile (``[county]`` of the scenario): fixed facts.
        persons_at_start: persons alive when the run began.
        params: each phase's bound parameters, by phase name (``Phase.bind``).
        accounts: each phase's account, by phase name.
    """

    pop: Population
    jobs: JobStocks
    profile: County
    persons_at_start: int
    params: dict[str, Any] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)

    def start_month(self) -> None:
        """Reset every account's monthly flows."""
        for account in self.accounts.values():
            account.start_month()
