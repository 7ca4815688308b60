"""Bottleneck detection by the active-period method (Roser, Nakano & Tanaka 2001, 2002).

A station is *active* while it works or is being repaired, *inactive* while it
waits for a job (starved) or for room downstream (blocked). At every moment the
*momentary bottleneck* is the station whose current active period is the longest
one (in total duration): it is the one holding the others up. Where the active
periods of the old and the new momentary bottleneck overlap, the bottleneck is
*shifting* and both count. The station that is the momentary bottleneck for the
largest share of time is *the* bottleneck.

The kernel records active periods as ``(station, start, end)``; :func:`sweep`
walks them in time order with a max-heap on duration.
"""

from __future__ import annotations

import numpy as np
from numba import njit


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
def sweep(per_st, per_a, per_b, candidate, n_st):
    """Momentary and shifting bottleneck time of each station.

    Each station has at most one active period at a time, so the periods are merged
    by start time station by station (O(P log S)) and the running maximum kept in a
    max-heap on duration with lazy deletion. Returns ``(momentary, shifting)`` in s.
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
    # k-way merge by start: a min-heap of (next start, station) as negated max-heap
    cursor = count[:n_st].copy()
    m_key = np.empty(n_st)
    m_st = np.empty(n_st, dtype=np.int64)
    m_size = 0
    for s in range(n_st):
        if cursor[s] < count[s + 1]:
            m_size = _heap_push(m_key, m_st, m_size, -per_a[idx[cursor[s]]], s)
    heap_d = np.empty(total + 1)
    heap_p = np.empty(total + 1, dtype=np.int64)
    size = 0
    x_prev = -np.inf
    prev = -1
    while m_size > 0 or size > 0:
        x = np.inf
        if m_size > 0:
            x = -m_key[0]
        # account for time up to x: the top changes only when it ends
        while size > 0:
            top = heap_p[0]
            end = per_b[top]
            upto = end if end < x else x
            if upto > x_prev:
                s_top = per_st[top]
                momentary[s_top] += upto - x_prev
                if prev >= 0 and prev != top and per_st[prev] != s_top:
                    overlap = min(per_b[prev], end) - max(per_a[prev], per_a[top])
                    if overlap > 0:
                        shifting[per_st[prev]] += overlap
                        shifting[s_top] += overlap
                prev = top
                x_prev = upto
            if end <= x:
                size = _heap_pop(heap_d, heap_p, size)
                while size > 0 and per_b[heap_p[0]] <= x_prev:
                    size = _heap_pop(heap_d, heap_p, size)
            else:
                break
        if m_size == 0:
            break
        if size == 0:
            prev = -1 if x > x_prev else prev
            x_prev = x
        # take the next period by start
        s = m_st[0]
        m_size = _heap_pop(m_key, m_st, m_size)
        k = idx[cursor[s]]
        cursor[s] += 1
        if cursor[s] < count[s + 1]:
            m_size = _heap_push(m_key, m_st, m_size, -per_a[idx[cursor[s]]], s)
        size = _heap_push(heap_d, heap_p, size, per_b[k] - per_a[k], k)
    return momentary, shifting


def bottleneck_shares(
    per_st: np.ndarray, per_a: np.ndarray, per_b: np.ndarray, candidate: np.ndarray,
    window: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Shares of ``window`` each station is the momentary / a shifting bottleneck."""
    n_st = len(candidate)
    if window <= 0:
        return np.zeros(n_st), np.zeros(n_st)
    momentary, shifting = sweep(per_st, per_a, per_b, candidate.astype(np.bool_), n_st)
    return momentary / window, shifting / window
