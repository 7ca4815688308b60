"""Exact bin packing of a multiset of task times: a lower bound for SALBP-1 states.

Precedence ignored, the tasks left at a state need at least as many stations
as their times need bins of size c. The LB1-LB3 and Martello-Toth bounds
estimate that number; on graphs with many tasks just over a third or a half of
c (Wee-Mag is the classic one) they fall one short, and only the exact
bin-packing optimum closes the gap. Sewell & Jacobson's BB&R computes it at
every new state with a small exact search; this is ours:

* a state is the multiset of remaining sizes, as counts per distinct size
  (largest first), so states with other tasks of the same sizes are the same;
* bounds L1 and Martello-Toth's L2 against first-fit decreasing: most states
  end there;
* otherwise branch on the bins that hold the largest item (Eilon & Christofides'
  bin completion: the maximal sets that fit beside it, fullest first);
* every solved multiset is remembered with its optimum, so later states that
  share it cost one hash lookup;
* a budget of nodes per call: when it runs out the call returns -1 (no bound)
  and the caller may give up on the bound for this search.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from taktline.balance._hashtab import find_row, insert_row


@njit(cache=True)
def mt_bound(tt, r, c):
    """Martello & Toth's L2 bin-packing bound of the times ``tt[:r]`` (sorted, longest first)."""
    nb = 0
    sb = 0
    while nb < r and 2 * tt[nb] > c:
        sb += tt[nb]
        nb += 1
    best = nb
    # k runs over the distinct small times, largest first; J3 = small tasks with t >= k
    a = nb  # tasks with t > c - k, among the big ones (a pointer that only moves left)
    s1 = sb  # their total time
    s3 = 0
    for p in range(nb, r):
        s3 += tt[p]
        if p + 1 < r and tt[p + 1] == tt[p]:
            continue
        k = tt[p]
        while a > 0 and tt[a - 1] <= c - k:
            a -= 1
            s1 -= tt[a]
        n2 = nb - a
        s2 = sb - s1
        extra = s3 - (n2 * c - s2)
        v = nb
        if extra > 0:
            v += (extra + c - 1) // c
        if v > best:
            best = v
    return best


@njit(cache=True)
def _memo_store(keys, vals, htab, used, counts, value):
    s = used[0]
    if s >= keys.shape[0]:  # full: forget everything and start again (cheaper than LRU)
        htab[:] = -1
        s = 0
    used[0] = s + 1
    for j in range(counts.shape[0]):
        keys[s, j] = counts[j]
    vals[s] = value
    insert_row(htab, keys, s)


@njit(cache=True)
def _lower(counts, sizes, c, tt):
    """max(L1, Martello-Toth L2) of the multiset."""
    r = 0
    total = 0
    for j in range(counts.shape[0]):
        for _ in range(counts[j]):
            tt[r] = sizes[j]
            r += 1
        total += counts[j] * sizes[j]
    lb = (total + c - 1) // c
    b = mt_bound(tt, r, c)
    return lb if lb > b else b


@njit(cache=True)
def _ffd(counts, sizes, c, room):
    """Bins used by first-fit decreasing."""
    nb = 0
    for j in range(counts.shape[0]):
        s = sizes[j]
        for _ in range(counts[j]):
            placed = False
            for b in range(nb):
                if room[b] >= s:
                    room[b] -= s
                    placed = True
                    break
            if not placed:
                room[nb] = c - s
                nb += 1
    return nb


@njit(cache=True)
def _dominated(counts, sizes, i0, x, rem):
    """Whether the bin (the largest item plus ``x``) is dominated (Martello & Toth; Korf).

    It is when an item left out could take the place of one item in the bin that is
    smaller, or of two whose sum it reaches, and still fit: some optimal packing
    then uses the other bin, so this one needs no branch.
    """
    k = counts.shape[0]
    for q in range(i0, k):
        if x[q] == 0:
            continue
        a = sizes[q]
        for p in range(i0, q):  # larger sizes left out
            if counts[p] > x[p] and sizes[p] <= rem + a:
                return True
        for q2 in range(q, k):
            if x[q2] == 0 or (q2 == q and x[q] < 2):
                continue
            pair = a + sizes[q2]
            for p in range(i0, k):
                if sizes[p] < pair:
                    break
                if counts[p] > x[p] and sizes[p] <= rem + pair:
                    return True
    return False


