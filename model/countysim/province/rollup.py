"""Roll counties up to the province: counts add, rates from their numerators and denominators.

Each indicator of the catalogue has a :class:`Rule` here, keyed by its name (``RULES``):

- ``sum`` — counts, yuan, person-times, places, cases and monthly flows add across counties.
- ``weighted`` — a rate, share or mean ``x = num / den`` rolls up as ``Σ x·den / Σ den``, which is
  ``Σ num / Σ den``: the province's own rate. ``den`` is written as a sum of signed products of
  other indicators (``per("employed_rate", "workers")``: the employed), or of county profile keys
  (``county.hukou_population``, static). Counties with ``den = 0`` add nothing.
- ``mean`` — an unweighted mean over counties, for county-level settings (the months levers act
  late, the share of six service items at standard: the province's share of all its counties'
  items).
- ``difference`` — ``a − b`` of two rolled-up indicators (the urbanization gap).

A rule is ``exact`` when its denominator is the indicator's own (from its definition); where the
catalogue records no indicator of the true denominator (employees, willing workers, hukou
population after the run's changes), the rule weights by the nearest recorded one and says so
(``exact = False``, with ``note``): the province value is then a weighted mean close to, not
equal to, ``Σ num / Σ den``. ``RULES`` must name every catalogue indicator (a test checks it).

**Intervals of province totals.** Replication ``r`` of every county (its ``r``-th spawned seed) is
one draw of the province: counties are summed (or weighted) within each replication, then the
mean and the 5-95 % interval are taken across replications — never by adding county intervals.

**The provincial transfer pool** (``[package.transfer_pool]``, ``Province.pool_month_yuan``)
is shared by settled persons: in replication ``r`` and month ``m``, county ``c`` receives
``pool_month × s_c / Σ s`` with ``s`` each county's ``settled_persons_cum`` at the month's end
(the counties summed are those rolled up: a county missing a run neither receives nor dilutes).
This is exact, not an approximation of a feedback: nothing in a county's month reads its
transfers back (the fiscal phase is the last and feeds only indicators), so the runs are the
same with or without the pool and the allocation can be made after them. A month in which no
county has a settled person pays nothing and is counted as ``unallocated``; otherwise the
counties' transfers add up to the month's pool.

**Streaming.** :func:`roll_up` reads the store a few counties at a time (``COUNTIES_PER_READ``),
each read streamed from the database straight into an array (``ResultsStore.arrays``: no table of
one Python row per stored value, whose allocator high-water would grow the driver's memory with the
counties read), and keeps only the province's accumulators (packages × replications × months × indicators, twice:
all counties and the key assisted ones), the county values at the months asked for, the headline
series' county means and the county resource needs: never a province's panels.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from countysim.indicators import NAMES
from countysim.results import RunResult
from countysim.stats import interval

#: a denominator: a sum of signed products, each of indicator names or ``county.*`` profile keys
Denominator = tuple[tuple[float, tuple[str, ...]], ...]
#: counties read from the store at a time
COUNTIES_PER_READ = 8
#: groups of counties the province is rolled up over
GROUPS = ("all", "key_assisted")


@dataclass(frozen=True)
class Rule:
    """How one indicator aggregates across counties."""

    kind: str  # sum | weighted | mean | difference
    den: Denominator = ()
    parts: tuple[str, str] = ("", "")  # difference: a − b
    exact: bool = True
    note: str = ""

    def names(self) -> tuple[str, ...]:
        """Every indicator or profile key the rule reads."""
        return tuple(n for _, prod in self.den for n in prod) + tuple(p for p in self.parts if p)


SUM = Rule("sum")
MEAN = Rule("mean")


def per(*names: str, exact: bool = True, note: str = "") -> Rule:
    """A weighted rule whose denominator is the product of ``names``."""
    return Rule("weighted", ((1.0, tuple(names)),), exact=exact, note=note)


EMPLOYED = ("employed_rate", "workers")
SURVEYED = ("survey_migrant_workers",)
_employees = "no indicator counts employees: weighted by the employed"


def _rules() -> dict[str, Rule]:
    r: dict[str, Rule] = {}
    sums = (
        "persons households workers children births_cum deaths_cum emigrations_cum labour_entries_cum "
        "labour_exits_cum county_jobs county_vacancies hires referrals e2_placed_workers farm_workers "
        "survey_migrant_workers startups_cum startups_active startup_jobs startups_in_park brand_workers "
        "training_person_times training_person_times_poverty training_person_times_45plus "
        "training_person_times_under30 training_places_per_year training_applicants_month "
        "training_places_month training_enrolled_month certifications_cum training_subsidy_yuan_cum "
        "high_skilled_workers new_high_skilled_cum rural_craftsmen injuries_cum arrears_open_cases "
        "arrears_owed_yuan inspected_cases_month arrears_new_cum arrears_resolved_cum households_in_town "
        "residence_permit_households affordable_units affordable_housing_households housing_waitlist "
        "town_home_owners settlement_eligible_households settled_households_cum settled_persons_cum "
        "migrant_children_compulsory town_pupils public_pupils purchased_place_pupils private_school_pupils "
        "left_behind_children seat_shortage_primary seat_shortage_junior public_seat_demand_primary "
        "public_seat_demand_junior town_pupils_primary town_pupils_junior public_seats_primary "
        "public_seats_junior transfer_revenue_cum net_fiscal_cost_cum"
    ).split()
    r.update(dict.fromkeys(sums, SUM))
    r.update({n: SUM for n in NAMES if n.startswith("fiscal_cost_")})
    for n in ("mean_worker_age", "workers_over_50_share", "female_worker_share", "employed_rate",
              "jobless_rate", "certified_share"):  # fmt: skip
        r[n] = per("workers")
    for n in ("local_employment_share", "out_migrant_share", "cross_province_share", "mean_monthly_income",
              "stable_employment_rate", "stable_employment_rate_12m", "pension_coverage", "medical_coverage",
              "injury_insurance_coverage"):  # fmt: skip
        r[n] = per(*EMPLOYED)
    r["mean_monthly_income_local"] = per(*EMPLOYED, "local_employment_share")
    r["mean_monthly_income_out"] = per(*EMPLOYED, "out_migrant_share")
    r["contract_rate"] = per(*EMPLOYED, exact=False, note=_employees)
    r["unemployment_insurance_coverage"] = per(*EMPLOYED, exact=False, note=_employees)
    r["flexible_injury_coverage"] = per(
        *EMPLOYED,
        exact=False,
        note="no indicator counts flexible and self-employed workers: weighted by the employed",
    )
    r["insurance_continuity_rate"] = per(
        "hires", exact=False, note="no indicator counts cross-region hires: weighted by this month's hires"
    )
    r["county_town_unemployment_rate"] = per(
        "county_jobs",
        exact=False,
        note="no indicator counts county-town searchers: weighted by county-town jobs",
    )
    r["injury_benefit_share"] = per("injuries_cum")
    r["arrears_months_to_resolve"] = per("arrears_resolved_cum")
    for n in NAMES:
        if n.startswith("survey_") and n != "survey_migrant_workers":
            r[n] = per(*SURVEYED)
    r["survey_cross_province_share"] = per(*SURVEYED, "survey_out_share")
    r["survey_mean_income_local"] = per(*SURVEYED, "survey_local_share")
    r["survey_mean_income_out"] = per(*SURVEYED, "survey_out_share")
    r["poverty_willing_trained_share"] = per(
        "workers", "county.workers.poverty_share", "county.workers.willing_to_train", exact=False,
        note="no indicator counts willing poverty-alleviated workers: weighted by workers × the county's "
        "poverty and willing shares at the start",
    )  # fmt: skip
    r["training_take_up_rate"] = per(
        "workers", "county.workers.willing_to_train", exact=False,
        note="no indicator counts willing workers: weighted by workers × the county's willing share at the start",
    )  # fmt: skip
    r["town_home_ownership_rate"] = per("households_in_town")
    r["mean_household_savings"] = per("households")
    r["household_saving_rate"] = per(
        *EMPLOYED, "mean_monthly_income", exact=False,
        note="no indicator records household income: weighted by the employed's income",
    )  # fmt: skip
    r["rent_burden"] = per(
        "households_in_town",
        exact=False,
        note="no indicator records renters' income: weighted by town households",
    )
    r["housing_security_coverage"] = Rule(
        "weighted", ((1.0, ("households_in_town",)), (-1.0, ("town_home_owners",)))
    )
    r["hukou_urbanization_rate"] = per(
        "county.hukou_population", exact=False,
        note="weighted by the county's hukou population at the start (the run changes it by its births, deaths "
        "and emigrations only)",
    )  # fmt: skip
    r["resident_urbanization_rate"] = Rule(
        "weighted",
        ((1.0, ("county.town.town_residents_other",)), (1.0, ("county.town.rural_residents_other",)),
         (1.0, ("persons",))),
        exact=False,
        note="weighted by the residents outside the modelled households plus all modelled persons (some live "
        "outside the county)",
    )  # fmt: skip
    r["urbanization_gap"] = Rule(
        "difference", parts=("resident_urbanization_rate", "hukou_urbanization_rate")
    )
    r["public_school_share"] = Rule(
        "weighted", ((1.0, ("town_pupils_primary",)), (1.0, ("town_pupils_junior",)))
    )
    r["public_school_share_primary"] = per("town_pupils_primary")
    r["public_school_share_junior"] = per("town_pupils_junior")
    r["town_schooling_share"] = per("town_pupils")
    for n in NAMES:
        if n.startswith("awareness_"):
            r[n] = per("households", exact=False,
                       note="weighted by living households (awareness is counted over every household record)")  # fmt: skip
    r["monitoring_coverage"] = per("workers")
    r["lever_delay_months"] = MEAN
    r["service_items_at_standard"] = MEAN
    r["settlement_cost_per_settled_person"] = per("settled_persons_cum")
    return r


#: how every catalogue indicator rolls up, by name
RULES: dict[str, Rule] = _rules()


def check_rules(names: Iterable[str] = NAMES) -> list[str]:
    """Problems of ``RULES`` against the catalogue: indicators without a rule, unknown names read."""
    names = tuple(names)
    problems = [f"{n}: no roll-up rule" for n in names if n not in RULES]
    problems += [f"{n}: a rule for an indicator not in the catalogue" for n in RULES if n not in names]
    for n, rule in RULES.items():
        for used in rule.names():
            if not used.startswith("county.") and used not in names:
                problems.append(f"{n}: its rule reads {used!r}, not an indicator")
    return problems


def profile_value(scenario, key: str) -> float:
    """A ``county.*`` key path of a scenario, as a number."""
    value = scenario
    for part in key.split("."):
        value = getattr(value, part)
    return float(value)


def denominator(rule: Rule, values: Callable[[str], np.ndarray]) -> np.ndarray:
    """A weighted rule's denominator, from a lookup of indicator (or profile) arrays."""
    total = None
    for coef, prod in rule.den:
        term = coef * np.prod([values(n) for n in prod], axis=0)
        total = term if total is None else total + term
    return total


