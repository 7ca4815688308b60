"""A day's plan through the simulation: the same day as received and as sequenced."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from taktline.model import load_scenario
from taktline.sequence.plant import orders_from_mix, sequence_day
from taktline.workflow.release import simulate_day_plan

TWO_SHOP = Path(__file__).parents[2] / "examples" / "plants" / "two-shop.yaml"


def test_day_plan_is_simulated_both_ways() -> None:
    scenario = load_scenario(TWO_SHOP)
    day = date(2025, 3, 12)
    jobs = orders_from_mix(scenario, day, cars=80, seed=2)
    plan = sequence_day(scenario, jobs, day=day, time_limit=1, seed=2, max_iterations=20_000)
    doc = simulate_day_plan(scenario, plan, replications=2, seed=4)
    for order in ("received", "sequenced"):
        tp = doc["throughput_jpd"][order]
        assert 0 < tp["mean"] <= 2 * 8 * 3600 / 65  # two shifts at the 65 s takt at most
    (row,) = doc["option_stations"]
    assert (row["option"], row["station"]) == ("sunroof", "fa-2")
    for order in ("received", "sequenced"):
        shares = row[order]
        assert 0 < shares["working"] <= 1 and 0 <= shares["blocked"] <= 1
