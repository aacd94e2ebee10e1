"""The 5-county example province, tiny and short, run once for the province tests."""

from __future__ import annotations

import dataclasses

import pytest

from countysim.experiments import InlineExecutor
from countysim.province import load_province, run_province
from countysim.store import ResultsStore

from helpers import ROOT

EXAMPLE = ROOT / "provinces" / "example5.toml"
#: the example at 2 % of its size (900 to 2,600 households a county), 13 months (to 2024-01)
SCALE, MONTHS, REPS = 0.02, 13, 3


@pytest.fixture(scope="session")
def example():
    """The example province, tiny."""
    return dataclasses.replace(load_province(EXAMPLE), scale=SCALE, months=MONTHS)


@pytest.fixture(scope="session")
def example_store(example, tmp_path_factory):
    """A SQLite store holding every run of the tiny example (inline, in this process)."""
    path = tmp_path_factory.mktemp("province") / "store.db"
    store = ResultsStore(f"sqlite:///{path}")
    done = run_province(example, REPS, store=store, executor=InlineExecutor())
    assert not done.failures and done.done == len(example.counties) * len(example.packages) * REPS
    yield store
    store.close()
