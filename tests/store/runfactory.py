"""Runs to store in the tests (a module of its own: test files import it by name)."""

from __future__ import annotations

import pandas as pd

from taktline.store import NewRun


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
