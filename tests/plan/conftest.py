"""Shared fixtures of the planning tests: an independent checker of any plan."""

from __future__ import annotations

import numpy as np
import pytest

from taktline.plan import PlanProblem, PlanSolution

TOL = 1e-5


def check_plan(problem: PlanProblem, sol: PlanSolution) -> list[str]:
    """Every constraint of the planning model, recomputed from the plan's numbers.

    Written from the model's statement (docs/plan.md), not from the LP code: it
    returns the list of violated constraints (empty if the plan is feasible).
    """
    bad: list[str] = []
    P, K, M = len(problem.plants), len(problem.models), problem.horizon
    tol = lambda x: TOL * max(1.0, abs(x))  # noqa: E731
    for name, arr in (
        ("build", sol.build),
        ("ship", sol.ship),
        ("stock", sol.stock),
        ("deliveries", sol.deliveries),
        ("overtime", sol.overtime),
    ):
        if (arr < -TOL).any():
            bad.append(f"{name} negative")
    if (sol.build[~problem.eligible] > TOL).any():
        bad.append("build of a model on a plant or in a month not eligible")
    extra = np.zeros((P, M))
    for lever in problem.levers:
        chosen = [o for o in lever.options if sol.picks[lever.name, o.label] > 0.5]
        values = [sol.picks[lever.name, o.label] for o in lever.options]
        if any(min(abs(v), abs(v - 1)) > 1e-6 for v in values):
            bad.append(f"lever {lever.name} not 0/1")
        if len(chosen) > 1 or (lever.exactly_one and len(chosen) != 1):
            bad.append(f"lever {lever.name}: {len(chosen)} options chosen")
        for option in chosen:
            extra[problem.plants.index(lever.plant)] += option.extra
    for p in range(P):
        for m in range(M):
            limit = problem.capacity[p, m] + sol.overtime[p, m] + extra[p, m]
            if sol.build[p, :, m].sum() > limit + tol(limit):
                bad.append(f"capacity {problem.plants[p]} {problem.months[m]}")
            if sol.overtime[p, m] > problem.overtime_cap[p, m] + TOL:
                bad.append(f"overtime above its cap {problem.plants[p]} {problem.months[m]}")
            for k in range(K):
                before = problem.initial_inventory[p, k] if m == 0 else sol.stock[p, k, m - 1]
                expect = before + sol.build[p, k, m] - sol.ship[p, k, m]
                if abs(sol.stock[p, k, m] - expect) > tol(expect):
                    bad.append(f"stock balance {problem.plants[p]} {problem.models[k]} {m}")
                if sol.stock[p, k, m] < problem.lag_share * sol.build[p, k, m] - TOL:
                    bad.append(f"pipeline {problem.plants[p]} {problem.models[k]} {m}")
    for k, model in enumerate(problem.models):
        for m in range(M):
            shipped = sol.ship[:, k, m].sum()
            delivered = sol.deliveries[k, :, m].sum()
            if abs(shipped - delivered) > tol(delivered):
                bad.append(f"shipped != delivered {model} {m}")
    for g, market in enumerate(problem.markets):
        for k, model in enumerate(problem.models):
            locked = np.zeros(M)
            for (kk, gg, c), units in problem.orders.items():
                if kk == model and gg == market:
                    locked[max(c, 0) :] += units
            cumulative = np.cumsum(sol.deliveries[k, g])
            if (cumulative > locked + 1e-4 * np.maximum(1.0, locked)).any():
                bad.append(f"delivered more than ordered {model} {market}")
    for (_k, _g, c, m), value in sol.cohort_deliveries.items():
        if m < c and value > TOL:
            bad.append(f"order of month {c} delivered in month {m}")
    for target in problem.targets:
        got = target.delivered_before + sum(sol.deliveries[:, :, m].sum() for m in target.months)
        short = max(target.units - got, 0.0)
        if abs(sol.shortfall[target.label] - short) > tol(short):
            bad.append(f"target {target.label}: shortfall {sol.shortfall[target.label]} != {short}")
    cost = problem.holding_cost_per_car_month * sol.stock.sum()
    cost += problem.overtime_cost_per_car * sol.overtime.sum()
    cost += problem.target_penalty_per_car * sum(sol.shortfall.values())
    for lever in problem.levers:
        cost += sum(o.cost * sol.picks[lever.name, o.label] for o in lever.options)
    for (k, _g, c, m), value in sol.cohort_deliveries.items():
        cost -= problem.delivery_value(k, c, m) * value
    if abs(cost - sol.objective) > 1e-6 * max(1.0, abs(cost)):
        bad.append(f"objective {sol.objective} != recomputed {cost}")
    return bad


@pytest.fixture
def checker():
    """The independent plan checker."""
    return check_plan
