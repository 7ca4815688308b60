"""``taktline balance salbp1|salbp2``: JSON contract, exit code 2 on bad input, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from taktline.balance import read_instance, verify
from taktline.cli.main import app

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def test_salbp1_json() -> None:
    result = runner.invoke(
        app, ["balance", "salbp1", str(DATA / "JACKSON.IN2"), "--cycle-time", "10", "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["stations"] == 5 and doc["lower_bound"] == 5 and doc["optimal"] is True
    assert isinstance(doc["wall_s"], float)
    verify(read_instance(DATA / "JACKSON.IN2"), doc["assignment"], 10)


def test_salbp1_alb_uses_the_file_cycle_time() -> None:
    result = runner.invoke(app, ["balance", "salbp1", str(DATA / "instance_n=20_1.alb"), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["cycle_time"] == 1000 and doc["stations"] == 3 and doc["optimal"]


def test_salbp2_json() -> None:
    result = runner.invoke(
        app, ["balance", "salbp2", str(DATA / "BUXEY.IN2"), "--stations", "9", "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["cycle_time"] == 37 and doc["optimal"] and doc["lower_bound"] == 37
    verify(read_instance(DATA / "BUXEY.IN2"), doc["assignment"], 37)


def test_salbp1_text_output() -> None:
    result = runner.invoke(app, ["balance", "salbp1", str(DATA / "MERTENS.IN2"), "-c", "10"])
    assert result.exit_code == 0, result.output
    assert "3 stations at cycle time 10, proved optimal" in result.stdout


def test_time_limit_option() -> None:
    result = runner.invoke(
        app,
        [
            "balance",
            "salbp1",
            str(DATA / "WEE-MAG.IN2"),
            "-c",
            "50",
            "--time-limit",
            "0.2",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["lower_bound"] <= 32 <= doc["stations"]


def test_malformed_file_exit_2_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "BAD.IN2"
    bad.write_bytes(b"3\r\n1\r\nx\r\n1\r\n-1,-1\r\n")
    result = runner.invoke(app, ["balance", "salbp1", str(bad), "-c", "5"])
    assert result.exit_code == 2
    assert f"{bad}:3: expected the time of task 2 of 3" in result.output
    assert "Traceback" not in result.output


def test_missing_cycle_time_and_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["balance", "salbp1", str(DATA / "MERTENS.IN2")])
    assert result.exit_code == 2 and "--cycle-time" in result.output
    result = runner.invoke(app, ["balance", "salbp1", str(tmp_path / "nope.IN2"), "-c", "5"])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_infeasible_cycle_time_exit_2() -> None:
    result = runner.invoke(app, ["balance", "salbp1", str(DATA / "MERTENS.IN2"), "-c", "5"])
    assert result.exit_code == 2 and "longer than the cycle time 5" in result.output


def test_balances_are_recorded_as_runs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from taktline.store import RunStore

    store = tmp_path / "runs.duckdb"
    result = runner.invoke(
        app,
        [
            "balance",
            "salbp2",
            str(DATA / "BUXEY.IN2"),
            "--stations",
            "9",
            "--store",
            str(store),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    with RunStore(store) as runs:
        loads = runs.table(document["run"], "station_loads")
    assert len(loads) == 9 and loads.load_s.max() == document["cycle_time"]
