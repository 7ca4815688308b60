"""Production planning: capacity over time, ramp-up fits, the monthly plan LP, order quotes.

Python API::

    from taktline.model import load_scenario
    from taktline.plan import PlanSettings, make_plan, quote

    report = make_plan(load_scenario(None), PlanSettings(), "2024-04", "2026-12")
    report.document()            # the --json document: months[], targets[], fit
    quote(load_scenario(None), "YU7", "2025-07-01").as_dict()

Names are imported on first use (PEP 562), so ``import taktline.plan`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "BacktestResult": "backtest",
    "BacktestRow": "backtest",
    "backtest": "backtest",
    "PlanInputs": "build",
    "build_problem": "build",
    "RampFit": "fit",
    "fit_ramp": "fit",
    "PlanSolution": "lp",
    "solve_many": "lp",
    "solve_plan": "lp",
    "read_orders_csv": "orders",
    "PlanReport": "planner",
    "Quote": "planner",
    "TargetReport": "planner",
    "make_plan": "planner",
    "quote": "planner",
    "Lever": "problem",
    "LeverOption": "problem",
    "PlanProblem": "problem",
    "Target": "problem",
    "fit_table": "render",
    "plan_table": "render",
    "quote_table": "render",
    "targets_table": "render",
    "yearly_table": "render",
    "PlanSettings": "settings",
    "load_settings": "settings",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'taktline.plan' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"taktline.plan.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
