"""The result of one run: a monthly indicator panel plus what identifies the run.

``RunResult`` is the one thing that travels from a model run to everything downstream
(the store, comparisons, assessments, reports). It holds plain numpy arrays and strings
so that it pickles cheaply across processes and never imports the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class RunResult:
    """One finished run.

    Attributes:
        scenario_name: the scenario's ``name``.
        scenario_hash: sha256 (hex, 16 chars) of the resolved scenario; with ``seed`` it
            identifies the run's inputs.
        seed: the root seed of the run.
        months: month labels ``YYYY-MM``, one per recorded month.
        indicators: indicator names, in column order of ``values``.
        values: float64 array of shape ``(len(months), len(indicators))``.
        persons: persons alive at the start of the run.
        wall_seconds: wall-clock seconds the run took (building the population included).
        code_version: ``countysim`` version that produced it.
        code_fingerprint: hash of the package source that produced it
            (``countysim.version.code_fingerprint``).
        scenario_json: the resolved scenario (inheritance applied) as JSON text.
        meta: free-form extra facts (e.g. experiment name), JSON-serialisable.
    """

    scenario_name: str
    scenario_hash: str
    seed: int
    months: tuple[str, ...]
    indicators: tuple[str, ...]
    values: np.ndarray
    persons: int
    wall_seconds: float
    code_version: str
    scenario_json: str
    meta: dict = field(default_factory=dict)
    code_fingerprint: str = ""

    def to_frame(self) -> pd.DataFrame:
        """The panel as a wide table: ``seed``, ``month``, then one column per indicator."""
        frame = pd.DataFrame(self.values, columns=list(self.indicators))
        frame.insert(0, "month", list(self.months))
        frame.insert(0, "seed", self.seed)
        return frame

    def series(self, indicator: str) -> np.ndarray:
        """The monthly series of one indicator.

        Raises:
            KeyError: if ``indicator`` is not in this result, naming the ones that are.
        """
        try:
            j = self.indicators.index(indicator)
        except ValueError:
            raise KeyError(
                f"unknown indicator {indicator!r}; this run has: {', '.join(self.indicators)}"
            ) from None
        return self.values[:, j]

    def final(self) -> dict[str, float]:
        """The value of every indicator in the last recorded month."""
        return {name: float(v) for name, v in zip(self.indicators, self.values[-1], strict=True)}

    def summary(self) -> dict:
        """A JSON-serialisable summary (what ``summary.json`` holds)."""
        return {
            "scenario": self.scenario_name,
            "scenario_hash": self.scenario_hash,
            "seed": self.seed,
            "months": len(self.months),
            "start": self.months[0],
            "end": self.months[-1],
            "persons": self.persons,
            "wall_seconds": round(self.wall_seconds, 3),
            "code_version": self.code_version,
            "code_fingerprint": self.code_fingerprint,
            "final": self.final(),
        }
