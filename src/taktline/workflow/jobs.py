"""Run a job of a given kind on a scenario's text and record it: what the web service
and the dashboard's what-if form start in the background.

A job is checked first (:func:`prepare`: scenario, what-if, parameters; fast, so a
web request can answer 422 at once) and then run (:func:`execute`: the engine,
possibly long, with progress). ``JOB_KINDS`` lists what this installation runs; a
kind appears when its engine exists.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from taktline.errors import InputError
from taktline.model import Scenario, scenario_from_yaml
from taktline.store import NewRun, RunRecord, RunStore
from taktline.workflow.record import capacity_run
from taktline.workflow.summary import summarize
from taktline.workflow.whatif import WhatIf, apply_whatif

Progress = Callable[[float, str], None]


def _no_progress(fraction: float, message: str) -> None:
    """Progress sink that ignores everything."""


@dataclass(frozen=True)
class JobKind:
    """How to check a kind's parameters and how to run it."""

    name: str
    parameters: dict[str, str]  # name -> help text, for the API and the dashboard
    check: Callable[[dict[str, Any]], dict[str, Any]]
    run: Callable[[Scenario, str, dict[str, Any], str | None, Progress], NewRun]
    check_against: Callable[[Scenario, dict[str, Any]], None] | None = None  # needs the plant


@dataclass(frozen=True)
class PreparedJob:
    """A job whose inputs are known to be good: ready to :func:`execute`."""

    kind: JobKind
    scenario: Scenario
    scenario_text: str
    parameters: dict[str, Any]
    label: str | None


def _reject_unknown(kind: str, parameters: dict[str, Any], known: set[str]) -> None:
    unknown = sorted(set(parameters) - known)
    if unknown:
        raise InputError(
            f"unknown parameter(s) for a {kind} run: {', '.join(unknown)}; "
            f"known: {', '.join(sorted(known)) or 'none'}",
            field="parameters",
        )


def _whole(parameters: dict[str, Any], name: str, low: int, high: int) -> int | None:
    value = parameters.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InputError(
            f"must be a whole number from {low} to {high}, got {value!r}",
            field=f"parameters.{name}",
        )
    return value


# -- nominal capacity ----------------------------------------------------------------
def _check_capacity(parameters: dict[str, Any]) -> dict[str, Any]:
    _reject_unknown("capacity", parameters, {"year"})
    year = _whole(parameters, "year", 1900, 2200)
    return {} if year is None else {"year": year}


def _run_capacity(
    scenario: Scenario, text: str, parameters: dict[str, Any], label: str | None, progress: Progress
) -> NewRun:
    progress(0.3, "summing nominal capacity")
    summary = summarize(scenario, year=parameters.get("year"))
    return capacity_run(scenario, text, summary, parameters, label)


# -- simulation ----------------------------------------------------------------------
SIMULATION_DEFAULTS: dict[str, Any] = {
    "horizon": "14d",
    "replications": 5,
    "seed": 1,
    "warmup": "auto",
}


def _check_simulation(parameters: dict[str, Any]) -> dict[str, Any]:
    from taktline.simulate import parse_duration

    _reject_unknown("simulate", parameters, {*SIMULATION_DEFAULTS, "start"})
    checked = {**SIMULATION_DEFAULTS, **parameters}
    horizon = parse_duration(checked["horizon"], "parameters.horizon")
    if not 0 < horizon <= 2 * 366 * 86400:
        raise InputError("must be more than 0 and at most 2 years", field="parameters.horizon")
    _whole(checked, "replications", 1, 500)
    _whole(checked, "seed", 0, 2**32 - 1)
    if str(checked["warmup"]).strip().lower() != "auto":
        parse_duration(checked["warmup"], "parameters.warmup")
    if checked.get("start") is not None:
        try:
            checked["start"] = date.fromisoformat(str(checked["start"])).isoformat()
        except ValueError:
            raise InputError(
                f"expected a date such as 2025-03-03, got {checked['start']!r}",
                field="parameters.start",
            ) from None
    return checked


