"""``taktline sequence``: mixed-model sequencing (CSPLib, ROADEF 2005, the plant's day)."""

from __future__ import annotations

from pathlib import Path

import typer

from taktline.cli.common import console, emit_json, handle_input_errors
from taktline.cli.runs import store_option
from taktline.sequence import (
    check_csplib,
    check_roadef,
    read_csplib,
    read_csplib_solution,
    read_roadef,
    read_roadef_solution,
    solve_csplib,
    solve_roadef,
    write_csplib_solution,
    write_roadef_solution,
)
from taktline.workflow.record_engines import (
    sequence_csplib_run,
    sequence_day_run,
    sequence_roadef_run,
)
from taktline.workflow.reporting import scenario_text_of, store_run

app = typer.Typer(help="Sequence a day's mixed-model production.", no_args_is_help=True)

TIME = typer.Option(10.0, "--time-limit", help="Seconds of search (the whole run).")
SEED = typer.Option(0, "--seed", help="Seed of the local search.")
ITERS = typer.Option(
    None,
    "--iterations",
    help="Iteration budget of the local search instead of the clock "
    "(the result is then the same on every machine).",
)
EXACT = typer.Option(
    "auto",
    "--exact",
    help="CP-SAT: 'auto' (bounds and proofs on small instances), "
    "'never', or 'only' (CP-SAT alone).",
)
WORKERS = typer.Option(1, "--workers", help="CP-SAT worker threads.")
JSON = typer.Option(False, "--json", help="Print one JSON document.")


@app.command("csplib")
@handle_input_errors
def csplib_cmd(
    file: Path = typer.Argument(..., help="CSPLib prob001 instance file."),
    time_limit: float = TIME,
    seed: int = SEED,
    iterations: int | None = ITERS,
    exact: str = EXACT,
    workers: int = WORKERS,
    out: Path | None = typer.Option(None, "--out", help="Write the sequence (class indices)."),
    store: Path = store_option(),
    json_: bool = JSON,
) -> None:
    """Sequence a CSPLib car-sequencing instance: fewest violated windows."""
    inst = read_csplib(file)
    res = solve_csplib(
        inst,
        time_limit=time_limit,
        seed=seed,
        max_iterations=iterations,
        exact=exact,
        workers=workers,
    )
    if out is not None:
        write_csplib_solution(res.sequence, out)
    parameters = {"file": str(file), "time_limit": time_limit, "seed": seed, "exact": exact}
    text = Path(file).read_text(encoding="utf-8", errors="replace")
    record = store_run(sequence_csplib_run(inst, res, parameters, text), store)
    if json_:
        emit_json({"instance": inst.name, **res.as_dict(), "run": record.id})
        return
    status = "optimal" if res.optimal else f"lower bound {res.lower_bound}"
    console.print(
        f"{inst.name}: {res.violated_windows} violated windows, excess {res.excess} "
        f"({status}; {res.wall_s:.2f} s, {res.method})"
    )
    if out is None:
        console.print(" ".join(map(str, res.sequence)))


@app.command("roadef")
@handle_input_errors
def roadef_cmd(
    folder: Path = typer.Argument(..., help="ROADEF 2005 instance folder."),
    out: Path = typer.Option(..., "--out", help="Solution file: one day-D Ident per line."),
    time_limit: float = typer.Option(60.0, "--time-limit", help="Seconds of search."),
    seed: int = SEED,
    iterations: int | None = ITERS,
    exact: str = EXACT,
    workers: int = WORKERS,
    store: Path = store_option(),
    json_: bool = JSON,
) -> None:
    """Sequence a ROADEF 2005 day (ratio constraints, paint batches)."""
    inst = read_roadef(folder)
    res = solve_roadef(
        inst,
        time_limit=time_limit,
        seed=seed,
        max_iterations=iterations,
        exact=exact,
        workers=workers,
    )
    write_roadef_solution(res.order, out)
    parameters = {"folder": str(folder), "time_limit": time_limit, "seed": seed, "exact": exact}
    record = store_run(sequence_roadef_run(inst, res, parameters), store)
    if json_:
        emit_json({"instance": inst.name, **res.as_dict(), "run": record.id})
        return
    gain = 100.0 * (1 - res.objective / res.given_objective) if res.given_objective else 0.0
    console.print(
        f"{inst.name}: objective {res.objective:,} (HPRC {res.hprc}, LPRC {res.lprc}, "
        f"colour changes {res.colour_changes}); Renault's order "
        f"{res.given_objective:,} ({gain:.1f} % better); lower bound "
        f"{res.lower_bound:,}; {res.wall_s:.1f} s; run {record.id}"
    )


