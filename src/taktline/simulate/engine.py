"""Replications: seeds, calendars, warm-up, the process pool, and the summary over replications.

Reproducibility: replication ``i`` of plant ``p`` draws from the numba generator
seeded with ``SeedSequence(seed, spawn_key=(i, p))`` (the same stream as
``SeedSequence(seed).spawn(n)[i]``), so results are bit-identical whatever the
number of worker processes and whichever worker runs which replication.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from taktline.analysis.stats import mser5
from taktline.simulate import kernel, serial
from taktline.simulate.kpis import Window, replication_kpis
from taktline.simulate.network import Network

PILOT_KEY = 1 << 30  # spawn keys of the warm-up pilot runs start here


@dataclass(frozen=True)
class PlantRun:
    """One network to simulate and its calendar: working windows in calendar seconds."""

    name: str
    network: Network
    windows: tuple[tuple[float, float], ...] | None  # None: round the clock
    shift_starts: tuple[float, ...] | None = None  # calendar seconds each shift starts


@dataclass(frozen=True)
class Timing:
    """How one plant's calendar maps onto the kernel's working time for a run."""

    horizon_w: float
    warmup_w: float
    off_pos: np.ndarray
    off_len_full: np.ndarray
    off_len_stats: np.ndarray
    window: Window


def timing(
    windows: Sequence[tuple[float, float]] | None,
    horizon: float,
    warmup: float,
    shift_starts: Sequence[float] | None = None,
) -> Timing:
    """Off-shift periods as the kernel needs them, for a horizon and warm-up in calendar s."""
    wins = list(windows) if windows is not None else [(0.0, horizon)]
    pos, full, stats = [], [], []
    worked, cursor, warm_w = 0.0, 0.0, 0.0
    for a, b in [*wins, (horizon, horizon)]:
        a, b = min(max(a, 0.0), horizon), min(max(b, 0.0), horizon)
        if a > cursor:
            pos.append(worked)
            full.append(a - cursor)
            stats.append(max(0.0, min(a, horizon) - max(cursor, warmup)))
        if b > a:
            warm_w += max(0.0, min(b, warmup) - a)
            worked += b - a
        cursor = max(cursor, b)
    return Timing(
        horizon_w=worked,
        warmup_w=warm_w,
        off_pos=np.asarray(pos, dtype=float),
        off_len_full=np.asarray(full, dtype=float),
        off_len_stats=np.asarray(stats, dtype=float),
        window=Window(
            worked,
            warm_w,
            horizon,
            warmup,
            float(sum(warmup <= x < horizon for x in shift_starts))
            if shift_starts is not None
            else float("nan"),
        ),
    )


def working_to_calendar(windows: Sequence[tuple[float, float]] | None, worked: float) -> float:
    """Calendar second at which ``worked`` working seconds have elapsed."""
    if windows is None:
        return worked
    left = worked
    for a, b in windows:
        if left <= b - a:
            return a + left
        left -= b - a
    return windows[-1][1] if windows else worked


class KernelStatic(NamedTuple):
    """A network's arrays as :func:`kernel.run_into` takes them, in order (up to the calendar)."""

    st: np.ndarray  # kernel.STATION records
    cycle_time: np.ndarray
    option_time: np.ndarray
    buf_cap: np.ndarray
    buf_consumer: np.ndarray
    buf_lanes: np.ndarray
    seg_takt: np.ndarray
    seg_stations: np.ndarray
    mix_cum: np.ndarray
    option_rate: np.ndarray
    release: np.ndarray
    tables: np.ndarray
    table_len: np.ndarray
    src_draw: np.ndarray


