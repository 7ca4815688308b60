"""The planning LP/MIP, built and solved with HiGHS (highspy).

Variables (all cars, per month m):

- ``build[p,k,m]`` for each plant p and model k eligible in m;
- ``ship[p,k,m]`` cars of model k leaving plant p's stock, ``stock[p,k,m]`` at the month's end;
- ``deliver[k,g,c,m]`` orders of model k, market g, locked in month c, delivered in m (m ≥ c);
- ``overtime[p,m]`` extra cars by overtime; ``pick[l,o]`` binary: option o of lever l chosen;
- ``short[t]`` shortfall of target t.

Rows:

- capacity: Σ_k build[p,k,m] ≤ capacity[p,m] + overtime[p,m] + Σ_o extra_o[m] pick[o];
- stock balance: stock[m] = stock[m-1] + build[m] - ship[m];
- pipeline: stock[p,k,m] ≥ lag_share × build[p,k,m] (the last days' cars are not delivered yet);
- link: Σ_p ship[p,k,m] = Σ_{g,c} deliver[k,g,c,m];
- order bank: Σ_m deliver[k,g,c,m] ≤ orders[k,g,c] (backlog ≥ 0);
- target: Σ_{m in year} deliveries + short[t] ≥ units - delivered before the horizon;
- levers: Σ_o pick[l,o] ≤ 1 (= 1 when a choice is compulsory, e.g. which start month).

Objective: minimise lever costs + overtime cost + penalty × shortfall + holding cost
- the waiting cost saved by each delivery (see :meth:`PlanProblem.delivery_value`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from taktline.plan.problem import PlanProblem

INF = float("inf")  # highspy.kHighsInf is IEEE infinity
TOL = 1e-6


@dataclass
class PlanSolution:
    """A solved plan: every variable's value, the objective and what binds."""

    status: str
    objective: float
    build: np.ndarray  # [p, k, m]
    ship: np.ndarray  # [p, k, m]
    stock: np.ndarray  # [p, k, m]
    deliveries: np.ndarray  # [k, g, m]
    cohort_deliveries: dict[tuple[str, str, int, int], float]
    overtime: np.ndarray  # [p, m]
    picks: dict[tuple[str, str], float]
    shortfall: dict[str, float]
    binding: list[str] = field(default_factory=list)
    duals: dict[str, float] = field(default_factory=dict)
    mip: bool = False

    def backlog(self, problem: PlanProblem) -> np.ndarray:
        """Orders locked but not delivered at each month's end, [k, g, m]."""
        k_index = {k: i for i, k in enumerate(problem.models)}
        g_index = {g: i for i, g in enumerate(problem.markets)}
        out = np.zeros((len(problem.models), len(problem.markets), problem.horizon))
        for (k, g, c), units in problem.orders.items():
            out[k_index[k], g_index[g], max(c, 0) :] += units
        return out - np.cumsum(self.deliveries, axis=2)

    def chosen(self) -> list[tuple[str, str]]:
        """(lever, option) pairs picked."""
        return [key for key, value in self.picks.items() if value > 0.5]


class _Builder:
    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.cost: list[float] = []
        self.integer: list[int] = []
        self.rows: list[tuple[list[int], list[float], float, float, str]] = []

    def var(
        self, cost: float = 0.0, lower: float = 0.0, upper: float = INF, integer: bool = False
    ) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        self.cost.append(cost)
        if integer:
            self.integer.append(len(self.cost) - 1)
        return len(self.cost) - 1

    def row(self, terms: dict[int, float], lower: float, upper: float, name: str) -> None:
        cols = [c for c, v in terms.items() if v != 0.0]
        self.rows.append((cols, [terms[c] for c in cols], lower, upper, name))


def solve_plan(
    problem: PlanProblem, time_limit_s: float = 60.0, mip_gap: float = 1e-4
) -> PlanSolution:
    """Build the model of ``problem``, solve it with HiGHS (highspy), return the plan."""
    return solve_many([problem], time_limit_s, mip_gap)[0]


def solve_many(
    problems: list[PlanProblem], time_limit_s: float = 60.0, mip_gap: float = 1e-4
) -> list[PlanSolution]:
    """Solve several problems with highspy, one after the other."""
    return [_solve_local(p, time_limit_s, mip_gap) for p in problems]


