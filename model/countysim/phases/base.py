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

from countysim.backend import any_by_group, census, count_left_behind, household_census, masked_mean
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


class Grid:
    """Counts over a grid of named codes: one cell per combination (an ``ndarray`` of counts).

    ``grid.count(job=c.WAGE_JOBS, contract=1)`` sums the cells whose codes are those given (a
    code or a sequence of codes per named dimension; the others are summed over). Counts are
    integers, so a sum over cells is exactly the count of a pass over the persons.
    """

    def __init__(self, dims: Mapping[str, int]) -> None:
        self.dims = tuple(dims)
        self.counts = np.zeros(tuple(dims.values()), dtype=np.int64)

    def count(self, **where: int | bool | tuple[int, ...] | list[int]) -> int:
        """Persons in the cells whose codes are those given (``dim=code`` or ``dim=(codes)``)."""
        cells = self.counts
        for name, codes in where.items():
            if name not in self.dims:
                raise KeyError(f"no dimension {name!r} in the grid; it has {', '.join(self.dims)}")
            cells = cells.take(np.atleast_1d(np.asarray(codes, dtype=np.int64)), axis=self.dims.index(name))
        return int(cells.sum())


_OUTSIDE_JOBS = tuple(j for j in range(len(c.JOB_NAMES)) if j >= c.J_OUTSIDE_PROVINCE)
#: the codes by job the census reads: employed (non-farm work), outside the county, paid by an
#: employer (``WAGE_JOBS``), local on the monitoring survey's definition (inside the home township)
_JOB_TABLES = np.array(
    [
        [j in c.NONFARM_JOBS for j in range(len(c.JOB_NAMES))],
        [j in _OUTSIDE_JOBS for j in range(len(c.JOB_NAMES))],
        [j in c.WAGE_JOBS for j in range(len(c.JOB_NAMES))],
        [j in c.SURVEY_LOCAL_JOBS for j in range(len(c.JOB_NAMES))],
    ]
)
#: worker and child roles, the village, a compulsory-age child's months (6-14 years)
_CENSUS_CODES = (c.WORKER, c.CHILD, c.VILLAGE, 6 * 12, 15 * 12 - 1)
#: what the census sums (in person order) for the catalogue's means: wage of the employed, of the
#: employed inside and outside the county, of the surveyed, of the surveyed local and out-migrants;
#: age in months of workers and of the surveyed
MEANS = ("wage_employed", "wage_local", "wage_outside", "wage_surveyed", "wage_township", "wage_surveyed_out",
         "age_workers", "age_surveyed")  # fmt: skip


