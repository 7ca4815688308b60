"""From a scenario and settings to a :class:`PlanProblem`: capacity, eligibility, orders, levers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from taktline.errors import InputError
from taktline.model import OrderLot, Scenario
from taktline.plan.capacity import Timeline, build_timeline, lever_hours, rated_level
from taktline.plan.fit import RampFit, fit_ramp
from taktline.plan.months import add_months, month_end, month_key, months_between, parse_month
from taktline.plan.orders import OrderBook, consume_fifo
from taktline.plan.problem import Lever, LeverOption, PlanProblem, Target
from taktline.plan.ramp import ramp_share
from taktline.plan.settings import PlanSettings


@dataclass
class PlanInputs:
    """Everything a plan was built from, kept for reports, quotes and checks."""

    scenario: Scenario
    settings: PlanSettings
    start: date
    end: date
    timeline: Timeline
    fit: RampFit
    levels: dict[str, float]
    daily: dict[str, np.ndarray]
    problem: PlanProblem
    book: OrderBook
    levers_from: int | None
    notes: list[str] = field(default_factory=list)

    @property
    def horizon_slice(self) -> slice:
        """The horizon's months inside the timeline's months."""
        first = self.timeline.month_index(self.start)
        return slice(first, first + self.problem.horizon)


def _in_production(scenario: Scenario, model: str, month: date) -> bool:
    for m in scenario.products.models:
        if m.id == model:
            started = m.launch is None or m.launch <= month_end(month)
            ended = m.end_of_production is not None and m.end_of_production < month
            return started and not ended
    return False


def plan_levels(
    scenario: Scenario, settings: PlanSettings, fit: RampFit, timeline: Timeline
) -> dict[str, float]:
    """Effective availability of each line under the settings' capacity basis."""
    levels = {}
    for line_id, line in timeline.plants.items():
        if settings.capacity_basis == "demonstrated" and fit.fitted:
            levels[line_id] = fit.level
        elif settings.capacity_basis == "rated":
            levels[line_id] = rated_level(scenario, line) or settings.availability
        else:
            levels[line_id] = settings.availability
    return levels


def last_record_month(scenario: Scenario) -> date | None:
    """The latest month of the public record with deliveries."""
    months = [parse_month(r.month) for r in scenario.record if r.deliveries is not None]
    return max(months) if months else None