def _run_simulation(
    scenario: Scenario, text: str, parameters: dict[str, Any], label: str | None, progress: Progress
) -> NewRun:
    from taktline.simulate import parse_duration, simulate
    from taktline.workflow.record import simulation_run
    from taktline.workflow.series import replication_series

    start = parameters.get("start")
    start_day = date.fromisoformat(start) if start else None
    progress(0.1, "simulating")
    result = simulate(
        scenario,
        horizon=parameters["horizon"],
        replications=parameters["replications"],
        seed=parameters["seed"],
        warmup=parameters["warmup"],
        start=start_day,
        workers=1,  # a service thread must not fork; results do not depend on it
        progress=lambda done, total: progress(
            0.1 + 0.7 * done / total, f"replication {done} of {total}"
        ),
    )
    progress(0.85, "time series of replication 0")
    series = replication_series(
        scenario,
        parse_duration(parameters["horizon"]),
        result.warmup_s,
        parameters["seed"],
        datetime.combine(start_day, datetime.min.time()) if start_day else None,
    )
    return simulation_run(scenario.name, text, parameters, result, series, label)


# -- monthly plan --------------------------------------------------------------------
def _check_plan(parameters: dict[str, Any]) -> dict[str, Any]:
    _reject_unknown("plan", parameters, {"from", "to"})
    checked = {}
    for name in ("from", "to"):
        value = parameters.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
            raise InputError(
                f"expected a month such as 2025-03, got {value!r}", field=f"parameters.{name}"
            )
        checked[name] = value
    if "from" in checked and "to" in checked and checked["from"] > checked["to"]:
        raise InputError("the first month is after the last", field="parameters.to")
    return checked


def _run_plan(
    scenario: Scenario, text: str, parameters: dict[str, Any], label: str | None, progress: Progress
) -> NewRun:
    from taktline.plan import PlanSettings, make_plan
    from taktline.workflow.record_engines import plan_run

    progress(0.2, "solving the monthly plan")
    report = make_plan(scenario, PlanSettings(), parameters.get("from"), parameters.get("to"))
    return plan_run(scenario.name, text, parameters, report, label)


# -- a day's sequence ------------------------------------------------------------------
SEQUENCE_DEFAULTS: dict[str, Any] = {"seed": 0, "iterations": 50_000}


def _check_sequence(parameters: dict[str, Any]) -> dict[str, Any]:
    _reject_unknown("sequence", parameters, {"day", "plant", "cars", "seed", "iterations"})
    checked = {**SEQUENCE_DEFAULTS, **parameters}
    _whole(checked, "seed", 0, 2**32 - 1)
    _whole(checked, "iterations", 1, 10_000_000)
    _whole(checked, "cars", 1, 20_000)
    if checked.get("day") is not None:
        try:
            checked["day"] = date.fromisoformat(str(checked["day"])).isoformat()
        except ValueError:
            raise InputError(
                f"expected a date such as 2025-07-01, got {checked['day']!r}",
                field="parameters.day",
            ) from None
    if checked.get("plant") is not None and not isinstance(checked["plant"], str):
        raise InputError("must be a plant id", field="parameters.plant")
    return checked


def _check_sequence_plant(scenario: Scenario, parameters: dict[str, Any]) -> None:
    plant = parameters.get("plant")
    known = [p.id for p in scenario.plants]
    if plant is not None and plant not in known:
        raise InputError(
            f"unknown plant {plant!r}; the scenario has {', '.join(known)}",
            field="parameters.plant",
        )


def _run_sequence(
    scenario: Scenario, text: str, parameters: dict[str, Any], label: str | None, progress: Progress
) -> NewRun:
    from taktline.sequence.plant import orders_from_mix, sequence_day
    from taktline.workflow.record_engines import sequence_day_run

    if parameters.get("day"):
        day = date.fromisoformat(parameters["day"])
    else:  # the plant as it runs now: the start of the latest calendar period
        periods = scenario.calendar.periods if scenario.calendar else ()
        day = max((p.start for p in periods), default=date(2025, 1, 6))
    plant = parameters.get("plant") or scenario.plants[0].id
    progress(0.1, "drawing the day's orders from the mix")
    jobs = orders_from_mix(
        scenario, day, plant=plant, cars=parameters.get("cars"), seed=parameters["seed"]
    )
    progress(0.3, f"sequencing {len(jobs)} cars")
    plan = sequence_day(
        scenario,
        jobs,
        plant=plant,
        day=day.isoformat(),
        time_limit=600.0,  # the iteration budget ends it: the same result on every machine
        seed=parameters["seed"],
        max_iterations=parameters["iterations"],
    )
    return sequence_day_run(scenario.name, text, parameters, plan, label)


