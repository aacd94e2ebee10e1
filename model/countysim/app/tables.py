"""Tables for the pages: numbers formatted for a planner, written as escaped HTML.

Each function takes the frame a library function returns (``summarise``, ``needs_table``,
``assess``, sensitivity indices) and gives ``(header, rows)`` of strings; :func:`html_table`
escapes every cell, so a package name a visitor typed is shown as text, never as markup.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import pandas as pd

from countysim import formatting
from countysim.app.labels import label, unit

#: a cell: its text, or its text and a second, smaller line (an interval)
Cell = str | tuple[str, str]
Rows = tuple[list[str], list[list[Cell]]]


def number(x: float | None, unit_text: str = "", sign: bool = False) -> str:
    """``countysim.formatting.number``, with the share form for any unit text that reads "share ..."."""
    return formatting.number(x, "share" if unit_text.startswith("share") else "", sign=sign)


def _short(unit_text: str) -> str:
    return unit_text.split(" (")[0]


def differences(summary: pd.DataFrame, lang: str = "en", headers: dict[str, str] | None = None) -> Rows:
    """The comparison table: each indicator's means and each scenario's paired difference from the first.

    Args:
        summary: ``summarise`` of the scenarios (the reference first).
        lang: label language.
        headers: column headers for scenario names (default: the names).
    """
    from countysim.experiments.compare import verdict

    names = list(dict.fromkeys(summary["scenario"]))
    shown = {n: (headers or {}).get(n, n) for n in names}
    base, others = names[0], names[1:]
    header = ["indicator (unit)", *(shown[n] for n in names)]
    for other in others:
        prefix = f"{shown[other]} − {shown[base]}" if len(others) > 1 else "difference"
        header += [f"{prefix} (90 % interval)", "reading", "pairing ×"]
    rows = []
    for indicator, part in summary.groupby("indicator", sort=False):
        part = part.set_index("scenario")
        u = unit(indicator)
        row = [f"{label(indicator, lang)} ({_short(u)})"]
        row += [number(part.loc[n, "mean"], u) for n in names]
        for other in others:
            d, lo, hi, gain = (float(part.loc[other, c]) for c in ("diff", "lo90", "hi90", "pairing_gain"))
            if d == lo == hi == 0:
                difference: Cell = "0 (on every seed)"
            elif math.isnan(lo):
                difference = number(d, u, True)
            else:
                difference = (number(d, u, True), f"[{number(lo, u, True)}, {number(hi, u, True)}]")
            pairing = "" if math.isnan(gain) else ("exact" if math.isinf(gain) else f"{gain:.1f}")
            row += [difference, verdict(str(indicator), lo, hi), pairing]
        rows.append(row)
    return header, rows


def needs(table: pd.DataFrame, items: Sequence[str], lang: str = "en") -> Rows:
    """Needs by year: one row per item, one column per year, ``mean (5-95 %)``.

    Args:
        table: ``needs_table`` of one scenario.
        items: the items shown, in order.
        lang: label language.
    """
    years = sorted(int(y) for y in table["year"].unique())
    header = ["item (unit)", *(str(y) for y in years)]
    rows = []
    for item in items:
        part = table[table["item"] == item].set_index("year")
        if part.empty:
            continue
        u = str(part["unit"].iloc[0])
        cells: list[Cell] = []
        for y in years:
            if y not in part.index:
                cells.append("")
                continue
            mean, lo, hi = (float(part.at[y, c]) for c in ("mean", "lo90", "hi90"))
            if math.isnan(lo) or lo == hi:
                cells.append(number(mean, u))
            else:
                cells.append((number(mean, u), f"{number(lo, u)}–{number(hi, u)}"))
        rows.append([f"{label(item, lang)} ({_short(u)})", *cells])
    return header, rows


def assessment(table: pd.DataFrame, lang: str = "en") -> Rows:
    """Targets' verdicts: the package's mean, interval, probability and verdict, and the baseline's."""
    base = "baseline_mean" in table.columns
    header = ["target", "clause", "checked", "package mean (90 %)", "P(meet)", "verdict"]
    if base:
        header += ["baseline verdict", "effect (90 %)"]
    rows = []
    for r in table.itertuples():
        u = str(r.unit)
        # a target per child or per person is shown by its number for this county
        relative = str(getattr(r, "kind", "absolute")).startswith("per_") and r.threshold == r.threshold
        target = f"{label(r.indicator, lang)} {r.op} {number(r.threshold if relative else r.value, u)}"
        p = "–" if r.probability != r.probability else f"{r.probability:.2f}"  # no verdict: not applicable
        row: list[Cell] = [target, r.clause, r.at, (number(r.mean, u), f"[{number(r.lo90, u)}, {number(r.hi90, u)}]"),
                           p, r.verdict]  # fmt: skip
        if base:
            row += [r.baseline_verdict, (number(r.effect, u, True),
                    f"[{number(r.effect_lo90, u, True)}, {number(r.effect_hi90, u, True)}]")]  # fmt: skip
        rows.append(row)
    return header, rows


def frame(table: pd.DataFrame, lang: str = "en", max_rows: int = 200) -> Rows:
    """Any frame as strings, at most ``max_rows`` rows.

    Catalogue names in ``indicator``, ``item`` and ``outcome`` columns are shown by their labels
    with their units.
    """
    named = ("indicator", "item", "outcome")
    header = [str(c) for c in table.columns]
    rows = []
    for record in table.head(max_rows).to_dict("records"):
        row = []
        for column, value in record.items():
            if column in named and isinstance(value, str) and unit(value):
                row.append(f"{label(value, lang)} ({_short(unit(value))})")
            elif isinstance(value, float):
                row.append(number(value, unit(str(record.get("indicator", "")))))
            else:
                row.append(str(value))
        rows.append(row)
    return header, rows


def html_table(header: Sequence[str], rows: Sequence[Sequence[Cell]], css_class: str = "cs-table") -> str:
    """An HTML table with every cell escaped; numeric-looking cells right-aligned, intervals below in small type."""
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for k, cell in enumerate(row):
            text, sub = cell if isinstance(cell, tuple) else (str(cell), "")
            numeric = k > 0 and text[:1] in "+-−0123456789n∞" and text not in ("", "n/a")
            below = f'<div class="sub">{html.escape(sub)}</div>' if sub else ""
            cells.append(f'<td class="{"num" if numeric else "txt"}">{html.escape(text)}{below}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


#: the tables' style, added once to the page
CSS = """
.cs-table { border-collapse: collapse; font-size: 13px; margin: 4px 0 12px 0; }
.cs-table th { text-align: left; border-bottom: 2px solid #999; padding: 3px 8px; white-space: nowrap; }
.cs-table td { border-bottom: 1px solid #e3e3e3; padding: 2px 8px; }
.cs-table td:first-child { white-space: nowrap; }
.cs-table td .sub { color: #777; font-size: 11px; line-height: 1.1; }
.cs-table td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.cs-table tr:hover td { background: #f4f8fc; }
.cs-scroll { overflow-x: auto; max-width: 100%; }
.cs-note { color: #555; font-size: 13px; }
.cs-lever { padding: 6px 0 10px 0; border-bottom: 1px solid #eee; }
.cs-lever-title { font-weight: 500; font-size: 14px; }
.cs-lever-meta { color: #666; font-size: 12px; line-height: 1.35; }
.cs-changed { color: #1565c0; font-weight: 600; }
.cs-fig { max-width: 100%; height: auto; }
"""
