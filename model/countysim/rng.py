"""Named random streams with common random numbers, drawn only for the slots that decide.

Every random decision draws from a *named* stream (``"labour.separation"``), and each stream gives
every person (or household) *slot* one number for the current month. A stream's number for slot
``i`` in month ``t`` depends only on (root seed, stream name, t, i) — not on how many numbers other
phases drew, nor on which persons are eligible, nor on which other slots are asked for. Changing a
policy therefore leaves the random numbers of unrelated decisions untouched, so two scenarios run
on the same seed differ by the policy, not by reshuffled luck (common random numbers; Klein et al.
2024, arXiv:2409.02086, the approach of Starsim's ``ss.Dist``).

**The generator is counter-based.** Slot ``i``'s ``j``-th number of a stream is SplitMix64's output
for counter ``i·k + j + 1`` from the stream's key (Steele, Lea & Flood 2014, "Fast splittable
pseudorandom number generators", OOPSLA; the generator of Java's ``SplittableRandom``, which passes
TestU01's BigCrush): ``u = mix64(key + counter · γ) / 2⁶⁴`` with γ the golden-ratio increment. The
key is a 64-bit BLAKE2b hash of (root seed, stream name, month). Any number is computed on its own,
so a draw for 1 % of the slots costs 1 % of a draw for all of them (``benchmarks/bench_rng.py``
measures it against numpy's PCG64), and :meth:`Streams.chance` decides ``mask & (u < p)`` in one
compiled pass, drawing only where ``mask`` holds.

Persons keep their slot for life, and newborns take fresh slots in a deterministic order,
so person ``i``'s draws are the same across scenarios.

Streams are declared: each phase of the month names the streams it draws from and the decision
each one serves (``Phase.streams``), the population builders theirs (``SETUP_STREAMS``), and a
run's ``Streams`` refuses a name nobody declared. A *monthly* stream serves one decision, so it
is drawn at most once a month; a *trait* stream (month ``t = -1``) is a lasting personal draw
(a trade, a family preference) that may be read again every month.

``Streams(..., generator="pcg64")`` gives the generator of earlier versions (a PCG64 stream per
(seed, name, month), drawn for every slot up to the highest asked for): the reference against
which ``tests/test_rng_equivalence.py`` checks that the headline results agree statistically.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from types import ModuleType

import numpy as np

#: month index of set-up and lasting-trait draws
TRAIT = -1

#: the generators a run can use: the counter-based default and the earlier reference
GENERATORS = ("splitmix64", "pcg64")
#: the generator a run uses unless told otherwise
DEFAULT_GENERATOR = "splitmix64"


def kernels() -> ModuleType:
    """The compiled kernels (``countysim.kernels``), imported on first use.

    Importing the model (``countysim --help``, a pool worker's start) does not pay for numba
    until the first draw.
    """
    from countysim import kernels as k

    return k


def stream_key(name: str) -> int:
    """A stable 64-bit integer for a stream name (independent of Python's hash seed)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little")


def draw_key(seed: int, name: str, t: int) -> np.uint64:
    """The 64-bit key of stream ``name`` in month ``t`` of a run with root ``seed``."""
    data = f"{int(seed)}\x00{name}\x00{int(t)}".encode()
    return np.uint64(int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little"))


class StreamError(RuntimeError):
    """A draw from a stream nobody declared, or a monthly stream drawn twice in one month."""


class Streams:
    """The random streams of one run.

    Args:
        seed: the run's root seed (non-negative integer).
        registry: every stream that may be drawn, name → the decision it serves (``None``: any
            name, no checks — for tests of single rules).
        generator: ``"splitmix64"`` (counter-based) or ``"pcg64"`` (the earlier reference
            generator); ``DEFAULT_GENERATOR`` unless given.
    """

    def __init__(
        self, seed: int, registry: Mapping[str, str] | None = None, generator: str = DEFAULT_GENERATOR
    ) -> None:
        if seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed}")
        if generator not in GENERATORS:
            raise ValueError(f"unknown generator {generator!r}; choose one of {', '.join(GENERATORS)}")
        self.seed = int(seed)
        self.kind = generator
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

    def _pcg(self, name: str, t: int) -> np.random.Generator:
        seq = np.random.SeedSequence([self.seed, stream_key(name), t + 1])
        return np.random.Generator(np.random.PCG64(seq))

    def generator(self, name: str, t: int) -> np.random.Generator:
        """A numpy generator for stream ``name`` in month ``t``.

        For draws that are not per slot (the attributes of this month's newborns, in their order).
        """
        self._check(name, t)
        if self.kind == "pcg64":
            return self._pcg(name, t)
        return np.random.Generator(np.random.PCG64(int(draw_key(self.seed, name, t))))

    def uniform(self, name: str, t: int, slots: int | np.ndarray, k: int | None = None) -> np.ndarray:
        """Uniform [0, 1) draws: for slots ``0 .. slots - 1`` (an int), or for the slots in an array.

        With ``k``, ``k`` numbers per slot: shape ``(n, k)``. Slot ``i`` gets the same number(s)
        whatever other slots are asked for, so a population that grows by births keeps its
        earlier persons' draws, and drawing for a subset gives that subset's numbers at the cost
        of the subset.
        """
        self._check(name, t)
        width = 1 if k is None else int(k)
        if self.kind == "pcg64":
            return self._uniform_pcg(name, t, slots, k)
        if isinstance(slots, int | np.integer):
            out = np.empty(int(slots) * width)
            kernels()._fill_all(draw_key(self.seed, name, t), width, out)
        else:
            idx = np.ascontiguousarray(slots, dtype=np.int64)
            out = np.empty(len(idx) * width)
            kernels()._fill_at(draw_key(self.seed, name, t), idx, width, out)
        return out if k is None else out.reshape(-1, width)

    def _uniform_pcg(self, name: str, t: int, slots: int | np.ndarray, k: int | None) -> np.ndarray:
        if isinstance(slots, int | np.integer):
            n, idx = int(slots), None
        else:
            idx = np.asarray(slots)
            n = int(idx.max()) + 1 if len(idx) else 0
        values = self._pcg(name, t).random(n if k is None else (n, k))
        return values if idx is None else values[idx]

    def chance(self, name: str, t: int, mask: np.ndarray, p: float | np.ndarray) -> np.ndarray:
        """Whether each slot that decides (``mask``) does, with probability ``p``.

        ``p`` is a number or one per slot; the result is ``mask & (u < p)`` with ``u`` this
        stream's numbers, drawn only where ``mask`` holds: the same as ``mask & (self.uniform(name, t, len(mask)) < p)``, in one pass.
        """
        mask = np.asarray(mask, dtype=bool)
        probs = np.asarray(p, dtype=np.float64)
        step = 0 if probs.ndim == 0 else 1
        if step and probs.shape != mask.shape:
            raise ValueError(f"chance({name!r}): {probs.shape[0]} probabilities for {mask.shape[0]} slots")
        if self.kind == "pcg64":
            return mask & (self.uniform(name, t, len(mask)) < p)
        self._check(name, t)
        out = np.empty(len(mask), dtype=bool)
        kernels()._chance(draw_key(self.seed, name, t), mask, probs.reshape(-1), step, out)
        return out

    def counter_key(self, name: str, t: int) -> np.uint64 | None:
        """The key of stream ``name`` in month ``t`` for a compiled pass that draws its own numbers.

        Under the counter generator, slot ``i``'s ``j``-th number (of ``k`` a slot) is
        ``kernels._unit(key, i·k + j + 1)``, the number :meth:`uniform` gives it; the stream counts as
        drawn this month (the same checks as :meth:`uniform`). Under the reference generator
        (pcg64), whose numbers come in sequence for every slot, ``None``: draw with :meth:`uniform`.
        """
        if self.kind == "pcg64":
            return None
        self._check(name, t)
        return draw_key(self.seed, name, t)

    def normal(self, name: str, t: int, n_slots: int) -> np.ndarray:
        """Standard normal draws, one per slot (the inverse normal of each slot's uniform)."""
        from scipy.special import ndtri

        return ndtri(np.clip(self.uniform(name, t, n_slots), 1e-300, None))
