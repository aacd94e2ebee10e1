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

**Categorical parameters.** A parameter may take only a few values (``categories``: a switch
lever is off or on, ``(0.0, 1.0)``). A grid takes each of its values once (its count replaces
``points`` for that parameter). The other designs sample it on the unit interval like any
parameter and map ``u`` to value ``k = min(floor(u * K), K - 1)`` of its ``K`` values — for a
switch, **off below 0.5 and on from 0.5**. That is the inverse distribution function of a
uniform choice among the values, so a Latin hypercube gives each value equally often, and
Sobol' indices keep their meaning (the variance decomposition of the model over ``u``). A
Morris trajectory moves a parameter by ``Δ = levels / (2 (levels - 1))`` of its unit range,
which crosses 0.5 at every step when ``levels`` is even: every elementary effect of a switch is
a switch from off to on or back (``sensitivity.morris_indices`` reports it per switch, not per
``Δ``). Odd ``levels`` are refused for categorical parameters.

The design knows nothing of scenarios: ``countysim.experiments.sweep`` maps its points onto
scenario key paths.
"""

from __future__ import annotations

import base64
import itertools
import math
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
#: per parameter: ``None`` (continuous) or its few values, in order
Categories = Sequence[Sequence[float] | None]


def _check(bounds: Bounds, points: int) -> np.ndarray:
    b = np.asarray(bounds, dtype=np.float64).reshape(-1, 2)
    if len(b) == 0:
        raise ValueError("a design needs at least one parameter")
    if not (b[:, 0] < b[:, 1]).all():
        raise ValueError(f"every lower bound must be below its upper bound, got {b.tolist()}")
    if points < 1:
        raise ValueError(f"points must be at least 1, got {points}")
    return b


def _categories(categories: Categories | None, d: int) -> tuple[tuple[float, ...] | None, ...]:
    if categories is None:
        return (None,) * d
    if len(categories) != d:
        raise ValueError(f"{d} parameters but {len(categories)} category entries")
    out = tuple(None if c is None else tuple(float(v) for v in c) for c in categories)
    for c in out:
        if c is not None and (len(c) < 2 or list(c) != sorted(set(c))):
            raise ValueError(f"categories must be two or more increasing values, got {list(c)}")
    return out


def _problem(bounds: np.ndarray, names: Sequence[str] | None = None) -> dict[str, Any]:
    d = len(bounds)
    return {
        "num_vars": d,
        "names": list(names) if names is not None else [f"x{i}" for i in range(d)],
        "bounds": bounds.tolist(),
    }


def n_points(kind: str, points: int, d: int, categories: Categories | None = None) -> int:
    """How many points a design of this kind, size and dimension has (a whole number, however large)."""
    if kind == "grid":
        return math.prod(len(c) if c is not None else points for c in _categories(categories, d))
    return {"lhs": points, "sobol": points * (2 * d + 2), "morris": points * (d + 1)}[kind]


def to_categories(unit: np.ndarray, values: Sequence[float]) -> np.ndarray:
    """Map unit-interval coordinates to one of ``values`` each: value ``min(floor(u K), K - 1)``."""
    k = np.minimum(np.floor(np.asarray(unit) * len(values)), len(values) - 1).astype(np.int64)
    return np.asarray(values, dtype=np.float64)[np.clip(k, 0, len(values) - 1)]


def _unit_bounds(b: np.ndarray, cats: tuple[tuple[float, ...] | None, ...]) -> np.ndarray:
    """Bounds for the sampler: a categorical parameter is sampled on the unit interval."""
    out = b.copy()
    for j, c in enumerate(cats):
        if c is not None:
            out[j] = (0.0, 1.0)
    return out


def _map(samples: np.ndarray, cats: tuple[tuple[float, ...] | None, ...]) -> np.ndarray:
    for j, c in enumerate(cats):
        if c is not None:
            samples[:, j] = to_categories(samples[:, j], c)
    return samples


def grid(bounds: Bounds, points: int, categories: Categories | None = None) -> np.ndarray:
    """Every combination of ``points`` evenly spaced values per parameter (first varies slowest).

    A categorical parameter takes each of its values instead of ``points`` spaced ones.
    """
    b = _check(bounds, points)
    cats = _categories(categories, len(b))
    axes = [
        np.asarray(c) if c is not None else np.linspace(lo, hi, points)
        for (lo, hi), c in zip(b, cats, strict=True)
    ]
    return np.array(list(itertools.product(*axes)), dtype=np.float64).reshape(-1, len(b))


def lhs(bounds: Bounds, points: int, seed: int, categories: Categories | None = None) -> np.ndarray:
    """A Latin hypercube of ``points`` points: each parameter's range cut into ``points`` strata."""
    b = _check(bounds, points)
    cats = _categories(categories, len(b))
    unit = qmc.LatinHypercube(d=len(b), rng=np.random.default_rng(seed)).random(points)
    u = _unit_bounds(b, cats)
    return _map(qmc.scale(unit, u[:, 0], u[:, 1]), cats)


def sobol(bounds: Bounds, points: int, seed: int, categories: Categories | None = None) -> np.ndarray:
    """Saltelli's sample for Sobol' indices with second order: ``points * (2D + 2)`` rows."""
    from SALib.sample import sobol as salib_sobol

    b = _check(bounds, points)
    cats = _categories(categories, len(b))
    with warnings.catch_warnings():  # N not a power of 2: noted by the sweep, not warned here
        warnings.simplefilter("ignore")
        x = salib_sobol.sample(
            _problem(_unit_bounds(b, cats)), points, calc_second_order=True, scramble=True, seed=seed
        )
    return _map(x, cats)


