"""Compiled (numba) kernels of the SALBP solvers.

Tasks here are 0-based and numbered in a topological order of the graph being
searched (the file's graph or its mirror image); ``_problem.Prepared`` builds
the arrays. Sets of tasks are bitsets: ``W`` words of 64 bits.

The exact search is branch, bound and remember in the style of Sewell &
Jacobson (2012): station-oriented branching over maximal loads (Hoffmann
1963), the bounds LB1-LB3 of Scholl & Becker (2006) and a tail bound from the
precedence graph (:func:`tail_bound`), Jackson's dominance rule
(strengthened: by transitive successors), the successor rule, and a hash table
of the task sets already explored with the fewest stations that reached them
(the "remember" part). The search is a depth-first search whose whole state
lives in arrays owned by the caller, so it can stop after a budget of node
expansions and resume exactly where it was (time limits, and alternating the
forward and the mirrored search).
"""

from __future__ import annotations

import time

import numpy as np
from numba import njit, objmode

from taktline.balance._binpack import bin_opt, mt_bound
from taktline.balance._hashtab import find_row, insert_row

_ONE = np.uint64(1)
_EMPTY = np.int16(0)

# status codes of _dfs
FINISHED = 0
BUDGET = 1
GROW_MEMO = 2  # the state store, its hash table or a heap
GROW_POOL = 3
FULL = 4  # more states than the heap items can index

FILL_LOOK = 12  # candidates up to which the fill bound is tried (``expand``)

_IDX_BITS = 27
_IDX = (1 << _IDX_BITS) - 1


@njit(cache=True)
def _now():
    with objmode(now="float64"):
        now = time.monotonic()
    return now


@njit(cache=True, inline="always")
def _has(words, k):
    return (words[k >> 6] >> np.uint64(k & 63)) & _ONE


@njit(cache=True)
def lower_bound(r1, r2, r3, c):
    """max(LB1, LB2, LB3) of a set of tasks from its sums of t, of 2-weights and of 6-weights."""
    lb = (r1 + c - 1) // c
    b = (r2 + 1) // 2
    if b > lb:
        lb = b
    b = (r3 + 5) // 6
    if b > lb:
        lb = b
    return lb


@njit(cache=True)
def tail_bound(tq, c):
    """Stations that a set of tasks needs, given the stations each one's tail needs.

    ``tq[:, g]`` holds the sums of t, of the LB2 and of the LB3 weights of the tasks
    whose tail (the task and its transitive successors) needs ``g`` stations at
    least. Such a task must sit in one of the first ``M - g + 1`` of ``M``
    stations, so all tasks with a tail of ``g`` or more fill the first
    ``M - g + 1``: ``M >= g - 1 + LB(those tasks)`` for every ``g``. With ``g = 1``
    that is LB1-LB3 of the whole set. Clears ``tq`` (columns 1..) on the way.
    """
    s1 = 0
    s2 = 0
    s3 = 0
    best = 0
    for g in range(tq.shape[1] - 1, 0, -1):
        if tq[0, g] == 0:
            continue
        s1 += tq[0, g]
        s2 += tq[1, g]
        s3 += tq[2, g]
        tq[0, g] = 0
        tq[1, g] = 0
        tq[2, g] = 0
        b = g - 1 + lower_bound(s1, s2, s3, c)
        if b > best:
            best = b
    return best


# bp.ctl fields: the node-level bin-packing bound and its bookkeeping
BP_ON = 0  # 1 while the bound is worth its cost
BP_BUDGET = 1  # nodes one call may spend
BP_CALLS = 2
BP_GAINS = 3  # calls that raised the state's lower bound
BP_FAILS = 4  # calls that ran out of budget


@njit(cache=True)
def _bin_bound(child, n, lb, bp):
    """Exact bin packing of the tasks outside ``child`` (0 if not known), with self-tuning.

    The bound switches itself off after three calls that ran out of budget, or when
    after 30 calls or more fewer than 5 % raised a lower bound: on such graphs it
    costs more than it prunes.
    """
    ctl = bp.ctl
    counts = bp.counts
    for j in range(counts.shape[0]):
        counts[j] = 0
    left = 0
    for q in range(n):
        if not _has(child, q):
            counts[bp.size_index[q]] += 1
            left += 1
    bp.budget[0] = ctl[BP_BUDGET]
    z = bin_opt(
        counts, left, bp.sizes, bp.c, bp.keys, bp.vals, bp.htab, bp.used, bp.budget, bp.tt, bp.room
    )
    ctl[BP_CALLS] += 1
    if z < 0:
        ctl[BP_FAILS] += 1
        if ctl[BP_FAILS] >= 3:
            ctl[BP_ON] = 0
        return 0
    if z > lb:
        ctl[BP_GAINS] += 1
    elif ctl[BP_CALLS] >= 30 and 20 * ctl[BP_GAINS] < ctl[BP_CALLS]:
        ctl[BP_ON] = 0
    return z


