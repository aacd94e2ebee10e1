"""Building a population from a county's microdata file, and its errors."""

import numpy as np
import pandas as pd
import pytest

import countysim as cs
from countysim.build.microdata import MicrodataError, load_microdata, read_microdata
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


# -- reading: encodings, formats, structure --------------------------------------------------------


def small_frame() -> pd.DataFrame:
    """Two households with Chinese text in an extra column, as county exports carry."""
    return pd.DataFrame(
        {
            "household_id": ["H001", "H001", "H002"],
            "age": [34, 9, 51],
            "sex": ["male", "female", "female"],
            "role": ["worker", "child", "worker"],
            "job": ["township", "none", "other_province"],
            "備註": ["張三", "李四", "王五"],
        }
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_text_encodings_of_county_exports(tmp_path, baseline, encoding):
    reference = tmp_path / "utf8.csv"
    small_frame().to_csv(reference, index=False, encoding="utf-8")
    path = tmp_path / f"{encoding}.csv"
    small_frame().to_csv(path, index=False, encoding=encoding)
    table = read_microdata(path)
    assert table.n == 3 and table.n_households == 2
    a, b = load_microdata(reference, baseline, Streams(1)), load_microdata(path, baseline, Streams(1))
    for column in ("age_m", "sex", "role", "job", "hh", "wage", "sector"):
        np.testing.assert_array_equal(getattr(a, column), getattr(b, column))


def test_household_ids_are_text(tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text("household_id,age,sex,role\n007,30,male,worker\n7,31,male,worker\n007,5,male,child\n")
    table = read_microdata(path)
    assert table.n_households == 2 and list(table.household) == [0, 1, 0]


def write_bytes(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_error(path) -> str:
    with pytest.raises(MicrodataError) as info:
        read_microdata(path)
    message = str(info.value)
    assert message.startswith(str(path))
    return message


HEADER = b"household_id,age,sex,role\n"


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("blank.csv", b"\n\n  \n", "the file is empty"),
        ("header.csv", HEADER, "no rows"),
        ("noise.csv", bytes(range(128, 256)) * 8, "not text in UTF-8 or GB18030/GBK"),
        ("nul.csv", "household_id,age\n".encode("utf-16-le"), "NUL characters"),
        (
            "fake.parquet",
            HEADER + b"H1,30,male,worker\n",
            "not a Parquet file (it looks like CSV text: rename it .csv)",
        ),
        ("noise.parquet", bytes(range(256)), "not a Parquet file"),
        ("broken.parquet", b"PAR1" + bytes(100) + b"PAR1", "cannot read it as Parquet"),
        ("county.xlsx", b"PK\x03\x04", "allowed: .csv, .parquet"),
        (
            "twice.csv",
            b"household_id,age,age,sex,role\nH1,30,30,male,worker\n",
            "column(s) 'age' appear more than once",
        ),
        (
            "long.csv",
            HEADER + b"H1,30,male,worker\nH2,30,male,worker,x\n",
            "rows 3 (of 1) have more fields than the header's 4",
        ),
        (
            "typo.csv",
            b"HouseholdID,age,sex,role\nH1,30,male,worker\n",
            "for 'household_id' did you mean 'HouseholdID'?",
        ),
    ],
)
def test_files_that_are_not_tables(tmp_path, name, data, needle):
    assert needle in read_error(write_bytes(tmp_path, name, data))


def test_a_parquet_file_named_csv(tmp_path):
    path = tmp_path / "county.csv"
    small_frame().to_parquet(path)
    assert "this .csv file is a Parquet file (it starts with PAR1): rename it .parquet" in read_error(path)


def test_a_missing_file(tmp_path):
    assert read_error(tmp_path / "none.csv") == f"{tmp_path / 'none.csv'}: no such microdata file"


# -- checking: rows that cannot be, each named by row, column and what is allowed ------------------


@pytest.mark.parametrize(
    ("rows", "needle"),
    [
        (b",30,male,worker\n", "column 'household_id', rows 2 (of 1 bad): values (blank); allowed: a household id"),
        (b"  ,30,male,worker\n", "column 'household_id', rows 2 (of 1 bad): values (blank)"),
        (b"H1,30,male,worker\nH1,40,male,child\n", "column 'age', rows 3 (of 1 bad): values 40; allowed: 0 to 25 for role = child"),
        (b"H1,30,male,worker\nH1,20,male,elder\n", "column 'age', rows 3 (of 1 bad): values 20; allowed: 45 or more for role = elder"),
        (b"H1,30,male,worker\nH2,8,male,child\nH2,6,female,child\n",
         "column 'household_id', rows 3, 4 (of 2 bad): values 'H2', 'H2'; allowed: a household with at least one worker or elder"),
        (b"H1,30,male,worker\nH1,30,male,worker\n", "column 'household_id', rows 3 (of 1 bad): values 'H1'; allowed: each person once"),
        (b"H1,30,male,worker\nH1,,male,worker\n", "column 'age', rows 3 (of 1 bad): values (blank); allowed: numbers from 0 to 110"),
        (b"H1,30,male,worker\nH1,nan,male,worker\n", "column 'age', rows 3 (of 1 bad): values 'nan'"),
        (b"H1,1e400,male,worker\n", "column 'age'"),
        (b"H1,30,,worker\n", "column 'sex', rows 2 (of 1 bad): values (blank); allowed: male / female"),
    ],
)  # fmt: skip
def test_impossible_rows(tmp_path, rows, needle):
    assert needle in read_error(write_bytes(tmp_path, "bad.csv", HEADER + rows))


def test_identical_children_are_twins_not_duplicates(tmp_path):
    path = write_bytes(
        tmp_path, "twins.csv", HEADER + b"H1,30,female,worker\nH1,4,male,child\nH1,4,male,child\n"
    )
    assert read_microdata(path).n == 3


def test_person_ids_decide_duplicates_when_given(tmp_path):
    ok = write_bytes(
        tmp_path, "ok.csv", b"household_id,person_id,age,sex,role\nH1,a,30,male,worker\nH1,b,30,male,worker\n"
    )
    assert read_microdata(ok).n == 2
    bad = write_bytes(
        tmp_path,
        "bad.csv",
        b"household_id,person_id,age,sex,role\nH1,a,30,male,worker\nH1,a,31,male,worker\nH1,,32,male,worker\n",
    )
    message = read_error(bad)
    assert (
        "column 'person_id', rows 4 (of 1 bad): values (blank); allowed: a person id (not blank)" in message
    )
    assert "column 'person_id', rows 3 (of 1 bad): values 'a'; allowed: each person id once" in message


def test_tenure_longer_than_working_life(tmp_path):
    path = write_bytes(
        tmp_path,
        "t.csv",
        b"household_id,age,sex,role,job,tenure_months\nH1,20,male,worker,township,61\nH2,20,male,worker,township,60\n",
    )
    message = read_error(path)
    assert (
        "column 'tenure_months', rows 2 (of 1 bad): values 61; allowed: at most the months since the person turned 16"
        in message
    )


def test_every_problem_of_a_file_at_once(tmp_path):
    path = tmp_path / "many.csv"
    df = frame(10).astype(object)
    df.loc[0, "sex"] = "unknown"
    df.loc[3, "age"] = 40  # a child of 40
    df.loc[4, "household_id"] = None
    df.loc[6, "job"] = "farmer"
    df.loc[8, "poverty_alleviated"] = "maybe"
    df.to_csv(path, index=False)
    message = read_error(path)
    lines = message.splitlines()
    assert lines[0] == f"{path}: 5 problems"
    assert any("column 'sex', rows 2 " in line for line in lines)
    assert any("column 'age', rows 5 " in line and "role = child" in line for line in lines)
    assert any("column 'household_id', rows 6 " in line for line in lines)
    assert any("column 'job', rows 8 " in line for line in lines)
    assert any("column 'poverty_alleviated', rows 10 " in line for line in lines)


def test_rows_are_numbered_as_the_file_shows_them(tmp_path):
    # a blank line and a quoted value over two lines: the bad row is line 6 of the file
    path = write_bytes(
        tmp_path, "lines.csv", HEADER + b'\nH1,30,male,worker\n"H\n2",31,male,worker\nH3,31,mal,worker\n'
    )
    assert "column 'sex', rows 6 (of 1 bad): values 'mal'" in read_error(path)


def test_parquet_records_are_numbered_from_one(tmp_path):
    path = tmp_path / "county.parquet"
    small_frame().assign(sex=["male", "female", "x"]).to_parquet(path)
    assert "column 'sex', records 3 (of 1 bad): values 'x'" in read_error(path)
