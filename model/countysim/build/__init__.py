"""Building a county's population at the start: synthesis, microdata, the shared start state.

``build_population`` makes the persons and households (synthesised from the profile's marginals
or read from a microdata file) and fills the start state both sources share. Every draw comes
from a named set-up stream (month ``-1``), declared in ``SETUP_STREAMS``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from countysim.population.state import Population
    from countysim.rng import Streams
    from countysim.scenario import Scenario

_SYNTH = {
    "two_workers": "whether a household has two workers (a couple)",
    "children": "a household's number of dependent children",
    "elder": "whether a household has a co-registered elder",
    "two_elders": "whether an elder household has two elders",
    "age_band": "the first worker's age band",
    "age_within": "the first worker's age within the band",
    "spouse_gap": "a spouse's age gap to the first worker (normal score)",
    "child_edu": "a child's planned final education",
    "child_age": "a child's age",
    "elder_age": "an elder's age",
    "sex": "a lone worker's sex, and a child's or elder's",
    "edu": "a worker's education (copula latent)",
    "elder_edu": "an elder's education",
    "skill": "a worker's skill level (copula latent)",
    "poverty": "a household's poverty-alleviated status (copula latent)",
    "craftsman": "whether a worker aged 35+ is a rural craftsman",
    "willing": "whether a person is willing to train",
    "job": "a worker's job at the start (copula latent)",
    "sector": "a worker's sector at the start",
    "tenure": "months in the job at the start",
    "child_follows": "whether out-migrant parents' children live with them",
    "wage_effect": "a person's lasting log-wage effect (normal score)",
    "savings": "a household's savings at the start",
    "village": "a household's home village",
    "awareness": "a household's awareness of each service at the start",
}
_INITIAL = {
    "contract": "whether an employee holds a written contract at the start",
    "insurance": "an employee's enrolment in each of the four insurances at the start",
    "housing": "a town household's housing at the start (owned, dormitory, rent; lot for affordable units)",
    "land": "the value of a household's rural land rights",
    "settle_open": "whether a household would consider settling in the county town at all",
    "settle_taste": "a household's lasting taste for settling (normal score)",
}
_MICRODATA = {
    "willing": "willingness to train where the file does not say",
    "sector": "the sector where the file leaves it blank",
    "wage_a": "a person's lasting log-wage effect (first uniform of a Box-Muller pair)",
    "wage_b": "a person's lasting log-wage effect (second uniform of a Box-Muller pair)",
}
#: every set-up stream of the builders, full name → what it decides
SETUP_STREAMS: dict[str, str] = {
    **{f"synth.{k}": v for k, v in _SYNTH.items()},
    **{f"initial.{k}": v for k, v in _INITIAL.items()},
    **{f"microdata.{k}": v for k, v in _MICRODATA.items()},
}


def build_population(scenario: Scenario, streams: Streams) -> Population:
    """The county's persons and households at the start: synthesised or read, then initialised."""
    from countysim.build.initial import initialise
    from countysim.build.microdata import load_microdata
    from countysim.build.synthesis import synthesize

    if scenario.population.source == "microdata":
        pop = load_microdata(scenario.population.path, scenario, streams)
    else:
        pop = synthesize(scenario, streams)
    initialise(pop, scenario, streams)
    return pop
