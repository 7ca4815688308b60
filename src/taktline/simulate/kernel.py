"""The compiled event loop: one replication of one :class:`~taktline.simulate.network.Network`.

Everything lives in flat numpy arrays; the event calendar is an *indexed binary
heap* over a fixed set of slots (two per server: end of processing, and
failure/repair; one per paced segment: the conveyor's next move; one for the
calendar's next off-shift period; one for the end of the warm-up). An event never
allocates: a slot's key is updated in place and sifted. Consequences of an event
(a freed buffer place unblocks the upstream server, which takes its next job,
which frees a place further up...) are worked off with an explicit stack of
actions, not recursion. The ends of processing on a paced segment that no failure can
come before are no events at all: nothing can happen to a station on the conveyor until
it moves again, and it moves at the earliest when all its jobs are done, so these ends
are worked off at the move, each dated when it falls. The short ends of processing
elsewhere that no failure can interrupt go into one *ring* of ends in time order: a new
end is nearly always among the latest, so inserting it moves few entries, and the
earliest is taken from the ring's head, with no sift of the heap either way.

The kernel records KPI *accumulators* (time in each state per server, buffer
level-time, WIP area, counts, lead times, active periods for the bottleneck
analysis, recorded when they end, and a log of their starts), never an event list.
Time is *working* time: the plant freezes while off shift, so the calendar only
enters through ``off_pos``/``off_len_*`` (where, in working time, each off-shift
period falls and how long it lasts), which turn working into calendar time for lead
times and the time-average WIP.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from taktline.simulate import network as nw
from taktline.simulate.network import (
    DIST_DETERMINISTIC,
    DIST_EMPIRICAL,
    DIST_EXPONENTIAL,
    DIST_LOGNORMAL,
    DIST_WEIBULL,
    FAIL_NONE,
    FAIL_OPERATION,
    FAIL_TIME,
)

# The network's station table (st_int and st_float) as one record per station, fields
# named after the columns in lower case: a field sits at a fixed offset in its record,
# where st_int[s, COLUMN] needs the row length at every access (a few % of the kernel).
_INT_COLUMNS = (
    "IN_BUF",
    "OUT_BUF",
    "FEED_BUF",
    "REJ_BUF",
    "NSRV",
    "FIRST_SRV",
    "SEG",
    "SEG_POS",
    "PROC_KIND",
    "PROC_TABLE",
    "FAIL_KIND",
    "TTF_KIND",
    "TTF_TABLE",
    "TTR_KIND",
    "TTR_TABLE",
    "SOURCE",
)
_FLOAT_COLUMNS = (
    "PROC_SHAPE",
    "TTF_MEAN",
    "TTF_SHAPE",
    "TTR_MEAN",
    "TTR_SHAPE",
    "FTY",
    "SCRAP_SHARE",
)


def _record(
    ints: tuple[str, ...], floats: tuple[str, ...] = (), flags: tuple[str, ...] = ()
) -> np.dtype:
    """A record type for numba: int64, float64 and bool fields in that order (aligned)."""
    fields = [(n, np.int64) for n in ints] + [(n, np.float64) for n in floats]
    return np.dtype(fields + [(n, np.bool_) for n in flags], align=True)


STATION = _record(
    tuple(c.lower() for c in _INT_COLUMNS),
    (*(c.lower() for c in _FLOAT_COLUMNS), "fixed_time"),
)

# Active periods as the kernel records them: one record per period (station, start, end)
# and, per logged start, the index of its period's record (-1: none); each written as one
# stream: six separate arrays cost ~10 % of the kernel in cache misses, and a month of a
# plant logs ~650,000 periods, so the start log keeps nothing the period record has.
PERIOD = _record(("st",), ("a", "b"))
START = np.dtype(np.int32)

# Each station as the run goes: how many of its servers wait (it is active while none
# does), the log entry of its current period's start (-1: none); the jobs it processed,
# passed and rejected since the warm-up; when its current active period started, since
# when it waits (its period's end, unless the wait turns out to be of zero length), and
# the nominal work content of the jobs it processed (s). One record per station.
ST_RUN = _record(("inactive", "pidx", "processed", "good", "rejected"), ("pstart", "idle", "ideal"))

# A server's state: its station, state (WORK...) and the one before a failure, its job
# (-1: none), where its finished job waits to go (-1: undecided) and the server waiting
# for the same buffer after it (-1: none); the work left and since when it is being done,
# the time to its next failure, since when its job waits, when its state last changed;
# and (paced) whether its job is done and waits for the conveyor.
# One record per server: the event loop keeps one array live instead of eleven.
SERVER = _record(
    ("st", "state", "prev", "job", "target", "wnext"),
    ("work_left", "work_start", "ttf_left", "since", "last"),
    ("done",),
)

# A buffer: capacity, the station taking from it, lanes (0: FIFO) and each lane's depth;
# the length of its ring in the store (of each lane's), where its ring starts (FIFO), how
# many jobs it holds, the most it held, and the first and last of the servers holding a
# job for it (blocked, or failed while blocked; -1: none), in the order they began to
# wait; when its level last changed and its level-time since the warm-up. One record per
# buffer.
BUFFER = _record(
    ("cap", "consumer", "lanes", "depth", "ring", "head", "count", "peak", "wfirst", "wlast"),
    ("last", "area"),
)

# A job in the plant: model, option bits, source (flow), release number and release time
# (calendar s), in one record: a job's fields are read and written together, one cache
# line instead of five.
JOB = _record(("model", "opts", "src", "seq"), ("rel",))


def station_records(
    st_int: np.ndarray, st_float: np.ndarray, cycle_time: np.ndarray, option_time: np.ndarray
) -> np.ndarray:
    """The station table as an array of :data:`STATION` records (what the kernel takes).

    ``fixed_time``: the station's mean processing time where it is the same for every
    model and option (most stations), else -1.
    """
    records = np.empty(st_int.shape[0], dtype=STATION)
    for c in _INT_COLUMNS:
        records[c.lower()] = st_int[:, getattr(nw, c)]
    for c in _FLOAT_COLUMNS:
        records[c.lower()] = st_float[:, getattr(nw, c)]
    fixed = (np.ptp(cycle_time, axis=1) == 0) & np.all(option_time == 0, axis=1)
    records["fixed_time"] = np.where(fixed, cycle_time[:, 0], -1.0)
    return records


# Server states (also the columns of the state-time accumulator).
WORK = 0
BLOCKED = 1
STARVED = 2
FAILED = 3
N_STATES = 4

# Actions on the work stack.
ACT_TRY_START = 0  # idx = server
ACT_ITEM_ADDED = 1  # idx = buffer (whose consumer has parallel servers)
ACT_SPACE_FREED = 2  # idx = buffer
ACT_TRY_INDEX = 3  # idx = paced segment

INF = np.inf
# Every index in here is >= 0, but numba cannot know: at each array access it adds the
# array's length to a negative index (a compare, a select, and the length kept live in a
# register or reloaded from the stack). An index masked with NN is known to LLVM to be
# >= 0, so that wrap-around folds away at all its uses: about a fifth of the kernel's time.
# The mask never changes a valid index; it is applied where an index is loaded or passed.
NN = np.int64(0x7FFFFFFFFFFFFFFF)
RING_PASS = 16  # an end that would pass more later ends in the ring goes to the heap

# Kinds of event-log entries.
LOG_START, LOG_END, LOG_FAIL, LOG_REPAIR, LOG_EXIT, LOG_SCRAP = 0, 1, 2, 3, 4, 5
LOG_KINDS = ("start", "end", "fail", "repair", "exit", "scrap")
HIST_LEVELS = 256  # buffer level histogram: levels 0..255, the last bin is ">= 255"


# -- indexed binary heap ------------------------------------------------------------------
@njit(cache=True, _nrt=False)
def _sift_up(key, heap, pos, i):
    i &= NN
    slot = heap[i] & NN
    k = key[slot]
    while i > 0:
        parent = ((i - 1) >> 1) & NN
        ps = heap[parent] & NN
        if key[ps] <= k:
            break
        heap[i] = ps
        pos[ps] = i
        i = parent
    heap[i] = slot
    pos[slot] = i


@njit(cache=True, _nrt=False)
def _sift_down(key, heap, pos, i):
    n = heap.shape[0]
    i &= NN
    slot = heap[i] & NN
    k = key[slot]
    while True:
        child = (2 * i + 1) & NN
        if child >= n:
            break
        cs = heap[child] & NN
        right = child + 1
        if right < n and key[heap[right] & NN] < key[cs]:
            child = right
            cs = heap[right] & NN
        if key[cs] >= k:
            break
        heap[i] = cs
        pos[cs] = i
        i = child
    heap[i] = slot
    pos[slot] = i


@njit(cache=True, _nrt=False, inline="always")
def _set_key(key, heap, pos, slot, value):
    slot &= NN
    old = key[slot]
    key[slot] = value
    if value < old:
        _sift_up(key, heap, pos, pos[slot])
    elif value > old:
        _sift_down(key, heap, pos, pos[slot])


@njit(cache=True, _nrt=False, inline="always")
def _ring_insert(ring_t, ring_srv, head, n, e, srv):
    """Insert the end ``e`` of server ``srv`` into the ring's ``n`` ends in time order.

    Returns the new number of ends in the ring, or -1 (nothing inserted) if ``e`` would
    pass more than ``RING_PASS`` later ends: then it belongs in the heap.
    """
    mask = (ring_t.shape[0] - 1) & NN
    j = n
    while j > 0 and ring_t[(head + j - 1) & mask] > e:
        j -= 1
        if n - j > RING_PASS:
            return -1
    for q in range(n, j, -1):
        ring_t[(head + q) & mask] = ring_t[(head + q - 1) & mask]
        ring_srv[(head + q) & mask] = ring_srv[(head + q - 1) & mask]
    ring_t[(head + j) & mask] = e
    ring_srv[(head + j) & mask] = srv
    return n + 1


@njit(cache=True, _nrt=False, inline="always")
def _calendar_time(t, cal_offset, off_k, off_pos, off_len_full):
    """Calendar time of working time ``t`` (>= now), counting the off-shift periods to come."""
    c = t + cal_offset
    while off_k < off_pos.shape[0] and off_pos[off_k] < t:
        c += off_len_full[off_k]
        off_k += 1
    return c


# -- random times -----------------------------------------------------------------------------
@njit(cache=True, _nrt=False)
def _sample(kind, mean, shape, table, tables, table_len):
    """A random time with the given mean; ``shape`` is Weibull k or lognormal cv."""
    if kind == DIST_DETERMINISTIC or mean <= 0.0:
        return mean
    if kind == DIST_EXPONENTIAL:
        return np.random.exponential(mean)
    if kind == DIST_WEIBULL:
        return mean * np.random.weibull(shape) / math.gamma(1.0 + 1.0 / shape)
    if kind == DIST_LOGNORMAL:
        sigma2 = math.log(1.0 + shape * shape)
        return mean * math.exp(math.sqrt(sigma2) * np.random.standard_normal() - 0.5 * sigma2)
    if kind == DIST_EMPIRICAL:
        n = table_len[table]
        return mean * tables[table, np.random.randint(0, n)]
    return mean


# Uniform draws (mix, options, quality) come from an inline SplitMix64 generator with one
# 64-bit word of state: numba's np.random.random() reaches its Mersenne Twister through a
# call per draw, a few % of a replication. Random times still come from np.random.
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


@njit(cache=True)
def rng_state(seed):
    """The uniform generator's state for a seed (distinct seeds: distinct streams)."""
    state = np.empty(1, dtype=np.uint64)
    state[0] = np.uint64(seed) * _MIX2 + _GOLDEN
    return state


