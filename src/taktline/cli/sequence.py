"""``taktline sequence``: mixed-model sequencing (CSPLib, ROADEF 2005, the plant's day)."""

from __future__ import annotations

from pathlib import Path

import typer

from taktline.cli.common import console, emit_json, handle_input_errors
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
    if json_:
        emit_json({"instance": inst.name, **res.as_dict()})
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
    if json_:
        emit_json({"instance": inst.name, **res.as_dict()})
        return
    gain = 100.0 * (1 - res.objective / res.given_objective) if res.given_objective else 0.0
    console.print(
        f"{inst.name}: objective {res.objective:,} (HPRC {res.hprc}, LPRC {res.lprc}, "
        f"colour changes {res.colour_changes}); Renault's order "
        f"{res.given_objective:,} ({gain:.1f} % better); lower bound "
        f"{res.lower_bound:,}; {res.wall_s:.1f} s"
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
