"""Nominal capacity of a scenario: what each shop and plant can make without losses.

Nominal means at the stations' cycle times (and a paced line's takt), with no
failures, no rejects and no starving or blocking: an upper bound that the
simulation then brings down to what the plant really does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from taktline.model import Plant, Scenario, Shop


@dataclass(frozen=True)
class ShopCapacity:
    """A shop's nominal rate and what it gives over a working day and a year."""

    plant: str
    shop: str
    kind: str
    stations: int
    jobs_per_hour: float
    jobs_per_day: float
    jobs_per_year: float
    bottleneck_station: str
    feeds: str | None


@dataclass(frozen=True)
class PlantCapacity:
    """A plant's nominal output (its slowest main-flow shop) on a day and over a year."""

    plant: str
    name: str | None
    start_of_production: date | None
    rated_capacity_per_year: int | None
    jobs_per_hour: float
    working_hours_per_day: float
    jobs_per_day: float
    working_hours_per_year: float
    jobs_per_year: float
    shops: tuple[ShopCapacity, ...]


@dataclass(frozen=True)
class ScenarioSummary:
    """Nominal capacity of every plant of a scenario on a reference day and in a year."""

    scenario: str
    day: date
    year: int
    plants: tuple[PlantCapacity, ...]

    @property
    def jobs_per_year(self) -> float:
        """All plants together, cars a year."""
        return sum(p.jobs_per_year for p in self.plants)

    @property
    def rated_capacity_per_year(self) -> int:
        """Design capacity of all plants together."""
        return sum(p.rated_capacity_per_year or 0 for p in self.plants)


def _hours_on(scenario: Scenario, plant: Plant, day: date) -> float:
    if plant.start_of_production is not None and day < plant.start_of_production:
        return 0.0
    if scenario.calendar is None:
        return 24.0
    return scenario.calendar.working_hours_on(day, plant.id)


def _hours_in_year(scenario: Scenario, plant: Plant, year: int) -> float:
    day, total = date(year, 1, 1), 0.0
    while day.year == year:
        total += _hours_on(scenario, plant, day)
        day += timedelta(days=1)
    return total


def _typical_working_day(scenario: Scenario, plant: Plant, day: date) -> float:
    """Hours on ``day``, or on the next working day if ``day`` is off (within 14 days)."""
    for offset in range(14):
        hours = _hours_on(scenario, plant, day + timedelta(days=offset))
        if hours > 0:
            return hours
    return 0.0


def _shop_capacity(plant: Plant, shop: Shop, hours_day: float, hours_year: float) -> ShopCapacity:
    bottleneck = min(shop.stations, key=lambda s: s.capacity_jph)
    rate = shop.nominal_jph
    return ShopCapacity(
        plant=plant.id,
        shop=shop.id,
        kind=shop.kind,
        stations=len(shop.stations),
        jobs_per_hour=rate,
        jobs_per_day=rate * hours_day,
        jobs_per_year=rate * hours_year,
        bottleneck_station=bottleneck.id,
        feeds=shop.feeds_station,
    )


def summarize(
    scenario: Scenario, day: date | None = None, year: int | None = None
) -> ScenarioSummary:
    """Nominal capacity per shop and plant, per hour, per working day and per year.

    ``day`` defaults to the start of the latest calendar period (the plant as it
    runs now); ``year`` to that day's year. A day off is replaced by the next
    working day, so "per day" always means a working day.
    """
    if day is None:
        starts = [p.start for p in scenario.calendar.periods] if scenario.calendar else []
        sops = [p.start_of_production for p in scenario.plants if p.start_of_production]
        day = max(starts + sops, default=date.today())
    year = day.year if year is None else year
    plants = []
    for plant in scenario.plants:
        hours_day = _typical_working_day(scenario, plant, day)
        hours_year = _hours_in_year(scenario, plant, year)
        rate = plant.nominal_jph
        plants.append(
            PlantCapacity(
                plant=plant.id,
                name=plant.name,
                start_of_production=plant.start_of_production,
                rated_capacity_per_year=plant.rated_capacity_per_year,
                jobs_per_hour=rate,
                working_hours_per_day=hours_day,
                jobs_per_day=rate * hours_day,
                working_hours_per_year=hours_year,
                jobs_per_year=rate * hours_year,
                shops=tuple(_shop_capacity(plant, s, hours_day, hours_year) for s in plant.shops),
            )
        )
    return ScenarioSummary(scenario=scenario.name, day=day, year=year, plants=tuple(plants))
