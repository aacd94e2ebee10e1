"""The compiled passes of the labour and wages phases give exactly what their numpy rules give."""

import numpy as np
import pytest

from countysim.backend import count_by_group
from countysim.population import codes as c
from countysim.rng import Streams
from countysim.rules import labour
from countysim.rules.labour import kernels
from countysim.scenario import Labour, LabourBehaviour

BEH, PROF = LabourBehaviour(), Labour()
LEVERS = {"e3_brand_wage_premium": 0.13, "e2_wage_premium": 0.07}


@pytest.fixture(scope="module")
def pop(small_baseline):
    """A small county's population after a few months (every job, tenure and age in play)."""
    from countysim.model import CountyModel

    model = CountyModel(small_baseline)
    for _ in range(3):
        model.step()
    return model.pop


def same(a: np.ndarray, b: np.ndarray) -> bool:
    """Bit for bit (so that -0.0 and 0.0, or two NaNs, are told apart or not as they should be)."""
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def random_people(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "edu": rng.integers(0, len(c.EDU_NAMES), n).astype(np.int8),
        "skill": rng.integers(0, len(c.SKILL_NAMES), n).astype(np.int8),
        "age_years": rng.integers(16, 75, n).astype(np.int16),
        "effect": rng.normal(0, 0.3, n).astype(np.float32),
        "premium": (rng.random(n) < 0.2) * 0.13,
    }


def test_update_wages_equals_its_numpy_reference(pop):
    fast, ref = pop.copy(), pop.copy()
    fast.wage[:] = ref.wage[:] = 123.0  # every wage is rewritten: 0 for all but the working
    ref.tenure[::7] = 50  # beyond the 36 months of the tenure term
    fast.tenure[::7] = 50
    ref.brand[::5] = fast.brand[::5] = True
    ref.placed[::11] = fast.placed[::11] = True
    labour.update_wages(fast, PROF, BEH, LEVERS, 24_300)
    labour.update_wages_reference(ref, PROF, BEH, LEVERS, 24_300)
    assert same(fast.wage, ref.wage)
    assert (fast.wage > 0).sum() > 100