class Snapshot:
    """Masks and counts shared by many indicators, computed once per month.

    The census (``countysim.backend.census``: vectorised and compiled passes) fills the masks
    (``worker``, ``employed``, ``outside``, ``employee``, ``surveyed``, ``township``, ``kid``),
    counts of the living by role and location, and three grids of workers by their codes:

    - ``workers``: job × hukou × sex × education × tenure (under 6, 6-11, 12+ months) × over 50;
    - ``worker_rights``: job × contract × pension × medical × unemployment × injury insurance;
    - ``worker_skills``: skill (none, below high, high) × craftsman × brand × willing × trained ×
      poverty-alleviated;

    and the sums behind the catalogue's means (``mean``); a second pass over the households fills
    the ``households`` grid and the counts ``by_awareness``. An indicator reads a count from a grid
    (``s.workers.count(job=c.J_NONE)``) instead of making a pass of its own.
    """

    def __init__(self, state: CountyState) -> None:
        pop = state.pop
        n = len(pop.alive)
        self.alive = pop.alive
        self.worker = np.zeros(n, dtype=bool)
        self.employed = np.zeros(n, dtype=bool)
        self.outside = np.zeros(n, dtype=bool)
        self.employee = np.zeros(n, dtype=bool)
        self.surveyed = np.zeros(n, dtype=bool)
        self.township = np.zeros(n, dtype=bool)
        self.kid = np.zeros(n, dtype=bool)
        #: per household: a worker of the household is at home in the village
        self.worker_at_home = np.zeros(pop.n_households, dtype=bool)
        self.by_role = np.zeros(len(c.ROLE_NAMES), dtype=np.int64)
        self.by_location = np.zeros(len(c.LOCATION_NAMES), dtype=np.int64)
        self.surveyed_by_age = np.zeros(201, dtype=np.int64)
        self.workers = Grid(
            {
                "job": len(c.JOB_NAMES),
                "hukou": 2,
                "sex": 2,
                "edu": len(c.EDU_NAMES),
                "tenure": 3,
                "over_50": 2,
            }
        )
        self.worker_rights = Grid(
            {
                "job": len(c.JOB_NAMES),
                "contract": 2,
                "pension": 2,
                "medical": 2,
                "unemployment": 2,
                "injury": 2,
            }
        )
        self.worker_skills = Grid(
            {"skill": 3, "craftsman": 2, "brand": 2, "willing": 2, "trained": 2, "poverty": 2}
        )
        self._sums = np.zeros(len(MEANS))
        hukou_town = np.zeros(1, dtype=np.int64)
        counts = np.zeros(6, dtype=np.int64)
        census(
            pop, _JOB_TABLES, _CENSUS_CODES, c.SKILL_HIGH,
            (self.worker, self.employed, self.outside, self.employee, self.surveyed, self.township, self.kid),
            self.worker_at_home, self.by_role, self.by_location, hukou_town, self.surveyed_by_age,
            (self.workers.counts, self.worker_rights.counts, self.worker_skills.counts), self._sums, counts,
        )  # fmt: skip
        (self.n_arrears_open, self.n_arrears_slots, self.n_placed, self.n_startups, self.n_startup_jobs,
         self.n_in_park) = (int(n) for n in counts)  # fmt: skip
        self.n_persons = int(self.by_role.sum())
        self.n_workers = int(self.by_role[c.WORKER])
        self.n_employed = self.workers.count(job=c.NONFARM_JOBS)
        self.n_employee = self.worker_rights.count(job=c.WAGE_JOBS)
        self.n_surveyed = self.workers.count(job=c.NONFARM_JOBS, hukou=0)
        self.n_outside = self.workers.count(job=_OUTSIDE_JOBS)
        self.n_township = self.workers.count(job=c.SURVEY_LOCAL_JOBS, hukou=0)
        # the number of persons each sum of MEANS is over
        self._ns = (self.n_employed, self.n_employed - self.n_outside, self.n_outside, self.n_surveyed,
                    self.n_township, self.n_surveyed - self.n_township, self.n_workers, self.n_surveyed)  # fmt: skip
        self.n_town_hukou = int(hukou_town[0])
        self.town = pop.residence == c.R_TOWN
        #: every household slot by residence × housing × residence permit × waiting for a unit
        self.households = Grid({"residence": len(c.RESIDENCE_NAMES), "housing": len(c.HOUSING_NAMES), "permit": 2,
                                "waiting": 2})  # fmt: skip
        #: household slots by their awareness bits (``aware``: bit k for service k)
        self.by_awareness = np.zeros(256, dtype=np.int64)
        household_census(pop.residence, pop.housing, pop.permit, pop.wait_months, pop.aware,
                         self.households.counts, self.by_awareness)  # fmt: skip
        self._pop = pop

    def mean(self, name: str) -> float:
        """The mean the census summed under ``name`` (one of ``MEANS``; 0 over nobody)."""
        k = MEANS.index(name)
        return float(self._sums[k] / self._ns[k]) if self._ns[k] else 0.0

    @cached_property
    def age(self) -> np.ndarray:
        """Age in whole years of every person slot."""
        return self._pop.age_m // 12

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
        primary = pop.age_m[kids] < 12 * 12
        key = (pop.school[kids].astype(np.int64) * 2 + primary) * 2 + self.town[pop.hh[kids]]
        return np.bincount(key, minlength=len(c.SCHOOL_NAMES) * 4).reshape(len(c.SCHOOL_NAMES), 2, 2)

    @cached_property
    def left_behind(self) -> int:
        """Children of 6-14 in the village school with no working parent at home."""
        pop = self._pop
        return count_left_behind(self.kid, pop.school, pop.hh, self.worker_at_home, c.S_VILLAGE)


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
