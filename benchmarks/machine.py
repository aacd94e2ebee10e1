"""The machine a benchmark ran on, printed and stored beside its figures."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def machine_facts() -> dict:
    """CPU count (all and usable), CPU model, platform, Python and numpy versions."""
    import numpy as np

    from countysim.experiments.runner import usable_cpus

    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable_cpus(),
        "cpu_model": _cpu_model(),
        "platform": platform.platform(),
        "python_version": platform.python_version(),
        "numpy_version": np.__version__,
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"