class Accumulator:
    """Sums of numerators and denominators over counties, by package, replication, month, indicator."""

    def __init__(self, shape: tuple[int, int, int], names: Sequence[str] = NAMES) -> None:
        self.names = tuple(names)
        self.num = np.zeros((*shape, len(self.names)))
        self.den = np.zeros((*shape, len(self.names)))
        self.counties = 0

    def add(self, values: np.ndarray, profile: dict[str, float]) -> None:
        """Add one county: ``values[package, rep, month, indicator]`` (catalogue order), its profile keys."""
        col = {n: k for k, n in enumerate(self.names)}

        def lookup(name: str) -> np.ndarray:
            return (
                np.full(values.shape[:3], profile[name])
                if name.startswith("county.")
                else values[..., col[name]]
            )

        for k, name in enumerate(self.names):
            rule = RULES[name]
            x = values[..., k]
            if rule.kind == "sum":
                self.num[..., k] += x
            elif rule.kind == "mean":
                self.num[..., k] += x
                self.den[..., k] += 1.0
            elif rule.kind == "weighted":
                w = denominator(rule, lookup)
                has = w > 0
                self.num[..., k] += np.where(has, x * np.where(has, w, 0.0), 0.0)
                self.den[..., k] += np.where(has, w, 0.0)
        self.counties += 1

    def result(self) -> np.ndarray:
        """The province's values ``[package, rep, month, indicator]``."""
        out = np.full(self.num.shape, np.nan)
        col = {n: k for k, n in enumerate(self.names)}
        for k, name in enumerate(self.names):
            rule = RULES[name]
            if rule.kind == "sum":
                out[..., k] = self.num[..., k]
            elif rule.kind in ("mean", "weighted"):
                with np.errstate(invalid="ignore", divide="ignore"):
                    out[..., k] = np.where(self.den[..., k] > 0, self.num[..., k] / self.den[..., k], np.nan)
        for k, name in enumerate(self.names):
            rule = RULES[name]
            if rule.kind == "difference":
                a, b = rule.parts
                out[..., k] = out[..., col[a]] - out[..., col[b]]
        if self.counties == 0:
            out[:] = np.nan
        return out