@njit(cache=True)
def _reach(k, rem, t, rptr, rthr, rcum):
    """Most time task k and its successors can bring into a station with ``rem`` left.

    ``rthr[rptr[k]:rptr[k + 1]]``: for each successor j of k, the least room that
    takes it in beside k (t_k, the tasks between them and t_j), ascending;
    ``rcum``: the running sum of those successors' times. Capped at ``rem``.
    """
    lo = rptr[k]
    hi = rptr[k + 1]
    while lo < hi:  # the first threshold above rem
        mid = (lo + hi) >> 1
        if rthr[mid] <= rem:
            lo = mid + 1
        else:
            hi = mid
    v = t[k]
    if lo > rptr[k]:
        v += rcum[lo - 1]
    return v if v < rem else rem


@njit(cache=True)
def expand(
    S,
    d,
    n,
    t,
    pred_ptr,
    pred_idx,
    succ_ptr,
    succ_idx,
    has_succ,
    pd,
    w2,
    w3,
    c,
    ub,
    htab,
    st_set,
    st_level,
    pool,
    pool_key,
    pool_lb,
    pool_fin,
    start,
    deg,
    elig,
    inload,
    ld,
    epos,
    enel,
    erem,
    a1,
    a2,
    a3,
    asc,
    found,
    child,
    limit,
    used,
    desc_order,
    tt,
    max_full,
    trunc,
    deadline,
    bp,
    rptr,
    rthr,
    rcum,
    xmin,
    tail,
    tq,
):
    """Generate the children of state ``S`` (``d`` stations used): one per undominated maximal load.

    Children go to ``pool[start:]``; returns their number, or -1 if the pool is full, or
    -2 if the enumeration took more than ``limit`` steps (``used[0]`` counts the steps).
    After ``max_full`` complete loads the enumeration stops and ``trunc[0]`` is set.

    Fill bound: a load is kept only if its idle time ``rem`` passes LB1
    (``rem <= (ub - 1 - d) * c - r1``, the time left for it) and it is maximal
    (``rem`` below ``xmin[lv]``, the least time of the eligible tasks left out at
    enumeration level ``lv``). Tasks can join a partial load only through the
    eligible ones not yet passed over, each bringing at most itself and the
    successors that fit with it in ``rem`` (``_reach``), so a partial load whose
    idle time those cannot bring down to the limit has no kept load below it and
    is cut (tried while at most ``FILL_LOOK`` candidates are left: on long lists of
    short tasks the look costs more than it cuts). A cut counts as one load for
    ``max_full``, so the capped phases see about as many loads as without it. The
    children are exactly those of the full enumeration.

    Each child's lower bound is also raised by the tail bound (:func:`tail_bound`):
    ``tail[k]`` stations at least for task k and its successors, ``tq`` its scratch.
    """
    W = S.shape[0]
    r1 = 0
    r2 = 0
    r3 = 0
    rs = 0
    ne = 0
    nu = 0
    tsum = 0
    for k in range(n):
        tsum += t[k]
        if _has(S, k):
            continue
        nu += 1
        r1 += t[k]
        r2 += w2[k]
        r3 += w3[k]
        if has_succ[k]:
            rs += 1
        dg = 0
        for q in range(pred_ptr[k], pred_ptr[k + 1]):
            if not _has(S, pred_idx[q]):
                dg += 1
        deg[k] = dg
        if dg == 0:
            elig[ne] = k
            ne += 1
    out = start
    P = pool.shape[0]
    rmax = (ub - 1 - d) * c - r1  # the most idle time a kept load may have (LB1)
    lv = 0
    epos[0] = 0
    enel[0] = ne
    erem[0] = c
    xmin[0] = c + 1
    a1[0] = 0
    a2[0] = 0
    a3[0] = 0
    asc[0] = 0
    found[0] = 0
    nfull = 0
    next_check = used[0] + 0xFFFF
    while lv >= 0:
        ii = epos[lv]
        nel = enel[lv]
        rem = erem[lv]
        while ii < nel and t[elig[ii]] > rem:
            ii += 1
        epos[lv] = ii  # those never fit at this level: its rem stays
        if ii < nel:
            lim = rmax if rmax < xmin[lv] - 1 else xmin[lv] - 1
            need = rem - lim  # time the load still has to take in
            if need > 0 and nel - ii <= FILL_LOOK:  # a longer look costs more than it cuts
                f = 0
                for q in range(ii, nel):
                    k = elig[q]
                    if t[k] <= rem:
                        f += _reach(k, rem, t, rptr, rthr, rcum)
                        if f >= need:
                            break
                if f < need:
                    ii = nel  # no kept load below: none at all, this one included
                    found[lv] = 1
                    nfull += 1  # counts as a load for ``max_full``: capped phases as before
        if ii < nel and nfull >= max_full:
            trunc[0] = 1
            ii = nel
            found[lv] = 1
        if ii < nel:
            used[0] += 1
            if used[0] >= next_check:  # other steps add more than one: no "used % 2^16 == 0"
                next_check = used[0] + 0xFFFF
                if _now() > deadline:
                    limit = -1
            if used[0] > limit:
                for z in range(lv):
                    k = ld[z]
                    inload[k] = 0
                return -2
            epos[lv] = ii + 1
            found[lv] = 1
            k = elig[ii]
            ld[lv] = k
            inload[k] = 1
            nn = nel
            for q in range(succ_ptr[k], succ_ptr[k + 1]):
                j = succ_idx[q]
                deg[j] -= 1
                if deg[j] == 0:
                    elig[nn] = j
                    nn += 1
            lv += 1
            xmin[lv] = xmin[lv - 1]
            epos[lv] = ii + 1
            enel[lv] = nn
            erem[lv] = rem - t[k]
            a1[lv] = a1[lv - 1] + t[k]
            a2[lv] = a2[lv - 1] + w2[k]
            a3[lv] = a3[lv - 1] + w3[k]
            asc[lv] = asc[lv - 1] + has_succ[k]
            found[lv] = 0
            continue
        if found[lv] == 0 and lv > 0:
            nfull += 1
            ok = True
            for q in range(nel):
                k = elig[q]
                if inload[k] == 0 and t[k] <= rem:
                    ok = False
                    break
            if ok:
                lb = lower_bound(r1 - a1[lv], r2 - a2[lv], r3 - a3[lv], c)
                if d + 1 + lb >= ub:
                    ok = False
            if ok and asc[lv] == 0 and rs > 0:
                ok = False  # successor rule: a load of tasks without successors can wait
            if ok:
                for q in range(nel):
                    k = elig[q]
                    if inload[k]:
                        continue
                    for z in range(lv):
                        j = ld[z]
                        if pd[k, j] and t[k] - t[j] <= rem:
                            ok = False
                            break
                    if not ok:
                        break
            if ok:
                for w in range(W):
                    child[w] = S[w]
                for z in range(lv):
                    k = ld[z]
                    child[k >> 6] |= _ONE << np.uint64(k & 63)
                v = find_row(htab, st_set, child)
                if v >= 0 and st_level[v] <= d + 1:
                    ok = False
                if ok:
                    used[0] += 1 + n // 16  # the bound below costs O(n)
                    r = 0
                    for q in range(n):
                        k = desc_order[q]
                        if not _has(child, k):
                            tt[r] = t[k]
                            r += 1
                            g = tail[k]
                            tq[0, g] += t[k]
                            tq[1, g] += w2[k]
                            tq[2, g] += w3[k]
                    b = mt_bound(tt, r, c)
                    if b > lb:
                        lb = b
                    b = tail_bound(tq, c)  # clears tq for the next child
                    if b > lb:
                        lb = b
                    if d + 1 + lb >= ub:
                        ok = False
                if ok and bp.ctl[BP_ON]:
                    # one step, whatever it spent: its own budget bounds it, and a jump in
                    # ``used`` would abort the expansion and redo the same calls next slice;
                    # but a call can take milliseconds on a big graph: look at the clock
                    b = _bin_bound(child, n, lb, bp)
                    used[0] += 1
                    if _now() > deadline:
                        limit = -1
                    if b > lb:
                        lb = b
                        if d + 1 + lb >= ub:
                            ok = False
                if ok:
                    if out >= P:
                        return -1
                    for w in range(W):
                        pool[out, w] = child[w]
                    # heap key: total idle time, then the fewer tasks assigned the better
                    pool_key[out] = ((d + 1) * c - (tsum - r1 + a1[lv])) * (n + 1) + (n - nu + lv)
                    pool_lb[out] = lb
                    pool_fin[out] = 1 if r1 - a1[lv] == 0 else 0
                    out += 1
        lv -= 1
        if lv >= 0:
            k = ld[lv]
            inload[k] = 0
            if t[k] < xmin[lv]:
                xmin[lv] = t[k]  # left out of the loads still to come at this level
            for q in range(succ_ptr[k], succ_ptr[k + 1]):
                deg[succ_idx[q]] += 1
    return out - start


