"""Designs: sizes, bounds, reproducibility, and the SALib layouts the analyses expect."""

from __future__ import annotations

import numpy as np
import pytest

from countysim.experiments.designs import DESIGNS, Design, grid, lhs, make_design, n_points

BOUNDS = [(0.0, 1.0), (-8.0, -5.0), (5000.0, 30000.0)]
NAMES = ["a", "b", "c"]


def test_grid_is_every_combination_of_evenly_spaced_values() -> None:
    x = grid(BOUNDS[:2], 4)
    assert x.shape == (16, 2) == (n_points("grid", 4, 2), 2)
    np.testing.assert_allclose(np.unique(x[:, 0]), [0, 1 / 3, 2 / 3, 1])
    np.testing.assert_allclose(np.unique(x[:, 1]), [-8, -7, -6, -5])
    assert len({tuple(r) for r in x}) == 16  # no combination twice
    assert (x[:4, 0] == 0).all() and len(set(x[:4, 1])) == 4  # the first parameter varies slowest


def test_grid_of_one_point_is_the_lower_bound() -> None:
    np.testing.assert_array_equal(grid(BOUNDS, 1), [[0.0, -8.0, 5000.0]])


@pytest.mark.parametrize("kind", DESIGNS)
def test_shape_and_bounds(kind: str) -> None:
    d = make_design(kind, NAMES, BOUNDS, 8, seed=5)
    assert d.samples.shape == (n_points(kind, 8, 3), 3)
    lo, hi = np.array(BOUNDS).T
    assert (d.samples >= lo).all() and (d.samples <= hi).all()
    for j in range(3):  # the design spreads over each range, not into a corner
        assert np.ptp(d.samples[:, j]) > 0.5 * (hi[j] - lo[j])


@pytest.mark.parametrize("kind", ["lhs", "sobol", "morris"])
def test_same_seed_same_design_other_seed_other_design(kind: str) -> None:
    a = make_design(kind, NAMES, BOUNDS, 8, seed=11)
    b = make_design(kind, NAMES, BOUNDS, 8, seed=11)
    c = make_design(kind, NAMES, BOUNDS, 8, seed=12)
    np.testing.assert_array_equal(a.samples, b.samples)
    assert not np.array_equal(a.samples, c.samples)


def test_lhs_puts_one_point_in_each_stratum() -> None:
    n = 20
    x = lhs([(0.0, 1.0), (10.0, 30.0)], n, seed=3)
    for j, (lo, hi) in enumerate([(0.0, 1.0), (10.0, 30.0)]):
        strata = np.floor((x[:, j] - lo) / (hi - lo) * n).astype(int)
        assert sorted(strata) == list(range(n))


def test_sobol_is_saltelli_layout() -> None:
    """Rows come in blocks of 2D + 2: A, then A with one column from B, ..., then B."""
    d = make_design("sobol", NAMES, BOUNDS, 4, seed=2)
    blocks = d.samples.reshape(4, 2 * 3 + 2, 3)
    a, b = blocks[:, 0], blocks[:, -1]
    for j in range(3):
        ab = blocks[:, 1 + j]
        np.testing.assert_array_equal(ab[:, j], b[:, j])
        np.testing.assert_array_equal(np.delete(ab, j, axis=1), np.delete(a, j, axis=1))


def test_morris_trajectories_move_one_parameter_at_a_time_on_the_levels() -> None:
    d = make_design("morris", NAMES, BOUNDS, 5, seed=4, levels=4)
    lo, hi = np.array(BOUNDS).T
    unit = (d.samples - lo) / (hi - lo)
    np.testing.assert_allclose(unit * 3, np.round(unit * 3), atol=1e-9)  # on the 4-level grid
    for traj in d.samples.reshape(5, 4, 3):
        steps = np.diff(traj, axis=0) != 0
        assert (steps.sum(axis=1) == 1).all() and steps.any(axis=0).all()


def test_round_trip_through_json_form() -> None:
    import json

    d = make_design("sobol", NAMES, BOUNDS, 8, seed=9)
    back = Design.from_dict(json.loads(json.dumps(d.to_dict())))
    assert back.kind == "sobol" and back.names == tuple(NAMES) and back.bounds == tuple(BOUNDS)
    np.testing.assert_array_equal(back.samples, d.samples)
    assert back.problem()["bounds"] == [list(b) for b in BOUNDS]


@pytest.mark.parametrize(
    ("kind", "bounds", "points", "match"),
    [
        ("halton", BOUNDS, 4, "unknown design 'halton'; allowed: grid, lhs, sobol, morris"),
        ("lhs", [(0.0, 1.0), (2.0, 2.0), (5.0, 6.0)], 4, "lower bound must be below"),
        ("grid", BOUNDS, 0, "points must be at least 1"),
    ],
)
def test_bad_arguments(kind, bounds, points, match) -> None:
    with pytest.raises(ValueError, match=match):
        make_design(kind, NAMES, bounds, points, seed=1)


SWITCH = [None, (0.0, 1.0), None]


def test_a_grid_takes_each_value_of_a_categorical_parameter_once() -> None:
    x = grid([*BOUNDS[:2], (0.0, 1.0)], 3, [None, None, (0.0, 1.0)])
    assert x.shape == (3 * 3 * 2, 3) == (n_points("grid", 3, 3, [None, None, (0.0, 1.0)]), 3)
    assert set(x[:, 2]) == {0.0, 1.0} and set(x[:, 0]) == {0.0, 0.5, 1.0}


@pytest.mark.parametrize("kind", ["lhs", "sobol", "morris"])
def test_other_designs_map_the_unit_interval_to_off_below_one_half(kind: str) -> None:
    d = make_design(kind, NAMES, [(0, 1), (0, 1), (5000, 30000)], 16, seed=3, categories=SWITCH)
    plain = make_design(kind, NAMES, [(0, 1), (0, 1), (5000, 30000)], 16, seed=3)
    np.testing.assert_array_equal(d.samples[:, 1], (plain.samples[:, 1] >= 0.5).astype(float))
    np.testing.assert_array_equal(d.samples[:, [0, 2]], plain.samples[:, [0, 2]])  # the others unchanged
    if kind == "lhs":
        assert d.samples[:, 1].sum() == 8  # each value equally often


def test_odd_morris_levels_and_bad_categories_are_refused() -> None:
    with pytest.raises(ValueError, match="needs an even number of Morris levels"):
        make_design("morris", NAMES, BOUNDS, 4, seed=1, levels=5, categories=SWITCH)
    with pytest.raises(ValueError, match="two or more increasing values"):
        make_design("lhs", NAMES, BOUNDS, 4, seed=1, categories=[None, (1.0,), None])


def test_categories_and_samples_round_trip_and_old_lists_are_read() -> None:
    import json

    d = make_design("morris", NAMES, BOUNDS, 4, seed=9, categories=SWITCH)
    data = json.loads(json.dumps(d.to_dict()))
    back = Design.from_dict(data)
    assert back.categorical(1) == (0.0, 1.0) and back.categorical(0) is None and back.levels == 4
    np.testing.assert_array_equal(back.samples, d.samples)
    old = Design.from_dict({**data, "samples": d.samples.tolist(), "categories": None})
    np.testing.assert_array_equal(old.samples, d.samples)
    assert old.categories == ()
