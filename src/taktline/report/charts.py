"""Charts of a run: one Plotly figure for every result that has a shape.

The charts read the run's tables by name and column (the table schemas are listed
in ``docs/report.md``); a table that is missing or lacks a column simply gives no
chart, so the report works for every kind of run and for partial results. The
report file and the dashboard draw the same figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from taktline.store import RunRecord

STATE_COLOURS = {
    "working": "#2e7d32",
    "blocked": "#ef6c00",
    "starved": "#f9a825",
    "failed": "#c62828",
    "off_shift": "#9e9e9e",
}
PLANT_COLOURS = ["#1565c0", "#6a1b9a", "#00838f", "#ad1457", "#4e342e"]
ACCENT = "#c62828"


@dataclass(frozen=True)
class Chart:
    """A titled figure with a one-line reading guide."""

    key: str
    title: str
    figure: go.Figure
    note: str = ""


def _layout(fig: go.Figure, title: str, x: str, y: str, **extra: object) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01},
        xaxis_title=x,
        yaxis_title=y,
        template="plotly_white",
        margin={"l": 60, "r": 20, "t": 70, "b": 60},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1, "xanchor": "right"},
        height=420,
        **extra,
    )
    return fig


def _has(tables: dict[str, pd.DataFrame], name: str, *columns: str) -> bool:
    frame = tables.get(name)
    return frame is not None and not frame.empty and all(c in frame.columns for c in columns)


def _plant_colour(index: int) -> str:
    return PLANT_COLOURS[index % len(PLANT_COLOURS)]


# -- nominal capacity --------------------------------------------------------------
def shop_rates(run: RunRecord, tables: dict[str, pd.DataFrame]) -> list[Chart]:
    """Nominal jobs per hour of each shop, per plant, with each plant's slowest shop marked."""
    if not _has(tables, "shops", "plant", "shop", "jobs_per_hour"):
        return []
    shops = tables["shops"]
    fig = go.Figure()
    for index, (plant, rows) in enumerate(shops.groupby("plant", sort=False)):
        main = rows[rows["feeds"].isna()] if "feeds" in rows else rows
        slowest = main.loc[main["jobs_per_hour"].idxmin(), "shop"] if not main.empty else None
        fig.add_bar(
            x=rows["shop"],
            y=rows["jobs_per_hour"],
            name=str(plant),
            marker_color=_plant_colour(index),
            marker_line_color=[ACCENT if s == slowest else "rgba(0,0,0,0)" for s in rows["shop"]],
            marker_line_width=3,
            text=["bottleneck" if s == slowest else "" for s in rows["shop"]],
            textposition="outside",
        )
    _layout(fig, "Nominal rate per shop", "shop", "jobs per hour", barmode="group")
    return [
        Chart(
            "shop-rates",
            "Nominal rate per shop",
            fig,
            "Outlined bar: the plant's slowest main-flow shop, which sets its nominal rate.",
        )
    ]


def station_capacity(run: RunRecord, tables: dict[str, pd.DataFrame]) -> list[Chart]:
    """Each station's capacity against its plant's rate, bottlenecks in red."""
    if not _has(tables, "stations", "plant", "station", "capacity_jph"):
        return []
    charts = []
    for plant, rows in tables["stations"].groupby("plant", sort=False):
        colours = [
            ACCENT if bool(b) else ("#90a4ae" if bool(f) else "#1565c0")
            for b, f in zip(
                rows.get("bottleneck", pd.Series(False, index=rows.index)),
                rows.get("feeder", pd.Series(False, index=rows.index)),
                strict=True,
            )
        ]
        fig = go.Figure(
            go.Bar(
                x=rows["station"],
                y=rows["capacity_jph"],
                marker_color=colours,
                customdata=rows[["shop", "cycle_time_s"]].to_numpy()
                if {"shop", "cycle_time_s"} <= set(rows.columns)
                else None,
                hovertemplate="%{x}<br>%{y:.1f} jobs/h<br>shop %{customdata[0]}"
                "<br>cycle %{customdata[1]} s<extra></extra>"
                if {"shop", "cycle_time_s"} <= set(rows.columns)
                else None,
                name="station capacity",
            )
        )
        if "plant_jph" in rows:
            rate = float(rows["plant_jph"].iloc[0])
            fig.add_hline(
                y=rate,
                line_dash="dash",
                line_color=ACCENT,
                annotation_text=f"plant rate {rate:.1f}/h",
            )
        title = f"Station capacity, {plant}"
        _layout(fig, title, "station", "jobs per hour", showlegend=False)
        fig.update_xaxes(tickangle=-60)
        charts.append(
            Chart(
                f"station-capacity-{plant}",
                title,
                fig,
                "Red: each shop's slowest station; grey: feeder shops; dashed: the plant rate.",
            )
        )
    return charts


