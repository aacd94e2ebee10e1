"""The compiled passes of the demography, housing and settlement phases equal their numpy rules."""

import numpy as np
import pytest

from countysim.parameters.behaviour import DemographyBehaviour, HousingBehaviour, SettlementBehaviour
from countysim.parameters.county import Housing
from countysim.policy.levers import LEVERS
from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rules import demography, housing, schooling, settlement
from countysim.rules import homes_kernels as k

N, H = 6_000, 2_000


@pytest.fixture(params=[0, 1, 2])
def pop(request):
    """A random population: households in slot order, then newborn-like slots in any household."""
    rng = np.random.default_rng(request.param)
    pop = Population(N, H)
    pop.hh[:] = np.concatenate([np.sort(rng.integers(0, H, N - 500)), rng.integers(0, H, 500)])
    pop.alive[:] = rng.random(N) < 0.9
    pop.role[:] = rng.integers(0, 3, N)
    pop.loc[:] = rng.integers(0, 4, N)
    pop.sex[:] = rng.integers(0, 2, N)
    pop.age_m[:] = rng.integers(0, 1300, N)
    pop.entry_age_m[:] = rng.choice([192, 228, 264], N)
    pop.wage[:] = np.where(rng.random(N) < 0.6, rng.lognormal(8, 0.6, N), 0.0)
    pop.job[:] = rng.integers(0, 8, N)
    pop.tenure[:] = rng.integers(0, 40, N)
    pop.ins_pension[:] = rng.random(N) < 0.3
    pop.school[:] = rng.integers(0, 6, N)
    pop.settled[:] = rng.random(H) < 0.1
    pop.housing[:] = rng.integers(0, 5, H)
    pop.town_months[:] = rng.integers(0, 60, H)
    pop.wait_months[:] = np.where(rng.random(H) < 0.2, rng.integers(1, 12, H), 0)
    pop.savings[:] = rng.uniform(0, 300_000, H)
    pop.mortgage_left[:] = np.where(rng.random(H) < 0.1, rng.integers(0, 3, H), 0)
    pop.mortgage[:] = np.where(pop.mortgage_left > 0, rng.uniform(500, 3000, H), 0.0)
    return pop


def town(pop):
    code = np.empty(pop.n, dtype=np.uint8)
    k.town_codes(pop.alive, pop.role, pop.loc, code)
    flags, income, members = np.zeros(H, np.uint8), np.zeros(H), np.zeros((H, 4), np.int32)
    k.town_pass(pop.hh, code, pop.wage, flags, income, members)
    return flags, income, members


def test_town_pass_gives_income_members_and_residence(pop):
    flags, income, members = town(pop)
    np.testing.assert_array_equal(income, np.bincount(pop.hh, weights=pop.wage, minlength=H))
    np.testing.assert_array_equal(members[:, :3], housing.members_by_place(pop))
    assert members[:, k.DEAD].sum() == np.count_nonzero(~pop.alive)

    # residence, months in town, permits, leaving and arriving: the housing phase's numpy steps
    ref = pop.copy()
    res = housing.residence(ref)
    ref.residence[:] = res
    in_town = res == c.R_TOWN
    ref.town_months[:] = np.where(in_town, np.minimum(ref.town_months + 1, 32000), 0)
    ref.permit[:] = in_town & (ref.town_months >= 6)
    ref.housing[~in_town & c.in_codes(ref.housing, housing.TOWN_TENANCY)] = c.H_RURAL
    ref.wait_months[~in_town] = 0
    arriving = np.flatnonzero(in_town & (ref.housing == c.H_RURAL))

    got = k.select(
        k.settle_in, flags, pop.settled, pop.housing, pop.residence, pop.town_months, pop.permit,
        pop.wait_months, 6,
    )  # fmt: skip
    np.testing.assert_array_equal(got, arriving)
    for name in ("residence", "town_months", "permit", "housing", "wait_months"):
        np.testing.assert_array_equal(getattr(pop, name), getattr(ref, name), err_msg=name)


