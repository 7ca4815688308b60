"""KPIs of one replication from the kernel's accumulators.

Time bases (see ``docs/simulate.md``): the kernel runs in *working* time (the
plant freezes off shift). Rates per hour (``throughput_jph``) are per working
hour, the line rate a plant engineer quotes; ``throughput_jpd`` is per calendar
day. Lead time and WIP are in *calendar* time, so Little's law holds as
``wip = throughput_cal_jph / 3600 × lead_time_s``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from taktline.simulate.bottleneck import bottleneck_shares
from taktline.simulate.kernel import BLOCKED, FAILED, HIST_LEVELS, STARVED, WORK
from taktline.simulate.network import NSRV, Network


@dataclass(frozen=True)
class Window:
    """The statistics window of one replication, in working and calendar seconds."""

    horizon_w: float
    warmup_w: float
    horizon_cal: float
    warmup_cal: float
    shifts: float = float("nan")  # shifts starting in the window (NaN: round the clock)

    @property
    def working(self) -> float:
        """Working seconds in the window."""
        return self.horizon_w - self.warmup_w

    @property
    def calendar(self) -> float:
        """Calendar seconds in the window."""
        return self.horizon_cal - self.warmup_cal


RAW_FIELDS = (
    "srv_time",
    "st_count",
    "st_ideal",
    "src_count",
    "src_total",
    "src_wip_end",
    "src_wip_area",
    "src_wip_off",
    "src_lt_sum",
    "lt_val",
    "lt_at",
    "buf_area",
    "buf_hist",
    "buf_max",
    "buf_end",
    "per_st",
    "per_a",
    "per_b",
    "pst_rec",
    "n_events",
    "cal_offset",
    "log_t",
    "log_i",
)


def replication_kpis(net: Network, raw: tuple, window: Window) -> dict:
    """Everything the engine reports about one replication of one network."""
    r = dict(zip(RAW_FIELDS, raw, strict=True))
    main = 0
    ww, wc = window.working, window.calendar
    finished = int(r["src_count"][main, 1])
    lead = r["lt_val"]
    wip_cal = (r["src_wip_area"][main] + r["src_wip_off"][main]) / wc if wc > 0 else np.nan
    lead_mean = r["src_lt_sum"][main] / finished if finished else np.nan
    th_w = finished / ww * 3600 if ww > 0 else np.nan
    th_c = finished / wc * 3600 if wc > 0 else np.nan
    scalars = {
        "throughput_jph": th_w,
        "throughput_cal_jph": th_c,
        "throughput_jpd": th_c * 24,
        "throughput_per_shift": finished / window.shifts if window.shifts > 0 else np.nan,
        "takt_attainment": finished / (ww / net.takt_s) if ww > 0 else np.nan,
        "wip": wip_cal,
        "wip_working": r["src_wip_area"][main] / ww if ww > 0 else np.nan,
        "lead_time_s": lead_mean,
        "lead_time_p50_s": float(np.percentile(lead, 50)) if len(lead) else np.nan,
        "lead_time_p95_s": float(np.percentile(lead, 95)) if len(lead) else np.nan,
        "finished": finished,
        "released": int(r["src_count"][main, 0]),
        "scrapped": int(r["src_count"][main, 2]),
        "reworked": int(r["src_count"][main, 4]),
        "events": int(r["n_events"]),
        "working_share": ww / wc if wc > 0 else np.nan,
    }
    # stations: share of calendar time in each state, OEE over planned (working) time
    n_st = net.n_stations
    srv_time = r["srv_time"]
    first = np.concatenate([[0], np.cumsum(net.st_int[:, NSRV])])
    st_time = np.add.reduceat(srv_time, first[:-1], axis=0) if n_st else np.zeros((0, 4))
    nsrv = net.st_int[:, NSRV].astype(float)
    planned = nsrv * ww
    on_share = ww / wc if wc > 0 else 1.0
    shares = st_time / planned[:, None] * on_share if ww > 0 else np.full((n_st, 4), np.nan)
    processed = r["st_count"][:, 0].astype(float)
    good = r["st_count"][:, 1].astype(float)
    failed = st_time[:, FAILED]
    run_time = planned - failed
    availability = np.where(planned > 0, run_time / planned, np.nan)
    performance = np.where(run_time > 0, r["st_ideal"] / np.maximum(run_time, 1e-12), np.nan)
    quality = np.where(processed > 0, good / np.maximum(processed, 1), np.nan)
    candidate = ~net.is_repair if net.is_repair is not None else np.ones(n_st, dtype=bool)
    momentary, shifting = bottleneck_shares(
        r["per_st"], r["per_a"], r["per_b"], candidate, ww, r["pst_rec"]
    )
    stations = {
        "working": shares[:, WORK],
        "blocked": shares[:, BLOCKED],
        "starved": shares[:, STARVED],
        "failed": shares[:, FAILED],
        "off_shift": np.full(n_st, 1 - on_share),
        "availability": availability,
        "performance": performance,
        "quality": quality,
        "oee": availability * performance * quality,
        "processed": processed,
        "rejected": r["st_count"][:, 2].astype(float),
        "bottleneck_share": momentary,
        "shifting_share": shifting,
    }
    buffers = {
        "mean_level": r["buf_area"] / ww if ww > 0 else np.full(net.n_buffers, np.nan),
        "max_level": r["buf_max"].astype(float),
        "histogram": r["buf_hist"] / ww if ww > 0 else r["buf_hist"],
    }
    conservation = {
        "released": int(r["src_total"][main, 0]),
        "finished": int(r["src_total"][main, 1]),
        "scrapped": int(r["src_total"][main, 2]),
        "consumed": int(r["src_total"][main, 3]),
        "wip_end": int(r["src_wip_end"][main]),
    }
    return {
        "scalars": scalars,
        "stations": stations,
        "buffers": buffers,
        "conservation": conservation,
        "buffer_end": r["buf_end"],
        "lead_series": (r["lt_at"], lead),
    }


HIST_BINS = HIST_LEVELS