@dataclass
class ProvinceRollup:
    """What :func:`roll_up` returns.

    Attributes:
        packages: package names, the reference first.
        reps: replications per county and package.
        months: month labels.
        totals: province values by group (``all``, ``key_assisted``): ``[package, rep, month, indicator]``.
        county_values: one row per county, package, replication and kept month: ``county,
            key_assisted, package, rep, month`` and the kept indicators.
        county_series: the headline series' mean over replications: ``county, key_assisted,
            package, month`` and the series.
        needs: resource needs by county: ``county, key_assisted, package, year, item, mean, lo90,
            hi90, unit``.
        needs_total: the province's resource needs (counties summed within each replication):
            ``package, year, item, mean, lo90, hi90, unit``.
        missing: (county, package, rep) without a finished run.
        pool_totals: the cumulative provincial transfer of the pool paid to the counties of each
            group (``all``, ``key_assisted``) and not paid (``unallocated``), yuan:
            ``[package, rep, month]``; empty when no package has a pool.
        pool_county: each county's settled persons, share and provincial transfer (this month's
            and cumulative, yuan) by package, replication and kept month (as ``county_values``);
            empty when no package has a pool.
    """

    packages: tuple[str, ...]
    reps: int
    months: tuple[str, ...]
    totals: dict[str, np.ndarray]
    county_values: pd.DataFrame
    county_series: pd.DataFrame
    needs: pd.DataFrame
    needs_total: pd.DataFrame
    missing: list[tuple[str, str, int]] = field(default_factory=list)
    pool_totals: dict[str, np.ndarray] = field(default_factory=dict)
    pool_county: pd.DataFrame = field(default_factory=pd.DataFrame)

    def pool_summary(self, month: int = -1) -> pd.DataFrame:
        """The cumulative provincial transfer at a month by package and group: mean and 90 % interval."""
        rows = []
        for group, values in self.pool_totals.items():
            for p, package in enumerate(self.packages):
                mean, lo, hi, n = interval(values[p, :, month])
                rows.append({"group": group, "package": package, "month": self.months[month], "mean": mean,
                             "lo90": lo, "hi90": hi, "n": int(n), "unit": "yuan"})  # fmt: skip
        return pd.DataFrame(rows)

    def results(self, package: str, group: str = "all") -> list[RunResult]:
        """The province as one ``RunResult`` per replication (seed = replication index)."""
        p = self.packages.index(package)
        values = self.totals[group][p]
        return [
            RunResult(f"{group}@{package}", "province", r, self.months, NAMES, values[r], 0, 0.0, "", "")
            for r in range(values.shape[0])
        ]

    def summary(self, indicators: Sequence[str], month: int = -1, group: str = "all") -> pd.DataFrame:
        """Mean and 90 % interval across replications of each package's province value at a month."""
        rows = []
        for p, package in enumerate(self.packages):
            for name in indicators:
                v = self.totals[group][p, :, month, NAMES.index(name)]
                mean, lo, hi, n = interval(v)
                rows.append({"indicator": name, "package": package, "month": self.months[month], "mean": mean,
                             "lo90": lo, "hi90": hi, "n": int(n), "rule": RULES[name].kind,
                             "exact": RULES[name].exact})  # fmt: skip
        return pd.DataFrame(rows)