def test_the_waiting_list_and_the_buyers(pop):
    pop.residence[:] = housing.residence(pop)
    tenants = k.select(k.unit_candidates, pop.residence, pop.housing, pop.town_months, 24.0)
    np.testing.assert_array_equal(
        tenants, np.flatnonzero(housing.eligible_for_unit(pop, np.ones(H, bool), 24.0))
    )

    ok = np.random.default_rng(9).random(H) < 0.5
    wait = pop.wait_months.copy()
    wait[~ok & (pop.housing != c.H_AFFORDABLE)] = 0
    wait[wait > 0] += 1
    k.keep_waiting(ok, pop.housing, pop.wait_months)
    np.testing.assert_array_equal(pop.wait_months, wait)

    income = np.bincount(pop.hh, weights=pop.wage, minlength=H)
    down = 400_000 * 0.3 + 0.01  # not a float32: numpy compares the float32 savings in float32
    expected = np.flatnonzero(
        (pop.residence == c.R_TOWN) & c.in_codes(pop.housing, housing.TOWN_TENANCY) & (pop.savings >= down)
        & (1_500.0 <= 0.4 * income)
    )  # fmt: skip
    got = k.select(k.buyers, pop.residence, pop.housing, pop.savings, income, np.float32(down), 1_500.0, 0.4)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("village_yuan", [700.0, 712.37])  # whole yuan (summed here) or not (numpy's)
def test_budget_equals_the_numpy_rule(pop, village_yuan):
    beh, market, price = HousingBehaviour(consumption_village_yuan=village_yuan), Housing(), 1.0731
    _, income, members = town(pop)
    expense = np.random.default_rng(4).random(H) < 0.2
    ref = pop.copy()
    regular_ref = housing.household_budget(
        ref, income, housing.members_by_place(ref), expense, beh, market, price
    )

    per_member = housing.per_member_consumption(beh)
    whole = np.all(per_member == np.floor(per_member))
    assert whole == (village_yuan == 700.0)
    basic = np.empty(0) if whole else np.ascontiguousarray(members[:, :3]) @ per_member
    regular = np.empty(H)
    k.budget(
        income, basic, members, per_member, price, beh.marginal_consumption, pop.housing,
        housing.rent_by_housing(market, price), pop.mortgage, pop.mortgage_left, expense,
        beh.major_expense_months, beh.remittance_share, pop.savings, regular,
    )  # fmt: skip
    np.testing.assert_array_equal(regular, regular_ref)
    for name in ("savings", "mortgage", "mortgage_left"):
        np.testing.assert_array_equal(getattr(pop, name), getattr(ref, name), err_msg=name)


