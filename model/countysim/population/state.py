"""Columnar state: one numpy array per person attribute and per household attribute.

Persons live in *slots*. A slot is kept for life (the dead keep theirs, marked not alive), so
slot ``i`` is the same person in every month and every scenario of a seed — which is what lets
random draws be indexed by slot (``countysim.rng``). Newborns take fresh slots at the end.

Columns use the smallest dtype that fits (DESIGN.md, Performance); spare capacity is kept so
that births do not copy every column every month.
"""

from __future__ import annotations

import numpy as np

from countysim.backend import count_by_group

#: person columns: name -> (dtype, meaning)
PERSON_COLUMNS: dict[str, tuple[str, str]] = {
    "alive": ("bool", "alive and in the county's hukou population"),
    "age_m": ("int16", "age in months"),
    "sex": ("int8", "codes.SEX_NAMES"),
    "edu": ("int8", "education level, codes.EDU_NAMES (children: planned final level)"),
    "skill": ("int8", "vocational skill level, codes.SKILL_NAMES"),
    "craftsman": ("bool", "rural craftsman (鄉村工匠)"),
    "poverty": ("bool", "poverty-alleviated worker (脫貧勞動力) or member of such a household"),
    "hh": ("int32", "household id (row in the household columns)"),
    "role": ("int8", "codes.ROLE_NAMES"),
    "entry_age_m": ("int16", "age in months at which a child enters the labour market"),
    "loc": ("int8", "where the person lives now, codes.LOCATION_NAMES"),
    "job": ("int8", "codes.JOB_NAMES"),
    "sector": ("int8", "codes.SECTOR_NAMES"),
    "wage": ("float32", "monthly income, yuan"),
    "wage_effect": ("float32", "the person's fixed log-wage effect"),
    "tenure": ("int16", "months in the current job"),
    "willing": ("bool", "willing to take vocational training"),
    "trained": ("bool", "enrolled in a subsidised course since the run began"),
    "programme": ("int8", "current course, codes.PROGRAMME_NAMES"),
    "course_left": ("int8", "months left in the current course"),
    "brand": ("bool", "holds a county labour-brand certificate (勞務品牌)"),
    "placed": ("bool", "current job is an organised East-West placement"),
    "hukou": ("int8", "codes.HUKOU_NAMES: rural, or moved to the county town (settled)"),
    "contract": ("bool", "holds a written labour contract in the current job (R1)"),
    "ins_pension": ("bool", "enrolled in employee pension insurance by the current employer (R2)"),
    "ins_medical": ("bool", "enrolled in employee medical insurance by the current employer (R2)"),
    "ins_unemployment": ("bool", "enrolled in unemployment insurance (R2)"),
    "ins_injury": (
        "bool",
        "covered against work injury: insurance or, for flexible workers, occupational injury protection (R2, R7)",
    ),
    "ins_loc": ("int8", "codes.LOCATION_NAMES of the job where the pension account sits (R4)"),
    "pension_account": ("bool", "has an employee pension account from contributions in some job (R4)"),
    "injury_left": ("int8", "months of incapacity left after a work injury (R3)"),
    "arrears": ("float32", "unpaid wages owed to the person, yuan (R5)"),
    "arrears_age": ("int16", "months the arrears case has been open"),
    "arrears_county": (
        "bool",
        "the open arrears case is against an employer in the county (its jurisdiction)",
    ),
    "returned": (
        "int16",
        "months since the person came back from work outside the county (0: not a returnee)",
    ),
    "firm_jobs": ("int16", "jobs in the person's start-up (E7); 0 when none"),
    "in_park": ("bool", "the start-up is in a returnee entrepreneurship park"),
    "school": ("int8", "compulsory-age child's school, codes.SCHOOL_NAMES (P4, P5)"),
}

