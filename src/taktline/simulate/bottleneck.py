"""Bottleneck detection by the active-period method (Roser, Nakano & Tanaka 2001, 2002).

A station is *active* while it works or is being repaired, *inactive* while it
waits for a job (starved) or for room downstream (blocked). At every moment the
*momentary bottleneck* is the station whose current active period is the longest
one (in total duration): it is the one holding the others up. Where the active
periods of the old and the new momentary bottleneck overlap, the bottleneck is
*shifting* and both count. The station that is the momentary bottleneck for the
largest share of time is *the* bottleneck.

The kernel records active periods as ``(station, start, end)``; :func:`sweep`
walks them in time order with a max-heap on duration, or, with the event kernel's log
of period starts, only the starts (:func:`_sweep_logged`). Where the bottleneck's period
ends, the next one is the longest period still going on after that instant: a period
ending at the same instant does not take over.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from taktline.simulate.kernel import NN  # (indices known to be >= 0: see there)


@njit(cache=True)
def _heap_push(heap_d, heap_p, size, d, p):
    c = size
    while c > 0:
        parent = (c - 1) >> 1
        if heap_d[parent] >= d:
            break
        heap_d[c], heap_p[c] = heap_d[parent], heap_p[parent]
        c = parent
    heap_d[c], heap_p[c] = d, p
    return size + 1


@njit(cache=True)
def _heap_pop(heap_d, heap_p, size):
    size -= 1
    d, p = heap_d[size], heap_p[size]
    c = 0
    while True:
        child = 2 * c + 1
        if child >= size:
            break
        if child + 1 < size and heap_d[child + 1] > heap_d[child]:
            child += 1
        if heap_d[child] <= d:
            break
        heap_d[c], heap_p[c] = heap_d[child], heap_p[child]
        c = child
    heap_d[c], heap_p[c] = d, p
    return size


@njit(cache=True)
def _sweep_by_end(per_st, per_a, per_b, candidate, n_st):
    """:func:`sweep` for periods recorded in order of their end, as the kernel records them.

    The ends then come in record order and need no heap; only the starts go through a
    heap over the stations (one push and one pop per period instead of two each). At
    equal times a period's end is taken before another one's start.
    """
    momentary = np.zeros(n_st)
    shifting = np.zeros(n_st)
    n = per_st.shape[0]
    # the next period of the same station, in record (= end time) order
    nxt = np.empty(n, dtype=np.int64)
    first = np.full(n_st, -1, dtype=np.int64)
    for k in range(n - 1, -1, -1):
        s = per_st[k]
        if candidate[s] and per_b[k] > per_a[k]:
            nxt[k] = first[s]
            first[s] = k
    active = np.zeros(n_st, dtype=np.bool_)
    current = np.full(n_st, -1, dtype=np.int64)
    dur = np.full(n_st, -1.0)
    h_key = np.empty(n_st)
    h_st = np.empty(n_st, dtype=np.int64)
    size = 0
    for s in range(n_st):
        if first[s] >= 0:
            size = _heap_push(h_key, h_st, size, -per_a[first[s]], s)
    if size == 0:
        return momentary, shifting
    top = -1
    x_prev = -h_key[0]
    e = 0  # next record to end
    while True:
        while e < n and not (candidate[per_st[e]] and per_b[e] > per_a[e]):
            e += 1
        if size > 0 and (e >= n or -h_key[0] < per_b[e]):
            # a period starts
            s = h_st[0]
            x = -h_key[0]
            size = _heap_pop(h_key, h_st, size)
            if top >= 0 and x > x_prev:
                momentary[top] += x - x_prev
            x_prev = x
            k = first[s]
            first[s] = nxt[k]
            active[s] = True
            current[s] = k
            dur[s] = per_b[k] - per_a[k]
            if top < 0 or dur[s] > dur[top]:
                if top >= 0:
                    kt = current[top]
                    overlap = min(per_b[kt], per_b[k]) - max(per_a[kt], per_a[k])
                    if overlap > 0:
                        shifting[top] += overlap
                        shifting[s] += overlap
                top = s
        elif e < n:
            ended = e
            s = per_st[e]
            x = per_b[e]
            e += 1
            if top >= 0 and x > x_prev:
                momentary[top] += x - x_prev
            x_prev = x
            active[s] = False
            dur[s] = -1.0
            if first[s] >= 0:
                size = _heap_push(h_key, h_st, size, -per_a[first[s]], s)
            if top == s:
                top = -1
                for other in range(n_st):  # the longest period going on after x
                    if (
                        active[other]
                        and per_b[current[other]] > x
                        and (top < 0 or dur[other] > dur[top])
                    ):
                        top = other
                if top >= 0:
                    kt = current[top]
                    overlap = min(per_b[kt], per_b[ended]) - max(per_a[kt], per_a[ended])
                    if overlap > 0:
                        shifting[top] += overlap
                        shifting[s] += overlap
        else:
            break
    return momentary, shifting


@njit(cache=True)
def _sweep_logged(per_st, per_a, per_b, pst_rec, candidate, n_st):
    """:func:`sweep` for periods with a log of their starts in time order (the kernel's).

    ``pst_rec[j]`` is the record of logged start ``j`` (-1 for a period never recorded,
    being of zero length). Only the starts are walked: a station is active at time x
    while the period of its latest start ends after x, so the ends matter only where the
    momentary bottleneck's own period ends, and that end is known from its record. The
    time between two changes of the momentary bottleneck is credited to it in one step.
    At equal times an end is taken before a start.
    """
    momentary = np.zeros(n_st)
    shifting = np.zeros(n_st)
    n_starts = pst_rec.shape[0]
    current = np.full(n_st, -1, dtype=np.int64)  # record of each station's latest start
    top = -1
    since = 0.0  # when ``top`` became the momentary bottleneck
    j = 0
    while True:
        # the next start of a recorded period of a candidate, if any
        while j < n_starts:
            k = pst_rec[j]
            if k >= 0 and candidate[per_st[k & NN] & NN] and per_b[k] > per_a[k]:
                break
            j += 1
        x = per_a[pst_rec[j] & NN] if j < n_starts else np.inf  # (the period's start)
        # the momentary bottleneck's period ends first: the longest still active follows
        while top >= 0 and per_b[current[top] & NN] <= x:
            ended = current[top] & NN
            x_end = per_b[ended]
            momentary[top] += x_end - since
            since = x_end
            s = top
            top = -1
            for other in range(n_st):
                k = current[other]
                if k >= 0 and per_b[k] > x_end:
                    if top < 0:
                        top = other
                    else:
                        kt = current[top] & NN
                        if per_b[k] - per_a[k] > per_b[kt] - per_a[kt]:
                            top = other
            if top >= 0:
                kt = current[top] & NN
                overlap = min(per_b[kt], x_end) - max(per_a[kt], per_a[ended])
                if overlap > 0:
                    shifting[top] += overlap
                    shifting[s] += overlap
        if j >= n_starts:
            break
        k = pst_rec[j] & NN
        s = per_st[k] & NN
        j += 1
        current[s] = k
        if top < 0:
            top = s
            since = x
            continue
        kt = current[top] & NN
        if per_b[k] - per_a[k] > per_b[kt] - per_a[kt]:
            momentary[top] += x - since
            since = x
            overlap = min(per_b[kt], per_b[k]) - max(per_a[kt], per_a[k])
            if overlap > 0:
                shifting[top] += overlap
                shifting[s] += overlap
            top = s
    return momentary, shifting


@njit(cache=True)
def _sweep_general(per_st, per_a, per_b, candidate, n_st):
    """Momentary and shifting bottleneck time of each station.

    Each station has at most one active period at a time, so the sweep keeps, per
    station, its current period; the events (period starts and ends) come in time order
    from a heap over the stations (O(P log S)); the longest current period changes only
    when a longer one starts (O(1)) or the longest one ends (a scan over S stations).
    Returns ``(momentary, shifting)`` in seconds per station.
    """
    momentary = np.zeros(n_st)
    shifting = np.zeros(n_st)
    n = per_st.shape[0]
    # bucket the periods by station (recorded in time order per station)
    count = np.zeros(n_st + 1, dtype=np.int64)
    for k in range(n):
        if candidate[per_st[k]] and per_b[k] > per_a[k]:
            count[per_st[k] + 1] += 1
    for s in range(n_st):
        count[s + 1] += count[s]
    total = count[n_st]
    if total == 0:
        return momentary, shifting
    fill = count[:n_st].copy()
    idx = np.empty(total, dtype=np.int64)
    for k in range(n):
        s = per_st[k]
        if candidate[s] and per_b[k] > per_a[k]:
            idx[fill[s]] = k
            fill[s] += 1
    cursor = count[:n_st].copy()
    active = np.zeros(n_st, dtype=np.bool_)
    current = np.full(n_st, -1, dtype=np.int64)
    dur = np.full(n_st, -1.0)
    # min-heap over stations of their next event time (stored negated in a max-heap)
    h_key = np.empty(n_st)
    h_st = np.empty(n_st, dtype=np.int64)
    size = 0
    for s in range(n_st):
        if cursor[s] < count[s + 1]:
            size = _heap_push(h_key, h_st, size, -per_a[idx[cursor[s]]], s)
    top = -1
    x_prev = -h_key[0]
    while size > 0:
        s = h_st[0]
        x = -h_key[0]
        size = _heap_pop(h_key, h_st, size)
        if top >= 0 and x > x_prev:
            momentary[top] += x - x_prev
        x_prev = x
        if not active[s]:  # a period starts
            k = idx[cursor[s]]
            active[s] = True
            current[s] = k
            dur[s] = per_b[k] - per_a[k]
            size = _heap_push(h_key, h_st, size, -per_b[k], s)
            if top < 0 or dur[s] > dur[top]:
                if top >= 0:
                    kt = current[top]
                    overlap = min(per_b[kt], per_b[k]) - max(per_a[kt], per_a[k])
                    if overlap > 0:
                        shifting[top] += overlap
                        shifting[s] += overlap
                top = s
        else:  # the station's period ends
            ended = current[s]
            active[s] = False
            dur[s] = -1.0
            cursor[s] += 1
            if cursor[s] < count[s + 1]:
                size = _heap_push(h_key, h_st, size, -per_a[idx[cursor[s]]], s)
            if top == s:
                top = -1
                for other in range(n_st):  # the longest period going on after x
                    if (
                        active[other]
                        and per_b[current[other]] > x
                        and (top < 0 or dur[other] > dur[top])
                    ):
                        top = other
                if top >= 0:
                    kt = current[top]
                    overlap = min(per_b[kt], per_b[ended]) - max(per_a[kt], per_a[ended])
                    if overlap > 0:
                        shifting[top] += overlap
                        shifting[s] += overlap
    return momentary, shifting


@njit(cache=True)
def _ends_in_order(per_st, per_a, per_b, candidate):
    last = -np.inf
    for k in range(per_st.shape[0]):
        if candidate[per_st[k]] and per_b[k] > per_a[k]:
            if per_b[k] < last:
                return False
            last = per_b[k]
    return True


@njit(cache=True)
def sweep(per_st, per_a, per_b, candidate, n_st):
    """Momentary and shifting bottleneck time of each station.

    Periods recorded in order of their end (as the kernel does) take the faster
    :func:`_sweep_by_end`; any other order the general sweep. Returns ``(momentary,
    shifting)`` in seconds per station.
    """
    if _ends_in_order(per_st, per_a, per_b, candidate):
        return _sweep_by_end(per_st, per_a, per_b, candidate, n_st)
    return _sweep_general(per_st, per_a, per_b, candidate, n_st)


def bottleneck_shares(
    per_st: np.ndarray,
    per_a: np.ndarray,
    per_b: np.ndarray,
    candidate: np.ndarray,
    window: float,
    pst_rec: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Shares of ``window`` each station is the momentary / a shifting bottleneck.

    ``pst_rec``: the event kernel's log of period starts (the index of each one's period
    record, or -1 for none), in time order; with it the sweep needs no heap.
    """
    n_st = len(candidate)
    if window <= 0:
        return np.zeros(n_st), np.zeros(n_st)
    cand = candidate.astype(np.bool_)
    if pst_rec is not None and len(pst_rec) > 0:
        momentary, shifting = _sweep_logged(per_st, per_a, per_b, pst_rec, cand, n_st)
    else:
        momentary, shifting = sweep(per_st, per_a, per_b, cand, n_st)
    return momentary / window, shifting / window
