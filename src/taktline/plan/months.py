"""Calendar months as the planning period: parsing, ranges and the days inside them."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta

from taktline.errors import InputError

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(text: str, field: str = "month") -> date:
    """``'2024-04'`` → the first day of that month; a clear InputError otherwise."""
    match = _MONTH.match(str(text).strip())
    if not match:
        raise InputError(f"expected a month like 2024-04, got {text!r}", field=field)
    return date(int(match.group(1)), int(match.group(2)), 1)


def month_key(day: date) -> str:
    """The ``'YYYY-MM'`` key of the month holding ``day``."""
    return f"{day.year:04d}-{day.month:02d}"


def month_start(day: date) -> date:
    """First day of the month holding ``day``."""
    return day.replace(day=1)


def add_months(day: date, count: int) -> date:
    """First day of the month ``count`` months after the month of ``day``."""
    index = day.year * 12 + day.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    """Last day of the month holding ``day``."""
    return day.replace(day=monthrange(day.year, day.month)[1])


def days_in_month(day: date) -> int:
    """Number of days of the month holding ``day``."""
    return monthrange(day.year, day.month)[1]


def month_range(first: date, last: date) -> list[date]:
    """First days of every month from ``first``'s month to ``last``'s month, both included."""
    months, current = [], month_start(first)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def months_between(first: date, second: date) -> int:
    """Whole months from ``first``'s month to ``second``'s month (negative if earlier)."""
    return (second.year - first.year) * 12 + second.month - first.month


def days(first: date, last: date) -> list[date]:
    """Every day from ``first`` to ``last``, both included."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
