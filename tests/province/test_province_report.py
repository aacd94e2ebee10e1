"""The province report's tables: every CSV also a sheet of ``tables.xlsx``, read back the same."""

from __future__ import annotations

import csv
import dataclasses
import math

import pandas as pd
import pytest

from conftest import REPS
from countysim.commands.province import _keep
from countysim.province import roll_up
from countysim.province.assess import assess_province, county_gaps
from countysim.report.province import ProvinceReport, write_report

pytest.importorskip("openpyxl")


@pytest.fixture(scope="module")
def report(example, example_store, tmp_path_factory):
    rollup = roll_up(example, example_store, REPS, **_keep(example))
    # the targets within the tiny example's 13 months
    example = dataclasses.replace(
        example, targets=tuple(t for t in example.targets if t.target.at <= rollup.months[-1])
    )
    assert example.targets
    data = ProvinceReport(
        province=example, rollup=rollup, package="full_action", baseline="status_quo",
        assessment=assess_province(example, rollup, "full_action", "status_quo"),
        gaps=county_gaps(example, rollup, "full_action"),
    )  # fmt: skip
    out = tmp_path_factory.mktemp("report")
    written = write_report(data, out, lang="en")
    return out, written


def _csv(path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _same(csv_cell: str, excel_cell) -> bool:
    if csv_cell == "":
        return (
            excel_cell is None
            or (isinstance(excel_cell, float) and math.isnan(excel_cell))
            or excel_cell == ""
        )
    if isinstance(excel_cell, bool):
        return csv_cell == str(excel_cell)
    if isinstance(excel_cell, int | float):
        return float(csv_cell) == pytest.approx(float(excel_cell), rel=1e-9, abs=1e-12)
    return csv_cell == str(excel_cell)


def test_every_table_is_a_sheet_with_the_csvs_header_and_values(report) -> None:
    out, written = report
    workbook = out / "tables.xlsx"
    assert workbook in written.files
    csvs = {p.stem: p for p in sorted((out / "tables").glob("*.csv"))}
    sheets = pd.read_excel(workbook, sheet_name=None, dtype=object)
    # one sheet per table, named as the CSV (Excel's 31 characters at most)
    assert set(sheets) == {name[:31] for name in csvs}
    for name in ("province_summary", "province_targets", "county_gaps", "needs_total", "transfer_pool",
                 "transfer_pool_by_county", "county_values", "rollup_rules"):  # fmt: skip
        assert name in csvs, name
    for name, path in csvs.items():
        header, rows = _csv(path)
        sheet = sheets[name[:31]]
        assert [str(c) for c in sheet.columns] == header, name
        assert len(sheet) == len(rows), name
        for k in (
            {0, len(rows) // 2, len(rows) - 1} if rows else ()
        ):  # first, middle and last rows, every cell
            for col, cell in enumerate(rows[k]):
                assert _same(cell, sheet.iat[k, col]), (
                    f"{name} row {k} {header[col]}: {cell!r} vs {sheet.iat[k, col]!r}"
                )


def test_a_number_in_the_workbook_equals_the_csvs_and_the_roll_up(report, example) -> None:
    out, _ = report
    pool = pd.read_excel(out / "tables.xlsx", sheet_name="transfer_pool_by_county")
    csv_pool = pd.read_csv(out / "tables" / "transfer_pool_by_county.csv", encoding="utf-8-sig")
    last = pool[(pool["package"] == "full_action")].iloc[-1]
    from_csv = csv_pool[(csv_pool["package"] == "full_action")].iloc[-1]
    assert last["county"] == from_csv["county"] and last["month"] == from_csv["month"]
    assert last["provincial_transfer_cum_yuan"] > 0
    assert last["provincial_transfer_cum_yuan"] == pytest.approx(
        from_csv["provincial_transfer_cum_yuan"], rel=1e-9
    )
    summary = pd.read_excel(out / "tables.xlsx", sheet_name="province_summary", dtype=str)
    assert list(summary.columns) == ["indicator", "unit", "status_quo", "full_action"]
    assert summary.iloc[0].tolist() == _csv(out / "tables" / "province_summary.csv")[1][0]
