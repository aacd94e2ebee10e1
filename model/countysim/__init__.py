"""countysim: an agent-based simulation of county migrant-worker citizenization in China.

The public API::

    import countysim as cs
    scenario = cs.load_scenario("scenarios/baseline.toml")
    result = cs.run(scenario, seed=1)
    result.to_frame()
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("countysim")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+source"

from countysim.assessment import assess, load_targets
from countysim.experiments.compare import compare
from countysim.experiments.sweep import run_sweep as sweep
from countysim.indicators import CATALOGUE
from countysim.model import CountyModel, run
from countysim.policy.levers import LEVERS
from countysim.resources import needs_table
from countysim.results import RunResult
from countysim.scenario import Scenario, ScenarioError
from countysim.scenario import load as load_scenario

__all__ = [
    "CATALOGUE",
    "LEVERS",
    "CountyModel",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "__version__",
    "assess",
    "compare",
    "load_scenario",
    "load_targets",
    "needs_table",
    "run",
    "sweep",
]
