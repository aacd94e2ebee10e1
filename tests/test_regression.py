"""Results have not changed since the baseline was last updated on purpose (tests/regression.py)."""

import json

import pytest

from regression import FILE, compute


def test_matches_regression_baseline():
    stored = json.loads(FILE.read_text())
    now = compute()
    assert set(now) == set(stored)
    for case, values in now.items():
        missing = set(stored[case]) - set(values)
        assert not missing, f"{case}: indicators gone: {missing}"
        for name, value in values.items():
            if name not in stored[case]:
                continue  # a new indicator: update the baseline to cover it
            assert value == pytest.approx(stored[case][name], rel=1e-9, abs=1e-9), (
                f"{case}.{name}: {value} != stored {stored[case][name]}; if the change is intended, "
                "run `uv run python tests/regression.py` and commit the new baseline"
            )
