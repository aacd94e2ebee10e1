"""The driver's memory does not grow with the number of counties: it holds a chunk, not the province."""

from __future__ import annotations

import dataclasses
import gc
import tracemalloc
from concurrent.futures import Executor, Future

import pytest

from conftest import REPS
from countysim.experiments.runner import load_results
from countysim.province import roll_up, run_province
from countysim.province.spec import County
from countysim.store import ResultsStore

#: runs submitted at a time here: two counties (2 packages × 1 replication each)
CHUNK_RUNS = 4


class TemplateExecutor(Executor):
    """Returns, for each run, a stored run's result under the run's own scenario and seed (no model)."""

    def __init__(self, template, fingerprint: str) -> None:
        self.template, self.fingerprint = template, fingerprint

    def submit(self, fn, spec):
        future: Future = Future()
        future.set_result(
            dataclasses.replace(
                self.template,
                scenario_name=spec.scenario.name,
                scenario_hash=spec.scenario.content_hash(),
                seed=spec.seed,
                values=self.template.values.copy(),
                scenario_json=spec.scenario.to_json(),
                meta=dict(spec.meta),
                code_fingerprint=self.fingerprint,
            )
        )
        return future


def _province(example, n: int):
    """The example's counties repeated to ``n`` counties, each its own name."""
    base = example.counties
    counties = tuple(
        County(
            f"{base[k % len(base)].name}{k}", base[k % len(base)].scenario, base[k % len(base)].key_assisted
        )
        for k in range(n)
    )
    return dataclasses.replace(example, counties=counties)


def _driver_memory(province, template, tmp_path) -> tuple[int, int, int]:
    """Peak and kept Python allocations of running the province, and the roll-up's peak (bytes)."""
    with ResultsStore(f"sqlite:///{tmp_path}/store.db") as store:
        executor = TemplateExecutor(template, store.fingerprint)
        gc.collect()
        tracemalloc.start()
        try:
            done = run_province(province, 1, store=store, executor=executor, chunk_runs=CHUNK_RUNS)
            gc.collect()
            kept, peak = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            rolled = roll_up(province, store, 1, with_needs=False)
            _, peak_rollup = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert done.done == len(province.counties) * len(province.packages) and not rolled.missing
    return peak, kept, peak_rollup


def test_the_drivers_memory_does_not_grow_with_the_counties(example, example_store, tmp_path) -> None:
    template = load_results(example_store, example.experiment)[0]
    assert REPS >= 1 and template.values.shape[0] == example.months
    _driver_memory(_province(example, 2), template, tmp_path / "warm")  # caches filled once
    n = 8  # a chunk is two counties; the store is read eight counties at a time
    small = _driver_memory(_province(example, n), template, tmp_path / "small")
    large = _driver_memory(_province(example, 2 * n), template, tmp_path / "large")
    # twice the counties: twice the runs stored, but the same chunk in memory (within a small margin:
    # allocators, the store's cache of statements)
    for what, a, b in zip(
        ("peak while running", "kept after running", "peak rolling up"), small, large, strict=True
    ):
        assert b <= a * 1.15 + 200_000, (
            f"{what}: {a / 1e6:.2f} MB for {n} counties, {b / 1e6:.2f} MB for {2 * n}"
        )


def test_a_dask_client_of_the_commands_keeps_a_short_log_of_what_it_sent() -> None:
    distributed = pytest.importorskip("distributed")
    from countysim.cli_common import DASK_CLIENT_LOG_MESSAGES, dask_client

    with distributed.LocalCluster(
        n_workers=1, processes=False, threads_per_worker=1, dashboard_address=None
    ) as lc:
        sent = {}
        for kind, make in (("ours", dask_client), ("distributed's default", distributed.Client)):
            with make(lc.scheduler_address) as client:
                executor = client.get_executor()
                for k in range(3 * DASK_CLIENT_LOG_MESSAGES):  # one at a time: a message each
                    assert executor.submit(pow, k, 2).result(timeout=60) == k * k
                sent[kind] = len(client.scheduler_comm.recent_message_log)
    # every message sent holds a run's pickled scenario: the default log grows with the runs submitted
    assert sent["ours"] <= DASK_CLIENT_LOG_MESSAGES < sent["distributed's default"], sent
