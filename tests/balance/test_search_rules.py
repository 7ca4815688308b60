"""The search's cuts that must never change what it finds.

* The fill bound of the load enumeration (``_kernels._reach``): the children it
  keeps are exactly those of the full enumeration, so a whole search with it and
  without it stores the same states and expands the same nodes.
* ``_reach`` never under-estimates what a task and its successors can bring into
  a station (brute force over the successor sets).
* The complete search that takes over the capped phase's states, and SALBP-2's
  time-boxed bisection probes, against an independent CP-SAT model.
"""

from __future__ import annotations

import random
import time
from itertools import combinations

import numpy as np
import pytest
from ortools.sat.python import cp_model

from taktline.balance import Instance, check_assignment, salbp, solve_salbp1, solve_salbp2
from taktline.balance import _kernels as K
from taktline.balance._binpack import node_bound
from taktline.balance._problem import prepare


def random_instance(rng: random.Random, n: int, density: float, t_hi: int) -> Instance:
    times = tuple(rng.randint(1, t_hi) for _ in range(n))
    arcs = tuple(
        (i, j)
        for i in range(1, n + 1)
        for j in range(i + 1, min(n, i + 8) + 1)
        if rng.random() < density
    )
    return Instance(name=f"random{n}", times=times, arcs=arcs)


def full_search(inst: Instance, c: int, fill_bound: bool, mirrored: bool) -> tuple[int, int, int]:
    prep = prepare(inst, mirrored=mirrored)
    lb = salbp.salbp1_lower_bound(inst, c)
    ub = inst.n + 1  # no heuristic: the search does all the work
    bp = node_bound(prep.t, c)
    bp.ctl[K.BP_ON], bp.ctl[K.BP_BUDGET] = 1, salbp.BP_BUDGET
    search = salbp._Search(prep, c, ub, lb, lb, 0, bp, fill_bound=fill_bound)
    ub = search.run(ub)
    assert search.finished
    return ub, search.nodes, int(search.ctx[0])


@pytest.mark.parametrize("seed", range(24))
def test_fill_bound_keeps_every_child(seed: int) -> None:
    rng = random.Random(seed)
    density = rng.choice([0.15, 0.3, 0.5])
    inst = random_instance(rng, rng.randint(14, 24), density, rng.choice([9, 40]))
    c = inst.t_max + rng.randint(0, 2 * inst.t_max)
    mirrored = bool(seed % 2)
    with_bound = full_search(inst, c, True, mirrored)
    without = full_search(inst, c, False, mirrored)
    assert with_bound == without  # same m, same node expansions, same states stored
    assert with_bound[1] > 1  # the search did branch


def brute_reach(prep, k: int, rem: int) -> int:
    """Most time k plus a set of its successors closed between k and them fits in ``rem``."""
    t = prep.t
    if t[k] > rem:
        return 0
    succ = [j for j in range(prep.n) if prep.closure[k, j]]
    best = int(t[k])
    for r in range(1, len(succ) + 1):
        for sub in combinations(succ, r):
            chosen = set(sub)
            # every task between k and a chosen j must be chosen too
            ok = all(i in chosen for j in sub for i in succ if prep.closure[i, j])
            total = int(t[k]) + sum(int(t[j]) for j in sub)
            if ok and total <= rem:
                best = max(best, total)
    return best


@pytest.mark.parametrize("seed", range(8))
def test_reach_is_never_too_small(seed: int) -> None:
    rng = random.Random(100 + seed)
    inst = random_instance(rng, rng.randint(6, 10), 0.35, 12)
    c = inst.t_max + rng.randint(0, 25)
    prep = prepare(inst, mirrored=bool(seed % 2))
    ptr, thr, cum = prep.reach_table(c)
    for k in range(prep.n):
        for rem in range(int(prep.t[k]), c + 1):
            got = K._reach(k, rem, prep.t, ptr, thr, cum)
            assert brute_reach(prep, k, rem) <= got <= rem