def build_problem(
    scenario: Scenario,
    settings: PlanSettings,
    start: date,
    end: date,
    lots: list[OrderLot] | None = None,
    extra_targets: dict[int, int] | None = None,
    fit: RampFit | None = None,
    with_levers: bool | None = None,
    include_targets: bool = True,
) -> PlanInputs:
    """The planning problem of ``scenario`` from ``start``'s month to ``end``'s month."""
    if end < start:
        raise InputError(f"--to {month_key(end)} is before --from {month_key(start)}", field="to")
    if months_between(start, end) > 240:
        raise InputError("the horizon is longer than 20 years", field="to")
    explicit = {**settings.targets, **(extra_targets or {})}
    for year in explicit:
        if not start.year <= year <= end.year:
            raise InputError(
                f"target year {year} has no month in the horizon "
                f"{month_key(start)}..{month_key(end)}",
                field="target",
            )
    models = [m.id for m in scenario.products.models]
    new_lines = {
        lever.name: scenario.plant(lever.template_plant)
        for lever in (settings.new_lines if settings.levers else ())
        if lever.template_plant in {p.id for p in scenario.plants}
    }
    timeline = build_timeline(scenario, max(end, start), extra_plants=new_lines)
    if fit is None:
        fit = fit_ramp(
            scenario,
            timeline,
            settings.ramp_form,
            settings.fit_cutoff,
            settings.delivery_lag_days,
            settings.availability,
        )
    primary = next(iter(fit.shapes), None)
    notes: list[str] = []
    if not fit.fitted:
        notes.append(
            "no record or milestones to fit: default ramp shape and the stated availability "
            f"{settings.availability:g} (ASSUMPTIONS)"
        )
    levels = plan_levels(scenario, settings, fit, timeline)
    daily = {}
    for plant in scenario.plants:
        head = fit.head_start_days if plant.id == primary else 0.0
        daily[plant.id] = timeline.daily_rate(
            timeline.plants[plant.id],
            fit.form,
            fit.shapes[plant.id],
            levels[plant.id],
            head_start_days=head,
        )
    first = timeline.month_index(start) if start >= timeline.first_day else None
    if first is None:
        raise InputError(
            f"--from {month_key(start)} is before the first start of production "
            f"({month_key(timeline.first_day)})",
            field="from",
        )
    horizon = slice(first, timeline.month_index(end.replace(day=1)) + 1)
    months = timeline.months[horizon]
    monthly = {p: timeline.to_months(d) for p, d in daily.items()}
    plants = [p.id for p in scenario.plants] + list(new_lines)
    capacity = np.array(
        [monthly[p][horizon] if p in monthly else np.zeros(len(months)) for p in plants]
    )
    eligible = np.zeros((len(plants), len(models), len(months)), dtype=bool)
    for i, line_id in enumerate(plants):
        allowed = timeline.plants[line_id].models
        if line_id in new_lines:
            chosen = next(lv for lv in settings.new_lines if lv.name == line_id)
            allowed = chosen.models or allowed
        for j, model in enumerate(models):
            for m, month in enumerate(months):
                eligible[i, j, m] = model in allowed and _in_production(scenario, model, month)

    site_monthly = sum(monthly.values())

    def site_capacity(month: date) -> float:
        if month < timeline.first_day or month > timeline.last_day:
            return float(site_monthly[-1]) if month > timeline.last_day else 0.0
        return float(site_monthly[timeline.month_index(month)])

    if lots is None:
        lots = list(scenario.orders.lots) if scenario.orders else []
    book = OrderBook(scenario, settings, lots, site_capacity, timeline.first_day)
    cohorts = book.cohorts(start, end.replace(day=1))
    lag_share = settings.delivery_lag_days / (365.25 / 12)
    initial = np.zeros((len(plants), len(models)))
    if first > 0:
        delivered_before = _delivered_before(scenario, timeline, monthly, start, lag_share, notes)
        cohorts = consume_fifo(cohorts, delivered_before)
        # cars in the pipeline at the start: the last days of the previous month's build
        previous = first - 1
        for i, line_id in enumerate(plants):
            if line_id in monthly:
                makes = [j for j, model in enumerate(models) if eligible[i, j, 0]]
                for j in makes:
                    initial[i, j] = lag_share * monthly[line_id][previous] / len(makes)
    targets = (
        _targets(scenario, explicit, months, start, timeline, monthly, lag_share, notes)
        if include_targets
        else []
    )
    problem = PlanProblem(
        months=[month_key(m) for m in months],
        plants=plants,
        models=models,
        markets=sorted({g for (_, g, _) in cohorts} | {m.id for m in settings.markets}),
        capacity=capacity,
        eligible=eligible,
        orders=cohorts,
        lag_share=lag_share,
        initial_inventory=initial,
        targets=targets,
        target_penalty_per_car=settings.target_penalty_per_car,
        waiting_cost_per_car_month=settings.waiting_cost_per_car_month,
        holding_cost_per_car_month=settings.holding_cost_per_car_month,
        priority=dict(settings.priority) if settings.order_rule == "priority" else {},
    )
    levers_from = None
    use_levers = settings.levers if with_levers is None else with_levers
    if use_levers:
        levers_from = _levers_from(scenario, settings, start, len(months))
        if levers_from is not None:
            _add_levers(
                problem, scenario, settings, timeline, fit, levels, horizon, levers_from, new_lines
            )
    return PlanInputs(
        scenario,
        settings,
        start,
        end,
        timeline,
        fit,
        levels,
        daily,
        problem,
        book,
        levers_from,
        notes,
    )


def _delivered_before(scenario, timeline, monthly, start, lag_share, notes) -> float:  # type: ignore[no-untyped-def]
    record = {r.month: r.deliveries for r in scenario.record if r.deliveries is not None}
    site = sum(monthly.values())
    total = 0.0
    for m, month in enumerate(timeline.months):
        if month >= start:
            break
        key = month_key(month)
        if key in record:
            total += record[key]
        else:
            previous = site[m - 1] if m > 0 else 0.0
            total += (1 - lag_share) * site[m] + lag_share * previous
            notes.append(f"{key}: no record, deliveries before the horizon taken from the model")
    return total


