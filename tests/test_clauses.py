"""Every clause of the notice maps to a lever or an indicator; the table is generated from code."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from countysim.cli import app
from countysim.indicators import CATALOGUE_BY_NAME
from countysim.policy.clauses import CLAUSES, THROUGH_INDICATORS, coverage

from helpers import ROOT

POLICY_MAP = ROOT.parent / "shared" / "POLICY_MAP.md"


def test_clause_list_matches_the_policy_map():
    if not POLICY_MAP.is_file():
        pytest.skip(f"{POLICY_MAP} not beside the checkout")
    ids = set(re.findall(r"^\| ([A-Z]\d) \|", POLICY_MAP.read_text(encoding="utf-8"), flags=re.M))
    assert ids == set(CLAUSES)


@pytest.mark.parametrize("row", coverage(), ids=lambda r: r["clause"])
def test_every_clause_is_covered(row):
    if row["clause"] in THROUGH_INDICATORS:
        assert row["indicators"], f"{row['clause']} has no indicator"
    else:
        assert row["levers"], f"{row['clause']} changes behaviour or capacity but has no lever"
        assert row["indicators"], f"{row['clause']} moves no indicator"
    assert set(row["indicators"]) <= set(CATALOGUE_BY_NAME)


def test_cli_prints_the_clause_table():
    out = CliRunner().invoke(app, ["levers", "--clauses"]).output
    for cid in CLAUSES:
        assert f"| {cid} |" in out
    assert "r4_transfer_ease" in out and "public_school_share" in out