def cp_sat_salbp(inst: Instance, m: int, c: int | None) -> int | None:
    """SALBP-1 feasibility on m stations at c (c given), or SALBP-2's c* (c None)."""
    model = cp_model.CpModel()
    n = inst.n
    x = [[model.new_bool_var(f"x{j}_{s}") for s in range(m)] for j in range(n)]
    st = [model.new_int_var(0, m - 1, f"s{j}") for j in range(n)]
    cyc = model.new_int_var(inst.t_max, inst.t_sum, "c") if c is None else c
    for j in range(n):
        model.add_exactly_one(x[j])
        model.add(st[j] == sum(s * x[j][s] for s in range(m)))
    for s in range(m):
        model.add(sum(inst.times[j] * x[j][s] for j in range(n)) <= cyc)
    for i, j in inst.arcs:
        model.add(st[i - 1] <= st[j - 1])
    if c is None:
        model.minimize(cyc)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60
    status = solver.solve(model)
    assert status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
    if status == cp_model.INFEASIBLE:
        return None
    return int(solver.value(cyc)) if c is None else m


@pytest.mark.parametrize("seed", range(10))
def test_salbp2_probes_out_of_time_against_cp_sat(seed: int, monkeypatch) -> None:
    """Every bisection probe runs out at once: the descent alone must still reach c*.

    Times up to 200 leave wide gaps after the heuristic, so that most of these
    seeds send probes to the exact search (seeds 203, 207, 208: three each).
    """
    monkeypatch.setattr(salbp, "PROBE_S", 0.0)
    rng = random.Random(200 + seed)
    inst = random_instance(rng, rng.randint(14, 20), 0.25, 200)
    m = rng.randint(3, 6)
    res = solve_salbp2(inst, m)
    assert check_assignment(inst, res.assignment, res.cycle_time) == []
    assert len(res.assignment) <= m
    assert res.optimal and res.lower_bound == res.cycle_time
    assert res.cycle_time == cp_sat_salbp(inst, m, None)


@pytest.mark.parametrize("seed", range(6))
def test_salbp1_search_against_cp_sat(seed: int) -> None:
    """Instances where the capped phase hands over to the complete one."""
    rng = random.Random(300 + seed)
    inst = random_instance(rng, rng.randint(18, 26), 0.2, 40)
    c = inst.t_max + rng.randint(0, inst.t_max)
    res = solve_salbp1(inst, c)
    assert check_assignment(inst, res.assignment, c) == []
    assert res.optimal
    assert cp_sat_salbp(inst, res.stations, c) == res.stations
    if res.stations > 1:
        assert cp_sat_salbp(inst, res.stations - 1, c) is None


def test_complete_search_redoes_only_the_cut_states() -> None:
    """A capped search handed over to ``complete`` ends where a fresh complete one does."""
    rng = random.Random(7)
    inst = random_instance(rng, 24, 0.2, 40)
    c = inst.t_max + 20
    prep = prepare(inst)
    lb = salbp.salbp1_lower_bound(inst, c)
    ub = inst.n + 1

    def fresh(max_full: int) -> salbp._Search:
        bp = node_bound(prep.t, c)
        return salbp._Search(prep, c, ub, lb, lb, max_full, bp)

    capped = fresh(3)
    capped.run(ub)
    assert capped.trunc[0] == 1 and np.any(capped.st_done[: capped.ctx[0]] < 0)
    assert capped.complete() > 0
    got = capped.run(int(capped.ctx[1]))
    assert capped.finished
    whole = fresh(0)
    assert whole.run(ub) == got and whole.finished


def wide_search() -> salbp._Search:
    """A search whose root has more children than a level's first heap holds (256)."""
    rng = random.Random(3)
    inst = Instance(name="wide", times=tuple(rng.randint(10, 40) for _ in range(20)), arcs=())
    c = sum(inst.times) // 3
    prep = prepare(inst)
    lb = salbp.salbp1_lower_bound(inst, c)
    return salbp._Search(prep, c, inst.n + 1, lb, lb, 0, node_bound(prep.t, c))


