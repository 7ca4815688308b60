"""Run a job of a given kind on a scenario's text and record it: what the web service
and the dashboard's what-if form start in the background.

A job is checked first (:func:`prepare`: scenario, what-if, parameters; fast, so a
web request can answer 422 at once) and then run (:func:`execute`: the engine,
possibly long, with progress). ``JOB_KINDS`` lists what this installation runs; a
kind appears when its engine exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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


JOB_KINDS: dict[str, JobKind] = {
    "capacity": JobKind(
        "capacity",
        {"year": "year of the yearly capacity (default: the latest calendar period's)"},
        _check_capacity,
        _run_capacity,
    ),
}


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
