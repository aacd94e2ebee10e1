"""Calibration recovers known parameters from simulated data, and follows the data when it moves."""

from __future__ import annotations

import numpy as np
import pytest
from calib_helpers import PRIORS, TRUTH, observe, write_calibration

from countysim.calibration import calibrate, posterior_table
from countysim.calibration.ensemble import weighted_quantile
from countysim.experiments.runner import InlineExecutor


@pytest.fixture(scope="module")
def executor():
    # in this process: the tests time the sampler, not a pool's start (the command tests use a pool)
    return InlineExecutor()


@pytest.fixture(scope="module")
def observed():
    return observe(TRUTH)


@pytest.fixture(scope="module")
def recovered(tmp_path_factory, observed, executor):
    path = write_calibration(tmp_path_factory.mktemp("recovery"), observed)
    return calibrate(path, executor=executor)


def test_true_values_inside_the_90_percent_posterior_intervals(recovered):
    table = posterior_table(recovered.ensemble).set_index("parameter")
    for path, value in TRUTH.items():
        lo, hi = table.loc[path, "lo"], table.loc[path, "hi"]
        assert lo <= value <= hi, f"{path}: true {value} outside the 90 % posterior interval [{lo}, {hi}]"


def test_posterior_narrower_than_prior_for_the_informed_parameters(recovered):
    ensemble = recovered.ensemble
    # the jobless rate informs the chance of finding an outside job strongly: half the prior's width at
    # most. The local matching efficiency is barely identified by these targets: its posterior's 90 %
    # width came out at 0.91 and 1.03 of the prior's on two machines (the sampler's covariance
    # arithmetic differs in its last bits between CPUs), so only its coverage of the true value is
    # asserted (the test above)
    most = {"behaviour.labour.p_find_outside": 0.5}
    for path, (lo, hi) in PRIORS.items():
        if path not in most:
            continue
        p_lo, p_hi = weighted_quantile(ensemble.parameters[path].to_numpy(), ensemble.weights, [0.05, 0.95])
        prior_width = 0.9 * (hi - lo)  # the central 90 % of the uniform prior
        assert p_hi - p_lo < most[path] * prior_width, f"{path}: posterior {p_lo}-{p_hi} too wide"
    # the sampler went below its first threshold and kept a usable population
    eps = recovered.generations["epsilon"].to_numpy()
    assert np.isinf(eps[0]) and np.all(np.diff(eps[1:]) <= 0) and len(eps) == 3
    assert ensemble.effective_size() > 5


def test_a_wrong_observation_moves_the_posterior_the_right_way(tmp_path, observed, recovered, executor):
    # a higher jobless rate than the county at the true values reports: fewer out-of-county jobs found
    wrong = dict(observed)
    wrong["jobless_rate@2019"] = observed["jobless_rate@2019"] + 0.02
    path = write_calibration(tmp_path, wrong, name="wrong-jobless")
    moved = calibrate(path, executor=executor).ensemble
    key = "behaviour.labour.p_find_outside"
    before = np.average(recovered.ensemble.parameters[key], weights=recovered.ensemble.weights)
    after = np.average(moved.parameters[key], weights=moved.weights)
    assert after < before - 0.03, f"p_find_outside moved from {before:.3f} to {after:.3f}, not down"
    # and the fitted model follows the wrong figure up
    fitted = np.average(moved.statistics["jobless_rate@2019"], weights=moved.weights)
    assert fitted > observed["jobless_rate@2019"] + 0.01
