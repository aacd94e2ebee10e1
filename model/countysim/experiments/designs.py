"""Experimental designs: where in parameter space a sweep runs the model.

Four designs (DESIGN.md, "Experiments and scale"), each a matrix of points × parameters within
the parameters' bounds and each reproducible from its seed:

- ``grid`` — every combination of ``points`` evenly spaced values per parameter (``points ** D``
  points; one value, the lower bound, when ``points`` is 1);
- ``lhs`` — a Latin hypercube of ``points`` points (``scipy.stats.qmc.LatinHypercube``);
- ``sobol`` — Saltelli's extension of a scrambled Sobol' sequence (``SALib.sample.sobol``),
  ``N * (2D + 2)`` points for base size ``N``, so that ``SALib.analyze.sobol`` can analyse it;
- ``morris`` — ``points`` one-at-a-time trajectories of ``D + 1`` points each on a grid of
  ``levels`` levels (``SALib.sample.morris``), for ``SALib.analyze.morris``.

The design knows nothing of scenarios: ``countysim.experiments.sweep`` maps its points onto
scenario key paths.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.stats import qmc

#: the designs a sweep can use
DESIGNS = ("grid", "lhs", "sobol", "morris")
#: what ``points`` means for each design
POINTS_MEANING = {
    "grid": "values per parameter",
    "lhs": "points",
    "sobol": "base sample size N (N * (2D + 2) points)",
    "morris": "trajectories (D + 1 points each)",
}

Bounds = Sequence[tuple[float, float]]


def _check(bounds: Bounds, points: int) -> np.ndarray:
    b = np.asarray(bounds, dtype=np.float64).reshape(-1, 2)
    if len(b) == 0:
        raise ValueError("a design needs at least one parameter")
    if not (b[:, 0] < b[:, 1]).all():
        raise ValueError(f"every lower bound must be below its upper bound, got {b.tolist()}")
    if points < 1:
        raise ValueError(f"points must be at least 1, got {points}")
    return b


def _problem(bounds: np.ndarray, names: Sequence[str] | None = None) -> dict[str, Any]:
    d = len(bounds)
    return {
        "num_vars": d,
        "names": list(names) if names is not None else [f"x{i}" for i in range(d)],
        "bounds": bounds.tolist(),
    }


def n_points(kind: str, points: int, d: int) -> int:
    """How many points a design of this kind, size and dimension has."""
    return {
        "grid": points**d,
        "lhs": points,
        "sobol": points * (2 * d + 2),
        "morris": points * (d + 1),
    }[kind]


def grid(bounds: Bounds, points: int) -> np.ndarray:
    """Every combination of ``points`` evenly spaced values per parameter (first varies slowest)."""
    b = _check(bounds, points)
    axes = [np.linspace(lo, hi, points) for lo, hi in b]
    return np.array(list(itertools.product(*axes)), dtype=np.float64).reshape(-1, len(b))


def lhs(bounds: Bounds, points: int, seed: int) -> np.ndarray:
    """A Latin hypercube of ``points`` points: each parameter's range cut into ``points`` strata."""
    b = _check(bounds, points)
    unit = qmc.LatinHypercube(d=len(b), rng=np.random.default_rng(seed)).random(points)
    return qmc.scale(unit, b[:, 0], b[:, 1])


def sobol(bounds: Bounds, points: int, seed: int) -> np.ndarray:
    """Saltelli's sample for Sobol' indices with second order: ``points * (2D + 2)`` rows."""
    from SALib.sample import sobol as salib_sobol

    b = _check(bounds, points)
    with warnings.catch_warnings():  # N not a power of 2: noted by the sweep, not warned here
        warnings.simplefilter("ignore")
        return salib_sobol.sample(_problem(b), points, calc_second_order=True, scramble=True, seed=seed)


def morris(bounds: Bounds, points: int, seed: int, levels: int = 4) -> np.ndarray:
    """``points`` Morris trajectories on a ``levels``-level grid: ``points * (D + 1)`` rows."""
    from SALib.sample import morris as salib_morris

    b = _check(bounds, points)
    if levels < 2:
        raise ValueError(f"levels must be at least 2, got {levels}")
    return salib_morris.sample(_problem(b), points, num_levels=levels, seed=seed)


@dataclass(frozen=True)
class Design:
    """A design's points and everything needed to analyse them again.

    Attributes:
        kind: one of ``DESIGNS``.
        names: parameter names, one per column of ``samples``.
        bounds: ``(lo, hi)`` of each parameter.
        points: the design's size as given (see ``POINTS_MEANING``).
        seed: the sampler's seed (grids ignore it).
        samples: array of shape ``(n_points, len(names))``.
        levels: Morris grid levels (Morris only).
    """

    kind: str
    names: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]
    points: int
    seed: int
    samples: np.ndarray = field(repr=False)
    levels: int = 4

    @property
    def n(self) -> int:
        """Number of points (rows of ``samples``)."""
        return int(self.samples.shape[0])

    def problem(self) -> dict[str, Any]:
        """The SALib problem dict."""
        return _problem(np.asarray(self.bounds, dtype=np.float64), self.names)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form (floats round-trip exactly)."""
        return {
            "design": self.kind,
            "names": list(self.names),
            "bounds": [list(b) for b in self.bounds],
            "points": self.points,
            "seed": self.seed,
            "levels": self.levels,
            "samples": self.samples.tolist(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Design:
        """The inverse of :meth:`to_dict`."""
        names = tuple(data["names"])
        return cls(
            kind=data["design"],
            names=names,
            bounds=tuple((float(lo), float(hi)) for lo, hi in data["bounds"]),
            points=int(data["points"]),
            seed=int(data["seed"]),
            samples=np.asarray(data["samples"], dtype=np.float64).reshape(-1, len(names)),
            levels=int(data.get("levels", 4)),
        )


def make_design(
    kind: str, names: Sequence[str], bounds: Bounds, points: int, seed: int, levels: int = 4
) -> Design:
    """Build a design of one of the four kinds.

    Args:
        kind: ``grid``, ``lhs``, ``sobol`` or ``morris``.
        names: parameter names.
        bounds: ``(lo, hi)`` per parameter, ``lo < hi``.
        points: the design's size (see ``POINTS_MEANING``).
        seed: sampler seed; the same seed gives the same design.
        levels: Morris grid levels.

    Raises:
        ValueError: for an unknown kind, empty or inverted bounds, or ``points < 1``.
    """
    if kind not in DESIGNS:
        raise ValueError(f"unknown design {kind!r}; allowed: {', '.join(DESIGNS)}")
    if len(names) != len(bounds):
        raise ValueError(f"{len(names)} names but {len(bounds)} bounds")
    if kind == "grid":
        samples = grid(bounds, points)
    elif kind == "lhs":
        samples = lhs(bounds, points, seed)
    elif kind == "sobol":
        samples = sobol(bounds, points, seed)
    else:
        samples = morris(bounds, points, seed, levels)
    return Design(
        kind=kind,
        names=tuple(names),
        bounds=tuple((float(lo), float(hi)) for lo, hi in bounds),
        points=int(points),
        seed=int(seed),
        samples=np.asarray(samples, dtype=np.float64),
        levels=int(levels),
    )
