"""Nominal capacity: closed-form arithmetic on cycle times and the calendar."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from taktline.model import load_scenario
from taktline.workflow.summary import summarize


def test_round_the_clock_line(examples_dir: Path) -> None:
    summary = summarize(load_scenario(examples_dir / "lines/l10-det.yaml"), day=date(2025, 1, 1))
    plant = summary.plants[0]
    assert plant.jobs_per_hour == pytest.approx(3600 / 76)  # station 5 at 76 s
    assert plant.working_hours_per_day == 24
    assert plant.jobs_per_year == pytest.approx(3600 / 76 * 24 * 365)
    assert plant.shops[0].bottleneck_station == "s5"


def test_two_shop_plant_on_its_calendar(examples_dir: Path) -> None:
    summary = summarize(load_scenario(examples_dir / "plants/two-shop.yaml"), year=2025)
    plant = summary.plants[0]
    # Body: b-2 at 58 s is slowest (62.07/h); assembly: paced at 65 s (55.38/h).
    assert plant.jobs_per_hour == pytest.approx(3600 / 65)
    assert plant.working_hours_per_day == 15  # two 8 h shifts less two 30 min breaks
    # 2025 has 261 weekdays; 1 January is a holiday.
    assert plant.working_hours_per_year == 260 * 15
    assert summary.day == date(2025, 1, 1)


def test_plant_before_its_start_of_production_makes_nothing() -> None:
    summary = summarize(load_scenario(None), year=2024)
    assert summary.plants[1].jobs_per_year == 0  # phase 2 starts in 2025
    assert summary.plants[0].jobs_per_year > 0