def kernel_static(net: Network) -> KernelStatic:
    """The network's arrays as the kernels take them."""
    mix_cum = np.cumsum(net.mix)
    mix_cum[-1] = 1.0
    cycle = np.ascontiguousarray(net.cycle_time, dtype=np.float64)
    option = np.ascontiguousarray(net.option_time, dtype=np.float64).reshape(
        net.n_stations, len(net.option_rate)
    )
    return KernelStatic(
        st=kernel.station_records(net.st_int, net.st_float, cycle, option),
        cycle_time=cycle,
        option_time=option,
        buf_cap=np.ascontiguousarray(net.buf_cap, dtype=np.int64),
        buf_consumer=np.ascontiguousarray(net.buf_consumer, dtype=np.int64),
        buf_lanes=np.ascontiguousarray(net.buf_lanes, dtype=np.int64),
        seg_takt=np.ascontiguousarray(net.seg_takt, dtype=np.float64),
        seg_stations=np.ascontiguousarray(net.seg_stations, dtype=np.int64).reshape(
            len(net.seg_takt),
            max(net.seg_stations.shape[-1] if net.seg_stations.ndim == 2 else 1, 1),
        ),
        mix_cum=mix_cum.astype(np.float64),
        option_rate=np.ascontiguousarray(net.option_rate, dtype=np.float64),
        release=release_rows(net),
        tables=np.ascontiguousarray(net.tables, dtype=np.float64),
        table_len=np.ascontiguousarray(net.table_len, dtype=np.int64),
        src_draw=net.sources_drawing_kinds,
    )


def release_rows(net: Network) -> np.ndarray:
    """The release order as the kernels take it: [jobs, 2] of model and option bits (-1: draw)."""
    models = np.asarray(net.release_sequence, dtype=np.int64)
    options = (
        np.full(len(models), -1, dtype=np.int64)
        if net.release_options is None
        else np.asarray(net.release_options, dtype=np.int64)
    )
    return np.stack([models, options], axis=1)  # C-contiguous, also for no jobs: (0, 2)


def replication_seed(seed: int, replication: int, plant: int) -> int:
    """The 32-bit seed of one replication of one plant (independent streams)."""
    ss = np.random.SeedSequence(seed, spawn_key=(replication, plant))
    return int(ss.generate_state(1, dtype=np.uint32)[0])


def run_network(
    net: Network,
    tm: Timing,
    seed32: int,
    method: str = "auto",
    log_cap: int = 0,
    reuse: bool = False,
) -> tuple:
    """One replication of one network: the kernel's raw accumulators.

    ``method``: ``"event"`` (the event kernel), ``"serial"`` (the departure-time
    recursion, for plain serial lines only) or ``"auto"`` (serial where it applies).
    ``reuse``: record the active periods into arrays kept for this network in this
    process (see :func:`kernel.run_into`); the period arrays returned are then only valid
    until the next such call, so the caller must be done with them (as :func:`_one_task`
    is, once it has the KPIs).
    """
    if method != "event" and log_cap == 0 and serial.eligible(net):
        ks = kernel_static(net)  # (serial takes the station table as columns)
        return serial.run_serial(
            np.ascontiguousarray(net.st_int, dtype=np.int64),
            np.ascontiguousarray(net.st_float, dtype=np.float64),
            ks.cycle_time,
            ks.option_time,
            ks.buf_cap,
            ks.mix_cum,
            ks.option_rate,
            ks.release,
            ks.tables,
            ks.table_len,
            tm.off_pos,
            tm.off_len_full,
            tm.off_len_stats,
            float(tm.horizon_w),
            float(tm.warmup_w),
            int(seed32),
        )
    if method == "serial":
        raise ValueError("the serial scheme only runs plain serial lines")
    rate = _periods_per_second.get(_hint_key(net), 0.0)
    hint = int(rate * max(tm.horizon_w - tm.warmup_w, 0.0) * 1.05)
    work_per, work_pst = _NO_WORK
    if reuse:
        work_per, work_pst = _work_arrays(net, hint)
    raw = kernel.run_into(
        *kernel_static(net),
        tm.off_pos,
        tm.off_len_full,
        tm.off_len_stats,
        float(tm.horizon_w),
        float(tm.warmup_w),
        int(seed32),
        len(net.source_names),
        0,
        int(log_cap),
        hint,
        work_per,
        work_pst,
    )
    # the period and start records as the columns KPIs read (views, no copies)
    per, pst = raw[15], raw[16]
    raw = (*raw[:15], per["st"], per["a"], per["b"], pst, *raw[17:])
    window = tm.horizon_w - tm.warmup_w
    if window > 0:
        _periods_per_second[_hint_key(net)] = len(per) / window
    return raw


# Active periods per working second of the last replication of each network (by its
# station and buffer names, which survive pickling to a worker process): the next
# replication's arrays start at about that size. Only a capacity: a wrong entry (another
# network with the same names) costs a little memory or a few doublings, nothing else.
_periods_per_second: dict[tuple, float] = {}


