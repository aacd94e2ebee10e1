"""Resource needs: what a run's people mean for seats, classes, teachers, housing, training and money.

Pure post-processing of finished runs (``RunResult``): nothing here runs the model. For each
calendar year of the horizon and each run, :func:`needs` turns the monthly indicator panel into
planning items; :func:`needs_table` summarises them across replications (mean and the 5-95 %
percentile interval). Norms (class sizes, staffing ratios) come from ``countysim/data/norms.csv`` with
their sources and can be overridden (``norms={"primary_class_size_standard": 40}``).

How each item is read from the monthly panel:

======================  ======================================================================
when                    items
======================  ======================================================================
September of the year   school items: admissions happen then (``public_seat_demand_*`` is the
                        demand at the last September). A year whose horizon has no September
                        has no school items.
end of the year         stocks: housing (occupied affordable units + waiting list), open
                        arrears cases, settled persons (the year's last month in the horizon)
over the year           flows: sums of monthly flows (training applications, places, referrals,
                        hires, inspected cases) and year differences of cumulative series
                        (``*_cum``: subsidy, fiscal cost by category, transfers)
======================  ======================================================================

Every need, capacity and gap is non-negative: a gap is ``max(needed - capacity, 0)``. Only the
balances (net fiscal cost, cost per settled person) may be negative, when transfers exceed
costs. Where the horizon starts or ends inside a year, that year's flows cover only its months
in the horizon (the ``months`` column says how many).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from countysim import data
from countysim.results import RunResult
from countysim.rules.fiscal import CATEGORIES as FISCAL_CATEGORIES
from countysim.stats import interval

#: stages of compulsory education with the norms each uses
STAGES = {
    "primary": ("primary_class_size_standard", "primary_staff_student_ratio"),
    "junior": ("junior_class_size_standard", "junior_staff_student_ratio"),
}

#: items printed by ``countysim needs`` (the rest are in ``needs.csv``)
KEY_ITEMS = (
    "seats_needed_primary",
    "seats_capacity_primary",
    "seat_gap_primary",
    "class_gap_primary",
    "teacher_gap_primary",
    "seats_needed_junior",
    "seats_capacity_junior",
    "seat_gap_junior",
    "class_gap_junior",
    "teacher_gap_junior",
    "housing_units_needed",
    "housing_unit_gap",
    "housing_waitlist",
    "training_place_gap",
    "training_subsidy_yuan",
    "referrals",
    "inspected_cases",
    "fiscal_cost_yuan",
    "transfer_revenue_yuan",
    "cost_per_settled_person",
)


class NormError(ValueError):
    """An unknown norm name or an unusable value."""


@dataclass(frozen=True)
class Norm:
    """One planning norm: its value (default or override), unit and source."""

    name: str
    value: float
    default: float
    unit: str
    source: str
    note: str = ""

    @property
    def overridden(self) -> bool:
        """Whether the value differs from the shipped ``norms.csv``."""
        return self.value != self.default

    def describe(self) -> str:
        """``name = value unit (source)``, saying when the value overrides the default."""
        if self.overridden:
            return (
                f"{self.name} = {self.value:g} {self.unit} (override; norms.csv: "
                f"{self.default:g}, {self.source})"
            )
        return f"{self.name} = {self.value:g} {self.unit} ({self.source})"


def load_norms(
    overrides: Mapping[str, float] | None = None, path: str | Path | None = None
) -> dict[str, Norm]:
    """The norms of ``countysim/data/norms.csv``, with ``overrides`` applied.

    Args:
        overrides: ``{norm name: value}``; names must be in the file, values finite and > 0.
        path: another norms file (columns ``norm, value, unit, note, source``); default: the one
            shipped with the package.

    Raises:
        NormError: naming an unknown norm (and the known ones) or a bad value.
    """
    frame = data.read_csv(data.NORMS, path)
    path = path if path is not None else data.location(data.NORMS)
    norms = {
        str(r.norm): Norm(str(r.norm), float(r.value), float(r.value), str(r.unit), str(r.source),
                          "" if pd.isna(r.note) else str(r.note))
        for r in frame.itertuples()
    }  # fmt: skip
    problems = []
    for name, value in (overrides or {}).items():
        if name not in norms:
            problems.append(f"unknown norm {name!r}; allowed: {', '.join(norms)}")
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if isinstance(value, bool) or not math.isfinite(number) or number <= 0:
            problems.append(f"norm {name} = {value!r}: must be a finite number above 0")
            continue
        old = norms[name]
        norms[name] = Norm(name, number, old.default, old.unit, old.source, old.note)
    if problems:
        raise NormError(f"invalid norms ({path}):\n  " + "\n  ".join(problems))
    return norms


def parse_norm_options(options: Iterable[str]) -> dict[str, float]:
    """``["name=value", ...]`` (the ``--norm`` options) as a dict, checked against the norms file.

    Raises:
        NormError: for an item not of the form ``name=value``, an unknown name or a bad value.
    """
    out: dict[str, float | str] = {}
    for option in options:
        name, sep, value = option.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise NormError(f"--norm {option!r}: expected name=value, e.g. primary_class_size_standard=40")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            out[name.strip()] = value.strip()  # load_norms reports it with the name
    norms = load_norms(out)
    return {name: norms[name].value for name in out}


@dataclass(frozen=True)
class Item:
    """One planning item of the needs table."""

    name: str
    unit: str
    definition: str
    signed: bool = False  # a balance that may be negative


def _items() -> tuple[Item, ...]:
    items: list[Item] = []
    for stage in STAGES:
        items += [
            Item(f"seats_needed_{stage}", "seats",
                 f"public {stage} seats wanted in September (continuing pupils + eligible applicants)"),
            Item(f"seats_capacity_{stage}", "seats", f"public {stage} seats open to migrant children in September"),
            Item(f"seat_gap_{stage}", "seats", f"max(seats needed - capacity, 0), {stage}"),
            Item(f"seats_turned_away_{stage}", "persons",
                 f"eligible {stage} applicants turned away for lack of seats in September"),
            Item(f"classes_needed_{stage}", "classes", f"ceil({stage} seats needed / class-size norm)"),
            Item(f"class_gap_{stage}", "classes", f"ceil({stage} seat gap / class-size norm): classes to add"),
            Item(f"teachers_needed_{stage}", "teachers (staff)",
                 f"ceil({stage} seats needed / staff-student ratio): teaching and other staff by the staffing standard"),
            Item(f"teacher_gap_{stage}", "teachers (staff)",
                 f"ceil({stage} seat gap / staff-student ratio): staff to add"),
            Item(f"town_pupils_{stage}", "persons",
                 f"{stage}-age migrant children schooled in the county town in September, any school "
                 "(seats needed if every one were in a public school: P4 planning by resident population)"),
        ]  # fmt: skip
    items += [
        Item("purchased_places", "places", "migrant children in government-purchased private places in September"),
        Item("housing_units_needed", "units", "affordable units needed at the year's end: occupied + waiting list"),
        Item("affordable_units", "units", "affordable rental units open to migrant households at the year's end"),
        Item("housing_unit_gap", "units", "max(housing units needed - affordable units, 0)"),
        Item("housing_waitlist", "households", "households on the affordable-housing waiting list at the year's end"),
        Item("training_applications", "applications",
             "applications for subsidised training over the year (a worker turned away may apply again: an upper "
             "bound on places needed)"),
        Item("training_places", "places", "training places offered over the year (annual plan, a twelfth a month)"),
        Item("training_place_gap", "places", "max(training applications - places, 0) over the year"),
        Item("training_enrolments", "person-times", "enrolments over the year"),
        Item("training_subsidy_yuan", "yuan", "training subsidy paid in the year (training budget)"),
        Item("referrals", "persons", "PES referrals into county vacancies over the year (employment-service workload)"),
        Item("hires", "persons", "hires over the year (matching, referrals, placements)"),
        Item("inspected_cases", "cases", "wage-arrears cases resolved by the inspectorate over the year"),
        Item("arrears_open_cases", "cases", "workers owed unpaid wages at the year's end (inspection caseload)"),
        *[Item(f"fiscal_cost_{cat}_yuan", "yuan", f"county spending on {cat} in the year") for cat in FISCAL_CATEGORIES],
        Item("fiscal_cost_yuan", "yuan", "county spending on the action's measures in the year (all categories)"),
        Item("transfer_revenue_yuan", "yuan", "transfers linked to settled and resident migrants received in the year"),
        Item("net_fiscal_cost_yuan", "yuan", "spending less transfers in the year", signed=True),
        Item("settled_persons_cum", "persons", "persons settled (落戶) in the county town since the start, at the year's end"),
        Item("cost_per_settled_person", "yuan per person",
             "net fiscal cost since the start / persons settled since the start, at the year's end (NaN when none)",
             signed=True),
    ]  # fmt: skip
    return tuple(items)


ITEMS: tuple[Item, ...] = _items()
ITEMS_BY_NAME: dict[str, Item] = {i.name: i for i in ITEMS}


def _ceil(x: float) -> float:
    """Whole units, robust to float noise (90 / 45 is 2 classes, not 3)."""
    return float(math.ceil(x - 1e-9)) if x > 0 else 0.0


class _Year:
    """One calendar year of a run's panel: its months, September, end, and the year before's end."""

    def __init__(self, result: RunResult, idx: np.ndarray, prev_last: int | None) -> None:
        self.result = result
        self.idx = idx
        self.last = int(idx[-1])
        self.prev_last = prev_last
        sept = [int(k) for k in idx if result.months[k].endswith("-09")]
        self.september = sept[0] if sept else None

    def at(self, name: str, k: int) -> float:
        return float(self.result.series(name)[k])

    def end(self, name: str) -> float:
        """Value in the year's last month of the horizon (stocks)."""
        return self.at(name, self.last)

    def total(self, name: str) -> float:
        """Sum over the year's months (monthly flows)."""
        return float(self.result.series(name)[self.idx].sum())

    def change(self, name: str) -> float:
        """Year difference of a cumulative series (it counts from the run's start)."""
        before = self.at(name, self.prev_last) if self.prev_last is not None else 0.0
        return self.end(name) - before


