"""What code made a result: the package version, a fingerprint of its source, the git commit.

A stored run is reused only if it was made by the same code (``code_fingerprint``) from the same
inputs (``Scenario.content_hash``); the version and the commit are kept for the record.
"""

from __future__ import annotations

import hashlib
import subprocess
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
#: files whose contents make the fingerprint: the source and the data the package reads
FINGERPRINT_SUFFIXES = (".py", ".csv", ".toml", ".json")


@cache
def package_version() -> str:
    """The installed ``countysim`` version (``0.0.0+source`` in a source tree not installed)."""
    try:
        return version("countysim")
    except PackageNotFoundError:
        return "0.0.0+source"


@cache
def code_fingerprint() -> str:
    """sha256 (16 hex digits) of the package's source and data files, by relative path.

    The same on every machine and in every worker for the same code, whether installed from a
    wheel or run from a checkout; any edit to a module changes it.
    """
    digest = hashlib.sha256()
    for path in sorted(p for p in PACKAGE.rglob("*") if p.suffix in FINGERPRINT_SUFFIXES and p.is_file()):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@cache
def git_commit() -> str | None:
    """The checkout's commit (with ``+dirty`` when the package has uncommitted changes), or None."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=PACKAGE, capture_output=True, text=True, timeout=5
        )
        if head.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "."],
            cwd=PACKAGE,
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
