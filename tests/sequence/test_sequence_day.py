"""The plant's own sequence: orders from the default scenario's mix, sequenced."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taktline.cli.sequence import app
from taktline.errors import InputError
from taktline.model import load_scenario
from taktline.sequence import check_roadef
from taktline.sequence.plant import (
    day_instance,
    orders_from_mix,
    read_orders_csv,
    sequence_day,
    write_release_csv,
)

DAY = date(2025, 9, 10)


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(None)


def test_orders_follow_the_mix(scenario):
    jobs = orders_from_mix(scenario, DAY, cars=200, seed=3)
    assert len(jobs) == 200 and len({j.id for j in jobs}) == 200
    mix = scenario.products.mix_on(DAY)
    counts = Counter(j.model for j in jobs)
    for model, share in mix.items():
        assert abs(counts[model] - share * 200) <= 1
    colours = Counter(j.colour for j in jobs)
    for c in scenario.products.colours:
        assert abs(colours[c.id] - c.share * 200) <= 1


def test_sequence_day_removes_spacing_violations(scenario):
    jobs = orders_from_mix(scenario, DAY, cars=150, seed=1)
    plan = sequence_day(scenario, jobs, day=DAY, time_limit=5, seed=1)
    assert sorted(j.id for j in plan.jobs) == sorted(j.id for j in jobs)
    assert sum(o.excess_received for o in plan.options) > 0
    for o in plan.options:
        # cars beyond p in every q over the day cannot all be spread: each such car
        # overloads at most q windows; when they fit, none is left
        most = o.p * (len(jobs) // o.q) + min(o.p, len(jobs) % o.q)
        assert o.excess_sequenced <= o.q * max(0, o.cars - most)
        assert o.excess_sequenced <= o.excess_received
    assert plan.colour_changes < plan.colour_changes_received
    limit = scenario.products.paint_batch_limit
    assert plan.max_batch <= limit
    inst, _ = day_instance(scenario, jobs)
    rep = check_roadef(inst, [j.id for j in plan.jobs])
    assert rep.valid and rep.objective == plan.objective
    assert plan.release_models() == [j.model for j in plan.jobs]


def test_orders_csv_round_trip_and_errors(scenario, tmp_path: Path):
    jobs = orders_from_mix(scenario, DAY, cars=30, seed=2)
    path = tmp_path / "orders.csv"
    write_release_csv(jobs, path)
    back = read_orders_csv(path, scenario)
    assert back == jobs
    path.write_text("id,model,options,colour\n1,YU7,sunroof,bay-blue\n2,XX9,,bay-blue\n")
    with pytest.raises(InputError) as info:
        read_orders_csv(path, scenario)
    assert info.value.problems[0].line == 3 and "unknown model" in str(info.value)
    path.write_text("id,model,options,colour\n1,YU7,roof,bay-blue\n")
    with pytest.raises(InputError, match="unknown option"):
        read_orders_csv(path, scenario)


def test_cli_day(tmp_path: Path):
    out = tmp_path / "release.csv"
    result = CliRunner().invoke(
        app,
        [
            "day",
            "--date",
            "2025-09-10",
            "--cars",
            "120",
            "--time-limit",
            "3",
            "--out",
            str(out),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc["jobs"]) == 120 and doc["jobs"][0]["position"] == 1
    assert {o["option"] for o in doc["options"]} >= {"sunroof", "lidar"}
    assert len(out.read_text().splitlines()) == 121
    bad = CliRunner().invoke(app, ["day", "--date", "10/09/2025"])
    assert bad.exit_code == 2