@njit(cache=True)
def _completions(counts, sizes, i0, rem0, pool, top, budget):
    """Write to ``pool[top:]`` every maximal multiset of sizes i0.. with total <= ``rem0``.

    A row holds the count taken of each size. Multisets are visited in
    lexicographic order, largest counts first (an odometer, not recursion: numba
    cannot reload recursive functions from its cache); each one visited costs
    ``budget[0]`` one unit per size it looks at. Returns the new top, or -1 when
    the pool is full or the budget runs out.
    """
    k = counts.shape[0]
    x = np.zeros(k, dtype=np.int64)
    rem_at = np.zeros(k + 1, dtype=np.int64)
    rem_at[i0] = rem0
    j = i0  # fill positions j.. greedily, then record the leaf
    while True:
        for q in range(j, k):
            take = min(counts[q], rem_at[q] // sizes[q])
            x[q] = take
            rem_at[q + 1] = rem_at[q] - take * sizes[q]
        budget[0] -= k - i0  # the work of a visit: refill and maximality check
        if budget[0] < 0:
            return -1
        rem = rem_at[k]
        maximal = True
        for q in range(i0, k):
            if counts[q] > x[q] and sizes[q] <= rem:
                maximal = False
                break
        if maximal and not _dominated(counts, sizes, i0, x, rem):
            if top >= pool.shape[0]:
                return -1
            for q in range(k):
                pool[top, q] = x[q]
            top += 1
        # next: take one less of the last size that has any (nothing before i0)
        j = k - 1
        while j >= i0 and x[j] == 0:
            j -= 1
        if j < i0:
            return top
        x[j] -= 1
        rem_at[j + 1] = rem_at[j] - x[j] * sizes[j]
        j += 1  # refill the positions after it (none after the last: a leaf as it is)


@njit(cache=True)
def bin_opt(counts, n_items, sizes, c, keys, vals, htab, used, budget, tt, room):
    """Fewest bins of size ``c`` for ``counts[j]`` items of size ``sizes[j]`` (largest first).

    Depth-first over the bins that hold the largest item left, fullest first, with
    an explicit stack. ``counts`` is used as scratch (restored when the call
    completes). A node costs ``budget[0]`` one unit per item, a multiset looked at
    for a bin one per size; returns -1 when it runs out or the bins on the current path do
    not fit the scratch pool.
    """
    if n_items == 0:
        return 0
    k = counts.shape[0]
    pool = np.zeros((4096, k), dtype=np.int64)
    fill = np.zeros(4096, dtype=np.int64)
    order = np.zeros(4096, dtype=np.int64)
    # one frame per bin on the path
    depth_max = n_items + 1
    f_start = np.zeros(depth_max, dtype=np.int64)
    f_end = np.zeros(depth_max, dtype=np.int64)
    f_next = np.zeros(depth_max, dtype=np.int64)
    f_i0 = np.zeros(depth_max, dtype=np.int64)
    f_best = np.zeros(depth_max, dtype=np.int64)
    f_lb = np.zeros(depth_max, dtype=np.int64)
    f_items = np.zeros(depth_max, dtype=np.int64)
    f_child = np.zeros(depth_max, dtype=np.int64)  # pool row of the bin taken now
    top = 0
    d = -1  # the open frame; -1: none yet
    items = n_items
    value = -1  # a settled sub-result on its way up
    while True:
        if value < 0:
            # settle or open the multiset ``counts`` (``items`` items)
            if items == 0:
                value = 0
            else:
                budget[0] -= items  # a node's bounds cost about its number of items
                if budget[0] < 0:
                    return -1
                s = find_row(htab, keys, counts)
                if s >= 0:
                    value = vals[s]
                else:
                    lb = _lower(counts, sizes, c, tt)
                    ub = _ffd(counts, sizes, c, room)
                    budget[0] -= items * (ub // 8)  # first fit looks at up to ub bins an item
                    if lb >= ub:
                        _memo_store(keys, vals, htab, used, counts, ub)
                        value = ub
                    else:
                        i0 = 0
                        while counts[i0] == 0:
                            i0 += 1
                        counts[i0] -= 1
                        end = _completions(counts, sizes, i0, c - sizes[i0], pool, top, budget)
                        if end < 0:
                            return -1
                        for e in range(top, end):
                            f = sizes[i0]
                            for q in range(k):
                                f += pool[e, q] * sizes[q]
                            fill[e] = -f
                        ranked = np.argsort(fill[top:end], kind="mergesort")
                        for e in range(end - top):
                            order[top + e] = top + ranked[e]
                        d += 1
                        f_start[d], f_end[d], f_next[d] = top, end, top
                        f_i0[d], f_best[d], f_lb[d], f_items[d] = i0, ub, lb, items
                        top = end
        else:
            if d < 0:
                return value
            # a child of frame d settled: take the bin back out
            row = f_child[d]
            for q in range(k):
                counts[q] += pool[row, q]
            if 1 + value < f_best[d]:
                f_best[d] = 1 + value
            value = -1
        if value >= 0:
            continue
        # frame d: try its next bin, or settle it
        if f_next[d] < f_end[d] and f_best[d] > f_lb[d]:
            row = order[f_next[d]]
            f_next[d] += 1
            f_child[d] = row
            taken = 0
            for q in range(k):
                counts[q] -= pool[row, q]
                taken += pool[row, q]
            items = f_items[d] - 1 - taken
            continue
        counts[f_i0[d]] += 1
        value = f_best[d]
        _memo_store(keys, vals, htab, used, counts, value)
        top = f_start[d]
        d -= 1
        if d < 0:
            return value


class NodeBound(NamedTuple):
    """What the search's node-level bound works with (one per search; numba takes it whole).

    ``ctl`` holds the switches and counters named ``BP_*`` in ``_kernels``.
    """

    ctl: np.ndarray
    c: int
    sizes: np.ndarray  # distinct task times, largest first
    size_index: np.ndarray  # per task (in the search's numbering): its index in sizes
    counts: np.ndarray
    keys: np.ndarray
    vals: np.ndarray
    htab: np.ndarray
    used: np.ndarray
    budget: np.ndarray
    tt: np.ndarray
    room: np.ndarray


def node_bound(times: np.ndarray, c: int, memory: int = 1 << 23) -> NodeBound:
    """A fresh :class:`NodeBound` for tasks with these times (in the search's numbering).

    It starts switched off (``ctl`` all zero); the memo of solved multisets takes about
    ``memory`` bytes.
    """
    sizes = np.unique(np.asarray(times, dtype=np.int64))[::-1].copy()
    fits = memory // (2 * len(sizes) + 24)
    capacity = 1 << max(12, min(18, fits.bit_length() - 1))  # a power of two: hash masks
    index = {int(s): j for j, s in enumerate(sizes)}
    size_index = np.array([index[int(v)] for v in times], dtype=np.int64)
    n = len(times)
    return NodeBound(
        ctl=np.zeros(5, dtype=np.int64),
        c=int(c),
        sizes=sizes,
        size_index=size_index,
        counts=np.zeros(len(sizes), dtype=np.int64),
        keys=np.zeros((capacity, len(sizes)), dtype=np.int16),
        vals=np.zeros(capacity, dtype=np.int64),
        htab=np.full(2 * capacity, -1, dtype=np.int64),
        used=np.zeros(1, dtype=np.int64),
        budget=np.zeros(1, dtype=np.int64),
        tt=np.zeros(n + 1, dtype=np.int64),
        room=np.zeros(n + 1, dtype=np.int64),
    )


def bin_packing_optimum(times: np.ndarray | list[int], c: int, budget: int = 1_000_000) -> int:
    """Fewest bins of size ``c`` for ``times``; -1 when ``budget`` units do not settle it."""
    t = np.asarray(times, dtype=np.int64)
    if len(t) == 0:
        return 0
    nb = node_bound(t, c)
    counts = np.bincount(nb.size_index, minlength=len(nb.sizes)).astype(np.int64)
    nb.budget[0] = budget
    return int(
        bin_opt(
            counts,
            len(t),
            nb.sizes,
            nb.c,
            nb.keys,
            nb.vals,
            nb.htab,
            nb.used,
            nb.budget,
            nb.tt,
            nb.room,
        )
    )
