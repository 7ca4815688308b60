"""The order bank: locked orders by model, market and lock-in month, and new-order intake.

Orders come from the scenario's ``orders`` (lots) or a CSV of orders with dates.
A lot counts the orders of its model locked up to its date; after a model's last
lot (or from its launch when it has none) new orders arrive at the intake rate
of :class:`~taktline.plan.settings.PlanSettings` until its end of production.
Cohort c is the month of lock-in, counted from the horizon's first month (negative
before it).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from taktline.errors import InputError, Problem
from taktline.model import OrderLot, Scenario
from taktline.plan.months import days_in_month, month_end, months_between
from taktline.plan.settings import PlanSettings

CSV_COLUMNS = ("model", "locked_on", "quantity")


def read_orders_csv(path: str | os.PathLike[str], models: set[str] | None = None) -> list[OrderLot]:
    """Orders from a CSV with columns ``model,locked_on,quantity[,market]``.

    Every malformed line is reported with its line number (InputError, exit 2).
    """
    name = os.fspath(path)
    file = Path(path)
    if not file.is_file():
        raise InputError("no such orders file", file=name)
    problems: list[Problem] = []
    lots: list[OrderLot] = []
    with file.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise InputError("the orders file is empty (expected a header line)", file=name, line=1)
        columns = [h.strip().lower() for h in header]
        missing = [c for c in CSV_COLUMNS if c not in columns]
        if missing:
            raise InputError(
                f"header must name columns model,locked_on,quantity[,market]; missing {missing}",
                file=name,
                line=1,
            )
        for row in reader:
            line = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                problems.append(
                    Problem(f"expected {len(columns)} fields, found {len(row)}", name, line)
                )
                continue
            values = dict(zip(columns, (c.strip() for c in row), strict=True))
            try:
                locked = date.fromisoformat(values["locked_on"])
            except ValueError:
                problems.append(
                    Problem(
                        f"locked_on must be a date like 2025-07-01, got {values['locked_on']!r}",
                        name,
                        line,
                        "locked_on",
                    )
                )
                continue
            try:
                quantity = int(values["quantity"])
                if quantity <= 0:
                    raise ValueError
            except ValueError:
                problems.append(
                    Problem(
                        f"quantity must be a whole number > 0, got {values['quantity']!r}",
                        name,
                        line,
                        "quantity",
                    )
                )
                continue
            if models is not None and values["model"] not in models:
                problems.append(
                    Problem(
                        f"unknown model {values['model']!r} (known: {', '.join(sorted(models))})",
                        name,
                        line,
                        "model",
                    )
                )
                continue
            market = values.get("market") or "CN"
            lots.append(
                OrderLot(model=values["model"], locked_on=locked, quantity=quantity, market=market)
            )
    if problems:
        raise InputError(problems)
    if not lots:
        raise InputError("the orders file has no orders", file=name)
    return lots


def market_shares(settings: PlanSettings, month: date) -> dict[str, float]:
    """Share of new orders per open market in ``month`` (normalised to 1)."""
    open_ = {}
    for market in settings.markets:
        opens = date.fromisoformat(market.opens + "-01") if market.opens else date.min
        if opens <= month:
            open_[market.id] = market.share
    total = sum(open_.values()) or 1.0
    return {g: s / total for g, s in open_.items()}


class OrderBook:
    """Lots plus intake: orders of each model and market per lock-in day range."""

    def __init__(
        self,
        scenario: Scenario,
        settings: PlanSettings,
        lots: list[OrderLot],
        site_capacity: Callable[[date], float],
        first_day: date,
    ) -> None:
        self.scenario, self.settings, self.lots = scenario, settings, lots
        self.site_capacity = site_capacity
        self.intake_from: dict[str, date] = {}
        self.intake_until: dict[str, date] = {}
        for model in scenario.products.models:
            own = [lot.locked_on for lot in lots if lot.model == model.id]
            begin = max(own) + timedelta(days=1) if own else (model.launch or first_day)
            self.intake_from[model.id] = max(begin, first_day)
            self.intake_until[model.id] = model.end_of_production or date.max

    def monthly_intake(self, model: str, month: date) -> float:
        """New orders of ``model`` in ``month`` if intake ran the whole month."""
        for rule in self.settings.intake:
            if rule.model != model:
                continue
            start = date.fromisoformat(rule.start + "-01") if rule.start else date.min
            end = month_end(date.fromisoformat(rule.end + "-01")) if rule.end else date.max
            if start <= month <= end:
                return rule.per_month
        mid = max(month.replace(day=15), min(self.intake_from[model], month_end(month)))
        share = self.scenario.products.mix_on(mid).get(model, 0.0)
        return self.settings.demand_factor * share * self.site_capacity(month)

    def intake_between(self, model: str, first: date, last: date) -> float:
        """New orders of ``model`` locked from ``first`` to ``last`` (inclusive), pro rata."""
        lo = max(first, self.intake_from[model])
        hi = min(last, self.intake_until[model])
        total, cursor = 0.0, lo
        while cursor <= hi:
            end = min(month_end(cursor), hi)
            month = cursor.replace(day=1)
            total += (
                self.monthly_intake(model, month) * ((end - cursor).days + 1) / days_in_month(month)
            )
            cursor = end + timedelta(days=1)
        return total

    def cohorts(self, first_month: date, last_month: date) -> dict[tuple[str, str, int], float]:
        """Orders per (model, market, lock-in month index) up to the horizon's end."""
        out: dict[tuple[str, str, int], float] = {}
        for lot in self.lots:
            if lot.locked_on > month_end(last_month):
                continue
            c = months_between(first_month, lot.locked_on)
            key = (lot.model, lot.market, c)
            out[key] = out.get(key, 0.0) + lot.quantity
        for model in self.scenario.products.models:
            begin = self.intake_from[model.id]
            if begin > month_end(last_month) or begin >= self.intake_until[model.id]:
                continue
            cursor = begin.replace(day=1)
            while cursor <= last_month:
                units = self.intake_between(model.id, cursor, month_end(cursor))
                if units > 0:
                    c = months_between(first_month, cursor)
                    for g, share in market_shares(self.settings, cursor).items():
                        key = (model.id, g, c)
                        out[key] = out.get(key, 0.0) + units * share
                cursor = month_end(cursor) + timedelta(days=1)
        return out

    def ahead_of(self, model: str, market: str, ordered: date) -> float:
        """Orders of the same model and market locked before ``ordered`` (the FIFO queue ahead)."""
        lots = sum(
            lot.quantity
            for lot in self.lots
            if lot.model == model and lot.market == market and lot.locked_on < ordered
        )
        intake = 0.0
        cursor = self.intake_from[model].replace(day=1)
        while cursor < ordered:
            last = min(month_end(cursor), ordered - timedelta(days=1))
            units = self.intake_between(model, cursor, last)
            intake += units * market_shares(self.settings, cursor).get(market, 0.0)
            cursor = month_end(cursor) + timedelta(days=1)
        return lots + intake


def consume_fifo(
    cohorts: dict[tuple[str, str, int], float], delivered: float
) -> dict[tuple[str, str, int], float]:
    """Take ``delivered`` cars off the oldest pre-horizon cohorts (c < 0), oldest first."""
    out = dict(cohorts)
    for key in sorted((k for k in out if k[2] < 0), key=lambda k: k[2]):
        if delivered <= 0:
            break
        take = min(out[key], delivered)
        out[key] -= take
        delivered -= take
    return {k: v for k, v in out.items() if v > 1e-9}
