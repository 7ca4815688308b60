"""The planner's questions as one call each: the plan with its targets, and a wait-time quote."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from taktline.errors import InputError
from taktline.model import OrderLot, Scenario
from taktline.plan.build import PlanInputs, build_problem
from taktline.plan.fit import RampFit
from taktline.plan.lp import PlanSolution, solve_plan
from taktline.plan.months import add_months, days_in_month, month_key, parse_month
from taktline.plan.problem import PlanProblem
from taktline.plan.settings import PlanSettings

REACHED_TOL = 0.5  # cars: LP round-off


@dataclass
class TargetReport:
    """One delivery target: reachable as planned? short by how much? which levers close it?"""

    year: int
    target: float
    planned: float
    reachable: bool
    shortfall: float
    levers: list[dict[str, object]]
    shortfall_with_levers: float
    lever_cost: float

    def as_dict(self) -> dict[str, object]:
        """JSON-ready record."""
        return {
            "year": self.year,
            "target": round(self.target),
            "planned": round(self.planned),
            "reachable": self.reachable,
            "shortfall": round(self.shortfall),
            "levers": self.levers,
            "shortfall_with_levers": round(self.shortfall_with_levers),
            "lever_cost": round(self.lever_cost),
        }


@dataclass
class PlanReport:
    """A solved plan (as the plant is) and, if targets fall short, the plan with levers."""

    inputs: PlanInputs
    solution: PlanSolution
    lever_solution: PlanSolution | None
    targets: list[TargetReport] = field(default_factory=list)
    lever_problem: PlanProblem | None = None

    @property
    def problem(self):  # type: ignore[no-untyped-def]
        """The LP's data."""
        return self.inputs.problem

    def month_rows(self) -> list[dict[str, object]]:
        """One row per month × plant × model: build, deliveries, model backlog, plant capacity."""
        pr, sol = self.problem, self.solution
        backlog = sol.backlog(pr).sum(axis=1)
        rows = []
        for m, month in enumerate(pr.months):
            for p, plant in enumerate(pr.plants):
                if pr.capacity[p, m] <= 0 and sol.build[p, :, m].sum() <= 0:
                    continue
                for k, model in enumerate(pr.models):
                    if not pr.eligible[p, k, m] and sol.ship[p, k, m] <= 0:
                        continue
                    rows.append(
                        {
                            "month": month,
                            "plant": plant,
                            "model": model,
                            "build": round(float(sol.build[p, k, m]), 1),
                            "deliveries": round(float(sol.ship[p, k, m]), 1),
                            "backlog": round(float(backlog[k, m]), 1),
                            "capacity": round(float(pr.capacity[p, m]), 1),
                        }
                    )
        return rows

    def month_totals(self, with_levers: bool = False) -> list[dict[str, object]]:
        """Site totals per month: capacity, build, deliveries, backlog, capacity use.

        ``with_levers``: of the plan with the chosen levers (capacity includes them).
        """
        pr, sol = self.problem, self.solution
        if with_levers:
            pr, sol = self.lever_problem, self.lever_solution  # type: ignore[assignment]
        backlog = sol.backlog(pr).sum(axis=(0, 1))
        out = []
        extra = np.zeros_like(pr.capacity)
        for lever in pr.levers:
            for option in lever.options:
                if sol.picks.get((lever.name, option.label), 0.0) > 0.5:
                    extra[pr.plants.index(lever.plant)] += option.extra
        for m, month in enumerate(pr.months):
            cap = float(pr.capacity[:, m].sum() + extra[:, m].sum() + sol.overtime[:, m].sum())
            built = float(sol.build[:, :, m].sum())
            out.append(
                {
                    "month": month,
                    "capacity": round(cap, 1),
                    "build": round(built, 1),
                    "deliveries": round(float(sol.deliveries[:, :, m].sum()), 1),
                    "backlog": round(float(backlog[m]), 1),
                    "use": round(built / cap, 4) if cap > 0 else None,
                    "by_plant": {
                        plant: round(float(sol.build[p, :, m].sum()), 1)
                        for p, plant in enumerate(pr.plants)
                    },
                }
            )
        return out

    def cumulative_build_date(self, units: float) -> date | None:
        """Day the plan's cumulative site build reaches ``units`` (spread by daily capacity)."""
        return _reach_date(
            self.inputs, self.solution.build.sum(axis=(0, 1)), units, self.inputs.start
        )

    def yearly_deliveries(self, solution: PlanSolution | None = None) -> dict[int, float]:
        """Planned deliveries per calendar year (plus the record's months before the horizon)."""
        sol = solution or self.solution
        out: dict[int, float] = {}
        for target in self.problem.targets:
            out[target.year] = target.delivered_before
        for m, month in enumerate(self.problem.months):
            year = int(month[:4])
            out[year] = out.get(year, 0.0) + float(sol.deliveries[:, :, m].sum())
        return out

    def line_capacities(self) -> list[dict[str, object]]:
        """Capacity of every shop line per year of the horizon (same hours, ramp and level).

        A plant's capacity is its slowest main-flow line's; feeder lines are shown
        for their headroom.
        """
        inputs = self.inputs
        tl = inputs.timeline
        horizon = inputs.horizon_slice
        years = sorted({int(m[:4]) for m in self.problem.months})
        out = []
        for plant in inputs.scenario.plants:
            daily = inputs.daily[plant.id]
            per_jph = tl.to_months(daily)[horizon] / plant.nominal_jph
            for shop in plant.shops:
                for line in shop.lines:
                    monthly = per_jph * line.nominal_jph
                    out.append(
                        {
                            "plant": plant.id,
                            "shop": shop.id,
                            "line": line.id,
                            "feeder": shop.feeds_station is not None,
                            "jph": round(line.nominal_jph, 2),
                            "bottleneck": line.nominal_jph <= plant.nominal_jph + 1e-9
                            and shop.feeds_station is None,
                            "capacity_by_year": {
                                year: round(
                                    float(
                                        sum(
                                            v
                                            for v, key in zip(
                                                monthly, self.problem.months, strict=True
                                            )
                                            if int(key[:4]) == year
                                        )
                                    )
                                )
                                for year in years
                            },
                        }
                    )
        return out

    def document(self) -> dict[str, object]:
        """The ``--json`` document: months[], targets[], fit, levers, notes."""
        inputs = self.inputs
        return {
            "scenario": inputs.scenario.name,
            "from": month_key(inputs.start),
            "to": month_key(inputs.end),
            "capacity_basis": inputs.settings.capacity_basis,
            "levels": {p: round(v, 4) for p, v in inputs.levels.items()},
            "status": self.solution.status,
            "objective": round(self.solution.objective, 2),
            "months": self.month_rows(),
            "totals": self.month_totals(),
            "targets": [t.as_dict() for t in self.targets],
            "lever_plan": self.month_totals(with_levers=True) if self.lever_solution else None,
            "levers_from": (
                self.problem.months[inputs.levers_from] if inputs.levers_from is not None else None
            ),
            "lines": self.line_capacities(),
            "fit": inputs.fit.document(),
            "notes": inputs.notes,
        }


