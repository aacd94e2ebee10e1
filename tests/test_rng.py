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
