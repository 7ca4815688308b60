"""SALBP-1 (fewest stations at a cycle time) and SALBP-2 (least cycle time on m stations).

Both return a :class:`Balance`: the best assignment found, the best lower
bound proved, and whether optimality is proved. With a time limit, whatever
was reached when it ran out is returned, marked ``optimal=False``.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from taktline.balance import _kernels as K
from taktline.balance._binpack import NodeBound, bin_packing_optimum, node_bound
from taktline.balance._hashtab import insert_row, rehash
from taktline.balance._problem import Prepared, prepare
from taktline.balance.bounds import bin_packing_lp_bound
from taktline.balance.instance import Instance
from taktline.balance.verify import verify
from taktline.errors import InputError


@dataclass
class Balance:
    """A solved (or time-limited) SALBP instance."""

    problem: str  # "salbp1" or "salbp2"
    instance: str
    cycle_time: int  # the given c (SALBP-1) or the best c found (SALBP-2)
    stations: int  # the best m found (SALBP-1) or the given m (SALBP-2)
    lower_bound: int  # on m (SALBP-1) or on c (SALBP-2)
    optimal: bool
    assignment: list[list[int]]
    wall_s: float
    stats: dict[str, Any] = field(default_factory=dict)
    station_loads: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"problem": self.problem, "instance": self.instance}
        if self.problem == "salbp1":
            doc |= {"cycle_time": self.cycle_time, "stations": self.stations}
        else:
            doc |= {"stations": self.stations, "cycle_time": self.cycle_time}
        doc |= {
            "lower_bound": self.lower_bound,
            "optimal": self.optimal,
            "assignment": self.assignment,
            "station_loads": self.station_loads,
            "wall_s": round(self.wall_s, 4),
        }
        return doc


# -- bounds ------------------------------------------------------------------------------------


def _weights(t: np.ndarray, c: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-task weights of LB2 (in halves of a station) and LB3 (in sixths)."""
    w2 = np.where(2 * t > c, 2, np.where(2 * t == c, 1, 0)).astype(np.int64)
    w3 = np.select(
        [3 * t > 2 * c, 3 * t == 2 * c, 3 * t > c, 3 * t == c], [6, 4, 3, 2], default=0
    ).astype(np.int64)
    return w2, w3


