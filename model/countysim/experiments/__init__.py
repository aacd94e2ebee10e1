"""Experiments: many runs on any executor, streamed to one writer, resumable."""

from countysim.experiments.compare import ComparisonResult
from countysim.experiments.designs import Design, make_design
from countysim.experiments.runner import (
    Failure,
    InlineExecutor,
    RunSpec,
    WorkersLost,
    default_executor,
    load_results,
    replicate,
    run_experiment,
)
from countysim.experiments.sensitivity import analyse_sweep
from countysim.experiments.sweep import Sweep, SweepError, load_sweep, run_sweep

__all__ = [
    "ComparisonResult",
    "Design",
    "Failure",
    "InlineExecutor",
    "RunSpec",
    "Sweep",
    "SweepError",
    "WorkersLost",
    "analyse_sweep",
    "default_executor",
    "load_results",
    "load_sweep",
    "make_design",
    "replicate",
    "run_experiment",
    "run_sweep",
]
