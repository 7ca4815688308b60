"""Differential tests: the same line in SimPy (a trusted peer) and in taktline.

Three configurations with failures, finite buffers and a repair loop; for each KPI the
two 95 % confidence intervals must overlap.
"""

from __future__ import annotations

import numpy as np
import pytest
from simulate_helpers import SimpyLine, ci, replicate, simpy_line

from taktline.simulate.network import serial_line

DAY = 86400.0

CONFIGS = {
    "l5-failures": SimpyLine(cycle=[60, 60, 76, 60, 60], buffers=[5, 5, 5, 5], mtbf=3600, mttr=300),
    "exp-small-buffers": SimpyLine(
        cycle=[55, 60, 58], buffers=[1, 2], processing="exponential", mtbf=1800, mttr=240
    ),
    "repair-loop": SimpyLine(
        cycle=[60, 70, 60, 65],
        buffers=[3, 3, 3],
        mtbf=3600,
        mttr=300,
        fty=[1.0, 0.9, 1.0, 0.95],
        repair_time=600,
    ),
}


def taktline_net(cfg: SimpyLine):
    rejects = [i if cfg.fty and cfg.fty[i] < 1 else None for i in range(len(cfg.cycle))]
    return serial_line(
        cfg.cycle,
        cfg.buffers,
        processing=cfg.processing,
        mtbf=cfg.mtbf,
        mttr=cfg.mttr,
        first_time_yield=cfg.fty or 1.0,
        reject_to=rejects,
        repair_time=cfg.repair_time,
    )


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_taktline_agrees_with_simpy(name: str) -> None:
    cfg = CONFIGS[name]
    horizon, warmup, reps = 10 * DAY, DAY, 8
    peer = [simpy_line(cfg, horizon, warmup, seed=1000 + r) for r in range(reps)]
    ours = replicate(taktline_net(cfg), horizon, warmup, reps, seed=3)
    for kpi in ("throughput_jph", "wip", "lead_time_s"):
        m1, h1 = ci(np.array([p[kpi] for p in peer]), 0.95)
        m2, h2 = ci(ours[kpi], 0.95)
        assert abs(m1 - m2) <= h1 + h2, (
            f"{name} {kpi}: simpy {m1:.4g}±{h1:.3g}, taktline {m2:.4g}±{h2:.3g}"
        )
