"""``taktline plan`` and ``taktline quote``: the monthly plan and customer wait-time quotes."""

from __future__ import annotations

from pathlib import Path

import typer

from taktline.cli.common import console, emit_json, err_console, handle_input_errors
from taktline.cli.runs import store_option
from taktline.errors import InputError
from taktline.model import load_scenario
from taktline.plan import (
    load_settings,
    make_plan,
    plan_table,
    quote_table,
    read_orders_csv,
    targets_table,
)
from taktline.plan import quote as quote_order
from taktline.plan.render import fit_line, fit_table
from taktline.plan.settings import settings_from_data
from taktline.workflow.record_engines import plan_run
from taktline.workflow.reporting import scenario_text_of, store_run

SCENARIO = typer.Argument(
    None, metavar="[SCENARIO]", help="Scenario file or built-in name (default: yizhuang)."
)
SETTINGS = typer.Option(None, "--settings", help="Planning settings YAML (levers, costs, demand).")
ORDERS = typer.Option(None, "--orders", help="CSV of orders: model,locked_on,quantity[,market].")
BASIS = typer.Option(None, "--basis", help="Capacity basis: demonstrated, stated or rated.")
AVAILABILITY = typer.Option(
    None, "--availability", help="Effective availability (implies --basis stated unless given)."
)


def _settings(settings_file, basis, availability, extra=None):  # type: ignore[no-untyped-def]
    settings = load_settings(settings_file)
    update = dict(extra or {})
    if availability is not None:
        if not 0 < availability <= 1.5:
            raise InputError(f"must be in (0, 1.5], got {availability}", field="--availability")
        update["availability"] = availability
        update.setdefault("capacity_basis", "stated")
    if basis is not None:
        if basis not in ("demonstrated", "stated", "rated"):
            raise InputError(
                f"must be demonstrated, stated or rated, got {basis!r}", field="--basis"
            )
        update["capacity_basis"] = basis
    return settings.model_copy(update=update) if update else settings


def _targets(values: list[str]) -> dict[int, int]:
    out = {}
    for text in values:
        year, sep, units = text.partition("=")
        if not sep or not year.strip().isdigit() or not units.strip().replace("_", "").isdigit():
            raise InputError(
                f"expected YEAR=UNITS like 2026=550000, got {text!r}", field="--target"
            )
        out[int(year)] = int(units.replace("_", ""))
    return out


@handle_input_errors
def plan(
    scenario_file: str = SCENARIO,
    start: str = typer.Option(None, "--from", help="First month (YYYY-MM; default: first SOP)."),
    end: str = typer.Option(None, "--to", help="Last month (YYYY-MM; default: 2 years on)."),
    target: list[str] = typer.Option(
        [], "--target", help="Extra delivery target YEAR=UNITS (repeatable)."
    ),
    settings_file: str = SETTINGS,
    orders: str = ORDERS,
    basis: str = BASIS,
    availability: float = AVAILABILITY,
    levers: bool = typer.Option(True, "--levers/--no-levers", help="Search levers for targets."),
    levers_from: str = typer.Option(None, "--levers-from", help="First month a lever may act."),
    cutoff: str = typer.Option(None, "--fit-cutoff", help="Fit the ramp on data up to this month."),
    show_fit: bool = typer.Option(False, "--show-fit", help="Print the fit's residuals too."),
    store: Path = store_option(),
    json_output: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Plan monthly build and deliveries; say whether each delivery target is reachable."""
    scenario = load_scenario(scenario_file)
    extra = {"levers": levers}
    if levers_from:
        extra["levers_from"] = levers_from
    if cutoff:
        extra["fit_cutoff"] = cutoff
    settings = _settings(settings_file, basis, availability, extra)
    settings = settings_from_data(settings.model_dump(), "<command line>")  # re-check months
    lots = None
    if orders:
        lots = read_orders_csv(orders, {m.id for m in scenario.products.models})
    with err_console.status("planning (HiGHS)…"):
        report = make_plan(scenario, settings, start, end, lots, _targets(target))
    parameters = {
        "from": start,
        "to": end,
        "targets": target,
        "basis": basis,
        "availability": availability,
        "levers": levers,
        "orders": orders,
        "settings": settings.model_dump(mode="json"),
    }
    record = store_run(
        plan_run(scenario.name, scenario_text_of(scenario_file), parameters, report), store
    )
    if json_output:
        emit_json({**report.document(), "run": record.id})
        return
    console.print(plan_table(report))
    console.print(fit_line(report))
    if show_fit and report.inputs.fit.residuals:
        console.print(fit_table(report))
    if report.targets:
        console.print(targets_table(report))
    for note in report.inputs.notes:
        console.print(f"[dim]note: {note}[/dim]")
    console.print(f"recorded plan run {record.id} (taktline report {record.id})")


@handle_input_errors
def quote(
    scenario_file: str = SCENARIO,
    model: str = typer.Option(..., "--model", help="Model ordered (e.g. YU7)."),
    ordered: str = typer.Option(..., "--ordered", help="Lock-in date (YYYY-MM-DD)."),
    market: str = typer.Option("CN", "--market", help="Market of the order."),
    samples: int = typer.Option(None, "--samples", help="Draws for the P10-P90 range."),
    settings_file: str = SETTINGS,
    orders: str = ORDERS,
    basis: str = BASIS,
    availability: float = AVAILABILITY,
    json_output: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Expected delivery date of an order locked on a day, with a P10-P90 range."""
    scenario = load_scenario(scenario_file)
    extra = {}
    if samples is not None:
        if not 2 <= samples <= 2000:
            raise InputError(f"must be between 2 and 2000, got {samples}", field="--samples")
        extra["samples"] = samples
    settings = _settings(settings_file, basis, availability, extra)
    lots = None
    if orders:
        lots = read_orders_csv(orders, {m.id for m in scenario.products.models})
    with err_console.status("quoting (re-planning each draw)…"):
        result = quote_order(scenario, model, ordered, market, settings, lots)
    if json_output:
        emit_json(result.as_dict())
        return
    console.print(quote_table(result))
    console.print(
        f"{result.position:,.0f} orders of {model} ({market}) are ahead in lock-in order; "
        f"range from {result.samples} draws of the ramp fit (capacity uncertainty only)."
    )
