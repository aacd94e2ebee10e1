"""Province targets with probabilities, province comparisons, and counties ranked by their gap.

- :func:`assess_province` — each province target (over all or the key assisted counties) assessed
  by ``countysim.assessment.assess`` on the province's replications: the province's value in
  replication ``r`` is its counties' replication ``r`` rolled up (``rollup``), so the probability
  of meeting a target is the share of replications in which the province meets it. With a
  reference package, the effect is paired replication by replication (common random numbers).
- :func:`compare_packages` — each package's province value against the reference package's: the
  paired difference with its 90 % interval (``experiments.compare.paired_differences``) and how
  many times narrower the pairing made it (``pairing_gain``).
- :func:`county_gaps` — every county's gap to its share of each target, worst first.

A county's share of a target: for an indicator that adds (``sum``), the target's value times the
county's weight under the target's ``share_by`` rule over the counties in the target's scope (the
notice's arithmetic shares 600,000 person-times equally among 160 counties); for a rate or mean,
the target's value itself. The gap is signed as ``Target.gap``: positive is better.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from countysim.assessment import Target, assess
from countysim.experiments.compare import LEVEL
from countysim.province.rollup import RULES, ProvinceRollup
from countysim.province.spec import Province


def scaled_target(province: Province, target: Target) -> Target:
    """``target`` for the province as run: a count target times ``--scale`` (a rate target as it is).

    Count targets are written for the province at full size; a province run at a fraction of
    its size (``scale``) is assessed against the same fraction of them.
    """
    if province.scale is None or RULES[target.indicator].kind != "sum":
        return target
    return dataclasses.replace(target, value=target.value * province.scale)


def assess_province(
    province: Province, rollup: ProvinceRollup, package: str, baseline: str | None = None
) -> pd.DataFrame:
    """Assess a package's province totals against the province's targets (``scaled_target``).

    Returns:
        ``assessment.assess``'s table with ``counties`` (the scope) first, one row per target in the
        file's order.

    Raises:
        ValueError: if the province has no targets.
    """
    if not province.targets:
        raise ValueError(f"province {province.name!r} ({province.source_file}) has no [[target]] tables")
    parts = []
    for pt in province.targets:
        group = pt.counties
        base = rollup.results(baseline, group) if baseline is not None else None
        table = assess(rollup.results(package, group), [scaled_target(province, pt.target)], base)
        table.insert(0, "counties", group)
        table.insert(1, "package", package)
        parts.append(table)
    return pd.concat(parts, ignore_index=True)


def compare_packages(
    rollup: ProvinceRollup, indicators: list[str], group: str = "all", month: int | str = -1
) -> pd.DataFrame:
    """Every package's province mean and its paired difference from the first package.

    Returns:
        ``indicator, package, mean, diff, lo90, hi90, n, pairing_gain`` (the reference's row with
        NaN differences), as ``experiments.compare.summarise``.
    """
    from countysim.experiments.compare import summarise

    results = {p: rollup.results(p, group) for p in rollup.packages}
    table = summarise(results, indicators, month, LEVEL)
    return table.rename(columns={"scenario": "package"})


def county_gaps(province: Province, rollup: ProvinceRollup, package: str) -> pd.DataFrame:
    """Each county's gap to its share of each target, under ``package``, worst first per target.

    Returns:
        ``target, indicator, county, key_assisted, at, county_target, mean, gap, relative_gap,
        rank`` (rank 1: the farthest behind); counties outside a target's scope are left out.
    """
    values = rollup.county_values
    rows = []
    by_name = {c.name: c for c in province.counties}
    for pt in province.targets:
        t = scaled_target(province, pt.target)
        scope = [c for c in province.counties if pt.counties == "all" or c.key_assisted]
        if not scope or values.empty or t.indicator not in values.columns:
            continue
        weights = {c.name: province.weight(pt.share_by, c) for c in scope}
        total = sum(weights.values())
        adds = RULES[t.indicator].kind == "sum"
        at = values[(values["package"] == package) & (values["month"] == t.at)]
        means = at.groupby("county", sort=False)[t.indicator].mean()
        for name in weights:
            if name not in means.index:
                continue
            share = t.value * weights[name] / total if adds and total > 0 else t.value
            mean = float(means[name])
            gap = dataclasses.replace(t, value=share).gap(mean)
            rows.append({"target": t.id, "indicator": t.indicator, "county": name,
                         "key_assisted": by_name[name].key_assisted, "at": t.at, "county_target": share,
                         "mean": mean, "gap": gap,
                         "relative_gap": gap / abs(share) if share else float("nan")})  # fmt: skip
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table = table.sort_values(["target", "relative_gap"], kind="stable")
    table["rank"] = table.groupby("target").cumcount() + 1
    order = {pt.target.id: k for k, pt in enumerate(province.targets)}
    return table.sort_values(
        ["target", "rank"], key=lambda s: s.map(order) if s.name == "target" else s
    ).reset_index(drop=True)
