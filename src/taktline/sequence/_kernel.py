"""Compiled local-search kernel (numba): incremental evaluation of swap, insertion and
reversal moves over only the windows and colour pairs they touch.

The sequence ``seq`` holds class ids (cars with the same options and colour are one
class); ``seq[:n0]`` is a fixed prefix (ROADEF's day D-1). For each ratio constraint
``k`` the score counts ``cost[k, c]`` for every window ``seq[i : min(i + P[k], n)]``
with ``wlo[k] <= i <= whi[k]`` holding ``c`` cars with the option; plus ``wcol`` per
colour change at positions ``>= n0``. Runs of one colour within ``seq[n0:]`` may not
exceed ``limit`` (a hard constraint: a move that would break it is never applied).

A move on positions ``a < b`` changes the sequence only inside ``[a, b]``:

* windows that contain ``a`` or ``b`` are re-counted by sliding over the new and the
  old sequence (``O(P)``);
* windows strictly between them are unchanged (swap), permuted among themselves
  (reversal: same multiset of counts) or shifted by one (insertion: their sum
  telescopes to two terms);
* colour pairs likewise: only those at the ends of the segment change.

So a move costs ``O(sum P)`` whatever its length, and applying it costs ``O(b - a)``.
The random numbers come from a xorshift64* generator whose state is an array, so that
a run is reproducible for a given seed and iteration count, however it is chunked.
"""

from __future__ import annotations

import numpy as np
from numba import njit

SWAP, FWD, BWD, REV = 0, 1, 2, 3


