"""Base class of every scenario object: immutable, strict, with explicit units."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """An immutable, strict scenario object: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)
