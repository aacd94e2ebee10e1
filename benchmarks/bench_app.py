"""How long the app takes to show a package's result, and whether the page answers meanwhile.

Two measurements of the same comparison (package against its baseline, both scenarios on the
same seeds; default 0.05 of the default county, 36 months, 3 seeds, the Skills pillar on):

(a) **in the browser** (needs Debian's Chromium and the page's scripts, see ``docs/app.md``):
    ``countysim app`` as a subprocess on a fresh store, driven by Playwright. It prints the
    seconds from the click on *Run* to the figure on the page, for the first run after the app
    started (its workers may still be warming up) and for a second package once they are warm,
    and, during the second run, how long the page took to answer another control (a pillar
    switch) — the page must not wait for the run;
(b) **without a browser**: the app's own run function (``countysim.app.runs.run_comparison``
    and the headline figure) on its warmed worker pool, in this process.

Timing targets are measured here, not asserted in tests. Command:
``uv run python benchmarks/bench_app.py`` (``--no-browser`` for (b) only; about a minute).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from machine import machine_facts

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 15.0
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def without_browser(scale: float, months: int, reps: int) -> dict:
    """The app's run function on its warmed pool: seconds from start to summary and figure."""
    from countysim.app.figures import headline_png
    from countysim.app.package import Package, baseline_of, list_scenarios
    from countysim.app.runs import Progress, RunSettings, Workers, _warm_up, prepare, run_comparison

    f = next(f for f in list_scenarios(ROOT / "scenarios") if f.file == "baseline.toml")
    package = Package(f.scenario, f.path).with_pillar("S", True)
    workers = Workers()
    pool = workers.executor()
    t0 = time.monotonic()
    for future in [pool.submit(_warm_up) for _ in range(4)]:
        future.result()
    warm_seconds = time.monotonic() - t0
    with tempfile.TemporaryDirectory() as tmp:
        prepared = prepare(package.scenario(), baseline_of(package.base), RunSettings(scale, months, reps))
        t0 = time.monotonic()
        outcome = run_comparison(prepared, f"sqlite:///{tmp}/bench.db", pool, Progress())
        headline_png(outcome.results)
        seconds = time.monotonic() - t0
    workers.shutdown()
    return {"runs": 2 * reps, "seconds": round(seconds, 2), "pool_warm_up_seconds": round(warm_seconds, 2)}


def in_browser(scale: float, months: int, reps: int) -> dict:
    """Click *Run* in Chromium; time until the figure shows; probe a control meanwhile."""
    from playwright.sync_api import sync_playwright

    from countysim.app import assets

    chromium = shutil.which("chromium")
    if chromium is None or assets.missing():
        return {"skipped": "Chromium or the page's scripts are missing (docs/app.md, 'Offline')"}
    tmp = Path(tempfile.mkdtemp(prefix="bench-app-"))
    port = _free_port()
    command = [str(Path(sys.executable).with_name("countysim")), "app", "--no-open", "--port", str(port),
               "--db", f"sqlite:///{tmp / 's.db'}", "--save-dir", str(tmp / "saved")]  # fmt: skip
    t_start = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() - t_start > 180:
                    return {"skipped": "countysim app did not start"}
                time.sleep(0.3)
        server_seconds = time.monotonic() - t_start
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                str(tmp / "profile"), executable_path=chromium, headless=True, args=CHROMIUM_ARGS
            )
            page = context.new_page()
            page.goto(url)
            page.locator(".cs-run").wait_for(timeout=120_000)
            defaults = {"scale": 0.05, "months": 36, "reps": 3}  # the page's run settings
            for key, value in (("scale", scale), ("months", months), ("reps", reps)):
                if value != defaults[key]:
                    _set_setting(page, key, value)
            page.locator(".cs-pillar-S .v-input--selection-controls__input").click()
            page.locator(".cs-changed-list", has_text="s1_training_places_per_year").wait_for()
            first = _run(page)
            # a second package (a new lever value: new runs) once the workers are warm
            box = page.locator(".cs-input-s2_outreach input")
            page.get_by_text("9 levers (S1").click()
            box.fill("0.5")
            box.press("Enter")
            page.locator(".cs-changed-list", has_text="s2_outreach").wait_for()
            caption = page.locator(".cs-caption").inner_text()
            t0 = time.monotonic()
            page.locator(".cs-run").click()
            page.locator(".cs-progress").wait_for()
            t_probe = time.monotonic()
            page.locator(".cs-pillar-R .v-input--selection-controls__input").click()
            page.locator(".cs-changed-list", has_text="r1_contract_enforcement").wait_for()
            answered = time.monotonic() - t_probe
            still_running = page.locator(".cs-progress").is_visible()
            page.wait_for_function(
                "(old) => { const c = document.querySelector('.cs-caption'); return c && c.innerText != old; }",
                arg=caption, timeout=300_000,
            )  # fmt: skip
            second = time.monotonic() - t0
            context.close()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "server_start_seconds": round(server_seconds, 1),
        "first_run_seconds": round(first, 2),
        "warm_run_seconds": round(second, 2),
        "control_answered_during_run_seconds": round(answered, 2),
        "run_still_going_when_it_answered": still_running,
    }


