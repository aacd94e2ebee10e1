"""Numbers for people to read: the one formatter of every table, summary and report.

``number(x, unit)`` picks the form from the value and its unit:

==================================  =====================================  =================
what                                form                                   example
==================================  =====================================  =================
missing (None, NaN)                 ``missing`` (default ``n/a``)          ``n/a``
an identifier: year, month, seed    the whole number, no separators        ``2023``
a share (unit ``share``)            three decimals; two significant        ``0.869``,
                                    digits below 0.001 (a tiny but real    ``0.00042``
                                    difference would read as 0.000)
100 or more, or a whole number      thousands separators, no decimals      ``4,781``
anything else                       three significant digits               ``41.3``, ``0.02``
==================================  =====================================  =================

``sign=True`` prefixes ``+`` to positive numbers (differences). The unit only picks the form;
the caller prints the unit (money in yuan or 萬元 is the caller's choice of ``x`` and label).
"""

from __future__ import annotations

import math
from numbers import Real

#: units whose values are identifiers, printed without thousands separators
PLAIN_UNITS = frozenset({"year", "month", "seed", "id"})
#: units whose values are shares in [0, 1]
SHARE_UNITS = frozenset({"share"})
#: what a missing value prints as, unless the caller says otherwise
MISSING = "n/a"


def number(x: object, unit: str = "", *, sign: bool = False, missing: str = MISSING) -> str:
    """``x`` as text for a table (see the module's table for the forms).

    Args:
        x: a number (int, float, numpy scalar) or None; anything else is returned as ``str(x)``.
        unit: the value's unit (``share``, ``year``, ``yuan``, ...): it picks the form only.
        sign: prefix ``+`` to positive values.
        missing: the text of a missing value (None or NaN).
    """
    if x is None:
        return missing
    if isinstance(x, bool) or not isinstance(x, Real):
        return str(x)
    v = float(x)
    if math.isnan(v):
        return missing
    plus = "+" if sign else ""
    if math.isinf(v):
        return ("-" if v < 0 else plus) + "∞"
    v += 0.0  # -0.0 prints as 0
    if unit in PLAIN_UNITS:
        return f"{v:{plus}.0f}" if v.is_integer() else f"{v:{plus}g}"
    if unit in SHARE_UNITS:
        return f"{v:{plus}.2g}" if 0 < abs(v) < 0.001 else f"{v:{plus}.3f}"
    if abs(v) >= 100 or v.is_integer():
        return f"{v:{plus},.0f}"
    return f"{v:{plus}.3g}"
