"""A paced line's ends, worked off when its conveyor moves, fall at their own times."""

from __future__ import annotations

import numpy as np

from taktline.simulate.engine import PlantRun, event_log
from taktline.simulate.network import serial_line

# working windows (calendar s) with off-shift gaps that cut through conveyor cycles
WINDOWS = ((0.0, 1000.0), (1500.0, 3030.0), (3600.0, 20000.0))
TIMES = [60.0, 70.0, 50.0]


def working(c: np.ndarray) -> np.ndarray:
    """Working seconds from the start up to calendar time ``c``."""
    return sum(np.clip(c, a, b) - a for a, b in WINDOWS)


def test_each_end_falls_its_processing_time_after_its_start_in_working_time() -> None:
    net = serial_line(TIMES, 2, paced_takt=76.0)
    log = event_log([PlantRun("p", net, WINDOWS)], horizon=20000.0, warmup=0.0, seed=1)
    assert (log.time_s.diff().dropna() >= 0).all()  # sorted, although ends are logged early
    checked = 0
    for name, cycle in zip(net.station_names, TIMES, strict=True):
        at = log[log.station == name]
        starts = at[at.event == "start"]
        ends = at[at.event == "end"]
        assert len(starts) - len(ends) in (0, 1)  # at most the last job still in work
        assert (starts.job.to_numpy()[: len(ends)] == ends.job.to_numpy()).all()
        took = working(ends.time_s.to_numpy()) - working(starts.time_s.to_numpy()[: len(ends)])
        np.testing.assert_allclose(took, cycle)
        # some ends fall after an off-shift period that began during the job
        cal = ends.time_s.to_numpy() - starts.time_s.to_numpy()[: len(ends)]
        checked += int(np.sum(cal > cycle + 1.0))
    assert checked > 0