def _set_setting(page, key: str, value: float) -> None:
    """Move a run-settings slider to ``value`` with the keyboard (Home, then steps to the right)."""
    steps = {"scale": round((value - 0.01) / 0.01), "months": int(value) - 1, "reps": int(value) - 1}[key]
    label = {"scale": "Scale of the county", "months": "Months", "reps": "Replications"}[key]
    slider = page.locator(".v-input__slider", has_text=label).locator("[role=slider]")
    slider.press("Home")
    for _ in range(steps):
        slider.press("ArrowRight")
    page.locator(".v-input__slider", has_text=f"{label}").wait_for()


def _run(page) -> float:
    t0 = time.monotonic()
    page.locator(".cs-run").click()
    page.locator(".cs-headline").wait_for(timeout=300_000)
    return time.monotonic() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="only the measurement without a browser")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    args = parser.parse_args()
    settings = {
        "scale": args.scale,
        "months": args.months,
        "reps": args.reps,
        "scenarios": ["baseline", "+ Skills pillar"],
    }
    print(f"bench_app: {settings}; target: the result shown in <= {TARGET_SECONDS:g} s on two cores")
    figures: dict = {"settings": settings, "machine": machine_facts()}
    if not args.no_browser:
        figures["browser"] = b = in_browser(args.scale, args.months, args.reps)
        if "skipped" in b:
            print(f"(a) in the browser: skipped — {b['skipped']}")
        else:
            print(f"(a) in the browser: server answering after {b['server_start_seconds']:.1f} s; click to figure "
                  f"{b['first_run_seconds']:.1f} s for the first run, {b['warm_run_seconds']:.1f} s warm "
                  f"({'within' if b['warm_run_seconds'] <= TARGET_SECONDS else 'OVER'} the target); "
                  f"another control answered after {b['control_answered_during_run_seconds']:.2f} s "
                  f"while the run was {'still going' if b['run_still_going_when_it_answered'] else 'already over'}")  # fmt: skip
    figures["direct"] = d = without_browser(args.scale, args.months, args.reps)
    print(f"(b) without a browser: {d['runs']} runs, stored, read back, summarised and drawn in {d['seconds']:.1f} s "
          f"(pool warmed in {d['pool_warm_up_seconds']:.1f} s)")  # fmt: skip
    figures["load_average_1_5_15_min"] = load = [round(x, 2) for x in os.getloadavg()]
    print("machine:", ", ".join(f"{k} {v}" for k, v in figures["machine"].items()))
    print(
        f"load average (1, 5, 15 min) at the end: {load[0]}, {load[1]}, {load[2]} (other work on the machine slows every figure)"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
