"""What the app was started with: its scenarios folder, store, save folder and targets.

The server sets this once (``countysim app`` calls :func:`configure`); the pages read it with
:func:`current`. The app reads only these places and writes only under ``save_dir``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from countysim.app.runs import TARGETS_FILE, Workers

#: where the scenario library lives in a clone
SCENARIOS_DIR = Path(__file__).resolve().parents[3] / "scenarios"
#: where packages are saved unless ``--save-dir`` says otherwise
DEFAULT_SAVE_DIR = Path("results") / "packages"


@dataclass
class AppConfig:
    """The app's inputs and outputs.

    Attributes:
        scenarios_dir: the county scenarios offered (``*.toml`` directly in it).
        db_url: the results store (``None``: ``$COUNTYSIM_DB`` or ``sqlite:///results/countysim.db``).
        save_dir: the only folder packages are saved in.
        targets_file: the targets assessed after a run (``None``: none).
        workers: the server's process pool.
        explorer_scale: the county's size in the model explorer (a share of the scenario's).
    """

    scenarios_dir: Path = SCENARIOS_DIR
    db_url: str | None = None
    save_dir: Path = DEFAULT_SAVE_DIR
    targets_file: Path | None = TARGETS_FILE
    workers: Workers | None = None
    explorer_scale: float = 0.02

    def pool(self) -> Workers:
        """The process pool (made on first use)."""
        if self.workers is None:
            self.workers = Workers()
        return self.workers


_CURRENT = AppConfig()


def configure(config: AppConfig) -> AppConfig:
    """Make ``config`` the app's configuration (before the server starts)."""
    global _CURRENT
    _CURRENT = config
    return config


def current() -> AppConfig:
    """The app's configuration."""
    return _CURRENT