# -- simulation ----------------------------------------------------------------------
def throughput(run: RunRecord, tables: dict[str, pd.DataFrame]) -> list[Chart]:
    """Cumulative output over time, one line per replication (and plant)."""
    if not _has(tables, "throughput", "time_h", "completed"):
        return []
    frame = tables["throughput"]
    groups = [c for c in ("plant", "replication") if c in frame.columns]
    fig = go.Figure()
    parts = frame.groupby(groups, sort=False) if groups else [((), frame)]
    for key, rows in parts:
        key = key if isinstance(key, tuple) else (key,)
        name = " ".join(f"{g} {k}" for g, k in zip(groups, key, strict=True)) or "output"
        fig.add_scatter(x=rows["time_h"], y=rows["completed"], mode="lines", name=name)
    _layout(fig, "Throughput over time", "simulated time, h", "jobs completed (cumulative)")
    note = (
        "One line per replication."
        if "replication" in frame.columns
        else "Replication 0 of each plant; flat stretches are nights, weekends and holidays."
    )
    return [Chart("throughput", "Throughput over time", fig, note)]


def _state_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame | None:
    """Station states long (station, state, share): given so, or melted from the wide
    ``stations`` table of a simulation (one column per state)."""
    if _has(tables, "station_states", "station", "state", "share"):
        return tables["station_states"]
    if _has(tables, "stations", "station", "working"):
        wide = tables["stations"]
        states = [s for s in STATE_COLOURS if s in wide.columns]
        keep = [c for c in ("plant", "station", "bottleneck") if c in wide.columns]
        return wide.melt(id_vars=keep, value_vars=states, var_name="state", value_name="share")
    return None


def station_states(run: RunRecord, tables: dict[str, pd.DataFrame]) -> list[Chart]:
    """Share of time per state at each station, stacked, with the bottleneck marked."""
    frame = _state_table(tables)
    if frame is None:
        return []
    if "plant" in frame.columns:
        parts = list(frame.groupby("plant", sort=False))
    else:
        parts = [(None, frame)]
    charts = []
    for plant, rows in parts:
        shares = rows.groupby(["station", "state"], sort=False)["share"].mean()
        shares = shares.unstack(fill_value=0).reindex(list(dict.fromkeys(rows["station"])))
        bottleneck = _bottleneck(run, rows, shares)
        fig = go.Figure()
        states = [s for s in STATE_COLOURS if s in shares.columns]
        states += [s for s in shares.columns if s not in STATE_COLOURS]
        for state in states:
            fig.add_bar(
                x=shares.index,
                y=shares[state],
                name=state.replace("_", " "),
                marker_color=STATE_COLOURS.get(state),
            )
        if bottleneck in shares.index:
            fig.add_annotation(
                x=bottleneck,
                y=1.0,
                yanchor="bottom",
                text="▼ bottleneck",
                showarrow=False,
                font={"color": ACCENT, "size": 13},
            )
        title = "Station states" + (f", {plant}" if plant is not None else "")
        _layout(fig, title, "station", "share of time", barmode="stack")
        fig.update_layout(legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1})
        fig.update_yaxes(range=[0, 1.08], tickformat=".0%")
        fig.update_xaxes(tickangle=-60)
        note = "Working, blocked, starved, failed, off shift; ▼ marks the bottleneck"
        if bottleneck:
            note += f" ({bottleneck})"
        charts.append(
            Chart(
                "station-states" + (f"-{plant}" if plant is not None else ""),
                title,
                fig,
                note + ".",
            )
        )
    return charts


def _bottleneck(run: RunRecord, rows: pd.DataFrame, shares: pd.DataFrame) -> str | None:
    """The bottleneck: flagged by the engine, else the station working the largest share
    while being the least blocked and starved (the active-period method in spirit)."""
    if "bottleneck" in rows.columns:
        flagged = rows.loc[rows["bottleneck"].astype(bool), "station"]
        if not flagged.empty:
            return str(flagged.iloc[0])
    if "working" in shares.columns and not shares.empty:
        return str(shares["working"].idxmax())
    return None


