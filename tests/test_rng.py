import numpy as np
import pytest

from countysim.rng import Streams, stream_key


def test_same_seed_same_draws_and_names_differ():
    a, b = Streams(7), Streams(7)
    assert np.array_equal(a.uniform("x", 3, 100), b.uniform("x", 3, 100))
    assert not np.array_equal(a.uniform("x", 3, 100), a.uniform("y", 3, 100))
    assert not np.array_equal(a.uniform("x", 3, 100), a.uniform("x", 4, 100))
    assert not np.array_equal(a.uniform("x", 3, 100), Streams(8).uniform("x", 3, 100))


def test_slot_draws_do_not_depend_on_population_size():
    s = Streams(1)
    small, large = s.uniform("labour.hire", 5, 1000), s.uniform("labour.hire", 5, 5000)
    assert np.array_equal(small, large[:1000])
    two = s.uniform("labour.choice", 5, 10, 3), s.uniform("labour.choice", 5, 20, 3)
    assert np.array_equal(two[0], two[1][:10])


def test_draws_do_not_depend_on_other_streams_being_used():
    s = Streams(3)
    first = s.uniform("training.lot", 2, 50)
    s.uniform("labour.separation", 2, 10_000)  # another phase draws a lot
    assert np.array_equal(first, s.uniform("training.lot", 2, 50))


def test_stream_key_is_stable():
    # blake2b of the name, so independent of PYTHONHASHSEED and of the Python version
    assert stream_key("labour.separation") == 16718600421385938648
    assert stream_key("a") != stream_key("b")


def test_negative_seed_rejected():
    with pytest.raises(ValueError, match="non-negative"):
        Streams(-1)


@pytest.mark.parametrize("generator", ["splitmix64", "pcg64"])
def test_a_subset_gets_the_numbers_of_its_slots(generator):
    s = Streams(11, generator=generator)
    full = s.uniform("x", 4, 10_000)
    idx = np.array([9_999, 3, 512, 3, 0])
    assert np.array_equal(s.uniform("x", 4, idx), full[idx])
    wide = s.uniform("y", 4, 600, 3)
    assert np.array_equal(s.uniform("y", 4, idx[1:4], 3), wide[idx[1:4]])
    assert s.uniform("x", 4, np.array([], dtype=np.int64)).shape == (0,)


@pytest.mark.parametrize("generator", ["splitmix64", "pcg64"])
def test_chance_is_the_masked_comparison_with_the_stream(generator):
    s = Streams(5, generator=generator)
    rng = np.random.default_rng(0)
    mask, p = rng.random(5_000) < 0.3, rng.random(5_000)
    u = s.uniform("z", 2, 5_000)
    assert np.array_equal(s.chance("z", 2, mask, p), mask & (u < p))
    assert np.array_equal(s.chance("z", 2, mask, 0.25), mask & (u < 0.25))
    assert not s.chance("z", 2, np.zeros(10, dtype=bool), 1.0).any()


def test_chance_refuses_probabilities_of_another_length():
    with pytest.raises(ValueError, match=r"3 probabilities for 4 slots"):
        Streams(1).chance("z", 0, np.ones(4, dtype=bool), np.ones(3))


def test_the_counter_generator_is_uniform_and_uncorrelated():
    """Moments, a chi-square over 100 bins, lag-1 serial correlation, and two streams' correlation:
    each would fail for a biased or correlated generator (the construction itself, SplitMix64,
    passes TestU01's BigCrush)."""
    from scipy import stats

    s = Streams(2024)
    u = s.uniform("labour.search", 7, 1_000_000)
    assert u.min() >= 0.0 and u.max() < 1.0
    assert abs(u.mean() - 0.5) < 5 * np.sqrt(1 / 12 / len(u))
    assert abs(u.var() - 1 / 12) < 0.001
    counts = np.bincount((u * 100).astype(int), minlength=100)
    assert stats.chisquare(counts).pvalue > 1e-4
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 5 / np.sqrt(len(u))
    other = s.uniform("labour.search", 8, 1_000_000)  # the next month of the same stream
    assert abs(np.corrcoef(u, other)[0, 1]) < 5 / np.sqrt(len(u))
    wide = s.uniform("labour.choice", 7, 200_000, 6)
    assert np.abs(np.corrcoef(wide.T) - np.eye(6)).max() < 5 / np.sqrt(len(wide))


def test_unknown_generator_is_refused():
    with pytest.raises(ValueError, match="unknown generator 'mt'; choose one of splitmix64, pcg64"):
        Streams(1, generator="mt")
