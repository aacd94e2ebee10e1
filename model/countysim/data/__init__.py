"""Reference data shipped inside the package, each row with its source (see README.md here).

The files are package data: they travel in the wheel and are read with ``importlib.resources``,
so ``countysim needs`` and ``countysim plausibility`` work wherever the package is installed,
not only in a checkout.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

import pandas as pd

#: the norms of resource planning (class sizes, staffing ratios, ...)
NORMS = "norms.csv"
#: the NBS migrant-worker monitoring figures the baseline is calibrated to
NBS = "nbs_migrant_workers.csv"


def location(name: str) -> str:
    """Where a shipped file is, for messages: its path in the installed package."""
    return str(files(__name__) / name)


def read_csv(name: str, path: str | Path | None = None) -> pd.DataFrame:
    """A shipped CSV file (``NORMS``, ``NBS``), or the file at ``path`` instead when given.

    Raises:
        FileNotFoundError: if the file is missing (a broken installation, or a wrong ``path``).
    """
    if path is not None:
        return pd.read_csv(path)
    with as_file(files(__name__) / name) as file:
        if not file.is_file():
            raise FileNotFoundError(f"{file}: countysim's shipped data file {name} is missing; reinstall it")
        return pd.read_csv(file)
