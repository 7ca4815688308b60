"""Adapters from engines' results to runs of the store (one function per kind of run).

Each ``*_run`` function turns a result into a :class:`~taktline.store.NewRun`
(summary KPIs plus tidy tables); each ``record_*`` function also stores it. The
store itself knows no engine: adding an engine means adding an adapter here.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pandas as pd

from taktline.model import Scenario
from taktline.store import NewRun, RunRecord, RunStore
from taktline.workflow.summary import ScenarioSummary


# -- nominal capacity ----------------------------------------------------------------
def capacity_tables(scenario: Scenario, summary: ScenarioSummary) -> dict[str, pd.DataFrame]:
    """Plants, shops and stations with their nominal rates (jobs per hour, day, year)."""
    plants = pd.DataFrame(
        [{k: v for k, v in asdict(p).items() if k != "shops"} for p in summary.plants]
    )
    shops = pd.DataFrame([asdict(s) for p in summary.plants for s in p.shops])
    stations = []
    for plant in scenario.plants:
        for shop in plant.shops:
            slowest = min(shop.stations, key=lambda s: s.capacity_jph).id
            for line in shop.lines:
                for station in line.stations:
                    stations.append(
                        {
                            "plant": plant.id,
                            "shop": shop.id,
                            "line": line.id,
                            "station": station.id,
                            "cycle_time_s": station.cycle_time_s,
                            "servers": station.servers,
                            "capacity_jph": station.capacity_jph,
                            "shop_jph": shop.nominal_jph,
                            "plant_jph": plant.nominal_jph,
                            "bottleneck": station.id == slowest,
                            "feeder": shop.feeds_station is not None,
                        }
                    )
    return {"plants": plants, "shops": shops, "stations": pd.DataFrame(stations)}


def capacity_kpis(summary: ScenarioSummary) -> dict[str, Any]:
    """Headline figures of a capacity summary, per plant and for the site."""
    kpis: dict[str, Any] = {
        "nominal cars/year": {"value": summary.jobs_per_year, "unit": f"cars in {summary.year}"},
        "rated cars/year": {"value": summary.rated_capacity_per_year, "unit": "cars"},
    }
    for plant in summary.plants:
        kpis[f"{plant.plant} jobs/h"] = {"value": plant.jobs_per_hour, "unit": "jobs/h"}
        kpis[f"{plant.plant} jobs/day"] = {"value": plant.jobs_per_day, "unit": "jobs/day"}
    return kpis


def capacity_run(
    scenario: Scenario,
    scenario_text: str | None,
    summary: ScenarioSummary,
    parameters: dict[str, Any] | None = None,
    label: str | None = None,
) -> NewRun:
    """A nominal-capacity summary as a run (kind ``capacity``, no seed: it is exact).

    ``parameters`` are the ones asked for (so that asking again finds the same
    fingerprint); the reference year is in the yearly KPI's unit.
    """
    return NewRun(
        kind="capacity",
        scenario_name=scenario.name,
        scenario_yaml=scenario_text,
        parameters=dict(parameters or {}),
        seed=None,
        kpis=capacity_kpis(summary),
        tables=capacity_tables(scenario, summary),
        label=label,
    )


def record_capacity(
    store: RunStore,
    scenario: Scenario,
    scenario_text: str | None,
    summary: ScenarioSummary,
    parameters: dict[str, Any] | None = None,
    label: str | None = None,
) -> RunRecord:
    """Store a nominal-capacity summary; returns the stored run."""
    return store.add(capacity_run(scenario, scenario_text, summary, parameters, label))
