"""The state at the start that both population sources share: rights, housing, schools, awareness.

Whether the persons were synthesised or read from microdata, the rest of the start state follows
from the scenario's status quo in the same way:

- **contracts and insurance** — employees hold a contract and each insurance with the status
  quo's steady-state probability for their tenure (at hire, then monthly catch-up), under the
  levers' values in the first month for county employers and the outside trend for the others
  (``rules.rights``), so the start is what the rights phase itself would have made;
- **residence and housing** — households are based where their workers are; a town household's
  months in town start at its longest-serving town worker's tenure; town households live in
  dormitories (``p_dormitory``) or rent, a share own (``OWNED_AT_START``), and the county's
  affordable units go to town tenants by lot;
- **awareness** — by the profile's shares (``rules.services``);
- **land rights** — exponential around ``county.housing.mean_land_value_yuan``;
- **willingness to settle** — a share of households open to settling at all, each with a lasting
  taste (``behaviour.settlement``);
- **schools** — children are placed as in a September under the levers' first-month values.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from countysim.policy.levers import LEVERS
from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rng import Streams
from countysim.rules import housing, rights, schooling, services
from countysim.scenario import Scenario

OWNED_AT_START = 0.15  # share of town-based households owning their home (assumption)


def initialise(pop: Population, spec: Scenario, streams: Streams) -> None:
    """Fill the start state of ``pop`` (see the module docstring)."""
    sq = {lv.name: spec.lever_value(lv.name, 0) for lv in LEVERS}  # the county's policy at the start
    beh = spec.behaviour
    H = pop.n_households

    # contracts and insurance: the status quo's steady state for each employee's tenure, so that the
    # start holds what the rights phase itself would have made (at hire, then monthly catch-up)
    r = beh.rights
    worker = pop.alive & (pop.role == c.WORKER)
    employee = worker & np.isin(pop.job, c.WAGE_JOBS)
    year = spec.horizon.start_absolute / 12
    outside = rights.outside_enforcement(r, year)
    w1 = sq["w1_joint_mechanism"]
    # computed for the employees only (their slots' draws), to keep the build's memory small
    emp = np.flatnonzero(employee)
    job = pop.job[emp]
    enforce = rights.by_jurisdiction(job, rights.strengthened(sq["r1_contract_enforcement"], w1), outside)
    drive = rights.by_jurisdiction(job, rights.strengthened(sq["r2_enrolment_drive"], w1), outside)
    tenure = pop.tenure[emp].astype(np.float64)
    at_hire = rights.contract_at_hire(job, r, enforce)
    p_contract = 1.0 - (1.0 - at_hire) * (1.0 - r.p_contract_later * enforce) ** tenure
    pop.contract[:] = False
    pop.contract[emp] = streams.uniform("initial.contract", -1, emp) < p_contract
    contract = pop.contract[emp]
    draws = streams.uniform("initial.insurance", -1, emp, 4)
    for k, (col, name) in enumerate(zip(rights.INSURANCES, c.INSURANCE_NAMES, strict=True)):
        p_with = rights.closing_gap(r.p_enrol_with_contract[name], drive, r.drive_gap_closed)
        p_without = rights.closing_gap(r.p_enrol_without_contract[name], drive, r.drive_gap_closed)
        p = np.where(contract, p_with, p_without)
        p = 1.0 - (1.0 - p) * (1.0 - r.p_enrol_later * drive) ** tenure
        cover = getattr(pop, col)
        cover[:] = False
        cover[emp] = draws[:, k] < p
    del draws
    pop.pension_account[:] = pop.ins_pension
    pop.ins_loc[:] = pop.loc

    # residence, months in town, housing
    pop.residence[:] = housing.residence(pop)
    town = pop.residence == c.R_TOWN
    town_worker = worker & (pop.loc == c.COUNTY_TOWN)
    longest = np.zeros(H, dtype=np.int16)
    np.maximum.at(longest, pop.hh[town_worker], pop.tenure[town_worker])
    pop.town_months[:] = np.where(town, longest, 0)
    pop.permit[:] = town & (pop.town_months >= spec.county.town.permit_months)
    hu = streams.uniform("initial.housing", -1, H, 3)
    pop.housing[:] = np.where(
        ~town, c.H_RURAL,
        np.where(hu[:, 0] < OWNED_AT_START, c.H_OWNED, np.where(hu[:, 1] < beh.housing.p_dormitory, c.H_DORM, c.H_RENT)),
    )  # fmt: skip
    tenants = np.flatnonzero(town & (pop.housing == c.H_RENT))
    units = float(spec.county.housing.affordable_units)
    pop.housing[tenants[np.argsort(hu[tenants, 2], kind="stable")[: int(units)]]] = c.H_AFFORDABLE
    mean_land = spec.county.housing.mean_land_value_yuan
    pop.land_value[:] = (
        mean_land * -np.log(np.clip(streams.uniform("initial.land", -1, H), 1e-12, 1))
    ).astype(np.float32)

    # willingness to settle: a lasting household trait
    st = beh.settlement
    pop.settle_open[:] = streams.uniform("initial.settle_open", -1, H) < st.p_open
    z = ndtri(np.clip(streams.uniform("initial.settle_taste", -1, H), 1e-12, 1 - 1e-12))
    pop.settle_taste[:] = (st.taste_sd * z).astype(np.float32)

    # awareness, schools
    services.initial_awareness(pop, beh.services, streams)
    seats = np.array([0.0, spec.county.schools.primary_seats, spec.county.schools.junior_seats])
    res = pop.residence[pop.hh]
    kid = pop.alive & (pop.role == c.CHILD)
    schooling.follow_household(pop, np.flatnonzero(kid))
    schooling.september(pop, beh.schooling, sq, streams, kid, res, seats, spec.county.schools.private_places)
    schooling.live_where_schooled(pop, np.flatnonzero(kid))
