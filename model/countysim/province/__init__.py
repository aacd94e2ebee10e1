"""A province: its counties under provincial packages, in one experiment, rolled up to its targets.

- :mod:`countysim.province.spec` — the province file (counties, packages, provincial levers,
  targets), validated, and each county's scenario and seeds;
- :mod:`countysim.province.run` — every (county, package, replication) a task of one experiment;
- :mod:`countysim.province.rollup` — counts add, rates from numerators and denominators;
- :mod:`countysim.province.assess` — province targets with probabilities, counties ranked by gap.
"""

from countysim.province.rollup import RULES, ProvinceRollup, roll_up
from countysim.province.run import ProvinceRun, run_province
from countysim.province.spec import County, Package, Province, ProvinceError, county_seeds, load_province

__all__ = [
    "RULES", "County", "Package", "Province", "ProvinceError", "ProvinceRollup", "ProvinceRun", "county_seeds",
    "load_province", "roll_up", "run_province",
]  # fmt: skip
