"""``taktline.simulate(scenario, ...)``: the Python entry point of the simulation engine."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta

from taktline.errors import InputError
from taktline.model import Scenario
from taktline.simulate.engine import (
    PlantRun,
    detect_warmup,
    effective_workers,
    now,
    run_replications,
)
from taktline.simulate.engine import (
    event_log as engine_event_log,
)
from taktline.simulate.network import Network, ReleaseOrder
from taktline.simulate.result import SimulationResult, summarise

_UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "y": 365 * 86400}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|min|m|h|d|w|y)?\s*$")


def parse_duration(value: str | float | int, field: str = "duration") -> float:
    """Seconds in ``"30d"``, ``"8h"``, ``"90min"``/``"90m"``, ``"3600s"``, ``"1y"`` or a number."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value < 0:
            raise InputError(f"must be >= 0, got {value}", field=field)
        return float(value)
    match = _DURATION.match(str(value))
    if not match:
        raise InputError(
            f"expected a duration such as 30d, 8h, 90m or 3600s, got {value!r}", field=field
        )
    return float(match.group(1)) * _UNITS[match.group(2) or "s"]


def default_start(scenario: Scenario) -> datetime:
    """Where a run starts when not told: the latest calendar period in force (a Monday)."""
    if scenario.calendar is None:
        return datetime(2025, 1, 6)
    latest = max(p.start for p in scenario.calendar.periods)
    return datetime.combine(latest, time(0))


def shift_starts(
    scenario: Scenario, plant: str, begin: datetime, horizon: float
) -> tuple[float, ...]:
    """Calendar seconds after ``begin`` at which a shift of ``plant`` starts."""
    assert scenario.calendar is not None
    out = []
    day = begin.date() - timedelta(days=1)
    midnight = datetime.combine(begin.date(), time(0))
    offset = (midnight - begin).total_seconds()
    while (day - begin.date()).days * 86400 + offset < horizon:
        pattern = scenario.calendar.pattern_on(day, plant)
        if pattern is not None:
            base = (day - begin.date()).days * 86400 + offset
            out += [base + sh.start_s for sh in pattern.shifts if 0 <= base + sh.start_s < horizon]
        day += timedelta(days=1)
    return tuple(sorted(out))


def plant_runs(
    scenario: Scenario | Network | Sequence[Network],
    horizon: float,
    start: datetime | None = None,
    release_sequence: ReleaseOrder | None = None,
) -> tuple[str, list[PlantRun]]:
    """What to simulate: a scenario's plants with their calendars, or bare networks."""
    if isinstance(scenario, Network):
        return "network", [PlantRun("network", scenario, None)]
    if isinstance(scenario, Scenario):
        from taktline.simulate.build import networks_from_scenario

        begin = start or default_start(scenario)
        nets = networks_from_scenario(scenario, begin.date(), release_sequence)
        runs = []
        for plant, net in nets:
            windows, starts = None, None
            if scenario.calendar is not None:
                windows = tuple(scenario.calendar.working_windows(begin, horizon, plant.id))
                starts = shift_starts(scenario, plant.id, begin, horizon)
            runs.append(PlantRun(plant.id, net, windows, starts))
        return scenario.name, runs
    nets = list(scenario)
    if not nets or not all(isinstance(n, Network) for n in nets):
        raise InputError("simulate() takes a Scenario, a Network or a list of Networks")
    return "networks", [PlantRun(f"plant{i}", n, None) for i, n in enumerate(nets)]


def simulate(
    scenario: Scenario | Network | Sequence[Network],
    *,
    horizon: str | float = "30d",
    replications: int = 20,
    seed: int = 1,
    warmup: str | float = "auto",
    workers: int | None = None,
    start: datetime | date | None = None,
    release_sequence: ReleaseOrder | None = None,
    progress: Callable[[int, int], None] | None = None,
    method: str = "auto",
    event_log: bool = False,
    first_replication: int = 0,
) -> SimulationResult:
    """Simulate a scenario (every plant independently) over independent replications.

    ``horizon`` and ``warmup`` are calendar durations (``"30d"``, ``"8h"``, seconds);
    ``warmup="auto"`` detects it with MSER-5 on pilot runs. ``workers`` processes run the
    replications (default: all cores); results do not depend on it. ``release_sequence``
    is the order in which cars are released (cycled), per plant id if a dict: model
    ids, or (model id, option ids) pairs that fix each car's options too; without it
    models are drawn from the mix, and options not given from their take rates.
    ``method``: ``"auto"`` runs plain serial lines with the departure-time recursion and
    everything else with the event kernel; ``"event"`` forces the event kernel.
    ``event_log=True`` adds ``result.event_log``:
    every start, end, failure, repair, exit and scrap of replication 0 (event kernel).
    ``first_replication`` runs replications from that number on (their random streams
    with them; the result still numbers them from 0): experiments split replications
    into chunks that give the same numbers wherever they run.
    """
    t0 = now()
    horizon_s = parse_duration(horizon, "horizon")
    if horizon_s <= 0:
        raise InputError("must be > 0", field="horizon")
    if not isinstance(replications, int) or replications < 1:
        raise InputError(f"must be a whole number >= 1, got {replications!r}", field="replications")
    if not isinstance(seed, int) or seed < 0:
        raise InputError(f"must be a whole number >= 0, got {seed!r}", field="seed")
    if method not in ("auto", "event", "serial"):
        raise InputError(f"must be auto, event or serial, got {method!r}", field="method")
    if workers is not None and workers < 1:
        raise InputError(f"must be >= 1, got {workers}", field="workers")
    if isinstance(start, date) and not isinstance(start, datetime):
        start = datetime.combine(start, time(0))
    name, runs = plant_runs(scenario, horizon_s, start, release_sequence)
    extra: dict = {}
    if isinstance(warmup, str) and warmup.strip().lower() == "auto":
        warmup_s, per_plant = detect_warmup(runs, horizon_s, seed, method=method)
        warmup_method = "mser-5"
        extra["warmup_by_plant_s"] = per_plant
    else:
        warmup_s = parse_duration(warmup, "warmup")
        warmup_method = "given"
    if warmup_s >= horizon_s:
        raise InputError(
            f"the warm-up ({warmup_s:g} s) must be shorter than the horizon ({horizon_s:g} s)",
            field="warmup",
        )
    if not isinstance(first_replication, int) or first_replication < 0:
        raise InputError(
            f"must be a whole number >= 0, got {first_replication!r}", field="first_replication"
        )
    reps, _ = run_replications(
        runs,
        horizon_s,
        warmup_s,
        replications,
        seed,
        workers,
        progress,
        method,
        first_replication,
    )
    used = effective_workers(workers, replications * len(runs))
    log = engine_event_log(runs, horizon_s, warmup_s, seed) if event_log else None
    result = summarise(
        name,
        [r.name for r in runs],
        [r.network for r in runs],
        reps,
        horizon=horizon_s,
        warmup=warmup_s,
        warmup_method=warmup_method,
        seed=seed,
        wall_s=now() - t0,
        workers=used,
        extra={**extra, "method": method},
    )
    result.event_log = log
    return result
