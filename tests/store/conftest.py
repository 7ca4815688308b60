"""Fixtures of the store tests: a fresh store file and a run with tables of every dtype."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from taktline.store import NewRun, RunStore


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Where the test's store lives (not created yet)."""
    return tmp_path / "runs.duckdb"


@pytest.fixture
def store(store_path: Path) -> Iterator[RunStore]:
    """An empty store, closed after the test."""
    with RunStore(store_path) as runs:
        yield runs


def sample_run(seed: int = 3, kind: str = "simulate", **overrides: object) -> NewRun:
    """A run with KPIs (plain and with CIs) and tables of ints, floats, text, bools, dates."""
    tables = {
        "stations": pd.DataFrame(
            {
                "station": ["s1", "s2", "s3"],
                "servers": [1, 2, 1],
                "working": [0.61, 0.825, 0.5],
                "bottleneck": [False, True, False],
            }
        ),
        "months": pd.DataFrame(
            {"build": [100, 250]},
            index=pd.Index(pd.to_datetime(["2025-01-01", "2025-02-01"]), name="month"),
        ),
    }
    run = NewRun(
        kind=kind,
        scenario_name="line",
        scenario_yaml="name: line\n",
        parameters={"horizon": "2d", "replications": 4},
        seed=seed,
        kpis={
            "throughput": {"value": 41.5, "ci_low": 40.9, "ci_high": 42.1, "unit": "jobs/h"},
            "bottleneck": "s2",
            "wip": 12.0,
        },
        tables=tables,
    )
    for key, value in overrides.items():
        setattr(run, key, value)
    return run
