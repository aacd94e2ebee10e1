"""The wheel carries everything the commands read: installed outside the checkout, they run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import BASELINE, ROOT


def uv(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run uv, from the local cache first (offline), and from the index if the cache lacks something."""
    exe = shutil.which("uv")
    if exe is None:
        pytest.skip("uv is not installed")
    out = subprocess.run([exe, *args, "--offline"], cwd=cwd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        out = subprocess.run([exe, *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A fresh virtual environment with the wheel (and the locked dependencies) installed."""
    tmp = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "COUNTYSIM_DB")}
    env["UV_PYTHON_DOWNLOADS"] = "never"
    uv("build", "--wheel", "--out-dir", str(tmp / "dist"), cwd=ROOT, env=env)
    (wheel,) = (tmp / "dist").glob("countysim-*.whl")
    pins = tmp / "requirements.txt"
    uv(
        "export",
        "--frozen",
        "--no-dev",
        "--no-hashes",
        "--no-emit-project",
        "-o",
        str(pins),
        cwd=ROOT,
        env=env,
    )
    uv("venv", str(tmp / "venv"), "--python", sys.executable, cwd=tmp, env=env)
    python = tmp / "venv" / ("Scripts" if os.name == "nt" else "bin") / "python"
    uv("pip", "install", "--python", str(python), "-r", str(pins), str(wheel), cwd=tmp, env=env)
    return python, env


def test_installed_wheel_runs_needs_and_plausibility(installed, tmp_path) -> None:
    python, env = installed
    work = tmp_path / "work"
    work.mkdir()
    where = subprocess.run(
        [str(python), "-c", "import countysim; print(countysim.__file__)"],
        cwd=work, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert str(python.parent.parent) in where and str(ROOT) not in where, where
    (work / "tiny.toml").write_text(
        f'extends = "{BASELINE.as_posix()}"\nname = "tiny"\n[county.households]\nn = 600\n', encoding="utf-8"
    )
    countysim = [str(python.parent / "countysim")]  # the console script the wheel installs
    needs = subprocess.run(
        [*countysim, "needs", "tiny.toml", "--reps", "2", "--months", "6", "--workers", "1", "-q",
         "--db", "sqlite:///store.db"],
        cwd=work, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert needs.returncode == 0, needs.stdout + needs.stderr
    assert (
        "housing_units_needed" in needs.stdout and (work / "results" / "needs-tiny" / "needs.csv").is_file()
    )
    check = subprocess.run(
        [*countysim, "plausibility", "tiny.toml"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode in (0, 1), check.stdout + check.stderr  # 1: a row outside its range
    assert "mean_monthly_income" in check.stdout and "2022:mean_monthly_income" in check.stdout
