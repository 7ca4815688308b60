"""``taktline balance``: line balancing (SALBP-1, SALBP-2, the plant's own lines)."""

from __future__ import annotations

from pathlib import Path

import typer

from taktline.balance import Balance, read_instance, solve_salbp1, solve_salbp2
from taktline.cli.common import console, emit_json, fail, handle_input_errors

app = typer.Typer(help="Balance lines: assign tasks to stations at a takt.", no_args_is_help=True)

TIME = typer.Option(
    None, "--time-limit", help="Seconds; when they run out, the best balance and bound so far."
)
JSON = typer.Option(False, "--json", help="Print one JSON document.")
FILE = typer.Argument(..., help="A Scholl .IN2 or an Otto et al. .alb file.")


def _show(res: Balance, json_: bool) -> None:
    if json_:
        emit_json(res.to_json())
        return
    proved = "proved optimal" if res.optimal else f"not proved (lower bound {res.lower_bound})"
    if res.problem == "salbp1":
        console.print(
            f"{res.instance}: {res.stations} stations at cycle time {res.cycle_time}, {proved}"
        )
    else:
        console.print(
            f"{res.instance}: cycle time {res.cycle_time} on {res.stations} stations, {proved}"
        )
    for s, (tasks, load) in enumerate(zip(res.assignment, res.station_loads, strict=True), 1):
        console.print(f"  station {s:3d}  load {load:6d}  tasks {' '.join(map(str, tasks))}")
    console.print(f"  {res.wall_s:.3f} s")


@app.command("salbp1")
@handle_input_errors
def salbp1_cmd(
    file: Path = FILE,
    cycle_time: int | None = typer.Option(
        None, "--cycle-time", "-c", help="Cycle time (default: the .alb file's own)."
    ),
    time_limit: float | None = TIME,
    json_: bool = JSON,
) -> None:
    """SALBP-1: the fewest stations at a given cycle time."""
    inst = read_instance(file)
    if cycle_time is None and inst.cycle_time is None:
        fail(f"{file}: the file gives no cycle time: pass --cycle-time")
    _show(solve_salbp1(inst, cycle_time, time_limit=time_limit), json_)


@app.command("salbp2")
@handle_input_errors
def salbp2_cmd(
    file: Path = FILE,
    stations: int = typer.Option(..., "--stations", "-m", help="Number of stations."),
    time_limit: float | None = TIME,
    json_: bool = JSON,
) -> None:
    """SALBP-2: the smallest cycle time on a given number of stations."""
    inst = read_instance(file)
    _show(solve_salbp2(inst, stations, time_limit=time_limit), json_)