@njit(cache=True)
def _heap_push(hp, off, size, item):
    i = size
    hp[off + i] = item
    while i > 0:
        parent = (i - 1) >> 1
        if hp[off + parent] <= hp[off + i]:
            break
        tmp = hp[off + parent]
        hp[off + parent] = hp[off + i]
        hp[off + i] = tmp
        i = parent


@njit(cache=True)
def requeue_cut(n, t, c, nstates, st_set, st_level, st_done, hp, hoff, hsize):
    """Put every state whose last expansion was cut short back on its level's heap.

    The caller makes room first (each heap may grow by up to ``nstates``). Returns
    how many were put back.
    """
    back = 0
    for s in range(nstates):
        if st_done[s] >= 0:
            continue
        st_done[s] = 32767
        lvl = st_level[s]
        tsum = 0
        cnt = 0
        for k in range(n):
            if _has(st_set[s], k):
                tsum += t[k]
                cnt += 1
        key = (lvl * c - tsum) * (n + 1) + cnt
        _heap_push(hp, hoff[lvl], hsize[lvl], (key << _IDX_BITS) | s)
        hsize[lvl] += 1
        back += 1
    return back


@njit(cache=True)
def _heap_pop(hp, off, size):
    top = hp[off]
    size -= 1
    hp[off] = hp[off + size]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        small = left
        if left + 1 < size and hp[off + left + 1] < hp[off + left]:
            small = left + 1
        if hp[off + i] <= hp[off + small]:
            break
        tmp = hp[off + small]
        hp[off + small] = hp[off + i]
        hp[off + i] = tmp
        i = small
    return top


