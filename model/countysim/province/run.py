"""Run a province: every (county, package, replication) a task of one experiment, streamed to the store.

The runs of a province form ONE store experiment, ``province:<name>``, run by the experiment
runner (``run_experiment``) on any executor: the local process pool or a Dask cluster. Runs are
submitted ``CHUNK_RUNS`` at a time, each chunk's scenarios built just before, so the driver holds
one chunk of scenarios and results, never the province's; every finished run is stored as it
arrives (in batches), so a ``kill -9`` loses only the runs in flight and a rerun does only what is
missing (runs are keyed by scenario hash and seed).

Replication ``r`` of a county runs on its ``r``-th seed spawned from the province seed
(``spec.county_seeds``), the same for every package: the packages pair county by county.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field

from countysim.experiments.runner import Failure, RunSpec, default_executor, run_experiment
from countysim.province.spec import County, Province

#: runs submitted to the executor at a time (their scenarios are built just before)
CHUNK_RUNS = 128


@dataclass
class ProvinceRun:
    """What :func:`run_province` did: runs done now, skipped as stored, and failures."""

    done: int = 0
    skipped: int = 0
    failures: list[Failure] = field(default_factory=list)
    total: int = 0


def county_specs(province: Province, county: County, reps: int, seed: int | None = None) -> list[RunSpec]:
    """The runs of one county: every package on the county's spawned seeds."""
    seeds = province.seeds(county, reps, seed)
    specs = []
    for package in province.packages:
        scenario = province.county_scenario(county, package)
        meta = {"province": province.name, "county": county.name, "package": package.name}
        specs += [RunSpec(scenario, s, {**meta, "replicate": r}) for r, s in enumerate(seeds)]
    return specs


def iter_chunks(
    province: Province, reps: int, seed: int | None = None, chunk_runs: int = CHUNK_RUNS
) -> Iterator[list[RunSpec]]:
    """The province's runs, about ``chunk_runs`` at a time (whole counties), built lazily."""
    chunk: list[RunSpec] = []
    for county in province.counties:
        chunk += county_specs(province, county, reps, seed)
        if len(chunk) >= chunk_runs:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def description(province: Province, reps: int, seed: int | None) -> dict:
    """What the experiment stores about the province (JSON)."""
    return {
        "province": province.name, "file": province.source_file, "reps": reps,
        "seed": province.seed if seed is None else seed, "months": province.months, "scale": province.scale,
        "counties": len(province.counties), "key_assisted": len(province.key_assisted),
        "packages": [p.name for p in province.packages],
    }  # fmt: skip


def run_province(
    province: Province,
    reps: int,
    store=None,
    executor: Executor | None = None,
    seed: int | None = None,
    progress: bool = False,
    chunk_runs: int = CHUNK_RUNS,
) -> ProvinceRun:
    """Run every county under every package, ``reps`` replications each, into ``store``.

    Args:
        province: from ``load_province``.
        reps: replications per county and package.
        store: a ``ResultsStore`` (stored runs are skipped); ``None`` runs without keeping results.
        executor: any ``concurrent.futures.Executor`` (default: a local process pool).
        seed: the province seed (default: the file's).
        progress: a progress bar per chunk of runs.
        chunk_runs: runs submitted at a time.

    Returns:
        A :class:`ProvinceRun` (counts only: the results are in the store).

    Raises:
        StoreError, WorkersLost, OtherCode, Interrupted: as ``run_experiment`` (the runs finished
            before are stored).
    """
    if reps < 1:
        raise ValueError(f"reps must be at least 1, got {reps}")
    own = executor is None
    pool = default_executor() if own else executor
    out = ProvinceRun()
    info = description(province, reps, seed)
    try:
        for chunk in iter_chunks(province, reps, seed, chunk_runs):
            results, failures = run_experiment(
                province.experiment, chunk, store=store, executor=pool, kind="province",
                description=info, progress=progress,
            )  # fmt: skip
            keys = {s.key for s in chunk}
            out.total += len(keys)
            out.done += len(results)
            out.failures += failures
            out.skipped += len(keys) - len(results) - len(failures)
            del results
    finally:
        if own:
            pool.shutdown(cancel_futures=True)
    return out
