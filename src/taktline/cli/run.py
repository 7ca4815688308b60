"""``taktline run``: the main job on a scenario (by default the built-in plant)."""

from __future__ import annotations

from pathlib import Path

import typer

from taktline.cli.common import console, emit_json, handle_input_errors, progress_bar
from taktline.cli.render import capacity_table, summary_document
from taktline.cli.runs import store_option
from taktline.cli.simulate import print_result
from taktline.workflow.main_job import main_job


@handle_input_errors
def run(
    scenario_file: str = typer.Argument(
        None, metavar="[SCENARIO]", help="Scenario file or built-in name (default: yizhuang)."
    ),
    year: int = typer.Option(None, help="Year of the capacity summary (default: latest period's)."),
    horizon: str = typer.Option("30d", help="Simulated calendar time per replication."),
    replications: int = typer.Option(10, "--replications", "-n", help="Independent runs."),
    seed: int = typer.Option(1, help="Seed of the replications' random streams."),
    store: Path = store_option(),
    report: Path = typer.Option(
        None, "--report", help="HTML report to write (default: <store folder>/reports/<run>.html)."
    ),
    json_output: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Validate, summarise, simulate and plan a plant; record the runs and write the report."""
    with progress_bar("simulating replications", replications, not json_output) as progress:
        result = main_job(
            scenario_file,
            year=year,
            horizon=horizon,
            replications=replications,
            seed=seed,
            store=store,
            report=report,
            progress=progress,
        )
    if json_output:
        emit_json(
            {
                "capacity": summary_document(result.capacity),
                "simulation": result.simulation.to_dict(),
                "plan": result.plan.document() if result.plan is not None else None,
                "runs": {
                    "simulation": result.simulation_run.id,
                    "plan": result.plan_run.id if result.plan_run else None,
                },
                "report": str(result.report),
            }
        )
        return
    from taktline.plan.render import yearly_table

    console.print(f"[green]scenario {result.scenario.name!r} is valid[/green]")
    console.print(capacity_table(result.capacity))
    if result.capacity.rated_capacity_per_year:
        console.print(
            f"Rated capacity of all plants: {result.capacity.rated_capacity_per_year:,} cars a "
            f"year; nominal ({result.capacity.year} calendar, no losses): "
            f"{result.capacity.jobs_per_year:,.0f}."
        )
    print_result(result.simulation)
    if result.plan is not None:
        console.print(yearly_table(result.plan))
    runs = f"simulation run {result.simulation_run.id}"
    if result.plan_run is not None:
        runs += f", plan run {result.plan_run.id}"
    console.print(f"recorded {runs}")
    console.print(f"report: {result.report}")
