"""What every ``countysim`` command shares: the run options, errors, output folders, tables, executors.

Every command that runs the model accepts ``run``'s options (``--seed``, ``--months``, ``--db``,
``--output-dir``) with the same meaning; commands that run many runs also take ``--workers`` and
``--cluster`` (a Dask scheduler address, or ``COUNTYSIM_CLUSTER``). Option values are checked as
the command line is read, before anything runs or is written: numbers within their ranges
(``--seed`` up to 2^63 - 1, ``--months`` within the scenario's horizon), no empty text or paths.
A command's default folder comes from :func:`default_output_dir`, always inside ``results/``.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import sys
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from countysim.scenario import Scenario, ScenarioError
from countysim.scenario import load as load_scenario

if TYPE_CHECKING:
    from countysim.experiments import RunSpec
    from countysim.results import RunResult

#: the largest seed: runs are stored with 64-bit signed seeds
MAX_SEED = 2**63 - 1
#: the most replications one command runs per scenario (each one's result is held in memory)
MAX_REPS = 10_000
#: the most local worker processes per CPU this process may use (runs are CPU-bound)
WORKERS_PER_CPU = 4
#: messages a Dask client keeps of what it sent its scheduler (``distributed.admin.low-level-log-length``,
#: 1000 by default: a log for debugging distributed itself). Every message of a run holds its
#: pickled scenario (about 8 KB), so the default log made the driver's memory grow with the runs
#: submitted, up to some 8 MB and more; a few messages are enough to debug a connection.
DASK_CLIENT_LOG_MESSAGES = 16
#: the longest experiment name the store keeps
MAX_NAME = 200


def _text(value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise typer.BadParameter("empty; leave the option out for its default")
    return value


def path_option(value: str) -> Path:
    """A file given to an option: not empty (an empty path would mean the working directory)."""
    if not value.strip():
        raise typer.BadParameter("empty; give a file, or leave the option out")
    return Path(value)


def output_dir_option(value: str) -> Path:
    """An ``--output-dir``: not empty, and not an existing file."""
    if not value.strip():
        raise typer.BadParameter("empty; leave the option out for a folder in results/")
    path = Path(value)
    if path.exists() and not path.is_dir():
        raise typer.BadParameter(f"{value} exists and is not a folder; give a folder")
    return path


def _check_workers(value: int | None) -> int | None:
    from countysim.experiments.runner import usable_cpus

    most = WORKERS_PER_CPU * usable_cpus()
    if value is not None and value > most:
        raise typer.BadParameter(
            f"{value} worker processes: at most {most} here ({WORKERS_PER_CPU} per CPU this process may "
            f"use, {usable_cpus()}); a run keeps one CPU busy, so more only share the same CPUs"
        )
    return value


def check_name(value: str | None) -> str | None:
    """An experiment name given on the command line: not empty, one line, at most ``MAX_NAME`` long."""
    if value is None:
        return None
    _text(value)
    if len(value) > MAX_NAME:
        raise typer.BadParameter(f"{len(value)} characters; at most {MAX_NAME}")
    if any(not c.isprintable() for c in value):
        raise typer.BadParameter(f"{value!r} holds control characters; give a name on one line")
    return value


SeedOpt = Annotated[
    int | None,
    typer.Option("--seed", help="Root seed (default: the scenario's seed).", min=0, max=MAX_SEED),
]
MonthsOpt = Annotated[
    int | None,
    typer.Option(
        "--months", help="Simulate only the first M months (default: the whole horizon).", min=1, max=360
    ),
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLAlchemy URL of the results store (default: $COUNTYSIM_DB or sqlite:///results/countysim.db).",
        callback=_text,
    ),
]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--output-dir",
        help="Folder for the command's files: CSV, JSON, figures, report.",
        parser=output_dir_option,
    ),
]


WorkersOpt = Annotated[
    int | None,
    typer.Option(
        "--workers",
        help=f"Local worker processes (default: one per CPU this process may use; at most {WORKERS_PER_CPU} per CPU).",
        min=1,
        callback=_check_workers,
    ),
]
ClusterOpt = Annotated[
    str | None,
    typer.Option(
        "--cluster",
        help="Dask scheduler address (default: $COUNTYSIM_CLUSTER; none: local processes).",
        callback=_text,
    ),
]
PosteriorOpt = Annotated[
    str | None,
    typer.Option(
        "--posterior",
        help="Posterior ensemble the replications draw behavioural parameters from: a calibration's name "
        "in the store or an ensemble file (.csv); 'none' for seed noise only (default: the shipped "
        "calibrations/nbs_2019_2022.csv where it exists).",
        callback=_text,
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
#: the largest factor --scale accepts (as Scenario.scaled)
MAX_SCALE = 100.0


def _check_lang(value: str) -> str:
    from countysim.labels import LANGS

    if value not in LANGS:
        raise typer.BadParameter(f"{value!r}: allowed {', '.join(LANGS)}")
    return value


def _check_scale(value: float | None) -> float | None:
    import math

    if value is not None and not (math.isfinite(value) and 0 < value <= MAX_SCALE):
        raise typer.BadParameter(
            f"{value:g}: allowed above 0 and at most {MAX_SCALE:g} (1 = as the file says)"
        )
    return value


LangOpt = Annotated[
    str,
    typer.Option(
        "--lang", help="Language of labels and headings: zh (simplified Chinese) or en.", callback=_check_lang
    ),
]
ScaleOpt = Annotated[
    float | None,
    typer.Option(
        "--scale",
        help="Run the county at F times its size: households, populations, capacities and count levers "
        "scale; rates do not (default: as the file says).",
        callback=_check_scale,
    ),
]
RepsOpt = Annotated[
    int,
    typer.Option("--reps", help="Replications per scenario (seeds S, S+1, ...).", min=1, max=MAX_REPS),
]


#: where commands write their files unless ``--output-dir`` says otherwise (under the working directory)
RESULTS_DIR = Path("results")
#: the longest default folder name, in UTF-8 bytes (file systems allow 255)
MAX_FOLDER_BYTES = 200
#: names Windows reserves for devices, whatever the extension
_DEVICES = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
#: characters that separate or are not allowed in a path component on some system
_UNSAFE = set('/\\:*?"<>|')


def safe_name(name: str) -> str:
    r"""``name`` as one readable path component that cannot leave the folder it is put in.

    Separators (``/``, ``\``), drive colons, characters Windows forbids, control and other
    invisible characters become ``_``; leading and trailing dots and spaces go (so ``..`` and
    ``.`` cannot name a parent); an empty result is ``unnamed``. Letters of every script stay as
    they are (``西安`` stays ``西安``).
    """
    text = unicodedata.normalize("NFC", str(name))
    chars = ["_" if c in _UNSAFE or (unicodedata.category(c)[0] in "CZ" and c != " ") else c for c in text]
    clean = re.sub(r"_{2,}", "_", "".join(chars)).strip(" .")
    if not clean:
        return "unnamed"
    if clean.split(".")[0].upper() in _DEVICES:
        clean = "_" + clean
    return clean


def default_output_dir(kind: str | None, *names: str, seed: int | None = None) -> Path:
    """The folder a command writes to by default: ``results/<kind>-<name>+<name>[-seed<seed>]``.

    Every name goes through :func:`safe_name`, so whatever a scenario or sweep is called, the
    folder lies inside ``results/``. A name longer than ``MAX_FOLDER_BYTES`` is shortened and
    ends with a hash of the whole, so two long names still get two folders. An explicit
    ``--output-dir`` is the user's choice and does not come here.

    Args:
        kind: the command's prefix (``needs``, ``compare``, ...), or ``None`` for ``run``.
        *names: the scenario, experiment or sweep names the folder is for.
        seed: the run's seed, for ``run``.
    """
    folder = "+".join(safe_name(n) for n in names) or "unnamed"
    if kind:
        folder = f"{kind}-{folder}"
    if seed is not None:
        folder += f"-seed{seed}"
    if len(folder.encode()) > MAX_FOLDER_BYTES:
        digest = hashlib.sha256(folder.encode()).hexdigest()[:12]
        kept = folder.encode()[: MAX_FOLDER_BYTES - len(digest) - 1].decode(errors="ignore")
        folder = f"{kept.rstrip(' .')}-{digest}"
    return RESULTS_DIR / folder


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``message`` to standard error and return the exit to raise."""
    typer.echo(message, err=True)
    return typer.Exit(code)


