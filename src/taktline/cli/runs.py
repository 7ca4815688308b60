"""``taktline runs``: list, show, compare and export the runs in the run store."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from taktline.cli.common import console, emit_json, handle_input_errors
from taktline.report.html import format_number, kpi_rows
from taktline.store import RunRecord, RunStore, default_store_path
from taktline.store.compare import compare_runs

app = typer.Typer(help="The run store: every computing command's runs.", no_args_is_help=True)

JSON = typer.Option(False, "--json", help="Print one JSON document.")


def store_option() -> Path | None:
    """The ``--store PATH`` option every command that reads or writes runs takes."""
    return typer.Option(
        None,
        "--store",
        help="Run store file (default: $XDG_DATA_HOME/taktline/runs.duckdb "
        "or ~/.local/share/taktline/runs.duckdb).",
        show_default=False,
    )


def store_path(path: Path | None) -> Path:
    """The store to use: ``--store`` or the default."""
    return Path(path) if path is not None else default_store_path()


def open_store(path: Path | None, read_only: bool = True) -> RunStore:
    """Open the run store (read-only unless asked); a missing store is an input error."""
    return RunStore(store_path(path), read_only=read_only)


def _kpi_table(record: RunRecord) -> Table:
    table = Table(title="KPIs", title_justify="left")
    for header in ("KPI", "value", "95% CI", "unit"):
        table.add_column(header, justify="left" if header in ("KPI", "unit") else "right")
    for row in kpi_rows(record.kpis):
        ci = (
            f"{format_number(row['ci_low'])} – {format_number(row['ci_high'])}"
            if row["ci_low"] is not None and row["ci_high"] is not None
            else "–"
        )
        table.add_row(row["kpi"], format_number(row["value"]), ci, str(row["unit"] or ""))
    return table


@app.command("list")
@handle_input_errors
def list_runs(
    kind: str = typer.Option(None, "--kind", help="Only runs of this kind."),
    limit: int = typer.Option(50, "--limit", min=1, help="At most this many (newest first)."),
    store: Path = store_option(),
    json_output: bool = JSON,
) -> None:
    """List stored runs, newest first; runs with the same fingerprint had the same inputs."""
    path = store_path(store)
    records: list[RunRecord] = []
    if path.exists():
        with RunStore(path, read_only=True) as runs:
            records = runs.list(kind=kind, limit=limit)
    if json_output:
        emit_json({"store": str(path), "runs": [r.to_dict() for r in records]})
        return
    if not records:
        console.print(f"no runs in {path}")
        return
    table = Table(title=f"Runs in {path}", title_justify="left")
    for header in ("id", "kind", "created (UTC)", "scenario", "label", "seed", "fingerprint"):
        table.add_column(header, no_wrap=header in ("id", "kind", "created (UTC)", "seed"))
    seen: dict[str, str] = {}
    for record in reversed(records):
        seen.setdefault(record.fingerprint, record.id)
    for record in records:
        mark = record.fingerprint
        if seen[mark] != record.id:
            mark += f" (= {seen[mark]})"
        table.add_row(
            record.id,
            record.kind,
            record.created.strftime("%Y-%m-%d %H:%M:%S"),
            record.scenario_name or "",
            record.label or "",
            "" if record.seed is None else str(record.seed),
            mark,
        )
    console.print(table)


@app.command("show")
@handle_input_errors
def show(
    run_id: str = typer.Argument(..., help="Run id (or a unique start of it)."),
    store: Path = store_option(),
    json_output: bool = JSON,
) -> None:
    """A run's metadata, KPIs and tables."""
    with open_store(store) as runs:
        record = runs.get(run_id)
        twins = [r.id for r in runs.list(fingerprint=record.fingerprint) if r.id != record.id]
    if json_output:
        emit_json({**record.to_dict(), "same_inputs_as": twins})
        return
    console.print(f"[bold]{record.kind} run {record.id}[/bold]  {record.label or ''}")
    console.print(
        f"created {record.created:%Y-%m-%d %H:%M:%S} UTC · scenario {record.scenario_name!r} "
        f"(sha256 {(record.scenario_sha256 or '–')[:12]}) · seed {record.seed} · "
        f"taktline {record.software_version} · status {record.status}"
    )
    console.print(f"parameters {json.dumps(record.parameters, sort_keys=True)}")
    console.print(
        f"fingerprint {record.fingerprint}"
        + (f" · same inputs as {', '.join(twins)}" if twins else "")
    )
    console.print(_kpi_table(record))
    console.print(
        "tables: " + ", ".join(f"{name} ({rows:,} rows)" for name, rows in record.tables.items())
    )


@app.command("compare")
@handle_input_errors
def compare(
    first: str = typer.Argument(..., help="Run id (the reference)."),
    second: str = typer.Argument(..., help="Run id compared against the first."),
    store: Path = store_option(),
    json_output: bool = JSON,
) -> None:
    """Two runs' KPIs side by side, and whether they had the same inputs."""
    with open_store(store) as runs:
        doc = compare_runs(runs.get(first), runs.get(second))
    if json_output:
        emit_json(doc)
        return
    console.print(
        "[green]same inputs[/green] (fingerprint " + doc["fingerprints"]["a"] + ")"
        if doc["same_inputs"]
        else f"different inputs: {json.dumps(doc['differences'], default=str)}"
    )
    table = Table(title=f"{doc['a']} → {doc['b']}", title_justify="left")
    for header in ("KPI", "first", "second", "change", "%"):
        table.add_column(header, justify="left" if header == "KPI" else "right")
    for row in doc["kpis"]:
        table.add_row(
            row["kpi"],
            format_number(row["a"]),
            format_number(row["b"]),
            format_number(row["delta"]),
            "–" if row["relative"] is None else f"{100 * row['relative']:+.1f}%",
        )
    console.print(table)


@app.command("export")
@handle_input_errors
def export(
    run_id: str = typer.Argument(..., help="Run id (or a unique start of it)."),
    parquet: Path = typer.Option(
        ..., "--parquet", help="Folder to write <table>.parquet, run.json and scenario.yaml into."
    ),
    store: Path = store_option(),
    json_output: bool = JSON,
) -> None:
    """Export a run's tables as Parquet files (plus its metadata and scenario)."""
    if parquet.exists() and not parquet.is_dir():
        from taktline.errors import InputError

        raise InputError("exists and is not a folder", file=str(parquet), field="--parquet")
    with open_store(store) as runs:
        record = runs.get(run_id)
        files = runs.export_parquet(record.id, parquet)
    if json_output:
        emit_json({"run": record.id, "files": [str(f) for f in files]})
        return
    for file in files:
        console.print(str(file))
