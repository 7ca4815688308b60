"""Local search for car sequencing: the driver around the compiled kernel.

Both problems become one array form (:class:`Compiled`): a sequence of class ids with
a fixed prefix, ratio constraints with a cost per window count, a weight per colour
change and a hard batch limit. The ROADEF score is the weighted sum the challenge
uses (10^6/10^3/1 by rank), which orders the criteria lexicographically in practice;
for CSPLib each window costs ``excess + 1`` when violated, so the search lowers the
violated windows and the excess together.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from taktline.sequence import _kernel as K
from taktline.sequence.formats import HPRC, LPRC, PAINT, CSPLibInstance, RoadefInstance

CHUNK = 50_000  # iterations between two looks at the clock


@dataclass
class Compiled:
    seq: np.ndarray  # (n,) int64 class ids, prefix fixed
    n0: int
    copt: np.ndarray  # (K, C) int64
    ccol: np.ndarray  # (C,) int64
    P: np.ndarray  # (K,)
    wlo: np.ndarray
    whi: np.ndarray
    cost: np.ndarray  # (K, maxP + 1)
    wcol: int
    limit: int
    crank: np.ndarray  # (K,) rank of each constraint's criterion (0 first; 3 = unscored)
    colrank: int  # rank of the colour changes (3 = unscored)

    def score(self, seq: np.ndarray | None = None) -> int:
        s = self.seq if seq is None else seq
        return int(
            K.score(
                s, self.n0, self.copt, self.ccol, self.P, self.wlo, self.whi, self.cost, self.wcol
            )
        )


@dataclass
class SearchStats:
    iterations: int
    accepted: int
    improved: int
    wall_s: float
    time_to_best_s: float  # when the final score was first reached (to the nearest chunk)


def _cost_table(
    P: np.ndarray, N: np.ndarray, per_excess: np.ndarray, per_window: np.ndarray
) -> np.ndarray:
    c = np.arange(int(P.max()) + 1)
    over = np.maximum(c[None, :] - N[:, None], 0)
    return over * per_excess[:, None] + (over > 0) * per_window[:, None]


def compile_csplib(
    inst: CSPLibInstance, order: np.ndarray | None = None, seed: int = 0
) -> Compiled:
    n = inst.n_cars
    if order is None:
        order = np.repeat(np.arange(inst.n_classes), inst.demand)
        np.random.default_rng(seed).shuffle(order)
    P = inst.q.astype(np.int64)
    ones = np.ones(len(P), dtype=np.int64)
    return Compiled(
        seq=np.asarray(order, dtype=np.int64).copy(),
        n0=0,
        copt=inst.options.T.astype(np.int64).copy(),
        ccol=np.zeros(inst.n_classes, np.int64),
        P=P,
        wlo=np.zeros(len(P), np.int64),
        whi=(n - P).astype(np.int64),
        cost=_cost_table(P, inst.p.astype(np.int64), ones, ones),
        wcol=0,
        limit=n,
        crank=np.zeros(len(P), np.int64),
        colrank=3,
    )


@dataclass
class RoadefClasses:
    """Cars grouped into classes (same colour and options) for the search."""

    compiled: Compiled
    day_class: np.ndarray  # (m,) class of each day-D car


def compile_roadef(inst: RoadefInstance, order: np.ndarray | None = None) -> RoadefClasses:
    k = len(inst.ratios)
    colours = np.concatenate([inst.prev_colours, inst.colours])
    options = np.concatenate([inst.prev_options, inst.options], axis=0).reshape(-1, k)
    keys = np.concatenate([colours[:, None], options.astype(np.int64)], axis=1)
    uniq, cls = np.unique(keys, axis=0, return_inverse=True)
    cls = cls.reshape(-1).astype(np.int64)
    n0 = len(inst.prev_idents)
    day_class = cls[n0:]
    if order is None:
        order = np.arange(inst.n_cars)
    seq = np.concatenate([cls[:n0], day_class[np.asarray(order, dtype=np.int64)]])
    n = len(seq)
    P = np.array([r.p for r in inst.ratios], dtype=np.int64).reshape(k)
    N = np.array([r.n for r in inst.ratios], dtype=np.int64).reshape(k)
    w = np.array(
        [inst.weight("hprc" if r.high else "lprc") for r in inst.ratios], dtype=np.int64
    ).reshape(k)
    cost = _cost_table(P, N, w, np.zeros(k, np.int64)) if k else np.zeros((0, 1), np.int64)
    comp = Compiled(
        seq=seq,
        n0=n0,
        copt=uniq[:, 1:].T.astype(np.int64).copy(),
        ccol=uniq[:, 0].astype(np.int64).copy(),
        P=P,
        wlo=np.maximum(0, n0 - P + 1).astype(np.int64),
        whi=np.full(k, n - 1, np.int64),
        cost=cost,
        wcol=inst.weight(PAINT),
        limit=int(inst.batch_limit),
        crank=np.array(
            [_rank(inst, HPRC if r.high else LPRC) for r in inst.ratios], dtype=np.int64
        ).reshape(k),
        colrank=_rank(inst, PAINT),
    )
    return RoadefClasses(compiled=comp, day_class=day_class)


def _rank(inst: RoadefInstance, criterion: str) -> int:
    return inst.objectives.index(criterion) if criterion in inst.objectives else 3


def day_order(rc: RoadefClasses) -> np.ndarray:
    """Day-D car indices in the order of the compiled sequence (cars of one class keep
    their relative order)."""
    pools: dict[int, list[int]] = {}
    for i in range(len(rc.day_class) - 1, -1, -1):
        pools.setdefault(int(rc.day_class[i]), []).append(i)
    n0 = rc.compiled.n0
    return np.array([pools[int(c)].pop() for c in rc.compiled.seq[n0:]], dtype=np.int64)


def search(
    comp: Compiled,
    *,
    seed: int = 0,
    time_limit: float = 10.0,
    max_iterations: int | None = None,
    target: int = 0,
    probs: tuple[float, float, float] = (0.4, 0.65, 0.9),
    local: int | None = None,
    colour_moves: int = 0,
    focus: int = 0,
) -> SearchStats:
    """Improve ``comp.seq`` in place until ``target`` is reached, the time is up or the
    iteration budget is spent. Deterministic for a given seed and iteration budget."""
    mixed = ((int(seed) * 0x9E3779B97F4A7C15) + 0x632BE59BD9B4E019) % (1 << 64)
    state = np.array([mixed or 1], dtype=np.uint64)
    if local is None:
        local = int(max(4, 2 * comp.P.max())) if len(comp.P) else 16
    cum = np.array(probs, dtype=np.float64)
    start = time.perf_counter()
    current = comp.score()
    done = accepted = improved = 0
    best_at = 0.0
    while current > target:
        if max_iterations is not None and done >= max_iterations:
            break
        if max_iterations is None and time.perf_counter() - start >= time_limit:
            break
        chunk = CHUNK if max_iterations is None else min(CHUNK, max_iterations - done)
        current, acc, imp, ran = K.run(
            comp.seq,
            comp.n0,
            comp.copt,
            comp.ccol,
            comp.P,
            comp.wlo,
            comp.whi,
            comp.cost,
            comp.wcol,
            comp.limit,
            state,
            chunk,
            cum,
            local,
            colour_moves,
            current,
            target,
            comp.crank,
            comp.colrank,
            focus,
        )
        done += ran
        accepted += acc
        if imp:
            best_at = time.perf_counter() - start
        improved += imp
    return SearchStats(
        iterations=done,
        accepted=accepted,
        improved=improved,
        wall_s=time.perf_counter() - start,
        time_to_best_s=best_at,
    )