#: resource-need items that do not add across counties (a balance per person)
NOT_ADDITIVE = ("cost_per_settled_person",)


def additive_items() -> set[str]:
    """Resource-need items that add across counties: every one but ``NOT_ADDITIVE``."""
    from countysim.resources import ITEMS

    return {i.name for i in ITEMS if i.name not in NOT_ADDITIVE}


def _interval_rows(values: np.ndarray) -> tuple[float, float, float]:
    mean, lo, hi, _ = interval(values)
    return float(mean), float(lo), float(hi)


def _county_needs(rows: list[tuple], items: dict) -> pd.DataFrame:
    """Needs of some counties, by county, package, year and item: mean and 90 % interval over replications."""
    long = pd.DataFrame(rows, columns=["county", "package", "year", "item", "value"])
    out = []
    for (county, package, year, item), g in long.groupby(["county", "package", "year", "item"], sort=False):
        mean, lo, hi = _interval_rows(g["value"].to_numpy())
        out.append((county, package, year, item, mean, lo, hi, items[item].unit))
    return pd.DataFrame(out, columns=["county", "package", "year", "item", "mean", "lo90", "hi90", "unit"])


#: the column of the settled persons the transfer pool is shared by
SETTLED = NAMES.index("settled_persons_cum")


def share_pool(settled: np.ndarray, pool_month: np.ndarray) -> np.ndarray:
    """Each county's share of the month's pool, yuan: ``pool_month × s_c / Σ s`` (0 where ``Σ s = 0``).

    Args:
        settled: settled persons ``[county, package, rep, month]``.
        pool_month: the pool of a month by package, yuan.

    Returns:
        ``[county, package, rep, month]`` transfers of the month, yuan.
    """
    total = settled.sum(axis=0)
    share = np.divide(settled, total, out=np.zeros_like(settled), where=total > 0)
    return share * pool_month[None, :, None, None]