def morris(
    bounds: Bounds, points: int, seed: int, levels: int = 4, categories: Categories | None = None
) -> np.ndarray:
    """``points`` Morris trajectories on a ``levels``-level grid: ``points * (D + 1)`` rows."""
    from SALib.sample import morris as salib_morris

    b = _check(bounds, points)
    cats = _categories(categories, len(b))
    if levels < 2:
        raise ValueError(f"levels must be at least 2, got {levels}")
    if levels % 2 and any(c is not None for c in cats):
        raise ValueError(
            f"levels = {levels}: a categorical parameter needs an even number of Morris levels, so "
            "that every step of its trajectory changes its value"
        )
    x = salib_morris.sample(_problem(_unit_bounds(b, cats)), points, num_levels=levels, seed=seed)
    return _map(x, cats)


def morris_step(levels: int) -> float:
    """The step of a Morris trajectory, as a share of a parameter's range (SALib's ``delta``)."""
    return levels / (2.0 * (levels - 1))


def encode(samples: np.ndarray) -> dict[str, Any]:
    """A sample matrix as JSON: float64 bytes in base64 (exact, and ~5 times smaller than a list)."""
    x = np.ascontiguousarray(samples, dtype="<f8")
    return {"dtype": "<f8", "shape": list(x.shape), "base64": base64.b64encode(x.tobytes()).decode("ascii")}


def decode(data: Any, width: int) -> np.ndarray:
    """The inverse of :func:`encode`; a list of rows (how earlier versions stored it) is read too."""
    if isinstance(data, dict):
        raw = np.frombuffer(base64.b64decode(data["base64"]), dtype=data.get("dtype", "<f8"))
        return raw.astype(np.float64).reshape(data["shape"])
    return np.asarray(data, dtype=np.float64).reshape(-1, width)


@dataclass(frozen=True)
class Design:
    """A design's points and everything needed to analyse them again.

    Attributes:
        kind: one of ``DESIGNS``.
        names: parameter names, one per column of ``samples``.
        bounds: ``(lo, hi)`` of each parameter.
        points: the design's size as given (see ``POINTS_MEANING``).
        seed: the sampler's seed (grids ignore it).
        samples: array of shape ``(n_points, len(names))``: the parameters' values (a categorical
            parameter's column holds its values, not unit coordinates).
        levels: Morris grid levels (Morris only).
        categories: per parameter, ``None`` or its values (empty: none is categorical).
    """

    kind: str
    names: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]
    points: int
    seed: int
    samples: np.ndarray = field(repr=False)
    levels: int = 4
    categories: tuple[tuple[float, ...] | None, ...] = ()

    @property
    def n(self) -> int:
        """Number of points (rows of ``samples``)."""
        return int(self.samples.shape[0])

    def categorical(self, j: int) -> tuple[float, ...] | None:
        """The values of parameter ``j`` if it is categorical, else ``None``."""
        return self.categories[j] if self.categories else None

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
            "categories": [None if c is None else list(c) for c in self.categories] or None,
            "samples": encode(self.samples),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Design:
        """The inverse of :meth:`to_dict` (also reads designs stored with the samples as a list)."""
        names = tuple(data["names"])
        cats = data.get("categories") or ()
        return cls(
            kind=data["design"],
            names=names,
            bounds=tuple((float(lo), float(hi)) for lo, hi in data["bounds"]),
            points=int(data["points"]),
            seed=int(data["seed"]),
            samples=decode(data["samples"], len(names)),
            levels=int(data.get("levels", 4)),
            categories=tuple(None if c is None else tuple(float(v) for v in c) for c in cats),
        )


def make_design(
    kind: str,
    names: Sequence[str],
    bounds: Bounds,
    points: int,
    seed: int,
    levels: int = 4,
    categories: Categories | None = None,
) -> Design:
    """Build a design of one of the four kinds.

    Args:
        kind: ``grid``, ``lhs``, ``sobol`` or ``morris``.
        names: parameter names.
        bounds: ``(lo, hi)`` per parameter, ``lo < hi``.
        points: the design's size (see ``POINTS_MEANING``).
        seed: sampler seed; the same seed gives the same design.
        levels: Morris grid levels.
        categories: per parameter, ``None`` (continuous) or its values (e.g. ``(0.0, 1.0)`` for a
            switch); see the module's note on categorical parameters.

    Raises:
        ValueError: for an unknown kind, empty or inverted bounds, ``points < 1``, bad
            categories, or odd Morris levels with a categorical parameter.
    """
    if kind not in DESIGNS:
        raise ValueError(f"unknown design {kind!r}; allowed: {', '.join(DESIGNS)}")
    if len(names) != len(bounds):
        raise ValueError(f"{len(names)} names but {len(bounds)} bounds")
    cats = _categories(categories, len(bounds))
    if kind == "grid":
        samples = grid(bounds, points, cats)
    elif kind == "lhs":
        samples = lhs(bounds, points, seed, cats)
    elif kind == "sobol":
        samples = sobol(bounds, points, seed, cats)
    else:
        samples = morris(bounds, points, seed, levels, cats)
    return Design(
        kind=kind,
        names=tuple(names),
        bounds=tuple((float(lo), float(hi)) for lo, hi in bounds),
        points=int(points),
        seed=int(seed),
        samples=np.asarray(samples, dtype=np.float64),
        levels=int(levels),
        categories=cats if any(c is not None for c in cats) else (),
    )
