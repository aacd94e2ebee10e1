"""What a phase of the month is, what it is given each month, and what an indicator is.

A **phase** is a small object: a name, its parameter section, its account type, the notice
clauses it serves, the random streams it draws from (each with the decision it serves), the
indicators it defines, and two methods — ``init(state, scenario)`` when the model is built and
``step(state, ctx)`` once a month. Phases keep no state of their own (what persists lives in the
``CountyState``), so one phase object serves every county of every run.

The **context** of a month carries the calendar (``Month``), the random streams, and the
levers' effective values, which the first phase (``calendar``) fills in.

An **indicator** is a number recorded each month: computed from the state (and the masks of a
``Snapshot`` shared by all indicators of the month), never from the model object.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from countysim.backend import any_by_group, count_by_group, masked_mean
from countysim.calendar import Month
from countysim.population import codes as c
from countysim.rng import Streams
from countysim.state import Account, CountyState

if TYPE_CHECKING:
    from countysim.scenario import Scenario


@dataclass
class Context:
    """What a phase is given each month besides the state.

    Attributes:
        month: the calendar of this month.
        streams: the run's random streams.
        levers: every lever's effective value this month (filled by the ``calendar`` phase).
        lever_delay: months by which scheduled lever changes act late (filled likewise).
    """

    month: Month
    streams: Streams
    levers: dict[str, float] = field(default_factory=dict)
    lever_delay: int = 0

    @property
    def t(self) -> int:
        """Month index from the horizon's start."""
        return self.month.t


@dataclass(frozen=True)
class Indicator:
    """One indicator of the catalogue.

    Attributes:
        name: column name in every panel.
        unit: unit of the value.
        definition: what it counts, in one line.
        direction: ``+1`` up is better, ``-1`` down is better, ``0`` neither.
        clause: the POLICY_MAP clause it shows.
        compute: ``(state, snapshot) -> value`` at the end of the month.
    """

    name: str
    unit: str
    definition: str
    direction: int
    clause: str
    compute: Callable[[CountyState, Snapshot], float]


class Snapshot:
    """Masks and counts shared by many indicators, computed once per month."""

    def __init__(self, state: CountyState) -> None:
        pop = state.pop
        self.alive = pop.alive
        self.worker = self.alive & (pop.role == c.WORKER)
        self.n_workers = int(self.worker.sum())
        job = pop.job
        self.employed = self.worker & (job >= c.J_TOWNSHIP)
        self.n_employed = int(self.employed.sum())
        self.outside = self.employed & (job >= c.J_OUTSIDE_PROVINCE)
        self.age = pop.age_m // 12
        self.employee = self.worker & c.in_codes(job, c.WAGE_JOBS)
        self.n_employee = int(self.employee.sum())
        self.town = pop.residence == c.R_TOWN
        self.kid = self.alive & (pop.role == c.CHILD) & (self.age >= 6) & (self.age <= 14)
        # the monitoring survey's migrant workers: rural hukou, in non-farm work (NBS definition)
        self.surveyed = self.employed & (pop.hukou == 0)
        self.n_surveyed = int(self.surveyed.sum())
        # NBS "local": working inside the home township (township jobs, self-employment at home)
        self.township = self.surveyed & c.in_codes(job, (c.J_TOWNSHIP, c.J_SELF))
        self._pop = pop

    @cached_property
    def surveyed_by_age(self) -> np.ndarray:
        """Surveyed migrant workers by age in whole years (one count for every age band)."""
        return count_by_group(self.age, self.surveyed, 201)

    @cached_property
    def living_households(self) -> np.ndarray:
        """Per household: at least one member alive."""
        return any_by_group(self._pop.hh, self.alive, self._pop.n_households)

    @cached_property
    def pupils(self) -> np.ndarray:
        """Compulsory-age children counted by (school, primary age, town-based household).

        One grouped count over the children instead of a pass over everyone per indicator:
        ``pupils[school, primary, town]`` with ``primary`` 1 for ages 6-11 and ``town`` 1 when
        the child's household is based in the county town.
        """
        pop = self._pop
        kids = np.flatnonzero(self.kid)
        key = (pop.school[kids].astype(np.int64) * 2 + (self.age[kids] <= 11)) * 2 + self.town[pop.hh[kids]]
        return np.bincount(key, minlength=len(c.SCHOOL_NAMES) * 4).reshape(len(c.SCHOOL_NAMES), 2, 2)


def share(num: int | float, den: int | float) -> float:
    """``num / den``, 0 when ``den`` is 0."""
    return float(num) / den if den else 0.0


class Phase:
    """A phase of the month (subclass and set the class attributes; see the module docstring).

    Attributes:
        name: the phase's name (``countysim phases``; a lever's ``phase`` names one).
        section: the ``[behaviour.<section>]`` table the phase reads, or ``None``.
        clauses: the POLICY_MAP clauses the phase implements.
        streams: monthly random streams, key → the decision it serves; drawn as
            ``"<name>.<key>"``, at most once a month.
        traits: lasting per-person (or per-household) draws, key → what they decide; drawn
            at month ``-1`` and read again as often as needed.
        Account: the account type (``state.accounts[name]``).
        indicators: the indicators the phase defines, in catalogue order.
    """

    name: ClassVar[str]
    section: ClassVar[str | None] = None
    clauses: ClassVar[tuple[str, ...]] = ()
    streams: ClassVar[Mapping[str, str]] = {}
    traits: ClassVar[Mapping[str, str]] = {}
    Account: ClassVar[type[Account]] = Account
    indicators: ClassVar[tuple[Indicator, ...]] = ()

    def bind(self, scenario: Scenario) -> Any:
        """The parameters the phase reads, taken from the scenario once (default: none)."""
        return None

    def init(self, state: CountyState, scenario: Scenario) -> None:
        """Give the state this phase's parameters and a fresh account."""
        state.params[self.name] = self.bind(scenario)
        state.accounts[self.name] = self.Account()

    def step(self, state: CountyState, ctx: Context) -> None:
        """Run the phase for one month."""
        raise NotImplementedError

    def stream_names(self) -> dict[str, str]:
        """Every stream the phase draws from, full name → the decision it serves."""
        return {f"{self.name}.{k}": v for k, v in {**self.streams, **self.traits}.items()}

    def __repr__(self) -> str:
        return f"<phase {self.name}>"


def mean_of(values: np.ndarray, mask: np.ndarray) -> float:
    """Mean of ``values`` where ``mask`` holds (0 when it holds nowhere)."""
    return masked_mean(values, mask)