@njit(cache=True, _nrt=False, inline="always")
def uniform(rng):
    """A uniform draw from [0, 1) (SplitMix64: Steele, Lea and Flood 2014)."""
    x = rng[0] + _GOLDEN
    rng[0] = x
    z = (x ^ (x >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    z ^= z >> np.uint64(31)
    return np.float64(z >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True, _nrt=False, inline="always")
def job_kind(cnt, release, mix_cum, option_rate, rng, draw):
    """Model and option bits of the ``cnt``-th job a source releases.

    ``release`` is the release order, one row per job (cycled): the model, and the
    option bits or -1 to draw them. Without it the model is drawn from the mix; options
    not given are drawn from their take rates. ``draw`` False: no station the job can
    visit depends on its model or options (a feeder's parts), so none is drawn (model
    0, no options).
    """
    if release.shape[0] > 0:
        row = cnt % release.shape[0]
        model = release[row, 0]
        if release[row, 1] >= 0:
            return model, release[row, 1]
    elif mix_cum.shape[0] == 1 or not draw:  # no draw
        model = 0
    else:
        u = uniform(rng)
        model = 0
        while model < mix_cum.shape[0] - 1 and u >= mix_cum[model]:
            model += 1
    opts = 0
    if draw:
        for o in range(option_rate.shape[0]):
            if uniform(rng) < option_rate[o]:
                opts |= 1 << o
    return model, opts


# -- per-server state accounting ------------------------------------------------------------
@njit(cache=True, _nrt=False, inline="always")
def _set_state(
    srv,
    new,
    t,
    sv,
    srv_time,
    st_run,
    per,
    per_n,
    in_stats,
    pst,
    ps_n,
):
    """Change a server's state, accumulate the time spent in the old one, track active periods.

    A station's period is recorded (``per``: :data:`PERIOD`) when the station is active
    again after a wait of non-zero length (a wait of zero length does not end an active
    period; the periods still open at the end are recorded by the caller), and its start
    is logged (``pst``: :data:`START`) when it starts, so that the bottleneck sweep reads
    the starts in time order; a logged start is its period's record (-1 until it has
    one, or if it never gets one). ``st_run``: :data:`ST_RUN`, each station's current
    period. Returns the new numbers of recorded periods and of logged starts.
    """
    srv &= NN
    old = sv[srv].state & NN
    srv_time[srv, old] += t - sv[srv].last
    sv[srv].last = t
    sv[srv].state = new
    old_inactive = BLOCKED <= old <= STARVED  # waiting: starved or blocked
    new_inactive = BLOCKED <= new <= STARVED
    if old_inactive != new_inactive:
        s = sv[srv].st & NN
        if new_inactive:
            st_run[s].inactive += 1
            if st_run[s].inactive == 1:
                st_run[s].idle = t
        else:
            st_run[s].inactive -= 1
            if st_run[s].inactive == 0 and (t != st_run[s].idle or st_run[s].pidx < 0):
                per_n, ps_n = _new_period(s, t, in_stats, st_run, per, per_n, pst, ps_n)
    return per_n, ps_n


@njit(cache=True, _nrt=False, inline="always")
def _close_period(s, st_run, per, per_n, pst):
    """Record station ``s``'s period ended at ``idle`` if its start was logged and it lasted."""
    p = st_run[s].pidx
    if p >= 0 and st_run[s].idle > st_run[s].pstart:
        per_n &= NN
        per[per_n].st = s
        per[per_n].a = st_run[s].pstart
        per[per_n].b = st_run[s].idle
        pst[p & NN] = per_n
        per_n += 1
    return per_n


@njit(cache=True, _nrt=False, inline="always")
def _new_period(s, t, in_stats, st_run, per, per_n, pst, ps_n):
    """Station ``s`` is active again at ``t`` after a wait: its last period is recorded and a
    new one starts (logged in the statistics window)."""
    per_n = _close_period(s, st_run, per, per_n, pst)
    st_run[s].pstart = t
    st_run[s].pidx = -1
    if in_stats:
        pst[ps_n & NN] = -1
        st_run[s].pidx = ps_n
        ps_n += 1
    return per_n, ps_n


@njit(cache=True, _nrt=False, inline="always")
def _mean_time(s, job, st, mean_tab, cycle_time, option_time, jobs):
    """Mean processing time of ``job`` at station ``s`` (its model's, plus its options')."""
    mean = st[s].fixed_time
    if mean >= 0.0:  # the same for every model and option: no lookup by the job's kind
        return mean
    if mean_tab.shape[0] > 0:
        n_comb = 1 << option_time.shape[1]
        return mean_tab[s, (jobs[job].model * n_comb + jobs[job].opts) & NN]
    mean = cycle_time[s, jobs[job].model]
    opts = jobs[job].opts
    if opts != 0:
        for o in range(option_time.shape[1]):
            if (opts >> o) & 1:
                mean += option_time[s, o]
    return mean


# -- buffers ------------------------------------------------------------------------------------
@njit(cache=True, _nrt=False, inline="always")
def _buf_acc(b, t, bf, buf_hist):
    """Accumulate level-time of buffer ``b`` up to ``t`` (before its level changes).

    ``buf_hist`` is level-major: [HIST_LEVELS, n_buf].
    """
    b &= NN
    level = bf[b].count & NN
    dt = t - bf[b].last
    bf[b].area += level * dt
    h = level if level < HIST_LEVELS - 1 else HIST_LEVELS - 1
    buf_hist[h, b] += dt
    bf[b].last = t


@njit(cache=True, _nrt=False, inline="always")
def _wrap(i, n):
    """``i % n`` for 0 <= i < 2n, without a division."""
    return i - n if i >= n else i


@njit(cache=True, _nrt=False, inline="always")
def _push(b, job, store, bf, lane_head, lane_count, jobs):
    """Append ``job`` to buffer ``b``; returns the fill of the ring written to."""
    b &= NN
    width = store.shape[1]
    lanes = bf[b].lanes
    if lanes == 0:
        c = bf[b].count
        store[b, (bf[b].head + c) & ((width - 1) & NN)] = job
        bf[b].count = c + 1
        return c + 1
    # Resequencing store: each lane is a FIFO of depth bf[b].depth. Put the job in the
    # lane whose last job is the latest one released before it (lanes stay sorted);
    # if there is none, in the emptiest lane.
    ring = bf[b].ring & NN
    seq = jobs[job & NN].seq
    best, best_seq, emptiest = -1, -1, -1
    for lane in range(lanes):
        c = lane_count[b, lane]
        if c >= bf[b].depth:
            continue
        if emptiest < 0 or c < lane_count[b, emptiest & NN]:
            emptiest = lane
        if c > 0:
            tail = store[b, (lane * ring + _wrap(lane_head[b, lane] + c - 1, ring)) & NN]
            ts = jobs[tail & NN].seq
            if ts < seq and ts > best_seq:
                best, best_seq = lane, ts
    lane = best if best >= 0 else emptiest
    if lane < 0:  # every lane full (only past a capacity check, as for rejects): the emptiest
        lane = 0
        for other in range(lanes):
            if lane_count[b, other] < lane_count[b, lane]:
                lane = other
    lane &= NN
    c = lane_count[b, lane]
    store[b, (lane * ring + _wrap(lane_head[b, lane] + c, ring)) & NN] = job
    lane_count[b, lane] = c + 1
    bf[b].count += 1
    return c + 1


@njit(cache=True, _nrt=False, inline="always")
def _pop(b, store, bf, lane_head, lane_count, jobs):
    """Take the next job from buffer ``b`` (FIFO, or the earliest-released lane head)."""
    b &= NN
    width = store.shape[1]
    lanes = bf[b].lanes
    bf[b].count -= 1
    if lanes == 0:
        job = store[b, bf[b].head & NN]
        bf[b].head = (bf[b].head + 1) & (width - 1)
        return job & NN
    ring = bf[b].ring & NN
    best, best_seq = -1, 0
    for lane in range(lanes):
        if lane_count[b, lane] > 0:
            head = store[b, (lane * ring + lane_head[b, lane]) & NN] & NN
            if best < 0 or jobs[head].seq < best_seq:
                best, best_seq = lane, jobs[head].seq
    best &= NN
    job = store[b, (best * ring + lane_head[b, best]) & NN]
    lane_head[b, best] = _wrap(lane_head[b, best] + 1, ring)
    lane_count[b, best] -= 1
    return job & NN


@njit(cache=True, _nrt=False, inline="always")
def _ring_start(b, width):
    """Where buffer ``b``'s FIFO ring starts in its row of the store.

    Rows are a power of two long, and jobs pass all buffers at about the same rate: rings
    all started at 0 would keep their busy entries at the same offset in every row, all
    in the same few cache sets. A cache line (8 entries) apart per buffer, they are not.
    """
    return (8 * b) & (width - 1)


@njit(cache=True)
def _grow_store(store, bf, lane_head, lane_count):
    """Twice the width, rings unrolled (lane rings too)."""
    n_buf, width = store.shape
    new_w = 2 * width
    new = np.full((n_buf, new_w), -1, dtype=np.int64)
    for b in range(n_buf):
        lanes = bf[b].lanes
        if lanes == 0:
            head = _ring_start(b, new_w)
            for k in range(bf[b].count):
                new[b, (head + k) % new_w] = store[b, (bf[b].head + k) % width]
            bf[b].head = head
            bf[b].ring = new_w
        else:
            depth, new_depth = width // lanes, new_w // lanes
            for lane in range(lanes):
                for k in range(lane_count[b, lane]):
                    new[b, lane * new_depth + k] = store[
                        b, lane * depth + (lane_head[b, lane] + k) % depth
                    ]
                lane_head[b, lane] = 0
            bf[b].ring = new_depth
    return new


@njit(cache=True)
def _grow_records(arr):
    new = np.empty(2 * arr.shape[0], dtype=arr.dtype)
    new[: arr.shape[0]] = arr
    return new


@njit(cache=True)
def _grow_1d(arr, fill):
    new = np.full(2 * arr.shape[0], fill, dtype=arr.dtype)
    new[: arr.shape[0]] = arr
    return new


@njit(cache=True, _nrt=False, inline="always")
def _take(
    b,
    t,
    store,
    bf,
    lane_head,
    lane_count,
    jobs,
    buf_hist,
):
    """Take the next job out of buffer ``b`` at time ``t``, keeping its statistics."""
    _buf_acc(b, t, bf, buf_hist)
    return _pop(b, store, bf, lane_head, lane_count, jobs)


@njit(cache=True, _nrt=False, inline="always")
def _put(
    b,
    job,
    t,
    store,
    bf,
    lane_head,
    lane_count,
    jobs,
    buf_hist,
):
    """Put ``job`` into buffer ``b`` at time ``t``; True when its ring is half full (grow it)."""
    b &= NN
    _buf_acc(b, t, bf, buf_hist)
    fill = _push(b, job, store, bf, lane_head, lane_count, jobs)
    if bf[b].count > bf[b].peak and bf[b].count <= bf[b].cap:  # not a hand-over in transit
        bf[b].peak = bf[b].count
    return 2 * fill >= bf[b].ring


@njit(cache=True, _nrt=False, inline="always")
def _wip_change(src, delta, t, in_stats, src_wip, src_wip_area, src_wip_since):
    """Flow ``src``'s WIP changes by ``delta`` at ``t``; its WIP-time is accumulated first.

    Each flow keeps its own 'since' time: a change touches its own flow only.
    """
    src &= NN
    if in_stats:
        src_wip_area[src] += src_wip[src] * (t - src_wip_since[src])
    src_wip_since[src] = t
    src_wip[src] += delta


@njit(cache=True, _nrt=False, inline="always")
def _release(
    src,
    t,
    cal_offset,
    in_stats,
    jobs,
    free_jobs,
    n_free,
    src_released,
    release_seq,
    mix_cum,
    option_rate,
    rng,
    src_draw,
    src_wip,
    src_wip_area,
    src_wip_since,
    src_total,
    src_count,
):
    """Source ``src`` releases a new job at time ``t``: it joins the plant's WIP.

    Returns the job and the new number of free job slots.
    """
    n_free = (n_free - 1) & NN
    job = free_jobs[n_free] & NN
    cnt = src_released[src]
    src_released[src] = cnt + 1
    model, opts = job_kind(cnt, release_seq, mix_cum, option_rate, rng, src_draw[src] != 0)
    jobs[job].model = model
    jobs[job].opts = opts
    jobs[job].src = src
    jobs[job].seq = cnt
    jobs[job].rel = t + cal_offset
    _wip_change(src, 1, t, in_stats, src_wip, src_wip_area, src_wip_since)
    src_total[src, 0] += 1
    src_count[src, 0] += in_stats
    return job, n_free


@njit(cache=True, _nrt=False, inline="always")
def _consume_part(
    part,
    t,
    cal_offset,
    in_stats,
    jobs,
    free_jobs,
    n_free,
    src_wip,
    src_wip_area,
    src_wip_since,
    src_total,
    src_count,
    src_lt_sum,
):
    """A feeder's part is built in at time ``t``: it leaves the plant's WIP as consumed.

    Returns the new number of free job slots.
    """
    psrc = jobs[part].src & NN
    _wip_change(psrc, -1, t, in_stats, src_wip, src_wip_area, src_wip_since)
    src_total[psrc, 3] += 1
    if in_stats:
        src_count[psrc, 3] += 1
        src_lt_sum[psrc] += t + cal_offset - jobs[part].rel
    free_jobs[n_free & NN] = part
    return n_free + 1


@njit(cache=True, _nrt=False, inline="always")
def _leave(
    job,
    scrapped,
    t,
    cal_offset,
    in_stats,
    jobs,
    free_jobs,
    n_free,
    src_wip,
    src_wip_area,
    src_wip_since,
    src_total,
    src_count,
    src_lt_sum,
    main_source,
    lt_val,
    lt_at,
    lt_n,
    log_t,
    log_i,
    sc_i,
):
    """``job`` leaves the plant at time ``t``, scrapped or finished (its lead time kept).

    Returns the new number of free job slots and of lead times kept.
    """
    src = jobs[job].src & NN
    _wip_change(src, -1, t, in_stats, src_wip, src_wip_area, src_wip_since)
    if scrapped:
        src_total[src, 2] += 1
        _log(log_t, log_i, sc_i, t + cal_offset, LOG_SCRAP, -1, job)
        src_count[src, 2] += in_stats
    else:
        src_total[src, 1] += 1
        _log(log_t, log_i, sc_i, t + cal_offset, LOG_EXIT, -1, job)
        lt = t + cal_offset - jobs[job].rel
        if in_stats:
            src_count[src, 1] += 1
            src_lt_sum[src] += lt
            if src == main_source:
                lt_val[lt_n & NN] = lt
                lt_at[lt_n & NN] = t
                lt_n += 1
    free_jobs[n_free & NN] = job
    return n_free + 1, lt_n


@njit(cache=True, _nrt=False)
def _advance(
    st,
    cycle_time,
    option_time,
    mean_tab,
    bf,
    seg_takt,
    seg_stations,
    mix_cum,
    option_rate,
    release_seq,
    tables,
    table_len,
    src_draw,
    off_pos,
    off_len_full,
    off_len_stats,
    horizon_w,
    ring_max,
    main_source,
    sv,
    key,
    heap,
    pos,
    srv_time,
    st_run,
    seg_elapsed,
    ring_t,
    ring_srv,
    store,
    lane_head,
    lane_count,
    buf_hist,
    jobs,
    free_jobs,
    src_count,
    src_total,
    src_wip,
    src_wip_area,
    src_wip_since,
    src_wip_off,
    src_lt_sum,
    src_released,
    lt_val,
    lt_at,
    per,
    pst,
    act_kind,
    act_idx,
    sc_i,
    sc_f,
    margin,
    log_t,
    log_i,
    rng,
):
    """Run events until the horizon (returns 0) or until an array needs more room (1-4).

    Arrays are never reassigned in here: loop-carried array variables would cost numba
    reference counting on every event. The caller grows what is short and calls again.
    """
    n_st = st.shape[0]
    n_srv = sv.shape[0]
    n_seg = seg_takt.shape[0]
    n_buf = bf.shape[0]
    n_sources = src_wip.shape[0]
    slot_cal = 2 * n_srv + n_seg
    sp, n_free, lt_n, per_n, off_k = sc_i[0], sc_i[1], sc_i[2], sc_i[3], sc_i[4]
    in_stats, n_events = sc_i[5] != 0, sc_i[6]
    ps_n = sc_i[8]
    ring_head, ring_n = sc_i[9] & NN, sc_i[10]
    ring_mask = (ring_t.shape[0] - 1) & NN
    t, cal_offset = sc_f[0], sc_f[1]
    need_store = False
    status = 0
    while True:
        if n_free < margin:
            status = 1
            break
        if lt_n + margin >= lt_val.shape[0]:
            status = 2
            break
        if per_n + margin >= per.shape[0] or ps_n + margin >= pst.shape[0]:
            status = 3
            break
        if need_store:
            status = 4
            break
        # ---- work off the consequences of the last event ------------------------------
        while sp > 0:
            sp = (sp - 1) & NN
            kind = act_kind[sp]
            idx = act_idx[sp] & NN
            if kind == ACT_TRY_START:
                srv = idx
                if sv[srv].state != STARVED:
                    continue
                s = sv[srv].st & NN
                ib = st[s].in_buf
                fb = st[s].feed_buf
                is_source = st[s].source >= 0
                from_buf = ib >= 0 and bf[ib].count > 0  # reworked jobs go before new ones
                ib &= NN  # (where it is used below, the station has an input buffer)
                if not is_source and not from_buf:
                    if bf[ib].cap == 0:
                        # pull a job through a zero-capacity buffer, if one waits
                        sp = _act(act_kind, act_idx, sp, ACT_SPACE_FREED, ib)
                    continue
                if fb >= 0 and bf[fb].count == 0:
                    continue
                # take the job
                if not from_buf:
                    job, n_free = _release(
                        st[s].source & NN,
                        t,
                        cal_offset,
                        in_stats,
                        jobs,
                        free_jobs,
                        n_free,
                        src_released,
                        release_seq,
                        mix_cum,
                        option_rate,
                        rng,
                        src_draw,
                        src_wip,
                        src_wip_area,
                        src_wip_since,
                        src_total,
                        src_count,
                    )
                else:
                    job = _take(
                        ib,
                        t,
                        store,
                        bf,
                        lane_head,
                        lane_count,
                        jobs,
                        buf_hist,
                    )
                    if bf[ib].count + 1 >= bf[ib].cap:  # it was full
                        sp = _act(act_kind, act_idx, sp, ACT_SPACE_FREED, ib)
                if fb >= 0:
                    part = _take(
                        fb,
                        t,
                        store,
                        bf,
                        lane_head,
                        lane_count,
                        jobs,
                        buf_hist,
                    )
                    n_free = _consume_part(
                        part,
                        t,
                        cal_offset,
                        in_stats,
                        jobs,
                        free_jobs,
                        n_free,
                        src_wip,
                        src_wip_area,
                        src_wip_since,
                        src_total,
                        src_count,
                        src_lt_sum,
                    )
                    sp = _act(act_kind, act_idx, sp, ACT_SPACE_FREED, fb)
                # start processing
                mean = _mean_time(s, job, st, mean_tab, cycle_time, option_time, jobs)
                if in_stats:
                    st_run[s].ideal += mean
                sv[srv].job = job
                if st[s].proc_kind == DIST_DETERMINISTIC:
                    sv[srv].work_left = mean
                else:
                    sv[srv].work_left = _sample(
                        st[s].proc_kind,
                        mean,
                        st[s].proc_shape,
                        st[s].proc_table,
                        tables,
                        table_len,
                    )
                sv[srv].work_start = t
                _log(log_t, log_i, sc_i, t + cal_offset, LOG_START, s, sv[srv].job)
                per_n, ps_n = _set_state(
                    srv,
                    WORK,
                    t,
                    sv,
                    srv_time,
                    st_run,
                    per,
                    per_n,
                    in_stats,
                    pst,
                    ps_n,
                )
                fk = st[s].fail_kind
                if fk == FAIL_OPERATION and sv[srv].ttf_left < sv[srv].work_left:
                    _set_key(key, heap, pos, 2 * srv + 1, t + sv[srv].ttf_left)
                else:
                    e = t + sv[srv].work_left
                    # no failure can come first (a time-dependent one only if it is due
                    # before the end): a short end goes into the ring, if it does not pass
                    # too many later ends there
                    n_ring = -1
                    if sv[srv].work_left <= ring_max and (fk != FAIL_TIME or e < key[2 * srv + 1]):
                        n_ring = _ring_insert(ring_t, ring_srv, ring_head, ring_n, e, srv)
                    if n_ring < 0:
                        _set_key(key, heap, pos, 2 * srv, e)
                    else:
                        ring_n = n_ring

            elif kind == ACT_ITEM_ADDED:  # (unpaced, parallel servers: see _item_added)
                c = bf[idx].consumer & NN
                first = st[c].first_srv & NN
                for k in range(st[c].nsrv):
                    srv = (first + k) & NN
                    if sv[srv].state == STARVED:
                        sp = _act(act_kind, act_idx, sp, ACT_TRY_START, srv)
                        break

            elif kind == ACT_SPACE_FREED:
                b = idx
                if bf[b].wfirst < 0 or not _can_put(b, bf, st, sv):
                    continue
                # the server blocked on b the longest gets the place: the first blocked
                # one in b's queue (a failed one waits for its repair)
                best = bf[b].wfirst
                while best >= 0 and sv[best & NN].state != BLOCKED:
                    best = sv[best & NN].wnext
                if best < 0:
                    continue
                best &= NN
                s = sv[best].st & NN
                if st[s].seg >= 0:
                    sp = _act(act_kind, act_idx, sp, ACT_TRY_INDEX, st[s].seg)
                    continue
                job = sv[best].job & NN
                need_store |= _put(
                    b,
                    job,
                    t,
                    store,
                    bf,
                    lane_head,
                    lane_count,
                    jobs,
                    buf_hist,
                )
                sv[best].job = -1
                _set_target(best, -1, sv, bf)
                per_n, ps_n = _set_state(
                    best,
                    STARVED,
                    t,
                    sv,
                    srv_time,
                    st_run,
                    per,
                    per_n,
                    in_stats,
                    pst,
                    ps_n,
                )
                sp = _act(act_kind, act_idx, sp, ACT_TRY_START, best)
                sp = _item_added(b, sp, act_kind, act_idx, bf, st, sv, seg_elapsed)

            else:  # ACT_TRY_INDEX: move the conveyor of a paced segment if it can
                g = idx
                if not seg_elapsed[g]:
                    continue
                length = 0
                while length < seg_stations.shape[1] and seg_stations[g, length] >= 0:
                    length += 1
                ok = True
                occupied = False
                for p in range(length):
                    s = seg_stations[g, p] & NN
                    srv = st[s].first_srv & NN
                    if sv[srv].state == FAILED:
                        ok = False
                        break
                    if sv[srv].job >= 0:
                        occupied = True
                        if not sv[srv].done:
                            ok = False
                            break
                if not ok:
                    continue
                s0 = seg_stations[g, 0] & NN
                ib0 = st[s0].in_buf
                from_buf0 = ib0 >= 0 and bf[ib0].count > 0
                incoming = st[s0].source >= 0 or from_buf0
                if not occupied and not incoming:
                    continue
                # parts for the stations that receive a job
                for p in range(length):
                    s = seg_stations[g, p] & NN
                    fb = st[s].feed_buf
                    if fb < 0:
                        continue
                    gets_job = (
                        incoming
                        if p == 0
                        else sv[st[seg_stations[g, (p - 1) & NN] & NN].first_srv & NN].job >= 0
                    )
                    if gets_job and bf[fb].count == 0:
                        ok = False
                        break
                if not ok:
                    continue
                # the last job must be able to leave (decided by its quality check now)
                s_last = seg_stations[g, length - 1] & NN
                srv_last_st = st[s_last].first_srv & NN
                job = sv[srv_last_st].job
                out_target = -2  # -2: nothing leaves
                if job >= 0:
                    if sv[srv_last_st].target == -1:
                        # decide once: reject (repair / scrap) or good
                        if st[s_last].fty < 1.0 and uniform(rng) >= st[s_last].fty:
                            st_run[s_last].rejected += in_stats
                            rb = st[s_last].rej_buf
                            if rb < 0 or uniform(rng) < st[s_last].scrap_share:
                                _set_target(srv_last_st, -3, sv, bf)  # scrap
                            else:
                                _set_target(srv_last_st, rb, sv, bf)
                        else:
                            st_run[s_last].good += in_stats
                            ob = st[s_last].out_buf
                            _set_target(srv_last_st, ob if ob >= 0 else -4, sv, bf)  # -4: sink
                        st_run[s_last].processed += in_stats
                        sv[srv_last_st].since = t
                    out_target = sv[srv_last_st].target
                    if out_target >= 0 and not _can_put(out_target, bf, st, sv):
                        continue  # blocked by a full buffer downstream: the line waits
                # --- move -------------------------------------------------------------
                if job >= 0:
                    _set_target(srv_last_st, -1, sv, bf)
                    sv[srv_last_st].job = -1
                    if out_target >= 0:
                        need_store |= _put(
                            out_target,
                            job,
                            t,
                            store,
                            bf,
                            lane_head,
                            lane_count,
                            jobs,
                            buf_hist,
                        )
                        if out_target == st[s_last].rej_buf:
                            src_count[jobs[job].src, 4] += in_stats
                        sp = _item_added(
                            out_target,
                            sp,
                            act_kind,
                            act_idx,
                            bf,
                            st,
                            sv,
                            seg_elapsed,
                        )
                    else:
                        n_free, lt_n = _leave(
                            job,
                            out_target == -3,
                            t,
                            cal_offset,
                            in_stats,
                            jobs,
                            free_jobs,
                            n_free,
                            src_wip,
                            src_wip_area,
                            src_wip_since,
                            src_total,
                            src_count,
                            src_lt_sum,
                            main_source,
                            lt_val,
                            lt_at,
                            lt_n,
                            log_t,
                            log_i,
                            sc_i,
                        )
                for p in range(length - 2, -1, -1):
                    s = seg_stations[g, p] & NN
                    srv = st[s].first_srv & NN
                    job = sv[srv].job
                    if job < 0:
                        continue
                    sv[srv].job = -1
                    st_run[s].processed += in_stats
                    if st[s].fty < 1.0 and uniform(rng) >= st[s].fty:
                        st_run[s].rejected += in_stats
                        rb = st[s].rej_buf
                        if rb < 0 or uniform(rng) < st[s].scrap_share:
                            n_free, lt_n = _leave(
                                job,
                                True,
                                t,
                                cal_offset,
                                in_stats,
                                jobs,
                                free_jobs,
                                n_free,
                                src_wip,
                                src_wip_area,
                                src_wip_since,
                                src_total,
                                src_count,
                                src_lt_sum,
                                main_source,
                                lt_val,
                                lt_at,
                                lt_n,
                                log_t,
                                log_i,
                                sc_i,
                            )
                        else:
                            src_count[jobs[job].src & NN, 4] += in_stats
                            need_store |= _put(
                                rb,
                                job,
                                t,
                                store,
                                bf,
                                lane_head,
                                lane_count,
                                jobs,
                                buf_hist,
                            )
                            sp = _item_added(
                                rb,
                                sp,
                                act_kind,
                                act_idx,
                                bf,
                                st,
                                sv,
                                seg_elapsed,
                            )
                    else:
                        st_run[s].good += in_stats
                        sv[st[seg_stations[g, p + 1] & NN].first_srv & NN].job = job
                # a new job onto the first station
                if incoming:
                    srv0 = st[s0].first_srv & NN
                    if not from_buf0:
                        job, n_free = _release(
                            st[s0].source & NN,
                            t,
                            cal_offset,
                            in_stats,
                            jobs,
                            free_jobs,
                            n_free,
                            src_released,
                            release_seq,
                            mix_cum,
                            option_rate,
                            rng,
                            src_draw,
                            src_wip,
                            src_wip_area,
                            src_wip_since,
                            src_total,
                            src_count,
                        )
                    else:
                        job = _take(
                            ib0,
                            t,
                            store,
                            bf,
                            lane_head,
                            lane_count,
                            jobs,
                            buf_hist,
                        )
                        if bf[ib0].count + 1 >= bf[ib0].cap:  # it was full
                            sp = _act(act_kind, act_idx, sp, ACT_SPACE_FREED, ib0)
                    sv[srv0].job = job
                # start the work of the new cycle
                move_next = t + seg_takt[g]  # when the conveyor may move next
                for p in range(length):
                    s = seg_stations[g, p] & NN
                    srv = st[s].first_srv & NN
                    sv[srv].done = False
                    job = sv[srv].job
                    if job < 0:
                        per_n, ps_n = _set_state(
                            srv,
                            STARVED,
                            t,
                            sv,
                            srv_time,
                            st_run,
                            per,
                            per_n,
                            in_stats,
                            pst,
                            ps_n,
                        )
                        continue
                    fb = st[s].feed_buf
                    if fb >= 0:
                        part = _take(
                            fb,
                            t,
                            store,
                            bf,
                            lane_head,
                            lane_count,
                            jobs,
                            buf_hist,
                        )
                        n_free = _consume_part(
                            part,
                            t,
                            cal_offset,
                            in_stats,
                            jobs,
                            free_jobs,
                            n_free,
                            src_wip,
                            src_wip_area,
                            src_wip_since,
                            src_total,
                            src_count,
                            src_lt_sum,
                        )
                        sp = _act(act_kind, act_idx, sp, ACT_SPACE_FREED, fb)
                    mean = _mean_time(s, job, st, mean_tab, cycle_time, option_time, jobs)
                    if in_stats:
                        st_run[s].ideal += mean
                    if st[s].proc_kind == DIST_DETERMINISTIC:
                        sv[srv].work_left = mean
                    else:
                        sv[srv].work_left = _sample(
                            st[s].proc_kind,
                            mean,
                            st[s].proc_shape,
                            st[s].proc_table,
                            tables,
                            table_len,
                        )
                    sv[srv].work_start = t
                    _log(log_t, log_i, sc_i, t + cal_offset, LOG_START, s, sv[srv].job)
                    per_n, ps_n = _set_state(
                        srv,
                        WORK,
                        t,
                        sv,
                        srv_time,
                        st_run,
                        per,
                        per_n,
                        in_stats,
                        pst,
                        ps_n,
                    )
                    fk = st[s].fail_kind
                    e = t + sv[srv].work_left
                    if fk == FAIL_OPERATION and sv[srv].ttf_left < sv[srv].work_left:
                        _set_key(key, heap, pos, 2 * srv + 1, t + sv[srv].ttf_left)
                    elif (
                        (fk == FAIL_TIME and key[2 * srv + 1] <= e)
                        or e >= key[slot_cal + 1]  # the warm-up comes first
                        or e > horizon_w
                    ):
                        _set_key(key, heap, pos, 2 * srv, e)
                    else:
                        # No failure can come first, and nothing can happen to the station
                        # until the conveyor moves again, which it does at the earliest
                        # when this job is done: its end is worked off now, dated e.
                        n_events += 1
                        if log_t.shape[0] > 0:
                            c = _calendar_time(e, cal_offset, off_k, off_pos, off_len_full)
                            _log(log_t, log_i, sc_i, c, LOG_END, s, job)
                        if fk == FAIL_OPERATION:
                            sv[srv].ttf_left -= sv[srv].work_left
                        sv[srv].work_left = 0.0
                        sv[srv].done = True
                        sv[srv].since = e
                        per_n, ps_n = _set_state(
                            srv,
                            BLOCKED,
                            e,
                            sv,
                            srv_time,
                            st_run,
                            per,
                            per_n,
                            in_stats,
                            pst,
                            ps_n,
                        )
                        move_next = max(move_next, e)
                seg_elapsed[g] = False
                _set_key(key, heap, pos, 2 * n_srv + g, move_next)

        # ---- next event ------------------------------------------------------------------------
        slot = heap[0] & NN
        t_next = key[slot]
        from_ring = ring_n > 0 and ring_t[ring_head] < t_next
        if from_ring:
            t_next = ring_t[ring_head]
        if t_next > horizon_w:
            status = 0
            break
        t = t_next
        n_events += 1
        if from_ring:  # an end of processing from the ring: its heap slot is already at INF
            slot = 2 * (ring_srv[ring_head] & NN)
            ring_head = (ring_head + 1) & ring_mask
            ring_n -= 1

        if slot < 2 * n_srv:
            srv = slot >> 1
            s = sv[srv].st & NN
            if slot & 1 == 0:
                # ---- end of processing ------------------------------------------------
                _log(log_t, log_i, sc_i, t + cal_offset, LOG_END, s, sv[srv].job)
                _set_key(key, heap, pos, slot, INF)
                if st[s].fail_kind == FAIL_OPERATION:
                    sv[srv].ttf_left -= t - sv[srv].work_start
                    _set_key(key, heap, pos, slot + 1, INF)
                sv[srv].work_left = 0.0
                if st[s].seg >= 0:
                    sv[srv].done = True
                    sv[srv].since = t
                    per_n, ps_n = _set_state(
                        srv,
                        BLOCKED,
                        t,
                        sv,
                        srv_time,
                        st_run,
                        per,
                        per_n,
                        in_stats,
                        pst,
                        ps_n,
                    )
                    sp = _act(act_kind, act_idx, sp, ACT_TRY_INDEX, st[s].seg)
                    continue
                job = sv[srv].job & NN
                if in_stats:
                    st_run[s].processed += 1
                target = st[s].out_buf
                if st[s].fty < 1.0 and uniform(rng) >= st[s].fty:
                    st_run[s].rejected += in_stats
                    target = st[s].rej_buf
                    if target < 0 or uniform(rng) < st[s].scrap_share:
                        target = -3
                    else:
                        src_count[jobs[job].src, 4] += in_stats
                else:
                    st_run[s].good += in_stats
                    if target < 0:
                        target = -4
                if target < 0:
                    # leaves the system: finished (sink) or scrapped
                    n_free, lt_n = _leave(
                        job,
                        target == -3,
                        t,
                        cal_offset,
                        in_stats,
                        jobs,
                        free_jobs,
                        n_free,
                        src_wip,
                        src_wip_area,
                        src_wip_since,
                        src_total,
                        src_count,
                        src_lt_sum,
                        main_source,
                        lt_val,
                        lt_at,
                        lt_n,
                        log_t,
                        log_i,
                        sc_i,
                    )
                    sv[srv].job = -1
                    per_n, ps_n = _set_state(
                        srv,
                        STARVED,
                        t,
                        sv,
                        srv_time,
                        st_run,
                        per,
                        per_n,
                        in_stats,
                        pst,
                        ps_n,
                    )
                    sp = _act(act_kind, act_idx, sp, ACT_TRY_START, srv)
                elif _can_put(target, bf, st, sv):
                    need_store |= _put(
                        target,
                        job,
                        t,
                        store,
                        bf,
                        lane_head,
                        lane_count,
                        jobs,
                        buf_hist,
                    )
                    sv[srv].job = -1
                    per_n, ps_n = _set_state(
                        srv,
                        STARVED,
                        t,
                        sv,
                        srv_time,
                        st_run,
                        per,
                        per_n,
                        in_stats,
                        pst,
                        ps_n,
                    )
                    sp = _act(act_kind, act_idx, sp, ACT_TRY_START, srv)
                    sp = _item_added(target, sp, act_kind, act_idx, bf, st, sv, seg_elapsed)
                else:
                    _set_target(srv, target, sv, bf)
                    sv[srv].since = t
                    per_n, ps_n = _set_state(
                        srv,
                        BLOCKED,
                        t,
                        sv,
                        srv_time,
                        st_run,
                        per,
                        per_n,
                        in_stats,
                        pst,
                        ps_n,
                    )
            elif sv[srv].state != FAILED:
                # ---- failure ----------------------------------------------------------------
                _log(log_t, log_i, sc_i, t + cal_offset, LOG_FAIL, s, sv[srv].job)
                state = sv[srv].state
                if state == WORK:
                    sv[srv].work_left -= t - sv[srv].work_start
                    _set_key(key, heap, pos, slot - 1, INF)
                sv[srv].prev = state
                per_n, ps_n = _set_state(
                    srv,
                    FAILED,
                    t,
                    sv,
                    srv_time,
                    st_run,
                    per,
                    per_n,
                    in_stats,
                    pst,
                    ps_n,
                )
                repair = _sample(
                    st[s].ttr_kind,
                    st[s].ttr_mean,
                    st[s].ttr_shape,
                    st[s].ttr_table,
                    tables,
                    table_len,
                )
                _set_key(key, heap, pos, slot, t + repair)
            else:
                # ---- end of repair: back to what the server was doing ----------------------
                _log(log_t, log_i, sc_i, t + cal_offset, LOG_REPAIR, s, sv[srv].job)
                sv[srv].ttf_left = _sample(
                    st[s].ttf_kind,
                    st[s].ttf_mean,
                    st[s].ttf_shape,
                    st[s].ttf_table,
                    tables,
                    table_len,
                )
                prev = sv[srv].prev
                per_n, ps_n = _set_state(
                    srv,
                    prev,
                    t,
                    sv,
                    srv_time,
                    st_run,
                    per,
                    per_n,
                    in_stats,
                    pst,
                    ps_n,
                )
                if st[s].fail_kind == FAIL_TIME:
                    _set_key(key, heap, pos, slot, t + sv[srv].ttf_left)
                else:
                    _set_key(key, heap, pos, slot, INF)
                if prev == WORK:
                    sv[srv].work_start = t
                    if st[s].fail_kind == FAIL_OPERATION and sv[srv].ttf_left < sv[srv].work_left:
                        _set_key(key, heap, pos, slot, t + sv[srv].ttf_left)
                    else:
                        _set_key(key, heap, pos, slot - 1, t + sv[srv].work_left)
                elif st[s].seg >= 0:
                    sp = _act(act_kind, act_idx, sp, ACT_TRY_INDEX, st[s].seg)
                elif prev == STARVED:
                    sp = _act(act_kind, act_idx, sp, ACT_TRY_START, srv)
                else:  # blocked: try again to put the job down
                    tb = sv[srv].target
                    if _can_put(tb, bf, st, sv):
                        sp = _act(act_kind, act_idx, sp, ACT_SPACE_FREED, tb)
        elif slot < slot_cal:
            g = (slot - 2 * n_srv) & NN
            _set_key(key, heap, pos, slot, INF)
            seg_elapsed[g] = True
            sp = _act(act_kind, act_idx, sp, ACT_TRY_INDEX, g)
        elif slot == slot_cal:
            # an off-shift period starts: the plant freezes for off_len_full[off_k] seconds
            for k in range(n_sources):
                src_wip_off[k] += src_wip[k] * off_len_stats[off_k]
            cal_offset += off_len_full[off_k]
            off_k += 1
            _set_key(key, heap, pos, slot, off_pos[off_k] if off_k < off_pos.shape[0] else INF)
        else:
            # end of warm-up: start the statistics afresh
            _set_key(key, heap, pos, slot, INF)
            for srv in range(n_srv):
                srv_time[srv, sv[srv].state] += t - sv[srv].last
                sv[srv].last = t
            srv_time[:, :] = 0.0
            for b in range(n_buf):
                _buf_acc(b, t, bf, buf_hist)
                bf[b].peak = bf[b].count
            for b in range(n_buf):
                bf[b].area = 0.0
            buf_hist[:, :] = 0.0
            src_wip_area[:] = 0.0
            src_wip_since[:] = t
            src_count[:, :] = 0
            src_lt_sum[:] = 0.0
            lt_n = 0
            per_n = 0
            ps_n = 0
            for s in range(n_st):
                st_run[s].processed = 0
                st_run[s].good = 0
                st_run[s].rejected = 0
                st_run[s].ideal = 0.0
                st_run[s].pidx = -1  # (a period going on is not recorded)
                if st_run[s].inactive == 0:
                    st_run[s].pstart = t
                    pst[ps_n] = -1
                    st_run[s].pidx = ps_n
                    ps_n += 1
            in_stats = True

    sc_i[0], sc_i[1], sc_i[2], sc_i[3], sc_i[4] = sp, n_free, lt_n, per_n, off_k
    sc_i[5], sc_i[6] = 1 if in_stats else 0, n_events
    sc_i[8] = ps_n
    sc_i[9], sc_i[10] = ring_head, ring_n
    sc_f[0], sc_f[1] = t, cal_offset
    return status


@njit(cache=True, _nrt=False, inline="always")
def _act(act_kind, act_idx, sp, kind, idx):
    """Push an action onto the work stack; returns the new stack size."""
    sp &= NN
    act_kind[sp] = kind
    act_idx[sp] = idx
    return sp + 1


@njit(cache=True, _nrt=False, inline="always")
def _set_target(srv, target, sv, bf):
    """Server ``srv`` now holds its job for buffer ``target`` (< 0: for none).

    It leaves the queue of the buffer it waited for, and joins the back of ``target``'s:
    a queue is in the order its servers began to wait (a queue holds a few servers).
    """
    srv &= NN
    old = sv[srv].target
    if old >= 0:
        b = old & NN
        prev, cur = -1, bf[b].wfirst
        while cur != srv:
            prev, cur = cur, sv[cur & NN].wnext
        if prev < 0:
            bf[b].wfirst = sv[srv].wnext
        else:
            sv[prev & NN].wnext = sv[srv].wnext
        if bf[b].wlast == srv:
            bf[b].wlast = prev
        sv[srv].wnext = -1
    if target >= 0:
        b = target & NN
        if bf[b].wlast < 0:
            bf[b].wfirst = srv
        else:
            sv[bf[b].wlast & NN].wnext = srv
        bf[b].wlast = srv
    sv[srv].target = target


@njit(cache=True, _nrt=False, inline="always")
def _can_put(b, bf, st, sv):
    """Whether a job may go into buffer ``b`` now.

    Below capacity, yes. At capacity (a buffer of capacity 0 in particular), only if
    an idle server of the (unpaced) consumer takes it at once: a direct hand-over.
    """
    b &= NN
    if bf[b].count < bf[b].cap:
        return True
    if bf[b].count > bf[b].cap:
        return False
    c = bf[b].consumer & NN
    if st[c].seg >= 0 or st[c].feed_buf == b:
        return False
    fb = st[c].feed_buf
    if fb >= 0 and bf[fb].count == 0:
        return False
    first = st[c].first_srv & NN
    for k in range(st[c].nsrv):  # noqa: SIM110 (no generators in numba)
        if sv[(first + k) & NN].state == STARVED:
            return True
    return False


@njit(cache=True, _nrt=False, inline="always")
def _item_added(b, sp, act_kind, act_idx, bf, st, sv, seg_elapsed):
    """Push what follows a job's arrival in buffer ``b``; returns the new stack size.

    An unpaced single-server consumer is asked straight away to start if it is starved
    (it does if it has its parts); if it is not, nothing: every change to starved pushes
    a start attempt of its own. A paced consumer's conveyor is asked to move if its takt
    has elapsed (else the takt's end asks it). Parallel servers need ``ACT_ITEM_ADDED``,
    which chooses among them when it is worked off.
    """
    c = bf[b & NN].consumer & NN
    g = st[c].seg
    if g >= 0:
        if not seg_elapsed[g]:
            return sp
        return _act(act_kind, act_idx, sp, ACT_TRY_INDEX, g)
    if st[c].nsrv == 1:
        srv = st[c].first_srv & NN
        if sv[srv].state != STARVED:
            return sp
        return _act(act_kind, act_idx, sp, ACT_TRY_START, srv)
    return _act(act_kind, act_idx, sp, ACT_ITEM_ADDED, b)


@njit(cache=True, _nrt=False, inline="always")
def _log(log_t, log_i, sc_i, t, kind, station, job):
    """Append one event to the event log (a no-op when the log has no room)."""
    n = sc_i[7] & NN
    if n < log_t.shape[0]:
        log_t[n] = t
        log_i[n, 0] = kind
        log_i[n, 1] = station
        log_i[n, 2] = job
        sc_i[7] = n + 1


# -- the event loop -------------------------------------------------------------------------
@njit(cache=True)
def run_into(
    st,
    cycle_time,
    option_time,
    buf_cap,
    buf_consumer,
    buf_lanes,
    seg_takt,
    seg_stations,
    mix_cum,
    option_rate,
    release_seq,
    tables,
    table_len,
    src_draw,
    off_pos,
    off_len_full,
    off_len_stats,
    horizon_w,
    warmup_w,
    seed,
    n_sources,
    main_source,
    log_cap,
    cap_hint,
    work_per,
    work_pst,
):
    """Simulate one replication for ``horizon_w`` working seconds; statistics after ``warmup_w``.

    ``src_draw``: per source, 1 if a station its jobs can visit depends on their model or
    options (so these are drawn), else 0.

    ``cap_hint``: the number of active periods expected (from an earlier replication),
    so that the period and lead-time arrays start big enough instead of doubling from
    4096 (a year of a plant records millions). Results do not depend on it.

    Returns a tuple of accumulator arrays, unpacked by :func:`taktline.simulate.engine`.
    The active periods are recorded into the caller's arrays if they are big enough:
    ``work_per`` (:data:`PERIOD` records) and ``work_pst`` (:data:`START` records) hold
    the period records and the start log of one replication after another, so that a long
    series of replications does not allocate (and fault in) tens of MB each time; the
    record arrays returned are then views into them, valid until the next call with the
    same arrays. Results do not depend on it.
    """
    np.random.seed(seed)
    rng = rng_state(seed)
    n_st = st.shape[0]
    n_buf = buf_cap.shape[0]
    n_seg = seg_takt.shape[0]
    n_srv = 0
    for s in range(n_st):
        n_srv += st[s].nsrv
    srv_st = np.empty(n_srv, dtype=np.int64)
    for s in range(n_st):
        for k in range(st[s].nsrv):
            srv_st[st[s].first_srv + k] = s

    # mean processing time of each (station, model, set of options): a lookup instead of a
    # loop over the options with a branch per option at every start (when the table is small)
    n_models = cycle_time.shape[1]
    n_opt = option_rate.shape[0]
    if n_opt <= 16 and n_st * n_models * (1 << n_opt) <= 1 << 16:
        n_comb = 1 << n_opt
        mean_tab = np.empty((n_st, n_models * n_comb))
        for s in range(n_st):
            for m in range(n_models):
                for opts in range(n_comb):
                    mean = cycle_time[s, m]  # summed in the same order as the loop: same value
                    if opts != 0:
                        for o in range(n_opt):
                            if (opts >> o) & 1:
                                mean += option_time[s, o]
                    mean_tab[s, m * n_comb + opts] = mean
    else:
        mean_tab = np.empty((0, 0))

    # event calendar
    n_slots = 2 * n_srv + n_seg + 2
    slot_cal = 2 * n_srv + n_seg
    slot_warm = slot_cal + 1
    key = np.full(n_slots, INF)
    # the heap holds only the slots that can ever be due: not the failure slots of servers
    # that never fail (a third of the default plant's slots), so that it is shallower
    pos = np.full(n_slots, -1, dtype=np.int64)
    n_live = 0
    for slot in range(n_slots):
        if slot < 2 * n_srv and slot & 1 == 1 and st[srv_st[slot >> 1]].fail_kind == FAIL_NONE:
            continue
        pos[slot] = n_live
        n_live += 1
    heap = np.empty(n_live, dtype=np.int64)
    for slot in range(n_slots):
        if pos[slot] >= 0:
            heap[pos[slot]] = slot

    # servers
    sv = np.zeros(n_srv, dtype=SERVER)
    for srv in range(n_srv):
        sv[srv].st = srv_st[srv]
        sv[srv].state = STARVED
        sv[srv].prev = STARVED
        sv[srv].job = -1
        sv[srv].ttf_left = INF
        sv[srv].target = -1
        sv[srv].wnext = -1
    srv_time = np.zeros((n_srv, N_STATES))

    # stations
    st_run = np.zeros(n_st, dtype=ST_RUN)
    for s in range(n_st):
        st_run[s].inactive = st[s].nsrv  # (every server starts starved)
        st_run[s].pidx = -1
        st_run[s].idle = -1.0
    seg_elapsed = np.ones(n_seg, dtype=np.bool_)
    # ends of processing no failure can interrupt, in time order (a ring: at most one per server)
    ring_size = 2
    while ring_size <= n_srv:
        ring_size *= 2
    ring_t = np.empty(ring_size)
    ring_srv = np.empty(ring_size, dtype=np.int64)
    # only short ends: a long one (a test track's, a repair's) would be passed by nearly
    # every short end inserted after it; short is up to 1.5 times the median station's time
    means = np.empty(n_st)
    for s in range(n_st):
        means[s] = cycle_time[s].mean()
    ring_max = 1.5 * np.median(means)

    # buffers: a ring per buffer (per lane in a resequencing store) in one 2-D array
    bf = np.zeros(n_buf, dtype=BUFFER)
    width = 64
    max_lanes = 1
    for b in range(n_buf):
        lanes = max(buf_lanes[b], 1)
        max_lanes = max(max_lanes, lanes)
        bf[b].cap = buf_cap[b]
        bf[b].wfirst = -1
        bf[b].wlast = -1
        bf[b].consumer = buf_consumer[b]
        bf[b].lanes = buf_lanes[b]
        bf[b].depth = (buf_cap[b] + lanes - 1) // lanes if buf_cap[b] < (1 << 40) else 1 << 40
        need = lanes * 2 * (min(bf[b].depth, 1 << 12) + 4 * n_srv + 4 * n_st + 18)
        while width < need:  # a power of two: FIFO ring positions by a mask, not a division
            width *= 2
    store = np.full((n_buf, width), -1, dtype=np.int64)
    for b in range(n_buf):
        bf[b].head = _ring_start(b, width)
        bf[b].ring = width // max(buf_lanes[b], 1)
    lane_head = np.zeros((n_buf, max_lanes), dtype=np.int64)
    lane_count = np.zeros((n_buf, max_lanes), dtype=np.int64)
    # level-major: the low levels of all buffers, where nearly all the time goes, share a
    # few cache lines (rows of 256 levels per buffer fell into two cache sets)
    buf_hist = np.zeros((HIST_LEVELS, n_buf))

    # jobs
    job_cap = max(1024, 8 * (4 * n_srv + 4 * n_st + 16))
    jobs = np.zeros(job_cap, dtype=JOB)
    free_jobs = np.arange(job_cap - 1, -1, -1).astype(np.int64)
    n_free = job_cap

    # flows (sources): released, finished, scrapped, consumed, reworked; after warm-up
    src_count = np.zeros((n_sources, 5), dtype=np.int64)
    src_total = np.zeros((n_sources, 4), dtype=np.int64)  # from time 0: rel, fin, scr, cons
    src_wip = np.zeros(n_sources, dtype=np.int64)
    src_wip_area = np.zeros(n_sources)
    src_wip_off = np.zeros(n_sources)  # WIP x off-shift time inside the statistics window
    src_wip_since = np.zeros(n_sources)  # when each flow's WIP last changed
    src_lt_sum = np.zeros(n_sources)
    src_released = np.zeros(n_sources, dtype=np.int64)

    # lead times of main-flow jobs (calendar s) and their finish (working s)
    lt_cap = max(4096, cap_hint // 16)
    lt_val = np.empty(lt_cap)
    lt_at = np.empty(lt_cap)
    lt_n = 0

    # active periods for the bottleneck analysis
    per_cap = max(4096, cap_hint + 4 * n_srv + 4 * n_st + 64)
    if work_per.shape[0] >= per_cap and work_pst.shape[0] >= per_cap:
        per, pst = work_per, work_pst
    else:
        per = np.empty(per_cap, dtype=PERIOD)
        pst = np.empty(per_cap, dtype=START)  # starts of active periods, in time order
    per_n = 0
    in_stats = warmup_w <= 0.0

    cal_offset = 0.0
    if off_pos.shape[0] > 0:
        _set_key(key, heap, pos, slot_cal, off_pos[0])
    if warmup_w > 0.0:
        _set_key(key, heap, pos, slot_warm, warmup_w)

    # failure clocks: time-dependent ones run from the start
    for srv in range(n_srv):
        s = srv_st[srv]
        if st[s].fail_kind != FAIL_NONE:
            sv[srv].ttf_left = _sample(
                st[s].ttf_kind,
                st[s].ttf_mean,
                st[s].ttf_shape,
                st[s].ttf_table,
                tables,
                table_len,
            )
            if st[s].fail_kind == FAIL_TIME:
                _set_key(key, heap, pos, 2 * srv + 1, sv[srv].ttf_left)

    # work stack
    stack_cap = 8 * (n_srv + n_buf + n_seg) + 64
    act_kind = np.zeros(stack_cap, dtype=np.int64)
    act_idx = np.zeros(stack_cap, dtype=np.int64)
    sp = 0
    for s in range(n_st):
        if st[s].source >= 0:
            if st[s].seg >= 0:
                sp = _act(act_kind, act_idx, sp, ACT_TRY_INDEX, st[s].seg)
            else:
                for k in range(st[s].nsrv):
                    sp = _act(act_kind, act_idx, sp, ACT_TRY_START, st[s].first_srv + k)

    margin = 4 * n_srv + 4 * n_st + 16
    log_t = np.zeros(log_cap)  # event log (calendar s), empty unless asked for
    log_i = np.zeros((log_cap, 3), dtype=np.int64)  # kind, station, job
    sc_i = np.zeros(11, dtype=np.int64)
    sc_f = np.zeros(2)  # time, calendar offset
    sc_i[0], sc_i[1], sc_i[2], sc_i[3], sc_i[4] = sp, n_free, 0, 0, 0
    sc_i[5] = 1 if in_stats else 0
    while True:
        status = _advance(
            st,
            cycle_time,
            option_time,
            mean_tab,
            bf,
            seg_takt,
            seg_stations,
            mix_cum,
            option_rate,
            release_seq,
            tables,
            table_len,
            src_draw,
            off_pos,
            off_len_full,
            off_len_stats,
            horizon_w,
            ring_max,
            main_source,
            sv,
            key,
            heap,
            pos,
            srv_time,
            st_run,
            seg_elapsed,
            ring_t,
            ring_srv,
            store,
            lane_head,
            lane_count,
            buf_hist,
            jobs,
            free_jobs,
            src_count,
            src_total,
            src_wip,
            src_wip_area,
            src_wip_since,
            src_wip_off,
            src_lt_sum,
            src_released,
            lt_val,
            lt_at,
            per,
            pst,
            act_kind,
            act_idx,
            sc_i,
            sc_f,
            margin,
            log_t,
            log_i,
            rng,
        )
        if status == 0:
            break
        if status == 1:
            n_free = sc_i[1]
            old = jobs.shape[0]
            jobs = _grow_records(jobs)
            new_free = np.empty(2 * old, dtype=np.int64)
            new_free[:n_free] = free_jobs[:n_free]
            for k in range(old):
                new_free[n_free + k] = 2 * old - 1 - k
            free_jobs = new_free
            sc_i[1] = n_free + old
        elif status == 2:
            lt_val = _grow_1d(lt_val, 0.0)
            lt_at = _grow_1d(lt_at, 0.0)
        elif status == 3:
            if sc_i[3] + margin >= per.shape[0]:
                per = _grow_records(per)
            if sc_i[8] + margin >= pst.shape[0]:
                pst = _grow_records(pst)
        else:
            store = _grow_store(store, bf, lane_head, lane_count)
    lt_n, per_n, n_events, ps_n = sc_i[2], sc_i[3], sc_i[6], sc_i[8]
    cal_offset = sc_f[1]

    # ---- end of the horizon: close the accumulators ------------------------------------------
    t = horizon_w
    for srv in range(n_srv):
        srv_time[srv, sv[srv].state] += t - sv[srv].last
        sv[srv].last = t
    for b in range(n_buf):
        _buf_acc(b, t, bf, buf_hist)
    for k in range(n_sources):
        _wip_change(k, 0, t, True, src_wip, src_wip_area, src_wip_since)
    for s in range(n_st):
        if per_n >= per.shape[0]:
            per = _grow_records(per)
        if st_run[s].inactive > 0:  # waiting since its period ended
            per_n = _close_period(s, st_run, per, per_n, pst)
        elif t > st_run[s].pstart:
            per[per_n].st = s
            per[per_n].a = st_run[s].pstart
            per[per_n].b = t
            if st_run[s].pidx >= 0:
                pst[st_run[s].pidx] = per_n
            per_n += 1
    st_count = np.empty((n_st, 3), dtype=np.int64)  # processed, good, rejected
    st_ideal = np.empty(n_st)
    for s in range(n_st):
        st_count[s, 0], st_count[s, 1] = st_run[s].processed, st_run[s].good
        st_count[s, 2], st_ideal[s] = st_run[s].rejected, st_run[s].ideal
    buf_area = np.empty(n_buf)
    buf_max = np.empty(n_buf, dtype=np.int64)
    buf_end = np.empty(n_buf, dtype=np.int64)
    for b in range(n_buf):
        buf_area[b], buf_max[b], buf_end[b] = bf[b].area, bf[b].peak, bf[b].count
    return (
        srv_time,
        st_count,
        st_ideal,
        src_count,
        src_total,
        src_wip.copy(),
        src_wip_area,
        src_wip_off,
        src_lt_sum,
        lt_val[:lt_n],  # views, not copies: these are the largest arrays
        lt_at[:lt_n],
        buf_area,
        np.ascontiguousarray(buf_hist.T),  # [n_buf, HIST_LEVELS]
        buf_max,
        buf_end,
        per[:per_n],
        pst[:ps_n],
        n_events,
        cal_offset,
        log_t[: sc_i[7]].copy(),
        log_i[: sc_i[7]].copy(),
    )
