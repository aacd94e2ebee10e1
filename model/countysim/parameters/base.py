"""Documented parameters: the base of every part of a scenario."""

from __future__ import annotations

from typing import Any

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
    """
    return Field(
        default,
        ge=ge,
        le=le,
        description=f"[{unit}] {source}",
        json_schema_extra={"unit": unit, "source": source, "scales": scales},
    )


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


class Frozen(BaseModel):
    """Base of every scenario part: immutable, unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)
