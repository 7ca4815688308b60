"""The default plant: the ramp fit, the public record it must reproduce, the 2026 question."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from taktline.model import load_scenario
from taktline.plan import PlanSettings, backtest, fit_ramp, make_plan, quote
from taktline.plan.capacity import build_timeline
from taktline.plan.months import parse_month
from taktline.plan.ramp import days_to_share, ramp_share


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(None)


@pytest.fixture(scope="module")
def plan_2024(scenario):
    return make_plan(scenario, PlanSettings(), "2024-03", "2026-12")


def test_ramp_forms_closed_form() -> None:
    t = np.array([-5.0, 0.0, 1e6])
    for form, params in (("logistic", (0.05, 60)), ("gompertz", (4, 0.03)), ("exponential", (40,))):
        assert np.allclose(ramp_share(form, params, t), [0, 0, 1])
    # 1 - exp(-t/tau) reaches 1 - 1/e at t = tau
    assert days_to_share("exponential", (40.0,), 1 - np.exp(-1)) == pytest.approx(40, abs=1e-6)


def test_fit_recovers_known_parameters(scenario) -> None:
    """Synthetic record from known parameters: the least-squares fit finds them again."""
    timeline = build_timeline(scenario, parse_month("2025-12"))
    truth = {"level": 0.93, "shape": (0.05, 70.0)}
    daily = {
        p: timeline.daily_rate(timeline.plants[p], "logistic", truth["shape"], truth["level"])
        for p in ("phase1", "phase2")
    }
    site = timeline.to_months(sum(daily.values()))
    lag = 7 / (365.25 / 12)
    delivered = (1 - lag) * site + lag * np.concatenate([[0.0], site[:-1]])
    record = [
        {"month": f"{m.year}-{m.month:02d}", "deliveries": round(float(v))}
        for m, v in zip(timeline.months, delivered, strict=True)
        if v >= 1000
    ]
    plants = [p.model_copy(update={"ramp_up": ()}) for p in scenario.plants]
    synthetic = scenario.model_copy(
        update={
            "record": tuple(type(scenario.record[0]).model_validate(r) for r in record),
            "plants": tuple(plants),
        }
    )
    fit = fit_ramp(synthetic, timeline, "logistic", None, 7.0)
    assert fit.level == pytest.approx(0.93, rel=0.01)
    assert fit.shapes["phase1"][0] == pytest.approx(0.05, rel=0.05)
    assert fit.shapes["phase1"][1] == pytest.approx(70, rel=0.05)
    assert fit.rms_relative < 0.01


def test_fit_reports_residuals(scenario) -> None:
    timeline = build_timeline(scenario, parse_month("2026-12"))
    fit = fit_ramp(scenario, timeline)
    assert len(fit.residuals) >= 20
    assert fit.rms_relative < 0.2
    assert set(fit.compared) == {"logistic", "gompertz", "exponential"}
    assert fit.covariance is not None
    doc = fit.document()
    assert doc["residuals"][0]["observed"] > 0


def test_reproduces_the_100000th_car_and_2024(plan_2024) -> None:
    day = plan_2024.cumulative_build_date(100_000)
    assert abs((day - date(2024, 11, 13)).days) <= 10
    total = plan_2024.yearly_deliveries()[2024]
    assert abs(total - 136_854) / 136_854 < 0.05


def test_answers_the_2026_question(scenario) -> None:
    demonstrated = make_plan(scenario, PlanSettings(), "2024-03", "2026-12")
    rated = make_plan(scenario, PlanSettings(capacity_basis="rated"), "2024-03", "2026-12")
    t_dem = next(t for t in demonstrated.targets if t.year == 2026)
    t_rated = next(t for t in rated.targets if t.year == 2026)
    assert t_dem.reachable and t_dem.planned > 550_000
    assert not t_rated.reachable and t_rated.shortfall > 200_000
    assert t_rated.levers, "levers must be proposed when a target falls short"
    assert t_rated.shortfall_with_levers < t_rated.shortfall


def test_backtest_error_is_bounded(scenario) -> None:
    for cutoff in ("2024-09", "2024-12"):
        result = backtest(scenario, cutoff, 12)
        assert len(result.rows) == 12
        assert result.mape(6) < 25
        assert result.mape(12) < 25


def test_quote_for_a_yu7(scenario) -> None:
    q = quote(scenario, "YU7", "2025-07-01", settings=PlanSettings(samples=4))
    weeks = q.weeks(q.expected)
    assert 26 <= weeks <= 70  # the app showed 32-56 weeks in 2025 (facts 1.7)
    assert q.p10 <= q.p50 <= q.p90
    assert q.position >= 240_000  # the 240,000 locked on 2025-06-27 are ahead


def test_every_lever_kind_on_the_default_plant(scenario, checker) -> None:
    """Levers from 2025-01: phase 2 forward, calendar levers, phase 3; the MIP plan is feasible."""
    from taktline.plan import build_problem

    settings = PlanSettings(levers_from="2025-01")
    inputs = build_problem(
        scenario, settings, parse_month("2025-01"), parse_month("2026-12"), with_levers=True
    )
    kinds = {lever.kind for lever in inputs.problem.levers}
    assert kinds == {"calendar", "forward", "new_line"}
    forward = next(lv for lv in inputs.problem.levers if lv.kind == "forward")
    july = inputs.problem.months.index("2025-07")
    for option in forward.options:  # an earlier start only adds capacity, most before July
        assert (option.extra >= 0).all() and option.extra[:july].sum() > 0
    report = make_plan(scenario, settings, "2025-01", "2026-12", targets={2025: 450_000})
    target = next(t for t in report.targets if t.year == 2025)
    assert not target.reachable and target.levers
    assert target.shortfall_with_levers < target.shortfall
    assert checker(report.lever_problem, report.lever_solution) == []
    assert checker(report.problem, report.solution) == []


def test_100000th_car_out_of_sample(scenario) -> None:
    """Without the 100,000 milestones in the fit, the record alone still places the car."""
    plants = [
        p.model_copy(update={"ramp_up": tuple(m for m in p.ramp_up if m.value != 100_000)})
        for p in scenario.plants
    ]
    held_out = scenario.model_copy(update={"plants": tuple(plants)})
    report = make_plan(held_out, PlanSettings(levers=False), "2024-03", "2024-12")
    assert abs((report.cumulative_build_date(100_000) - date(2024, 11, 13)).days) <= 10


def test_priority_rule_shortens_the_favoured_models_wait(scenario) -> None:
    fifo = quote(scenario, "YU7", "2025-07-01", settings=PlanSettings(samples=2))
    favoured = quote(
        scenario,
        "YU7",
        "2025-07-01",
        settings=PlanSettings(samples=2, order_rule="priority", priority={"YU7": 3.0}),
    )
    assert favoured.expected < fifo.expected
