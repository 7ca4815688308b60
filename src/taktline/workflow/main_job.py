"""The main job (``taktline run``, so ``make run``): the digital twin's day on one scenario.

Validate the scenario, summarise its nominal capacity, simulate it with confidence
intervals, plan its months (when its plants have start dates), record the runs in
the run store and write the simulation's HTML report.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from taktline.model import Scenario, load_scenario
from taktline.store import RunRecord, RunStore, default_store_path
from taktline.workflow.record_engines import plan_run
from taktline.workflow.reporting import (
    default_report_path,
    record_simulation_result,
    scenario_text_of,
    store_run,
)
from taktline.workflow.summary import ScenarioSummary, summarize


@dataclass
class MainJobResult:
    """Everything the main job computed and where it put it."""

    scenario: Scenario
    capacity: ScenarioSummary
    simulation: Any  # taktline.simulate.SimulationResult
    plan: Any | None  # taktline.plan.PlanReport, None when no plant has a start date
    simulation_run: RunRecord
    plan_run: RunRecord | None
    report: Path


def main_job(
    scenario_arg: str | os.PathLike[str] | None = None,
    *,
    year: int | None = None,
    horizon: str = "30d",
    replications: int = 10,
    seed: int = 1,
    store: str | os.PathLike[str] | None = None,
    report: str | os.PathLike[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> MainJobResult:
    """Run the main job on a scenario (the built-in default plant when None)."""
    from taktline.plan import PlanSettings, make_plan
    from taktline.report import write_report
    from taktline.simulate import simulate

    scenario = load_scenario(scenario_arg)
    text = scenario_text_of(scenario_arg)
    capacity = summarize(scenario, year=year)
    result = simulate(
        scenario,
        horizon=horizon,
        replications=replications,
        seed=seed,
        warmup="auto",
        progress=progress,
    )
    parameters = {"horizon": horizon, "replications": replications, "seed": seed, "warmup": "auto"}
    sim_record = record_simulation_result(scenario, text, result, parameters, store)
    plan, plan_record = None, None
    if any(p.start_of_production for p in scenario.plants):
        plan = make_plan(scenario, PlanSettings())
        plan_record = store_run(plan_run(scenario.name, text, {"settings": "default"}, plan), store)
    store_path = Path(store) if store is not None else default_store_path()
    target = Path(report) if report is not None else default_report_path(store_path, sim_record.id)
    with RunStore(store_path) as runs:
        path = write_report(runs, sim_record.id, target)
    return MainJobResult(scenario, capacity, result, plan, sim_record, plan_record, path.resolve())
