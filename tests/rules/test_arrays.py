"""The array helpers every rule uses."""

import numpy as np

from countysim.rules.arrays import count_this_month, pick_lowest


def test_count_this_month_adds_up_to_the_year():
    for per_year in (0, 5, 1500, 12_345.6):
        assert sum(count_this_month(per_year, t) for t in range(12)) == int(per_year)


def test_pick_lowest_takes_the_smallest_draws():
    candidates = np.array([4, 7, 9, 12])
    draw = np.zeros(13)
    draw[[4, 7, 9, 12]] = [0.9, 0.1, 0.5, 0.3]
    assert sorted(pick_lowest(candidates, draw, 2)) == [7, 12]
    assert list(pick_lowest(candidates, draw, 10)) == [4, 7, 9, 12]
    assert len(pick_lowest(candidates, draw, 0)) == 0
