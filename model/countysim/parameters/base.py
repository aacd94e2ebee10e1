"""Documented parameters: the base of every part of a scenario."""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


def P(
    default: Any,
    unit: str,
    source: str,
    ge: float | None = None,
    le: float | None = None,
    scales: bool = False,
):
    """A documented parameter: default, unit, source or assumption, and allowed range.

    ``scales``: a count or county-wide amount (households, seats, places, yuan a year for a
    county-wide service) that scales with the county's size (``Scenario.scaled``).

    A tuple parameter is written as a TOML array: it accepts a list, while its entries stay
    strictly typed (their range is in the entry type, e.g. :data:`Share`).
    """
    return Field(
        default,
        ge=ge,
        le=le,
        strict=False if isinstance(default, tuple) else None,
        description=f"[{unit}] {source}",
        json_schema_extra={"unit": unit, "source": source, "scales": scales},
    )


#: a share or probability, 0 to 1 (an entry of a tuple or table parameter)
Share = Annotated[float, Field(ge=0, le=1)]
#: a multiplier relative to a reference, 0 to 10 (an entry of a table parameter)
Relative = Annotated[float, Field(ge=0, le=10)]
#: a multiplier of an incidence, 0 to 100 (an entry of a table parameter)
RelativeIncidence = Annotated[float, Field(ge=0, le=100)]
#: an age in whole years that the person columns hold (int16 months) and the model uses, 16 to 100
AgeEdge = Annotated[int, Field(ge=16, le=100)]


def entry_bounds(annotation: Any) -> tuple[float | None, float | None]:
    """The range of the entries of a tuple or table annotation (``tuple[Share, ...]``)."""
    lo = hi = None
    for arg in typing.get_args(annotation):
        for meta in getattr(arg, "__metadata__", ()):
            for m in getattr(meta, "metadata", (meta,)):
                lo = getattr(m, "ge", lo)
                hi = getattr(m, "le", hi)
    return lo, hi


def scaled_fields(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Dotted key paths of every parameter of ``model`` (and its parts) marked ``scales``."""
    out: list[str] = []
    for name, field in model.model_fields.items():
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out += scaled_fields(ann, f"{prefix}{name}.")
        elif isinstance(field.json_schema_extra, dict) and field.json_schema_extra.get("scales"):
            out.append(prefix + name)
    return out


class Problems(ValueError):
    """Several problems found by one validator, each at a key path below the validated value.

    ``items`` lists ``(key path, value, message, related)``: the key path is relative to the
    field or model the validator checks (``()`` for the field itself); ``related`` names other
    key paths (absolute) the problem depends on, so that an error can say who set them.
    """

    def __init__(self, items: list[tuple[tuple[str, ...], Any, str, tuple[tuple[str, ...], ...]]]) -> None:
        super().__init__("; ".join(msg for _, _, msg, _ in items))
        self.items = items


class _NoValue:
    """The type of ``NO_VALUE``: one object, the same after pickling."""

    def __repr__(self) -> str:
        return "NO_VALUE"

    def __reduce__(self) -> str:
        return "NO_VALUE"


#: the value of a problem that has none to show (a missing key, a missing file)
NO_VALUE = _NoValue()


def did_you_mean(word: Any, allowed: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``allowed`` (difflib), or ``""``.

    Messages end with it, after what is allowed: ``unknown key; allowed here: ...; did you mean 'x'?``.
    """
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(allowed), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def check_names(table: dict[str, Any], names: Iterable[str], what: str) -> dict[str, Any]:
    """Check the keys of a table parameter: every one of ``names`` and no other.

    ``what`` names the keys in the plural (``"sectors"``, ``"jobs with an employer"``).

    Raises:
        Problems: one for each unknown key (with a suggestion) and one listing the missing keys.
    """
    names = tuple(names)
    items: list[tuple[tuple[str, ...], Any, str, tuple]] = []
    for key in table:
        if key not in names:
            items.append(
                (
                    (key,),
                    table[key],
                    f"unknown key; allowed here ({what}): {', '.join(names)}{did_you_mean(key, names)}",
                    (),
                )
            )
    missing = [n for n in names if n not in table]
    if missing:
        items.append(
            (
                (),
                NO_VALUE,
                f"missing key(s) {', '.join(missing)}; the table needs every one of the {what}: {', '.join(names)}",
                (),
            )
        )
    if items:
        raise Problems(items)
    return table


class Frozen(BaseModel):
    """Base of every scenario part: immutable, unknown keys are errors, types are strict.

    Strict types: a string is never read as a number nor a boolean as a number (``months =
    "12"`` and ``months = true`` are errors), and numbers must be finite (no ``nan``, ``inf``).
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_default=True, strict=True, allow_inf_nan=False
    )
