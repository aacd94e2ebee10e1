"""``countysim app``: help, checks before the server starts, the bind address and its warning."""

from __future__ import annotations

import socket

import pytest
from typer.testing import CliRunner

from countysim.app import assets
from countysim.app.explorer import ExplorerModel, explorer_scenario
from countysim.app.labels import label, readable
from countysim.cli import app
from countysim.model import CountyModel

from helpers import ROOT

runner = CliRunner()


@pytest.fixture()
def served(monkeypatch):
    """Record what the server would be started with instead of starting it."""
    calls = []
    import countysim.app.server as server

    monkeypatch.setattr(server, "serve", lambda config, **kw: calls.append((config, kw)))
    return calls


def _args(tmp_path, *extra):
    return ["app", "--db", f"sqlite:///{tmp_path / 's.db'}", "--save-dir", str(tmp_path / "saved"), "--no-open",
            "--port", str(_free_port()), *extra]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_help_says_how_to_start_it_and_what_each_page_is_for():
    res = runner.invoke(app, ["app", "--help"], terminal_width=200)
    assert res.exit_code == 0
    for words in ("Try a package", "Results", "Model explorer", "--no-open", "--host", "--scenarios", "--save-dir",
                  "127.0.0.1"):  # fmt: skip
        assert words in res.output


def test_it_binds_to_this_machine_by_default(tmp_path, served):
    res = runner.invoke(app, _args(tmp_path))
    assert res.exit_code == 0, res.output
    config, kw = served[0]
    assert kw["host"] == "127.0.0.1" and kw["open_browser"] is False
    assert config.save_dir == (tmp_path / "saved").resolve() and config.scenarios_dir == ROOT / "scenarios"
    assert "warning" not in res.output


def test_another_host_is_served_with_a_warning(tmp_path, served):
    res = runner.invoke(app, _args(tmp_path, "--host", "0.0.0.0"))
    assert res.exit_code == 0, res.output
    assert served[0][1]["host"] == "0.0.0.0"
    assert "warning: --host 0.0.0.0: the app is reachable from other machines" in res.output


def test_a_missing_scenarios_folder_is_an_error(tmp_path, served):
    res = runner.invoke(app, _args(tmp_path, "--scenarios", str(tmp_path / "nope")))
    assert res.exit_code == 2 and "no such folder" in res.output and not served


def test_a_folder_without_a_valid_scenario_is_an_error(tmp_path, served):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "bad.toml").write_text("[levers]\nnope = 1\n")
    res = runner.invoke(app, _args(tmp_path, "--scenarios", str(tmp_path / "s")))
    assert res.exit_code == 2 and "no valid scenario file" in res.output and "unknown lever" in res.output


def test_an_unwritable_save_folder_is_an_error(tmp_path, served):
    (tmp_path / "file").write_text("")
    args = _args(tmp_path)
    args[args.index("--save-dir") + 1] = str(tmp_path / "file" / "sub")
    res = runner.invoke(app, args)
    assert res.exit_code == 2 and "cannot write there" in res.output and not served


def test_a_bad_store_url_is_an_error(tmp_path, served):
    args = _args(tmp_path)
    args[2] = "nosuchdriver://x"
    res = runner.invoke(app, args)
    assert res.exit_code == 2 and "cannot open the results store" in res.output and not served


def test_a_busy_port_is_an_error(tmp_path, served):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        args = _args(tmp_path)
        args[args.index("--port") + 1] = str(port)
        res = runner.invoke(app, args)
    assert res.exit_code == 2 and f"--port {port}: cannot listen there" in res.output and not served


def test_the_assets_needed_follow_the_installed_solara(tmp_path):
    needed = assets.needed()
    assert [s.rsplit("@", 1)[0] for s in needed] == ["@widgetti/solara-vuetify-app", "requirejs",
                                                   "@widgetti/vue-grid-layout"]  # fmt: skip
    assert assets.missing(tmp_path) == needed
    for spec in needed:
        (tmp_path / spec).mkdir(parents=True)
        (tmp_path / spec / "package.json").write_text("{}")
    assert assets.missing(tmp_path) == []


def test_labels_go_through_one_function_and_take_the_shared_catalogue_labels():
    from countysim import labels as shared

    assert label("s1_training_places_per_year", "en") == shared.label("s1_training_places_per_year", "en")
    assert (
        label("settled_persons_cum", "zh") == shared.label("settled_persons_cum", "zh") == "累计县城落户人数"
    )
    # a name without a shared label reads as words
    assert (
        label("no_such_indicator_cum", "zh")
        == readable("no_such_indicator_cum")
        == "no such indicator (cumulative)"
    )
    assert label("run", "zh") != label("run", "en")
    with pytest.raises(ValueError, match="unknown language 'fr'; allowed: en, zh"):
        label("run", "fr")


def test_the_explorer_model_is_county_model_built_from_keywords(monkeypatch):
    import countysim.app.explorer as explorer
    from countysim.app.config import AppConfig

    monkeypatch.setattr(explorer, "current", lambda: AppConfig(scenarios_dir=ROOT / "scenarios"))
    model = ExplorerModel(county="baseline.toml", scale=0.01, rng=7)
    direct = CountyModel(explorer_scenario(ROOT / "scenarios", "baseline.toml", 0.01), rng=7)
    for _ in range(3):
        model.step()
        direct.step()
    frame = model.datacollector.get_model_vars_dataframe()
    assert list(frame.columns) == [i.name for i in direct.indicators] and len(frame) == 3
    assert (frame.to_numpy() == direct.datacollector.get_model_vars_dataframe().to_numpy()).all()
    # SolaraViz's Reset: keyword arguments plus Mesa's own scenario object
    from mesa.visualization.solara_viz import _build_model_init_kwargs

    kwargs = _build_model_init_kwargs(model, {"county": "baseline.toml", "scale": 0.01, "rng": 7},
                                      add_scenario_when_empty=True, require_model_accepts_scenario=True)  # fmt: skip
    again = type(model)(**kwargs)
    again.step()
    assert again.panel[0].tolist() == model.panel[0].tolist()
    with pytest.raises(ValueError, match="not a scenario file of"):
        ExplorerModel(county="../etc/passwd", scale=0.01)


def test_both_languages_of_every_text_take_the_same_fields():
    import string

    from countysim.app.labels import TEXT

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for key, (en, zh) in TEXT.items():
        assert fields(en) == fields(zh), key
        assert "name" not in fields(en), f"{key}: {{name}} clashes with label()'s first argument"
