"""``countysim county``: a planner's own county from its county sheet.

``countysim county new SHEET --output FILE.toml`` reads a county sheet (CSV ``key,value,source``
or TOML; :mod:`countysim.county_sheet`) and writes the county's scenario: its own figures set,
everything else the national defaults scaled by its size, each number commented with where it
came from. ``countysim county keys`` lists what a sheet may hold.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from countysim.cli_common import LangOpt, fail, path_option, table

county_app = typer.Typer(
    no_args_is_help=True, help="A planner's own county: a scenario from its county sheet."
)


@county_app.command("new")
def new(
    sheet: Annotated[Path, typer.Argument(help="County sheet: CSV (key,value,source) or TOML.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Scenario file to write (TOML).", parser=path_option)
    ],
    name: Annotated[
        str | None, typer.Option("--name", help="Scenario name (default: the county's name).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
) -> None:
    """Write the county's scenario from its sheet: given figures set, the rest derived and scaled by size."""
    from countysim.county_sheet import CountySheetError, new_county
    from countysim.scenario import ScenarioError

    if output.exists() and not force:
        raise fail(f"{output} exists; give another --output, or --force to overwrite it")
    if output.suffix.lower() != ".toml":
        raise fail(f"--output {output}: a scenario file ends in .toml")
    if name is not None and not name.strip():
        raise fail("--name: empty; leave it out for the county's name")
    try:
        scenario, factor = new_county(sheet, output, name)
    except (CountySheetError, ScenarioError) as exc:
        raise fail(str(exc)) from None
    c = scenario.county
    typer.echo(
        f"wrote {output}: scenario {scenario.name!r}, {c.households.n:,} migrant-worker households "
        f"(size factor {factor:.3g} of the default county), hukou population {c.hukou_population:,}, "
        f"key assisted: {'yes' if c.key_assisted else 'no'}\n"
        f'next: countysim run {output}   (or a package: a file with extends = "{output.name}" and its [levers])'
    )


@county_app.command("keys")
def keys(lang: LangOpt = "en") -> None:
    """Print the figures a county sheet may hold: key, meaning, unit, required or not."""
    from countysim.county_sheet import SHEET_KEYS

    zh = lang == "zh"
    rows = [(k.key, k.zh if zh else k.en, k.unit, ("必填" if zh else "required") if k.required else "")
            for k in SHEET_KEYS]  # fmt: skip
    header = ("key", "含义", "单位", "") if zh else ("key", "meaning", "unit", "")
    table(header, rows, wrap=(header[1],))


def register(app: typer.Typer) -> None:
    """Add ``county`` (``new``, ``keys``) to the ``countysim`` command."""
    app.add_typer(county_app, name="county")
