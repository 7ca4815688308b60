"""``taktline simulate`` through the CLI: output contract and a dozen broken inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taktline.cli.main import app

DATA = Path(__file__).parent / "data"
L10 = Path(__file__).parents[2] / "examples" / "lines" / "l10.yaml"
runner = CliRunner()


def test_json_document() -> None:
    result = runner.invoke(
        app,
        [
            "simulate",
            str(L10),
            "--horizon",
            "3d",
            "--replications",
            "3",
            "--seed",
            "1",
            "--warmup",
            "8h",
            "--workers",
            "1",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    for key in ("throughput_jph", "wip", "lead_time_s"):
        assert {"mean", "ci95"} <= set(doc["kpis"][key])
    assert doc["bottleneck"]["station"] == "s5"
    assert doc["replications"] == 3 and doc["wall_s"] > 0
    buffer = doc["buffers"][0]
    assert abs(sum(buffer["distribution"]) - 1) < 1e-6  # shares of time at each level
    assert len(buffer["distribution"]) <= 6  # levels 0..5 of a 5-place buffer
    station = doc["stations"][0]
    assert {"working", "blocked", "starved", "failed", "off_shift", "oee"} <= set(station)


def test_table_output() -> None:
    result = runner.invoke(
        app,
        ["simulate", str(L10), "--horizon", "2d", "-n", "2", "--warmup", "4h", "--workers", "1"],
    )
    assert result.exit_code == 0, result.output
    assert "throughput" in result.stdout and "bottleneck" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--horizon", "forever"],
        ["--horizon", "0"],
        ["--horizon", "-3d"],
        ["--replications", "0"],
        ["--replications", "many"],
        ["--seed", "-4"],
        ["--warmup", "sometime"],
        ["--warmup", "20d", "--horizon", "2d"],
        ["--workers", "0"],
        ["--method", "guess"],
        ["--no-such-flag"],
    ],
)
def test_bad_flags_exit_2(args: list[str]) -> None:
    result = runner.invoke(app, ["simulate", str(L10), *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("path", [DATA / "bad-station.yaml", DATA / "missing.yaml", DATA])
def test_bad_scenarios_exit_2(path: Path) -> None:
    result = runner.invoke(app, ["simulate", str(path), "--horizon", "1d"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "error" in result.output.lower()


def test_simulate_records_its_run(tmp_path: Path, examples_dir: Path) -> None:
    from taktline.store import RunStore

    store = tmp_path / "runs.duckdb"
    result = CliRunner().invoke(
        app,
        [
            "simulate",
            str(examples_dir / "lines/l10.yaml"),
            "--horizon",
            "2d",
            "-n",
            "3",
            "--warmup",
            "4h",
            "--workers",
            "1",
            "--store",
            str(store),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    run_id = json.loads(result.stdout)["run"]
    with RunStore(store) as runs:
        record = runs.get(run_id)
        stations = runs.table(run_id, "stations")
    assert record.kind == "simulate" and record.seed == 1
    assert len(stations) == 10
