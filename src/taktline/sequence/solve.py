"""The solvers' front door: local search first, CP-SAT for bounds and proofs.

``exact`` chooses how CP-SAT takes part:

* ``"never"``: local search only, for the whole time limit;
* ``"auto"`` (default): local search for half the time (stopping at once if it meets
  the trivial bound), then, if the instance is small enough and not yet proved, CP-SAT
  on the rest of the time to prove a bound or find a better sequence;
* ``"only"``: CP-SAT alone for the whole time limit (the benchmarks' comparison).

A result says whether it is proved optimal and gives the best bound proved.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

import numpy as np

from taktline.errors import InputError
from taktline.sequence import local_search as ls
from taktline.sequence.check import check_csplib, roadef_lower_bound, score_roadef_order
from taktline.sequence.exact import cpsat_csplib, cpsat_roadef
from taktline.sequence.formats import CSPLibInstance, RoadefInstance

EXACT_MODES = ("never", "auto", "only")
CSPLIB_EXACT_MAX_CARS = 200  # CP-SAT's decision model beyond this is hopeless
CSPLIB_SOFT_MAX_CARS = 60  # the optimisation model (violations allowed)
ROADEF_EXACT_MAX_CARS = 120


@dataclass
class CSPLibResult:
    sequence: list[int]  # class indices in sequence order
    violated_windows: int
    excess: int
    optimal: bool  # violated windows proved minimal
    lower_bound: int  # on the violated windows (hence on the excess too)
    wall_s: float
    iterations: int = 0
    method: str = "local search"
    notes: list[str] = field(default_factory=list)
    time_to_best_s: float = 0.0  # when the local search first reached its final score

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class RoadefResult:
    order: list[str]  # day-D idents in sequence order
    objective: int
    hprc: int
    lprc: int
    colour_changes: int
    max_batch: int
    optimal: bool
    lower_bound: int
    given_objective: int  # Renault's own order, for comparison
    wall_s: float
    iterations: int = 0
    method: str = "local search"
    notes: list[str] = field(default_factory=list)
    time_to_best_s: float = 0.0  # when the local search first reached its final score

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("order")
        return d


def _check_args(time_limit: float, exact: str) -> None:
    if exact not in EXACT_MODES:
        raise InputError(f"exact must be one of {', '.join(EXACT_MODES)}, got {exact!r}")
    if not time_limit > 0:
        raise InputError(f"time limit must be positive, got {time_limit}")


def solve_csplib(
    inst: CSPLibInstance,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    max_iterations: int | None = None,
    exact: str = "auto",
    workers: int = 1,
    focus: int = 300,
) -> CSPLibResult:
    """Sequence a CSPLib instance: fewest violated windows (then least excess)."""
    _check_args(time_limit, exact)
    start = time.perf_counter()
    notes: list[str] = []
    best: list[int] = []
    iterations = 0
    time_to_best = 0.0
    method = "local search"
    lower = 0
    if exact != "only":
        comp = ls.compile_csplib(inst, seed=seed)
        share = 1.0 if exact == "never" else 0.5
        stats = ls.search(
            comp,
            seed=seed,
            time_limit=time_limit * share,
            max_iterations=max_iterations,
            focus=focus,
        )
        iterations = stats.iterations
        time_to_best = stats.time_to_best_s
        best = comp.seq.tolist()
    best_windows = check_csplib(inst, best).violated_windows if best else None
    if (
        exact != "never"
        and best_windows != 0
        and (exact == "only" or inst.n_cars <= CSPLIB_EXACT_MAX_CARS)
    ):
        left = max(0.1, time_limit - (time.perf_counter() - start))
        soft = exact == "only" or inst.n_cars <= CSPLIB_SOFT_MAX_CARS
        res = cpsat_csplib(
            inst,
            time_limit=left / 2 if soft and exact != "only" else left,
            workers=workers,
            seed=seed,
            decide=exact != "only",
        )
        if exact != "only":
            notes.append(f"CP-SAT decision model: {res.status} in {res.wall_s:.1f} s")
        lower = max(lower, res.bound)
        if res.solution is not None and (best_windows is None or res.objective < best_windows):
            best, best_windows, method = res.solution, res.objective, "CP-SAT"
        if soft and exact != "only" and lower < best_windows:
            left = max(0.1, time_limit - (time.perf_counter() - start))
            res = cpsat_csplib(inst, time_limit=left, hint=best, workers=workers, seed=seed)
            notes.append(f"CP-SAT optimisation model: {res.status} in {res.wall_s:.1f} s")
            lower = max(lower, res.bound)
            if res.solution is not None and res.objective < best_windows:
                best, best_windows, method = res.solution, res.objective, "CP-SAT"
        elif exact == "only":
            notes.append(f"CP-SAT optimisation model: {res.status} in {res.wall_s:.1f} s")
    if not best:  # CP-SAT alone found nothing: return the plain class order
        best = np.repeat(np.arange(inst.n_classes), inst.demand).tolist()
        notes.append("no sequence found; the plain class order is returned")
    report = check_csplib(inst, best)
    return CSPLibResult(
        sequence=[int(c) for c in best],
        violated_windows=report.violated_windows,
        excess=report.excess,
        optimal=report.violated_windows <= lower,
        lower_bound=min(lower, report.violated_windows),
        wall_s=time.perf_counter() - start,
        iterations=iterations,
        method=method,
        notes=notes,
        time_to_best_s=time_to_best,
    )


def solve_roadef(
    inst: RoadefInstance,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    max_iterations: int | None = None,
    exact: str = "auto",
    workers: int = 1,
    colour_moves: int = 300,
    focus: int = 300,
) -> RoadefResult:
    """Sequence a ROADEF 2005 day, starting from Renault's order (which respects the
    batch limit), never breaking the batch limit."""
    _check_args(time_limit, exact)
    start = time.perf_counter()
    given = score_roadef_order(inst, np.arange(inst.n_cars))
    notes: list[str] = []
    order = np.arange(inst.n_cars)
    if not given.valid:
        order = feasible_start(inst)
        notes.append(
            f"the given order breaks the batch limit ({given.max_batch} > "
            f"{inst.batch_limit}); started from a greedy colour batching"
        )
    trivial = roadef_lower_bound(inst)
    lower = trivial
    best_obj = score_roadef_order(inst, order).objective
    iterations = 0
    time_to_best = 0.0
    method = "given order"
    if exact != "only":
        rc = ls.compile_roadef(inst, order)
        share = 1.0 if exact == "never" or inst.n_cars > ROADEF_EXACT_MAX_CARS else 0.5
        stats = ls.search(
            rc.compiled,
            seed=seed,
            time_limit=time_limit * share,
            max_iterations=max_iterations,
            target=trivial,
            colour_moves=colour_moves,
            focus=focus,
        )
        iterations = stats.iterations
        time_to_best = stats.time_to_best_s
        order = ls.day_order(rc)
        best_obj = score_roadef_order(inst, order).objective
        method = "local search"
    if exact == "only" or (
        exact == "auto" and inst.n_cars <= ROADEF_EXACT_MAX_CARS and best_obj > lower
    ):
        left = max(0.1, time_limit - (time.perf_counter() - start))
        res = cpsat_roadef(inst, time_limit=left, hint=order.tolist(), workers=workers, seed=seed)
        notes.append(f"CP-SAT: {res.status} in {res.wall_s:.1f} s")
        lower = max(lower, res.bound)
        if res.solution is not None:
            obj = score_roadef_order(inst, res.solution)
            if obj.valid and obj.objective < best_obj:
                order, best_obj, method = np.asarray(res.solution), obj.objective, "CP-SAT"
    final = score_roadef_order(inst, order)
    return RoadefResult(
        order=[inst.idents[i] for i in order],
        objective=final.objective,
        hprc=final.hprc,
        lprc=final.lprc,
        colour_changes=final.colour_changes,
        max_batch=final.max_batch,
        optimal=final.objective <= lower,
        lower_bound=min(lower, final.objective),
        given_objective=given.objective,
        wall_s=time.perf_counter() - start,
        iterations=iterations,
        method=method,
        notes=notes,
        time_to_best_s=time_to_best,
    )


def feasible_start(inst: RoadefInstance) -> np.ndarray:
    """A day-D order whose colour runs respect the batch limit: runs of the colour with
    most cars left, each as long as the rest can still be separated."""
    L = inst.batch_limit
    pools: dict[int, list[int]] = {}
    for car in range(inst.n_cars - 1, -1, -1):
        pools.setdefault(int(inst.colours[car]), []).append(car)
    left = {c: len(v) for c, v in pools.items()}

    def can_finish(last: int) -> bool:
        total = sum(left.values())
        if total == 0:
            return True
        top = max(left, key=lambda c: (left[c], c != last))
        # the colour with most cars needs enough others between its runs
        others = total - left[top]
        return left[top] <= L * (others + (0 if top == last else 1))

    order: list[int] = []
    last = None
    while sum(left.values()):
        choices = sorted((c for c in left if left[c] and c != last), key=lambda c: -left[c])
        if not choices:
            raise InputError(
                f"{inst.name}: no order of the day-D cars respects the paint batch limit {L}"
            )
        colour = choices[0]
        for run in range(min(L, left[colour]), 0, -1):
            left[colour] -= run
            if can_finish(colour):
                break
            left[colour] += run
        else:
            raise InputError(
                f"{inst.name}: no order of the day-D cars respects the paint batch limit {L}"
            )
        order.extend(pools[colour].pop() for _ in range(run))
        last = colour
    return np.asarray(order, dtype=np.int64)
