"""Shared helpers for the simulation tests: running networks, a SimPy peer model, CIs.

(A module with its own name rather than ``conftest``: test folders share one import
namespace, and another folder's ``conftest`` would shadow it.)
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np
import simpy
from scipy import stats

from taktline.simulate.network import Network

# Each test module makes several CI checks; 99 % intervals keep the family's false alarm
# rate near 5 % (Bonferroni) while a real bias of a few standard errors still fails.
LEVEL = 0.99


def ci(values: np.ndarray, level: float = LEVEL) -> tuple[float, float]:
    """Mean and Student-t half-width."""
    x = np.asarray(values, dtype=float)
    half = stats.t.ppf(0.5 + level / 2, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
    return float(x.mean()), float(half)


def assert_in_ci(values: np.ndarray, exact: float, label: str = "") -> None:
    """The exact value lies in the replications' confidence interval."""
    mean, half = ci(values)
    assert abs(mean - exact) <= half, f"{label}: {mean:.5g} ± {half:.3g} excludes {exact:.6g}"


def replicate(
    net: Network, horizon: float, warmup: float, reps: int, seed: int = 7, method: str = "auto"
) -> dict[str, np.ndarray]:
    """Scalar KPIs per replication (a dict of arrays) via the engine, one process."""
    from taktline.simulate.engine import PlantRun, run_replications

    res, _ = run_replications(
        [PlantRun("p", net, None)], horizon, warmup, reps, seed, 1, method=method
    )
    keys = res[0][0]["scalars"].keys()
    out = {k: np.array([r[0]["scalars"][k] for r in res], dtype=float) for k in keys}
    out["_stations"] = [r[0]["stations"] for r in res]  # type: ignore[assignment]
    return out


def check_little(kpis: dict[str, np.ndarray], rel: float = 0.02) -> None:
    """Little's law, WIP = TH × LT, on every replication (calendar time)."""
    th = kpis["throughput_cal_jph"] / 3600.0
    lhs, rhs = kpis["wip"], th * kpis["lead_time_s"]
    assert np.all(np.abs(lhs - rhs) <= rel * np.maximum(lhs, 1e-9) + 0.05), (lhs, rhs)


# -- a SimPy peer: a serial line as an experienced SimPy user writes it ------------------
@dataclass
class SimpyLine:
    """Stations in series, Store buffers (blocking after service), operation-dependent
    failures (pre-empt/resume), optional quality check whose rejects spend an exponential
    repair time (infinite servers) and re-enter the buffer in front of the same station."""

    cycle: list[float]
    buffers: list[int]
    processing: str = "deterministic"
    mtbf: float | None = None
    mttr: float | None = None
    fty: list[float] | None = None  # a reject re-enters the buffer in front of its station
    repair_time: float = 0.0


def simpy_line(cfg: SimpyLine, horizon: float, warmup: float, seed: int) -> dict[str, float]:
    """Throughput (jobs/h), time-average WIP and mean lead time after the warm-up."""
    rng = random.Random(seed)
    env = simpy.Environment()
    n = len(cfg.cycle)
    stores = [simpy.Store(env, capacity=c) for c in cfg.buffers]  # stores[i]: in front of i+1
    stats_ = {"done": 0, "lt_sum": 0.0, "wip": 0, "area": 0.0, "last": warmup}

    def wip_change(delta: int) -> None:
        now = env.now
        if now > warmup:
            stats_["area"] += stats_["wip"] * (now - max(stats_["last"], warmup))
            stats_["last"] = now
        stats_["wip"] += delta

    def draw(mean: float) -> float:
        return mean if cfg.processing == "deterministic" else rng.expovariate(1.0 / mean)

    def repair(job: dict, i: int):
        yield env.timeout(rng.expovariate(1.0 / cfg.repair_time) if cfg.repair_time else 0)
        yield stores[i - 1].put(job)  # back into the buffer in front of the station

    def station(i: int):
        ttf = rng.expovariate(1.0 / cfg.mtbf) if cfg.mtbf else math.inf
        while True:
            if i == 0:
                job = {"release": env.now}
                wip_change(+1)
            else:
                job = yield stores[i - 1].get()
            work = draw(cfg.cycle[i])
            while ttf < work:
                yield env.timeout(ttf)
                work -= ttf
                yield env.timeout(rng.expovariate(1.0 / cfg.mttr))  # type: ignore[operator]
                ttf = rng.expovariate(1.0 / cfg.mtbf)  # type: ignore[operator]
            yield env.timeout(work)
            ttf -= work
            if cfg.fty and rng.random() >= cfg.fty[i]:
                env.process(repair(job, i))
                continue
            if i == n - 1:
                if env.now > warmup:
                    stats_["done"] += 1
                    stats_["lt_sum"] += env.now - job["release"]
                wip_change(-1)
            else:
                yield stores[i].put(job)

    for i in range(n):
        env.process(station(i))
    env.run(until=horizon)
    wip_change(0)
    window = horizon - warmup
    return {
        "throughput_jph": stats_["done"] / window * 3600,
        "wip": stats_["area"] / window,
        "lead_time_s": stats_["lt_sum"] / max(stats_["done"], 1),
    }
