"""Speed of the simulation engine against SimPy, and the default plant's speed figures.

Run (single-threaded apart from the last figure, which uses every core)::

    .venv/bin/python benchmarks/simulate_vs_simpy.py [--quick] [--out FILE]

What it measures, all in one process run so that the ratios compare like with like:

1. L10 (``examples/lines/l10.yaml``): the same line in SimPy (written as an experienced
   SimPy user writes it: one process per station, ``Store`` buffers, operation-dependent
   failures folded into the station's own timeline, no interrupts) and in taktline, for
   the same simulated horizon; wall and CPU time, cars per second, the ratio, and whether
   the throughputs agree (their 95 % confidence intervals over replications overlap).
   taktline is measured with both of its schemes: the serial-line recursion (what
   ``method="auto"`` picks for L10) and the general event kernel.
2. The default plant (``yizhuang``, both plants), one simulated year, one replication, one
   process, after compilation; the compile time is measured separately in a fresh process
   with an empty numba cache.
3. 1,000 replications of one month of the default plant, on all cores.

The machine (2 cores) is shared with other engineers while this runs: CPU times are
reported next to wall times, and the SimPy ratio is measured in the same run.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import simpy
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from taktline.fileio import atomic_write_text  # noqa: E402
from taktline.model import load_scenario  # noqa: E402
from taktline.simulate import simulate  # noqa: E402
from taktline.simulate.api import plant_runs  # noqa: E402
from taktline.simulate.engine import replication_seed, run_network, timing  # noqa: E402
from taktline.simulate.kpis import replication_kpis  # noqa: E402

L10_YAML = ROOT / "examples" / "lines" / "l10.yaml"
DAY = 86400.0


# -- SimPy L10, as an experienced SimPy user writes it -------------------------------------
def simpy_l10(horizon: float, warmup: float, seed: int) -> tuple[int, int]:
    """Cars finished after the warm-up, and cars finished in all."""
    rng = random.Random(seed)
    expo = rng.expovariate
    env = simpy.Environment()
    cycle = [60.0, 60.0, 60.0, 60.0, 76.0, 60.0, 60.0, 60.0, 60.0, 60.0]
    mtbf_rate, mttr_rate = 1 / 3600.0, 1 / 300.0
    stores = [simpy.Store(env, capacity=5) for _ in range(9)]
    done = [0, 0]

    def station(i: int):
        timeout = env.timeout
        get = stores[i - 1].get if i > 0 else None
        put = stores[i].put if i < 9 else None
        p = cycle[i]
        ttf = expo(mtbf_rate)
        while True:
            if get is not None:
                yield get()
            work = p
            while ttf < work:  # operation-dependent failure strikes during this job
                yield timeout(ttf)
                work -= ttf
                yield timeout(expo(mttr_rate))
                ttf = expo(mtbf_rate)
            yield timeout(work)
            ttf -= work
            if put is not None:
                yield put(1)
            else:
                done[1] += 1
                if env.now > warmup:
                    done[0] += 1

    for i in range(10):
        env.process(station(i))
    env.run(until=horizon)
    return done[0], done[1]


def timed(func, *args):
    w0, c0 = time.perf_counter(), time.process_time()
    out = func(*args)
    return out, time.perf_counter() - w0, time.process_time() - c0


def ci95(values: list[float]) -> tuple[float, float]:
    x = np.asarray(values, dtype=float)
    half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
    return float(x.mean()), float(half)


def l10_figures(horizon_days: float, reps: int) -> dict:
    horizon, warmup = horizon_days * DAY, DAY
    window_h = (horizon - warmup) / 3600
    scenario = load_scenario(L10_YAML)
    _, runs = plant_runs(scenario, horizon)
    net = runs[0].network
    tm = timing(None, horizon, warmup)
    for method in ("serial", "event"):  # compile / load from cache before timing
        run_network(net, timing(None, DAY, 0), 1, method)
    out: dict = {"horizon_days": horizon_days}
    # SimPy: the best of three timings of one replication, `reps` for the throughput CI
    sp_wall, sp_cpu = math.inf, math.inf
    sp_th = []
    for r in range(reps):
        (sp_done, total), wall, cpu = timed(simpy_l10, horizon, warmup, 1 + r)
        if r < 3 and cpu < sp_cpu:
            sp_wall, sp_cpu, sp_total = wall, cpu, total
        sp_th.append(sp_done / window_h)
    out["simpy"] = {
        "cars": sp_total,
        "wall_s": sp_wall,
        "cpu_s": sp_cpu,
        "cars_per_s": sp_total / sp_cpu,
        "th": ci95(sp_th),
    }
    for method in ("serial", "event"):
        walls, cpus = [], []
        for _ in range(7):
            raw, wall, cpu = timed(run_network, net, tm, replication_seed(1, 0, 0), method)
            walls.append(wall)
            cpus.append(cpu)
        cars = int(raw[4][0, 1])
        ths = []
        for r in range(reps):
            raw_r = run_network(net, tm, replication_seed(1, r, 0), method)
            ths.append(replication_kpis(net, raw_r, tm.window)["scalars"]["throughput_jph"])
        out[method] = {
            "cars": cars,
            "wall_s": min(walls),
            "cpu_s": min(cpus),
            "cars_per_s": cars / min(cpus),
            "th": ci95(ths),
        }
        out[method]["ratio"] = out[method]["cars_per_s"] / out["simpy"]["cars_per_s"]
        m1, h1 = out["simpy"]["th"]
        m2, h2 = out[method]["th"]
        out[method]["agree"] = abs(m1 - m2) <= h1 + h2
    return out


def compile_time() -> float:
    """Seconds to compile the kernels from an empty numba cache, in a fresh process."""
    code = (
        "import time; t=time.perf_counter();"
        "from taktline.model import load_scenario; from taktline.simulate import simulate;"
        "simulate(load_scenario(None), horizon='1d', replications=1, warmup='1h', workers=1);"
        f"simulate(load_scenario({str(L10_YAML)!r}), horizon='1d', replications=1, "
        "warmup='1h', workers=1);"
        "print(time.perf_counter()-t)"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache, "PYTHONPATH": str(ROOT / "src")}
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
    return float(done.stdout.strip().splitlines()[-1])


def cpu_all() -> float:
    """CPU seconds of this process and of its finished children (the worker processes)."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def plant_year() -> dict:
    scenario = load_scenario(None)
    horizon = 365 * DAY
    _, runs = plant_runs(scenario, horizon)
    for plant in runs:
        run_network(plant.network, timing(plant.windows, DAY, 0), 1)
    w0, c0 = time.perf_counter(), time.process_time()
    cars, events, per_plant = 0, 0, {}
    for p, plant in enumerate(runs):
        tm = timing(plant.windows, horizon, DAY)
        pw, pc = time.perf_counter(), time.process_time()
        raw = run_network(plant.network, tm, replication_seed(1, 0, p))
        k = replication_kpis(plant.network, raw, tm.window)
        per_plant[plant.name] = {
            "wall_s": time.perf_counter() - pw,
            "cpu_s": time.process_time() - pc,
            "cars": k["scalars"]["finished"],
        }
        cars += k["scalars"]["finished"]
        events += k["scalars"]["events"]
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    # the same replication through the API: the two plants run in two processes
    simulate(scenario, horizon="2d", replications=1, warmup="1d", workers=2)  # fork warm-up
    a0, ac = time.perf_counter(), cpu_all()
    api = simulate(scenario, horizon="365d", replications=1, warmup="1d", workers=2)
    api_wall, api_cpu = time.perf_counter() - a0, cpu_all() - ac
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "cars": cars,
        "events": events,
        "plants": per_plant,
        "api_wall_s": api_wall,
        "api_cpu_s": api_cpu,
        "api_workers": api.workers,
    }


