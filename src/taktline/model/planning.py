"""What planners plan against: delivery targets, the order bank and the public record."""

from __future__ import annotations

import re
from datetime import date

from pydantic import Field, field_validator

from taktline.model.base import Frozen
from taktline.model.plant import Identifier

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _check_month(value: str) -> str:
    if not _MONTH.match(value):
        raise ValueError(f"month must look like 2024-04, got {value!r}")
    return value


class DeliveryTarget(Frozen):
    """A delivery target for a calendar year, over all plants."""

    year: int = Field(ge=2000, le=2100)
    units: int = Field(gt=0)
    source: str | None = None


class MonthlyRecord(Frozen):
    """An observed month: deliveries (and production when known)."""

    month: str
    deliveries: int | None = Field(default=None, ge=0)
    built: int | None = Field(default=None, ge=0)
    quality: str | None = Field(
        default=None, description="exact, derived or floor, as in the source table"
    )
    source: str | None = None

    _month = field_validator("month")(_check_month)


class OrderLot(Frozen):
    """Locked orders for one model placed on one date (or up to it)."""

    model: Identifier
    locked_on: date
    quantity: int = Field(gt=0)
    market: str = "CN"


class OrderBank(Frozen):
    """The backlog of locked orders, built in lock-in order unless a rule says otherwise."""

    as_of: date
    lots: tuple[OrderLot, ...] = ()
    source: str | None = None
