"""The model explorer: Mesa's ``SolaraViz`` over ``CountyModel``, on a small county.

What a Mesa user knows: the Controls card (step, play / pause, reset, play and render
intervals), the Model Parameters card (the county scenario, its size, the seed) and line plots
of model-level reporters from the model's ``DataCollector`` (one reporter per indicator).

Mesa 3.5's ``SolaraViz`` re-creates the model on *Reset* from keyword arguments and reserves
the keyword ``scenario`` for Mesa's own ``Scenario`` class (it passes a fresh one), while
``CountyModel`` takes a countysim scenario first. :class:`ExplorerModel` is ``CountyModel``
built from SolaraViz-friendly keywords — a scenario file of the app's folder, a scale and
``rng`` — and ignores the Mesa scenario it is handed; it is built exactly as
``CountyModel(scenario, rng=seed)``.
"""

from __future__ import annotations

from pathlib import Path

import solara
from mesa.visualization import Slider, SolaraViz, make_plot_component

from countysim.app.config import current
from countysim.app.labels import label
from countysim.model import CountyModel
from countysim.scenario import Scenario
from countysim.scenario import load as load_scenario

#: the reporters drawn, one plot per group
PLOTS: tuple[tuple[str, ...], ...] = (
    ("employed_rate", "local_employment_share", "out_migrant_share"),
    ("mean_monthly_income",),
    ("contract_rate", "pension_coverage"),
    ("public_school_share", "town_schooling_share"),
    ("settled_persons_cum",),
    ("training_person_times",),
)
COLOURS = ("tab:blue", "tab:orange", "tab:green")


def county_files(folder: Path) -> list[str]:
    """The scenario files of ``folder`` that validate (``baseline.toml`` first)."""
    from countysim.app.package import list_scenarios

    return [f.file for f in list_scenarios(folder) if f.scenario is not None]


def explorer_scenario(folder: Path, county: str, scale: float) -> Scenario:
    """Scenario file ``county`` of ``folder`` at ``scale`` times its size.

    Raises:
        ValueError: if ``county`` is not one of the folder's valid scenario files.
    """
    files = county_files(folder)
    if county not in files:
        raise ValueError(f"county {county!r} is not a scenario file of {folder}; allowed: {', '.join(files)}")
    return load_scenario(Path(folder) / county).scaled(float(scale))


class ExplorerModel(CountyModel):
    """``CountyModel`` as ``SolaraViz`` makes it: from keywords, on a scenario file of the app's folder.

    Args:
        county: a scenario file name of the app's scenarios folder.
        scale: the county's size as a share of the scenario's.
        rng: the root seed (default: the scenario's).
        scenario: Mesa's scenario object passed by ``SolaraViz`` on reset; not used (the
            county scenario comes from ``county``).
    """

    def __init__(
        self,
        *,
        county: str = "baseline.toml",
        scale: float = 0.02,
        rng: int | None = None,
        scenario: object = None,
    ) -> None:
        spec = explorer_scenario(current().scenarios_dir, county, scale)
        super().__init__(spec, rng=spec.seed if rng is None else int(rng))


def _titled(names: tuple[str, ...]):
    def post_process(ax) -> None:
        ax.set_title(" / ".join(label(n, "en") for n in names), fontsize=10)
        ax.set_xlabel("month", fontsize=8)
        handles, _ = ax.get_legend_handles_labels()
        if handles:
            ax.legend(handles, [label(n, "en") for n in names], fontsize=8)

    return post_process


def model_params(files: list[str], scale: float, seed: int) -> dict:
    """The explorer's Model Parameters card: county file, scale, and a seed from the scenario's on."""
    return {
        "county": {"type": "Select", "value": files[0], "values": files, "label": "County scenario"},
        "scale": Slider("Scale of the county", scale, 0.005, 0.1, 0.005),
        "rng": Slider("Seed", seed, seed, seed + 99, 1),
    }


def components() -> list:
    """One Mesa plot component per group of reporters."""
    return [
        make_plot_component(dict(zip(names, COLOURS, strict=False)), post_process=_titled(names))
        for names in PLOTS
    ]


@solara.component
def ExplorerPage() -> None:
    """``SolaraViz`` over a small county."""
    cfg = current()
    files = solara.use_memo(lambda: county_files(cfg.scenarios_dir), [])
    model = solara.use_memo(
        lambda: ExplorerModel(county=files[0], scale=cfg.explorer_scale) if files else None, []
    )
    if model is None:
        solara.Error(f"no valid scenario file in {cfg.scenarios_dir}: the explorer needs one")
        return
    SolaraViz(model, components=components(), model_params=model_params(files, cfg.explorer_scale, model.seed),
              name="CountyModel")  # fmt: skip