#: household columns: name -> (dtype, meaning)
HOUSEHOLD_COLUMNS: dict[str, tuple[str, str]] = {
    "village": ("int16", "home village id"),
    "savings": ("float32", "household savings, yuan"),
    "mortgage": ("float32", "monthly mortgage payment, yuan (0: none)"),
    "mortgage_left": ("int16", "months of mortgage payments left"),
    "residence": ("int8", "codes.RESIDENCE_NAMES: where the household is based"),
    "town_months": ("int16", "consecutive months based in the county town"),
    "housing": ("int8", "codes.HOUSING_NAMES (P3)"),
    "wait_months": ("int16", "months on the affordable-housing waiting list (0: not waiting)"),
    "permit": ("bool", "holds a county-town residence permit (居住證)"),
    "settled": ("bool", "moved its hukou to the county town (落戶, P6)"),
    "settle_open": ("bool", "would consider moving its hukou to the county town at all (P6)"),
    "settle_taste": ("float32", "lasting taste for settling, log-odds (P6)"),
    "land_value": ("float32", "value of the household's rural land rights, yuan"),
    "aware": ("uint8", "bit i set: aware of service codes.SERVICE_NAMES[i] (W4, G2)"),
}


class Population:
    """Persons and households as numpy columns.

    Args:
        n_persons: persons to allocate (all alive).
        n_households: households to allocate.
        spare: extra slots reserved for births, as a share of ``n_persons``.

    Attributes:
        n: slots in use (persons ever alive in the run).
        n_households: households.
    """

    def __init__(self, n_persons: int, n_households: int, spare: float = 0.12) -> None:
        self.n = int(n_persons)
        self.n_households = int(n_households)
        cap = int(n_persons * (1 + spare)) + 16
        self._p = {k: np.zeros(cap, dtype=dt) for k, (dt, _) in PERSON_COLUMNS.items()}
        self._p["alive"][: self.n] = True
        self._h = {k: np.zeros(self.n_households, dtype=dt) for k, (dt, _) in HOUSEHOLD_COLUMNS.items()}

    def __getattr__(self, name: str) -> np.ndarray:
        # Person columns are views over the slots in use; household columns are whole.
        p = self.__dict__.get("_p")
        if p is not None and name in p:
            return p[name][: self.n]
        h = self.__dict__.get("_h")
        if h is not None and name in h:
            return h[name]
        raise AttributeError(name)

    def add_persons(self, k: int) -> slice:
        """Append ``k`` alive persons (zeroed columns); returns their slots."""
        cap = len(self._p["alive"])
        if self.n + k > cap:
            new_cap = max(int(cap * 1.25), self.n + k)
            for name, col in self._p.items():
                grown = np.zeros(new_cap, dtype=col.dtype)
                grown[:cap] = col
                self._p[name] = grown
        start = self.n
        self.n += k
        self._p["alive"][start : self.n] = True
        return slice(start, self.n)

    def end_jobs(self, who: np.ndarray) -> None:
        """End the jobs of ``who`` (mask or slots).

        No job, pay, tenure, contract or employer-linked insurance remains: every employee
        insurance is paid through the employer. A pension account stays with the person
        (``pension_account``, ``ins_loc``) for the next employer to continue (R4).
        """
        who = _slots(who)
        for name, empty in (
            ("job", 0), ("sector", 0), ("tenure", 0), ("wage", 0), ("placed", False), ("contract", False),
            ("ins_pension", False), ("ins_medical", False), ("ins_unemployment", False), ("ins_injury", False),
        ):  # fmt: skip
            self._p[name][: self.n][who] = empty

    def return_home(self, who: np.ndarray) -> None:
        """``who`` come back to their village from outside the county (returnees, E7)."""
        who = _slots(who)
        self._p["loc"][: self.n][who] = 0  # codes.VILLAGE
        self._p["returned"][: self.n][who] = 1

    @property
    def nbytes(self) -> int:
        """Bytes held by all columns (spare capacity included)."""
        return sum(a.nbytes for a in self._p.values()) + sum(a.nbytes for a in self._h.values())

    def household_count(self, mask: np.ndarray) -> np.ndarray:
        """Per household, the number of persons for which ``mask`` is true."""
        return count_by_group(self.hh, mask, self.n_households)

    def copy(self) -> Population:
        """A deep copy (for tests and for re-running from the same start)."""
        other = Population.__new__(Population)
        other.n, other.n_households = self.n, self.n_households
        other._p = {k: v.copy() for k, v in self._p.items()}
        other._h = {k: v.copy() for k, v in self._h.items()}
        return other


def _slots(who: np.ndarray) -> np.ndarray:
    """The slots of a mask (writing ten columns at a few slots is cheaper than ten masked passes)."""
    who = np.asarray(who)
    return np.flatnonzero(who) if who.dtype == bool else who
