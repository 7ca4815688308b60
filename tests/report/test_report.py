"""The HTML report and its charts: what each chart shows, checked against hand-made tables."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from taktline.cli.main import app
from taktline.model import builtin_scenario_text
from taktline.report import charts_for, render_report
from taktline.report.html import format_number, kpi_table_html
from taktline.store import RunRecord, RunStore
from taktline.workflow.jobs import run_and_record


def record(kind: str = "simulate", **fields: object) -> RunRecord:
    base = {
        "id": "20250101-000000-abcdef",
        "kind": kind,
        "created": datetime(2025, 1, 1, tzinfo=UTC),
        "label": None,
        "scenario_name": "line",
        "scenario_sha256": "0" * 64,
        "scenario_yaml": "name: line\n",
        "parameters": {},
        "seed": 1,
        "software_version": "test",
        "status": "done",
        "kpis": {},
        "fingerprint": "f" * 12,
        "tables": {},
    }
    return RunRecord(**{**base, **fields})  # type: ignore[arg-type]


def keys(charts: list) -> list[str]:
    return [c.key for c in charts]


def test_station_states_stack_to_one_and_mark_the_flagged_bottleneck() -> None:
    stations = pd.DataFrame(
        {
            "plant": ["p", "p", "p"],
            "station": ["a", "b", "c"],
            "working": [0.5, 0.7, 0.4],
            "blocked": [0.2, 0.0, 0.0],
            "starved": [0.0, 0.05, 0.3],
            "failed": [0.05, 0.05, 0.0],
            "off_shift": [0.25, 0.2, 0.3],
            "bottleneck": [False, True, False],
        }
    )
    (chart,) = charts_for(record(), {"stations": stations})
    assert chart.key == "station-states-p"
    traces = {t.name: list(t.y) for t in chart.figure.data}
    assert list(traces) == ["working", "blocked", "starved", "failed", "off shift"]
    sums = [sum(values) for values in zip(*traces.values(), strict=True)]
    assert sums == pytest.approx([1.0, 1.0, 1.0])
    (mark,) = chart.figure.layout.annotations
    assert mark.x == "b" and "bottleneck" in mark.text
    assert "(b)" in chart.note


def test_buffer_levels_bin_by_share_of_capacity() -> None:
    levels = pd.DataFrame(
        {
            "buffer": ["small"] * 4 + ["big"] * 3,
            "level": [0, 1, 2, 3, 0, 50, 200],
            "share": [0.1, 0.2, 0.3, 0.4, 0.5, 0.25, 0.25],
        }
    )
    buffers = pd.DataFrame({"buffer": ["small", "big"], "capacity": [3, 200]})
    (chart,) = charts_for(record(), {"buffer_levels": levels, "buffers": buffers})
    heat = chart.figure.data[0]
    assert list(heat.x) == ["empty", "<25%", "25–50%", "50–75%", "75–100%", "full"]
    assert list(heat.y) == ["small", "big"]
    # small: 1/3 -> 25–50 %, 2/3 -> 50–75 %, 3/3 full; big: 50/200 = 25 % -> 25–50 %
    assert [list(row) for row in heat.z] == [
        pytest.approx([0.1, 0, 0.2, 0.3, 0, 0.4]),
        pytest.approx([0.5, 0, 0.25, 0, 0, 0.25]),
    ]


def test_plan_months_against_targets_and_backlog() -> None:
    months = pd.DataFrame(
        {
            "month": ["2025-01", "2025-02"],
            "build": [100, 120],
            "deliveries": [90, 125],
            "target_deliveries": [95, 130],
            "backlog": [500, 480],
        }
    )
    charts = charts_for(record("plan"), {"months": months})
    assert keys(charts) == ["plan-months", "plan-backlog"]
    names = [t.name for t in charts[0].figure.data]
    assert names == ["build", "deliveries", "delivery target pace (year / 12)"]
    assert list(charts[1].figure.data[0].y) == [500, 480]


def test_option_load_marks_windows_over_the_limit() -> None:
    # option with limit 1 per 2 cars on 0 1 1 0 1: windows start 0..3 hold 1, 2, 1, 1
    load = pd.DataFrame(
        {"option": "sunroof", "window_start": [0, 1, 2, 3], "load": [1, 2, 1, 1], "p": 1, "q": 2}
    )
    (chart,) = charts_for(record("sequence"), {"option_load": load})
    colours = list(chart.figure.data[0].marker.color)
    assert colours.count("#c62828") == 1 and colours[1] == "#c62828"
    assert chart.note.startswith("1 windows over")
    assert chart.figure.layout.shapes[0].y0 == 1  # the limit line at p


def test_colour_batches_and_balance_loads() -> None:
    batches = pd.DataFrame(
        {"colour": ["red", "blue", "red"], "start": [0, 3, 5], "length": [3, 2, 1]}
    )
    loads = pd.DataFrame({"station": [1, 2, 3], "load_s": [55, 60, 48]})
    charts = charts_for(
        record("balance", kpis={"cycle time": {"value": 60}}),
        {"colour_batches": batches, "station_loads": loads},
    )
    assert keys(charts) == ["colour-batches", "balance-loads"]
    assert sorted(t.name for t in charts[0].figure.data) == ["blue", "red"]
    assert charts[1].figure.layout.shapes[0].y0 == 60


def test_no_chartable_tables_no_charts_but_the_tables_are_listed() -> None:
    tables = {"misc": pd.DataFrame({"a": range(250)})}
    page = render_report(record(), tables)
    assert "No chartable results" in page
    assert "first 200 of 250 rows" in page


def test_kpi_table_shows_confidence_intervals() -> None:
    html = kpi_table_html(
        {
            "throughput": {"value": 41.5, "ci_low": 40.9, "ci_high": 42.1, "unit": "jobs/h"},
            "bottleneck": "eol",
            "cars": 426315.79,
        }
    )
    assert "40.90 – 42.10" in html and "eol" in html and "426,315.8" in html
    assert format_number(None) == "–" and format_number(300000) == "300,000"


@pytest.fixture(scope="module")
def capacity_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A stored nominal-capacity run of the default plant."""
    path = tmp_path_factory.mktemp("report") / "runs.duckdb"
    with RunStore(path) as store:
        run = run_and_record(store, "capacity", builtin_scenario_text())
    return path, run.id