def _targets(
    scenario, explicit, months, start, timeline, monthly, lag_share, notes
) -> list[Target]:  # type: ignore[no-untyped-def]
    wanted = {t.year: t.units for t in scenario.targets}
    wanted.update(explicit)
    record = {r.month: r.deliveries for r in scenario.record if r.deliveries is not None}
    site = sum(monthly.values())
    out = []
    for year, units in sorted(wanted.items()):
        inside = [i for i, m in enumerate(months) if m.year == year]
        if not inside:
            notes.append(f"target {year} ({units:,}) is outside the horizon: not planned")
            continue
        before = 0.0
        for m, month in enumerate(timeline.months):
            if month.year == year and month < start:
                key = month_key(month)
                if key in record:
                    before += record[key]
                else:
                    before += (1 - lag_share) * site[m] + lag_share * (site[m - 1] if m else 0.0)
        out.append(Target(str(year), year, float(units), inside, before))
    return out


def _levers_from(
    scenario: Scenario, settings: PlanSettings, start: date, horizon: int
) -> int | None:
    if settings.levers_from:
        first = parse_month(settings.levers_from, "levers_from")
    else:
        last = last_record_month(scenario)
        first = add_months(last, 1) if last else start
    index = max(months_between(start, first), 0)
    return index if index < horizon else None


def _add_levers(
    problem, scenario, settings, timeline, fit, levels, horizon, levers_from, new_lines
) -> None:  # type: ignore[no-untyped-def]
    M = problem.horizon
    month_days = timeline.months[horizon]
    problem.overtime_cap = problem.capacity * settings.overtime.max_share
    problem.overtime_cap[:, :levers_from] = 0.0
    problem.overtime_cost_per_car = settings.overtime.cost_per_car
    first_plant = next(iter(fit.shapes), None)

    def months_of(daily: np.ndarray) -> np.ndarray:
        return timeline.to_months(daily)[horizon]

    for lever in settings.calendar_levers:
        for plant in scenario.plants:
            if lever.plants is not None and plant.id not in lever.plants:
                continue
            line = timeline.plants[plant.id]
            extra_hours = lever_hours(
                scenario, lever.pattern, lever.working_days, line.hours, timeline.days
            )
            extra_hours = np.where(timeline.age_days(line.start) < 0, 0.0, extra_hours)
            options = []
            for s in range(levers_from, M):
                begin = month_days[s]
                share = ramp_share(fit.form, fit.shapes[plant.id], timeline.age_days(begin))
                extra = months_of(line.jph * levels[plant.id] * extra_hours * share)
                if extra.sum() <= 0:
                    continue
                cost = lever.fixed_cost + lever.cost_per_month * (M - s)
                options.append(LeverOption(f"from {month_key(begin)}", s, extra, cost))
            if options:
                problem.levers.append(
                    Lever(f"{lever.name}@{plant.id}", "calendar", plant.id, options)
                )
    for lever in settings.forward:
        if lever.plant not in timeline.plants:
            continue
        line = timeline.plants[lever.plant]
        head = fit.head_start_days if lever.plant == first_plant else 0.0
        base = months_of(
            timeline.daily_rate(
                line, fit.form, fit.shapes[lever.plant], levels[lever.plant], head_start_days=head
            )
        )
        options = []
        for j in range(1, lever.max_months + 1):
            begin = add_months(line.start, -j)
            s = months_between(month_days[0], begin)
            if s < levers_from:
                continue
            moved = months_of(
                timeline.daily_rate(
                    line,
                    fit.form,
                    fit.shapes[lever.plant],
                    levels[lever.plant],
                    start=begin,
                    head_start_days=head,
                )
            )
            extra = np.maximum(moved - base, 0.0)
            if extra.sum() > 0:
                options.append(
                    LeverOption(
                        f"start {month_key(begin)}",
                        max(s, 0),
                        extra,
                        j * lever.cost_per_month_earlier,
                    )
                )
        if options:
            problem.levers.append(Lever(f"forward@{lever.plant}", "forward", lever.plant, options))
    for lever in settings.new_lines:
        if lever.name not in new_lines:
            continue
        line = timeline.plants[lever.name]
        template = lever.template_plant
        earliest = months_between(month_days[0], parse_month(lever.earliest))
        options = []
        for s in range(max(levers_from, earliest, 0), M):
            begin = month_days[s]
            extra = months_of(
                timeline.daily_rate(
                    line, fit.form, fit.shapes[template], levels[lever.name], start=begin
                )
            )
            if extra.sum() <= 0:
                continue
            options.append(
                LeverOption(
                    f"start {month_key(begin)}",
                    s,
                    extra,
                    lever.fixed_cost + lever.cost_per_month * (M - s),
                )
            )
        if options:
            problem.levers.append(Lever(lever.name, "new_line", lever.name, options))