@app.command("check")
@handle_input_errors
def check_cmd(
    instance: Path = typer.Argument(..., help="CSPLib file or ROADEF instance folder."),
    solution: Path = typer.Argument(..., help="Sequence to check."),
    json_: bool = JSON,
) -> None:
    """Check and score a sequence (exit 1 if it is not a valid sequence)."""
    if instance.is_dir():
        rep = check_roadef(read_roadef(instance), read_roadef_solution(solution))
        text = (
            f"objective {rep.objective:,} (HPRC {rep.hprc}, LPRC {rep.lprc}, colour "
            f"changes {rep.colour_changes}, longest run {rep.max_batch})"
        )
    else:
        rep = check_csplib(read_csplib(instance), read_csplib_solution(solution))
        text = f"{rep.violated_windows} violated windows, excess {rep.excess}"
    if json_:
        emit_json(rep.as_dict())
    else:
        console.print(("valid: " if rep.valid else "INVALID: ") + text, highlight=False)
        for problem in rep.problems:
            console.print(f"  {problem}", highlight=False)
    if not rep.valid:
        raise typer.Exit(1)


@app.command("day")
@handle_input_errors
def day_cmd(
    scenario: Path | None = typer.Argument(
        None, help="Scenario YAML file (default: the built-in default plant)."
    ),
    day: str = typer.Option(..., "--date", help="Production day, YYYY-MM-DD."),
    orders: Path | None = typer.Option(
        None, "--orders", help="Orders CSV (id, model, options, colour); default: from the mix."
    ),
    cars: int | None = typer.Option(
        None, "--cars", help="Cars to draw from the mix (default: the day's hours x rate)."
    ),
    plant: str | None = typer.Option(None, "--plant", help="Plant id (default: the first)."),
    time_limit: float = TIME,
    seed: int = SEED,
    iterations: int | None = ITERS,
    paint_first: bool = typer.Option(
        False, "--paint-first", help="Rank colour changes before the spacing rules."
    ),
    out: Path | None = typer.Option(None, "--out", help="Write the release order (CSV)."),
    simulate: bool = typer.Option(
        False,
        "--simulate",
        help="Simulate the day with the release order and with the orders as received.",
    ),
    store: Path = store_option(),
    json_: bool = JSON,
) -> None:
    """Build a day's orders, sequence them for the line, and write the release order."""
    from datetime import date as Date

    from taktline.errors import InputError
    from taktline.model import load_scenario
    from taktline.sequence.plant import (
        orders_from_mix,
        read_orders_csv,
        sequence_day,
        write_release_csv,
    )

    try:
        when = Date.fromisoformat(day)
    except ValueError:
        raise InputError(f"expected YYYY-MM-DD, got {day!r}", field="--date") from None
    model = load_scenario(str(scenario) if scenario is not None else None)
    jobs = (
        read_orders_csv(orders, model)
        if orders is not None
        else orders_from_mix(model, when, plant=plant, cars=cars, seed=seed)
    )
    plan = sequence_day(
        model,
        jobs,
        plant=plant,
        day=when,
        time_limit=time_limit,
        seed=seed,
        max_iterations=iterations,
        paint_first=paint_first,
    )
    if out is not None:
        write_release_csv(plan.jobs, out)
    doc = plan.as_dict()
    if simulate:
        from taktline.workflow.release import simulate_day_plan

        doc["simulation"] = simulate_day_plan(model, plan, seed=seed)
    parameters = {
        "date": day,
        "plant": plan.plant,
        "orders": str(orders) if orders else None,
        "time_limit": time_limit,
        "seed": seed,
        "paint_first": paint_first,
    }
    scenario_arg = str(scenario) if scenario is not None else None
    record = store_run(
        sequence_day_run(model.name, scenario_text_of(scenario_arg), parameters, plan), store
    )
    doc["run"] = record.id
    if json_:
        emit_json(doc)
        return
    console.print(
        f"{plan.plant} {plan.day}: {len(plan.jobs)} cars sequenced in {plan.wall_s:.1f} s;"
        f" colour changes {plan.colour_changes_received} -> {plan.colour_changes} "
        f"(longest run {plan.max_batch}, limit {plan.batch_limit})",
        highlight=False,
    )
    for o in plan.options:
        console.print(
            f"  {o.option} ({o.p}/{o.q} at {o.station}): {o.cars} cars; cars over the "
            f"rule {o.excess_received} -> {o.excess_sequenced}; peak option work in "
            f"{o.q} cars {o.peak_work_received_s:g} s -> {o.peak_work_sequenced_s:g} s",
            highlight=False,
        )
    if simulate:
        sim = doc["simulation"]
        tp = sim["throughput_jpd"]
        console.print(
            f"  simulated one day ({sim['replications']} replications, same seed): "
            f"{tp['received']['mean']:.0f} cars (+/- {tp['received']['ci95']:.0f}) as received, "
            f"{tp['sequenced']['mean']:.0f} (+/- {tp['sequenced']['ci95']:.0f}) sequenced",
            highlight=False,
        )
        for row in sim["option_stations"]:
            before, after = row["received"], row["sequenced"]
            console.print(
                f"    {row['station']} ({row['option']}): working {before['working']:.0%} -> "
                f"{after['working']:.0%}, bottleneck {before['bottleneck_share']:.0%} -> "
                f"{after['bottleneck_share']:.0%}",
                highlight=False,
            )
    if out is None:
        console.print("release order: " + " ".join(j.id for j in plan.jobs[:20]) + " ...")
