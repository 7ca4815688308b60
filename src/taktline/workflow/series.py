"""Time series of one simulated replication: cumulative output, WIP and lead times.

The simulation engine's :class:`~taktline.simulate.SimulationResult` summarises
replications into KPIs and shares; the charts "throughput over time" and "WIP"
need the path of one replication. This module re-runs replication 0 of each plant
(the same random stream as in the result, so the same path) through the engine's
module-level functions and reads the completion times and lead times it keeps.

It leans on the engine's internals, so it is defensive: if they change, it
returns no series and the report simply lacks those two charts.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from taktline.model import Scenario

log = logging.getLogger(__name__)
POINTS = 300


def _to_calendar(windows: Any, worked: np.ndarray) -> np.ndarray:
    """Calendar seconds at which ``worked`` working seconds have elapsed (vectorised)."""
    if windows is None or len(windows) == 0:
        return worked.astype(float)
    starts = np.array([a for a, _ in windows], dtype=float)
    lengths = np.array([b - a for a, b in windows], dtype=float)
    done_before = np.concatenate([[0.0], np.cumsum(lengths)[:-1]])
    index = np.clip(np.searchsorted(done_before, worked, side="right") - 1, 0, len(starts) - 1)
    return starts[index] + np.minimum(worked - done_before[index], lengths[index])


def replication_series(
    scenario: Scenario,
    horizon_s: float,
    warmup_s: float,
    seed: int,
    start: datetime | None = None,
) -> dict[str, pd.DataFrame]:
    """``throughput`` (time_h, completed), ``wip`` (time_h, wip) and ``lead_time``
    (lead_time_h) of replication 0 per plant; empty if the engine cannot give them."""
    try:
        from taktline.simulate.api import plant_runs
        from taktline.simulate.engine import replication_seed, run_network, timing
        from taktline.simulate.kpis import replication_kpis

        _, runs = plant_runs(scenario, horizon_s, start)
        throughput, wip, lead_rows = [], [], []
        grid = np.linspace(0.0, horizon_s, POINTS)
        for p, plant in enumerate(runs):
            tm = timing(plant.windows, horizon_s, warmup_s)
            raw = run_network(plant.network, tm, replication_seed(seed, 0, p))
            at_w, lead = replication_kpis(plant.network, raw, tm.window)["lead_series"]
            at_w, lead = np.asarray(at_w, dtype=float), np.asarray(lead, dtype=float)
            n = min(len(at_w), len(lead))
            exit_cal = np.sort(_to_calendar(plant.windows, at_w[:n]))
            enter_cal = np.sort(_to_calendar(plant.windows, at_w[:n]) - lead[:n])
            completed = np.searchsorted(exit_cal, grid, side="right")
            throughput.append(
                pd.DataFrame({"plant": plant.name, "time_h": grid / 3600, "completed": completed})
            )
            # Jobs still in the plant at the end are not in the sample: stop the WIP curve
            # one (99th-percentile) lead time before the end, where it would start to dip.
            cut = horizon_s - (float(np.percentile(lead[:n], 99)) if n else 0.0)
            inside = grid[(grid >= warmup_s) & (grid <= cut)]
            level = np.searchsorted(enter_cal, inside, side="right") - np.searchsorted(
                exit_cal, inside, side="right"
            )
            wip.append(pd.DataFrame({"plant": plant.name, "time_h": inside / 3600, "wip": level}))
            lead_rows.append(pd.DataFrame({"plant": plant.name, "lead_time_h": lead[:n] / 3600}))
        return {
            "throughput": pd.concat(throughput, ignore_index=True),
            "wip": pd.concat(wip, ignore_index=True),
            "lead_time": pd.concat(lead_rows, ignore_index=True),
        }
    except Exception as error:  # the series are a bonus: never fail a run for them
        log.warning("no time series for the report: %s", error)
        return {}