def _solve_local(problem: PlanProblem, time_limit_s: float, mip_gap: float) -> PlanSolution:
    """Build and solve in this process."""
    P, K, G, M = len(problem.plants), len(problem.models), len(problem.markets), problem.horizon
    k_of = {k: i for i, k in enumerate(problem.models)}
    g_of = {g: i for i, g in enumerate(problem.markets)}
    model = _Builder()
    hold = problem.holding_cost_per_car_month
    build: dict[tuple[int, int, int], int] = {}
    ship: dict[tuple[int, int, int], int] = {}
    stock: dict[tuple[int, int, int], int] = {}
    for p in range(P):
        for k in range(K):
            makes = problem.eligible[p, k].any() or problem.initial_inventory[p, k] > 0
            if not makes:
                continue
            for m in range(M):
                if problem.eligible[p, k, m]:
                    build[p, k, m] = model.var()
                ship[p, k, m] = model.var()
                stock[p, k, m] = model.var(cost=hold)
    deliver: dict[tuple[str, str, int, int], int] = {}
    for (k, g, c), units in problem.orders.items():
        if units <= 0:
            continue
        for m in range(max(c, 0), M):
            deliver[k, g, c, m] = model.var(cost=-problem.delivery_value(k, c, m))
    overtime: dict[tuple[int, int], int] = {}
    for p in range(P):
        for m in range(M):
            if problem.overtime_cap[p, m] > 0:
                overtime[p, m] = model.var(
                    cost=problem.overtime_cost_per_car, upper=float(problem.overtime_cap[p, m])
                )
    picks: dict[tuple[str, str], int] = {}
    for lever in problem.levers:
        for option in lever.options:
            picks[lever.name, option.label] = model.var(cost=option.cost, upper=1.0, integer=True)
    short = {t.label: model.var(cost=problem.target_penalty_per_car) for t in problem.targets}

    plant_index = {name: i for i, name in enumerate(problem.plants)}
    extras: dict[tuple[int, int], dict[int, float]] = {}
    for lever in problem.levers:
        p = plant_index[lever.plant]
        for option in lever.options:
            for m in range(M):
                if option.extra[m] > 0:
                    extras.setdefault((p, m), {})[picks[lever.name, option.label]] = -float(
                        option.extra[m]
                    )
    for p in range(P):
        for m in range(M):
            terms = {build[p, k, m]: 1.0 for k in range(K) if (p, k, m) in build}
            if (p, m) in overtime:
                terms[overtime[p, m]] = -1.0
            terms.update(extras.get((p, m), {}))
            if terms:
                name = f"capacity[{problem.plants[p]},{problem.months[m]}]"
                model.row(terms, -INF, float(problem.capacity[p, m]), name)
    for (p, k, m), s_var in stock.items():
        terms = {s_var: 1.0, ship[p, k, m]: 1.0}
        if (p, k, m) in build:
            terms[build[p, k, m]] = -1.0
        start = 0.0
        if m > 0:
            terms[stock[p, k, m - 1]] = -1.0
        else:
            start = float(problem.initial_inventory[p, k])
        where = f"{problem.plants[p]},{problem.models[k]},{problem.months[m]}"
        model.row(terms, start, start, f"stock[{where}]")
        if (p, k, m) in build and problem.lag_share > 0:
            model.row(
                {s_var: 1.0, build[p, k, m]: -problem.lag_share}, 0.0, INF, f"pipeline[{where}]"
            )
    by_model_month: dict[tuple[int, int], dict[int, float]] = {}
    for (k, _g, _c, m), var in deliver.items():
        by_model_month.setdefault((k_of[k], m), {})[var] = -1.0
    for (_p, k, m), var in ship.items():
        by_model_month.setdefault((k, m), {})[var] = 1.0
    for (k, m), terms in by_model_month.items():
        model.row(terms, 0.0, 0.0, f"link[{problem.models[k]},{problem.months[m]}]")
    by_lot: dict[tuple[str, str, int], dict[int, float]] = {}
    for (k, g, c, _m), var in deliver.items():
        by_lot.setdefault((k, g, c), {})[var] = 1.0
    for (k, g, c), terms in by_lot.items():
        model.row(terms, -INF, float(problem.orders[k, g, c]), f"orders[{k},{g},{c}]")
    for target in problem.targets:
        months = set(target.months)
        terms = {var: 1.0 for (k, g, c, m), var in deliver.items() if m in months}
        terms[short[target.label]] = 1.0
        model.row(terms, target.units - target.delivered_before, INF, f"target[{target.label}]")
    for lever in problem.levers:
        terms = {picks[lever.name, o.label]: 1.0 for o in lever.options}
        if terms:
            model.row(terms, 1.0 if lever.exactly_one else -INF, 1.0, f"lever[{lever.name}]")

    highs = _solve(model, time_limit_s, mip_gap)
    status = highs.modelStatusToString(highs.getModelStatus())
    solution = highs.getSolution()
    x = np.array(solution.col_value) if solution.value_valid else np.zeros(len(model.cost))
    row_value = np.array(solution.row_value) if solution.value_valid else np.zeros(len(model.rows))
    row_dual = np.array(solution.row_dual) if solution.dual_valid else None

    out_build = np.zeros((P, K, M))
    out_ship = np.zeros((P, K, M))
    out_stock = np.zeros((P, K, M))
    for key, var in build.items():
        out_build[key] = x[var]
    for key, var in ship.items():
        out_ship[key] = x[var]
    for key, var in stock.items():
        out_stock[key] = x[var]
    deliveries = np.zeros((K, G, M))
    cohorts = {}
    for (k, g, c, m), var in deliver.items():
        deliveries[k_of[k], g_of[g], m] += x[var]
        cohorts[k, g, c, m] = float(x[var])
    out_overtime = np.zeros((P, M))
    for key, var in overtime.items():
        out_overtime[key] = x[var]
    binding, duals = [], {}
    for index, (_, _, lower, upper, name) in enumerate(model.rows):
        value = row_value[index]
        tight = (upper < INF and abs(upper - value) <= TOL * max(1.0, abs(upper))) or (
            lower > -INF and abs(value - lower) <= TOL * max(1.0, abs(lower))
        )
        if tight and lower != upper:
            binding.append(name)
        if row_dual is not None and not model.integer:
            duals[name] = float(row_dual[index])
    return PlanSolution(
        status=status,
        objective=float(highs.getInfo().objective_function_value),
        build=out_build,
        ship=out_ship,
        stock=out_stock,
        deliveries=deliveries,
        cohort_deliveries=cohorts,
        overtime=out_overtime,
        picks={key: float(round(x[var], 6)) for key, var in picks.items()},
        shortfall={label: float(x[var]) for label, var in short.items()},
        binding=binding,
        duals=duals,
        mip=bool(model.integer),
    )