def test_the_death_hazard_tabled_by_age_in_months(pop):
    beh = DemographyBehaviour()
    table = demography.death_hazard_by_age_m(pop.age_m.dtype, beh)
    ages = np.concatenate([pop.age_m, np.array([0, 719, 720, 32767], dtype=np.int16)])
    np.testing.assert_array_equal(table[ages], demography.death_hazard(ages // 12, beh))

    aged = pop.age_m.copy()
    aged[pop.alive] += 1
    p = np.empty(pop.n)
    k.age_and_death_hazard(pop.alive, pop.age_m, table, p)
    np.testing.assert_array_equal(pop.age_m, aged)
    np.testing.assert_array_equal(p, demography.death_hazard(aged // 12, beh))


@pytest.mark.parametrize("reform", [True, False])
def test_the_exit_hazard_tabled_by_sex_and_age(pop, reform):
    beh = DemographyBehaviour(retirement_reform=reform)
    month = 2031 * 12 + 4
    worker = np.flatnonzero(pop.alive & (pop.role == c.WORKER) & (pop.age_m >= 540))
    first, last = 540, int(pop.age_m[worker].max())
    table = demography.exit_hazard_by_sex_and_age(first, last, month, beh, pop.age_m.dtype)
    h = np.empty(len(worker))
    k.hazard_by_sex_and_age(table, first, pop.sex, pop.age_m, worker, h)
    np.testing.assert_array_equal(h, demography.exit_hazard(pop.age_m[worker], pop.sex[worker], month, beh))


def test_who_decides_in_the_demography_phase(pop):
    lists = [np.empty(pop.n, dtype=np.int64) for _ in range(3)]
    n = k.who_decides(pop.alive, pop.sex, pop.role, pop.age_m, pop.entry_age_m, 540, *lists)
    fertile, enter, older = (slots[:m] for slots, m in zip(lists, n, strict=True))
    age = pop.age_m // 12
    np.testing.assert_array_equal(
        fertile, np.flatnonzero(pop.alive & (pop.sex == c.FEMALE) & (age >= 20) & (age < 40))
    )
    entering = pop.alive & (pop.role == c.CHILD) & (pop.age_m >= pop.entry_age_m)
    np.testing.assert_array_equal(enter, np.flatnonzero(entering))
    # the workers once the entrants are workers
    role = np.where(entering, c.WORKER, pop.role)
    np.testing.assert_array_equal(older, np.flatnonzero(pop.alive & (role == c.WORKER) & (pop.age_m >= 540)))
    assert min(n) > 0


def test_settlement_facts_and_hukou_moves(pop):
    bits, found = np.empty(pop.n, np.uint8), np.zeros(H, np.uint8)
    k.settlement_codes(
        pop.alive, pop.role, pop.ins_pension, pop.job, pop.tenure, pop.school, settlement.STABLE_MONTHS, bits
    )
    k.or_by_group(pop.hh, bits, found)
    facts = settlement.household_facts(pop)
    for name, bit in (("insured", k.INSURED), ("stable", k.STABLE), ("children_in_town", k.CHILD_IN_TOWN)):
        np.testing.assert_array_equal((found & bit) != 0, facts[name], err_msg=name)

    settles = np.random.default_rng(5).random(H) < 0.1
    movers = pop.alive & settles[pop.hh]
    hukou = pop.hukou.copy()
    hukou[movers] = 1
    years = np.clip(15 - np.maximum(pop.age_m[movers] // 12, 6), 0, 9).sum()
    assert k.move_hukou(pop.hh, pop.alive, settles, pop.age_m, pop.hukou) == (movers.sum(), years)
    np.testing.assert_array_equal(pop.hukou, hukou)


def test_settle_probability_for_some_households_only(pop):
    rng = np.random.default_rng(6)
    pop.settle_taste[:] = rng.normal(0, 1, H)
    pop.land_value[:] = rng.uniform(0, 2e5, H)
    facts = settlement.household_facts(pop)
    levers = {lv.name: lv.status_quo for lv in LEVERS}
    at = np.flatnonzero(rng.random(H) < 0.05)
    p = settlement.settle_probability(pop, facts, SettlementBehaviour(), levers, 1.3)
    np.testing.assert_array_equal(
        settlement.settle_probability(pop, facts, SettlementBehaviour(), levers, 1.3, at), p[at]
    )


def test_children_follow_the_household_and_live_where_schooled(pop):
    pop.residence[:] = np.random.default_rng(7).integers(0, 3, H)
    kids = np.flatnonzero(pop.alive & (pop.role == c.CHILD))
    ref, school = pop.copy(), pop.school.copy()
    schooling.follow_household(pop, kids)
    schooling.follow_household_reference(ref, kids)
    np.testing.assert_array_equal(pop.school, ref.school)
    assert (pop.school != school).any()  # some went back to the village school
    before = pop.loc.copy()
    schooling.live_where_schooled(pop, kids)
    schooling.live_where_schooled_reference(ref, kids)
    np.testing.assert_array_equal(pop.loc, ref.loc)
    # every school code was met, and children schooled outside moved where their parents work
    assert set(pop.school[kids]) == set(range(len(c.SCHOOL_NAMES)))
    outside = kids[pop.school[kids] == c.S_OUTSIDE]
    assert (pop.loc[outside] >= c.OUTSIDE_PROVINCE).all() and (before[kids] != pop.loc[kids]).any()


def test_deaths_drawn_in_the_pass_are_the_streams(pop):
    """The pass's deaths are those of ``Streams.chance`` on the hazards of the ages reached."""
    from countysim.rng import Streams

    table = demography.death_hazard_by_age_m(pop.age_m.dtype, DemographyBehaviour())
    table = np.minimum(table * 50, 1.0)  # enough deaths among a few thousand
    ref = pop.copy()
    p = np.empty(pop.n)
    k.age_and_death_hazard(ref.alive, ref.age_m, table, p)
    expected = np.flatnonzero(Streams(11).chance("demography.death", 3, ref.alive, p))
    dead = np.empty(pop.n, dtype=np.int64)
    n = k.age_and_die(pop.alive, pop.age_m, table, Streams(11).counter_key("demography.death", 3), dead)
    np.testing.assert_array_equal(dead[:n], expected)
    np.testing.assert_array_equal(pop.age_m, ref.age_m)
    assert 10 < n and pop.alive[expected].all()
    assert Streams(11, generator="pcg64").counter_key("demography.death", 3) is None