def _reach_date(inputs: PlanInputs, monthly: np.ndarray, units: float, start: date) -> date | None:
    """Day a monthly series' cumulative total reaches ``units``, spread by daily capacity."""
    cumulative = 0.0
    tl = inputs.timeline
    site_daily = sum(inputs.daily.values())
    for m, amount in enumerate(monthly):
        if cumulative + amount >= units and amount > 0:
            month = add_months(start, m)
            first = tl.day_index(month)
            profile = site_daily[first : first + days_in_month(month)]
            if profile.sum() <= 0:
                profile = np.ones(days_in_month(month))
            share = np.cumsum(profile) / profile.sum()
            need = (units - cumulative) / amount
            day = int(np.searchsorted(share, need - 1e-12))
            return month + timedelta(days=day)
        cumulative += amount
    return None


def make_plan(
    scenario: Scenario,
    settings: PlanSettings | None = None,
    start: str | date | None = None,
    end: str | date | None = None,
    lots: list[OrderLot] | None = None,
    targets: dict[int, int] | None = None,
    fit: RampFit | None = None,
) -> PlanReport:
    """Plan monthly build and deliveries; test each target; find the cheapest levers.

    The plan "as is" has no levers; if a target falls short and levers are on,
    a second solve (a MIP) picks the cheapest set that closes it (or, if nothing
    closes it, the set that leaves the least penalty).
    """
    settings = settings or PlanSettings()
    first, last = _horizon(scenario, start, end)
    inputs = build_problem(scenario, settings, first, last, lots, targets, fit, with_levers=False)
    solution = _checked(solve_plan(inputs.problem, settings.time_limit_s, settings.mip_gap))
    report = PlanReport(inputs, solution, None)
    short = any(v > REACHED_TOL for v in solution.shortfall.values())
    lever_solution = None
    if settings.levers and short:
        lever_inputs = build_problem(
            scenario, settings, first, last, lots, targets, inputs.fit, with_levers=True
        )
        if lever_inputs.problem.levers or lever_inputs.problem.overtime_cap.any():
            lever_solution = _checked(
                solve_plan(lever_inputs.problem, settings.time_limit_s, settings.mip_gap)
            )
            report.inputs.levers_from = lever_inputs.levers_from
            report.lever_problem = lever_inputs.problem
    report.lever_solution = lever_solution
    report.targets = _target_reports(report)
    return report


