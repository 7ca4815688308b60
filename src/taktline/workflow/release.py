"""A day's release order through the simulation: the sequence against the orders as received.

``taktline sequence day --simulate`` hands the sequenced release order (each car's
model and options, in order) to a one-day simulation of its plant, and the orders
as they came in to a second one with the same seed. The same cars are built; what
differs is the order: the option stations' work arrives spread out by the spacing
rules, or in clusters. The two runs draw from the same random streams, but a
different order uses the draws differently, so they are not paired failure for
failure: compare their confidence intervals.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from taktline.model import Scenario
from taktline.sequence.plant import DayPlan, Job

MODEL_NOTE = (
    "a paced line stops for a car whose work exceeds the takt wherever it is in the "
    "sequence (the simulation has no drift zones), so spreading an option changes only "
    "which such cars share a conveyor move; on unpaced stations with small buffers, "
    "clustered option work also blocks and starves the neighbours"
)

# per-station figures the comparison reports (means over the replications)
STATION_FIGURES = ("working", "blocked", "starved", "failed", "oee", "bottleneck_share")


def _release(jobs: list[Job]) -> list[tuple[str, tuple[str, ...]]]:
    return [(job.model, job.options) for job in jobs]


def simulate_day_plan(
    scenario: Scenario,
    plan: DayPlan,
    *,
    replications: int = 5,
    seed: int = 1,
    workers: int | None = 1,
) -> dict[str, Any]:
    """Simulate the plan's day twice, sequenced and as received; their KPIs side by side.

    Returns ``throughput_jpd`` (mean and 95 % half-width per order) and, for every
    station an option loads, its state shares, OEE and bottleneck share per order.
    """
    from taktline.simulate import simulate

    def run(jobs: list[Job]) -> dict[str, Any]:
        return simulate(
            scenario,
            horizon="1d",
            replications=replications,
            seed=seed,
            warmup=0,
            workers=workers,
            start=date.fromisoformat(plan.day),
            release_sequence={plan.plant: _release(jobs)},
        ).to_dict()

    runs = {"received": run(plan.received), "sequenced": run(plan.jobs)}
    stations = []
    for load in plan.options:
        if load.station is None:
            continue
        row: dict[str, Any] = {"option": load.option, "station": load.station}
        for order, doc in runs.items():
            found = next(
                s
                for s in doc["stations"]
                if s["plant"] == plan.plant and s["station"] == load.station
            )
            row[order] = {k: found.get(k) for k in STATION_FIGURES}
        stations.append(row)
    plant_kpis = {order: doc["plants"][plan.plant]["kpis"] for order, doc in runs.items()}
    return {
        "horizon": "1d",
        "replications": replications,
        "seed": seed,
        "throughput_jpd": {
            order: {k: kpis["throughput_jpd"][k] for k in ("mean", "ci95")}
            for order, kpis in plant_kpis.items()
        },
        "option_stations": stations,
        "note": MODEL_NOTE,
    }
