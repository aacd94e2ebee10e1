"""Shared fixtures: the baseline scenario and a small county that runs in a second or two."""

from __future__ import annotations

import pytest

import countysim as cs

from helpers import BASELINE, small


@pytest.fixture(scope="session")
def baseline() -> cs.Scenario:
    return cs.load_scenario(BASELINE)


@pytest.fixture(scope="session")
def small_baseline(baseline) -> cs.Scenario:
    return small(baseline)


@pytest.fixture()
def tiny(tmp_path):
    """A 1,500-household county file extending the baseline (for command-line tests)."""
    p = tmp_path / "tiny.toml"
    p.write_text(f'extends = "{BASELINE.as_posix()}"\nname = "tiny"\n[county.households]\nn = 1500\n')
    return p
