"""The one number formatter (countysim.formatting) and the one mean-and-interval helper (countysim.stats)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from countysim.formatting import number
from countysim.stats import interval, percentiles


@pytest.mark.parametrize(
    ("x", "unit", "kwargs", "expected"),
    [
        (2023, "year", {}, "2023"),
        (np.int64(2030), "year", {}, "2030"),
        (2023.0, "year", {}, "2023"),
        (20230112, "seed", {}, "20230112"),
        (0.8687, "share", {}, "0.869"),
        (0.00042, "share", {"sign": True}, "+0.00042"),
        (0.0, "share", {}, "0.000"),
        (4781.4, "yuan per month", {}, "4,781"),
        (-1234567.0, "yuan", {}, "-1,234,567"),
        (12, "persons", {}, "12"),
        (41.27, "years", {}, "41.3"),
        (0.02, "", {}, "0.02"),
        (-0.0, "", {}, "0"),
        (250.0, "seats", {"sign": True}, "+250"),
        (-3.5, "", {"sign": True}, "-3.5"),
        (math.nan, "share", {}, "n/a"),
        (None, "", {"missing": "–"}, "–"),
        (math.inf, "", {"sign": True}, "+∞"),
        ("text", "", {}, "text"),
        (True, "", {}, "True"),
    ],
)
def test_number_forms(x, unit, kwargs, expected) -> None:
    assert number(x, unit, **kwargs) == expected


@given(st.integers(min_value=1000, max_value=9999))
def test_a_year_never_has_a_thousands_separator(year: int) -> None:
    assert number(year, "year") == str(year) == number(float(year), "year")


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_every_finite_number_reads_back_close(x: float) -> None:
    text = number(x)
    back = float(text.replace(",", ""))
    assert back == pytest.approx(x, rel=5e-3, abs=0.5 if abs(x) >= 100 else 5e-3 * abs(x) + 1e-300)


def test_interval_is_mean_and_5th_to_95th_percentile_without_nan() -> None:
    values = np.array([*range(21), np.nan], dtype=float)  # 0..20 and one missing
    mean, lo, hi, n = interval(values)
    assert (mean, lo, hi, n) == (10.0, 1.0, 19.0, 21)
    assert percentiles() == (5.0, 95.0) and percentiles(0.5) == (25.0, 75.0)
    assert interval(values, level=0.5)[1:3] == (5.0, 15.0)
    none = interval([math.nan, math.nan])
    assert math.isnan(none.mean) and math.isnan(none.lo) and none.n == 0
    with pytest.raises(ValueError, match=r"level must lie in \(0, 1\)"):
        interval(values, level=90)


def test_interval_by_column_matches_numpy_and_tolerates_missing_values() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(30, 4))
    got = interval(x, axis=0)
    np.testing.assert_array_equal(got.mean, x.mean(axis=0))
    np.testing.assert_array_equal(got.lo, np.percentile(x, 5, axis=0))
    np.testing.assert_array_equal(got.hi, np.percentile(x, 95, axis=0))
    assert got.n.tolist() == [30] * 4
    x[:, 1] = np.nan
    x[0, 2] = np.nan
    gaps = interval(x, axis=0)
    assert np.isnan(gaps.mean[1]) and np.isnan(gaps.lo[1]) and gaps.n.tolist() == [30, 0, 29, 30]
    assert gaps.mean[2] == pytest.approx(x[1:, 2].mean())
    assert gaps.hi[0] == got.hi[0]
