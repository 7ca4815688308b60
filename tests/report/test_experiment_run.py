"""An experiment's result as a run: its KPIs, tables and charts, checked by hand."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from taktline.report import charts_for
from taktline.store import RunStore
from taktline.workflow.record_engines import experiment_run


def test_an_experiment_run_has_its_best_point_effects_and_points(tmp_path: Path) -> None:
    # one factor (a buffer) at two levels, two replications each, site total only
    replications = pd.DataFrame(
        {
            "point": [0, 0, 1, 1],
            "replication": [0, 1, 0, 1],
            "plant": "total",
            "capacity": [2, 2, 20, 20],
            "throughput_jph": [40.0, 42.0, 50.0, 52.0],
        }
    )
    summary = pd.DataFrame(
        {
            "point": [0, 1],
            "capacity": [2, 20],
            "plant": "total",
            "kpi": "throughput_jph",
            "mean": [41.0, 51.0],
            "ci95": [12.7, 12.7],
            "n": 2,
        }
    )
    effects = pd.DataFrame(
        {
            "factor": "capacity",
            "level": [2, 20],
            "kpi": "throughput_jph",
            "mean": [41.0, 51.0],
            "effect": [-5.0, 5.0],
            "points": 1,
        }
    )
    result = SimpleNamespace(
        name="sweep",
        points=[0, 1],
        replications=replications,
        summary=summary,
        main_effects=effects,
        kpis=("throughput_jph",),
    )
    with RunStore(tmp_path / "runs.duckdb") as store:
        record = store.add(experiment_run(result, {"workers": 1}, "name: sweep\n", seed=1))
        tables = store.tables(record.id)
    assert record.kind == "experiment" and record.seed == 1
    assert record.kpis["design points"] == 2 and record.kpis["replications"] == 2
    best = record.kpis["best throughput_jph"]
    assert best["value"] == 51.0 and best["unit"] == "at point 1"
    assert best["ci_low"] == pytest.approx(51.0 - 12.7)
    charts = charts_for(record, tables)
    assert [c.key for c in charts] == ["points-throughput_jph", "effects-throughput_jph"]
    points, bars = charts[0].figure.data[0], charts[1].figure.data[0]
    assert list(points.y) == [41.0, 51.0] and list(points.error_y.array) == [12.7, 12.7]
    assert list(bars.x) == ["capacity = 2", "capacity = 20"] and list(bars.y) == [-5.0, 5.0]