def load(path: Path, months: int | None = None, scale: float | None = None) -> Scenario:
    """Load a scenario, keeping only its first ``months`` months (``--months``), or exit with the error.

    ``--months`` shortens the horizon; asking for more months than the scenario has is an error
    (a longer run is a change to the scenario's ``[horizon]``, not an option). ``--scale F``
    makes the county F times its size (:meth:`Scenario.scaled`).
    """
    try:
        scenario = load_scenario(path)
        if scale is not None and scale != 1:
            scenario = scenario.scaled(scale)
    except ScenarioError as exc:
        raise fail(str(exc)) from None
    if months is None:
        return scenario
    horizon = scenario.horizon
    if months > horizon.months:
        raise fail(
            f"--months {months}: longer than the horizon of scenario {scenario.name!r} ({path}: "
            f"{horizon.months} months, {horizon.start} to {horizon.end}); --months keeps only the first "
            f"M months: allowed 1 to {horizon.months} (set [horizon] months in the file to run longer)"
        )
    try:
        return scenario.replace(**{"horizon.months": months})
    except ScenarioError as exc:  # a lever starting after the shortened horizon
        raise fail(str(exc)) from None


def check_seeds(first: int, reps: int) -> None:
    """Exit unless the replication seeds ``first .. first + reps - 1`` all fit the store's 64 bits."""
    if first + reps - 1 > MAX_SEED:
        raise fail(
            f"--seed {first} with --reps {reps}: the last replication's seed would be {first + reps - 1}, "
            f"above the largest seed {MAX_SEED} (2^63 - 1); give a seed of at most {MAX_SEED - reps + 1}"
        )


