"""``taktline balance``: line balancing (SALBP-1, SALBP-2, the plant's own lines)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from taktline.balance import Balance, read_instance, solve_salbp1, solve_salbp2
from taktline.cli.common import console, emit_json, fail, handle_input_errors
from taktline.cli.runs import store_option
from taktline.workflow.record_engines import balance_line_run, balance_run
from taktline.workflow.reporting import scenario_text_of, store_run

app = typer.Typer(help="Balance lines: assign tasks to stations at a takt.", no_args_is_help=True)

TIME = typer.Option(
    None, "--time-limit", help="Seconds; when they run out, the best balance and bound so far."
)
JSON = typer.Option(False, "--json", help="Print one JSON document.")
FILE = typer.Argument(..., help="A Scholl .IN2 or an Otto et al. .alb file.")


def _record(file: Path, inst: Any, res: Balance, store: Path | None) -> str:
    """Record the balance as a run; its id."""
    text = file.read_text(encoding="latin-1")  # the files' code-page notes are not UTF-8
    return store_run(balance_run(inst, res, {"file": str(file)}, text), store).id


def _show(res: Balance, json_: bool, run_id: str) -> None:
    if json_:
        emit_json({**res.to_json(), "run": run_id})
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
    console.print(f"  {res.wall_s:.3f} s; recorded balance run {run_id}")


@app.command("salbp1")
@handle_input_errors
def salbp1_cmd(
    file: Path = FILE,
    cycle_time: int | None = typer.Option(
        None, "--cycle-time", "-c", help="Cycle time (default: the .alb file's own)."
    ),
    time_limit: float | None = TIME,
    store: Path = store_option(),
    json_: bool = JSON,
) -> None:
    """SALBP-1: the fewest stations at a given cycle time."""
    inst = read_instance(file)
    if cycle_time is None and inst.cycle_time is None:
        fail(f"{file}: the file gives no cycle time: pass --cycle-time")
    res = solve_salbp1(inst, cycle_time, time_limit=time_limit)
    _show(res, json_, _record(file, inst, res, store))


@app.command("salbp2")
@handle_input_errors
def salbp2_cmd(
    file: Path = FILE,
    stations: int = typer.Option(..., "--stations", "-m", help="Number of stations."),
    time_limit: float | None = TIME,
    store: Path = store_option(),
    json_: bool = JSON,
) -> None:
    """SALBP-2: the smallest cycle time on a given number of stations."""
    inst = read_instance(file)
    res = solve_salbp2(inst, stations, time_limit=time_limit)
    _show(res, json_, _record(file, inst, res, store))


@app.command("line")
@handle_input_errors
def line_cmd(
    scenario: str | None = typer.Argument(None, help="Scenario file or built-in name."),
    line: str = typer.Option(..., "--line", help="Line id, e.g. ga."),
    takt: float | None = typer.Option(None, "--takt", help="Takt in s (default: the line's)."),
    tasks: Path | None = typer.Option(
        None, "--tasks", help="Task file (YAML 'tasks:' list) when the line carries none."
    ),
    time_limit: float | None = typer.Option(10.0, "--time-limit", help="Seconds of search."),
    out: Path | None = typer.Option(None, "--out", help="Write the balanced scenario (YAML)."),
    store: Path = store_option(),
    json_: bool = JSON,
) -> None:
    """Balance one of the scenario's lines and write the station cycle times back."""
    from taktline.balance.plant import balance_line, read_tasks
    from taktline.fileio import atomic_write_text
    from taktline.model import load_scenario, scenario_to_yaml

    scen = load_scenario(scenario)
    task_list = read_tasks(tasks) if tasks else None
    lb = balance_line(scen, line, takt_s=takt, tasks=task_list, time_limit=time_limit)
    if out:
        atomic_write_text(out, scenario_to_yaml(lb.scenario))
    parameters = {"takt_s": lb.takt_s, "tasks": str(tasks) if tasks else None}
    run_id = store_run(
        balance_line_run(lb, scen.name, scenario_text_of(scenario), parameters), store
    ).id
    res = lb.result
    if json_:
        emit_json(
            {
                "line": lb.line,
                "takt_s": lb.takt_s,
                "stations": len(lb.stations),
                "lower_bound": res.lower_bound,
                "optimal": res.optimal,
                "assignment": lb.stations,
                "wall_s": round(res.wall_s, 4),
                "written": str(out) if out else None,
                "run": run_id,
            }
        )
        return
    proved = "proved optimal" if res.optimal else f"not proved (lower bound {res.lower_bound})"
    console.print(f"line {lb.line}: {len(lb.stations)} stations at takt {lb.takt_s:g} s, {proved}")
    for row in lb.stations:
        console.print(
            f"  {row['station']:12s} {row['cycle_time_s']:7.1f} s  {','.join(row['zones']):20s} "
            f"{' '.join(row['tasks'])}"
        )
    if out:
        console.print(f"  written to {out}")
    console.print(f"  recorded balance run {run_id}")
