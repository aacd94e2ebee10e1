"""Months, dates and the calendar events the model reacts to.

Months are counted as integers: ``t = 0`` is the horizon's start month. A label is
``YYYY-MM``. The Spring Festival (春節) moves between late January and mid February; the
return wave home, the post-festival hiring season (Spring Breeze, 春風行動) and the
Spring Warmth services (春暖農民工) key off the festival's month, not January.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Gregorian date of the Spring Festival (Lunar New Year's day), 2015-2045.
#: Source: Purple Mountain Observatory lunar calendar (public almanac tables).
SPRING_FESTIVAL: dict[int, tuple[int, int]] = {
    2015: (2, 19), 2016: (2, 8), 2017: (1, 28), 2018: (2, 16), 2019: (2, 5),
    2020: (1, 25), 2021: (2, 12), 2022: (2, 1), 2023: (1, 22), 2024: (2, 10),
    2025: (1, 29), 2026: (2, 17), 2027: (2, 6), 2028: (1, 26), 2029: (2, 13),
    2030: (2, 3), 2031: (1, 23), 2032: (2, 11), 2033: (1, 31), 2034: (2, 19),
    2035: (2, 8), 2036: (1, 28), 2037: (2, 15), 2038: (2, 4), 2039: (1, 24),
    2040: (2, 12), 2041: (2, 1), 2042: (1, 22), 2043: (2, 10), 2044: (1, 30),
    2045: (2, 17),
}  # fmt: skip

#: September: the school year starts; school-stage transitions and admissions happen then.
SCHOOL_YEAR_MONTH = 9
#: January: annual plans (training places, job-creation targets, housing) take effect.
ANNUAL_PLAN_MONTH = 1

#: exactly ``YYYY-MM`` in ASCII digits (``\d`` would also take other scripts' digits)
_LABEL = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")


def parse_month(label: str) -> int:
    """Convert ``YYYY-MM`` to an absolute month number (year * 12 + month - 1).

    The whole string must be the label: no surrounding spaces or trailing newline.

    Raises:
        ValueError: if the label is not a string of the form ``YYYY-MM``.
    """
    match = _LABEL.fullmatch(label) if isinstance(label, str) else None
    if not match:
        raise ValueError(f"{label!r} is not a month of the form YYYY-MM (e.g. 2023-01)")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def month_label(absolute: int) -> str:
    """Convert an absolute month number back to ``YYYY-MM``."""
    return f"{absolute // 12:04d}-{absolute % 12 + 1:02d}"


def spring_festival_month(year: int) -> int:
    """Calendar month (1 or 2) of the Spring Festival in ``year``.

    Raises:
        ValueError: for a year outside the table (2015-2045).
    """
    if year not in SPRING_FESTIVAL:
        raise ValueError(
            f"no Spring Festival date for {year}; the calendar covers "
            f"{min(SPRING_FESTIVAL)}-{max(SPRING_FESTIVAL)}"
        )
    return SPRING_FESTIVAL[year][0]


@dataclass(frozen=True)
class Month:
    """Calendar facts of one simulated month.

    Attributes:
        t: month index from the horizon's start (0-based).
        year: calendar year.
        month: calendar month 1-12.
        label: ``YYYY-MM``.
        spring_festival: the festival falls in this month (return wave home).
        post_festival: one of the two months after the festival (hiring season).
        school_year_start: September.
        annual_plan: January, when annual plans take effect.
    """

    t: int
    year: int
    month: int
    label: str
    spring_festival: bool
    post_festival: bool
    school_year_start: bool
    annual_plan: bool

    @property
    def absolute(self) -> int:
        """Absolute month number (year * 12 + month - 1)."""
        return self.year * 12 + self.month - 1

    @classmethod
    def at(cls, start_absolute: int, t: int) -> Month:
        """The calendar of month ``t`` of a horizon starting at ``start_absolute``."""
        absolute = start_absolute + t
        year, month = absolute // 12, absolute % 12 + 1
        sf = spring_festival_month(year)
        return cls(
            t=t,
            year=year,
            month=month,
            label=month_label(absolute),
            spring_festival=month == sf,
            post_festival=sf < month <= sf + 2,
            school_year_start=month == SCHOOL_YEAR_MONTH,
            annual_plan=month == ANNUAL_PLAN_MONTH,
        )


def month_labels(start: str, months: int) -> tuple[str, ...]:
    """Labels of ``months`` consecutive months from ``start``."""
    s = parse_month(start)
    return tuple(month_label(s + i) for i in range(months))