def _checked(solution: PlanSolution) -> PlanSolution:
    if solution.status not in ("Optimal", "Time limit reached"):
        raise InputError(f"the planning model could not be solved: {solution.status}")
    return solution


def _horizon(scenario: Scenario, start, end) -> tuple[date, date]:  # type: ignore[no-untyped-def]
    starts = [p.start_of_production for p in scenario.plants if p.start_of_production]
    if start is None:
        first = min(starts).replace(day=1) if starts else date.today().replace(day=1)
    else:
        first = start if isinstance(start, date) else parse_month(start, "from")
    if end is None:
        last = date(first.year + 2, 12, 1)
    else:
        last = end if isinstance(end, date) else parse_month(end, "to")
    return first, last


def _target_reports(report: PlanReport) -> list[TargetReport]:
    planned = report.yearly_deliveries()
    with_levers = (
        report.yearly_deliveries(report.lever_solution) if report.lever_solution else planned
    )
    out = []
    for target in report.problem.targets:
        short = max(target.units - planned[target.year], 0.0)
        levers: list[dict[str, object]] = []
        cost = 0.0
        remaining = short
        if report.lever_solution is not None and short > REACHED_TOL:
            remaining = max(target.units - with_levers[target.year], 0.0)
            levers, cost = _levers_for_year(report, target.year)
        out.append(
            TargetReport(
                target.year,
                target.units,
                planned[target.year],
                short <= REACHED_TOL,
                short if short > REACHED_TOL else 0.0,
                levers,
                remaining if remaining > REACHED_TOL else 0.0,
                cost,
            )
        )
    return out


def _levers_for_year(report: PlanReport, year: int) -> tuple[list[dict[str, object]], float]:
    problem = report.lever_problem
    sol = report.lever_solution
    months = [m for m, key in enumerate(problem.months) if int(key[:4]) == year]
    out, total = [], 0.0
    for lever in problem.levers:
        for option in lever.options:
            if sol.picks.get((lever.name, option.label), 0.0) > 0.5:
                added = float(option.extra[months].sum())
                if added <= 0:
                    continue
                out.append(
                    {
                        "lever": lever.name,
                        "kind": lever.kind,
                        "plant": lever.plant,
                        "option": option.label,
                        "cost": round(option.cost),
                        "capacity_added_in_year": round(added),
                    }
                )
                total += option.cost
    overtime = float(sol.overtime[:, months].sum())
    if overtime > REACHED_TOL:
        cost = overtime * problem.overtime_cost_per_car
        out.append(
            {
                "lever": "overtime",
                "kind": "overtime",
                "plant": ",".join(
                    p for i, p in enumerate(problem.plants) if sol.overtime[i, months].sum() > 0.5
                ),
                "option": f"{overtime:,.0f} cars",
                "cost": round(cost),
                "capacity_added_in_year": round(overtime),
            }
        )
        total += cost
    return out, total


