"""Production planning: capacity over time, ramp-up fits, the monthly plan LP, order quotes.

Python API::

    from taktline.model import load_scenario
    from taktline.plan import PlanSettings, make_plan, quote

    report = make_plan(load_scenario(None), PlanSettings(), "2024-04", "2026-12")
    report.document()            # the --json document: months[], targets[], fit
    quote(load_scenario(None), "YU7", "2025-07-01").as_dict()
"""

from taktline.plan.backtest import BacktestRow, backtest
from taktline.plan.build import PlanInputs, build_problem
from taktline.plan.fit import RampFit, fit_ramp
from taktline.plan.lp import PlanSolution, solve_plan
from taktline.plan.orders import read_orders_csv
from taktline.plan.planner import PlanReport, Quote, TargetReport, make_plan, quote
from taktline.plan.problem import Lever, LeverOption, PlanProblem, Target
from taktline.plan.render import plan_table, quote_table, targets_table
from taktline.plan.settings import PlanSettings, load_settings

__all__ = [
    "BacktestRow",
    "Lever",
    "LeverOption",
    "PlanInputs",
    "PlanProblem",
    "PlanReport",
    "PlanSettings",
    "PlanSolution",
    "Quote",
    "RampFit",
    "Target",
    "TargetReport",
    "backtest",
    "build_problem",
    "fit_ramp",
    "load_settings",
    "make_plan",
    "plan_table",
    "quote",
    "quote_table",
    "read_orders_csv",
    "solve_plan",
    "targets_table",
]