FILL_BINS = ["empty", "<25%", "25–50%", "50–75%", "75–100%", "full"]


def _fill_bin(level: float, capacity: float) -> str:
    if level <= 0:
        return "empty"
    if capacity <= 0 or level >= capacity:
        return "full"
    return FILL_BINS[1 + min(3, int(4 * level / capacity))]


def buffer_levels(run: RunRecord, tables: dict[str, pd.DataFrame]) -> list[Chart]:
    """Buffer level histograms: share of time at each fill level, one row per buffer.

    Buffers of 3 and of 200 places are shown on one scale by binning the level as a
    share of capacity (empty, quarters, full).
    """
    if not _has(tables, "buffer_levels", "buffer", "level", "share"):
        return []
    frame = tables["buffer_levels"].copy()
    keys = [c for c in ("plant", "buffer") if c in frame.columns]
    capacity = frame.groupby(keys)["level"].transform("max")
    if _has(tables, "buffers", "buffer", "capacity"):
        caps = tables["buffers"].set_index(keys)["capacity"]
        known = frame.set_index(keys).index.map(caps.to_dict())
        capacity = pd.Series(known, index=frame.index).fillna(capacity).astype(float)
    frame["bin"] = [_fill_bin(lv, cap) for lv, cap in zip(frame["level"], capacity, strict=True)]
    charts = []
    plants = list(frame.groupby("plant", sort=False)) if "plant" in frame else [(None, frame)]
    for plant, rows in plants:
        grid = rows.groupby(["buffer", "bin"], sort=False)["share"].sum().unstack(fill_value=0)
        grid = grid.reindex(columns=FILL_BINS, fill_value=0)
        grid = grid.reindex(list(dict.fromkeys(rows["buffer"])))
        fig = go.Figure(
            go.Heatmap(
                z=grid.to_numpy(),
                x=FILL_BINS,
                y=list(grid.index),
                colorscale="Blues",
                zmin=0,
                zmax=1,
                colorbar={"title": "share", "tickformat": ".0%"},
                hovertemplate="%{y}<br>%{x}: %{z:.1%} of the time<extra></extra>",
            )
        )
        title = "Buffer levels" + (f", {plant}" if plant is not None else "")
        _layout(fig, title, "fill level", "buffer")
        fig.update_layout(height=max(420, 16 * len(grid) + 140))
        fig.update_yaxes(autorange="reversed")
        charts.append(
            Chart(
                "buffer-levels" + (f"-{plant}" if plant is not None else ""),
                title,
                fig,
                "Each row is a buffer's level histogram. Mostly empty: it starves the next "
                "station; mostly full: it blocks the one before.",
            )
        )
    return charts


def wip(run: RunRecord, tables: dict[str, pd.DataFrame]) -> list[Chart]:
    """Work in process over time."""
    if not _has(tables, "wip", "time_h", "wip"):
        return []
    frame = tables["wip"]
    fig = go.Figure()
    groups = [c for c in ("plant", "replication") if c in frame.columns]
    parts = frame.groupby(groups, sort=False) if groups else [((), frame)]
    for key, rows in parts:
        key = key if isinstance(key, tuple) else (key,)
        name = " ".join(f"{g} {k}" for g, k in zip(groups, key, strict=True)) or "WIP"
        fig.add_scatter(x=rows["time_h"], y=rows["wip"], mode="lines", name=name)
    _layout(fig, "Work in process", "simulated time, h", "jobs in the system")
    return [Chart("wip", "Work in process", fig)]


def lead_time(run: RunRecord, tables: dict[str, pd.DataFrame]) -> list[Chart]:
    """Distribution of lead times (from a histogram table or individual jobs)."""
    if _has(tables, "lead_time", "lead_time_h", "count"):
        rows = tables["lead_time"]
        fig = go.Figure(go.Bar(x=rows["lead_time_h"], y=rows["count"], name="jobs"))
    elif _has(tables, "lead_time", "lead_time_h"):
        rows = tables["lead_time"]
        fig = go.Figure()
        parts = rows.groupby("plant", sort=False) if "plant" in rows else [("jobs", rows)]
        for name, part in parts:
            fig.add_histogram(x=part["lead_time_h"], nbinsx=60, name=str(name), opacity=0.7)
        fig.update_layout(barmode="overlay")
    else:
        return []
    _layout(fig, "Lead time", "lead time, h (calendar)", "jobs")
    return [
        Chart(
            "lead-time",
            "Lead time",
            fig,
            "Time from entering the plant to leaving it, calendar hours (nights and weekends "
            "included).",
        )
    ]


