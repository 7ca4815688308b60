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
def sweep(per_st, per_a, per_b, candidate, n_st):
    """Momentary and shifting bottleneck time of each station.

    Returns ``(momentary, shifting)``, arrays of seconds per station.
    """
    momentary = np.zeros(n_st)
    shifting = np.zeros(n_st)
    n = 0
    for k in range(per_st.shape[0]):
        if candidate[per_st[k]] and per_b[k] > per_a[k]:
            n += 1
    if n == 0:
        return momentary, shifting
    st = np.empty(n, dtype=np.int64)
    a = np.empty(n)
    b = np.empty(n)
    j = 0
    for k in range(per_st.shape[0]):
        if candidate[per_st[k]] and per_b[k] > per_a[k]:
            st[j], a[j], b[j] = per_st[k], per_a[k], per_b[k]
            j += 1
    order = np.argsort(a, kind="mergesort")
    xs = np.unique(np.concatenate((a, b)))
    heap_d = np.empty(n)  # max-heap of durations
    heap_p = np.empty(n, dtype=np.int64)
    size = 0
    nxt = 0
    prev = -1
    for i in range(xs.shape[0] - 1):
        x0, x1 = xs[i], xs[i + 1]
        while nxt < n and a[order[nxt]] <= x0:
            p = order[nxt]
            nxt += 1
            # push (duration, p)
            d = b[p] - a[p]
            c = size
            size += 1
            while c > 0:
                parent = (c - 1) >> 1
                if heap_d[parent] >= d:
                    break
                heap_d[c], heap_p[c] = heap_d[parent], heap_p[parent]
                c = parent
            heap_d[c], heap_p[c] = d, p
        # drop periods that are over
        while size > 0 and b[heap_p[0]] <= x0:
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
        if size == 0:
            prev = -1
            continue
        top = heap_p[0]
        momentary[st[top]] += x1 - x0
        if prev >= 0 and top != prev and st[top] != st[prev]:
            overlap = min(b[prev], b[top]) - max(a[prev], a[top])
            if overlap > 0:
                shifting[st[prev]] += overlap
                shifting[st[top]] += overlap
        prev = top
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
