"""Record a run and write its report in one call: what ``taktline run`` (and any other
computing command) does at its end.

    record, path = record_and_report(capacity_run(scenario, scenario_text_of(arg), summary))
    console.print(f"report: {path}")
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from taktline.errors import InputError
from taktline.model import DEFAULT_SCENARIO, Scenario, builtin_scenario_text, builtin_scenarios
from taktline.report import write_report
from taktline.store import NewRun, RunRecord, RunStore, default_store_path


def scenario_text_of(path_or_name: str | os.PathLike[str] | None) -> str:
    """The YAML text behind a scenario argument: a file, a built-in name, or None (default)."""
    if path_or_name is None:
        return builtin_scenario_text(DEFAULT_SCENARIO)
    text = os.fspath(path_or_name)
    if text in builtin_scenarios():
        return builtin_scenario_text(text)
    try:
        return Path(text).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the scenario again: {error}", file=text) from None


def default_report_path(store_path: Path, run_id: str) -> Path:
    """``<store folder>/reports/<run id>.html``: next to the store, whatever the cwd."""
    return store_path.parent / "reports" / f"{run_id}.html"


def record_and_report(
    run: NewRun,
    store: str | os.PathLike[str] | None = None,
    report: str | os.PathLike[str] | None = None,
) -> tuple[RunRecord, Path]:
    """Store ``run`` (in ``store`` or the default store) and write its HTML report
    (to ``report`` or next to the store); returns the stored run and the report's path."""
    store_path = Path(store) if store is not None else default_store_path()
    with RunStore(store_path) as runs:
        record = runs.add(run)
        target = Path(report) if report is not None else default_report_path(store_path, record.id)
        path = write_report(runs, record.id, target)
    return record, path.resolve()


def store_run(run: NewRun, store: str | os.PathLike[str] | None = None) -> RunRecord:
    """Record ``run`` in ``store`` (or the default store): what every computing command
    does at its end, so its result can be listed, compared, exported and reported."""
    with RunStore(Path(store) if store is not None else default_store_path()) as runs:
        return runs.add(run)


def record_simulation_result(
    scenario: Scenario,
    scenario_text: str | None,
    result: Any,
    parameters: dict[str, Any],
    store: str | os.PathLike[str] | None = None,
) -> RunRecord:
    """Record a simulation with its time series (replication 0 run again, for the charts)."""
    from taktline.workflow.record import simulation_run
    from taktline.workflow.series import replication_series

    series = replication_series(scenario, result.horizon_s, result.warmup_s, result.seed)
    run = simulation_run(scenario.name, scenario_text, parameters, result, series)
    return store_run(run, store)
