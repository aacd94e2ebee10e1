"""``countysim app``: the interactive app in the browser (Solara, Mesa's visualisation stack).

Everything the app will read or write is checked before the server starts (the scenarios
folder, the store, the save folder, the targets file, the port), and a problem is reported as
one clear error with exit status 2.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated

import typer

from countysim.cli_common import DbOpt, WorkersOpt, fail

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")

HELP = """Start the interactive app in the browser: try a package, browse the results store, explore the model.

*Try a package*: pick a county scenario, switch the notice's five pillars on and off, move any lever, run the package against its baseline on common seeds (in the background, at a small scale for speed), and see the headline series with bands, the paired differences, the resource needs and the targets' verdicts; save the package as a scenario file that `countysim run` and `countysim validate` accept.

*Results*: the store's experiments, comparisons and sweeps (with sensitivity indices), the figures the command line draws, CSV downloads.

*Model explorer*: Mesa's SolaraViz over CountyModel on a small county: step, play, reset, the indicator series.

Runs go through the same runner and store as `countysim compare`. The app listens on 127.0.0.1 (this machine only) unless --host says otherwise; it reads only the scenarios folder, the store and the targets file it was started with, and saves only under --save-dir. Stop it with Ctrl-C.
"""


def _port_free(host: str, port: int) -> str | None:
    """Why ``port`` on ``host`` cannot be bound, or ``None``."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


def _writable(folder: Path) -> str | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".countysim-app-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def app_cmd(
    db: DbOpt = None,
    port: Annotated[int, typer.Option("--port", help="TCP port to serve on.", min=1, max=65535)] = 8765,
    no_open: Annotated[
        bool, typer.Option("--no-open", help="Do not open a browser (servers, tests).")
    ] = False,
    host: Annotated[
        str,
        typer.Option("--host", help="Address to listen on; anything but 127.0.0.1 lets other machines in."),
    ] = "127.0.0.1",
    scenarios: Annotated[
        Path | None,
        typer.Option(
            "--scenarios", help="Folder of county scenario files offered (default: the scenario library)."
        ),
    ] = None,
    save_dir: Annotated[
        Path,
        typer.Option("--save-dir", help="The only folder packages are saved in (created if missing)."),
    ] = Path("results") / "packages",
    targets: Annotated[
        Path | None,
        typer.Option("--targets", help="Targets assessed after a run (default: targets/notice_2023.toml)."),
    ] = None,
    workers: WorkersOpt = None,
) -> None:
    """Start the interactive app (see `countysim app --help`)."""
    from countysim.app.config import SCENARIOS_DIR, AppConfig
    from countysim.app.runs import TARGETS_FILE, Workers
    from countysim.assessment import TargetsError, load_targets
    from countysim.store import ResultsStore, StoreError

    folder = (scenarios or SCENARIOS_DIR).resolve()
    if not folder.is_dir():
        raise fail(f"--scenarios {folder}: no such folder; give a folder of scenario files (*.toml)")
    from countysim.app.package import list_scenarios

    files = list_scenarios(folder)
    if not any(f.scenario is not None for f in files):
        why = "; ".join(f.error.splitlines()[-1].strip() for f in files[:3]) or "it has no *.toml file"
        raise fail(f"--scenarios {folder}: no valid scenario file ({why})")
    save = save_dir.resolve()
    if (problem := _writable(save)) is not None:
        raise fail(f"--save-dir {save}: cannot write there ({problem}); give a folder you may write to")
    targets_file = (targets or TARGETS_FILE).resolve()
    try:
        load_targets(targets_file)
    except TargetsError as exc:
        raise fail(str(exc)) from None
    try:
        store = ResultsStore(db)
    except StoreError as exc:
        raise fail(str(exc)) from None
    store_url = store.url
    store.close()
    if (problem := _port_free(host, port)) is not None:
        raise fail(
            f"--host {host} --port {port}: cannot listen there ({problem}); choose another port with --port"
        )
    if host not in LOCAL_HOSTS:
        typer.echo(
            f"warning: --host {host}: the app is reachable from other machines that can reach this one; "
            "it has no login, and anyone who opens it can run the model and save packages in "
            f"{save}. Use --host 127.0.0.1 (the default) to keep it on this machine.",
            err=True,
        )
    from countysim.app import assets

    if lacking := assets.missing():
        typer.echo(
            f"note: the page's scripts ({', '.join(lacking)}) are not in {assets.cache_dir()}; the server "
            "fetches them from its CDN on first use. On a machine without internet access, put them there "
            "first (docs/app.md, 'Offline').",
            err=True,
        )
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    typer.echo(
        f"countysim app on http://{shown}:{port}/\n  scenarios: {folder}\n  store: {store_url}\n"
        f"  packages saved in: {save}\n  targets: {targets_file}\nCtrl-C stops it."
    )
    from countysim.app.server import serve

    config = AppConfig(scenarios_dir=folder, db_url=db, save_dir=save, targets_file=targets_file,
                       workers=Workers(workers))  # fmt: skip
    serve(config, host=host, port=port, open_browser=not no_open)


def register(app: typer.Typer) -> None:
    """Add ``app`` to the ``countysim`` command."""
    app.command("app", help=HELP)(app_cmd)
