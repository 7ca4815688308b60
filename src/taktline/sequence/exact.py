"""Exact mode: CP-SAT models (OR-Tools) for proofs and bounds on small instances.

CSPLib, two models over one Boolean per (position, class) and prefix sums per option:

* decision (``decide=True``): hard windows, and every prefix sum bounded by what the
  windows allow in the prefix and in the suffix; INFEASIBLE proves a bound of 1;
* optimisation: window ``w`` of option ``o`` may hold up to ``p_o + e_w`` cars with
  the option, ``e_w <= (q_o - p_o) v_w``, objective ``sum v_w`` (violated windows);
  the classic cuts (the first ``n - j q`` cars hold at least ``r_o - j p`` cars with
  the option) are relaxed by the excess of the ``j`` disjoint end windows.

With one worker, neither proves the hard 100-car instances infeasible within a
minute (specialised SAT encodings do); they settle small instances.

ROADEF: the same position/class Booleans, prefix sums per option (so a window of
any width is one linear constraint), one colour-change Boolean per position, and the
batch limit as "at most L of one colour in any L + 1 consecutive cars"; the hint is
complete (every variable derived from the hinted order).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from taktline.sequence.check import check_csplib
from taktline.sequence.formats import HPRC, LPRC, PAINT, CSPLibInstance, RoadefInstance


@dataclass
class ExactResult:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN
    objective: int | None  # best found
    bound: int  # proved lower bound
    solution: list[int] | None  # CSPLib: classes; ROADEF: day-D car indices
    wall_s: float


def _solve(
    model: cp_model.CpModel, time_limit: float, workers: int, seed: int
) -> tuple[cp_model.CpSolver, int]:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, float(time_limit))
    solver.parameters.num_workers = max(1, int(workers))
    solver.parameters.random_seed = int(seed)
    status = solver.solve(model)
    return solver, status


def cpsat_csplib(
    inst: CSPLibInstance,
    *,
    time_limit: float = 10.0,
    hint: list[int] | np.ndarray | None = None,
    workers: int = 1,
    seed: int = 0,
    decide: bool = False,
) -> ExactResult:
    """Minimise the violated windows of a CSPLib instance.

    With ``decide``, only ask whether a sequence without violation exists: hard
    windows, and every prefix sum bounded by what the windows allow in the prefix and
    the suffix (a smaller, tighter model: the one that can prove infeasibility).
    """
    start = time.perf_counter()
    n, C, k = inst.n_cars, inst.n_classes, inst.n_options
    m = cp_model.CpModel()
    x = [[m.new_bool_var(f"x{i}_{c}") for c in range(C)] for i in range(n)]
    for i in range(n):
        m.add_exactly_one(x[i])
    for c in range(C):
        m.add(sum(x[i][c] for i in range(n)) == int(inst.demand[c]))
    objective = []
    for o in range(k):
        p, q = int(inst.p[o]), int(inst.q[o])
        cls = [c for c in range(C) if inst.options[c, o]]
        r = int(inst.demand[cls].sum())

        def cap(length: int, p: int = p, q: int = q) -> int:
            """Most cars with the option in ``length`` consecutive cars, no violation."""
            return p * (length // q) + min(p, length % q)

        S: list = [0]
        for i in range(1, n):
            lo, hi = (max(0, r - cap(n - i)), min(r, cap(i))) if decide else (0, r)
            S.append(m.new_int_var(lo, hi, f"S{o}_{i}"))
        S.append(r)
        for i in range(n):
            m.add(S[i + 1] - S[i] == sum(x[i][c] for c in cls))
        excess = {}
        for s in range(0, n - q + 1):
            if decide:
                m.add(S[s + q] - S[s] <= p)
                continue
            v = m.new_bool_var(f"v{o}_{s}")
            e = m.new_int_var(0, q - p, f"e{o}_{s}")
            m.add(e <= (q - p) * v)
            m.add(S[s + q] - S[s] <= p + e)
            excess[s] = e
            objective.append(v)
        if not decide:
            # the classic cuts from both ends, relaxed by the excess of disjoint end windows
            for j in range(1, n // q + 1):
                need = r - j * p
                if need <= 0:
                    break
                m.add(S[n - j * q] + sum(excess[n - t * q] for t in range(1, j + 1)) >= need)
                m.add(r - S[j * q] + sum(excess[(t - 1) * q] for t in range(1, j + 1)) >= need)
    if objective:
        m.minimize(sum(objective))
    if hint is not None:
        for i, c in enumerate(hint):
            for cc in range(C):
                m.add_hint(x[i][cc], int(cc == c))
    solver, status = _solve(m, time_limit, workers, seed)
    sol = obj = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        sol = [next(c for c in range(C) if solver.value(x[i][c])) for i in range(n)]
        obj = check_csplib(inst, sol).violated_windows
    if status == cp_model.INFEASIBLE:
        bound = 1  # only reachable with decide: no sequence without violation
    elif status == cp_model.OPTIMAL:
        bound = obj
    elif decide:
        bound = 0
    else:
        bound = int(np.ceil(solver.best_objective_bound - 1e-6))
    return ExactResult(
        status=solver.status_name(status),
        objective=obj,
        bound=max(0, bound),
        solution=sol,
        wall_s=time.perf_counter() - start,
    )


def cpsat_roadef(
    inst: RoadefInstance,
    *,
    time_limit: float = 60.0,
    hint: list[int] | np.ndarray | None = None,
    workers: int = 1,
    seed: int = 0,
) -> ExactResult:
    """Minimise the ROADEF weighted score; ``hint`` is a day-D order (car indices)."""
    start = time.perf_counter()
    mday = inst.n_cars
    n0 = len(inst.prev_idents)
    keys = np.concatenate([inst.colours[:, None], inst.options.astype(np.int64)], axis=1)
    uniq, cls = np.unique(keys, axis=0, return_inverse=True)
    cls = cls.reshape(-1)
    C = len(uniq)
    demand = np.bincount(cls, minlength=C)
    m = cp_model.CpModel()
    # a complete hint (every variable, derived from the hinted order): CP-SAT then starts
    # from a feasible solution instead of repairing a partial one
    h = np.arange(mday) if hint is None else np.asarray(hint, dtype=np.int64)
    h_opt = np.concatenate([inst.prev_options, inst.options[h]], axis=0).astype(np.int64)
    h_col = np.concatenate([inst.prev_colours, inst.colours[h]])

    def hinted(var, value):
        if hint is not None:
            m.add_hint(var, int(value))
        return var

    x = [
        [hinted(m.new_bool_var(f"x{i}_{c}"), cls[h[i]] == c) for c in range(C)] for i in range(mday)
    ]
    for i in range(mday):
        m.add_exactly_one(x[i])
    for c in range(C):
        m.add(sum(x[i][c] for i in range(mday)) == int(demand[c]))
    terms = []
    n = n0 + mday
    for j, r in enumerate(inst.ratios):
        w = inst.weight(HPRC if r.high else LPRC)
        if w == 0:
            continue
        with_opt = [c for c in range(C) if uniq[c, 1 + j]]
        # prefix sums over the whole sequence s (D-1 part constant)
        cum = np.concatenate([[0], np.cumsum(h_opt[:, j])])
        S: list = [int(v) for v in cum[: n0 + 1]]
        for i in range(mday):
            s = hinted(m.new_int_var(0, n, f"S{j}_{i + 1}"), cum[n0 + i + 1])
            m.add(s == S[-1] + sum(x[i][c] for c in with_opt))
            S.append(s)
        for i in range(max(0, n0 - r.p + 1), n):
            hi = min(i + r.p, n)
            e = hinted(
                m.new_int_var(0, max(0, hi - i - r.n), f"e{j}_{i}"), max(0, cum[hi] - cum[i] - r.n)
            )
            m.add(S[hi] - S[i] <= r.n + e)
            terms.append(w * e)
    colours = sorted(set(inst.colours.tolist()))
    z = {}
    for col in colours:
        of_colour = [c for c in range(C) if uniq[c, 0] == col]
        z[col] = []
        for i in range(mday):
            b = hinted(m.new_bool_var(f"z{col}_{i}"), h_col[n0 + i] == col)
            m.add(b == sum(x[i][c] for c in of_colour))
            z[col].append(b)
    wp = inst.weight(PAINT)
    if wp:
        prev = int(inst.prev_colours[-1]) if n0 else None
        for i in range(mday):
            if i == 0 and prev is None:
                continue
            ch = hinted(m.new_bool_var(f"ch{i}"), h_col[n0 + i] != h_col[n0 + i - 1])
            for col in colours:
                before = int(prev == col) if i == 0 else z[col][i - 1]
                m.add(ch >= z[col][i] - before)
            terms.append(wp * ch)
    L = int(inst.batch_limit)
    for col in colours:
        count = int((inst.colours == col).sum())
        if count <= L:
            continue
        for i in range(0, mday - L):
            m.add(sum(z[col][i : i + L + 1]) <= L)
    m.minimize(sum(terms))
    solver, status = _solve(m, time_limit, workers, seed)
    name = solver.status_name(status)
    sol = obj = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        pools: dict[int, list[int]] = {}
        for car in range(mday - 1, -1, -1):
            pools.setdefault(int(cls[car]), []).append(car)
        sol = [pools[next(c for c in range(C) if solver.value(x[i][c]))].pop() for i in range(mday)]
        obj = round(solver.objective_value)
    bound = (
        int(np.ceil(solver.best_objective_bound - 1e-6))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        else 0
    )
    if status == cp_model.OPTIMAL:
        bound = obj
    return ExactResult(
        status=name,
        objective=obj,
        bound=max(0, bound),
        solution=sol,
        wall_s=time.perf_counter() - start,
    )
