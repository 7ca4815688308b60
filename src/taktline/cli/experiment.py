"""``taktline experiment FILE``: a what-if sweep on local cores or a Ray cluster."""

from __future__ import annotations

import contextlib
from pathlib import Path

import typer
from rich.table import Table

from taktline.cli.common import console, emit_json, handle_input_errors, progress_bar
from taktline.cli.runs import store_option
from taktline.experiment.loader import load_experiment
from taktline.experiment.runner import ExperimentResult
from taktline.workflow.experiments import run_and_record_experiment


def _table(result: ExperimentResult) -> Table:
    total = result.summary[result.summary.plant == "total"]
    table = Table(
        title=f"Experiment {result.name!r}: site totals by design point (mean ± 95 % CI)",
        title_justify="left",
    )
    labels = list(result.points[0].values) if result.points else []
    for column in ["point", *labels, *result.kpis]:
        table.add_column(column, justify="right")
    for point in result.points:
        rows = total[total.point == point.index].set_index("kpi")
        cells = [f"{rows.loc[k, 'mean']:.4g} ± {rows.loc[k, 'ci95']:.2g}" for k in result.kpis]
        table.add_row(str(point.index), *(str(point.values[x]) for x in labels), *cells)
    return table


def _effects(result: ExperimentResult) -> Table:
    table = Table(
        title="Main effects (site total): mean at each level − grand mean", title_justify="left"
    )
    for column in ("factor", "level", *result.kpis):
        table.add_column(column, justify="right")
    cells: dict[tuple[str, str], dict[str, float]] = {}
    for row in result.main_effects.itertuples():  # rows keep each level as written
        cells.setdefault((row.factor, str(row.level)), {})[row.kpi] = row.effect
    for (factor, level), by_kpi in cells.items():
        table.add_row(factor, level, *(f"{by_kpi[k]:+.4g}" for k in result.kpis))
    return table


@handle_input_errors
def experiment(
    file: Path = typer.Argument(..., help="Experiment YAML file (see docs/experiment.md)."),
    executor: str = typer.Option("local", help="local (processes on this machine) or ray."),
    address: str = typer.Option(None, help="Ray cluster address (with --executor ray)."),
    workers: int = typer.Option(None, help="Parallel workers (default: all cores / cluster CPUs)."),
    store: Path = store_option(),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Run a what-if sweep: every design point's replications, KPIs with CIs, main effects."""
    loaded = load_experiment(file)
    with progress_bar(f"{loaded.spec.name}: tasks", enabled=not json_output) as progress:
        result, record = run_and_record_experiment(
            loaded,
            executor=executor,
            workers=workers,
            address=address,
            store=store,
            progress=progress,
        )
    if json_output:
        emit_json({**result.to_dict(), "run": record.id})
        return
    console.print(_table(result))
    console.print(_effects(result))
    console.print(
        f"{len(result.points)} points × {loaded.spec.replications} replications on "
        f"{result.executor} ({result.workers} workers, {result.tasks} tasks) in "
        f"{result.wall_s:.1f} s; warm-up {result.warmup_s / 3600:.2f} h; run {record.id}"
    )


@handle_input_errors
def allocate_buffers(
    scenario_file: str = typer.Argument(
        None, metavar="[SCENARIO]", help="Scenario file or built-in name (default: yizhuang)."
    ),
    tolerance: float = typer.Option(
        0.02, help="Throughput may fall this share below the unlimited-buffer line's."
    ),
    plant: str = typer.Option(None, help="Allocate in this plant only (default: all)."),
    horizon: str = typer.Option("7d", help="Simulated time per replication."),
    warmup: str = typer.Option("1d", help="Warm-up discarded from each replication."),
    replications: int = typer.Option(10, help="Replications per candidate (same seeds: CRN)."),
    seed: int = typer.Option(1, help="Seed of the common random numbers."),
    step: int = typer.Option(1, help="Places added per step."),
    executor: str = typer.Option("local", help="local or ray."),
    address: str = typer.Option(None, help="Ray cluster address (with --executor ray)."),
    workers: int = typer.Option(None, help="Parallel workers (default: all cores)."),
    store: Path = store_option(),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Find the smallest total buffer that keeps throughput within --tolerance of unlimited."""
    from taktline.experiment.buffers import allocate_buffers as search
    from taktline.model import load_scenario
    from taktline.simulate import parse_duration
    from taktline.workflow.experiments import record_buffer_allocation
    from taktline.workflow.reporting import scenario_text_of

    scenario = load_scenario(scenario_file)
    horizon_s, warmup_s = parse_duration(horizon, "--horizon"), parse_duration(warmup, "--warmup")
    waiting = contextlib.nullcontext() if json_output else console.status("searching")
    with waiting:
        allocation = search(
            scenario,
            tolerance=tolerance,
            plant=plant,
            horizon_s=horizon_s,
            warmup_s=warmup_s,
            replications=replications,
            seed=seed,
            step=step,
            executor=executor,
            workers=workers,
            address=address,
        )
    parameters = {
        "tolerance": tolerance,
        "plant": plant,
        "horizon_s": horizon_s,
        "warmup_s": warmup_s,
        "replications": replications,
        "seed": seed,
        "step": step,
    }
    record = record_buffer_allocation(
        allocation, scenario.name, scenario_text_of(scenario_file), parameters, store
    )
    if json_output:
        emit_json({**allocation.to_dict(), "run": record.id})
        return
    table = Table(title="Buffer allocation", title_justify="left")
    table.add_column("buffer")
    table.add_column("places", justify="right")
    for name, places in allocation.capacities.items():
        table.add_row(name, str(places))
    console.print(table)
    verdict = "reached" if allocation.reached else "NOT reached"
    console.print(
        f"total {allocation.total} places: {allocation.throughput_jph:.2f} ± "
        f"{allocation.throughput_ci95:.2f} jobs/h against {allocation.unlimited_jph:.2f} with "
        f"unlimited buffers (target {allocation.target_jph:.2f}, {verdict}); "
        f"{allocation.evaluations} candidates in {allocation.wall_s:.1f} s; run {record.id}"
    )
