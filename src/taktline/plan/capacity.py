"""Capacity over time: takt × scheduled hours × ramp-up share × effective availability.

Scheduled hours come from the scenario's :class:`~taktline.model.Calendar`, one
day at a time (shifts, working days, holidays, a shift added in a month). Before
a plant's first calendar period its first pattern is assumed, so a start of
production brought forward still has a calendar. The rate is the plant's
nominal jobs per hour (its slowest main-flow shop, the GA takt for Yizhuang).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from taktline.model import Calendar, CalendarPeriod, Plant, Scenario, ShiftPattern
from taktline.model.calendar import WEEKDAYS
from taktline.plan.months import days, month_end, month_range
from taktline.plan.ramp import ramp_share

DAYS_PER_MONTH = 365.25 / 12


def _periods_for(calendar: Calendar, plant_id: str) -> list[CalendarPeriod]:
    return sorted(
        (p for p in calendar.periods if p.plants is None or plant_id in p.plants),
        key=lambda p: p.start,
    )


def _hours_with(calendar: Calendar, pattern: ShiftPattern, working_days, day: date) -> float:  # type: ignore[no-untyped-def]
    if day in calendar.holidays:
        return 0.0
    if WEEKDAYS[day.weekday()] in working_days or day in calendar.extra_working_days:
        return pattern.working_hours
    return 0.0


def scheduled_layers(
    scenario: Scenario, calendar_plant: str, all_days: list[date]
) -> list[tuple[date | None, np.ndarray]]:
    """Scheduled hours of a plant per day, split into layers by the period that added them.

    Each calendar period that adds hours (a second shift, Saturdays) adds a layer
    from its start: the new crew ramps up from then, not from the plant's start.
    The first layer's start is None (the plant's start of production). Before its
    first period a plant works its first pattern. Sum the layers for the hours a day.
    """
    calendar = scenario.calendar
    if calendar is None:
        return [(None, np.full(len(all_days), 24.0))]
    periods = _periods_for(calendar, calendar_plant)
    if not periods:
        return [(None, np.zeros(len(all_days)))]
    actual = np.empty(len(all_days))
    for i, day in enumerate(all_days):
        if day < periods[0].start:
            pattern = calendar.shift_patterns[periods[0].pattern]
            actual[i] = _hours_with(calendar, pattern, periods[0].working_days, day)
        else:
            actual[i] = calendar.working_hours_on(day, calendar_plant)
    starts = np.array([(day - periods[0].start).days for day in all_days])
    layers: list[tuple[date | None, np.ndarray]] = []
    previous = np.zeros(len(all_days))
    running_max = np.zeros(len(all_days))
    for index, period in enumerate(periods):
        pattern = calendar.shift_patterns[period.pattern]
        hours = np.array([_hours_with(calendar, pattern, period.working_days, d) for d in all_days])
        running_max = np.maximum(running_max, hours)
        in_force = starts >= (period.start - periods[0].start).days
        if index == 0:
            in_force[:] = True
        level = np.where(in_force, np.minimum(running_max, actual), previous)
        layers.append((None if index == 0 else period.start, level - previous))
        previous = level
    return layers


def scheduled_hours(scenario: Scenario, calendar_plant: str, all_days: list[date]) -> np.ndarray:
    """Scheduled working hours of a plant on each day (its first pattern before its periods)."""
    return sum(h for _, h in scheduled_layers(scenario, calendar_plant, all_days))


def lever_hours(
    scenario: Scenario,
    pattern: ShiftPattern,
    working_days,
    base: np.ndarray,
    all_days: list[date],  # type: ignore[no-untyped-def]
) -> np.ndarray:
    """Extra hours a day if a plant worked ``pattern`` on ``working_days`` instead."""
    calendar = scenario.calendar
    if calendar is None:
        return np.zeros(len(all_days))
    richer = np.array([_hours_with(calendar, pattern, working_days, d) for d in all_days])
    return np.maximum(richer - base, 0.0)


@dataclass
class PlantLine:
    """One plant's fixed data over the timeline: rate, start, scheduled hours per day."""

    id: str
    jph: float
    start: date
    rated_per_year: float | None
    layers: list[tuple[date | None, np.ndarray]]
    models: tuple[str, ...]
    calendar_plant: str

    @property
    def hours(self) -> np.ndarray:
        """Scheduled hours each day, all layers."""
        return sum(h for _, h in self.layers)