def _share_pool(
    settled: list[tuple[str, bool, np.ndarray]], pools: np.ndarray, packages: tuple[str, ...],
    months: tuple[str, ...], index: list[int],
) -> tuple[dict[str, np.ndarray], pd.DataFrame]:  # fmt: skip
    """The pool shared among the rolled-up counties: the groups' totals and the counties' rows at ``index``."""
    s = np.stack([x for _, _, x in settled])
    month = share_pool(s, pools)
    cum = np.cumsum(month, axis=-1)
    key = np.array([k for _, k, _ in settled])
    paid = s.sum(axis=0) > 0
    totals = {
        "all": cum.sum(axis=0),
        "key_assisted": cum[key].sum(axis=0) if key.any() else np.zeros(cum.shape[1:]),
        "unallocated": np.cumsum(np.where(paid, 0.0, pools[:, None, None]), axis=-1),
    }
    share = np.divide(s, s.sum(axis=0), out=np.zeros_like(s), where=paid)
    rows = []
    for c, (name, ka, _) in enumerate(settled):
        for p, package in enumerate(packages):
            for r in range(s.shape[2]):
                for m in index:
                    rows.append((name, ka, package, r, months[m], s[c, p, r, m], share[c, p, r, m],
                                 month[c, p, r, m], cum[c, p, r, m]))  # fmt: skip
    columns = ["county", "key_assisted", "package", "rep", "month", "settled_persons_cum", "settled_share",
               "provincial_transfer_month_yuan", "provincial_transfer_cum_yuan"]  # fmt: skip
    return totals, pd.DataFrame(rows, columns=columns)


