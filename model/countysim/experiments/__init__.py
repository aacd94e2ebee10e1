"""Experiments: many runs on any executor, streamed to one writer, resumable."""

from countysim.experiments.runner import (
    Failure,
    InlineExecutor,
    RunSpec,
    default_executor,
    load_results,
    replicate,
    run_experiment,
)

__all__ = [
    "Failure",
    "InlineExecutor",
    "RunSpec",
    "default_executor",
    "load_results",
    "replicate",
    "run_experiment",
]
