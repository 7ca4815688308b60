"""How experiments scale: executor overhead per task, speed-up over local workers, and a
100-point x 10-replication sweep of the default plant.

    .venv/bin/python benchmarks/experiment_scale.py [--out benchmarks/results/experiment.md]
        [--points 100] [--replications 10] [--horizon 30d]

Every figure is measured in this one process run; the table says what the machine was
doing. Ray runs as a local instance on loopback (``ray.init()``), two worker CPUs.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

from taktline.experiment.executors import InlineExecutor, LocalExecutor, RayExecutor
from taktline.experiment.loader import Experiment
from taktline.experiment.runner import run_experiment
from taktline.experiment.spec import ExperimentSpec
from taktline.experiment.tasks import ChunkTask, simulate_chunk
from taktline.fileio import atomic_write_text
from taktline.model import load_scenario

REPO = Path(__file__).resolve().parent.parent


def echo(task: int) -> int:
    """An empty task: what the executor costs by itself."""
    return task


def burn(task: int) -> int:
    """A pure-CPU task: what the machine allows two processes, whatever the executor."""
    total = 0
    for i in range(2_000_000):
        total += i * i
    return total + task


def machine_speedup(tasks: int = 24) -> float:
    """Speed-up of 2 local processes over 1 on pure CPU work, measured now: the ceiling
    for any executor on this machine at this moment (other jobs share the cores)."""
    one = timed(lambda: list(InlineExecutor().run(burn, list(range(tasks)))))
    pool = LocalExecutor(2)
    try:
        two = timed(lambda: list(pool.run(burn, list(range(tasks)))))
    finally:
        pool.close()
    return one / two


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def overhead(executor, tasks: int = 400) -> float:  # type: ignore[no-untyped-def]
    """Seconds per empty task, best of three rounds."""
    rounds = [timed(lambda: list(executor.run(echo, list(range(tasks))))) for _ in range(3)]
    return min(rounds) / tasks


def chunk_cost(scenario, horizon_s: float) -> float:  # type: ignore[no-untyped-def]
    """Seconds of one replication of one design point, in-process (compiled, warm)."""
    task = ChunkTask(0, scenario, horizon_s, 0.0, 1, 0, 1)
    simulate_chunk(task)  # compile
    return statistics.median(timed(lambda: simulate_chunk(task)) for _ in range(5))


def sweep(points: int, replications: int, horizon: str) -> Experiment:
    spec = ExperimentSpec.model_validate(
        {
            "name": f"default-plant-{points}x{replications}",
            "horizon": horizon,
            "warmup": "2d",
            "replications": replications,
            "seed": 11,
            "design": {"kind": "latin_hypercube", "points": points, "seed": 3},
            "factors": [
                {
                    "path": "plants.*.buffers.pbs.capacity",
                    "name": "pbs",
                    "range": [80, 300],
                    "integer": True,
                },
                {
                    "path": "plants.*.buffers.body-store.capacity",
                    "name": "body store",
                    "range": [10, 80],
                    "integer": True,
                },
                {
                    "path": "plants.*.shops.paint.lines.paint.stations.pa-inspect.quality."
                    "first_time_yield",
                    "name": "paint FTY",
                    "range": [0.8, 0.95],
                },
                {
                    "path": "plants.*.shops.body.lines.biw.stations.bw-framing.failure.mttr_s",
                    "name": "framing MTTR",
                    "scale": [0.8, 1.0, 1.2],
                },
            ],
        }
    )
    return Experiment(spec, load_scenario(None), "yizhuang (built-in)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks/results/experiment.md")
    parser.add_argument("--points", type=int, default=100)
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--horizon", default="30d")
    args = parser.parse_args()
    lines: list[str] = []
    say = lines.append

    plant = load_scenario(None)
    per_rep = chunk_cost(plant, 30 * 86400)
    say(f"- one replication of the default plant, 30 days, in-process: **{per_rep:.3f} s**")

    local = LocalExecutor(2)
    try:
        local_overhead = overhead(local)
    finally:
        local.close()
    ray_started = time.perf_counter()
    ray = RayExecutor(None, 2)
    ray_start_s = time.perf_counter() - ray_started
    try:
        ray_overhead = overhead(ray)
        small = sweep(10, 2, "3d")
        ray_result = run_experiment(small, executor=ray)
    finally:
        ray.close()
    local_result = run_experiment(small, executor=LocalExecutor(2))
    identical = ray_result.replications.equals(local_result.replications)
    say(
        f"- executor overhead per empty task (400 tasks, 2 workers, best of 3): local pool "
        f"**{local_overhead * 1e3:.2f} ms**, Ray **{ray_overhead * 1e3:.2f} ms**; starting "
        f"a local Ray instance: {ray_start_s:.1f} s"
    )
    say(
        f"- a 10-point x 2-replication sweep on Ray and on the local pool: results "
        f"{'bit-identical' if identical else 'DIFFERENT'}"
    )

    experiment = sweep(args.points, args.replications, args.horizon)
    ceiling_before = machine_speedup()
    inline_wall = run_experiment(experiment, executor=InlineExecutor()).wall_s
    pooled = run_experiment(experiment, executor="local", workers=2)
    ceiling_after = machine_speedup()
    say(
        f"- {args.points}-point x {args.replications}-replication sweep of the default plant "
        f"({args.horizon} horizon, 2-day warm-up, {args.points * args.replications} "
        f"replications): 1 worker **{inline_wall:.1f} s**, 2 local workers "
        f"**{pooled.wall_s:.1f} s** (speed-up **{inline_wall / pooled.wall_s:.2f}x**, "
        f"{pooled.tasks} tasks)"
    )
    say(
        "- control, measured just before and after the sweep: a pure-CPU loop on 2 local "
        f"processes against 1 ran **{ceiling_before:.2f}x** / **{ceiling_after:.2f}x** "
        "faster: what the shared machine allowed any executor at that moment"
    )
    total = pooled.summary[
        (pooled.summary.plant == "total") & (pooled.summary.kpi == "throughput_jph")
    ]
    best = total.loc[total["mean"].idxmax()]
    say(
        f"- best point of that sweep: {best['mean']:.2f} ± {best['ci95']:.2f} jobs/h at "
        + ", ".join(f"{k} = {best[k]:.4g}" for k in pooled.points[0].values)
    )

    load = os.getloadavg()
    header = [
        "# Experiments at scale",
        "",
        "Command: `.venv/bin/python benchmarks/experiment_scale.py "
        f"--points {args.points} --replications {args.replications} --horizon {args.horizon}`",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}; load average "
        f"at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min; the machine "
        "is shared, so wall times are noisy; the speed-up is measured in one run).",
        "",
    ]
    text = "\n".join(header + lines) + "\n"
    atomic_write_text(args.out, text)
    print(text)


if __name__ == "__main__":
    main()