def _solve(model: _Builder, time_limit_s: float, mip_gap: float):  # type: ignore[no-untyped-def]
    import highspy  # here, not at the top: see solve_many

    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("time_limit", float(time_limit_s))
    highs.setOptionValue("mip_rel_gap", float(mip_gap))
    n = len(model.cost)
    upper = np.minimum(np.array(model.upper), highspy.kHighsInf)
    highs.addVars(n, np.array(model.lower), upper)
    highs.changeColsCost(n, np.arange(n, dtype=np.int32), np.array(model.cost))
    starts, indices, values, lower, upper = [], [], [], [], []
    for cols, vals, lo, hi, _ in model.rows:
        starts.append(len(indices))
        indices.extend(cols)
        values.extend(vals)
        lower.append(lo)
        upper.append(hi)
    highs.addRows(
        len(model.rows),
        np.array(lower),
        np.array(upper),
        len(indices),
        np.array(starts, dtype=np.int32),
        np.array(indices, dtype=np.int32),
        np.array(values, dtype=float),
    )
    if model.integer:
        idx = np.array(model.integer, dtype=np.int32)
        kinds = np.array([highspy.HighsVarType.kInteger] * len(idx))
        highs.changeColsIntegrality(len(idx), idx, kinds)
    highs.run()
    return highs
