"""``taktline report``: a stored run as one self-contained HTML file with charts."""

from __future__ import annotations

from pathlib import Path

import typer

from taktline.cli.common import console, emit_json, handle_input_errors
from taktline.cli.runs import open_store, store_option
from taktline.report import write_report


@handle_input_errors
def report(
    run_id: str = typer.Argument(
        "latest", help="Run id (or a unique start of it); 'latest' for the newest run."
    ),
    output: Path = typer.Option(Path("report.html"), "-o", "--output", help="HTML file to write."),
    store: Path = store_option(),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Write a run's HTML report: KPI table with CIs and a chart for every shaped result."""
    with open_store(store) as runs:
        if run_id == "latest":
            newest = runs.list(limit=1)
            if not newest:
                from taktline.errors import InputError

                raise InputError("the run store has no runs yet", field="run id")
            run_id = newest[0].id
        record = runs.get(run_id)
        path = write_report(runs, record.id, output)
    if json_output:
        emit_json({"run": record.id, "report": str(path.resolve())})
        return
    console.print(f"report of {record.kind} run {record.id}: {path.resolve()}")
