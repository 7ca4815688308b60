"""A dedicated scheme for serial lines: the departure-time recursion, compiled.

For single-server stations in series with finite buffers and blocking after
service, job ``k`` starts at station ``i`` when it has left station ``i-1`` and
job ``k-1`` has left station ``i``, and it leaves when it is done and job
``k - b_i - 1`` has left station ``i+1`` (there is then a place downstream)::

    start_i(k) = max(D_{i-1}(k), D_i(k-1))
    C_i(k)     = start_i(k) + S_i(k)
    D_i(k)     = max(C_i(k), D_{i+1}(k - b_i - 1))

Operation-dependent failures only age while a station works, so the repairs that
hit job ``k`` at station ``i`` simply lengthen ``S_i(k)``: the recursion stays
exact. The scheme computes the same accumulators as the event kernel (state times,
buffer level-time, WIP, lead times, active periods) without an event calendar,
a few times faster. :func:`eligible` says when it applies; otherwise the event
kernel runs.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from taktline.simulate.kernel import (
    BLOCKED,
    FAILED,
    HIST_LEVELS,
    STARVED,
    WORK,
    _sample,
    job_kind,
    rng_state,
)
from taktline.simulate.network import (
    DIST_DETERMINISTIC,
    FAIL_NONE,
    FAIL_OPERATION,
    FEED_BUF,
    FTY,
    IN_BUF,
    NSRV,
    OUT_BUF,
    PROC_KIND,
    PROC_SHAPE,
    PROC_TABLE,
    SEG,
    SOURCE,
    TTF_KIND,
    TTF_MEAN,
    TTF_SHAPE,
    TTF_TABLE,
    TTR_KIND,
    TTR_MEAN,
    TTR_SHAPE,
    TTR_TABLE,
    Network,
)
from taktline.simulate.network import FAIL_KIND as FAIL_KIND_COL


def eligible(net: Network) -> bool:
    """Whether ``net`` is a plain serial line the recursion simulates exactly."""
    si = net.st_int
    n = net.n_stations
    if n == 0 or len(net.source_names) != 1 or len(net.seg_takt) or np.any(net.buf_lanes):
        return False
    if np.any(si[:, NSRV] != 1) or np.any(si[:, SEG] >= 0) or np.any(si[:, FEED_BUF] >= 0):
        return False
    if np.any(net.st_float[:, FTY] < 1):
        return False
    if np.any((si[:, FAIL_KIND_COL] != FAIL_NONE) & (si[:, FAIL_KIND_COL] != FAIL_OPERATION)):
        return False
    if si[0, SOURCE] != 0 or si[0, IN_BUF] != -1 or si[n - 1, OUT_BUF] != -1:
        return False
    if net.n_buffers != n - 1:
        return False
    for i in range(n - 1):
        if si[i, OUT_BUF] != i or si[i + 1, IN_BUF] != i or si[i + 1, SOURCE] >= 0:
            return False
    return len(net.option_rate) == 0 or net.option_time.shape[1] == len(net.option_rate)


@njit(cache=True, _nrt=False, inline="always")
def _clip(a, b, lo, hi):
    x = a if a > lo else lo
    y = b if b < hi else hi
    return y - x if y > x else 0.0


@njit(cache=True)
def _grow(arr):
    new = np.zeros(2 * arr.shape[0])
    new[: arr.shape[0]] = arr
    return new


@njit(cache=True)
def _grow_i(arr):
    new = np.zeros(2 * arr.shape[0], dtype=np.int64)
    new[: arr.shape[0]] = arr
    return new


@njit(cache=True, _nrt=False)
def _advance(
    st_int,
    st_float,
    cycle_time,
    option_time,
    buf_cap,
    mix_cum,
    option_rate,
    release_seq,
    tables,
    table_len,
    T,
    W,
    width,
    dep,
    last_dep,
    ttf,
    srv_time,
    st_count,
    st_ideal,
    pend,
    p_head,
    p_len,
    level,
    at_end,
    b_last,
    buf_area,
    buf_hist,
    buf_max,
    per_st,
    per_a,
    per_b,
    open_a,
    open_b,
    rel,
    out,
    sc,
    rng,
):
    """Jobs until the horizon (returns 0) or until ``rel``/``per_*`` are full (1, 2).

    No array is reassigned in here, so numba needs no reference counting (``_nrt=False``).
    """
    n = st_int.shape[0]
    n_opt = option_rate.shape[0]
    mask = width - 1  # widths are powers of two: & instead of %
    k, per_n, n_events = sc[0], sc[1], sc[2]
    status = 0
    while True:
        start0 = last_dep[0]
        if start0 > T:
            status = 0
            break
        if k >= rel.shape[0]:
            status = 1
            break
        if per_n + 2 * n >= per_st.shape[0]:
            status = 2
            break
        # the job's model and options
        model, opts = job_kind(k, release_seq, mix_cum, option_rate, rng, True)
        rel[k] = start0
        arrive = start0  # D_{i-1}(k)
        for i in range(n):
            start = arrive if arrive > last_dep[i] else last_dep[i]
            mean = cycle_time[i, model]
            if opts != 0:
                for o in range(n_opt):
                    if (opts >> o) & 1:
                        mean += option_time[i, o]
            if st_int[i, PROC_KIND] == DIST_DETERMINISTIC:
                work = mean
            else:
                work = _sample(
                    st_int[i, PROC_KIND],
                    mean,
                    st_float[i, PROC_SHAPE],
                    st_int[i, PROC_TABLE],
                    tables,
                    table_len,
                )
            down = 0.0
            if st_int[i, FAIL_KIND_COL] == FAIL_OPERATION:
                left = work
                while ttf[i] < left:
                    left -= ttf[i]
                    down += _sample(
                        st_int[i, TTR_KIND],
                        st_float[i, TTR_MEAN],
                        st_float[i, TTR_SHAPE],
                        st_int[i, TTR_TABLE],
                        tables,
                        table_len,
                    )
                    ttf[i] = _sample(
                        st_int[i, TTF_KIND],
                        st_float[i, TTF_MEAN],
                        st_float[i, TTF_SHAPE],
                        st_int[i, TTF_TABLE],
                        tables,
                        table_len,
                    )
                ttf[i] -= left
            done = start + work + down
            d = done
            if i < n - 1:
                kb = k - buf_cap[i] - 1
                if kb >= 0 and buf_cap[i] < (1 << 20):
                    down_dep = dep[i + 1, kb & mask]
                    if down_dep > d:
                        d = down_dep
            dep[i, k & mask] = d
            # state times inside [W, T]
            busy = work + down
            if last_dep[i] >= W and d <= T:  # the common case: all inside the window
                srv_time[i, STARVED] += start - last_dep[i]
                srv_time[i, WORK] += work
                srv_time[i, FAILED] += down
                srv_time[i, BLOCKED] += d - done
            else:
                srv_time[i, STARVED] += _clip(last_dep[i], start, W, T)
                inside = _clip(start, done, W, T)
                if busy > 0:
                    srv_time[i, WORK] += inside * work / busy
                    srv_time[i, FAILED] += inside * down / busy
                srv_time[i, BLOCKED] += _clip(done, d, W, T)
            if done > W and done <= T:
                st_count[i, 0] += 1
                st_count[i, 1] += 1
            if start >= W and start <= T:
                st_ideal[i] += mean
            # active period [start, done]: extend the open one if it runs on
            if busy > 0:
                if open_b[i] == start:
                    open_b[i] = done
                else:
                    if open_b[i] > W and open_a[i] < T:
                        per_st[per_n] = i
                        per_a[per_n] = max(open_a[i], W)
                        per_b[per_n] = min(open_b[i], T)
                        per_n += 1
                    open_a[i] = start
                    open_b[i] = done
            # buffer in front of this station: entry at arrive (= D_{i-1}(k)), exit at start
            if i > 0:
                b = i - 1
                mask_b = pend.shape[1] - 1
                # exits due before this entry
                while p_len[b] > 0 and pend[b, p_head[b]] <= arrive:
                    x = pend[b, p_head[b]]
                    lv = level[b]
                    dt = _clip(b_last[b], x, W, T)
                    buf_area[b] += lv * dt
                    buf_hist[b, lv if lv < HIST_LEVELS - 1 else HIST_LEVELS - 1] += dt
                    b_last[b] = x
                    level[b] = lv - 1
                    p_head[b] = (p_head[b] + 1) & mask_b
                    p_len[b] -= 1
                lv = level[b]
                dt = _clip(b_last[b], arrive, W, T)
                buf_area[b] += lv * dt
                buf_hist[b, lv if lv < HIST_LEVELS - 1 else HIST_LEVELS - 1] += dt
                b_last[b] = arrive
                level[b] = lv + 1
                if start > arrive and arrive <= T and arrive >= W and lv + 1 > buf_max[b]:
                    buf_max[b] = lv + 1
                pend[b, (p_head[b] + p_len[b]) & mask_b] = start
                p_len[b] += 1
                at_end[b] += (arrive <= T) - (start <= T)
            last_dep[i] = d
            arrive = d
            n_events += 1
        out[k] = arrive
        k += 1
    sc[0], sc[1], sc[2] = k, per_n, n_events
    return status


@njit(cache=True)
def run_serial(
    st_int,
    st_float,
    cycle_time,
    option_time,
    buf_cap,
    mix_cum,
    option_rate,
    release_seq,
    tables,
    table_len,
    off_pos,
    off_len_full,
    off_len_stats,
    horizon_w,
    warmup_w,
    seed,
):
    """One replication of a serial line; returns the same tuple as :func:`kernel.run_into`."""
    np.random.seed(seed)
    rng = rng_state(seed)
    n = st_int.shape[0]
    n_buf = n - 1
    T, W = horizon_w, warmup_w
    # rings of departure times: D_i(k) for the last (largest finite capacity + 2) jobs
    need = 2
    for i in range(n - 1):
        if buf_cap[i] < (1 << 20) and buf_cap[i] + 2 > need:
            need = buf_cap[i] + 2
    width = 2
    while width < need + 2:
        width *= 2
    dep = np.full((n, width), -np.inf)
    last_dep = np.zeros(n)  # D_i(k-1)
    ttf = np.empty(n)
    for i in range(n):
        ttf[i] = np.inf
        if st_int[i, FAIL_KIND_COL] == FAIL_OPERATION:
            ttf[i] = _sample(
                st_int[i, TTF_KIND],
                st_float[i, TTF_MEAN],
                st_float[i, TTF_SHAPE],
                st_int[i, TTF_TABLE],
                tables,
                table_len,
            )
    srv_time = np.zeros((n, 4))
    st_count = np.zeros((n, 3), dtype=np.int64)
    st_ideal = np.zeros(n)
    # buffers: level-time via a merge of entries (D_i) and exits (start_{i+1}), both monotone
    pend = np.zeros((max(n_buf, 1), width))
    p_head = np.zeros(max(n_buf, 1), dtype=np.int64)
    p_len = np.zeros(max(n_buf, 1), dtype=np.int64)
    level = np.zeros(max(n_buf, 1), dtype=np.int64)
    at_end = np.zeros(max(n_buf, 1), dtype=np.int64)  # level at T: entries - exits by T
    b_last = np.zeros(max(n_buf, 1))
    buf_area = np.zeros(n_buf)
    buf_hist = np.zeros((n_buf, HIST_LEVELS))
    buf_max = np.zeros(n_buf, dtype=np.int64)
    # active periods
    per_cap = 1024
    per_st = np.zeros(per_cap, dtype=np.int64)
    per_a = np.zeros(per_cap)
    per_b = np.zeros(per_cap)
    per_n = 0
    open_a = np.full(n, -1.0)  # start of the current (still open) active period
    open_b = np.full(n, -1.0)
    # jobs: release and exit times (working), for WIP and lead time
    cap_jobs = 1024
    rel = np.zeros(cap_jobs)
    out = np.zeros(cap_jobs)
    sc = np.zeros(3, dtype=np.int64)
    while True:
        status = _advance(
            st_int,
            st_float,
            cycle_time,
            option_time,
            buf_cap,
            mix_cum,
            option_rate,
            release_seq,
            tables,
            table_len,
            T,
            W,
            width,
            dep,
            last_dep,
            ttf,
            srv_time,
            st_count,
            st_ideal,
            pend,
            p_head,
            p_len,
            level,
            at_end,
            b_last,
            buf_area,
            buf_hist,
            buf_max,
            per_st,
            per_a,
            per_b,
            open_a,
            open_b,
            rel,
            out,
            sc,
            rng,
        )
        if status == 0:
            break
        if status == 1:
            rel = _grow(rel)
            out = _grow(out)
        else:
            per_st = _grow_i(per_st)
            per_a = _grow(per_a)
            per_b = _grow(per_b)
    k, per_n, n_events = sc[0], sc[1], sc[2]
    per_cap = per_st.shape[0]
    # close the buffers and the open active periods at T
    for b in range(n_buf):
        mask_b = pend.shape[1] - 1
        while p_len[b] > 0:
            x = pend[b, p_head[b]]
            lv = level[b]
            dt = _clip(b_last[b], x, W, T)
            buf_area[b] += lv * dt
            buf_hist[b, lv if lv < HIST_LEVELS - 1 else HIST_LEVELS - 1] += dt
            b_last[b] = x
            level[b] = lv - 1
            p_head[b] = (p_head[b] + 1) & mask_b
            p_len[b] -= 1
        if b_last[b] < T:
            lv = level[b]
            dt = _clip(b_last[b], T, W, T)
            buf_area[b] += lv * dt
            buf_hist[b, lv if lv < HIST_LEVELS - 1 else HIST_LEVELS - 1] += dt
    for i in range(n):
        # a station idle at the end: starved from its last departure to T
        srv_time[i, STARVED] += _clip(last_dep[i], T, W, T)
        if open_b[i] > W and open_a[i] < T:
            if per_n >= per_cap:
                per_st2 = np.zeros(2 * per_cap, dtype=np.int64)
                per_a2 = np.zeros(2 * per_cap)
                per_b2 = np.zeros(2 * per_cap)
                per_st2[:per_n] = per_st[:per_n]
                per_a2[:per_n] = per_a[:per_n]
                per_b2[:per_n] = per_b[:per_n]
                per_st, per_a, per_b = per_st2, per_a2, per_b2
                per_cap *= 2
            per_st[per_n] = i
            per_a[per_n] = max(open_a[i], W)
            per_b[per_n] = min(open_b[i], T)
            per_n += 1
    # the recursion ran every job released by T to its end: the stations' time past T
    # was not counted; a station still holding a job at T had it counted up to T only.
    # flows: release/exit times -> WIP, throughput, lead times (calendar)
    rel = rel[:k]
    out = out[:k]
    n_off = off_pos.shape[0]
    cum_off = np.zeros(n_off + 1)
    for j in range(n_off):
        cum_off[j + 1] = cum_off[j] + off_len_full[j]
    src_count = np.zeros((1, 5), dtype=np.int64)
    src_total = np.zeros((1, 4), dtype=np.int64)
    src_wip_area = np.zeros(1)
    src_wip_off = np.zeros(1)
    src_lt_sum = np.zeros(1)
    lt_val = np.zeros(k)
    lt_at = np.zeros(k)
    lt_n = 0
    wip_end = 0
    for j in range(k):
        r, o = rel[j], out[j]
        src_total[0, 0] += 1
        if r >= W:
            src_count[0, 0] += 1
        if o <= T:
            src_total[0, 1] += 1
        else:
            wip_end += 1
        src_wip_area[0] += _clip(r, o, W, T)
        if o <= T and o >= W:
            lt = (
                o
                + cum_off[np.searchsorted(off_pos, o, side="right")]
                - (r + cum_off[np.searchsorted(off_pos, r, side="right")])
            )
            src_count[0, 1] += 1
            src_lt_sum[0] += lt
            lt_val[lt_n] = lt
            lt_at[lt_n] = o
            lt_n += 1
    # WIP during each off-shift period: released - left by its position
    for j in range(n_off):
        if off_len_stats[j] > 0:
            x = off_pos[j]
            wip = np.searchsorted(rel, x, side="right") - np.searchsorted(out, x, side="right")
            src_wip_off[0] += wip * off_len_stats[j]
    cal_offset = cum_off[n_off]
    src_wip_end = np.zeros(1, dtype=np.int64)
    src_wip_end[0] = wip_end
    buf_end = at_end[:n_buf].copy()
    return (
        srv_time,
        st_count,
        st_ideal,
        src_count,
        src_total,
        src_wip_end,
        src_wip_area,
        src_wip_off,
        src_lt_sum,
        lt_val[:lt_n].copy(),
        lt_at[:lt_n].copy(),
        buf_area,
        buf_hist,
        buf_max,
        buf_end,
        per_st[:per_n].copy(),
        per_a[:per_n].copy(),
        per_b[:per_n].copy(),
        np.zeros(0, dtype=np.int32),  # no start log: the bottleneck sweep orders the starts
        n_events,
        cal_offset,
        np.zeros(0),
        np.zeros((0, 3), dtype=np.int64),
    )