@dataclass
class Quote:
    """When an order placed on a day is expected to be delivered, with a P10-P90 range."""

    model: str
    market: str
    ordered: date
    position: float
    expected: date | None
    p10: date | None
    p50: date | None
    p90: date | None
    samples: int
    horizon_end: date
    beyond_horizon: int

    def weeks(self, day: date | None) -> float | None:
        """Weeks from the order to ``day``."""
        return None if day is None else round((day - self.ordered).days / 7, 1)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready record."""
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {
            "model": self.model,
            "market": self.market,
            "ordered": self.ordered.isoformat(),
            "queue_ahead": round(self.position),
            "expected": iso(self.expected),
            "expected_weeks": self.weeks(self.expected),
            "p10": iso(self.p10),
            "p50": iso(self.p50),
            "p90": iso(self.p90),
            "p10_weeks": self.weeks(self.p10),
            "p90_weeks": self.weeks(self.p90),
            "samples": self.samples,
            "beyond_horizon": self.beyond_horizon,
            "horizon_end": month_key(self.horizon_end),
        }


def quote(
    scenario: Scenario,
    model: str,
    ordered: str | date,
    market: str = "CN",
    settings: PlanSettings | None = None,
    lots: list[OrderLot] | None = None,
    months_ahead: int = 36,
) -> Quote:
    """Expected delivery date of an order of ``model`` locked on ``ordered``, first in first out.

    The range comes from the ramp fit's uncertainty: ``settings.samples`` parameter
    draws, each re-planned; P10/P50/P90 are the draws' quantiles.
    """
    settings = settings or PlanSettings()
    known = [m.id for m in scenario.products.models]
    if model not in known:
        raise InputError(f"unknown model {model!r} (known: {', '.join(known)})", field="model")
    if isinstance(ordered, str):
        try:
            ordered = date.fromisoformat(ordered)
        except ValueError:
            raise InputError(
                f"expected a date like 2025-07-01, got {ordered!r}", field="ordered"
            ) from None
    markets = {m.id for m in settings.markets} | {lot.market for lot in (lots or [])}
    if market not in markets:
        raise InputError(
            f"unknown market {market!r} (known: {', '.join(sorted(markets))})", field="market"
        )
    product = next(m for m in scenario.products.models if m.id == model)
    if product.end_of_production is not None and ordered > product.end_of_production:
        raise InputError(
            f"{model} ended production on {product.end_of_production}: no order can be quoted",
            field="ordered",
        )
    first, _ = _horizon(scenario, None, None)
    if ordered < first:
        raise InputError(
            f"the order date is before the first start of production ({first})", field="ordered"
        )
    last = add_months(ordered.replace(day=1), months_ahead)
    quiet = settings.model_copy(update={"levers": False})
    base = build_problem(scenario, quiet, first, last, lots, include_targets=False)
    position = base.book.ahead_of(model, market, ordered) + 1
    expected = _delivery_day(base, solve_plan(base.problem).deliveries, model, market, position)
    days: list[date] = []
    missing = 0
    for draw in _draws(base.fit, settings):
        inputs = build_problem(scenario, quiet, first, last, lots, fit=draw, include_targets=False)
        # the orders are what they are: only capacity varies between draws (the default
        # intake is tied to capacity, and would otherwise move with it)
        inputs.problem.orders = base.problem.orders
        day = _delivery_day(inputs, solve_plan(inputs.problem).deliveries, model, market, position)
        if day is None:
            missing += 1
        else:
            days.append(day)
    p10 = p50 = p90 = None
    if days:
        ordinals = np.array(sorted(d.toordinal() for d in days) + [10**7] * missing, dtype=float)
        qs = np.quantile(ordinals, [0.1, 0.5, 0.9], method="inverted_cdf")
        p10, p50, p90 = (date.fromordinal(int(q)) if q < 10**7 else None for q in qs)
    return Quote(
        model,
        market,
        ordered,
        position - 1,
        expected,
        p10,
        p50,
        p90,
        settings.samples,
        last,
        missing,
    )


def _draws(fit: RampFit, settings: PlanSettings) -> list[RampFit]:
    """Parameter draws: from the fit's covariance, or (no fit) the availability's spread."""
    if fit.fitted and fit.covariance is not None:
        return fit.samples(settings.samples, settings.seed, list(fit.shapes))
    rng = np.random.default_rng(settings.seed)
    levels = settings.availability * (
        1 + settings.availability_sd * rng.standard_normal(settings.samples)
    )
    out = []
    for level in np.clip(levels, 0.05, 1.5):
        draw = fit.with_x(fit.x, None)
        draw.level = float(level)
        out.append(draw)
    return out


def _delivery_day(
    inputs: PlanInputs, deliveries: np.ndarray, model: str, market: str, position: float
) -> date | None:
    problem = inputs.problem
    k = problem.models.index(model)
    g = problem.markets.index(market)
    return _reach_date(inputs, deliveries[k, g], position, inputs.start)