def test_the_report_is_self_contained(capacity_report: tuple[Path, str]) -> None:
    path, run_id = capacity_report
    with RunStore(path) as store:
        run = store.get(run_id)
        page = render_report(run, store.tables(run_id))
    assert not re.search(r"<script[^>]+src=", page)  # nothing loaded from anywhere
    assert page.count("Plotly.newPlot") == 3  # shop rates, station capacity of both plants
    assert len(page) > 3_000_000  # plotly.js itself is inside
    assert "nominal cars/year" in page


def test_report_cli_writes_the_file(capacity_report: tuple[Path, str], tmp_path: Path) -> None:
    path, run_id = capacity_report
    out = tmp_path / "sub" / "r.html"
    result = CliRunner().invoke(
        app, ["report", run_id, "-o", str(out), "--store", str(path), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert out.exists() and out.read_text().startswith("<!DOCTYPE html>")
    latest = CliRunner().invoke(app, ["report", "-o", str(out), "--store", str(path)])
    assert latest.exit_code == 0 and run_id in latest.stdout


def test_report_cli_bad_inputs(capacity_report: tuple[Path, str], tmp_path: Path) -> None:
    path, _ = capacity_report
    unknown = CliRunner().invoke(app, ["report", "nope", "--store", str(path)])
    assert unknown.exit_code == 2 and "no run 'nope'" in unknown.stderr
    RunStore(tmp_path / "empty.duckdb").close()
    empty = CliRunner().invoke(app, ["report", "--store", str(tmp_path / "empty.duckdb")])
    assert empty.exit_code == 2 and "no runs yet" in empty.stderr