@njit(cache=True)
def cbfs(
    ctx,
    budget,
    n,
    t,
    pred_ptr,
    pred_idx,
    succ_ptr,
    succ_idx,
    has_succ,
    pd,
    w2,
    w3,
    c,
    desc_order,
    st_set,
    st_level,
    st_done,
    st_parent,
    st_rlb,
    htab,
    hp,
    hoff,
    hcap,
    hsize,
    pool,
    pool_key,
    pool_lb,
    pool_fin,
    best,
    max_full,
    trunc,
    deadline,
    bp,
    rptr,
    rthr,
    rcum,
    tail,
):
    """Resumable branch, bound and remember search: a balance with fewer than ``ctx[1]`` stations.

    Cyclic best-first search (Morrison, Sewell & Jacobson 2014): one heap of open
    states per number of stations used; the search takes the best state (least
    idle time) of each level in turn, so it dives to complete balances early
    and still explores every level. All states generated are remembered with
    the fewest stations that reached them.

    A state whose expansion stopped after ``max_full`` loads is marked with
    ``st_done = -1 - level``, so that a complete search can take the states over
    and redo just those (``requeue_cut``).

    ``ctx``: [0] states stored, [1] upper bound (lowered when a better balance is
    found; ``best`` then gets the station of each task and [5] is set to 1),
    [2] node expansions, [3] level to look at next, [4] stop as soon as the
    upper bound is at most this, [6] enumeration steps, [7] extra room needed
    when the status asks to grow. Returns a status code.
    """
    W = st_set.shape[1]
    deg = np.zeros(n, np.int64)
    elig = np.zeros(n + 1, np.int64)
    inload = np.zeros(n, np.uint8)
    ld = np.zeros(n + 1, np.int64)
    epos = np.zeros(n + 2, np.int64)
    enel = np.zeros(n + 2, np.int64)
    erem = np.zeros(n + 2, np.int64)
    a1 = np.zeros(n + 2, np.int64)
    a2 = np.zeros(n + 2, np.int64)
    a3 = np.zeros(n + 2, np.int64)
    asc = np.zeros(n + 2, np.int64)
    found = np.zeros(n + 2, np.uint8)
    child = np.zeros(W, np.uint64)
    used = np.zeros(1, np.int64)
    tt = np.zeros(n + 1, np.int64)
    xmin = np.zeros(n + 2, np.int64)
    tq = np.zeros((3, tail.max() + 1), np.int64)
    nstates = ctx[0]
    ub = ctx[1]
    stop_at = ctx[4]
    cur = ctx[3]
    levels = hoff.shape[0]
    H = htab.shape[0]
    cap = st_set.shape[0]
    done = 0
    status = FINISHED
    while True:
        if ub <= stop_at:
            status = FINISHED
            break
        # the next level (cyclically) with an open state
        lvl = -1
        for step in range(levels):
            l2 = (cur + step) % levels
            if hsize[l2] > 0:
                lvl = l2
                break
        if lvl < 0:
            status = FINISHED
            break
        if used[0] >= budget or ((done & 63) == 63 and _now() > deadline):
            status = BUDGET
            break
        item = _heap_pop(hp, hoff[lvl], hsize[lvl])
        hsize[lvl] -= 1
        s = item & _IDX
        if st_level[s] != lvl or st_done[s] <= lvl or lvl + st_rlb[s] >= ub:
            cur = lvl
            continue  # superseded, already expanded at this level, or bounded out
        cut_before = trunc[0]
        trunc[0] = 0
        cnt = expand(
            st_set[s],
            lvl,
            n,
            t,
            pred_ptr,
            pred_idx,
            succ_ptr,
            succ_idx,
            has_succ,
            pd,
            w2,
            w3,
            c,
            ub,
            htab,
            st_set,
            st_level,
            pool,
            pool_key,
            pool_lb,
            pool_fin,
            0,
            deg,
            elig,
            inload,
            ld,
            epos,
            enel,
            erem,
            a1,
            a2,
            a3,
            asc,
            found,
            child,
            budget,
            used,
            desc_order,
            tt,
            max_full,
            trunc,
            deadline,
            bp,
            rptr,
            rthr,
            rcum,
            xmin,
            tail,
            tq,
        )
        cut = trunc[0]
        trunc[0] |= cut_before
        if nstates + cnt >= _IDX:
            _heap_push(hp, hoff[lvl], hsize[lvl], item)
            hsize[lvl] += 1
            status = FULL
            break
        if (
            cnt < 0
            or nstates + cnt > cap
            or (nstates + cnt) * 10 > H * 7
            or (lvl + 1 < levels and hsize[lvl + 1] + cnt > hcap[lvl + 1])
        ):
            # put the state back: out of budget, or a store must grow first
            _heap_push(hp, hoff[lvl], hsize[lvl], item)
            hsize[lvl] += 1
            if cnt == -2:
                status = BUDGET
            elif cnt == -1:
                status = GROW_POOL
            else:
                status = GROW_MEMO
                ctx[7] = cnt
            cur = lvl
            break
        # expanded at this level; -1 - lvl: only in part (``max_full`` loads), to be redone
        st_done[s] = lvl if cut == 0 else -1 - lvl
        done += 1
        d1 = lvl + 1
        for p in range(cnt):
            if d1 + pool_lb[p] >= ub:
                continue
            if pool_fin[p]:
                # a complete balance: walk the parents back to the empty set
                steps_back = 0
                x = s
                while x != 0:
                    steps_back += 1
                    x = st_parent[x]
                m = steps_back + 1
                for k in range(n):
                    if not _has(st_set[s], k):
                        best[k] = m - 1
                x = s
                sta = m - 2
                while x != 0:
                    px = st_parent[x]
                    for k in range(n):
                        if _has(st_set[x], k) and not _has(st_set[px], k):
                            best[k] = sta
                    sta -= 1
                    x = px
                if m < ub:
                    ub = m
                    ctx[5] = 1
                continue
            v = find_row(htab, st_set, pool[p])
            if v >= 0:
                if st_level[v] <= d1:
                    continue
                st_level[v] = d1
                st_parent[v] = s
                st_rlb[v] = pool_lb[p]
            else:
                v = nstates
                nstates += 1
                for w in range(W):
                    st_set[v, w] = pool[p, w]
                st_level[v] = d1
                st_done[v] = 32767
                st_parent[v] = s
                st_rlb[v] = pool_lb[p]
                insert_row(htab, st_set, v)
            if d1 < levels:
                _heap_push(hp, hoff[d1], hsize[d1], (pool_key[p] << _IDX_BITS) | v)
                hsize[d1] += 1
        cur = lvl + 1
    ctx[0] = nstates
    ctx[1] = ub
    ctx[2] += done
    ctx[3] = cur
    ctx[6] += used[0]
    return status