JOB_KINDS: dict[str, JobKind] = {
    "capacity": JobKind(
        "capacity",
        {"year": "year of the yearly capacity (default: the latest calendar period's)"},
        _check_capacity,
        _run_capacity,
    ),
}
if importlib.util.find_spec("taktline.plan.planner") is not None:
    JOB_KINDS["plan"] = JobKind(
        "plan",
        {
            "from": "first month, YYYY-MM (default: the first start of production)",
            "to": "last month, YYYY-MM (default: two years on)",
        },
        _check_plan,
        _run_plan,
    )
if importlib.util.find_spec("taktline.sequence.plant") is not None:
    JOB_KINDS["sequence"] = JobKind(
        "sequence",
        {
            "day": "the day to sequence, YYYY-MM-DD (default: the latest calendar period)",
            "plant": "plant id (default: the first)",
            "cars": "cars in the day (default: the plant's nominal output that day)",
            "seed": "seed of the orders and of the search (default 0)",
            "iterations": "local-search iterations (default 50000)",
        },
        _check_sequence,
        _run_sequence,
        _check_sequence_plant,
    )
if importlib.util.find_spec("taktline.simulate.api") is not None:
    JOB_KINDS["simulate"] = JobKind(
        "simulate",
        {
            "horizon": "simulated calendar time: 14d, 8h, 3600 (s) (default 14d)",
            "replications": "independent replications (default 5)",
            "seed": "random seed (default 1)",
            "warmup": "warm-up to discard: auto (MSER-5) or a duration (default auto)",
            "start": "first simulated day, YYYY-MM-DD (default: the latest calendar period)",
        },
        _check_simulation,
        _run_simulation,
    )


def default_kind() -> str:
    """The kind a what-if uses: simulation when the engine is there, else nominal capacity."""
    return "simulate" if "simulate" in JOB_KINDS else "capacity"


def prepare(
    kind: str,
    scenario_text: str,
    filename: str = "<scenario>",
    parameters: dict[str, Any] | None = None,
    what_if: WhatIf | None = None,
) -> PreparedJob:
    """Check everything a job needs; raises :class:`InputError` on anything wrong.

    The recorded scenario is the text given (so its hash names the base scenario);
    the what-if goes into the parameters, so it is part of the run's fingerprint.
    """
    if kind not in JOB_KINDS:
        raise InputError(
            f"unknown run kind {kind!r}; this installation runs {', '.join(JOB_KINDS)}",
            field="kind",
        )
    job_kind = JOB_KINDS[kind]
    checked = job_kind.check(dict(parameters or {}))
    scenario = scenario_from_yaml(scenario_text, filename)
    label = None
    if job_kind.check_against is not None:
        job_kind.check_against(scenario, checked)
    if what_if is not None and not what_if.empty:
        scenario = apply_whatif(scenario, what_if)
        checked["what_if"] = what_if.model_dump(exclude_defaults=True)
        label = f"what-if: {what_if.describe()}"
    return PreparedJob(job_kind, scenario, scenario_text, checked, label)


def execute(job: PreparedJob, progress: Progress = _no_progress) -> NewRun:
    """Run a prepared job's engine; the run is not stored yet."""
    progress(0.05, "starting")
    run = job.kind.run(job.scenario, job.scenario_text, job.parameters, job.label, progress)
    progress(0.95, "recording the run")
    return run


def run_and_record(
    store: RunStore,
    kind: str,
    scenario_text: str,
    filename: str = "<scenario>",
    parameters: dict[str, Any] | None = None,
    what_if: WhatIf | None = None,
    progress: Progress = _no_progress,
) -> RunRecord:
    """:func:`prepare`, :func:`execute`, then store the run in one transaction."""
    run = execute(prepare(kind, scenario_text, filename, parameters, what_if), progress)
    record = store.add(run)
    progress(1.0, "done")
    return record
