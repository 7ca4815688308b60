"""The kernel's array sizes are only capacities: results never depend on them."""

from __future__ import annotations

import numpy as np

from taktline.simulate import kernel
from taktline.simulate.engine import kernel_static, timing
from taktline.simulate.network import serial_line


def run(net, cap_hint: int) -> tuple:
    tm = timing(None, 6 * 86400.0, 3600.0)  # long enough to outgrow the first 4,096 records
    return kernel.run_into(
        *kernel_static(net),
        tm.off_pos,
        tm.off_len_full,
        tm.off_len_stats,
        float(tm.horizon_w),
        float(tm.warmup_w),
        7,
        len(net.source_names),
        0,
        0,
        cap_hint,
        np.empty(0, dtype=kernel.PERIOD),  # no arrays to reuse: the kernel allocates
        np.empty(0, dtype=kernel.START),
    )


def test_capacity_hint_does_not_change_results() -> None:
    # failures, rejects to a repair loop and exponential times: many periods, lead times
    net = serial_line(
        [60, 55, 62, 58],
        3,
        processing="exponential",
        mtbf=[3600, np.inf, 1800, np.inf],
        mttr=300,
        first_time_yield=[1.0, 0.95, 1.0, 0.9],
        reject_to=[None, 1, None, 2],
        repair_time=120,
    )
    small, large = run(net, 0), run(net, 10_000_000)
    assert len(small[15]) > 4096  # the small run had to grow its period arrays
    for a, b in zip(small, large, strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