@njit(cache=True)
def greedy(n, t, succ_ptr, succ_idx, npred, prio, c, station):
    """Station-oriented priority rule: fill each station with the best available task that fits."""
    deg = npred.copy()
    avail = np.zeros(n, np.int64)
    na = 0
    for k in range(n):
        if deg[k] == 0:
            avail[na] = k
            na += 1
    s = 0
    rem = c
    left = n
    while left > 0:
        best = -1
        bp = -np.inf
        for q in range(na):
            k = avail[q]
            if t[k] <= rem and prio[k] > bp:
                bp = prio[k]
                best = q
        if best < 0:
            s += 1
            rem = c
            continue
        k = avail[best]
        avail[best] = avail[na - 1]
        na -= 1
        station[k] = s
        rem -= t[k]
        left -= 1
        for q in range(succ_ptr[k], succ_ptr[k + 1]):
            j = succ_idx[q]
            deg[j] -= 1
            if deg[j] == 0:
                avail[na] = j
                na += 1
    return s + 1


@njit(cache=True)
def hoffmann(n, t, succ_ptr, succ_idx, npred, score, c, max_loads, station):
    """Hoffmann's heuristic: each station gets the load of least ``idle - sum(score)``.

    Loads are enumerated depth first, at most ``max_loads`` complete ones per station.
    Returns the number of stations.
    """
    deg = npred.copy()
    elig = np.zeros(n + 1, np.int64)
    ld = np.zeros(n + 1, np.int64)
    bestld = np.zeros(n + 1, np.int64)
    epos = np.zeros(n + 2, np.int64)
    enel = np.zeros(n + 2, np.int64)
    erem = np.zeros(n + 2, np.int64)
    acc = np.zeros(n + 2, np.float64)
    found = np.zeros(n + 2, np.uint8)
    assigned = np.zeros(n, np.uint8)
    left = n
    s = 0
    while left > 0:
        ne = 0
        for k in range(n):
            if assigned[k] == 0 and deg[k] == 0:
                elig[ne] = k
                ne += 1
        best_cost = np.inf
        nbest = 0
        loads = 0
        lv = 0
        epos[0] = 0
        enel[0] = ne
        erem[0] = c
        acc[0] = 0.0
        found[0] = 0
        while lv >= 0:
            ii = epos[lv]
            nel = enel[lv]
            rem = erem[lv]
            while ii < nel and t[elig[ii]] > rem:
                ii += 1
            if ii < nel and loads < max_loads:
                epos[lv] = ii + 1
                found[lv] = 1
                k = elig[ii]
                ld[lv] = k
                nn = nel
                for q in range(succ_ptr[k], succ_ptr[k + 1]):
                    j = succ_idx[q]
                    deg[j] -= 1
                    if deg[j] == 0:
                        elig[nn] = j
                        nn += 1
                lv += 1
                epos[lv] = ii + 1
                enel[lv] = nn
                erem[lv] = rem - t[k]
                acc[lv] = acc[lv - 1] + score[k]
                found[lv] = 0
                cost = erem[lv] - acc[lv]
                if cost < best_cost:
                    best_cost = cost
                    nbest = lv
                    for z in range(lv):
                        bestld[z] = ld[z]
                continue
            if found[lv] == 0:
                loads += 1
            lv -= 1
            if lv >= 0:
                k = ld[lv]
                for q in range(succ_ptr[k], succ_ptr[k + 1]):
                    deg[succ_idx[q]] += 1
        for z in range(nbest):
            k = bestld[z]
            assigned[k] = 1
            station[k] = s
            left -= 1
            for q in range(succ_ptr[k], succ_ptr[k + 1]):
                deg[succ_idx[q]] -= 1
        s += 1
    return s