# -- planning ------------------------------------------------------------------------
def plan_months(run: RunRecord, tables: dict[str, pd.DataFrame]) -> list[Chart]:
    """Build and deliveries per month against targets, and the backlog."""
    if not _has(tables, "months", "month"):
        return []
    frame = tables["months"]
    x = frame["month"].astype(str)
    charts = []
    fig = go.Figure()
    for column, colour in (("build", "#1565c0"), ("deliveries", "#2e7d32")):
        if column in frame:
            fig.add_bar(x=x, y=frame[column], name=column, marker_color=colour)
    paces = {
        "target_build": ("build target", "#1565c0"),
        "target_deliveries": ("delivery target pace (year / 12)", "#2e7d32"),
    }
    for column, (name, colour) in paces.items():
        if column in frame and frame[column].notna().any():
            fig.add_scatter(
                x=x,
                y=frame[column],
                name=name,
                mode="lines+markers",
                line={"dash": "dash", "color": colour},
            )
    if fig.data:
        _layout(fig, "Build and deliveries per month", "month", "cars", barmode="group")
        charts.append(
            Chart("plan-months", "Build and deliveries per month", fig, "Dashed: the targets.")
        )
    if "backlog" in frame:
        fig = go.Figure(go.Bar(x=x, y=frame["backlog"], marker_color="#ef6c00", name="backlog"))
        _layout(fig, "Order backlog at month end", "month", "cars", showlegend=False)
        charts.append(Chart("plan-backlog", "Order backlog at month end", fig))
    return charts


def plan_targets(run: RunRecord, tables: dict[str, pd.DataFrame]) -> list[Chart]:
    """Deliveries planned per year against each year's target."""
    if not _has(tables, "targets", "year", "target", "planned"):
        return []
    frame = tables["targets"]
    years = frame["year"].astype(str)
    reachable = frame["reachable"] if "reachable" in frame else frame["planned"] >= frame["target"]
    fig = go.Figure()
    fig.add_bar(
        x=years,
        y=frame["planned"],
        name="planned deliveries",
        marker_color=["#2e7d32" if ok else ACCENT for ok in reachable],
    )
    fig.add_scatter(
        x=years,
        y=frame["target"],
        name="target",
        mode="markers",
        marker={
            "symbol": "line-ew-open",
            "size": 40,
            "color": "#212121",
            "line": {"width": 3, "color": "#212121"},
        },
    )
    _layout(fig, "Deliveries per year against the targets", "year", "cars")
    return [
        Chart(
            "plan-targets",
            "Deliveries per year against the targets",
            fig,
            "Green: the target is reached; red: it falls short. The black bar is the target.",
        )
    ]


# -- sequencing ----------------------------------------------------------------------
def option_load(run: RunRecord, tables: dict[str, pd.DataFrame]) -> list[Chart]:
    """Per option, cars with it in each window of q against the limit p."""
    if not _has(tables, "option_load", "option", "window_start", "load", "p", "q"):
        return []
    frame = tables["option_load"]
    charts = []
    for option, rows in frame.groupby("option", sort=False):
        p, q = int(rows["p"].iloc[0]), int(rows["q"].iloc[0])
        over = rows["load"] > p
        fig = go.Figure(
            go.Bar(
                x=rows["window_start"],
                y=rows["load"],
                marker_color=[ACCENT if o else "#1565c0" for o in over],
                name="load",
            )
        )
        fig.add_hline(y=p, line_dash="dash", line_color=ACCENT, annotation_text=f"limit {p}/{q}")
        title = f"Option {option}: load per window of {q}"
        _layout(fig, title, "window start (position)", "cars with the option", showlegend=False)
        charts.append(
            Chart(
                f"option-load-{option}",
                title,
                fig,
                f"{int(over.sum())} windows over the limit (red).",
            )
        )
    return charts


