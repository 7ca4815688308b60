"""The built-in Yizhuang plant agrees with every fact of shared/docs/mission.md it can express."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from taktline.model import builtin_scenario_text, default_scenario
from taktline.workflow.summary import summarize


@pytest.fixture(scope="module")
def plant():  # type: ignore[no-untyped-def]
    return default_scenario()


def test_line_releases_a_car_every_76_s(plant) -> None:  # type: ignore[no-untyped-def]
    for each in plant.plants:
        ga = next(s for s in each.shops if s.kind == "general_assembly")
        assert ga.lines[0].paced and ga.lines[0].takt_s == 76
        assert each.nominal_jph == pytest.approx(3600 / 76)


def test_capacity_300000_a_year_with_phase_2(plant) -> None:  # type: ignore[no-untyped-def]
    assert [p.id for p in plant.plants] == ["phase1", "phase2"]
    assert plant.rated_capacity_per_year == 300_000
    assert plant.plant("phase1").rated_capacity_per_year == 150_000


def test_site_and_floor_areas(plant) -> None:  # type: ignore[no-untyped-def]
    assert plant.plant("phase1").site_area_m2 == 718_000
    assert plant.plant("phase2").floor_area_m2 == 400_000


def test_six_workshops_plus_end_of_line_test_and_track(plant) -> None:  # type: ignore[no-untyped-def]
    kinds = {s.kind for s in plant.plant("phase1").shops}
    workshops = {"die_casting", "stamping", "body", "paint", "battery", "general_assembly"}
    assert workshops <= kinds
    assert {"end_of_line_test", "test_track"} <= kinds
    assert "2.5 km" in builtin_scenario_text()


def test_ramp_up_100000_cars_in_230_days(plant) -> None:  # type: ignore[no-untyped-def]
    phase1 = plant.plant("phase1")
    assert phase1.start_of_production == date(2024, 3, 28)
    built = {m.date: m.value for m in phase1.ramp_up if m.measure == "cumulative_built"}
    assert built[phase1.start_of_production + timedelta(days=230)] == 100_000
    delivered = {m.date: m.value for m in phase1.ramp_up if m.measure == "cumulative_delivered"}
    assert delivered[date(2024, 11, 18)] == 100_000


def test_phase_2_starts_in_july_or_august_2025(plant) -> None:  # type: ignore[no-untyped-def]
    sop = plant.plant("phase2").start_of_production
    assert date(2025, 7, 1) <= sop <= date(2025, 8, 31)


def test_delivery_targets(plant) -> None:  # type: ignore[no-untyped-def]
    targets = {t.year: t.units for t in plant.targets}
    assert targets[2024] == 130_000
    assert targets[2026] == 550_000


def test_models_and_their_dates(plant) -> None:  # type: ignore[no-untyped-def]
    models = {m.id: m for m in plant.products.models}
    assert models["SU7"].launch == date(2024, 3, 28)
    assert models["SU7-Ultra"].launch.year == 2025
    assert "YU7" in models
    assert models["SU7-G2"].launch == date(2026, 4, 1)
    assert sum(plant.products.mix_on(date(2025, 10, 1)).values()) == pytest.approx(1)
    assert plant.products.mix_on(date(2024, 6, 1)) == {"SU7": 1.0}


def test_public_record_january_2026_and_china_market(plant) -> None:  # type: ignore[no-untyped-def]
    record = {r.month: r.deliveries for r in plant.record}
    assert record["2026-01"] == 39_000
    assert sum(v for k, v in record.items() if k.startswith("2024")) == 136_854
    assert all(lot.market == "CN" for lot in plant.orders.lots)


def test_nominal_rates_bracket_the_record(plant) -> None:  # type: ignore[no-untyped-def]
    """Phase 1 on two 10 h shifts makes ~20,000 cars a month nominally, as reported."""
    summary = summarize(plant, day=date(2024, 11, 4))
    phase1 = summary.plants[0]
    assert phase1.working_hours_per_day == 20
    monthly = phase1.jobs_per_hour * 20 * 21  # 21 working days
    assert 19_000 < monthly < 21_000


def test_every_assumption_is_marked_and_every_source_named() -> None:
    """Each number written in the stations carries a source tag or ASSUMPTION nearby."""
    text = builtin_scenario_text()
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if re.search(
            r"(cycle_time_s|mtbf_s|capacity|first_time_yield|take_rate|share): [\d.]", line
        ):
            context = "\n".join(lines[max(0, index - 12) : index + 1])
            assert re.search(r"ASSUMPTION|\[(seed|facts) [^\]]+\]|facts \d", context), (
                f"line {index + 1} has a figure with no source or ASSUMPTION nearby: {line}"
            )