def _school_items(y: _Year, nm: dict[str, Norm]) -> list[tuple[str, float, str]]:
    """Seats, classes and teachers by stage in September (none when the year has no September)."""
    k = y.september
    if k is None:
        return []
    out: list[tuple[str, float, str]] = []
    for stage, (size_name, ratio_name) in STAGES.items():
        size, ratio = nm[size_name], nm[ratio_name]
        needed = y.at(f"public_seat_demand_{stage}", k)
        capacity = y.at(f"public_seats_{stage}", k)
        gap = max(needed - capacity, 0.0)
        demand = f"public_seat_demand_{stage} in September"
        out += [
            (f"seats_needed_{stage}", needed, demand),
            (f"seats_capacity_{stage}", capacity, f"public_seats_{stage} in September"),
            (f"seat_gap_{stage}", gap, f"{demand} - public_seats_{stage}"),
            (f"seats_turned_away_{stage}", y.at(f"seat_shortage_{stage}", k), f"seat_shortage_{stage} in September"),
            (f"classes_needed_{stage}", _ceil(needed / size.value), f"{demand}; {size.describe()}"),
            (f"class_gap_{stage}", _ceil(gap / size.value), f"seat gap; {size.describe()}"),
            (f"teachers_needed_{stage}", _ceil(needed / ratio.value), f"{demand}; {ratio.describe()}"),
            (f"teacher_gap_{stage}", _ceil(gap / ratio.value), f"seat gap; {ratio.describe()}"),
            (f"town_pupils_{stage}", y.at(f"town_pupils_{stage}", k), f"town_pupils_{stage} in September"),
        ]  # fmt: skip
    out.append(("purchased_places", y.at("purchased_place_pupils", k), "purchased_place_pupils in September"))
    return out


