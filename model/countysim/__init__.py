"""countysim: an agent-based simulation of county migrant-worker citizenization in China.

The public API::

    import countysim as cs
    scenario = cs.load_scenario("scenarios/baseline.toml")
    result = cs.run(scenario, seed=1)
    result.to_frame()
    ensemble = cs.load_ensemble("calibrations/nbs_2019_2022.csv")   # a posterior ensemble
    ensemble.frame()                                                # parameter sets and weights
"""

from typing import TYPE_CHECKING

from countysim.version import package_version

__version__ = package_version()

#: the public names and the modules that define them, imported on first use (PEP 562), so that
#: ``countysim --help`` and a pool's workers do not pay for SciPy, pandas and Mesa up front
_LAZY = {
    "assess": ("countysim.assessment", "assess"),
    "load_targets": ("countysim.assessment", "load_targets"),
    "calibrate": ("countysim.calibration", "calibrate"),
    "load_ensemble": ("countysim.calibration", "load_ensemble"),
    "compare": ("countysim.experiments.compare", "compare"),
    "sweep": ("countysim.experiments.sweep", "run_sweep"),
    "CATALOGUE": ("countysim.indicators", "CATALOGUE"),
    "CountyModel": ("countysim.model", "CountyModel"),
    "run": ("countysim.model", "run"),
    "LEVERS": ("countysim.policy.levers", "LEVERS"),
    "needs_table": ("countysim.resources", "needs_table"),
    "RunResult": ("countysim.results", "RunResult"),
    "Scenario": ("countysim.scenario", "Scenario"),
    "ScenarioError": ("countysim.scenario", "ScenarioError"),
    "load_scenario": ("countysim.scenario", "load"),
}

if TYPE_CHECKING:
    from countysim.assessment import assess, load_targets
    from countysim.calibration import calibrate, load_ensemble
    from countysim.experiments.compare import compare
    from countysim.experiments.sweep import run_sweep as sweep
    from countysim.indicators import CATALOGUE
    from countysim.model import CountyModel, run
    from countysim.policy.levers import LEVERS
    from countysim.resources import needs_table
    from countysim.results import RunResult
    from countysim.scenario import Scenario, ScenarioError
    from countysim.scenario import load as load_scenario


def __getattr__(name: str):
    """A public name, or a submodule (``countysim.indicators``), imported when first asked for."""
    import importlib

    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "CATALOGUE",
    "LEVERS",
    "CountyModel",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "__version__",
    "assess",
    "calibrate",
    "compare",
    "load_ensemble",
    "load_scenario",
    "load_targets",
    "needs_table",
    "run",
    "sweep",
]