def _tail_stations(prep: Prepared, c: int, w2: np.ndarray, w3: np.ndarray) -> np.ndarray:
    """Stations each task and its transitive successors need at least (LB1-LB3 of that set)."""
    closure = prep.closure.astype(np.float64)  # sums stay far below 2**53: exact
    r1 = prep.t + np.rint(closure @ prep.t).astype(np.int64)
    r2 = w2 + np.rint(closure @ w2).astype(np.int64)
    r3 = w3 + np.rint(closure @ w3).astype(np.int64)
    return np.maximum(np.maximum(-(-r1 // c), (r2 + 1) // 2), (r3 + 5) // 6).astype(np.int64)


def _tails_bound(preps: list[Prepared], c: int) -> int:
    """The tail bound (``K.tail_bound``) of all the tasks, from each direction given.

    In the mirror image a task's tail is its head in the graph, so the two
    directions give the bound from the tails and the bound from the heads.
    """
    best = 0
    for prep in preps:
        w2, w3 = _weights(prep.t, c)
        tail = _tail_stations(prep, c, w2, w3)
        tq = np.stack(
            [np.bincount(tail, weights=w, minlength=int(tail.max()) + 1) for w in (prep.t, w2, w3)]
        )
        best = max(best, int(K.tail_bound(np.rint(tq).astype(np.int64), c)))
    return best


def salbp1_lower_bound(instance: Instance, c: int) -> int:
    t = instance.times_array()
    w2, w3 = _weights(t, c)
    tt = np.sort(t)[::-1].copy()
    return int(
        max(
            K.lower_bound(int(t.sum()), int(w2.sum()), int(w3.sum()), c), K.mt_bound(tt, len(tt), c)
        )
    )


def salbp2_lower_bound(instance: Instance, m: int) -> int:
    """max(t_max, ceil(t_sum / m), and: some station holds k+1 of the k*m+1 longest tasks)."""
    t = np.sort(instance.times_array())[::-1]
    n = len(t)
    lb = max(int(t[0]), -(-int(t.sum()) // m))
    k = 1
    while k * m < n:
        lb = max(lb, int(t[k * m - k : k * m + 1].sum()))
        k += 1
    return lb


# -- heuristics --------------------------------------------------------------------------------


def _check_cycle(instance: Instance, c: int) -> None:
    if c <= 0:
        raise InputError(f"the cycle time must be positive, got {c}")
    if instance.t_max > c:
        k = instance.times.index(instance.t_max) + 1
        raise InputError(
            f"task {k} takes {instance.t_max}, longer than the cycle time {c}: no balance exists",
            file=instance.name,
        )


def _heuristic(
    preps: list[Prepared], c: int, effort: int = 1, lb: int = 0, deadline: float = math.inf
) -> tuple[int, list[list[int]]]:
    """Best of priority rules and Hoffmann's heuristic, forward and mirrored.

    Stops as soon as a balance reaches the lower bound ``lb``, or when ``deadline``
    (monotonic clock) has passed: on graphs of a thousand tasks the whole grid of
    Hoffmann's weights takes many seconds.
    """
    best_m = math.inf
    best: list[list[int]] = []
    for prep in preps:
        n = prep.n
        station = np.zeros(n, dtype=np.int64)
        pw = prep.positional_weight
        nf = prep.n_followers.astype(np.float64)
        t = prep.t.astype(np.float64)
        rules = [pw, t, nf, pw + t * n, nf * 1e6 + t, t / (1.0 + np.arange(n))]
        for prio in rules:
            m = K.greedy(n, prep.t, prep.succ_ptr, prep.succ_idx, prep.npred, prio, c, station)
            if m < best_m:
                best_m, best = m, prep.stations_of_file_tasks(station, m)
            if best_m <= lb:
                return int(best_m), best
    for prep in preps:
        n = prep.n
        station = np.zeros(n, dtype=np.int64)
        pw = prep.positional_weight
        nsucc = np.diff(prep.succ_ptr).astype(np.float64)
        max_loads = max(200, 200_000 // max(n, 1)) * effort
        grid = [0.0, 0.005, 0.01, 0.02] if effort == 1 else [0.0, 0.0025, 0.005, 0.01, 0.015, 0.02]
        for alpha in grid:
            for beta in grid:
                for gamma in (0.0, 0.01, 0.02, 0.03):
                    if time.monotonic() > deadline:
                        return int(best_m), best
                    score = alpha * pw + beta * nsucc - gamma
                    m = K.hoffmann(
                        n,
                        prep.t,
                        prep.succ_ptr,
                        prep.succ_idx,
                        prep.npred,
                        score,
                        c,
                        max_loads,
                        station,
                    )
                    if m < best_m:
                        best_m, best = m, prep.stations_of_file_tasks(station, m)
                    if best_m <= lb:
                        return int(best_m), best
    return int(best_m), best


# -- the exact search --------------------------------------------------------------------------


class _Search:
    """The resumable BB&R search in one direction: its states, hash table and heaps."""

    def __init__(
        self,
        prep: Prepared,
        c: int,
        ub: int,
        stop_at: int,
        root_lb: int,
        max_full: int,
        bp: NodeBound,
        fill_bound: bool = True,
    ) -> None:
        self.prep = prep
        self.bp = bp
        self.max_full = max_full if max_full > 0 else np.iinfo(np.int64).max
        self.trunc = np.zeros(1, dtype=np.int64)
        self.c = c
        n = prep.n
        W = (n + 63) // 64
        self.w2, self.w3 = _weights(prep.t, c)
        self.tail = _tail_stations(prep, c, self.w2, self.w3)
        self.pd = prep.potentially_dominates
        self.desc_order = np.argsort(-prep.t, kind="stable").astype(np.int64)
        if fill_bound:
            self.rptr, self.rthr, self.rcum = prep.reach_table(c)
        else:  # every task "brings" all the room there is: the fill bound never cuts (tests)
            self.rptr = np.arange(n + 1, dtype=np.int64)
            self.rthr = np.zeros(n, dtype=np.int64)
            self.rcum = np.full(n, c, dtype=np.int64)
        self.ctx = np.zeros(8, dtype=np.int64)
        self.ctx[1] = ub
        self.ctx[4] = stop_at
        cap = 1 << 12
        self.st_set = np.zeros((cap, W), dtype=np.uint64)
        self.st_level = np.zeros(cap, dtype=np.int16)
        self.st_done = np.zeros(cap, dtype=np.int16)
        self.st_parent = np.zeros(cap, dtype=np.int32)
        self.st_rlb = np.zeros(cap, dtype=np.int16)
        self.htab = np.full(1 << 13, -1, dtype=np.int64)
        levels = ub + 1
        self.hcap = np.full(levels, 256, dtype=np.int64)
        self.hoff = np.concatenate([[0], np.cumsum(self.hcap)[:-1]]).astype(np.int64)
        self.hsize = np.zeros(levels, dtype=np.int64)
        self.hp = np.zeros(int(self.hcap.sum()), dtype=np.int64)
        # the root: nothing assigned, no station used
        self.st_done[0] = 32767
        self.st_rlb[0] = root_lb
        insert_row(self.htab, self.st_set, 0)
        self.ctx[0] = 1
        self.hsize[0] = 1
        self.pool = np.zeros((1 << 10, W), dtype=np.uint64)
        self.pool_key = np.zeros(1 << 10, dtype=np.int64)
        self.pool_lb = np.zeros(1 << 10, dtype=np.int64)
        self.pool_fin = np.zeros(1 << 10, dtype=np.uint8)
        self.best = np.zeros(n, dtype=np.int64)
        self.finished = False

    def _grow(self, need: int, deadline: float = math.inf) -> bool:
        """Make room for ``need`` more states; False, with nothing done, if that would
        end past ``deadline``.

        A growth copies the store and rehashes it: up to seconds with millions of
        states of a thousand tasks. Its time is forecast from the bytes it writes,
        at the slowest rate seen so far in this search.
        """
        count = int(self.ctx[0])
        cap = len(self.st_level)
        new = max(2 * cap, count + need + 1024) if count + need > cap else cap
        size = len(self.htab)
        while (count + need) * 10 > size * 7:
            size *= 2
        grow = self.hsize + need > self.hcap
        hcap = np.where(grow, np.maximum(2 * self.hcap, self.hsize + need + 256), self.hcap)
        row = self.st_set.shape[1] * 8 + 10  # bytes of a state over the five arrays
        work = (new * row if new > cap else 0) + (
            size * 8 + count * row if size > len(self.htab) else 0
        )
        work += int(hcap.sum()) * 8 if grow.any() else 0
        began = time.monotonic()
        if began + self.grow_rate * work >= deadline:
            return False
        if new > cap:
            for name in ("st_set", "st_level", "st_done", "st_parent", "st_rlb"):
                old = getattr(self, name)
                arr = np.zeros((new, *old.shape[1:]), dtype=old.dtype)
                arr[:cap] = old
                setattr(self, name, arr)
        if size > len(self.htab):
            self.htab = np.full(size, -1, dtype=np.int64)
            rehash(self.htab, self.st_set, count)
        if grow.any():
            hoff = np.concatenate([[0], np.cumsum(hcap)[:-1]]).astype(np.int64)
            hp = np.zeros(int(hcap.sum()), dtype=np.int64)
            for lvl in range(len(hcap)):
                k = int(self.hsize[lvl])
                hp[hoff[lvl] : hoff[lvl] + k] = self.hp[self.hoff[lvl] : self.hoff[lvl] + k]
            self.hp, self.hoff, self.hcap = hp, hoff, hcap.astype(np.int64)
        if work >= 1 << 24:  # small ones are all overhead: no rate from them
            self.grow_rate = max(self.grow_rate, (time.monotonic() - began) / work)
        return True

    def _grow_pool(self) -> None:
        size = 2 * len(self.pool_key)
        self.pool = np.zeros((size, self.pool.shape[1]), dtype=np.uint64)
        self.pool_key = np.zeros(size, dtype=np.int64)
        self.pool_lb = np.zeros(size, dtype=np.int64)
        self.pool_fin = np.zeros(size, dtype=np.uint8)

    deadline = math.inf
    grow_rate = 0.0  # seconds per byte of the slowest growth so far (``_grow``)

    def run(self, ub: int, deadline: float = math.inf) -> int:
        """Search until it proves its bound, runs dry or ``deadline`` (monotonic clock) passes.

        Returns the upper bound now known.
        """
        self.deadline = float(min(deadline, 1e300))
        p = self.prep
        self.ctx[1] = min(int(self.ctx[1]), ub)
        while True:
            status = K.cbfs(
                self.ctx,
                np.iinfo(np.int64).max,  # no step budget: the deadline stops it
                p.n,
                p.t,
                p.pred_ptr,
                p.pred_idx,
                p.succ_ptr,
                p.succ_idx,
                p.has_succ,
                self.pd,
                self.w2,
                self.w3,
                self.c,
                self.desc_order,
                self.st_set,
                self.st_level,
                self.st_done,
                self.st_parent,
                self.st_rlb,
                self.htab,
                self.hp,
                self.hoff,
                self.hcap,
                self.hsize,
                self.pool,
                self.pool_key,
                self.pool_lb,
                self.pool_fin,
                self.best,
                self.max_full,
                self.trunc,
                self.deadline,
                self.bp,
                self.rptr,
                self.rthr,
                self.rcum,
                self.tail,
            )
            if status == K.GROW_POOL:
                self._grow_pool()
                continue
            if status == K.GROW_MEMO:
                # cbfs looks at the clock every 64 expansions of one call, and a call that
                # must grow a store returns before that: look here too
                if self._grow(int(self.ctx[7]), self.deadline) and time.monotonic() < self.deadline:
                    continue
                self.finished = False
                return int(self.ctx[1])
            # a search that skipped loads proves nothing when it runs dry
            self.finished = status == K.FINISHED and (
                self.trunc[0] == 0 or int(self.ctx[1]) <= int(self.ctx[4])
            )
            return int(self.ctx[1])

    def complete(self) -> int:
        """Turn this search into the complete one: no cap on loads, cut expansions redone.

        Every state stored is reachable and every full expansion stays valid, so
        only the states whose expansion was cut short (``max_full``) are queued
        again. Returns how many.
        """
        count = int(self.ctx[0])
        cut = int(np.count_nonzero(self.st_done[:count] < 0))
        if cut:
            self._grow(cut)
            K.requeue_cut(
                self.prep.n,
                self.prep.t,
                self.c,
                count,
                self.st_set,
                self.st_level,
                self.st_done,
                self.hp,
                self.hoff,
                self.hsize,
            )
        self.max_full = np.iinfo(np.int64).max
        self.trunc[0] = 0
        return cut

    def take_solution(self) -> list[list[int]] | None:
        if self.ctx[5] != 1:
            return None
        self.ctx[5] = 0
        m = int(self.best.max()) + 1
        return self.prep.stations_of_file_tasks(self.best, m)

    @property
    def nodes(self) -> int:
        return int(self.ctx[2])


BP_BUDGET = 10_000_000  # work units one bin-packing bound may spend (nodes and bins looked at)
ROOT_BP_BUDGET = 20_000_000  # the same, for all the tasks at once (-1 past it: no bound)
LP_MAX_SIZES = 60  # distinct task times up to which the LP bound stands in for a failed one
PROBE_S = 2.0  # seconds a SALBP-2 bisection probe may take before it is taken as "hard"


def _exact(
    preps: list[Prepared],
    c: int,
    ub: int,
    best: list[list[int]],
    lb: int,
    deadline: float,
    target: int | None = None,
    times: tuple[int, ...] = (),
) -> tuple[int, list[list[int]], bool, int, int]:
    """Lower ``ub`` with BB&R until proved optimal (or, with ``target``, until ub <= target).

    The search runs in one direction, chosen by :func:`_direction`. Phases 1 and 2
    cap the loads generated per state (as BB&R's best-first phase), a heuristic that
    often closes the gap to the lower bound: phase 1 for 0.3 s, phase 2 until its
    heaps run dry. Phase 3 is the complete search. After phase 1 the exact
    bin-packing bound of all the tasks may close the gap; in every phase each new
    state gets the exact bin-packing bound of its remaining tasks while that pays
    (``_binpack``).
    Returns (ub, assignment, proved, node expansions, lower bound).
    """
    stop_at = max(lb, target) if target is not None else lb
    if ub <= stop_at:
        return ub, best, True, 0, lb
    nodes = 0
    proved = False
    search: _Search | None = None
    prep = preps[_direction(preps[0], c)] if len(preps) > 1 else preps[0]
    bp = node_bound(prep.t, c)  # its memo of solved multisets serves every phase
    # (loads per state, seconds); None: the exact bin-packing bound of all the tasks
    for step in [(10_000, 0.3), None, (10_000, None), (0, None)]:
        if step is None:
            if not times:
                continue
            bins = bin_packing_optimum(times, c, budget=ROOT_BP_BUDGET)
            if bins < 0 and len(set(times)) <= LP_MAX_SIZES:
                # too hard to solve exactly: its LP relaxation, which converges fast with few sizes
                left = max(0.0, deadline - time.monotonic())
                bins = bin_packing_lp_bound(times, c, time_limit=min(1.0, left))
            lb = max(lb, bins)
            if lb >= ub or (target is not None and lb > target):
                return ub, best, True, nodes, lb
            stop_at = max(lb, target) if target is not None else lb
            continue
        max_full, phase_s = step
        bp.ctl[:] = 0  # each phase judges the bound afresh
        bp.ctl[K.BP_ON], bp.ctl[K.BP_BUDGET] = 1, BP_BUDGET
        if max_full == 0 and search is not None and search.ctx[4] == stop_at:
            search.complete()  # phase 3 takes over phase 2's states
        else:
            search = _Search(prep, c, ub, stop_at, lb, max_full, bp)
        end = deadline if phase_s is None else min(deadline, time.monotonic() + phase_s)
        before = search.nodes
        ub, best, proved = _phase(search, ub, best, stop_at, end)
        nodes += search.nodes - before
        if proved or time.monotonic() >= deadline:
            break
    return ub, best, proved, nodes, lb


def _phase(
    search: _Search, ub: int, best: list[list[int]], stop_at: int, end: float
) -> tuple[int, list[list[int]], bool]:
    """Run ``search`` until it proves its bound, runs dry or ``end`` (monotonic clock) passes."""
    ub = search.run(ub, end)
    sol = search.take_solution()
    if sol is not None:
        best = sol
    return ub, best, search.finished or ub <= stop_at


def _direction(forward: Prepared, c: int) -> int:
    """0 to search the graph as given, 1 to search its mirror image (BB&R's rule).

    Count the tasks that can go in the first 1..5 stations (head time: the task and
    all its predecessors; for the mirror, the task and all its successors) and take
    the direction with the smaller product: fewer choices near the root.
    """
    closure = forward.closure.astype(np.float64)
    t = forward.t.astype(np.float64)
    head = np.ceil((t + closure.T @ t) / c)  # station a task can start in, at the earliest
    tail = np.ceil((t + closure @ t) / c)
    f = r = 1.0
    for m in range(1, 6):
        f *= float(np.sum(head <= m))
        r *= float(np.sum(tail <= m))
    return 1 if r < f else 0


def _directions(instance: Instance) -> list[Prepared]:
    return [prepare(instance, mirrored=False), prepare(instance, mirrored=True)]


def solve_salbp1(
    instance: Instance,
    cycle_time: int | None = None,
    time_limit: float | None = None,
    *,
    _preps: list[Prepared] | None = None,
) -> Balance:
    """Fewest stations at cycle time ``cycle_time`` (default: the file's)."""
    start = time.monotonic()
    c = cycle_time if cycle_time is not None else instance.cycle_time
    if c is None:
        raise InputError("no cycle time given and none in the file", file=instance.name)
    c = int(c)
    _check_cycle(instance, c)
    deadline = _deadline(start, time_limit)
    preps = _preps or _directions(instance)
    lb = max(salbp1_lower_bound(instance, c), _tails_bound(preps, c))
    ub, best = _heuristic(preps, c, lb=lb, deadline=deadline)
    ub, best, proved, nodes, lb = _exact(preps, c, ub, best, lb, deadline, times=instance.times)
    if proved:
        lb = ub
    verify(instance, best, c)
    result = Balance(
        problem="salbp1",
        instance=instance.name,
        cycle_time=c,
        stations=ub,
        lower_bound=lb,
        optimal=proved,
        assignment=best,
        wall_s=time.monotonic() - start,
        stats={"nodes": nodes},
    )
    result.station_loads = [sum(instance.times[k - 1] for k in s) for s in best]
    return result


def solve_salbp2(instance: Instance, stations: int, time_limit: float | None = None) -> Balance:
    """Least cycle time on ``stations`` stations.

    SALBP-1 (BB&R) is the oracle, "is there a balance on ``stations`` stations at
    cycle time c?": bisection on c while the gap is wide, then descent from the
    best balance: c = best - 1, and so on, each balance found cutting c to its
    largest load, until the oracle proves that no balance exists. Near the
    optimum, proofs are the expensive answers, and the descent needs one where
    testing upwards from the lower bound would need one per value below c*.
    Bisection probes get ``PROBE_S`` seconds each; one that runs out is taken as
    "close below c*" and only moves the next probes up (the lower bound reported
    stays the proved one). The oracle asks "m stations or fewer?", so its search
    prunes against m + 1 stations.
    """
    start = time.monotonic()
    m = int(stations)
    if m <= 0:
        raise InputError(f"the number of stations must be positive, got {m}")
    deadline = _deadline(start, time_limit)
    preps = _directions(instance)
    lb = salbp2_lower_bound(instance, m)
    # Upper bound: bisection over c with the heuristic as the oracle.
    lo_c, hi_c = lb, max(lb, instance.t_sum)
    _, sol = _heuristic(preps, hi_c, lb=m, deadline=deadline)
    best_c, best = _max_load(instance, sol), sol
    hi_c = best_c
    while lo_c < hi_c:
        mid = (lo_c + hi_c) // 2
        m_h, sol = _heuristic(preps, mid, lb=m, deadline=deadline)
        if m_h <= m:
            best_c, best = _max_load(instance, sol), sol
            hi_c = best_c
        else:
            lo_c = mid + 1
    nodes = 0
    proved = best_c <= lb
    # Exact: bisection while the gap is wide, then descent from the best balance. A
    # bisection probe gets PROBE_S seconds: proofs get dear close below c*, and one
    # that runs out only raises ``guess``, where the next probes start (never the bound).
    guess = lb
    while not proved and time.monotonic() < deadline:
        lo = max(lb, guess)
        descent = best_c - lo <= 4
        c = best_c - 1 if descent else (lo + best_c) // 2
        ub_m, sol = _heuristic(preps, c, lb=m, deadline=deadline)
        if ub_m > m:
            lb1 = max(salbp1_lower_bound(instance, c), _tails_bound(preps, c))
            if lb1 > m:
                lb = c + 1
                proved = lb >= best_c  # c was the last value below the best balance
                continue
            end = deadline if descent else min(deadline, time.monotonic() + PROBE_S)
            # only "m stations or fewer?" matters: search below m + 1, not below the heuristic
            ub_m, sol, done, k, _ = _exact(
                preps, c, min(ub_m, m + 1), sol, lb1, end, target=m, times=instance.times
            )
            nodes += k
            if not done:
                if descent or time.monotonic() >= deadline:
                    break
                guess = c + 1
                continue
        if ub_m <= m:
            best_c, best = _max_load(instance, sol), sol
            proved = best_c <= lb
        else:
            lb = c + 1
        if lb >= best_c:
            proved = True
    if proved:
        lb = best_c
    verify(instance, best, best_c)  # on at most m stations (fewer are never padded)
    result = Balance(
        problem="salbp2",
        instance=instance.name,
        cycle_time=int(best_c),
        stations=m,
        lower_bound=int(lb),
        optimal=bool(proved),
        assignment=best,
        wall_s=time.monotonic() - start,
        stats={"nodes": nodes, "stations_used": len(best)},
    )
    result.station_loads = [sum(instance.times[k - 1] for k in s) for s in best]
    return result


FINISH_S = 0.1  # seconds kept back from a time limit for what follows the search


def _deadline(start: float, time_limit: float | None) -> float:
    """When the search must stop for the answer to come back within ``time_limit``.

    After the search, the solution is rebuilt and verified: tens of milliseconds on a
    thousand tasks, kept back from the limit (at most a twentieth of it).
    """
    if time_limit is None:
        return math.inf
    return start + time_limit - min(FINISH_S, 0.05 * time_limit)


def _max_load(instance: Instance, assignment: list[list[int]]) -> int:
    return max(sum(instance.times[k - 1] for k in s) for s in assignment)
