"""The rules take their array module from one place: run them on a stand-in array module.

``array_api_strict`` implements the array API standard and nothing more (no numpy functions, no
implicit conversions), so a rule that runs on it and gives numpy's numbers would run on any
backend of the standard (CuPy for a GPU) by a change of ``countysim.backend`` alone.
"""

from __future__ import annotations

import array_api_strict as strict
import numpy as np
import pytest

from countysim import backend
from countysim.parameters.behaviour import DemographyBehaviour, RightsBehaviour
from countysim.rules.demography import death_hazard
from countysim.rules.rights import arrears_hazard


@pytest.fixture()
def people():
    rng = np.random.default_rng(3)
    return rng.integers(0, 100, 5_000).astype(np.int16), rng.integers(0, 6, 5_000).astype(np.int8)


def test_rules_give_the_same_numbers_on_a_strict_array_module(people) -> None:
    ages, sectors = people
    demo, rights = DemographyBehaviour(), RightsBehaviour()
    expected = death_hazard(ages, demo), arrears_hazard(sectors, rights, 0.4)
    with backend.use(strict):
        got = death_hazard(strict.asarray(ages), demo), arrears_hazard(strict.asarray(sectors), rights, 0.4)
    for g, e in zip(got, expected, strict=True):
        assert isinstance(g, type(strict.asarray([1.0])))  # computed by the stand-in, not by numpy
        np.testing.assert_array_equal(np.asarray(g), e)
    assert backend.xp() is np  # the block restores numpy


def test_a_rule_outside_the_standard_is_refused_by_the_stand_in(people) -> None:
    """The stand-in is strict, so the test above means something: the numpy idiom the death
    hazard used before (an ``.astype`` method, a ``np.where`` on numpy scalars) fails on it."""
    ages, _ = people
    with pytest.raises(AttributeError):
        strict.asarray(ages).astype(np.float64)
    with pytest.raises(TypeError):
        strict.where(strict.asarray(ages) >= 60, np.float64(1.0), np.zeros(3))


def test_the_kernels_equal_their_numpy_expressions() -> None:
    rng = np.random.default_rng(5)
    values, mask = rng.random(10_000).astype(np.float32), rng.random(10_000) < 0.3
    groups = rng.integers(0, 700, 10_000)
    assert backend.masked_mean(values, mask) == pytest.approx(float(values[mask].mean()), rel=1e-6)
    assert backend.masked_mean(values, np.zeros(10_000, dtype=bool)) == 0.0
    np.testing.assert_array_equal(
        backend.any_by_group(groups, mask, 800), np.bincount(groups[mask], minlength=800) > 0
    )
    table = np.zeros(128, dtype=bool)
    table[[1, 5, 7]] = True
    codes = rng.integers(0, 9, 10_000).astype(np.int8)
    np.testing.assert_array_equal(backend.lookup(table, codes), table[codes])
    loc = rng.integers(0, 4, 10_000).astype(np.int8)
    expected = np.zeros(800, dtype=np.int8)
    np.maximum.at(expected, groups[mask], loc[mask])
    np.testing.assert_array_equal(backend.max_by_group(groups, mask, loc, 800), expected)
    bits = rng.integers(0, 64, 2_000).astype(np.uint8)
    u, p = rng.random((2_000, 6)), np.array([0.1, 0.5, 0.0, 1.0, 0.3, 0.9])
    expected = bits | np.bitwise_or.reduce((u < p).astype(np.uint8) << np.arange(6, dtype=np.uint8), axis=1)
    backend.set_bits_below(bits, u, p)
    np.testing.assert_array_equal(bits, expected)
