"""Building a population from a county's microdata file, and its errors."""

import numpy as np
import pandas as pd
import pytest

import countysim as cs
from countysim.build.microdata import MicrodataError, load_microdata
from countysim.population import codes as c
from countysim.rng import Streams


def frame(n_hh: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = []
    for h in range(n_hh):
        rows.append(
            dict(
                household_id=f"H{h:05d}",
                age=int(rng.integers(20, 55)),
                sex="male",
                role="worker",
                education="junior",
                skill="basic",
                poverty_alleviated=h % 5 == 0,
                job="other_province",
                sector="construction",
                tenure_months=30,
                wage_yuan_month=6000.0,
            )
        )
        rows.append(
            dict(
                household_id=f"H{h:05d}",
                age=8,
                sex="female",
                role="child",
                education="senior",
                skill="none",
                poverty_alleviated=h % 5 == 0,
                job="none",
                sector=None,
                tenure_months=0,
                wage_yuan_month=0.0,
            )
        )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_load_csv_and_parquet(tmp_path, baseline, suffix):
    df = frame()
    path = tmp_path / f"county{suffix}"
    df.to_csv(path, index=False) if suffix == ".csv" else df.to_parquet(path)
    pop = load_microdata(path, baseline, Streams(1))
    assert pop.n == len(df) and pop.n_households == 300
    w = pop.role == c.WORKER
    assert np.all(pop.job[w] == c.J_OTHER_PROVINCE) and np.all(pop.loc[w] == c.OTHER_PROVINCE)
    assert np.all(pop.sector[w] == c.SECTOR_NAMES.index("construction"))
    assert pop.poverty.sum() == 120
    # the reported wage is reproduced by the wage equation (person effect backed out)
    assert np.allclose(pop.wage[w], 6000.0, rtol=1e-4)
    assert np.all(pop.hh[0::2] == pop.hh[1::2])  # parent and child share a household


def test_scenario_with_microdata_runs(tmp_path, baseline):
    frame().to_csv(tmp_path / "county.csv", index=False)
    scenario = tmp_path / "micro.toml"
    scenario.write_text('[horizon]\nmonths = 6\n[population]\nsource = "microdata"\npath = "county.csv"\n')
    result = cs.run(cs.load_scenario(scenario))
    assert result.persons == 600 and len(result.months) == 6
    assert result.series("persons")[0] > 590


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (lambda d: d.drop(columns=["sex"]), "missing required column(s) sex"),
        (lambda d: d.assign(sex=["male", "unknown"] * (len(d) // 2)), "column 'sex', rows 3, 5, 7"),
        (lambda d: d.assign(job=["farmer", "none"] * (len(d) // 2)), "allowed: none / farm / township"),
        (lambda d: d.assign(age=[15, 8] * (len(d) // 2)), "16 or more for role = worker"),
        (lambda d: d.assign(age=[30, -1] * (len(d) // 2)), "column 'age'"),
        (lambda d: d.assign(poverty_alleviated=["maybe"] * len(d)), "true / false"),
        (lambda d: d.assign(job=["none", "township"] * (len(d) // 2)), "none for children and elders"),
        (lambda d: d.assign(sector=["mining", None] * (len(d) // 2)), "column 'sector', rows 2, 4"),
    ],
)
def test_errors_name_file_column_rows_and_allowed(tmp_path, baseline, change, needle):
    path = tmp_path / "bad.csv"
    change(frame(20)).to_csv(path, index=False)
    with pytest.raises(MicrodataError) as info:
        load_microdata(path, baseline, Streams(1))
    assert str(path) in str(info.value) and needle in str(info.value)


def test_missing_file_and_unknown_format(tmp_path, baseline):
    with pytest.raises(MicrodataError, match="no such microdata file"):
        load_microdata(tmp_path / "none.csv", baseline, Streams(1))
    (tmp_path / "x.xlsx").write_text("x")
    with pytest.raises(MicrodataError, match=r"allowed: \.csv, \.parquet"):
        load_microdata(tmp_path / "x.xlsx", baseline, Streams(1))