def test_search_past_its_deadline_stops_at_a_growth() -> None:
    """The kernel returns to grow a store before it looks at the clock: run() must look."""
    search = wide_search()
    heap_cap = search.hcap.copy()
    search.run(int(search.ctx[1]), deadline=time.monotonic() - 1.0)
    assert not search.finished
    assert search.nodes == 0  # the root's expansion asked for room and was not redone
    assert np.array_equal(search.hcap, heap_cap)
    search.run(int(search.ctx[1]))  # no deadline: grows and completes
    assert search.finished and search.nodes > 0 and np.any(search.hcap > heap_cap)


def test_growth_forecast_past_the_deadline_is_not_begun() -> None:
    search = wide_search()
    store = search.st_set
    search.grow_rate = 1.0  # seconds per byte: any growth would take far too long
    assert not search._grow(10 * len(store), deadline=time.monotonic() + 60.0)
    assert search.st_set is store
    assert search._grow(10 * len(store))  # no deadline
    assert len(search.st_set) > 10 * len(store)


def test_time_limit_keeps_back_room_for_the_answer() -> None:
    assert salbp._deadline(10.0, 60.0) == pytest.approx(10.0 + 60.0 - salbp.FINISH_S)
    assert salbp._deadline(0.0, 1.0) == pytest.approx(0.95)  # at most a twentieth of it
    assert salbp._deadline(0.0, None) == float("inf")


def tail_bound_of(inst: Instance, c: int, remaining: set[int]) -> int:
    """The kernel's tail bound of the tasks ``remaining`` (0-based, as in the file's order)."""
    prep = prepare(inst, mirrored=False)
    w2, w3 = salbp._weights(prep.t, c)
    tail = salbp._tail_stations(prep, c, w2, w3)
    tq = np.zeros((3, int(tail.max()) + 1), dtype=np.int64)
    for k in range(prep.n):
        if int(prep.task_of[k]) - 1 in remaining:
            tq[:, tail[k]] += (prep.t[k], w2[k], w3[k])
    bound = K.tail_bound(tq, c)
    assert not tq[:, 1:].any()  # cleared for the next call
    return bound


def test_tail_bound_sees_what_the_sums_cannot() -> None:
    """A chain 3 -> 10 -> 5 at c = 10: bin packing says 2 ({10}, {3, 5}), the tails say 3."""
    inst = Instance(name="tails", times=(3, 10, 5), arcs=((1, 2), (2, 3)))
    assert salbp.salbp1_lower_bound(inst, 10) == 2
    assert tail_bound_of(inst, 10, {0, 1, 2}) == 3
    res = solve_salbp1(inst, 10)
    # the root's bound is the tails' too: the heuristic's 3 stations need no search
    assert (res.stations, res.lower_bound, res.optimal, res.stats["nodes"]) == (3, 3, True, 0)


@pytest.mark.parametrize("seed", range(12))
def test_tail_bound_never_exceeds_the_optimum(seed: int) -> None:
    """On what is left after some stations (closed under successors), against CP-SAT."""
    rng = random.Random(400 + seed)
    inst = random_instance(rng, rng.randint(8, 14), rng.choice([0.2, 0.4, 0.6]), 30)
    c = inst.t_max + rng.randint(0, inst.t_max)
    succ = {j: {b - 1 for a, b in inst.arcs if a - 1 == j} for j in range(inst.n)}
    remaining = set(rng.sample(range(inst.n), rng.randint(1, inst.n)))
    grew = True
    while grew:  # a task left over keeps its successors
        more = {k for j in remaining for k in succ[j]} - remaining
        grew = bool(more)
        remaining |= more
    order = sorted(remaining)
    number = {j: i + 1 for i, j in enumerate(order)}
    sub = Instance(
        name="rest",
        times=tuple(inst.times[j] for j in order),
        arcs=tuple(
            (number[a - 1], number[b - 1])
            for a, b in inst.arcs
            if a - 1 in number and b - 1 in number
        ),
    )
    bound = tail_bound_of(inst, c, remaining)
    w2, w3 = salbp._weights(np.array(sub.times), c)
    assert bound >= K.lower_bound(sub.t_sum, int(w2.sum()), int(w3.sum()), c)  # LB1-LB3
    assert bound == 1 or cp_sat_salbp(sub, bound - 1, c) is None  # no balance on fewer
