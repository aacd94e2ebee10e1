"""Write the generated reference pages of docs/ from the code (run after changing the schema).

``uv run python docs/build.py`` rewrites parameters.md, levers.md and indicators.md; the tests
fail when a committed page differs from what the code generates.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from countysim.cli import app

DOCS = Path(__file__).parent
PAGES = {
    "levers.md": (
        "# Policy levers\n\nGenerated from `countysim.policy.levers` by `countysim levers --markdown`. "
        "Each lever belongs to a clause of POLICY_MAP.md; a scenario sets `value`, `start` and "
        "`ramp_months` under `[levers]`.\n\n",
        ["levers", "--markdown"],
    ),
    "indicators.md": (
        "# Indicator catalogue\n\nGenerated from `countysim.indicators` by `countysim indicators --markdown`. "
        "Values are end-of-month; `_cum` and person-times count from the run's start.\n\n",
        ["indicators", "--markdown"],
    ),
    "clauses.md": (
        "# Clause coverage\n\nGenerated from the code by `countysim levers --clauses`: every clause of "
        "POLICY_MAP.md with the levers that implement it and the indicators that show it. Objectives "
        "(O1-O5) and W2-W3 are covered through indicators and the tools (baseline, comparison, "
        "assessment); W3's indicators are those of the objectives.\n\n",
        ["levers", "--clauses"],
    ),
    "parameters.md": (
        "# Scenario parameters\n\nGenerated from `countysim.scenario` by `countysim params --markdown`: "
        "every key a scenario file may set, its default, unit, allowed range and source or assumption.\n\n",
        ["params", "--markdown"],
    ),
}


def render(name: str) -> str:
    """The page's text as the code generates it now."""
    intro, args = PAGES[name]
    result = CliRunner().invoke(app, args)
    if result.exit_code != 0:
        raise RuntimeError(result.output)
    return intro + result.output


#: pages written by hand with blocks generated from the code: page -> [(marker, command)]
BLOCKS = {
    "model.md": [("phases", ["phases", "--markdown"])],
    "calibration.md": [
        (
            "plausibility-validation",
            ["plausibility", "scenarios/validation/from_2019.toml", "--reps", "2", "--markdown"],
        ),
        ("plausibility-baseline", ["plausibility", "scenarios/baseline.toml", "--markdown"]),
        ("calibration-shipped", ["calibration", "show", "calibrations/nbs_2019_2022.csv", "--markdown"]),
    ],
}


def render_blocks(name: str) -> str:
    """A hand-written page with its generated blocks (``<!-- marker:begin/end -->``) as the code makes them now.

    ``countysim plausibility`` exits 1 when a row leaves its range; the page then shows the NO.
    """
    text = (DOCS / name).read_text(encoding="utf-8")
    for marker, args in BLOCKS[name]:
        result = CliRunner().invoke(app, args)
        if result.exit_code not in (0, 1) or (
            result.exception and not isinstance(result.exception, SystemExit)
        ):
            raise RuntimeError(result.output)
        begin, end = f"<!-- {marker}:begin -->\n", f"<!-- {marker}:end -->"
        head, rest = text.split(begin, 1)
        text = head + begin + result.output + end + rest.split(end, 1)[1]
    return text


if __name__ == "__main__":
    for page in PAGES:
        (DOCS / page).write_text(render(page), encoding="utf-8")
        print(f"wrote docs/{page}")
    for page in BLOCKS:
        (DOCS / page).write_text(render_blocks(page), encoding="utf-8")
        print(f"wrote the generated block of docs/{page}")
