"""Running an experiment with its results streamed into the run store as they arrive."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from taktline.experiment.buffers import BufferAllocation
from taktline.experiment.design import DesignPoint
from taktline.experiment.loader import Experiment
from taktline.experiment.runner import ExperimentResult, run_experiment
from taktline.store import NewRun, RunRecord, RunStore, default_store_path
from taktline.workflow.record_engines import experiment_run


def point_run(experiment: Experiment, point: DesignPoint, rows: pd.DataFrame) -> NewRun:
    """One finished design point as a run: its factor values and per-replication KPIs."""
    spec = experiment.spec
    return NewRun(
        kind="experiment",
        scenario_name=experiment.scenario.name,
        parameters={
            "experiment": spec.name,
            "point": point.index,
            "factors": point.values,
            "horizon_s": spec.horizon_s,
            "replications": spec.replications,
        },
        seed=spec.seed,
        kpis={k: float(rows.loc[rows.plant == "total", k].mean()) for k in spec.kpis if k in rows},
        tables={"replications": rows},
        label=f"{spec.name}: point {point.index}",
    )


def run_and_record_experiment(
    experiment: Experiment,
    *,
    executor: str = "local",
    workers: int | None = None,
    address: str | None = None,
    store: str | os.PathLike[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[ExperimentResult, RunRecord]:
    """Run ``experiment``; every design point is stored as soon as its replications are in,
    and the whole experiment (summary, main effects) at the end."""
    path = Path(store) if store is not None else default_store_path()
    with RunStore(path) as runs:

        def on_point(point: DesignPoint, rows: pd.DataFrame) -> None:
            runs.add(point_run(experiment, point, rows))

        result = run_experiment(
            experiment,
            executor=executor,
            workers=workers,
            address=address,
            progress=progress,
            on_point=on_point,
        )
        parameters: dict[str, Any] = {
            "experiment": experiment.spec.name,
            "scenario": experiment.source,
            "points": len(result.points),
            "replications": experiment.spec.replications,
            "horizon_s": experiment.spec.horizon_s,
            "warmup_s": result.warmup_s,
        }
        record = runs.add(experiment_run(result, parameters, experiment.text, experiment.spec.seed))
    return result, record


def record_buffer_allocation(
    allocation: BufferAllocation,
    scenario_name: str,
    scenario_text: str | None,
    parameters: dict[str, Any],
    store: str | os.PathLike[str] | None = None,
) -> RunRecord:
    """Store a buffer allocation: the capacities found, and the search step by step."""
    capacities = pd.DataFrame(
        {"buffer": list(allocation.capacities), "capacity": list(allocation.capacities.values())}
    )
    run = NewRun(
        kind="experiment",
        scenario_name=scenario_name,
        scenario_yaml=scenario_text,
        parameters={"search": "buffer allocation", **parameters},
        seed=parameters.get("seed"),
        kpis={
            "total buffer": {"value": allocation.total, "unit": "places", "better": "lower"},
            "throughput_jph": {
                "value": allocation.throughput_jph,
                "ci_low": allocation.throughput_jph - allocation.throughput_ci95,
                "ci_high": allocation.throughput_jph + allocation.throughput_ci95,
                "unit": f"jobs/h (target {allocation.target_jph:.2f})",
            },
            "unlimited buffers jph": allocation.unlimited_jph,
            "target reached": "yes" if allocation.reached else "no",
        },
        tables={"capacities": capacities, "search": allocation.history},
        label="buffer allocation",
    )
    path = Path(store) if store is not None else default_store_path()
    with RunStore(path) as runs:
        return runs.add(run)