@dataclass
class Timeline:
    """Days from the first start of production to the horizon's end, grouped into months."""

    first_day: date
    last_day: date
    days: list[date]
    months: list[date]
    month_of_day: np.ndarray
    plants: dict[str, PlantLine] = field(default_factory=dict)

    @property
    def t_index(self) -> np.ndarray:
        """Day number of each day from ``first_day``."""
        return np.arange(len(self.days), dtype=float)

    def day_index(self, day: date) -> int:
        """Index of ``day`` (clipped to the timeline)."""
        return int(min(max((day - self.first_day).days, 0), len(self.days) - 1))

    def month_index(self, month: date) -> int:
        """Index of a month (first day) in ``months``."""
        return self.months.index(month)

    def to_months(self, daily: np.ndarray) -> np.ndarray:
        """Sum a per-day array into months."""
        return np.bincount(self.month_of_day, weights=daily, minlength=len(self.months))

    def age_days(self, start: date) -> np.ndarray:
        """Days since ``start`` at the middle of each day (negative before it)."""
        return self.t_index - (start - self.first_day).days + 0.5

    def daily_rate(
        self,
        plant: PlantLine,
        form: str,
        shape,  # type: ignore[no-untyped-def]
        level: float,
        start: date | None = None,
        head_start_days: float = 0.0,
    ) -> np.ndarray:
        """Cars a day: jph × level × Σ layers (hours × ramp share since the layer's start).

        ``level`` is the effective availability of scheduled hours at maturity;
        ``head_start_days`` is learning done before the start (trial production).
        """
        begin = start or plant.start
        hours = np.zeros(len(self.days))
        for layer_start, layer_hours in plant.layers:
            if layer_start is None:
                age = self.age_days(begin) + head_start_days
                # nothing is built before the start, whatever was learned in trials
                share = np.where(self.age_days(begin) < 0, 0.0, ramp_share(form, shape, age))
            else:
                age = self.age_days(max(layer_start, begin))
                share = ramp_share(form, shape, age)
            hours += layer_hours * share
        return plant.jph * hours * level


def build_timeline(
    scenario: Scenario, last_month: date, extra_plants: dict[str, Plant] | None = None
) -> Timeline:
    """The timeline from the earliest start of production to the end of ``last_month``.

    ``extra_plants`` maps a new line's id to the plant it copies (rate and calendar).
    """
    starts = [p.start_of_production for p in scenario.plants if p.start_of_production]
    first = min(starts) if starts else date(last_month.year, 1, 1)
    first = min(first, last_month).replace(day=1)
    last = month_end(last_month)
    all_days = days(first, last)
    months = month_range(first, last)
    lookup = {m: i for i, m in enumerate(months)}
    month_of_day = np.array([lookup[d.replace(day=1)] for d in all_days], dtype=int)
    timeline = Timeline(first, last, all_days, months, month_of_day)
    for plant in scenario.plants:
        timeline.plants[plant.id] = _line(scenario, plant, plant.id, all_days, first)
    for new_id, template in (extra_plants or {}).items():
        timeline.plants[new_id] = _line(scenario, template, new_id, all_days, first)
    return timeline


def _line(
    scenario: Scenario, plant: Plant, line_id: str, all_days: list[date], first: date
) -> PlantLine:
    models = plant.models or tuple(m.id for m in scenario.products.models)
    return PlantLine(
        id=line_id,
        jph=plant.nominal_jph,
        start=plant.start_of_production or first,
        rated_per_year=plant.rated_capacity_per_year,
        layers=scheduled_layers(scenario, plant.id, all_days),
        models=models,
        calendar_plant=plant.id,
    )


def rated_level(scenario: Scenario, plant: PlantLine) -> float | None:
    """The availability at which a year of the plant's latest calendar gives its rating."""
    if not plant.rated_per_year or plant.jph <= 0:
        return None
    begin = plant.start
    if scenario.calendar is not None:
        periods = _periods_for(scenario.calendar, plant.calendar_plant)
        if periods:
            begin = max(begin, periods[-1].start)
    year = days(begin, date(begin.year + 1, begin.month, 1))[:365]
    hours = scheduled_hours(scenario, plant.calendar_plant, year).sum()
    if hours <= 0:
        return None
    return plant.rated_per_year / (plant.jph * hours)