def test_wage_tables_hold_the_terms_of_the_log_wage():
    edu_term, skill_term, age_term = labour.wage_tables(BEH)
    people = random_people(1000)
    months = np.random.default_rng(1).integers(0, 12 * 90, 1000).astype(np.int16)
    zeros = np.zeros(1000, dtype=np.int16)
    effect = np.zeros(1000, dtype=np.float32)
    logw = labour.log_wage(people["edu"], people["skill"], months // 12, zeros, effect, BEH)
    by_table = edu_term[people["edu"]] + skill_term[people["skill"]] - age_term[months] + 0.0 + effect
    assert same(logw, by_table)


def test_market_pay_is_wage_of_for_every_person_and_market():
    n, m = 5000, len(labour.MARKETS)
    p = random_people(n)
    rows = {k: np.repeat(v, m) for k, v in p.items()}
    jobs = np.tile(np.array(labour.MARKETS, dtype=np.int8), n)
    zeros = np.zeros(n * m, dtype=np.int16)
    per_row = labour.wage_of(
        jobs, zeros.astype(np.int8), rows["edu"], rows["skill"], rows["age_years"], zeros, rows["effect"],
        rows["premium"], PROF, BEH, 24_300,
    ).reshape(n, m)  # fmt: skip
    assert same(labour.market_pay(**p, profile=PROF, beh=BEH, absolute_month=24_300), per_row)


@pytest.mark.parametrize("seed", [0, 1])
def test_choose_markets_equals_its_numpy_reference(seed):
    n, m = 20_000, len(labour.MARKETS)
    rng = np.random.default_rng(seed)
    p = random_people(n, seed)
    draws = rng.random((n, m))
    draws[:50] = 0.0  # clipped at both ends
    draws[50:100] = 1.0 - 1e-17
    args = dict(
        children=rng.integers(0, 4, n),
        elders=rng.integers(0, 3, n),
        location=rng.integers(0, len(c.LOCATION_NAMES), n).astype(np.int8),
        hiring=labour.hiring_weight(p["age_years"], BEH),
        expected=np.array([1.0, 0.9, 0.8, 0.5, 0.95, 0.97]),
        draws=draws,
        profile=PROF,
        beh=BEH,
        absolute_month=24_300,
    )
    fast = labour.choose_markets(**p, **dict(args, draws=draws.copy()))  # it overwrites the draws
    ref = labour.choose_markets_reference(**p, **args)
    assert np.array_equal(fast, ref)
    assert len(np.unique(fast)) == m  # every market is chosen by someone
    # no pay at all (below the cost of living outside) and ties: the first market, as np.argmax
    flat = dict(args, draws=np.full((n, m), 0.5), expected=np.zeros(m))
    ref = labour.choose_markets_reference(**p, **flat)
    assert np.array_equal(labour.choose_markets(**p, **flat), ref)


def test_separation_table_is_the_hazard_of_each_combination():
    for sf, rel_county, rel_placed in [(False, 1.0, 1.0), (True, 0.6, 0.8)]:
        table = labour.separation_table(BEH, sf, rel_county, rel_placed)
        for job in range(len(c.JOB_NAMES)):
            for tenure in (0, 5, 6, 40):
                for certified in (False, True):
                    for placed in (False, True):
                        h = labour.separation_hazard(
                            np.array([job], np.int8), np.array([tenure], np.int16), np.array([certified]),
                            np.array([placed]), sf, BEH, rel_county, rel_placed,
                        )[0]  # fmt: skip
                        assert table[8 * job + 4 * (tenure < 6) + 2 * certified + placed] == h


def test_scan_persons_equals_the_numpy_masks(pop):
    from countysim.phases.labour import CHILD_AGE_M, LabourPhase

    workers, employed, kids, olds = LabourPhase.scan(pop)
    worker = pop.alive & (pop.role == c.WORKER)
    assert np.array_equal(workers, np.flatnonzero(worker))
    assert np.array_equal(employed, np.flatnonzero(worker & (pop.job >= c.J_TOWNSHIP)))
    child = pop.alive & (pop.role == c.CHILD) & (pop.age_m < CHILD_AGE_M)
    assert np.array_equal(kids, pop.household_count(child))
    assert np.array_equal(olds, pop.household_count(pop.alive & (pop.role == c.ELDER)))


def test_separate_equals_the_numpy_rule(pop):
    """Separations, tenure and the jobs held: as with ``separation_hazard`` and numpy masks."""
    p = pop.copy()
    p.placed[::13] = True
    worker = p.alive & (p.role == c.WORKER)
    workers = np.flatnonzero(worker)
    employed = workers[p.job[workers] >= c.J_TOWNSHIP]
    u = np.random.default_rng(2).random(len(employed)) * 0.2  # many leave
    sf, rel_county, rel_placed = True, 0.7, 0.5
    # the numpy rule
    h = labour.separation_hazard(
        p.job[workers],
        p.tenure[workers],
        p.skill[workers] > 0,
        p.placed[workers],
        sf,
        BEH,
        rel_county,
        rel_placed,
    )
    u_all = np.ones(len(workers))
    u_all[p.job[workers] >= c.J_TOWNSHIP] = u
    leave = np.zeros(p.n, dtype=bool)
    leave[workers[u_all < h]] = True
    tenure = p.tenure.copy()
    job = np.where(leave, c.J_NONE, p.job)
    np.add(tenure, 1, out=tenure, where=worker & (job != c.J_NONE))
    # the kernel
    leavers, looking = np.empty(len(workers), np.int64), np.empty(len(workers), np.int64)
    held = np.zeros(len(c.JOB_NAMES), np.int64)
    n_leave, n_looking = kernels().separate(
        workers, p.job, p.tenure, p.skill, p.placed, labour.separation_table(BEH, sf, rel_county, rel_placed),
        u, np.uint64(0), leavers, looking, held,
    )  # fmt: skip
    assert n_leave > 10
    assert np.array_equal(leavers[:n_leave], np.flatnonzero(leave))
    assert np.array_equal(looking[:n_looking], np.flatnonzero(worker & (job <= c.J_FARM)))
    assert np.array_equal(held, count_by_group(job, worker, len(c.JOB_NAMES)))
    stayed = ~leave  # a leaver's tenure is reset by Population.end_jobs, not here
    assert np.array_equal(p.tenure[stayed], tenure[stayed])


def test_separate_draws_the_counter_stream_in_the_pass(pop):
    """Without draws, the pass draws each slot's number of the stream: the same separations."""
    workers = np.flatnonzero(pop.alive & (pop.role == c.WORKER))
    employed = workers[pop.job[workers] >= c.J_TOWNSHIP]
    table = np.minimum(labour.separation_table(BEH, True, 0.7, 0.5) * 20, 1.0)  # many leave
    results = []
    for u, key in (
        (Streams(4).uniform("labour.separation", 2, employed), np.uint64(0)),
        (np.empty(0), Streams(4).counter_key("labour.separation", 2)),
    ):
        tenure = pop.tenure.copy()
        out = np.empty(len(workers), np.int64), np.empty(len(workers), np.int64), np.zeros(8, np.int64)
        n_leave, n_looking = kernels().separate(
            workers, pop.job, tenure, pop.skill, pop.placed, table, u, key, *out
        )
        results.append(
            (out[0][:n_leave].tolist(), out[1][:n_looking].tolist(), out[2].tolist(), tenure.tolist())
        )
    assert results[0] == results[1] and len(results[0][0]) > 10


def test_count_at_counts_codes_at_the_slots():
    values = np.array([0, 3, 3, 1, 7, 3], dtype=np.int8)
    out = np.zeros(8, np.int64)
    kernels().count_at(values, np.array([1, 2, 4, 5]), out)
    assert out.tolist() == [0, 0, 0, 3, 0, 0, 0, 1]


@pytest.mark.parametrize("post_festival", [False, True])
def test_search_table_is_the_intensity_of_each_job_and_age(post_festival):
    table = labour.search_table(BEH, post_festival)
    jobs = np.repeat(np.arange(len(c.JOB_NAMES), dtype=np.int8), 90)
    years = np.tile(np.arange(90, dtype=np.int16), len(c.JOB_NAMES))
    assert same(table[jobs, years], labour.search_intensity(jobs, years, BEH, post_festival))
    months = (years * 12 + 7).astype(np.int16)
    u = np.random.default_rng(3).random(len(jobs))
    looking = np.arange(len(jobs))
    assert np.array_equal(
        kernels().searching(looking, jobs, months, table, u),
        u < labour.search_intensity(jobs, years, BEH, post_festival),
    )