def _other_items(y: _Year) -> list[tuple[str, float, str]]:
    """Housing, training, services, inspection and money over (or at the end of) the year."""
    occupied, waiting = y.end("affordable_housing_households"), y.end("housing_waitlist")
    units = y.end("affordable_units")
    applications, places = y.total("training_applicants_month"), y.total("training_places_month")
    settled = y.end("settled_persons_cum")
    net_cum = y.end("net_fiscal_cost_cum")
    diff = "year difference of {}".format
    return [
        ("housing_units_needed", occupied + waiting, "affordable_housing_households + housing_waitlist at year end"),
        ("affordable_units", units, "affordable_units at year end"),
        ("housing_unit_gap", max(occupied + waiting - units, 0.0), "housing units needed - affordable_units"),
        ("housing_waitlist", waiting, "housing_waitlist at year end"),
        ("training_applications", applications, "sum of training_applicants_month"),
        ("training_places", places, "sum of training_places_month"),
        ("training_place_gap", max(applications - places, 0.0), "training applications - places"),
        ("training_enrolments", y.total("training_enrolled_month"), "sum of training_enrolled_month"),
        ("training_subsidy_yuan", y.change("training_subsidy_yuan_cum"), diff("training_subsidy_yuan_cum")),
        ("referrals", y.total("referrals"), "sum of referrals"),
        ("hires", y.total("hires"), "sum of hires"),
        ("inspected_cases", y.total("inspected_cases_month"), "sum of inspected_cases_month"),
        ("arrears_open_cases", y.end("arrears_open_cases"), "arrears_open_cases at year end"),
        *[(f"fiscal_cost_{cat}_yuan", y.change(f"fiscal_cost_{cat}_cum"), diff(f"fiscal_cost_{cat}_cum"))
          for cat in FISCAL_CATEGORIES],
        ("fiscal_cost_yuan", y.change("fiscal_cost_cum"), diff("fiscal_cost_cum")),
        ("transfer_revenue_yuan", y.change("transfer_revenue_cum"), diff("transfer_revenue_cum")),
        ("net_fiscal_cost_yuan", y.change("net_fiscal_cost_cum"), diff("net_fiscal_cost_cum")),
        ("settled_persons_cum", settled, "settled_persons_cum at year end"),
        ("cost_per_settled_person", net_cum / settled if settled > 0 else math.nan,
         "net_fiscal_cost_cum / settled_persons_cum at year end"),
    ]  # fmt: skip


