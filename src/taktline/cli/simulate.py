"""``taktline simulate``: simulate a scenario and print its KPIs (a thin layer over the API)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from taktline.cli.common import console, emit_json, handle_input_errors, progress_bar
from taktline.cli.runs import store_option
from taktline.errors import InputError
from taktline.workflow.reporting import record_simulation_result, scenario_text_of

_TABLE_KPIS = (
    ("throughput_jph", "throughput (jobs/working h)", "{:.2f}"),
    ("throughput_jpd", "throughput (jobs/day)", "{:.1f}"),
    ("throughput_per_shift", "throughput (jobs/shift)", "{:.1f}"),
    ("takt_attainment", "takt attainment", "{:.3f}"),
    ("wip", "WIP (jobs)", "{:.2f}"),
    ("lead_time_s", "lead time mean (s)", "{:.0f}"),
    ("lead_time_p50_s", "lead time p50 (s)", "{:.0f}"),
    ("lead_time_p95_s", "lead time p95 (s)", "{:.0f}"),
    ("scrapped", "scrapped", "{:.1f}"),
    ("reworked", "reworked", "{:.1f}"),
)


def _fmt(fmt: str, value: float) -> str:
    return "n/a" if value != value else fmt.format(value)  # NaN check without math


def print_result(result) -> None:
    """The KPI table, the stations' state shares and the bottleneck, on the console."""
    plants = [p for p in result.kpis.plant.unique() if p != "total"]
    table = Table(
        title=f"{result.scenario}: {result.replications_n} replications, "
        f"horizon {result.horizon_s / 86400:g} d, warm-up "
        f"{result.warmup_s / 3600:.1f} h ({result.warmup_method})"
    )
    table.add_column("KPI")
    columns = plants + (["total"] if len(plants) > 1 else [])
    for plant in columns:
        table.add_column(f"{plant} (mean ± 95 % CI)", justify="right")
    for key, label, fmt in _TABLE_KPIS:
        cells = []
        for plant in columns:
            mean, half = result.kpi(key, plant)
            cells.append(f"{_fmt(fmt, mean)} ± {_fmt(fmt, half)}")
        table.add_row(label, *cells)
    console.print(table)
    st = Table(
        title="stations: shares of calendar time, OEE over planned time, BN = share of "
        "time the momentary bottleneck"
    )
    for col in ("plant", "station", "work", "blocked", "starved", "failed", "off", "OEE", "BN"):
        left = col in ("plant", "station")
        st.add_column(col, justify="left" if left else "right", no_wrap=True)
    for row in result.stations.itertuples():
        if row.repair_area:
            continue
        values = (
            row.working,
            row.blocked,
            row.starved,
            row.failed,
            row.off_shift,
            row.oee,
            row.bottleneck_share,
        )
        st.add_row(row.plant, row.station, *(f"{v:.3f}" for v in values))
    console.print(st)
    for plant, info in result.bottleneck.items():
        console.print(
            f"bottleneck of {plant}: [bold]{info['station']}[/bold] "
            f"(momentary bottleneck {info['share']:.1%} of the time)"
        )
    console.print(f"wall time {result.wall_s:.2f} s on {result.workers} process(es)")


@handle_input_errors
def simulate(
    scenario: Path | None = typer.Argument(
        None, help="Scenario YAML file (default: the built-in default plant)."
    ),
    horizon: str = typer.Option("30d", "--horizon", help="Simulated calendar time: 30d, 8h..."),
    replications: int = typer.Option(20, "--replications", "-n", help="Independent runs."),
    seed: int = typer.Option(1, "--seed", help="Seed of the replications' random streams."),
    warmup: str = typer.Option("auto", "--warmup", help="auto (MSER-5) or a duration: 8h."),
    workers: int | None = typer.Option(None, "--workers", help="Processes (default: all cores)."),
    method: str = typer.Option("auto", "--method", help="auto | event | serial"),
    store: Path = store_option(),
    as_json: bool = typer.Option(False, "--json", help="One JSON document on stdout."),
) -> None:
    """Simulate the plant: throughput, WIP, lead time, OEE, bottleneck, with 95 % CIs."""
    from taktline.model import load_scenario
    from taktline.simulate import simulate as run_simulation

    if replications < 1:
        raise InputError(f"must be >= 1, got {replications}", field="--replications")
    if seed < 0:
        raise InputError(f"must be >= 0, got {seed}", field="--seed")
    if workers is not None and workers < 1:
        raise InputError(f"must be >= 1, got {workers}", field="--workers")
    if method not in ("auto", "event", "serial"):
        raise InputError(f"must be auto, event or serial, got {method!r}", field="--method")
    model = load_scenario(str(scenario) if scenario is not None else None)
    with progress_bar("replications", replications) as advance:
        try:
            result = run_simulation(
                model,
                horizon=horizon,
                replications=replications,
                seed=seed,
                warmup=warmup,
                workers=workers,
                progress=advance,
                method=method,
            )
        except InputError as error:
            flags = {
                "horizon": "--horizon",
                "warmup": "--warmup",
                "seed": "--seed",
                "replications": "--replications",
                "workers": "--workers",
            }
            raise InputError(
                [
                    type(p)(p.message, p.file, p.line, flags.get(p.field or "", p.field))
                    for p in error.problems
                ]
            ) from None
    record = record_simulation_result(
        model,
        scenario_text_of(str(scenario) if scenario is not None else None),
        result,
        {
            "horizon": horizon,
            "replications": replications,
            "seed": seed,
            "warmup": warmup,
            "method": method,
        },
        store,
    )
    if as_json:
        emit_json({**result.to_dict(), "run": record.id})
    else:
        print_result(result)
        console.print(f"recorded simulation run {record.id} (taktline report {record.id})")
