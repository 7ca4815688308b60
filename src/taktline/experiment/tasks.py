"""The unit of work that travels to a worker: some replications of one design point."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from taktline.model import Scenario


@dataclass(frozen=True)
class ChunkTask:
    """Replications ``first .. first + count - 1`` of design point ``point``.

    Everything a worker needs travels with the task (the scenario is a few tens of
    kilobytes pickled); replication ``r`` always uses the same random streams,
    whatever the point, the chunk or the worker (common random numbers).
    """

    point: int
    scenario: Scenario
    horizon_s: float
    warmup_s: float
    seed: int
    first: int
    count: int
    start: datetime | None = None


def simulate_chunk(task: ChunkTask) -> tuple[int, list[dict]]:
    """Run one chunk; return the point and one row of scalar KPIs per (replication, plant)."""
    from taktline.simulate import simulate

    result = simulate(
        task.scenario,
        horizon=task.horizon_s,
        replications=task.count,
        first_replication=task.first,
        seed=task.seed,
        warmup=task.warmup_s,
        workers=1,
        start=task.start,
    )
    rows = result.replications.to_dict(orient="records")
    for row in rows:  # the result numbers them from 0
        row["replication"] += task.first
    return task.point, rows
