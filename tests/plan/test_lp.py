"""The planning LP on small cases whose optimum is worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from taktline.plan import Lever, LeverOption, PlanProblem, Target, solve_plan


def one_line(capacity, orders, **kw) -> PlanProblem:  # type: ignore[no-untyped-def]
    months = [f"2025-{i + 1:02d}" for i in range(len(capacity))]
    return PlanProblem(
        months=months,
        plants=["A"],
        models=["X"],
        markets=["CN"],
        capacity=[capacity],
        eligible=np.ones((1, 1, len(capacity))),
        orders=orders,
        **kw,
    )


def test_target_shortfall_by_hand(checker) -> None:
    # 250 orders, 100 a month, target 300: build 100, 100, 50; 50 short.
    problem = one_line(
        [100, 100, 100], {("X", "CN", 0): 250}, targets=[Target("2025", 2025, 300, [0, 1, 2])]
    )
    sol = solve_plan(problem)
    assert sol.status == "Optimal"
    assert np.allclose(sol.build[0, 0], [100, 100, 50])
    assert np.allclose(sol.deliveries[0, 0], [100, 100, 50])
    assert sol.shortfall["2025"] == pytest.approx(50)
    # penalty 60,000 × 50 minus the waiting saved: 100×(1+2+3) + 100×(2+3) + 50×3
    assert sol.objective == pytest.approx(60_000 * 50 - (600 + 500 + 150))
    assert set(sol.binding) == {
        "capacity[A,2025-01]",
        "capacity[A,2025-02]",
        "orders[X,CN,0]",
        "target[2025]",
    }
    assert checker(problem, sol) == []


def test_eligibility_by_hand(checker) -> None:
    # A builds X and Y, B only Y. Month 0: 120 X and 30 Y locked; month 1: 100 Y more.
    problem = PlanProblem(
        months=["2025-01", "2025-02"],
        plants=["A", "B"],
        models=["X", "Y"],
        markets=["CN"],
        capacity=[[100, 100], [50, 50]],
        eligible=np.array([[[1, 1], [1, 1]], [[0, 0], [1, 1]]]),
        orders={("X", "CN", 0): 120, ("Y", "CN", 0): 30, ("Y", "CN", 1): 100},
    )
    sol = solve_plan(problem)
    assert np.allclose(sol.build[0, 0], [100, 20])  # A: all X it can in month 0
    assert sol.build[1, 0, :].sum() == pytest.approx(0)  # B never builds X
    assert np.allclose(sol.deliveries[:, 0, :], [[100, 20], [30, 100]])
    assert sol.objective == pytest.approx(-(130 * 3 + 20 * 2 + 100 * 1))
    assert "capacity[A,2025-01]" in sol.binding
    assert checker(problem, sol) == []


def test_first_in_first_out_across_models(checker) -> None:
    # One line, 100 a month: Y locked in month 0, X in month 1, Y again in month 2.
    problem = PlanProblem(
        months=["m0", "m1", "m2"],
        plants=["A"],
        models=["X", "Y"],
        markets=["CN"],
        capacity=[[100, 100, 100]],
        eligible=np.ones((1, 2, 3)),
        orders={("Y", "CN", 0): 100, ("X", "CN", 0): 0, ("X", "CN", 1): 100, ("Y", "CN", 2): 100},
    )
    sol = solve_plan(problem)
    assert np.allclose(sol.deliveries[:, 0, :], [[0, 100, 0], [100, 0, 100]])
    assert checker(problem, sol) == []


def test_priority_rule_overrides_lock_in_order(checker) -> None:
    # Both locked in month 0, capacity for one lot a month: priority decides who goes first.
    orders = {("X", "CN", 0): 100, ("Y", "CN", 0): 100}
    base = dict(
        months=["m0", "m1"],
        plants=["A"],
        models=["X", "Y"],
        markets=["CN"],
        capacity=[[100, 100]],
        eligible=np.ones((1, 2, 2)),
        orders=orders,
    )
    sol = solve_plan(PlanProblem(**base, priority={"Y": 2.0}))
    assert np.allclose(sol.deliveries[:, 0, :], [[0, 100], [100, 0]])
    sol = solve_plan(PlanProblem(**base, priority={"X": 2.0}))
    assert np.allclose(sol.deliveries[:, 0, :], [[100, 0], [0, 100]])


def test_delivery_lag_by_hand(checker) -> None:
    # 20 % of a month's build is still in the pipeline at its end.
    problem = one_line([100, 100], {("X", "CN", 0): 1000}, lag_share=0.2)
    sol = solve_plan(problem)
    assert np.allclose(sol.deliveries[0, 0], [80, 100])
    assert np.allclose(sol.stock[0, 0], [20, 20])
    assert sol.objective == pytest.approx(-(80 * 3 + 100 * 2) + 40)
    assert checker(problem, sol) == []


def test_cheapest_levers_close_the_gap(checker) -> None:
    # Need 30 more than 300. Overtime 30 × 100 = 3,000; a shift from m2 (+20, 500) plus
    # 10 overtime = 1,500; a shift from m1 (+40, 1,000) = 1,000: the cheapest.
    early = LeverOption("from m1", 1, np.array([0, 20, 20.0]), 1000)
    late = LeverOption("from m2", 2, np.array([0, 0, 20.0]), 500)
    problem = one_line(
        [100, 100, 100],
        {("X", "CN", 0): 400},
        targets=[Target("2025", 2025, 330, [0, 1, 2])],
        levers=[Lever("shift", "calendar", "A", [early, late])],
        overtime_cap=np.array([[10, 10, 10.0]]),
        overtime_cost_per_car=100,
    )
    sol = solve_plan(problem)
    assert sol.chosen() == [("shift", "from m1")]
    assert sol.shortfall["2025"] == pytest.approx(0)
    assert sol.overtime.sum() == pytest.approx(0)
    assert np.allclose(sol.deliveries[0, 0], [100, 120, 120])
    assert sol.objective == pytest.approx(1000 - (100 * 6 + 120 * 5 + 120 * 3))
    assert checker(problem, sol) == []


def test_compulsory_choice_and_no_lever_when_target_met(checker) -> None:
    baseline = LeverOption("as planned", 0, np.zeros(2), 0.0)
    earlier = LeverOption("earlier", 0, np.array([50, 0.0]), 10_000)
    problem = one_line(
        [100, 100],
        {("X", "CN", 0): 150},
        targets=[Target("2025", 2025, 150, [0, 1])],
        levers=[Lever("start", "forward", "A", [baseline, earlier], exactly_one=True)],
    )
    sol = solve_plan(problem)
    assert sol.chosen() == [("start", "as planned")]
    assert checker(problem, sol) == []


def test_checker_catches_a_broken_plan(checker) -> None:
    problem = one_line([100, 100], {("X", "CN", 0): 150})
    sol = solve_plan(problem)
    sol.build[0, 0, 0] += 30  # over capacity and off balance
    problems = checker(problem, sol)
    assert any("capacity" in p for p in problems)
    assert any("stock balance" in p for p in problems)