def colour_batches(run: RunRecord, tables: dict[str, pd.DataFrame]) -> list[Chart]:
    """Colour batches along the sequence: each bar one batch, its length the cars in it."""
    if not _has(tables, "colour_batches", "colour", "start", "length"):
        return []
    frame = tables["colour_batches"]
    fig = go.Figure()
    for colour, rows in frame.groupby("colour", sort=False):
        fig.add_bar(
            y=["sequence"] * len(rows),
            x=rows["length"],
            base=rows["start"],
            orientation="h",
            name=str(colour),
        )
    limit = frame["limit"].iloc[0] if "limit" in frame and len(frame) else None
    _layout(fig, "Colour batches along the sequence", "position", "", barmode="overlay")
    fig.update_layout(height=260)
    longest = int(frame["length"].max())
    note = f"{len(frame)} batches, the longest {longest} cars"
    note += f" (limit {limit})." if limit is not None else "."
    return [Chart("colour-batches", "Colour batches along the sequence", fig, note)]


# -- balancing -----------------------------------------------------------------------
def balance_loads(run: RunRecord, tables: dict[str, pd.DataFrame]) -> list[Chart]:
    """Work content per station against the cycle time."""
    if not _has(tables, "station_loads", "station", "load_s"):
        return []
    frame = tables["station_loads"]
    cycle = run.kpis.get("cycle time", run.parameters.get("cycle_time"))
    if isinstance(cycle, dict):
        cycle = cycle.get("value")
    fig = go.Figure(go.Bar(x=frame["station"].astype(str), y=frame["load_s"], name="load"))
    if isinstance(cycle, int | float):
        fig.add_hline(
            y=cycle, line_dash="dash", line_color=ACCENT, annotation_text=f"cycle time {cycle:g}"
        )
    _layout(
        fig, "Station loads against the cycle time", "station", "work content", showlegend=False
    )
    return [
        Chart(
            "balance-loads",
            "Station loads against the cycle time",
            fig,
            "The gap between a bar and the dashed line is idle time per cycle.",
        )
    ]


# -- experiments ---------------------------------------------------------------------
def experiment_effects(run: RunRecord, tables: dict[str, pd.DataFrame]) -> list[Chart]:
    """Main effects: per KPI, each factor level's mean against the grand mean."""
    if not _has(tables, "main_effects", "factor", "level", "kpi", "effect"):
        return []
    frame = tables["main_effects"]
    charts = []
    for kpi, rows in frame.groupby("kpi", sort=False):
        fig = go.Figure()
        for factor, part in rows.groupby("factor", sort=False):
            fig.add_bar(
                x=[f"{factor} = {level}" for level in part["level"]],
                y=part["effect"],
                name=str(factor),
            )
        title = f"Main effects on {kpi}"
        _layout(fig, title, "factor level", f"effect on {kpi} (against the grand mean)")
        charts.append(Chart(f"effects-{kpi}", title, fig, "Site total, mean over the points."))
    return charts


def experiment_points(run: RunRecord, tables: dict[str, pd.DataFrame]) -> list[Chart]:
    """Each design point's mean with its 95 % confidence interval, per KPI."""
    if not _has(tables, "summary", "point", "kpi", "mean", "ci95"):
        return []
    frame = tables["summary"]
    if "plant" in frame:
        frame = frame[frame["plant"] == "total"]
    charts = []
    for kpi, rows in frame.groupby("kpi", sort=False):
        fig = go.Figure(
            go.Scatter(
                x=rows["point"].astype(str),
                y=rows["mean"],
                error_y={"type": "data", "array": rows["ci95"]},
                mode="markers",
                marker={"size": 9},
            )
        )
        title = f"{kpi} per design point"
        _layout(fig, title, "design point", kpi, showlegend=False)
        charts.append(Chart(f"points-{kpi}", title, fig, "Mean and 95 % confidence interval."))
    return charts


CHART_BUILDERS: list[Callable[[RunRecord, dict[str, pd.DataFrame]], list[Chart]]] = [
    throughput,
    station_states,
    buffer_levels,
    wip,
    lead_time,
    plan_months,
    plan_targets,
    option_load,
    colour_batches,
    balance_loads,
    experiment_points,
    experiment_effects,
    shop_rates,
    station_capacity,
]


def charts_for(run: RunRecord, tables: dict[str, pd.DataFrame]) -> list[Chart]:
    """Every chart the run's tables allow, in reading order."""
    charts: list[Chart] = []
    for build in CHART_BUILDERS:
        charts += build(run, tables)
    return charts