def resolve_posterior(value: str | None, db: str | None, scenarios: Sequence[Scenario] = ()):
    """The ensemble ``--posterior`` names (see ``PosteriorOpt``), or ``None`` for seed noise only.

    Exits with the reason when the name or file is not an ensemble, or when its parameters
    cannot be set on one of ``scenarios``.
    """
    from countysim.calibration.ensemble import SHIPPED, EnsembleError, check_paths, load_ensemble
    from countysim.store import StoreError

    if value is not None and value.strip().lower() == "none":
        return None
    if value is None and not SHIPPED.is_file():
        return None
    try:
        if value is None:
            ensemble = load_ensemble(SHIPPED)
        elif Path(value).suffix.lower() == ".csv" or Path(value).is_file():
            ensemble = load_ensemble(value)
        else:
            store = open_store(db)
            try:
                ensemble = load_ensemble(value, store)
            finally:
                store.close()
        for scenario in scenarios:
            check_paths(ensemble, scenario, "--posterior")
    except (EnsembleError, StoreError) as exc:
        raise fail(f"--posterior: {exc}") from None
    return ensemble


def uncertainty_line(posterior) -> str:
    """The line a command prints to say which sources of uncertainty its intervals include."""
    from countysim.experiments.compare import uncertainty_sources

    return "intervals include " + uncertainty_sources(posterior)


def open_store(db: str | None):
    """Connect to the results store before anything runs, or exit with its error."""
    from countysim.store import ResultsStore, StoreError

    try:
        return ResultsStore(db)
    except StoreError as exc:
        raise fail(str(exc)) from None


def dask_client(address: str, **kwargs):
    """A ``distributed.Client`` of the scheduler at ``address`` that keeps only a short log of what it sent.

    Its connection to the scheduler keeps the last ``DASK_CLIENT_LOG_MESSAGES`` messages sent
    instead of distributed's 1000 (each holding a run's pickled scenario), so the memory of a
    driver that submits many runs does not grow with their number.

    Args:
        address: the scheduler's address (``tcp://host:8786``).
        **kwargs: passed to ``distributed.Client`` (``timeout``, ...).
    """
    import dask
    from distributed import Client

    # read once, when the client connects: it sizes the client's log of messages sent
    with dask.config.set({"distributed.admin.low-level-log-length": DASK_CLIENT_LOG_MESSAGES}):
        return Client(address, **kwargs)


