"""``taktline balance line``: the plant's own line, balanced and written back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from taktline.balance.plant import balance_line, read_tasks
from taktline.cli.main import app
from taktline.errors import InputError
from taktline.model import default_scenario, load_scenario, scenario_from_yaml, scenario_to_yaml
from taktline.report import write_report
from taktline.store import RunStore, default_store_path


def test_general_assembly_balanced_at_its_takt() -> None:
    scenario = default_scenario()
    tasks = scenario.plants[0].shops[5].lines[0].tasks  # the scenario's own (illustrative)
    assert len(tasks) == 24
    lb = balance_line(scenario, "ga")
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
    lb = balance_line(default_scenario(), "ga", takt_s=60)
    assert len(lb.stations) >= 10  # ceil(570 / 60)
    assert all(row["cycle_time_s"] <= 60 for row in lb.stations)


def test_unknown_line_and_missing_tasks() -> None:
    with pytest.raises(InputError, match="no line 'nope'"):
        balance_line(default_scenario(), "nope")
    with pytest.raises(InputError, match="no tasks"):
        balance_line(default_scenario(), "biw")


def _task_file(tmp_path: Path) -> Path:
    tasks = default_scenario().plants[0].shops[5].lines[0].tasks
    path = tmp_path / "tasks.yaml"
    path.write_text(yaml.safe_dump({"tasks": [t.model_dump(exclude_none=True) for t in tasks]}))
    return path


def test_task_files_are_read_with_located_errors(tmp_path: Path) -> None:
    assert len(read_tasks(_task_file(tmp_path))) == 24
    broken = tmp_path / "broken.yaml"
    broken.write_text("tasks:\n  - {id: a, time_s: 5}\n  - {id: b, time_s: -1}\n")
    with pytest.raises(InputError, match=r"broken.yaml:3: tasks\[1\].time_s: must be > 0"):
        read_tasks(broken)
    with pytest.raises(InputError, match="no such task file"):
        read_tasks(tmp_path / "none.yaml")


def test_cli_line_writes_the_scenario(tmp_path: Path) -> None:
    out = tmp_path / "balanced.yaml"
    tasks = _task_file(tmp_path)
    result = CliRunner().invoke(
        app,
        ["balance", "line", "--line", "ga", "--tasks", str(tasks), "--out", str(out), "--json"],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["stations"] == 8 and doc["optimal"]
    assert load_scenario(out).plants[0].shops
    with RunStore(default_store_path()) as runs:  # the test session's own store
        loads = runs.table(doc["run"], "station_loads")
        report = write_report(runs, doc["run"], tmp_path / "balance.html")
    assert len(loads) == 8 and loads.load_s.max() <= 76
    assert "Station loads against the cycle time" in report.read_text()


def test_cli_line_unknown_line_exit_2() -> None:
    result = CliRunner().invoke(app, ["balance", "line", "--line", "nope"])
    assert result.exit_code == 2 and "Traceback" not in result.output