def needs(result: RunResult, norms: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The planning items of one run, year by year.

    Args:
        result: a finished run (its monthly panel must hold the indicators used here).
        norms: overrides of the shipped ``norms.csv`` (``{name: value}``).

    Returns:
        Long table: ``seed, year, months, item, value, unit, source`` (items in ``ITEMS`` order;
        school items only for years whose September is in the horizon).

    Raises:
        NormError: for an unknown norm or a bad value.
        KeyError: if the run lacks an indicator used here.
    """
    nm = load_norms(norms)
    year_of = np.array([int(m[:4]) for m in result.months])
    rows: list[tuple] = []
    prev_last: int | None = None
    for year in sorted(set(year_of.tolist())):
        y = _Year(result, np.flatnonzero(year_of == year), prev_last)
        found = {item: (value, source) for item, value, source in (*_school_items(y, nm), *_other_items(y))}
        for item in ITEMS:
            if item.name in found:
                value, source = found[item.name]
                rows.append((result.seed, year, len(y.idx), item.name, float(value), item.unit, source))
        prev_last = y.last
    return pd.DataFrame(rows, columns=["seed", "year", "months", "item", "value", "unit", "source"])


def needs_table(results: Sequence[RunResult], norms: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Planning items per year across replications: mean and 90 % interval.

    Args:
        results: the replications (usually one scenario on several seeds).
        norms: overrides of the shipped ``norms.csv`` (``{name: value}``).

    Returns:
        One row per year and item (``ITEMS`` order): ``year, item, months, mean, lo90, hi90,
        n_runs, unit, source, definition``. ``lo90``/``hi90`` are the 5th and 95th percentiles
        across replications; runs where an item is NaN (cost per settled person with nobody
        settled) are left out of its statistics, and ``n_runs`` counts those used.

    Raises:
        ValueError: if ``results`` is empty.
        NormError: for an unknown norm or a bad value.
    """
    if not results:
        raise ValueError("needs_table needs at least one run")
    load_norms(norms)  # a bad override fails here, once
    long = pd.concat([needs(r, norms) for r in results], ignore_index=True)
    order = {name: k for k, name in enumerate(ITEMS_BY_NAME)}
    rows = []
    for (year, item), group in long.groupby(["year", "item"], sort=False):
        mean, lo, hi, n = interval(group["value"].to_numpy(dtype=float))
        rows.append({
            "year": int(year), "item": item, "months": int(group["months"].max()), "mean": mean,
            "lo90": lo, "hi90": hi, "n_runs": n, "unit": ITEMS_BY_NAME[item].unit,
            "source": group["source"].iloc[0], "definition": ITEMS_BY_NAME[item].definition,
        })  # fmt: skip
    table = pd.DataFrame(rows)
    table["_order"] = table["item"].map(order)
    return table.sort_values(["year", "_order"]).drop(columns="_order").reset_index(drop=True)
