"""Documented parameters: the base of every part of a scenario."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


def P(default: Any, unit: str, source: str, ge: float | None = None, le: float | None = None):
    """A documented parameter: default, unit, source or assumption, and allowed range."""
    return Field(
        default,
        ge=ge,
        le=le,
        description=f"[{unit}] {source}",
        json_schema_extra={"unit": unit, "source": source},
    )


class Frozen(BaseModel):
    """Base of every scenario part: immutable, unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)
