"""Named random streams with common random numbers.

Every random decision draws from a *named* stream (``"labour.separation"``), and every draw
returns one number per person (or household) *slot* for the current month. A stream's numbers for
month ``t`` depend only on (root seed, stream name, t) — not on how many numbers other phases drew,
nor on which persons are eligible. Changing a policy therefore leaves the random numbers of
unrelated decisions untouched, so two scenarios run on the same seed differ by the policy,
not by reshuffled luck (common random numbers; Klein et al. 2024, arXiv:2409.02086, the
approach of Starsim's ``ss.Dist``).

Persons keep their slot for life, and newborns take fresh slots in a deterministic order,
so person ``i``'s draws are the same across scenarios.

Streams are declared: each phase of the month names the streams it draws from and the decision
each one serves (``Phase.streams``), the population builders theirs (``SETUP_STREAMS``), and a
run's ``Streams`` refuses a name nobody declared. A *monthly* stream serves one decision, so it
is drawn at most once a month; a *trait* stream (month ``t = -1``) is a lasting personal draw
(a trade, a family preference) that may be read again every month.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import numpy as np

#: month index of set-up and lasting-trait draws
TRAIT = -1


def stream_key(name: str) -> int:
    """A stable 64-bit integer for a stream name (independent of Python's hash seed)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little")


class StreamError(RuntimeError):
    """A draw from a stream nobody declared, or a monthly stream drawn twice in one month."""


class Streams:
    """The random streams of one run.

    Args:
        seed: the run's root seed (non-negative integer).
        registry: every stream that may be drawn, name → the decision it serves (``None``: any
            name, no checks — for tests of single rules).
    """

    def __init__(self, seed: int, registry: Mapping[str, str] | None = None) -> None:
        if seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed}")
        self.seed = int(seed)
        self.registry = None if registry is None else dict(registry)
        self._drawn: set[tuple[str, int]] = set()
        #: names of the streams drawn from so far
        self.used: set[str] = set()

    def _check(self, name: str, t: int) -> None:
        if self.registry is None:
            return
        self.used.add(name)
        if name not in self.registry:
            raise StreamError(f"random stream {name!r} is not declared by any phase or builder")
        if t != TRAIT:
            if (name, t) in self._drawn:
                raise StreamError(
                    f"random stream {name!r} drawn twice in month {t}: each decision needs its own stream"
                )
            self._drawn.add((name, t))

    def generator(self, name: str, t: int) -> np.random.Generator:
        """The generator of stream ``name`` in month ``t`` (``t = -1`` for set-up draws)."""
        self._check(name, t)
        seq = np.random.SeedSequence([self.seed, stream_key(name), t + 1])
        return np.random.Generator(np.random.PCG64(seq))

    def uniform(self, name: str, t: int, slots: int | np.ndarray, k: int | None = None) -> np.ndarray:
        """Uniform [0, 1) draws: for slots ``0 .. slots - 1`` (an int), or for the slots in an array.

        With ``k``, ``k`` numbers per slot: shape ``(n, k)``. Slot ``i`` gets the same number(s)
        whatever other slots are asked for, so a population that grows by births keeps its
        earlier persons' draws, and drawing for a subset gives that subset's numbers.
        """
        if isinstance(slots, int | np.integer):
            n, idx = int(slots), None
        else:
            idx = np.asarray(slots)
            n = int(idx.max()) + 1 if len(idx) else 0
        gen = self.generator(name, t)
        values = gen.random(n if k is None else (n, k))
        return values if idx is None else values[idx]

    def normal(self, name: str, t: int, n_slots: int) -> np.ndarray:
        """Standard normal draws, one per slot."""
        return self.generator(name, t).standard_normal(n_slots)
