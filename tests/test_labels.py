"""Every indicator, lever and needs item has a Chinese and an English label, in one data file."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from countysim import labels
from countysim.cli import app
from countysim.indicators import CATALOGUE
from countysim.policy.levers import LEVERS
from countysim.resources import ITEMS


@pytest.mark.parametrize(("kind", "names"), [("indicator", [i.name for i in CATALOGUE]),
                                             ("lever", [lv.name for lv in LEVERS]),
                                             ("item", [i.name for i in ITEMS])])  # fmt: skip
def test_every_catalogue_entry_has_both_labels_and_a_chinese_unit(kind, names):
    missing = [n for n in names if labels.find(n, kind) is None]
    assert not missing, f"{kind}s without a label in data/labels.csv: {missing}"
    for name in names:
        entry = labels.find(name, kind)
        assert entry.zh and entry.en and entry.unit_zh
        assert any("\u4e00" <= c <= "\u9fff" for c in entry.zh), (
            f"{name}: zh label {entry.zh!r} has no Chinese"
        )
        assert entry.en.isascii(), f"{name}: en label {entry.en!r}"


def test_no_label_for_a_name_the_catalogues_do_not_have():
    known = {("indicator", i.name) for i in CATALOGUE} | {("lever", lv.name) for lv in LEVERS}
    known |= {("item", i.name) for i in ITEMS}
    assert set(labels.labels()) <= known, sorted(set(labels.labels()) - known)


def test_label_falls_back_to_the_name_and_refuses_other_languages():
    assert labels.label("contract_rate", "zh") == "劳动合同签订率"
    assert labels.label("contract_rate", "en") == "Labour-contract rate"
    assert labels.label("not_a_name", "zh") == "not_a_name"
    with pytest.raises(ValueError, match="unknown language 'fr'; allowed: zh, en"):
        labels.label("contract_rate", "fr")


def test_a_bad_labels_file_names_its_line():
    text = (
        "kind,name,zh,en,unit_zh\nindicator,a,甲,A,人\nwidget,b,乙,B,人\nlever,c,,C,人\nindicator,a,甲,A,人\n"
    )
    with pytest.raises(labels.LabelsError) as err:
        labels.parse_labels(text, "x.csv")
    msg = str(err.value)
    assert "x.csv" in msg and "line 3: kind 'widget' unknown; allowed: indicator, lever, item" in msg
    assert "line 4 (c): empty zh" in msg and "line 5: indicator 'a' labelled twice" in msg
    with pytest.raises(labels.LabelsError, match="header must be kind,name,zh,en,unit_zh"):
        labels.parse_labels("name,zh\n", "x.csv")


@pytest.mark.parametrize("command", ["levers", "indicators"])
def test_catalogue_commands_print_chinese_labels_in_full(command):
    out = CliRunner().invoke(app, [command, "--lang", "zh"])
    assert out.exit_code == 0, out.output
    kind = "lever" if command == "levers" else "indicator"
    names = [lv.name for lv in LEVERS] if command == "levers" else [i.name for i in CATALOGUE]
    lines = out.output.splitlines()
    for name in names:  # one whole line per entry, with its whole Chinese label on it
        column = 0 if kind == "indicator" else 1
        line = next(ln for ln in lines if len(ln.split()) > column and ln.split()[column] == name)
        assert labels.label(name, "zh", kind) in line, line
    en = CliRunner().invoke(app, [command, "--lang", "en"])
    assert en.exit_code == 0 and "名称" not in en.output and names[-1] in en.output


def test_params_takes_lang_and_refuses_another():
    out = CliRunner().invoke(app, ["params", "--lang", "zh"])
    assert out.exit_code == 0 and "来源或假设" in out.output and "county.households.n" in out.output
    bad = CliRunner().invoke(app, ["params", "--lang", "fr"])
    assert bad.exit_code == 2 and "'fr': allowed zh, en" in bad.output
