"""Working time from the calendar: shifts, breaks, weekdays, holidays and periods."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pydantic import ValidationError

from taktline.model import Calendar


def _calendar(**overrides: object) -> Calendar:
    data: dict[str, object] = {
        "shift_patterns": {
            "one": {
                "shifts": [
                    {
                        "name": "day",
                        "start": "08:00",
                        "hours": 9,
                        "breaks": [{"start": "12:00", "minutes": 60}],
                    }
                ]
            },
            "three": {
                "shifts": [
                    {"name": "a", "start": "06:00", "hours": 8},
                    {"name": "b", "start": "14:00", "hours": 8},
                    {
                        "name": "c",
                        "start": "22:00",
                        "hours": 8,
                        "breaks": [{"start": "02:00", "minutes": 30}],
                    },
                ]
            },
        },
        "periods": [
            {"start": "2025-01-01", "pattern": "one"},
            {
                "start": "2025-03-01",
                "pattern": "three",
                "working_days": ["mon", "tue", "wed", "thu", "fri", "sat"],
                "plants": ["p2"],
            },
        ],
        "holidays": ["2025-01-06"],
        "extra_working_days": ["2025-01-11"],
    }
    data.update(overrides)
    return Calendar.model_validate(data)


def test_hours_per_day_follow_weekdays_holidays_and_make_up_days() -> None:
    calendar = _calendar()
    assert calendar.working_hours_on(date(2025, 1, 7)) == 8  # Tuesday: 9 h less 1 h break
    assert calendar.working_hours_on(date(2025, 1, 6)) == 0  # holiday (Monday)
    assert calendar.working_hours_on(date(2025, 1, 4)) == 0  # Saturday
    assert calendar.working_hours_on(date(2025, 1, 11)) == 8  # make-up Saturday
    assert calendar.working_hours_on(date(2024, 12, 31)) == 0  # before the first period
    # January 2025: 23 weekdays, one holiday, one make-up day -> 23 days of 8 h.
    assert calendar.working_hours_between(date(2025, 1, 1), date(2025, 1, 31)) == 23 * 8


def test_a_period_can_apply_to_one_plant_only() -> None:
    calendar = _calendar()
    saturday = date(2025, 3, 8)
    assert calendar.working_hours_on(saturday, "p2") == 23.5  # three shifts, one break
    assert calendar.working_hours_on(saturday, "p1") == 0
    assert calendar.working_hours_on(date(2025, 3, 10), "p1") == 8


def test_working_windows_cut_breaks_and_run_past_midnight() -> None:
    calendar = _calendar()
    start = datetime(2025, 3, 10, 0, 0)  # a Monday, three shifts for p2
    windows = calendar.working_windows(start, 86400, "p2")
    # Sunday's night shift does not exist (Sunday is off), so Monday starts at 06:00;
    # a, b and c run into each other; c's break is at 02:00 of Tuesday (outside the day).
    assert windows == [(6 * 3600, 86400)]
    two_days = calendar.working_windows(start, 2 * 86400, "p2")
    assert two_days == [(6 * 3600, 26 * 3600), (26.5 * 3600, 2 * 86400)]
    one_shift = calendar.working_windows(start, 86400, "p1")
    assert one_shift == [(8 * 3600, 12 * 3600), (13 * 3600, 17 * 3600)]


def test_windows_from_mid_shift_start_clip_to_the_horizon() -> None:
    calendar = _calendar()
    start = datetime(2025, 1, 7, 10, 0)
    assert calendar.working_windows(start, 4 * 3600) == [(0, 2 * 3600), (3 * 3600, 4 * 3600)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"periods": [{"start": "2025-01-01", "pattern": "nope"}]}, "is not a shift pattern"),
        (
            {
                "shift_patterns": {
                    "one": {
                        "shifts": [
                            {"name": "a", "start": "06:00", "hours": 10},
                            {"name": "b", "start": "14:00", "hours": 8},
                        ]
                    }
                }
            },
            "overlap",
        ),
        (
            {
                "shift_patterns": {
                    "one": {
                        "shifts": [
                            {
                                "name": "a",
                                "start": "06:00",
                                "hours": 4,
                                "breaks": [{"start": "09:30", "minutes": 60}],
                            }
                        ]
                    }
                }
            },
            "does not fit",
        ),
    ],
)
def test_inconsistent_calendars_are_rejected(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _calendar(**change)
