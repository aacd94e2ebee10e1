"""Write central_counties.csv, the 100 counties of the synthetic central province, from central_sheet.toml.

    uv run python provinces/make_central.py [--check]

Each county gets a made-up two-syllable pinyin name, a hukou population (lognormal, cut to the
sheet's range; smaller for key assisted counties), migrant-worker households in proportion to it
(with noise), a poverty-alleviated share and an out-migration share (uniform in the sheet's ranges,
higher for key assisted counties). The key assisted counties are drawn at random. Deterministic:
the sheet's seed fixes every number. ``--check`` exits 1 if the committed CSV differs.
"""

from __future__ import annotations

import csv
import io
import sys
import tomllib
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SHEET = HERE / "central_sheet.toml"
TABLE = HERE / "central_counties.csv"
SYLLABLES = (
    "an bai bao chang cheng dong feng fu gu he heng hua huai jian jin jing kang lan le lin long luo "
    "ming nan ning ping qi qing rong shan shang shi shui song tai tang tian wan wei wen xi xiang xin "
    "xing yang yi ying yong yuan yun ze zhang zhao zhen"
).split()
COLUMNS = ("name", "households", "key_assisted", "hukou_population", "poverty_share", "out_migration_share")


def names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` distinct made-up county names."""
    out: list[str] = []
    while len(out) < n:
        first, second = rng.choice(SYLLABLES, 2, replace=False)
        name = (first + second).capitalize()
        if name not in out:
            out.append(name)
    return out


def table(sheet: dict) -> str:
    """The county table the sheet describes, as CSV text."""
    rng = np.random.default_rng(sheet["seed"])
    n, k = sheet["counties"], sheet["key_assisted"]
    key = np.zeros(n, dtype=bool)
    key[rng.choice(n, k, replace=False)] = True
    hp = sheet["hukou_population"]
    pop = (
        hp["median"] * np.exp(rng.normal(0.0, hp["sigma"], n)) * np.where(key, hp["key_assisted_factor"], 1.0)
    )
    pop = np.clip(pop, hp["min"], hp["max"]).round(-3).astype(int)
    hh = sheet["households"]
    per = np.where(key, hh["key_assisted_per_person"], hh["per_person"]) * (
        1 + rng.normal(0, hh["spread"], n)
    )
    households = (pop * per).round(-2).astype(int)
    pov, out = sheet["poverty_share"], sheet["out_migration_share"]
    poverty = np.where(key, rng.uniform(*pov["key_assisted"], n), rng.uniform(*pov["other"], n)).round(3)
    migration = np.where(key, rng.uniform(*out["key_assisted"], n), rng.uniform(*out["other"], n)).round(3)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in zip(names(rng, n), households, key, pop, poverty, migration, strict=True):
        writer.writerow(
            [row[0], int(row[1]), "true" if row[2] else "false", int(row[3]), f"{row[4]:g}", f"{row[5]:g}"]
        )
    return text.getvalue()


def main(argv: list[str]) -> int:
    """Write the table (or, with ``--check``, compare it with the committed one)."""
    text = table(tomllib.loads(SHEET.read_text(encoding="utf-8")))
    if "--check" in argv:
        same = TABLE.read_text(encoding="utf-8") == text
        print(f"{TABLE.name} is {'up to date' if same else 'stale: rerun provinces/make_central.py'}")
        return 0 if same else 1
    TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE} ({text.count(chr(10)) - 1} counties)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