@njit(cache=True)
def _rand(state):
    x = state[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    state[0] = x
    return (x * np.uint64(2685821657736338717)) >> np.uint64(11)  # 53 random bits


@njit(cache=True)
def _randint(state, n):
    return np.int64(_rand(state) % np.uint64(n))


@njit(cache=True)
def _new(seq, mt, a, b, pos):
    """Class at ``pos`` after move ``mt`` on ``a < b`` (the sequence is not changed)."""
    if pos < a or pos > b:
        return seq[pos]
    if mt == SWAP:
        if pos == a:
            return seq[b]
        if pos == b:
            return seq[a]
        return seq[pos]
    if mt == FWD:  # the car at a moves to b
        if pos == b:
            return seq[a]
        return seq[pos + 1]
    if mt == BWD:  # the car at b moves to a
        if pos == a:
            return seq[b]
        return seq[pos - 1]
    return seq[a + b - pos]  # REV


@njit(cache=True)
def _slide(seq, mt, a, b, k, lo, hi, p, n, copt, cost):
    """Cost change of the windows starting in ``[lo, hi]`` for constraint ``k``."""
    if lo > hi:
        return 0
    co = 0
    cn = 0
    end = min(lo + p, n)
    for pos in range(lo, end):
        co += copt[k, seq[pos]]
        cn += copt[k, _new(seq, mt, a, b, pos)]
    d = 0
    for i in range(lo, hi + 1):
        d += cost[k, cn] - cost[k, co]
        co -= copt[k, seq[i]]
        cn -= copt[k, _new(seq, mt, a, b, i)]
        j = i + p
        if j < n:
            co += copt[k, seq[j]]
            cn += copt[k, _new(seq, mt, a, b, j)]
    return d


@njit(cache=True)
def _count(seq, k, i, p, n, copt):
    c = 0
    for pos in range(i, min(i + p, n)):
        c += copt[k, seq[pos]]
    return c


@njit(cache=True)
def _ratio_delta(seq, mt, a, b, k, P, wlo, whi, copt, cost):
    n = seq.shape[0]
    p = P[k]
    lo1 = max(a - p + 1, wlo[k])
    hi1 = min(a, whi[k])
    lo2 = max(b - p + 1, wlo[k])
    hi2 = min(b, whi[k])
    if lo2 <= hi1 + 1:
        d = _slide(seq, mt, a, b, k, lo1, hi2, p, n, copt, cost)
    else:
        d = _slide(seq, mt, a, b, k, lo1, hi1, p, n, copt, cost)
        d += _slide(seq, mt, a, b, k, lo2, hi2, p, n, copt, cost)
    if b - p >= a + 1:  # windows strictly inside (a, b)
        if mt == FWD:
            d += cost[k, _count(seq, k, b - p + 1, p, n, copt)]
            d -= cost[k, _count(seq, k, a + 1, p, n, copt)]
        elif mt == BWD:
            d += cost[k, _count(seq, k, a, p, n, copt)]
            d -= cost[k, _count(seq, k, b - p, p, n, copt)]
    return d


@njit(cache=True)
def _pair(seq, mt, a, b, p, n0, n, ccol, new):
    """1 if the colour changes between positions p-1 and p (0 outside day D)."""
    if p < n0 or p < 1 or p >= n:
        return 0
    if new:
        return 1 if ccol[_new(seq, mt, a, b, p - 1)] != ccol[_new(seq, mt, a, b, p)] else 0
    return 1 if ccol[seq[p - 1]] != ccol[seq[p]] else 0


@njit(cache=True)
def _colour_delta(seq, mt, a, b, n0, ccol):
    n = seq.shape[0]
    if mt == SWAP:
        d = _pair(seq, mt, a, b, a, n0, n, ccol, True) - _pair(seq, mt, a, b, a, n0, n, ccol, False)
        d += _pair(seq, mt, a, b, a + 1, n0, n, ccol, True)
        d -= _pair(seq, mt, a, b, a + 1, n0, n, ccol, False)
        if b > a + 1:
            d += _pair(seq, mt, a, b, b, n0, n, ccol, True)
            d -= _pair(seq, mt, a, b, b, n0, n, ccol, False)
        d += _pair(seq, mt, a, b, b + 1, n0, n, ccol, True)
        d -= _pair(seq, mt, a, b, b + 1, n0, n, ccol, False)
        return d
    if mt == REV:
        return (
            _pair(seq, mt, a, b, a, n0, n, ccol, True)
            + _pair(seq, mt, a, b, b + 1, n0, n, ccol, True)
            - _pair(seq, mt, a, b, a, n0, n, ccol, False)
            - _pair(seq, mt, a, b, b + 1, n0, n, ccol, False)
        )
    if mt == FWD:
        return (
            _pair(seq, mt, a, b, a, n0, n, ccol, True)
            + _pair(seq, mt, a, b, b, n0, n, ccol, True)
            + _pair(seq, mt, a, b, b + 1, n0, n, ccol, True)
            - _pair(seq, mt, a, b, a, n0, n, ccol, False)
            - _pair(seq, mt, a, b, a + 1, n0, n, ccol, False)
            - _pair(seq, mt, a, b, b + 1, n0, n, ccol, False)
        )
    # BWD
    return (
        _pair(seq, mt, a, b, a, n0, n, ccol, True)
        + _pair(seq, mt, a, b, a + 1, n0, n, ccol, True)
        + _pair(seq, mt, a, b, b + 1, n0, n, ccol, True)
        - _pair(seq, mt, a, b, a, n0, n, ccol, False)
        - _pair(seq, mt, a, b, b, n0, n, ccol, False)
        - _pair(seq, mt, a, b, b + 1, n0, n, ccol, False)
    )


@njit(cache=True)
def _run_ok(seq, mt, a, b, x, n0, ccol, limit):
    """Whether the run of one colour through ``x`` stays within ``limit`` after the move."""
    n = seq.shape[0]
    c = ccol[_new(seq, mt, a, b, x)]
    length = 1
    y = x - 1
    while y >= n0 and ccol[_new(seq, mt, a, b, y)] == c:
        length += 1
        if length > limit:
            return False
        y -= 1
    y = x + 1
    while y < n and ccol[_new(seq, mt, a, b, y)] == c:
        length += 1
        if length > limit:
            return False
        y += 1
    return True


REJECT = np.int64(1) << np.int64(62)


@njit(cache=True)
def move_delta(
    seq, mt, a, b, n0, copt, ccol, P, wlo, whi, cost, wcol, limit, check_runs, crank, colrank
):
    """Score change of move ``mt`` on ``a < b``, or ``REJECT``.

    The criteria are evaluated rank by rank (``crank[k]``: rank of constraint ``k``,
    ``colrank``: rank of the colour changes; rank 3 = not scored) and the move is
    rejected as soon as a rank gets worse before any got better: the lexicographic
    order of the challenge, which its weights (10^6, 10^3, 1) give in all but
    pathological cases. (The caller still accepts only a total delta <= 0.) A move that
    breaks the batch limit is rejected first.
    """
    if check_runs:
        if not _run_ok(seq, mt, a, b, a, n0, ccol, limit):
            return REJECT
        if not _run_ok(seq, mt, a, b, b, n0, ccol, limit):
            return REJECT
    total = np.int64(0)
    better = False  # a higher rank improved: the lower ones no longer decide
    for r in range(3):
        d = np.int64(0)
        if colrank == r:
            d += wcol * _colour_delta(seq, mt, a, b, n0, ccol)
        for k in range(P.shape[0]):
            if crank[k] == r:
                d += _ratio_delta(seq, mt, a, b, k, P, wlo, whi, copt, cost)
        if d > 0 and not better:
            return REJECT
        if d < 0:
            better = True
        total += d
    return total


@njit(cache=True)
def _conflicts(seq, n0, copt, P, wlo, whi, cost, crank, top, mark, out):
    """Day-D positions holding an option of rank ``top`` inside a costly window; returns
    how many were written to ``out``."""
    n = seq.shape[0]
    mark[:] = 0
    for k in range(P.shape[0]):
        if crank[k] != top:
            continue
        p = P[k]
        if wlo[k] > whi[k]:
            continue
        c = _count(seq, k, wlo[k], p, n, copt)
        for i in range(wlo[k], whi[k] + 1):
            if cost[k, c] > 0:
                for pos in range(max(i, n0), min(i + p, n)):
                    if copt[k, seq[pos]]:
                        mark[pos] = 1
            c -= copt[k, seq[i]]
            if i + p < n:
                c += copt[k, seq[i + p]]
    count = 0
    for pos in range(n0, n):
        if mark[pos]:
            out[count] = pos
            count += 1
    return count


@njit(cache=True)
def apply_move(seq, mt, a, b):
    if mt == SWAP:
        t = seq[a]
        seq[a] = seq[b]
        seq[b] = t
    elif mt == FWD:
        t = seq[a]
        for i in range(a, b):
            seq[i] = seq[i + 1]
        seq[b] = t
    elif mt == BWD:
        t = seq[b]
        for i in range(b, a, -1):
            seq[i] = seq[i - 1]
        seq[a] = t
    else:
        i = a
        j = b
        while i < j:
            t = seq[i]
            seq[i] = seq[j]
            seq[j] = t
            i += 1
            j -= 1


@njit(cache=True)
def score(seq, n0, copt, ccol, P, wlo, whi, cost, wcol):
    """The whole score from scratch (used to start and to cross-check)."""
    n = seq.shape[0]
    s = np.int64(0)
    for k in range(P.shape[0]):
        for i in range(wlo[k], whi[k] + 1):
            s += cost[k, _count(seq, k, i, P[k], n, copt)]
    if wcol != 0:
        for p in range(max(n0, 1), n):
            if ccol[seq[p - 1]] != ccol[seq[p]]:
                s += wcol
    return s


@njit(cache=True)
def _pick_partner(state, a, n0, n, local):
    if local > 0 and _randint(state, 2) == 0:
        off = 1 + _randint(state, local)
        if _randint(state, 2) == 0:
            off = -off
        b = a + off
        if b < n0:
            b = n0
        if b >= n:
            b = n - 1
        return b
    return n0 + _randint(state, n - n0)


@njit(cache=True)
def _pick_same_colour(state, a, n0, n, seq, ccol, tries):
    """A position next to a car of ``a``'s colour (insertion targets for paint batching)."""
    c = ccol[seq[a]]
    for _ in range(tries):
        b = n0 + _randint(state, n - n0)
        if b != a and ccol[seq[b]] == c:
            return b
    return n0 + _randint(state, n - n0)


@njit(cache=True)
def run(
    seq,
    n0,
    copt,
    ccol,
    P,
    wlo,
    whi,
    cost,
    wcol,
    limit,
    state,
    iters,
    probs,
    local,
    colour_moves,
    current,
    target,
    crank,
    colrank,
    focus,
):
    """``iters`` iterations of descent with sideways moves (accept if delta <= 0).

    ``probs``: cumulative probabilities of swap, forward insertion, backward insertion
    (reversal takes the rest). With probability ``focus``/1000 the first position is
    drawn among the cars in a costly window of the first-ranked ratio constraints (the
    list is refreshed every 256 iterations). Stops early at ``target``. Returns ``(score, accepted
    moves, improving moves, iterations done)``.
    """
    n = seq.shape[0]
    m = n - n0
    accepted = 0
    improved = 0
    if m < 2:
        return current, accepted, improved, 0
    check_runs = limit < m
    done = 0
    top = 3  # the best rank held by a ratio constraint
    for k in range(P.shape[0]):
        top = min(top, crank[k])
    mark = np.zeros(n, np.uint8)
    conf = np.zeros(n, np.int64)
    nconf = 0
    for _ in range(iters):
        if current <= target:
            break
        done += 1
        a = n0 + _randint(state, m)
        if focus > 0:
            if done % 256 == 1:  # refresh the conflict list now and then (positions drift)
                nconf = _conflicts(seq, n0, copt, P, wlo, whi, cost, crank, top, mark, conf)
            if nconf > 0 and _randint(state, 1000) < focus:
                a = conf[_randint(state, nconf)]
        if colour_moves > 0 and _randint(state, 1000) < colour_moves:
            b = _pick_same_colour(state, a, n0, n, seq, ccol, 8)
        else:
            b = _pick_partner(state, a, n0, n, local)
        if a == b:
            continue
        r = _randint(state, 1 << 20) / float(1 << 20)
        if r < probs[0]:
            mt = SWAP
        elif r < probs[1]:
            mt = FWD
        elif r < probs[2]:
            mt = BWD
        else:
            mt = REV
        if a > b:
            a, b = b, a
            if mt == FWD:
                mt = BWD
            elif mt == BWD:
                mt = FWD
        if mt == SWAP and seq[a] == seq[b]:
            continue
        d = move_delta(
            seq,
            mt,
            a,
            b,
            n0,
            copt,
            ccol,
            P,
            wlo,
            whi,
            cost,
            wcol,
            limit,
            check_runs,
            crank,
            colrank,
        )
        if d <= 0:
            apply_move(seq, mt, a, b)
            current += d
            accepted += 1
            if d < 0:
                improved += 1
    return current, accepted, improved, done
