"""``taktline balance line``: the plant's own line, balanced and written back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taktline.balance.plant import GA_TASKS, balance_line, read_tasks
from taktline.cli.main import app
from taktline.errors import InputError
from taktline.model import default_scenario, load_scenario, scenario_from_yaml, scenario_to_yaml


def test_general_assembly_balanced_at_its_takt() -> None:
    scenario = default_scenario()
    tasks = read_tasks(GA_TASKS)
    lb = balance_line(scenario, "ga", tasks=tasks)
    assert lb.takt_s == 76
    assert lb.result.optimal and len(lb.stations) == 8  # ceil(570 / 76) = 8
    line = next(ln for sh in lb.scenario.plants[0].shops for ln in sh.lines if ln.id == "ga")
    assert all(s.cycle_time_s <= 76 for s in line.stations)
    assert sum(s.cycle_time_s for s in line.stations) == pytest.approx(570)
    assert len(line.tasks) == len(tasks)
    # the written scenario is valid (paced line: every station within the takt)
    again = scenario_from_yaml(scenario_to_yaml(lb.scenario))
    assert again.plants[0].shops == lb.scenario.plants[0].shops


def test_tighter_takt_needs_more_stations() -> None:
    lb = balance_line(default_scenario(), "ga", takt_s=60, tasks=read_tasks(GA_TASKS))
    assert len(lb.stations) >= 10  # ceil(570 / 60)
    assert all(row["cycle_time_s"] <= 60 for row in lb.stations)


def test_unknown_line_and_missing_tasks() -> None:
    with pytest.raises(InputError, match="no line 'nope'"):
        balance_line(default_scenario(), "nope")
    with pytest.raises(InputError, match="no tasks"):
        balance_line(default_scenario(), "ga")


def test_cli_line_writes_the_scenario(tmp_path: Path) -> None:
    out = tmp_path / "balanced.yaml"
    result = CliRunner().invoke(
        app,
        ["balance", "line", "--line", "ga", "--tasks", str(GA_TASKS), "--out", str(out), "--json"],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["stations"] == 8 and doc["optimal"]
    assert load_scenario(out).plants[0].shops


def test_cli_line_unknown_line_exit_2() -> None:
    result = CliRunner().invoke(app, ["balance", "line", "--line", "nope"])
    assert result.exit_code == 2 and "Traceback" not in result.output
