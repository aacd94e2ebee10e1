"""The provincial transfer pool: shared exactly by settled persons, validated like every province input."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from conftest import EXAMPLE, REPS
from countysim.province import ProvinceError, load_province, roll_up
from countysim.province.rollup import share_pool
from countysim.province.spec import POOL_MAX_YUAN, TransferPool


@pytest.fixture(scope="module")
def pooled(example, example_store):
    return roll_up(example, example_store, REPS, keep_months=("2023-06",))


def _settled_from_store(example, store) -> dict[tuple[str, str, int], np.ndarray]:
    """Each run's settled persons by month, read from the store on its own (not through the roll-up)."""
    out = {}
    for c in example.counties:
        for p in example.packages:
            h = example.county_scenario(c, p).content_hash()
            for r, seed in enumerate(example.seeds(c, REPS)):
                out[(c.name, p.name, r)] = (h, seed)
    panel = store.panel(experiment=example.experiment, indicators=["settled_persons_cum"])
    series = {
        (h, int(s)): g["settled_persons_cum"].to_numpy()
        for (h, s), g in panel.groupby(["scenario_hash", "seed"])
    }
    return {k: series[v] for k, v in out.items()}


def test_share_pool_adds_up_to_the_pool_in_proportion_to_settled_persons() -> None:
    settled = np.array(
        [[[[0.0, 10, 30]]], [[[0.0, 30, 10]]], [[[0.0, 0, 60]]]]
    )  # 3 counties, 1 package, 3 months
    month = share_pool(settled, np.array([1200.0]))
    np.testing.assert_allclose(month.sum(axis=0)[0, 0], [0.0, 1200.0, 1200.0])  # month 1: nobody settled
    np.testing.assert_allclose(month[:, 0, 0, 1], [300.0, 900.0, 0.0])
    np.testing.assert_allclose(month[:, 0, 0, 2], [360.0, 120.0, 720.0])


def test_the_pool_is_shared_exactly_by_settled_persons(example, example_store, pooled) -> None:
    full = example.package("full_action")
    assert full.transfer_pool is not None and full.transfer_pool.yuan_per_year > 0
    pool_month = full.transfer_pool.yuan_per_year / 12 * example.scale
    p = example.packages.index(full)
    settled = _settled_from_store(example, example_store)
    # the province total is the pool, month by month, in every replication (a month nobody settled: unallocated)
    paid = pooled.pool_totals["all"][p] + pooled.pool_totals["unallocated"][p]
    for r in range(REPS):
        np.testing.assert_allclose(paid[r], pool_month * np.arange(1, len(pooled.months) + 1))
        total = sum(settled[(c.name, full.name, r)] for c in example.counties)
        assert total[-1] > 0
        np.testing.assert_allclose(
            pooled.pool_totals["unallocated"][p, r, -1], pool_month * (total == 0).sum()
        )
    # a county's transfer in a month is the pool times its share of the province's settled persons
    rows = pooled.pool_county[pooled.pool_county["package"] == full.name]
    assert (
        set(rows["month"]) == {"2023-06", pooled.months[-1]} and len(rows) == len(example.counties) * REPS * 2
    )
    for row in rows.itertuples():
        m = pooled.months.index(row.month)
        s = settled[(row.county, full.name, row.rep)]
        total = sum(settled[(c.name, full.name, row.rep)][m] for c in example.counties)
        assert row.settled_persons_cum == s[m]
        assert row.settled_share == pytest.approx(s[m] / total if total else 0.0, rel=1e-12)
        assert row.provincial_transfer_month_yuan == pytest.approx(pool_month * row.settled_share, rel=1e-12)
        shares = [
            settled[(row.county, full.name, row.rep)][t] / tot if (tot := sum(settled[(c.name, full.name, row.rep)][t]
                                                                              for c in example.counties)) else 0.0
            for t in range(m + 1)
        ]  # fmt: skip
        assert row.provincial_transfer_cum_yuan == pytest.approx(pool_month * sum(shares), rel=1e-9)
    # the key assisted counties get their share, no more; the package without a pool pays nothing
    ka = rows[rows["key_assisted"] & (rows["month"] == pooled.months[-1])]
    np.testing.assert_allclose(
        ka.groupby("rep")["provincial_transfer_cum_yuan"].sum().to_numpy(),
        pooled.pool_totals["key_assisted"][p, :, -1],
    )
    assert (pooled.pool_totals["all"][example.packages.index(example.package("status_quo"))] == 0).all()
    summary = pooled.pool_summary()
    line = summary[(summary["group"] == "all") & (summary["package"] == full.name)].iloc[0]
    assert line["mean"] == pytest.approx(pooled.pool_totals["all"][p, :, -1].mean())


