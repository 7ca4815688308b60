"""``taktline scenario``: validate, show and start scenario files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from rich.tree import Tree

from taktline.cli.common import console, emit_json, fail, handle_input_errors
from taktline.cli.render import capacity_table, summary_document
from taktline.errors import InputError
from taktline.fileio import atomic_write_text
from taktline.model import DEFAULT_SCENARIO, Scenario, builtin_scenario_text, load_scenario
from taktline.workflow.summary import summarize

app = typer.Typer(help="Validate, show and create scenario files.", no_args_is_help=True)

SCENARIO_ARG = typer.Argument(
    None, help="Scenario YAML file or built-in name (default: the built-in yizhuang plant)."
)


@app.command()
def validate(
    file: str = typer.Argument(..., help="Scenario YAML file to check."),
    json_output: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Check a scenario file; print every error with its file, line and field (exit 2)."""
    try:
        scenario = load_scenario(file)
    except InputError as error:
        if json_output:
            emit_json(
                {
                    "valid": False,
                    "errors": [
                        {"file": p.file, "line": p.line, "field": p.field, "message": p.message}
                        for p in error.problems
                    ],
                }
            )
        else:
            for problem in error.problems:
                typer.echo(f"{problem}", err=True)
        raise typer.Exit(2) from None
    if json_output:
        emit_json({"valid": True, "errors": [], "name": scenario.name})
    else:
        console.print(f"[green]valid[/green]: {file} ({scenario.name})")


def _tree(scenario: Scenario) -> Tree:
    tree = Tree(f"[bold]{scenario.name}[/bold]")
    for plant in scenario.plants:
        facts = [
            f"SOP {plant.start_of_production}" if plant.start_of_production else "",
            f"rated {plant.rated_capacity_per_year:,}/yr" if plant.rated_capacity_per_year else "",
            f"site {plant.site_area_m2:,.0f} m²" if plant.site_area_m2 else "",
            f"floor {plant.floor_area_m2:,.0f} m²" if plant.floor_area_m2 else "",
        ]
        branch = tree.add(
            f"[bold]{plant.id}[/bold] {plant.name or ''}  " + "  ".join(f for f in facts if f)
        )
        for shop in plant.shops:
            feeds = f" → feeds {shop.feeds_station}" if shop.feeds_station else ""
            shop_branch = branch.add(f"{shop.id} [dim]({shop.kind})[/dim]{feeds}")
            for line in shop.lines:
                pace = f"paced, takt {line.takt_s:g} s" if line.paced else "unpaced"
                stations = ", ".join(
                    f"{s.id} {s.cycle_time_s:g}s" + (f"×{s.servers}" if s.servers > 1 else "")
                    for s in line.stations
                )
                shop_branch.add(f"{line.id} [dim]({pace})[/dim]: {stations}")
        for buffer in plant.buffers:
            lanes = f", {buffer.lanes} lanes" if buffer.kind == "resequencing" else ""
            branch.add(
                f"[dim]store[/dim] {buffer.id}: {buffer.from_shop} → {buffer.to_shop}, "
                f"{buffer.capacity} places ({buffer.kind}{lanes})"
            )
    return tree


def _products_table(scenario: Scenario) -> Table:
    table = Table(title="Products", title_justify="left")
    for column in ("model", "mix share", "launch", "end of production"):
        table.add_column(column)
    for model in scenario.products.models:
        table.add_row(
            model.id,
            f"{model.mix_share:.0%}",
            str(model.launch or ""),
            str(model.end_of_production or ""),
        )
    return table


def show_document(scenario: Scenario) -> dict[str, Any]:
    """The ``--json`` form of ``scenario show``: the scenario and its nominal capacity."""
    return {
        "scenario": scenario.model_dump(mode="json", exclude_defaults=True),
        "capacity": summary_document(summarize(scenario)),
    }


@app.command()
@handle_input_errors
def show(
    file: str = SCENARIO_ARG,
    json_output: bool = typer.Option(
        False, "--json", help="Print the scenario and capacity as JSON."
    ),
) -> None:
    """Print a readable summary of a scenario: plants, shops, lines, stores, products, targets."""
    scenario = load_scenario(file)
    if json_output:
        emit_json(show_document(scenario))
        return
    console.print(_tree(scenario))
    console.print(_products_table(scenario))
    if scenario.products.options:
        options = ", ".join(
            f"{o.id} {o.take_rate:.0%}"
            + (f" @{o.station} {o.spacing.p}/{o.spacing.q}" if o.spacing and o.station else "")
            for o in scenario.products.options
        )
        console.print(f"[bold]Options[/bold]: {options}")
    if scenario.targets:
        targets = ", ".join(f"{t.year}: {t.units:,}" for t in scenario.targets)
        console.print(f"[bold]Delivery targets[/bold]: {targets}")
    console.print(capacity_table(summarize(scenario)))


@app.command()
@handle_input_errors
def init(
    directory: Path = typer.Argument(..., help="Folder to write the scenario file into."),
    name: str = typer.Option(DEFAULT_SCENARIO, help="Built-in scenario to start from."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write a built-in plant (with its comments and sources) as an editable YAML file."""
    target = directory / f"{name}.yaml"
    if target.exists() and not force:
        fail(f"{target} exists; use --force to overwrite it")
    try:
        text = builtin_scenario_text(name)
    except FileNotFoundError:
        raise InputError(f"no built-in scenario {name!r}", field="--name") from None
    atomic_write_text(target, text)
    console.print(f"wrote {target}")
