"""Buffer allocation: the smallest total buffer that keeps throughput near the unlimited line.

A simulation-based greedy search (the classic one for serial lines): measure the
throughput with every buffer unlimited; start from empty buffers; at each step
try one more place in each buffer, all candidates in parallel on the executor and
with common random numbers (the same seeds for every candidate), and keep the
candidate that gains most; stop when the throughput reaches ``(1 - tolerance)``
of the unlimited line's.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pandas as pd

from taktline.analysis.stats import summarize
from taktline.errors import InputError
from taktline.experiment.executors import Executor, make_executor
from taktline.experiment.factors import apply, scenario_dict
from taktline.experiment.tasks import ChunkTask, simulate_chunk
from taktline.model import Scenario, scenario_from_data

UNLIMITED_PLACES = 1_000_000


@dataclass
class BufferAllocation:
    """The result: capacities per buffer, their total, throughput against the target."""

    capacities: dict[str, int]  # buffer label -> places
    total: int
    throughput_jph: float
    throughput_ci95: float
    unlimited_jph: float
    unlimited_ci95: float
    target_jph: float
    reached: bool
    evaluations: int
    history: pd.DataFrame  # one row per step: total, chosen buffer, throughput
    scenario: Scenario  # the scenario with the allocation applied
    wall_s: float

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` document."""
        return {
            "capacities": self.capacities,
            "total": self.total,
            "throughput_jph": {"mean": self.throughput_jph, "ci95": self.throughput_ci95},
            "unlimited_jph": {"mean": self.unlimited_jph, "ci95": self.unlimited_ci95},
            "target_jph": self.target_jph,
            "reached": self.reached,
            "evaluations": self.evaluations,
            "history": self.history.to_dict(orient="records"),
            "wall_s": self.wall_s,
        }


@dataclass(frozen=True)
class Slot:
    """A place where buffer can be allocated: the path of its capacity and its minimum."""

    path: str
    minimum: int  # a resequencing store needs at least one place per lane


def _minimum(buffer: dict[str, Any]) -> int:
    return int(buffer["lanes"]) if buffer["kind"] == "resequencing" else 0


def buffer_slots(
    scenario: Scenario, plant: str | None = None
) -> tuple[dict[str, Any], dict[str, Slot]]:
    """The scenario as data with an explicit buffer in every unpaced line's gap, and each
    allocatable capacity by a readable label (``line:after-station``, or a store's id)."""
    data = scenario_dict(scenario)
    slots: dict[str, Slot] = {}
    for plant_data in data["plants"]:
        if plant is not None and plant_data["id"] != plant:
            continue
        p = plant_data["id"]
        for shop in plant_data["shops"]:
            for line in shop["lines"]:
                if line["paced"]:
                    continue
                named = {b["after"] for b in line["buffers"]}
                for station in line["stations"][:-1]:
                    if station["id"] not in named:
                        line["buffers"].append(
                            {
                                "id": f"{line['id']}-after-{station['id']}",
                                "after": station["id"],
                                "capacity": line["default_buffer_capacity"],
                                "kind": "fifo",
                                "lanes": 1,
                                "transfer_time_s": 0.0,
                            }
                        )
                for buffer in line["buffers"]:
                    path = (
                        f"plants.{p}.shops.{shop['id']}.lines.{line['id']}"
                        f".buffers.{buffer['id']}.capacity"
                    )
                    slots[f"{line['id']}:{buffer['after']}"] = Slot(path, _minimum(buffer))
        for buffer in plant_data["buffers"]:
            path = f"plants.{p}.buffers.{buffer['id']}.capacity"
            slots[buffer["id"]] = Slot(path, _minimum(buffer))
    if not slots:
        raise InputError(
            "the scenario has no buffer to allocate (only paced lines)",
            field="plant" if plant else None,
        )
    return data, slots


def _with(base: Scenario, slots: dict[str, Slot], places: dict[str, int], label: str) -> Scenario:
    return apply(base, {slots[k].path: v for k, v in places.items()}, {}, label)


def allocate_buffers(
    scenario: Scenario,
    *,
    tolerance: float = 0.02,
    plant: str | None = None,
    horizon_s: float = 7 * 86400,
    warmup_s: float = 86400,
    replications: int = 10,
    seed: int = 1,
    step: int = 1,
    max_total: int = 10_000,
    executor: Executor | str = "local",
    workers: int | None = None,
    address: str | None = None,
) -> BufferAllocation:
    """The smallest total buffer (in steps of ``step`` places) whose throughput is within
    ``tolerance`` of the same plant with unlimited buffers."""
    if not 0 < tolerance < 1:
        raise InputError("must be between 0 and 1 (e.g. 0.02 for 2 %)", field="tolerance")
    if step < 1:
        raise InputError("must be >= 1", field="step")
    t0 = time.perf_counter()
    data, slots = buffer_slots(scenario, plant)
    base = scenario_from_data(data, "<buffer slots>")
    labels = list(slots)
    owned = isinstance(executor, str)
    runner = make_executor(executor, workers, address) if isinstance(executor, str) else executor
    evaluations = 0

    def evaluate(candidates: list[dict[str, int]]) -> list[tuple[float, float]]:
        nonlocal evaluations
        tasks = [
            ChunkTask(
                i,
                _with(base, slots, c, "candidate"),
                horizon_s,
                warmup_s,
                seed,
                0,
                replications,
            )
            for i, c in enumerate(candidates)
        ]
        out: list[tuple[float, float]] = [(0.0, 0.0)] * len(tasks)
        for _, (index, rows) in runner.run(simulate_chunk, tasks):
            frame = pd.DataFrame(rows)
            frame = frame[frame.plant == (plant or "total")]
            stats = summarize(frame.throughput_jph.to_numpy())
            out[index] = (stats["mean"], stats["ci95"])
        evaluations += len(tasks)
        return out

    try:
        ((unlimited, unlimited_ci),) = evaluate([{k: UNLIMITED_PLACES for k in labels}])
        target = (1 - tolerance) * unlimited
        current = {k: slot.minimum for k, slot in slots.items()}
        ((th, th_ci),) = evaluate([current])
        history = [
            {
                "step": 0,
                "total": sum(current.values()),
                "added_to": None,
                "throughput_jph": th,
                "ci95": th_ci,
            }
        ]
        while th < target and sum(current.values()) + step <= max_total:
            candidates = [{**current, k: current[k] + step} for k in labels]
            results = evaluate(candidates)
            best = max(range(len(labels)), key=lambda i: (results[i][0], -i))
            current = candidates[best]
            th, th_ci = results[best]
            history.append(
                {
                    "step": len(history),
                    "total": sum(current.values()),
                    "added_to": labels[best],
                    "throughput_jph": th,
                    "ci95": th_ci,
                }
            )
    finally:
        if owned:
            runner.close()
    allocated = _with(base, slots, current, "allocation")
    return BufferAllocation(
        capacities=current,
        total=sum(current.values()),
        throughput_jph=th,
        throughput_ci95=th_ci,
        unlimited_jph=unlimited,
        unlimited_ci95=unlimited_ci,
        target_jph=target,
        reached=th >= target,
        evaluations=evaluations,
        history=pd.DataFrame(history),
        scenario=allocated,
        wall_s=time.perf_counter() - t0,
    )
