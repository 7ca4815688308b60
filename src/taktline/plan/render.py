"""Rich tables of a plan, its targets and a quote (for ``taktline plan``/``quote``/``run``)."""

from __future__ import annotations

from rich.table import Table

from taktline.plan.planner import PlanReport, Quote


def _n(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def plan_table(report: PlanReport, title: str | None = None) -> Table:
    """Month by month: capacity and build per plant, deliveries, backlog, capacity use."""
    pr = report.problem
    plants = [
        p
        for i, p in enumerate(pr.plants)
        if pr.capacity[i].sum() > 0 or report.solution.build[i].sum() > 0
    ]
    table = Table(title=title or f"Plan {report.problem.months[0]} to {report.problem.months[-1]}")
    table.add_column("month")
    for plant in plants:
        table.add_column(f"{plant} build/cap", justify="right")
    for name in ("deliveries", "backlog", "use"):
        table.add_column(name, justify="right")
    for m, row in enumerate(report.month_totals()):
        cells = [str(row["month"])]
        for plant in plants:
            cap = float(pr.capacity[pr.plants.index(plant), m])
            built = float(row["by_plant"][plant])  # type: ignore[index]
            cells.append("—" if cap <= 0 and built <= 0 else f"{built / 1e3:.1f}k/{cap / 1e3:.1f}k")
        use = row["use"]
        cells += [
            _n(row["deliveries"]),  # type: ignore[arg-type]
            _n(row["backlog"]),  # type: ignore[arg-type]
            "—" if use is None else f"{use:.0%}",
        ]
        table.add_row(*cells)
    return table


def targets_table(report: PlanReport) -> Table:
    """Each target: planned, reachable, shortfall, the cheapest levers that close it."""
    table = Table(title="Delivery targets")
    for name in ("year", "target", "planned", "reachable", "shortfall", "levers", "left short"):
        table.add_column(name, justify="right" if name not in ("levers",) else "left")
    for t in report.targets:
        levers = "\n".join(
            f"{lv['lever']} {lv['option']} (+{lv['capacity_added_in_year']:,}, "
            f"CNY {float(lv['cost']) / 1e6:,.0f} M)"
            for lv in t.levers
        )
        table.add_row(
            str(t.year),
            _n(t.target),
            _n(t.planned),
            "yes" if t.reachable else "[red]no[/red]",
            _n(t.shortfall),
            levers or "—",
            _n(t.shortfall_with_levers) if t.levers else "—",
        )
    return table


def quote_table(q: Quote) -> Table:
    """A wait-time quote as a small table."""
    table = Table(title=f"Quote: {q.model} ({q.market}) ordered {q.ordered}")
    table.add_column("")
    table.add_column("date", justify="right")
    table.add_column("weeks", justify="right")
    for label, day in (("expected", q.expected), ("P10", q.p10), ("P50", q.p50), ("P90", q.p90)):
        weeks = q.weeks(day)
        table.add_row(
            label,
            day.isoformat() if day else "beyond horizon",
            "—" if weeks is None else f"{weeks:.1f}",
        )
    return table


def yearly_table(report: PlanReport, title: str | None = None) -> Table:
    """Per calendar year: capacity, build, deliveries, target and whether it is reached.

    A compact summary for ``taktline run``.
    """
    pr, sol = report.problem, report.solution
    table = Table(title=title or f"Plan {pr.months[0]} to {pr.months[-1]} by year")
    for name in ("year", "capacity", "build", "deliveries", "target", "reachable", "short"):
        table.add_column(name, justify="right")
    targets = {t.year: t for t in report.targets}
    years = sorted({int(m[:4]) for m in pr.months})
    for year in years:
        idx = [i for i, m in enumerate(pr.months) if int(m[:4]) == year]
        target = targets.get(year)
        table.add_row(
            str(year),
            _n(float(pr.capacity[:, idx].sum())),
            _n(float(sol.build[:, :, idx].sum())),
            _n(float(sol.deliveries[:, :, idx].sum())),
            _n(target.target) if target else "—",
            ("yes" if target.reachable else "[red]no[/red]") if target else "—",
            _n(target.shortfall) if target else "—",
        )
    return table


def fit_line(report: PlanReport) -> str:
    """One line on the capacity basis and the ramp fit behind the plan."""
    fit = report.inputs.fit
    basis = report.inputs.settings.capacity_basis
    if not fit.fitted:
        return f"Capacity basis: {basis}; no data to fit: default {fit.form} ramp (ASSUMPTION)."
    return (
        f"Capacity basis: {basis}; ramp {fit.form}, level {fit.level:.3f}, fit RMS "
        f"{fit.rms_relative:.1%} on {len(fit.residuals)} points."
    )


def fit_table(report: PlanReport) -> Table:
    """The ramp fit's data points: observed, fitted, residual."""
    fit = report.inputs.fit
    table = Table(title=f"Ramp fit ({fit.form}, level {fit.level:.3f})")
    for name in ("data point", "observed", "fitted", "residual"):
        table.add_column(name, justify="left" if name == "data point" else "right")
    for r in fit.residuals:
        table.add_row(r.label, _n(r.observed), _n(r.fitted), f"{r.relative:+.1%}")
    return table
