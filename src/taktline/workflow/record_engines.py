"""Adapters for the planning, sequencing and balancing engines' results (see ``record``).

Each ``*_run`` turns an engine's result into a :class:`~taktline.store.NewRun` with
the tables the report charts (``docs/report.md`` lists them); each ``record_*``
also stores it. They use only the engines' public results, so they stay valid
while the engines evolve.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from taktline.store import NewRun, RunRecord, RunStore


# -- planning ------------------------------------------------------------------------
def plan_tables(document: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """Per month (build, deliveries, backlog, capacity, the targets' monthly pace),
    per month/plant/model, and per target year."""
    detail = pd.DataFrame(document.get("months") or [])
    targets = pd.DataFrame(document.get("targets") or [])
    tables: dict[str, pd.DataFrame] = {}
    if not detail.empty:
        numeric = [c for c in ("build", "deliveries", "backlog", "capacity") if c in detail]
        months = detail.groupby("month", sort=True)[numeric].sum().reset_index()
        if not targets.empty:
            pace = dict(zip(targets["year"], targets["target"] / 12, strict=True))
            months["target_deliveries"] = [pace.get(int(m[:4])) for m in months["month"]]
        tables["months"] = months
        tables["plan_detail"] = detail
    if not targets.empty:
        tables["targets"] = targets.drop(columns=["levers"], errors="ignore")
    return tables


def plan_kpis(document: dict[str, Any]) -> dict[str, Any]:
    """Deliveries planned per target year against the target, and the objective."""
    kpis: dict[str, Any] = {}
    for target in document.get("targets") or []:
        year = target["year"]
        kpis[f"deliveries {year}"] = {
            "value": target["planned"],
            "unit": f"cars (target {target['target']:,})",
            "better": "higher",
        }
        kpis[f"target {year} reachable"] = "yes" if target["reachable"] else "no"
        if target.get("shortfall"):
            kpis[f"shortfall {year}"] = {"value": target["shortfall"], "better": "lower"}
    kpis["status"] = document.get("status")
    return kpis


def plan_run(
    scenario_name: str,
    scenario_text: str | None,
    parameters: dict[str, Any],
    report: Any,
    label: str | None = None,
) -> NewRun:
    """A :class:`taktline.plan.PlanReport` as a run (kind ``plan``; it is exact: no seed)."""
    document = report.document()
    return NewRun(
        kind="plan",
        scenario_name=scenario_name,
        scenario_yaml=scenario_text,
        parameters=dict(parameters),
        kpis=plan_kpis(document),
        tables=plan_tables(document),
        label=label,
    )


def record_plan(
    store: RunStore,
    scenario_name: str,
    scenario_text: str | None,
    parameters: dict[str, Any],
    report: Any,
) -> RunRecord:
    """Store a plan; returns the stored run."""
    return store.add(plan_run(scenario_name, scenario_text, parameters, report))


# -- sequencing ----------------------------------------------------------------------
def option_load(flags: np.ndarray, limits: list[tuple[str, int, int]]) -> pd.DataFrame:
    """Cars with each option in every window of ``q`` consecutive cars.

    ``flags`` is (cars, options) 0/1 in sequence order; ``limits`` (name, p, q): at most
    ``p`` in any ``q``.
    """
    rows = []
    for k, (name, p, q) in enumerate(limits):
        column = np.asarray(flags[:, k], dtype=np.int64)
        if len(column) < q:
            continue
        loads = np.convolve(column, np.ones(q, dtype=np.int64), mode="valid")
        rows.append(
            pd.DataFrame(
                {
                    "option": name,
                    "window_start": np.arange(len(loads)),
                    "load": loads,
                    "p": p,
                    "q": q,
                }
            )
        )
    if not rows:
        return pd.DataFrame(columns=["option", "window_start", "load", "p", "q"])
    return pd.concat(rows, ignore_index=True)


def colour_batches(colours: list[Any], limit: int | None = None) -> pd.DataFrame:
    """Runs of one colour along a sequence: colour, start position, length (and the
    paint shop's batch limit, when there is one, in column ``limit``)."""
    rows: list[dict[str, Any]] = []
    for position, colour in enumerate(colours):
        if rows and rows[-1]["colour"] == colour:
            rows[-1]["length"] += 1
        else:
            rows.append({"colour": colour, "start": position, "length": 1})
    frame = pd.DataFrame(rows, columns=["colour", "start", "length"])
    if limit is not None:
        frame["limit"] = limit
    return frame


def sequence_csplib_run(
    instance: Any, result: Any, parameters: dict[str, Any], instance_text: str | None = None
) -> NewRun:
    """A CSPLib car-sequencing result as a run (kind ``sequence``)."""
    classes = np.asarray(result.sequence, dtype=np.int64)
    flags = np.asarray(instance.options)[classes] if len(classes) else np.zeros((0, 0))
    limits = [
        (f"option {k + 1}", int(instance.p[k]), int(instance.q[k]))
        for k in range(instance.n_options)
    ]
    sequence = pd.DataFrame({"position": np.arange(len(classes)), "class": classes})
    return NewRun(
        kind="sequence",
        scenario_name=instance.name,
        scenario_yaml=instance_text,
        parameters=dict(parameters),
        seed=parameters.get("seed"),
        kpis={
            "violated windows": {"value": result.violated_windows, "better": "lower"},
            "excess": {"value": result.excess, "better": "lower"},
            "lower bound": result.lower_bound,
            "proved optimal": "yes" if result.optimal else "no",
            "cars": instance.n_cars,
        },
        tables={"sequence": sequence, "option_load": option_load(flags, limits)},
    )


def sequence_roadef_run(
    instance: Any, result: Any, parameters: dict[str, Any], instance_text: str | None = None
) -> NewRun:
    """A ROADEF 2005 result as a run (kind ``sequence``): ratio loads and colour batches."""
    index = {ident: i for i, ident in enumerate(instance.idents)}
    order = [index[ident] for ident in result.order]
    colours = [instance.colours[i].item() for i in order]
    flags = np.asarray(instance.options)[order] if order else np.zeros((0, 0))
    limits = [(r.ident, int(r.n), int(r.p)) for r in instance.ratios]
    sequence = pd.DataFrame(
        {"position": np.arange(len(order)), "ident": result.order, "colour": colours}
    )
    return NewRun(
        kind="sequence",
        scenario_name=instance.name,
        scenario_yaml=instance_text,
        parameters=dict(parameters),
        seed=parameters.get("seed"),
        kpis={
            "objective": {"value": result.objective, "better": "lower"},
            "high-priority ratio violations": {"value": result.hprc, "better": "lower"},
            "low-priority ratio violations": {"value": result.lprc, "better": "lower"},
            "colour changes": {"value": result.colour_changes, "better": "lower"},
            "longest colour batch": result.max_batch,
            "Renault's own order": result.given_objective,
            "lower bound": result.lower_bound,
        },
        tables={
            "sequence": sequence,
            "option_load": option_load(flags, limits),
            "colour_batches": colour_batches(colours, int(instance.batch_limit)),
        },
    )


# -- balancing -----------------------------------------------------------------------
def balance_run(
    instance: Any, result: Any, parameters: dict[str, Any], instance_text: str | None = None
) -> NewRun:
    """A SALBP :class:`taktline.balance.salbp.Balance` as a run (kind ``balance``)."""
    times = list(instance.times)
    loads = [sum(times[task - 1] for task in tasks) for tasks in result.assignment]
    station_loads = pd.DataFrame(
        {
            "station": np.arange(1, len(loads) + 1),
            "load_s": loads,
            "tasks": [" ".join(str(t) for t in tasks) for tasks in result.assignment],
        }
    )
    assignment = pd.DataFrame(
        [
            {"task": task, "station": s + 1, "time": times[task - 1]}
            for s, tasks in enumerate(result.assignment)
            for task in tasks
        ],
        columns=["task", "station", "time"],
    )
    busy = sum(loads)
    capacity = result.cycle_time * max(1, len(loads))
    return NewRun(
        kind="balance",
        scenario_name=instance.name,
        scenario_yaml=instance_text,
        parameters={"problem": result.problem, **parameters},
        kpis={
            "cycle time": {"value": result.cycle_time, "better": "lower"},
            "stations": {"value": result.stations, "better": "lower"},
            "line efficiency": {"value": busy / capacity if capacity else None, "better": "higher"},
            "lower bound": result.lower_bound,
            "proved optimal": "yes" if result.optimal else "no",
        },
        tables={"station_loads": station_loads, "assignment": assignment},
    )


def balance_line_run(
    line_balance: Any, scenario_name: str, scenario_text: str | None, parameters: dict[str, Any]
) -> NewRun:
    """A balanced scenario line (:class:`taktline.balance.plant.LineBalance`) as a run."""
    stations = line_balance.stations
    loads = [row["cycle_time_s"] for row in stations]
    station_loads = pd.DataFrame(
        {
            "station": [row["station"] for row in stations],
            "load_s": loads,
            "tasks": [" ".join(row["tasks"]) for row in stations],
            "zones": [",".join(row["zones"]) for row in stations],
        }
    )
    takt = line_balance.takt_s
    result = line_balance.result
    return NewRun(
        kind="balance",
        scenario_name=scenario_name,
        scenario_yaml=scenario_text,
        parameters={"problem": "line", "line": line_balance.line, **parameters},
        kpis={
            "cycle time": {"value": takt, "unit": "s (takt)"},
            "stations": {"value": len(stations), "better": "lower"},
            "line efficiency": {
                "value": sum(loads) / (takt * len(stations)) if stations else None,
                "better": "higher",
            },
            "proved optimal": "yes" if result.optimal else "no",
        },
        tables={"station_loads": station_loads},
    )


def record_run(store: RunStore, run: NewRun) -> RunRecord:
    """Store any prepared run (what the CLI commands call after an engine's ``*_run``)."""
    return store.add(run)


# -- experiments ---------------------------------------------------------------------
def experiment_run(
    result: Any,
    parameters: dict[str, Any],
    experiment_text: str | None = None,
    seed: int | None = None,
) -> NewRun:
    """An :class:`taktline.experiment.runner.ExperimentResult` as a run (kind ``experiment``).

    The recorded "scenario" text is the experiment file (it names its scenario); the
    tables are the engine's own: per replication, per point (mean and CI) and the main
    effects of each factor.
    """
    summary = result.summary
    kpis: dict[str, Any] = {
        "design points": len(result.points),
        "replications": int(result.replications["replication"].nunique())
        if "replication" in result.replications
        else None,
    }
    total = summary[summary.plant == "total"] if "plant" in summary else summary
    for kpi in result.kpis[:3]:
        rows = total[total.kpi == kpi]
        if rows.empty:
            continue
        best = rows.loc[rows["mean"].idxmax()]
        kpis[f"best {kpi}"] = {
            "value": float(best["mean"]),
            "ci_low": float(best["mean"] - best["ci95"]),
            "ci_high": float(best["mean"] + best["ci95"]),
            "unit": f"at point {int(best['point'])}",
        }
    return NewRun(
        kind="experiment",
        scenario_name=result.name,
        scenario_yaml=experiment_text,
        parameters=dict(parameters),
        seed=seed,
        kpis=kpis,
        tables={
            "replications": result.replications,
            "summary": summary,
            "main_effects": result.main_effects,
        },
    )


def sequence_day_run(
    scenario_name: str,
    scenario_text: str | None,
    parameters: dict[str, Any],
    plan: Any,
    label: str | None = None,
) -> NewRun:
    """A plant's sequenced day (:class:`taktline.sequence.plant.DayPlan`) as a run.

    Tables: the release order, each option's load per window of q cars against its
    limit p (in the sequenced order), and the colour batches.
    """
    jobs = list(plan.jobs)
    limits = [(o.option, int(o.p), int(o.q)) for o in plan.options]
    flags = np.array(
        [[1 if o.option in job.options else 0 for o in plan.options] for job in jobs],
        dtype=np.int64,
    ).reshape(len(jobs), len(limits))
    sequence = pd.DataFrame(
        {
            "position": np.arange(len(jobs)),
            "id": [j.id for j in jobs],
            "model": [j.model for j in jobs],
            "colour": [j.colour for j in jobs],
            "options": [" ".join(j.options) for j in jobs],
        }
    )
    options = pd.DataFrame([vars(o) for o in plan.options])
    kpis: dict[str, Any] = {
        "cars": len(jobs),
        "objective": {"value": plan.objective, "better": "lower"},
        "colour changes": {
            "value": plan.colour_changes,
            "unit": f"{plan.colour_changes_received} as received",
            "better": "lower",
        },
        "longest colour batch": {
            "value": plan.max_batch,
            "unit": f"limit {plan.batch_limit}" if plan.batch_limit else "",
        },
    }
    for o in plan.options:
        kpis[f"{o.option} excess"] = {
            "value": o.excess_sequenced,
            "unit": f"cars over {o.p}/{o.q} ({o.excess_received} as received)",
            "better": "lower",
        }
    return NewRun(
        kind="sequence",
        scenario_name=scenario_name,
        scenario_yaml=scenario_text,
        parameters=dict(parameters),
        seed=parameters.get("seed"),
        kpis=kpis,
        tables={
            "sequence": sequence,
            "option_load": option_load(flags, limits),
            "colour_batches": colour_batches([j.colour for j in jobs], plan.batch_limit),
            "options": options,
        },
        label=label,
    )
