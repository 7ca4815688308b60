"""Rich renderings shared by several commands (tables only: no domain logic)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rich.table import Table

from taktline.workflow.summary import ScenarioSummary


def capacity_table(summary: ScenarioSummary) -> Table:
    """Nominal capacity per plant and shop, per hour, working day and year."""
    table = Table(
        title=f"Nominal capacity of {summary.scenario!r} (no losses; working day "
        f"{summary.day}, year {summary.year})",
        title_justify="left",
        caption="* feeder shop: supplies one set per car to a main-flow station",
        caption_justify="left",
    )
    columns = ["plant", "shop", "stations", "jobs/h", "jobs/day", str(summary.year), "slowest"]
    for header in columns:
        table.add_column(
            header, justify="left" if header in ("plant", "shop", "slowest") else "right"
        )
    for plant in summary.plants:
        for shop in plant.shops:
            table.add_row(
                plant.plant,
                shop.shop + ("*" if shop.feeds else ""),
                str(shop.stations),
                f"{shop.jobs_per_hour:.1f}",
                f"{shop.jobs_per_day:,.0f}",
                f"{shop.jobs_per_year:,.0f}",
                shop.bottleneck_station,
            )
        table.add_row(
            f"[bold]{plant.plant}[/bold]",
            f"[bold]plant[/bold] ({plant.working_hours_per_day:g} h/day)",
            "",
            f"[bold]{plant.jobs_per_hour:.1f}[/bold]",
            f"[bold]{plant.jobs_per_day:,.0f}[/bold]",
            f"[bold]{plant.jobs_per_year:,.0f}[/bold]",
            f"{plant.working_hours_per_year:,.0f} h in year",
            end_section=True,
        )
    return table


def summary_document(summary: ScenarioSummary) -> dict[str, Any]:
    """The ``--json`` form of a capacity summary."""
    document = asdict(summary)
    document["jobs_per_year"] = summary.jobs_per_year
    document["rated_capacity_per_year"] = summary.rated_capacity_per_year
    return document
