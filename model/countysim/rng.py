"""Named random streams with common random numbers.

Every random decision draws from a *named* stream (``"labour.separation"``), and every draw
returns one number per person *slot* for the current month. A stream's numbers for month
``t`` depend only on (root seed, stream name, t) — not on how many numbers other phases drew,
nor on which persons are eligible. Changing a policy therefore leaves the random numbers of
unrelated decisions untouched, so two scenarios run on the same seed differ by the policy,
not by reshuffled luck (common random numbers; Klein et al. 2024, arXiv:2409.02086, the
approach of Starsim's ``ss.Dist``).

Persons keep their slot for life, and newborns take fresh slots in a deterministic order,
so person ``i``'s draws are the same across scenarios.
"""

from __future__ import annotations

import hashlib

import numpy as np


def stream_key(name: str) -> int:
    """A stable 64-bit integer for a stream name (independent of Python's hash seed)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little")


class Streams:
    """The random streams of one run.

    Args:
        seed: the run's root seed (non-negative integer).
    """

    def __init__(self, seed: int) -> None:
        if seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed}")
        self.seed = int(seed)

    def generator(self, name: str, t: int) -> np.random.Generator:
        """The generator of stream ``name`` in month ``t`` (``t = -1`` for set-up draws)."""
        seq = np.random.SeedSequence([self.seed, stream_key(name), t + 1])
        return np.random.Generator(np.random.PCG64(seq))

    def uniform(self, name: str, t: int, n_slots: int, k: int | None = None) -> np.ndarray:
        """Uniform [0, 1) draws, one per slot (``k`` per slot when given: shape ``(n, k)``).

        Slot ``i`` gets the same number whatever ``n_slots`` is, as long as ``i < n_slots``,
        so a population that grows by births keeps its earlier persons' draws.
        """
        gen = self.generator(name, t)
        shape = n_slots if k is None else (n_slots, k)
        return gen.random(shape)

    def normal(self, name: str, t: int, n_slots: int) -> np.ndarray:
        """Standard normal draws, one per slot."""
        return self.generator(name, t).standard_normal(n_slots)
