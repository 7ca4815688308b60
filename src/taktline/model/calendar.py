"""Working time: shift patterns, breaks, working days, holidays, changing by period.

A calendar is a list of periods, each from a date on, naming the shift pattern
and the working weekdays in force (so "a third shift from 2026-03" is one more
period). Holidays close the plant; extra working days (China's make-up
Saturdays) open it on a day that would be off. A period may apply to some
plants only, so phase 1 and phase 2 share holidays but not shift patterns.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from typing import Literal

from pydantic import Field, field_validator, model_validator

from taktline.model.base import Frozen

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Break(Frozen):
    """A planned stop inside a shift (meal, rest); it starts at a clock time."""

    start: time
    minutes: float = Field(gt=0, le=24 * 60)


class Shift(Frozen):
    """One crew's working time: from a clock time, for some hours, minus its breaks.

    A shift that runs past midnight belongs to the day it starts on.
    """

    name: str = Field(min_length=1)
    start: time
    hours: float = Field(gt=0, le=24)
    breaks: tuple[Break, ...] = ()

    @model_validator(mode="after")
    def _breaks_inside_shift(self) -> Shift:
        length = self.hours * 3600
        for index, brk in enumerate(self.breaks):
            offset = self._offset_s(brk.start)
            if offset + brk.minutes * 60 > length + 1e-9:
                raise ValueError(
                    f"break {index} ({brk.start.isoformat('minutes')}, {brk.minutes:g} min) "
                    f"does not fit inside shift {self.name!r}"
                )
        return self

    @property
    def start_s(self) -> float:
        """Start of the shift in seconds after midnight."""
        return float(self.start.hour * 3600 + self.start.minute * 60 + self.start.second)

    def _offset_s(self, clock: time) -> float:
        at = clock.hour * 3600 + clock.minute * 60 + clock.second
        return (at - self.start_s) % 86400

    def working_intervals_s(self) -> list[tuple[float, float]]:
        """Working intervals in seconds from the shift's day's midnight, breaks cut out."""
        begin = self.start_s
        cuts = sorted(
            (begin + self._offset_s(b.start), begin + self._offset_s(b.start) + b.minutes * 60)
            for b in self.breaks
        )
        intervals, cursor, end = [], begin, begin + self.hours * 3600
        for lo, hi in cuts:
            if lo > cursor:
                intervals.append((cursor, lo))
            cursor = max(cursor, hi)
        if end > cursor:
            intervals.append((cursor, end))
        return intervals

    @property
    def working_hours(self) -> float:
        """Hours of work in the shift, breaks excluded."""
        return self.hours - sum(b.minutes for b in self.breaks) / 60


class ShiftPattern(Frozen):
    """The shifts worked on one working day."""

    shifts: tuple[Shift, ...] = Field(min_length=1)

    @property
    def working_hours(self) -> float:
        """Hours of work per working day, breaks excluded."""
        return sum(s.working_hours for s in self.shifts)

    @model_validator(mode="after")
    def _shifts_do_not_overlap(self) -> ShiftPattern:
        spans = sorted((s.start_s, s.start_s + s.hours * 3600, s.name) for s in self.shifts)
        for (_, end_a, name_a), (start_b, _, name_b) in itertools.pairwise(spans):
            if start_b < end_a - 1e-9:
                raise ValueError(f"shifts {name_a!r} and {name_b!r} overlap")
        if spans[-1][1] - spans[0][0] > 86400 + 1e-9:
            raise ValueError("a day's shifts span more than 24 hours")
        return self


class CalendarPeriod(Frozen):
    """From ``start`` on (until the next period), this pattern on these weekdays."""

    start: date
    pattern: str = Field(min_length=1, description="key into Calendar.shift_patterns")
    working_days: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")
    plants: tuple[str, ...] | None = Field(
        default=None, description="plant ids this period applies to; all plants when omitted"
    )
    note: str | None = None

    @field_validator("working_days")
    @classmethod
    def _distinct_days(cls, days: tuple[Weekday, ...]) -> tuple[Weekday, ...]:
        if len(set(days)) != len(days):
            raise ValueError("a weekday is listed twice")
        return days


class Calendar(Frozen):
    """When each plant works: shift patterns by period, holidays and make-up days."""

    shift_patterns: dict[str, ShiftPattern] = Field(min_length=1)
    periods: tuple[CalendarPeriod, ...] = Field(min_length=1)
    holidays: tuple[date, ...] = ()
    extra_working_days: tuple[date, ...] = Field(
        default=(), description="days worked although their weekday is off (make-up days)"
    )

    @model_validator(mode="after")
    def _patterns_exist(self) -> Calendar:
        for index, period in enumerate(self.periods):
            if period.pattern not in self.shift_patterns:
                known = ", ".join(sorted(self.shift_patterns))
                raise ValueError(
                    f"periods[{index}].pattern {period.pattern!r} is not a shift pattern "
                    f"(known: {known})"
                )
        return self

    # -- queries -----------------------------------------------------------------
    def _period_on(self, day: date, plant: str | None) -> CalendarPeriod | None:
        found = None
        for period in sorted(self.periods, key=lambda p: p.start):
            applies = period.plants is None or plant is None or plant in period.plants
            if applies and period.start <= day:
                found = period
        return found

    def pattern_on(self, day: date, plant: str | None = None) -> ShiftPattern | None:
        """The shift pattern worked on ``day`` by ``plant``, or None if it is a day off."""
        period = self._period_on(day, plant)
        if period is None or day in self.holidays:
            return None
        weekday = WEEKDAYS[day.weekday()]
        if weekday not in period.working_days and day not in self.extra_working_days:
            return None
        return self.shift_patterns[period.pattern]

    def working_hours_on(self, day: date, plant: str | None = None) -> float:
        """Scheduled working hours on ``day`` (0 on a day off)."""
        pattern = self.pattern_on(day, plant)
        return 0.0 if pattern is None else pattern.working_hours

    def working_hours_between(self, first: date, last: date, plant: str | None = None) -> float:
        """Scheduled working hours from ``first`` to ``last``, both included."""
        total, day = 0.0, first
        while day <= last:
            total += self.working_hours_on(day, plant)
            day += timedelta(days=1)
        return total

    def working_windows(
        self, start: datetime, horizon_s: float, plant: str | None = None
    ) -> list[tuple[float, float]]:
        """Working windows as (from, to) seconds after ``start``, clipped to the horizon.

        Windows are sorted and merged where one shift runs straight into the next.
        A shift started the day before ``start`` that is still running is included.
        """
        windows: list[tuple[float, float]] = []
        midnight = datetime.combine(start.date(), time(0))
        day = start.date() - timedelta(days=1)
        end = start + timedelta(seconds=horizon_s)
        while datetime.combine(day, time(0)) < end:
            pattern = self.pattern_on(day, plant)
            if pattern is not None:
                base = (datetime.combine(day, time(0)) - midnight).total_seconds()
                offset = (midnight - start).total_seconds()
                for shift in pattern.shifts:
                    for lo, hi in shift.working_intervals_s():
                        a, b = max(base + lo + offset, 0.0), min(base + hi + offset, horizon_s)
                        if b > a:
                            windows.append((a, b))
            day += timedelta(days=1)
        windows.sort()
        merged: list[tuple[float, float]] = []
        for a, b in windows:
            if merged and a <= merged[-1][1] + 1e-9:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        return merged
