"""The app in a real browser: ``countysim app`` as a subprocess, driven by Playwright in Debian's Chromium.

Skipped when Chromium (or the page's scripts, see ``countysim.app.assets``) is missing, unless
``COUNTYSIM_REQUIRE_CHROMIUM`` is set (``.ci/run`` sets it and installs both): then it fails.
Screenshots of every page go to the test's folder and, when ``COUNTYSIM_APP_SCREENSHOTS`` names a
folder (``docs/app`` refreshes the README's pictures), are copied there.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from countysim.app import assets
from countysim.app.labels import label
from countysim.app.package import safe_file_name
from countysim.experiments import load_results
from countysim.store import ResultsStore

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # fmt: skip


def _missing(why: str) -> None:
    if os.environ.get("COUNTYSIM_REQUIRE_CHROMIUM"):
        pytest.fail(f"COUNTYSIM_REQUIRE_CHROMIUM is set but {why}")
    pytest.skip(why)


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        _missing("no Chromium is installed (.ci/run installs Debian's)")
    if lacking := assets.missing():
        _missing(
            f"the page's scripts {lacking} are not in {assets.cache_dir()} (.ci/run installs them with npm)"
        )
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``countysim app`` on a free port, a fresh store and save folder; stopped with Ctrl-C afterwards."""
    chromium()
    tmp = tmp_path_factory.mktemp("app")
    port = _free_port()
    db = tmp / "s.db"
    command = [str(Path(sys.executable).with_name("countysim")), "app", "--no-open", "--port", str(port),
               "--db", f"sqlite:///{db}", "--save-dir", str(tmp / "saved")]  # fmt: skip
    log = (tmp / "server.log").open("w")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
        if proc.poll() is not None:
            pytest.fail(f"countysim app exited with {proc.returncode}:\n{(tmp / 'server.log').read_text()}")
    else:
        proc.kill()
        pytest.fail(f"countysim app did not answer within 180 s:\n{(tmp / 'server.log').read_text()}")
    yield {"url": url, "db": db, "saved": tmp / "saved", "tmp": tmp}
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def browser(server, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")), executable_path=chromium(), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000},
        )  # fmt: skip
        yield context
        context.close()


@pytest.fixture()
def page(browser):
    """A page that records console errors and uncaught page errors."""
    page = browser.new_page()
    page.errors = []
    page.on(
        "console", lambda m: page.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: page.errors.append(f"page error: {e}"))
    yield page
    page.close()


def _shot(page, name: str, folder: Path) -> Path:
    """A screenshot of the whole page (the app scrolls inside its own panel, so the view grows to fit)."""
    page.evaluate("() => document.querySelectorAll('*').forEach(e => { e.scrollTop = 0; })")
    height = page.evaluate("() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": 1400, "height": min(max(int(height), 900), 6000)})
    time.sleep(0.5)
    path = folder / name
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1400, "height": 1000})
    copy_to = os.environ.get("COUNTYSIM_APP_SCREENSHOTS")
    if copy_to:
        Path(copy_to).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(copy_to) / name)
    return path


def _value_is(page, lever: str, text: str, timeout: float = 10_000) -> None:
    page.wait_for_function(
        "([lever, text]) => { const i = document.querySelector(`.cs-input-${lever} input`); return i && i.value == text; }",
        arg=[lever, text], timeout=timeout,
    )  # fmt: skip


def _type(page, lever: str, value: str) -> None:
    box = page.locator(f".cs-input-{lever} input")
    box.fill(value)
    box.press("Enter")