def _hint_key(net: Network) -> tuple:
    return (net.station_names, net.buffer_names)


# Period arrays kept per network for run_network(reuse=True): a month of a plant records
# ~650,000 periods (~18 MB with the start log); allocating them afresh for every replication
# costs ~4,000 page faults, ~8 % of the replication's CPU time. Only up to _WORK_MAX
# records (a year's arrays are not kept).
_NO_WORK = (np.empty(0, dtype=kernel.PERIOD), np.empty(0, dtype=kernel.START))
_WORK_MAX = 4_000_000
_work: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}


def _work_arrays(net: Network, hint: int) -> tuple[np.ndarray, np.ndarray]:
    need = hint + 4 * net.n_servers + 4 * net.n_stations + 64
    if need > _WORK_MAX:
        return _NO_WORK
    key = _hint_key(net)
    have = _work.get(key)
    if have is None or len(have[0]) < need:
        size = max(4096, need + need // 8)
        have = (np.empty(size, dtype=kernel.PERIOD), np.empty(size, dtype=kernel.START))
        _work[key] = have
    return have


def warm_kernels(
    plants: Sequence[PlantRun], method: str = "auto", horizon: float = 86400.0
) -> None:
    """Load the compiled kernels and learn each network's array sizes, once per process.

    One simulated day per plant at most (a few ms), in the parent before the worker processes
    are forked: they inherit the loaded kernels (instead of each loading them from the
    numba cache, ~0.2 s) and the size hints. Results do not depend on it.
    """
    for plant in plants:
        if _hint_key(plant.network) not in _periods_per_second:
            tm = timing(None, min(horizon, 86400.0), 0.0)
            raw = run_network(plant.network, tm, 0, method)
            replication_kpis(plant.network, raw, tm.window)


def _one_task(
    plants: Sequence[PlantRun],
    timings: Sequence[Timing],
    seed: int,
    rep: int,
    p: int,
    method: str = "auto",
) -> dict:
    """KPIs of replication ``rep`` of plant ``p`` (lead times kept for the site totals)."""
    plant, tm = plants[p], timings[p]
    raw = run_network(plant.network, tm, replication_seed(seed, rep, p), method, reuse=True)
    k = replication_kpis(plant.network, raw, tm.window)  # done with raw's period arrays
    _at, lead = k["lead_series"]
    k["lead_series"] = (np.empty(0), lead.astype(np.float32))
    return k


def _run_chunk(args: tuple) -> list[tuple[tuple[int, int], dict]]:
    plants, timings, seed, tasks, method, first = args
    return [
        ((rep, p), _one_task(plants, timings, seed, first + rep, p, method)) for rep, p in tasks
    ]


def _complete(plant_kpis: list[dict]) -> list[dict]:
    """A replication with every plant in: site totals computed, lead-time samples dropped."""
    from taktline.simulate.result import total_scalars

    plant_kpis[0]["_total"] = total_scalars(plant_kpis)
    for k in plant_kpis:
        k["lead_series"] = (np.empty(0), np.empty(0, dtype=np.float32))
    return plant_kpis


def detect_warmup(
    plants: Sequence[PlantRun], horizon: float, seed: int, pilots: int = 3, method: str = "auto"
) -> tuple[float, dict[str, float]]:
    """MSER-5 on the lead times of pilot runs (no warm-up), averaged over the pilots.

    Returns the warm-up in calendar seconds (the largest over the plants) and each
    plant's own truncation point.
    """
    by_plant: dict[str, float] = {}
    for p, plant in enumerate(plants):
        tm = timing(plant.windows, horizon, 0.0)
        series = []
        for j in range(pilots):
            raw = run_network(plant.network, tm, replication_seed(seed, PILOT_KEY + j, p), method)
            k = replication_kpis(plant.network, raw, tm.window)
            series.append(k["lead_series"])
        n = min(len(s[1]) for s in series)
        if n < 20:
            by_plant[plant.name] = 0.0
            continue
        mean_lead = np.mean([s[1][:n] for s in series], axis=0)
        d = mser5(mean_lead)
        at_w = float(np.mean([s[0][d] for s in series])) if d > 0 else 0.0
        by_plant[plant.name] = working_to_calendar(plant.windows, at_w)
    return (max(by_plant.values()) if by_plant else 0.0), by_plant


def run_replications(
    plants: Sequence[PlantRun],
    horizon: float,
    warmup: float,
    replications: int,
    seed: int,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    method: str = "auto",
    first_replication: int = 0,
) -> tuple[list[list[dict]], list[Timing]]:
    """All replications of all plants; ``result[i][plant]`` is a KPI dict.

    Item ``i`` is replication ``first_replication + i``, whose random streams depend on
    that number only: a range of replications gives the same numbers wherever it runs.

    The work is split in (replication, plant) tasks, so that even a single replication of
    a two-plant site uses two processes; each task has its own random stream, so the
    results do not depend on how the tasks are shared out.
    """
    timings = [timing(p.windows, horizon, warmup, p.shift_starts) for p in plants]
    warm_kernels(plants, method, horizon)
    n_plants = len(plants)
    tasks = [(rep, p) for rep in range(replications) for p in range(n_plants)]
    workers = effective_workers(workers, len(tasks))
    results: list[list[dict | None]] = [[None] * n_plants for _ in range(replications)]
    missing = [n_plants] * replications
    done = 0

    def store(rep: int, p: int, value: dict) -> None:
        nonlocal done
        results[rep][p] = value
        missing[rep] -= 1
        if missing[rep] == 0:
            _complete(results[rep])  # type: ignore[arg-type]
            done += 1
            if progress:
                progress(done, replications)

    if workers == 1:
        for rep, p in tasks:
            store(rep, p, _one_task(plants, timings, seed, first_replication + rep, p, method))
    else:
        # small chunks: the last one to finish leaves the other workers idle for at most
        # ~1/16 of a worker's share (about 8 s of 1,000 plant-month pairs on 2 workers)
        chunk = max(1, math.ceil(len(tasks) / (workers * 16)))
        chunks = [tasks[i : i + chunk] for i in range(0, len(tasks), chunk)]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [
                pool.submit(_run_chunk, (plants, timings, seed, c, method, first_replication))
                for c in chunks
            ]
            for future in futures:
                for (rep, p), value in future.result():
                    store(rep, p, value)
    return results, timings  # type: ignore[return-value]


def effective_workers(workers: int | None, tasks: int) -> int:
    """Processes actually used: the request (default all cores), at most one per task."""
    if workers is None:
        workers = os.cpu_count() or 1
    return max(1, min(workers, tasks))


def now() -> float:
    """Wall clock for the report."""
    return time.perf_counter()


def event_log(
    plants: Sequence[PlantRun], horizon: float, warmup: float, seed: int, limit: int = 1_000_000
) -> pd.DataFrame:
    """The event log of replication 0 of every plant (the event kernel, same random stream).

    Columns: ``plant, time_s`` (calendar seconds from the start), ``event`` (start, end,
    fail, repair, exit, scrap), ``station`` (empty for exit/scrap) and ``job`` (a slot
    number: reused once a job has left). At most ``limit`` events per plant, in time
    order (where the log is cut off, up to the last start it holds).
    """
    frames = []
    for p, plant in enumerate(plants):
        tm = timing(plant.windows, horizon, warmup, plant.shift_starts)
        raw = run_network(plant.network, tm, replication_seed(seed, 0, p), "event", limit)
        log_t, log_i = raw[-2], raw[-1]
        # a paced line's ends are logged when its conveyor moves, dated when they fall
        order = np.argsort(log_t, kind="stable")
        log_t, log_i = log_t[order], log_i[order]
        if len(log_t) >= limit:  # cut off: keep what is complete, up to the last start
            starts = np.flatnonzero(log_i[:, 0] == kernel.LOG_START)
            if len(starts):
                keep = log_t <= log_t[starts[-1]]
                log_t, log_i = log_t[keep], log_i[keep]
        names = np.array([*plant.network.station_names, ""], dtype=object)
        frames.append(
            pd.DataFrame(
                {
                    "plant": plant.name,
                    "time_s": log_t,
                    "event": np.array(kernel.LOG_KINDS, dtype=object)[log_i[:, 0]],
                    "station": names[log_i[:, 1]],
                    "job": log_i[:, 2],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