def roll_up(
    province,
    store,
    reps: int,
    seed: int | None = None,
    keep_months: Sequence[str] = (),
    keep_indicators: Sequence[str] = (),
    series: Sequence[str] = (),
    with_needs: bool = True,
) -> ProvinceRollup:
    """Roll the province's stored runs up, a few counties at a time.

    Args:
        province: a ``Province``.
        store: the ``ResultsStore`` its experiment is stored in.
        reps: replications per county and package.
        seed: the province seed used (default: the file's).
        keep_months: months (labels) at which county values are kept (the horizon always).
        keep_indicators: indicators kept per county at those months.
        series: headline series kept per county (mean over replications).
        with_needs: compute each county's resource needs (``countysim.resources``) and their total.

    Returns:
        A :class:`ProvinceRollup`.
    """
    from countysim.resources import ITEMS_BY_NAME, needs

    packages = tuple(p.name for p in province.packages)
    runs = store.runs(province.experiment)
    runs = runs[runs["status"] == "done"]
    ids = {
        (h, int(s)): int(i)
        for h, s, i in zip(runs["scenario_hash"], runs["seed"], runs["run_id"], strict=True)
    }
    acc: dict[str, Accumulator] | None = None
    months: tuple[str, ...] = ()
    county_rows: list[pd.DataFrame] = []
    series_rows: list[pd.DataFrame] = []
    needs_parts: list[pd.DataFrame] = []
    needs_sum: dict[tuple[str, int, int, str], float] = {}
    missing: list[tuple[str, str, int]] = []
    adds = additive_items()
    pools = np.array([province.pool_month_yuan(p) for p in province.packages])
    with_pool = any(p.transfer_pool is not None for p in province.packages)
    settled: list[
        tuple[str, bool, np.ndarray]
    ] = []  # a rolled-up county's settled persons [package, rep, month]
    keep_indicators = tuple(dict.fromkeys(keep_indicators))
    for start in range(0, len(province.counties), COUNTIES_PER_READ):
        chunk = province.counties[start : start + COUNTIES_PER_READ]
        wanted: dict[int, tuple[int, int, int]] = {}
        profiles = []
        for c, county in enumerate(chunk):
            seeds = province.seeds(county, reps, seed)
            prof: dict[str, float] = {}
            for p, package in enumerate(province.packages):
                scenario = province.county_scenario(county, package)
                if p == 0:
                    prof = {n: profile_value(scenario, n) for rule in RULES.values() for n in rule.names()
                            if n.startswith("county.")}  # fmt: skip
                h = scenario.content_hash()
                for r, s in enumerate(seeds):
                    if (h, s) in ids:
                        wanted[ids[(h, s)]] = (c, p, r)
                    else:
                        missing.append((county.name, package.name, r))
            profiles.append(prof)
        if not wanted:
            continue
        order = sorted(wanted)
        run_months, run_values = store.arrays(order, list(NAMES))
        if not months:
            months = run_months[order[0]]
            shape = (len(packages), reps, len(months))
            acc = {g: Accumulator(shape) for g in GROUPS}
        values = np.full((len(chunk), len(packages), reps, len(months), len(NAMES)), np.nan)
        needs_rows: list[tuple] = []
        for k, run_id in enumerate(order):
            c, p, r = wanted[run_id]
            if run_months.get(run_id, ()) != months:
                raise ValueError(
                    f"county {chunk[c].name!r} ran {len(run_months.get(run_id, ()))} months, others "
                    f"{len(months)}: the province's runs must cover the same months (one --months for the "
                    "whole province)"
                )
            values[c, p, r] = run_values[k, : len(months)]
            if with_needs:
                result = RunResult(chunk[c].name, "", r, months, NAMES, values[c, p, r], 0, 0.0, "", "")
                for row in needs(result).itertuples():
                    needs_rows.append((chunk[c].name, packages[p], int(row.year), row.item, float(row.value)))
                    if row.item in adds:
                        key = (packages[p], r, int(row.year), row.item)
                        needs_sum[key] = needs_sum.get(key, 0.0) + float(row.value)
        for c, county in enumerate(chunk):
            complete = not np.isnan(values[c, :, :, 0, 0]).any()
            if not complete:
                continue  # a county missing a run is left out of the totals (and listed in ``missing``)
            acc["all"].add(values[c], profiles[c])
            if county.key_assisted:
                acc["key_assisted"].add(values[c], profiles[c])
            if with_pool:
                settled.append((county.name, county.key_assisted, values[c, ..., SETTLED].copy()))
        if needs_rows:  # the chunk's counties' needs, summarised across replications at once
            needs_parts.append(_county_needs(needs_rows, ITEMS_BY_NAME))
        index = [months.index(m) for m in dict.fromkeys((*keep_months, months[-1])) if m in months]
        cols = [NAMES.index(n) for n in keep_indicators]
        chunk_rows: list[pd.DataFrame] = []
        for c, county in enumerate(chunk):
            for p, package in enumerate(packages):
                for r in range(reps):
                    block = values[c, p, r][np.ix_(index, cols)]
                    frame = pd.DataFrame(block, columns=list(keep_indicators))
                    frame.insert(0, "month", [months[i] for i in index])
                    frame.insert(0, "rep", r)
                    frame.insert(0, "package", package)
                    frame.insert(0, "key_assisted", county.key_assisted)
                    frame.insert(0, "county", county.name)
                    chunk_rows.append(frame)
                if series:
                    mean = np.nanmean(values[c, p][..., [NAMES.index(s) for s in series]], axis=0)
                    frame = pd.DataFrame(mean, columns=list(series))
                    frame.insert(0, "month", list(months))
                    frame.insert(0, "package", package)
                    frame.insert(0, "key_assisted", county.key_assisted)
                    frame.insert(0, "county", county.name)
                    series_rows.append(frame)
        if chunk_rows:
            county_rows.append(pd.concat(chunk_rows, ignore_index=True))
        del run_values, values
    if acc is None:
        raise ValueError(f"no finished run of province {province.name!r} in the store {store.url}")
    totals = {g: a.result() for g, a in acc.items()}
    pool_totals, pool_county = ({}, pd.DataFrame())
    if with_pool and settled:
        index = [months.index(m) for m in dict.fromkeys((*keep_months, months[-1])) if m in months]
        pool_totals, pool_county = _share_pool(settled, pools, packages, months, index)
    needs_by_county = pd.DataFrame()
    needs_total = pd.DataFrame()
    if needs_parts:
        needs_by_county = pd.concat(needs_parts, ignore_index=True)
        ka = {c.name: c.key_assisted for c in province.counties}
        needs_by_county.insert(1, "key_assisted", needs_by_county["county"].map(ka))
        total_rows = []
        keys = sorted({(p, y, i) for p, _, y, i in needs_sum}, key=lambda k: (packages.index(k[0]), k[1]))
        for package, year, item in keys:
            v = np.array([needs_sum.get((package, r, year, item), math.nan) for r in range(reps)])
            mean, lo, hi = _interval_rows(v)
            total_rows.append({"package": package, "year": year, "item": item, "mean": mean, "lo90": lo,
                               "hi90": hi, "unit": ITEMS_BY_NAME[item].unit})  # fmt: skip
        needs_total = pd.DataFrame(total_rows)
    return ProvinceRollup(
        packages=packages, reps=reps, months=months, totals=totals,
        county_values=pd.concat(county_rows, ignore_index=True) if county_rows else pd.DataFrame(),
        county_series=pd.concat(series_rows, ignore_index=True) if series_rows else pd.DataFrame(),
        needs=needs_by_county, needs_total=needs_total, missing=missing, pool_totals=pool_totals,
        pool_county=pool_county,
    )  # fmt: skip


__all__ = ["GROUPS", "RULES", "Accumulator", "ProvinceRollup", "Rule", "check_rules", "roll_up", "share_pool"]