def test_try_a_package_in_chromium(server, page):
    shots = server["tmp"]
    page.goto(server["url"])
    page.locator(".cs-run").wait_for(timeout=120_000)
    _shot(page, "01-try-a-package.png", shots)

    # choose the package: the default county with the Skills pillar on
    page.locator(".cs-county").click()
    page.locator(".v-menu__content .v-list-item", has_text="baseline.toml").first.click()
    page.locator(".cs-pillar-S .v-input--selection-controls__input").click()
    page.get_by_text("9 levers (S1").click()
    _value_is(page, "s1_training_places_per_year", "15000")  # the pillar's action value
    # move one lever on its slider with the keyboard: five steps of 1,000 places
    thumb = page.locator(".cs-slider-s1_training_places_per_year [role=slider]")
    for _ in range(5):
        thumb.press("ArrowRight")
    _value_is(page, "s1_training_places_per_year", "20000")
    # a value out of range is refused with the validate message
    _type(page, "s2_outreach", "7")
    error = page.locator(".cs-lever-error", has_text="levers.s2_outreach.value = 7.0: out of range")
    error.wait_for()
    assert "allowed 0.0 to 5.0" in error.inner_text()
    _type(page, "s2_outreach", "1")
    error.wait_for(state="detached")

    # run at the default small scale (0.05 of the county, 36 months, 3 seeds of both scenarios)
    started = time.monotonic()
    page.locator(".cs-run").click()
    page.locator(".cs-progress").wait_for()
    # while it runs, another control answers: switch the Rights pillar on
    page.locator(".cs-pillar-R .v-input--selection-controls__input").click()
    page.locator(".cs-changed-list", has_text="r1_contract_enforcement").wait_for(timeout=5_000)
    assert page.locator(".cs-progress").is_visible(), "the control answered only after the run"
    page.locator(".cs-headline").wait_for(timeout=300_000)
    first_seconds = time.monotonic() - started
    figure = page.locator(".cs-headline").get_attribute("src")
    needs = page.locator(".cs-needs").inner_text()
    differences = page.locator(".cs-differences").inner_text()
    assert label("training_person_times_poverty") in differences and label("seats_needed_primary") in needs
    _shot(page, "02-package-result.png", shots)

    with ResultsStore(f"sqlite:///{server['db']}") as store:
        experiments = store.experiments()
        app_runs = experiments[experiments["name"].str.startswith("app:")]
        assert len(app_runs) == 1 and int(app_runs["n_done"].iloc[0]) == 6
        assert len(load_results(store, app_runs["name"].iloc[0])) == 6

    # another value of the lever: the figure and the needs table follow
    _type(page, "s1_training_places_per_year", "60000")
    page.locator(".cs-changed-list", has_text="s1_training_places_per_year").wait_for()
    caption = page.locator(".cs-caption").inner_text()
    page.locator(".cs-run").click()
    page.wait_for_function(
        "(old) => { const c = document.querySelector('.cs-caption'); return c && c.innerText != old; }", arg=caption,
        timeout=300_000,
    )  # fmt: skip
    page.locator(".cs-headline").wait_for()
    assert page.locator(".cs-headline").get_attribute("src") != figure
    assert page.locator(".cs-needs").inner_text() != needs

    # save the package under the save folder and check it as `countysim validate` does
    page.locator(".cs-file-name input").fill("浏览器 试算/../包")
    page.locator(".cs-save").click()
    page.locator(".cs-saved").wait_for()
    saved = server["saved"] / safe_file_name("浏览器 试算/../包")
    assert saved.is_file() and [p.name for p in server["saved"].iterdir()] == [saved.name]
    check = subprocess.run([str(Path(sys.executable).with_name("countysim")), "validate", str(saved)],
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert "levers set:" in check.stdout and "s1_training_places_per_year" in check.stdout
    assert page.errors == [], page.errors
    print(f"first run shown after {first_seconds:.1f} s")


def test_results_page_in_chromium(server, page):
    page.goto(server["url"] + "results")
    page.locator(".cs-experiment").wait_for(timeout=120_000)
    page.locator(".cs-store-figure").wait_for(timeout=120_000)
    assert "app:baseline+" in page.locator(".cs-experiments").inner_text()
    assert "difference (90 % interval)" in page.locator(".cs-store-table").inner_text()
    _shot(page, "03-results.png", server["tmp"])
    assert page.errors == [], page.errors


def test_model_explorer_in_chromium(server, page):
    page.goto(server["url"] + "explorer")
    step = page.get_by_role("button", name="Step")
    step.wait_for(timeout=120_000)
    for _ in range(3):
        step.click()
        time.sleep(0.5)
    page.get_by_text("Time: 3.0").wait_for(timeout=60_000)
    assert page.locator(".vue-grid-item img").count() >= 4
    _shot(page, "04-model-explorer.png", server["tmp"])
    assert page.errors == [], page.errors


def test_chinese_labels_in_chromium(server, page):
    page.goto(server["url"])
    page.locator(".cs-lang").wait_for(timeout=120_000)
    page.locator(".cs-lang").click()
    page.get_by_text("对比基线运行").wait_for()
    _shot(page, "05-try-a-package-zh.png", server["tmp"])
    assert page.errors == [], page.errors