def month_replications(n: int) -> dict:
    scenario = load_scenario(None)
    simulate(scenario, horizon="2d", replications=2, warmup="1d", workers=2)  # warm the pool
    w0, c0 = time.perf_counter(), cpu_all()
    result = simulate(scenario, horizon="30d", replications=n, seed=1, warmup="1d")
    wall, cpu = time.perf_counter() - w0, cpu_all() - c0
    return {
        "replications": n,
        "wall_s": wall,
        "cpu_s": cpu,
        "workers": result.workers,
        "th": result.kpi("throughput_jph"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="short runs, for a smoke test")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "simulate.md"))
    parser.add_argument("--month-reps", type=int, default=1000)
    args = parser.parse_args()
    days, reps = (10, 3) if args.quick else (60, 5)
    month_reps = 20 if args.quick else args.month_reps
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load = os.getloadavg()

    l10 = l10_figures(days, reps)
    print("L10", l10, flush=True)
    compiled = compile_time()
    print("compile", compiled, flush=True)
    year = plant_year()
    print("year", year, flush=True)
    month = month_replications(month_reps)
    print("month", month, flush=True)

    sp = l10["simpy"]
    lines = [
        "# Simulation engine: speed against SimPy and on the default plant",
        "",
        f"Measured {started} on {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; load average at the "
        f"start {load[0]:.1f} (the machine was **shared** with other engineers' jobs, so wall "
        "times are pessimistic: CPU times are given beside them, and ratios are CPU against "
        "CPU in the same run).",
        "",
        "Command:",
        "",
        "```",
        "  ".join(
            [
                ".venv/bin/python benchmarks/simulate_vs_simpy.py",
                *(["--quick"] if args.quick else []),
                *([f"--month-reps {args.month_reps}"] if args.month_reps != 1000 else []),
            ]
        ),
        "```",
        "",
        f"## L10, {days} simulated days, one replication, one core",
        "",
        "| engine | cars | wall s | CPU s | cars / CPU s | × SimPy | TH (jobs/h, 95 % CI, "
        f"{reps} reps) | CIs overlap |",
        "|---|---|---|---|---|---|---|---|",
        f"| SimPy {simpy.__version__} | {sp['cars']} | {sp['wall_s']:.2f} | {sp['cpu_s']:.2f} | "
        f"{sp['cars_per_s']:,.0f} | 1 | {sp['th'][0]:.3f} ± {sp['th'][1]:.3f} | |",
    ]
    for method, label in (
        ("serial", "taktline, serial recursion (auto)"),
        ("event", "taktline, event kernel"),
    ):
        m = l10[method]
        lines.append(
            f"| {label} | {m['cars']} | {m['wall_s']:.3f} | {m['cpu_s']:.3f} | "
            f"{m['cars_per_s']:,.0f} | **{m['ratio']:.0f}×** | {m['th'][0]:.3f} ± "
            f"{m['th'][1]:.3f} | {'yes' if m['agree'] else 'NO'} |"
        )
    lines += [
        "",
        "Target: at least 100× SimPy on L10.",
        "",
        "## Default plant (yizhuang: phase 1 and phase 2), one simulated year, one replication",
        "",
        f"- compile time (empty numba cache, fresh process, kernels + one tiny run): "
        f"**{compiled:.1f} s**; afterwards the kernels load from the cache (`cache=True`);",
        f"- one year, both plants one after the other in one process: **{year['wall_s']:.2f} s "
        f"wall, {year['cpu_s']:.2f} s CPU** for {year['cars']:,} cars and "
        f"{year['events']:,} events ({year['cpu_s'] / max(year['events'], 1) * 1e9:.0f} ns "
        "CPU per event);",
    ]
    for name, plant in year["plants"].items():
        lines.append(
            f"  - {name}: {plant['wall_s']:.2f} s wall, {plant['cpu_s']:.2f} s CPU, "
            f"{plant['cars']:,} cars"
        )
    lines.append(
        f"- the same replication through `simulate(..., workers=2)`, the two plants in two "
        f"processes: **{year['api_wall_s']:.2f} s wall**, {year['api_cpu_s']:.2f} s CPU over "
        "all processes (KPIs and tables included);"
    )
    lines += [
        "- target: under 2 s.",
        "",
        f"## {month['replications']:,} replications of one month of the default plant",
        "",
        f"- **{month['wall_s']:.1f} s wall** on {month['workers']} worker processes, "
        f"**{month['cpu_s']:.1f} s CPU** over all processes "
        f"({month['cpu_s'] / month['replications']:.3f} s per replication; throughput of the "
        f"site {month['th'][0]:.2f} ± {month['th'][1]:.2f} jobs per working hour);",
        "- target: under 60 s.",
        "",
    ]
    atomic_write_text(args.out, "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