def test_the_pool_changes_no_run(example) -> None:
    # nothing in a county reads its transfers back: the runs (their scenarios) are the same without the pool
    without = dataclasses.replace(
        example, packages=tuple(dataclasses.replace(p, transfer_pool=None) for p in example.packages)
    )
    for c in example.counties:
        for a, b in zip(example.packages, without.packages, strict=True):
            assert (
                example.county_scenario(c, a).content_hash() == without.county_scenario(c, b).content_hash()
            )


def _with_pool(tmp_path, pool: str):
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        '"../scenarios/', f'"{EXAMPLE.parent.parent}/scenarios/'
    )
    text = text.replace(
        'table = "example5_counties.csv"', f'table = "{EXAMPLE.parent}/example5_counties.csv"'
    )
    assert "yuan_per_year = 2.0e8\n" in text
    path = tmp_path / "pool.toml"
    path.write_text(text.replace("yuan_per_year = 2.0e8\n", pool), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("pool", "key", "shown", "allowed"),
    [
        (
            "yuan_per_year = -1.0\n",
            "package[2].transfer_pool.yuan_per_year",
            "-1.0",
            f"from 0 to {POOL_MAX_YUAN:g}",
        ),
        (
            'yuan_per_year = "a lot"\n',
            "package[2].transfer_pool.yuan_per_year",
            "'a lot'",
            "must be a number",
        ),
        ("yuan_per_year = true\n", "package[2].transfer_pool.yuan_per_year", "True", "must be a number"),
        ("yuan_per_year = 2e12\n", "package[2].transfer_pool.yuan_per_year", "2000000000000.0", "from 0 to"),
        ("yuan_per_yaer = 2.0e8\n", "package[2].transfer_pool.yuan_per_yaer", "200000000.0", "yuan_per_year"),
        ("share_by = 1\n", "package[2].transfer_pool.share_by", "1", "unknown key; allowed: yuan_per_year"),
    ],
)
def test_a_bad_pool_is_named_with_its_file_key_value_and_what_is_allowed(
    tmp_path, pool, key, shown, allowed
) -> None:
    path = _with_pool(tmp_path, pool)
    with pytest.raises(ProvinceError) as err:
        load_province(path)
    message = str(err.value)
    assert str(path) in message and f"{key} = {shown}" in message and allowed in message, message
    if "share_by" in pool:  # and the missing pool is named too
        assert "package[2].transfer_pool.yuan_per_year: required: the pool, yuan per year" in message


def test_a_pool_that_is_not_a_table_is_an_error(tmp_path) -> None:
    text = _with_pool(tmp_path, "").read_text(encoding="utf-8").replace("[package.transfer_pool]\n", "")
    at = text.index("levers_from", text.index('name = "full_action"'))
    at = text.index("\n", at) + 1
    path = tmp_path / "flat.toml"
    path.write_text(text[:at] + "transfer_pool = 5\n" + text[at:], encoding="utf-8")
    with pytest.raises(ProvinceError, match=r"package\[2\]\.transfer_pool = 5: must be a table"):
        load_province(path)


def test_a_good_pool_is_a_documented_parameter(tmp_path) -> None:
    province = load_province(_with_pool(tmp_path, "yuan_per_year = 1.2e9\n"))
    assert province.package("full_action").transfer_pool == TransferPool(yuan_per_year=1.2e9)
    assert province.pool_month_yuan(province.package("full_action")) == pytest.approx(1e8)
    extra = TransferPool.model_fields["yuan_per_year"].json_schema_extra
    assert extra["unit"] == "yuan per year" and extra["source"]
