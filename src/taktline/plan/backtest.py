"""Back-test: fit on the record up to a cut-off month, plan the next months, compare with actuals.

Only data dated up to the cut-off enters the fit (record months and milestones);
the scenario's calendar (shift plan, holidays) and plant starts are taken as
known in advance, as a planner would have them. The plan is capacity-bound
(orders exceed capacity throughout Xiaomi's record), so this tests the capacity
model and the ramp fit, not the demand side. A naive peer is reported with it:
"next months = the cut-off month" (persistence).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from taktline.errors import InputError
from taktline.model import Scenario
from taktline.plan.build import build_problem
from taktline.plan.lp import solve_plan
from taktline.plan.months import add_months, month_key, parse_month
from taktline.plan.settings import PlanSettings


@dataclass
class BacktestRow:
    """One forecast month: planned against actual deliveries."""

    cutoff: str
    month: str
    ahead: int
    actual: float
    quality: str | None
    planned: float
    persistence: float

    @property
    def error(self) -> float:
        """Relative error of the plan, (planned - actual) / actual."""
        return (self.planned - self.actual) / self.actual


@dataclass
class BacktestResult:
    """All months of one cut-off, with the fit that produced them."""

    cutoff: str
    rows: list[BacktestRow]
    fit_form: str
    fit_level: float
    fit_rms: float

    def mape(self, months: int) -> float:
        """Mean absolute percentage error of the plan over the first ``months`` months."""
        rows = [r for r in self.rows if r.ahead <= months]
        return float(np.mean([abs(r.error) for r in rows]) * 100) if rows else float("nan")

    def persistence_mape(self, months: int) -> float:
        """The same for the persistence forecast."""
        rows = [r for r in self.rows if r.ahead <= months]
        if not rows:
            return float("nan")
        return float(np.mean([abs(r.persistence - r.actual) / r.actual for r in rows]) * 100)

    def bias(self, months: int) -> float:
        """Mean signed error (%) over the first ``months`` months: > 0 the plan is too high."""
        rows = [r for r in self.rows if r.ahead <= months]
        return float(np.mean([r.error for r in rows]) * 100) if rows else float("nan")


def backtest(
    scenario: Scenario, cutoff: str, months: int = 12, settings: PlanSettings | None = None
) -> BacktestResult:
    """Plan the ``months`` after ``cutoff`` from data up to it; compare with the record."""
    base = settings or PlanSettings()
    cut = parse_month(cutoff, "cutoff")
    record = {r.month: r for r in scenario.record if r.deliveries is not None}
    if month_key(cut) not in record:
        raise InputError(
            f"the record has no deliveries for the cut-off month {cutoff}", field="cutoff"
        )
    tuned = base.model_copy(update={"fit_cutoff": month_key(cut), "levers": False})
    start, end = add_months(cut, 1), add_months(cut, months)
    inputs = build_problem(scenario, tuned, start, end, include_targets=False)
    solution = solve_plan(inputs.problem)
    planned = solution.deliveries.sum(axis=(0, 1))
    last = record[month_key(cut)].deliveries
    rows = []
    for m, key in enumerate(inputs.problem.months):
        if key in record:
            rec = record[key]
            rows.append(
                BacktestRow(
                    month_key(cut),
                    key,
                    m + 1,
                    float(rec.deliveries),
                    rec.quality,
                    float(planned[m]),
                    float(last),
                )
            )
    return BacktestResult(
        month_key(cut), rows, inputs.fit.form, inputs.fit.level, inputs.fit.rms_relative
    )
