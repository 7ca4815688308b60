"""Running an experiment: design points × replications on an executor, then statistics."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from taktline.analysis.stats import summarize
from taktline.experiment.design import DesignPoint, design_points
from taktline.experiment.executors import Executor, make_executor
from taktline.experiment.factors import apply
from taktline.experiment.loader import Experiment
from taktline.experiment.tasks import ChunkTask, simulate_chunk

TOTAL = "total"


@dataclass
class ExperimentResult:
    """An experiment's results as tidy tables.

    - ``replications``: one row per (point, replication, plant) with the factor
      values and every scalar KPI;
    - ``summary``: one row per (point, plant, kpi): mean and 95 % CI over replications;
    - ``main_effects``: one row per (factor, level, kpi) for the site total: the mean
      over the points at that level and its difference from the grand mean.
    """

    name: str
    points: list[DesignPoint]
    replications: pd.DataFrame
    summary: pd.DataFrame
    main_effects: pd.DataFrame
    kpis: tuple[str, ...]
    warmup_s: float
    executor: str
    workers: int
    tasks: int
    wall_s: float
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` document."""
        return {
            "experiment": self.name,
            "points": [{"point": p.index, **p.values} for p in self.points],
            "kpis": list(self.kpis),
            "summary": self.summary.to_dict(orient="records"),
            "main_effects": self.main_effects.to_dict(orient="records"),
            "replications_per_point": int(self.replications.replication.nunique()),
            "warmup_s": self.warmup_s,
            "executor": self.executor,
            "workers": self.workers,
            "tasks": self.tasks,
            "wall_s": self.wall_s,
        }


def _chunk_size(replications: int, points: int, workers: int) -> int:
    """Replications per task: whole points when there are enough to keep workers busy."""
    wanted_tasks = 4 * workers
    if points >= wanted_tasks:
        return replications
    per_point = math.ceil(wanted_tasks / points)
    return max(1, math.ceil(replications / per_point))


def _warmup(experiment: Experiment) -> float:
    spec = experiment.spec
    if spec.warmup_s is not None:
        return spec.warmup_s
    from taktline.simulate import simulate

    # MSER-5 once on the base scenario, then the same warm-up for every point:
    # points stay comparable and common random numbers stay aligned.
    pilot = simulate(
        experiment.scenario,
        horizon=spec.horizon_s,
        replications=1,
        seed=spec.seed,
        warmup="auto",
        workers=1,
    )
    return pilot.warmup_s


def run_experiment(
    experiment: Experiment,
    *,
    executor: Executor | str = "local",
    workers: int | None = None,
    address: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    on_point: Callable[[DesignPoint, pd.DataFrame], None] | None = None,
) -> ExperimentResult:
    """Run every design point's replications and summarise them.

    ``progress(done, total)`` is called as tasks finish; ``on_point(point, rows)``
    as soon as all replications of a point are in (to stream them into a store).
    Results are bit-identical for any executor and worker count.
    """
    t0 = time.perf_counter()
    spec = experiment.spec
    points = design_points(spec)
    scenarios = [
        apply(experiment.scenario, p.settings, p.scales, f"design point {p.index}") for p in points
    ]
    warmup_s = _warmup(experiment)
    owned = isinstance(executor, str)
    runner = make_executor(executor, workers, address) if isinstance(executor, str) else executor
    try:
        size = _chunk_size(spec.replications, len(points), runner.workers)
        tasks = [
            ChunkTask(
                p.index,
                scenarios[p.index],
                spec.horizon_s,
                warmup_s,
                spec.seed,
                first,
                min(size, spec.replications - first),
            )
            for p in points
            for first in range(0, spec.replications, size)
        ]
        chunks_left = {p.index: 0 for p in points}
        for task in tasks:
            chunks_left[task.point] += 1
        rows_by_point: dict[int, list[dict]] = {p.index: [] for p in points}
        for done, (_, (point, rows)) in enumerate(runner.run(simulate_chunk, tasks), start=1):
            rows_by_point[point].extend(rows)
            chunks_left[point] -= 1
            if progress:
                progress(done, len(tasks))
            if on_point and chunks_left[point] == 0:
                on_point(points[point], _point_frame(points[point], rows_by_point[point]))
    finally:
        if owned:
            runner.close()
    replications = pd.concat(
        [_point_frame(p, rows_by_point[p.index]) for p in points], ignore_index=True
    )
    kpis = tuple(k for k in spec.kpis if k in replications.columns)
    return ExperimentResult(
        name=spec.name,
        points=points,
        replications=replications,
        summary=_summary(points, replications, kpis),
        main_effects=_main_effects(points, replications, kpis),
        kpis=kpis,
        warmup_s=warmup_s,
        executor=runner.name,
        workers=runner.workers,
        tasks=len(tasks),
        wall_s=time.perf_counter() - t0,
    )


def _point_frame(point: DesignPoint, rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame.insert(0, "point", point.index)
    for offset, (label, value) in enumerate(point.values.items(), start=1):
        frame.insert(offset, label, value)
    return frame.sort_values(["replication", "plant"], kind="stable").reset_index(drop=True)


def _summary(points: list[DesignPoint], reps: pd.DataFrame, kpis: tuple[str, ...]) -> pd.DataFrame:
    rows = []
    for point in points:
        at_point = reps[reps.point == point.index]
        for plant, sub in at_point.groupby("plant", sort=False):
            for kpi in kpis:
                stats = summarize(sub[kpi].to_numpy())
                rows.append(
                    {
                        "point": point.index,
                        **point.values,
                        "plant": plant,
                        "kpi": kpi,
                        "mean": stats["mean"],
                        "ci95": stats["ci95"],
                        "n": stats["n"],
                    }
                )
    return pd.DataFrame(rows)


def _main_effects(
    points: list[DesignPoint], reps: pd.DataFrame, kpis: tuple[str, ...]
) -> pd.DataFrame:
    total = reps[reps.plant == TOTAL]
    point_means = total.groupby("point")[list(kpis)].mean()
    rows = []
    for label in points[0].values if points else []:
        levels = {p.index: p.values[label] for p in points}
        for kpi in kpis:
            grand = float(point_means[kpi].mean())
            by_level: dict[Any, list[float]] = {}
            for index, level in levels.items():
                by_level.setdefault(level, []).append(float(point_means.loc[index, kpi]))
            for level, means in by_level.items():
                mean = sum(means) / len(means)
                rows.append(
                    {
                        "factor": label,
                        "level": level,
                        "kpi": kpi,
                        "mean": mean,
                        "effect": mean - grand,
                        "points": len(means),
                    }
                )
    effects = pd.DataFrame(rows)
    if not effects.empty:  # keep each level as written (not 1 -> 1.0 in a float column)
        effects["level"] = pd.Series([r["level"] for r in rows], dtype=object)
    return effects