@contextmanager
def executor_for(workers: int | None, cluster: str | None) -> Iterator[Executor]:
    """The executor for many runs: a Dask cluster if an address is given, else local processes.

    The local pool's workers end with the driver (``countysim.experiments.runner.worker_start``)
    and are stopped at once when the command ends by an error or an interrupt.
    """
    address = cluster or os.environ.get("COUNTYSIM_CLUSTER")
    if address:
        try:
            client = dask_client(address, timeout="10s")
        except Exception as exc:
            raise fail(f"cannot reach the Dask scheduler at {address!r}: {exc}") from None
        try:
            yield client.get_executor()
        finally:
            client.close()
        return
    from countysim.experiments.runner import default_executor, stop_workers

    pool = default_executor(workers)
    try:
        yield pool
    except BaseException:
        # an error or an interrupt ends the command: do not wait for the runs in flight
        stop_workers(pool)
        raise
    finally:
        pool.shutdown(cancel_futures=True)


#: what a table cell holding a number looks like (such columns are right-aligned)
_NUMERIC = re.compile(r"^([+\-−]?[\d,]*\.?\d+(e[+\-]\d+)?%?|[+\-]?∞|n/a|)$")


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    markdown: bool = False,
    wrap: Collection[str] | None = None,
) -> None:
    """Print rows as a table (``rich``), or as a Markdown table for the docs.

    Nothing is cut off: on a terminal, the cells of the ``wrap`` columns (default: every column
    of text) wrap to fit its width, and the others (names, numbers) stay whole; into a file or a
    pipe, every row stays on one line. Columns of numbers are right-aligned.
    """
    cells = [[str(x) for x in r] for r in rows]
    if markdown:
        typer.echo("| " + " | ".join(header) + " |")
        typer.echo("|" + "---|" * len(header))
        for r in cells:
            typer.echo("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
        return
    from rich import box
    from rich.table import Table

    grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="")
    for j, name in enumerate(header):
        numeric = bool(cells) and all(_NUMERIC.match(r[j]) for r in cells)
        whole = numeric or (wrap is not None and name not in wrap)
        grid.add_column(name, overflow="fold", justify="right" if numeric else "left", no_wrap=whole)
    for r in cells:
        grid.add_row(*r)
    echo_rich(grid)


def terminal_width() -> int | None:
    """The terminal's width in columns, or ``None`` when the output is a file or a pipe."""
    import shutil

    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def echo_rich(renderable: object) -> None:
    """Print a ``rich`` renderable as plain text: as wide as the terminal, unbounded into a file."""
    from rich.console import Console

    width = terminal_width() or 100_000
    console = Console(
        file=io.StringIO(), width=width, color_system=None, markup=False, highlight=False, emoji=False
    )
    console.print(renderable)
    typer.echo("\n".join(line.rstrip() for line in console.file.getvalue().splitlines()))


def run_and_reload(
    name: str,
    kind: str,
    specs: list[RunSpec],
    db: str | None,
    workers: int | None,
    cluster: str | None,
    quiet: bool,
    description: dict,
) -> dict[tuple[str, int], RunResult]:
    """Run the specs not yet stored, then reload every spec's stored result, keyed (hash, seed).

    Exits with status 1 (after storing the rest) when a run fails, and 2 on a store error.
    """
    from countysim.experiments import load_results, run_experiment
    from countysim.store import StoreError

    store = open_store(db)
    try:
        with executor_for(workers, cluster) as executor:
            _, failures = run_experiment(
                name, specs, store=store, executor=executor, kind=kind,
                description=description, progress=not quiet,
            )  # fmt: skip
        if failures:
            first = failures[0]
            raise fail(
                f"{len(failures)} run(s) of {name!r} failed (stored as failed); the first, "
                f"{first.spec.scenario.name} seed {first.spec.seed}:\n{first.error}",
                code=1,
            )
        wanted = {s.key for s in specs}
        stored = {(r.scenario_hash, r.seed): r for r in load_results(store, name)}
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    missing = wanted - set(stored)
    if missing:  # pragma: no cover - run_experiment stores every success
        raise fail(f"{len(missing)} run(s) of {name!r} are missing from the store", code=1)
    return stored
