"""Services: awareness that gates take-up, one-stop windows, monitoring, coordination.

Clauses W4 (publicity), G2 (one-stop windows), E4 (demonstration), G4 (Spring Warmth), G1
(coordination), G3 (monitoring), O5 (awareness and take-up).

Awareness is a household state, one bit per service (``codes.SERVICE_NAMES``). A household not
aware of a service does not apply for it: training, affordable housing, school admission in town,
settlement and legal help all check the bit. Each month an unaware household learns of a service
with probability ``p_learn + publicity·w4 + windows·g2`` (plus demonstration (E4) for employment
and training, and Spring Warmth (G4) for employment and rights in the festival month).
One-stop windows also make take-up easier: ``take_up_factor`` scales application rates.

Pure functions (no model); the services phase (``countysim.phases.services``) applies the
month's learning, and the calendar phase the coordination delay.
"""

from __future__ import annotations

import numpy as np

from countysim.backend import set_bits_below
from countysim.calendar import Month
from countysim.parameters.behaviour import ServicesBehaviour
from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rng import Streams


def aware(pop: Population, service: int) -> np.ndarray:
    """Per household: aware of ``service``."""
    return (pop.aware >> service) & 1 == 1


def person_aware(pop: Population, service: int) -> np.ndarray:
    """Per person: their household is aware of ``service``."""
    return aware(pop, service)[pop.hh]


def learning_rate(beh: ServicesBehaviour, levers: dict[str, float], month: Month) -> np.ndarray:
    """Monthly probability of learning of each service (index: service code)."""
    p = np.full(len(c.SERVICE_NAMES), beh.p_learn + beh.publicity * levers["w4_publicity"])
    p += beh.windows * levers["g2_window_coverage"]
    p[[c.SV_EMPLOYMENT, c.SV_TRAINING]] += beh.demonstration * levers["e4_demonstration"]
    if month.spring_festival:
        p[[c.SV_EMPLOYMENT, c.SV_RIGHTS]] += beh.spring_warmth * levers["g4_spring_warmth"]
    return np.minimum(p, 1.0)


def take_up_factor(beh: ServicesBehaviour, levers: dict[str, float]) -> float:
    """Multiplier on application rates from one-stop windows (G2)."""
    return 1.0 + beh.window_take_up * levers["g2_window_coverage"]


def coordination_delay(beh: ServicesBehaviour, g1: float) -> int:
    """Months by which levers act late: the full delay without a coordination body (G1)."""
    return round((1.0 - g1) * beh.coordination_delay_months)


def initial_awareness(pop: Population, beh: ServicesBehaviour, streams: Streams) -> None:
    """Set each household's awareness bits at the start from the profile's shares."""
    u = streams.uniform("synth.awareness", -1, pop.n_households, len(c.SERVICE_NAMES))
    shares = np.array([beh.initial_awareness[name] for name in c.SERVICE_NAMES])
    bits = (u < shares).astype(np.uint8) << np.arange(len(c.SERVICE_NAMES), dtype=np.uint8)
    pop.aware[:] = bits.sum(axis=1).astype(np.uint8)


def learn(pop: Population, p: np.ndarray, u: np.ndarray) -> None:
    """Households learn of each service with probability ``p[service]``, drawing ``u`` (H × services)."""
    set_bits_below(pop.aware, u, p)
