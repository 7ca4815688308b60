"""``taktline run``: the main job on a scenario (by default the built-in plant)."""

from __future__ import annotations

import typer

from taktline.cli.common import console, emit_json, handle_input_errors
from taktline.cli.render import capacity_table, summary_document
from taktline.model import load_scenario
from taktline.workflow.summary import summarize


@handle_input_errors
def run(
    scenario_file: str = typer.Argument(
        None, metavar="[SCENARIO]", help="Scenario file or built-in name (default: yizhuang)."
    ),
    year: int = typer.Option(
        None, help="Year for the yearly capacity (default: the latest period's)."
    ),
    json_output: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Validate the scenario and summarise its nominal capacity per shop, day and year."""
    scenario = load_scenario(scenario_file)
    summary = summarize(scenario, year=year)
    if json_output:
        emit_json({"capacity": summary_document(summary)})
        return
    console.print(f"[green]scenario {scenario.name!r} is valid[/green]")
    console.print(capacity_table(summary))
    rated = summary.rated_capacity_per_year
    if rated:
        console.print(
            f"Rated capacity of all plants: {rated:,} cars a year; nominal (calendar of "
            f"{summary.year}, no losses): {summary.jobs_per_year:,.0f}."
        )
