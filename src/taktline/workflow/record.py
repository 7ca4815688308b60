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
        "nominal cars/year": {
            "value": summary.jobs_per_year,
            "unit": f"cars in {summary.year}",
            "better": "higher",
        },
        "rated cars/year": {"value": summary.rated_capacity_per_year, "unit": "cars"},
    }
    for plant in summary.plants:
        kpis[f"{plant.plant} jobs/h"] = {
            "value": plant.jobs_per_hour,
            "unit": "jobs/h",
            "better": "higher",
        }
        kpis[f"{plant.plant} jobs/day"] = {
            "value": plant.jobs_per_day,
            "unit": "jobs/day",
            "better": "higher",
        }
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


# -- simulation ----------------------------------------------------------------------
SIM_KPIS = {  # engine KPI -> (label, unit, scale, which way is better)
    "throughput_jph": ("throughput", "jobs per working hour", 1.0, "higher"),
    "throughput_jpd": ("output per day", "jobs per calendar day", 1.0, "higher"),
    "takt_attainment": ("takt attainment", "share of nominal", 1.0, "higher"),
    "wip": ("WIP", "jobs", 1.0, "lower"),
    "lead_time_s": ("lead time", "h", 1 / 3600, "lower"),
    "lead_time_p95_s": ("lead time p95", "h", 1 / 3600, "lower"),
    "finished": ("finished", "jobs in the window", 1.0, "higher"),
}


def simulation_kpis(result: Any) -> dict[str, Any]:
    """Headline KPIs with 95 % CIs: the site total, then each plant's throughput and
    bottleneck."""
    kpis: dict[str, Any] = {}
    table = result.kpis

    def entry(plant: str, name: str) -> dict[str, Any] | None:
        row = table[(table.plant == plant) & (table.kpi == name)]
        if row.empty:
            return None
        _, unit, scale, better = SIM_KPIS[name]
        mean, half = float(row["mean"].iloc[0]) * scale, float(row["ci95"].iloc[0]) * scale
        return {
            "value": mean,
            "ci_low": mean - half,
            "ci_high": mean + half,
            "ci_level": 0.95,
            "unit": unit,
            "better": better,
        }

    for name, (label, *_) in SIM_KPIS.items():
        value = entry("total", name)
        if value is not None:
            kpis[label] = value
    plants = [p for p in dict.fromkeys(table.plant) if p != "total"]
    for plant in plants:
        value = entry(plant, "throughput_jph")
        if value is not None and len(plants) > 1:
            kpis[f"{plant} throughput"] = value
        neck = result.bottleneck.get(plant)
        if neck:
            kpis[f"{plant} bottleneck"] = neck["station"]
    return kpis


def simulation_tables(
    result: Any, series: dict[str, pd.DataFrame] | None = None
) -> dict[str, pd.DataFrame]:
    """The result's tidy tables, buffer level histograms made long, the bottleneck flagged."""
    stations = result.stations.copy()
    necks = {(p, b["station"]) for p, b in result.bottleneck.items()}
    stations["bottleneck"] = [
        (p, s) in necks for p, s in zip(stations.plant, stations.station, strict=True)
    ]
    buffers = result.buffers.drop(columns=["distribution"])
    levels = [
        {"plant": row.plant, "buffer": row.buffer, "level": level, "share": float(share)}
        for row in result.buffers.itertuples()
        for level, share in enumerate(row.distribution)
    ]
    tables = {
        "kpis": result.kpis,
        "replications": result.replications,
        "stations": stations,
        "buffers": buffers,
        "buffer_levels": pd.DataFrame(levels, columns=["plant", "buffer", "level", "share"]),
        "conservation": result.conservation,
    }
    tables.update(series or {})
    return tables


def simulation_run(
    scenario_name: str,
    scenario_text: str | None,
    parameters: dict[str, Any],
    result: Any,
    series: dict[str, pd.DataFrame] | None = None,
    label: str | None = None,
) -> NewRun:
    """A :class:`~taktline.simulate.SimulationResult` as a run (kind ``simulate``)."""
    return NewRun(
        kind="simulate",
        scenario_name=scenario_name,
        scenario_yaml=scenario_text,
        parameters=dict(parameters),
        seed=result.seed,
        kpis=simulation_kpis(result),
        tables=simulation_tables(result, series),
        label=label,
    )


def record_simulation(
    store: RunStore,
    scenario_text: str | None,
    parameters: dict[str, Any],
    result: Any,
    series: dict[str, pd.DataFrame] | None = None,
    label: str | None = None,
) -> RunRecord:
    """Store a simulation result (``parameters`` as asked: horizon, replications, seed, ...)."""
    return store.add(
        simulation_run(result.scenario, scenario_text, parameters, result, series, label)
    )
