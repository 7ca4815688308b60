"""Least-squares fit of the ramp-up to the public record and the plant's milestones.

Model of a plant's output on a day: ``jph × scheduled hours × level × S(t)``
with ``S`` a ramp form (see :mod:`taktline.plan.ramp`) of the days since its
start of production and ``level`` the effective availability of the scheduled
hours at maturity (shared by the plants of a site: same shops, same crews' know-how).
Deliveries lag production by ``delivery_lag_days``.

Data: the scenario's monthly deliveries record (site totals) and each plant's
ramp milestones (cumulative built or delivered on a date, a monthly rate), all
up to a cut-off month. Residuals are relative, ``(fitted - observed) / observed``,
so a 10,000-car milestone and a 25,000-car month weigh alike. Months under 1,000
cars (a launch month of a few days) are left out: their relative error is noise.

A plant started after the cut-off, or with fewer than three months of data,
inherits the first plant's ramp shape from its own start (learning transfer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from scipy.optimize import least_squares

from taktline.model import Scenario
from taktline.plan.capacity import DAYS_PER_MONTH, Timeline
from taktline.plan.months import month_end, month_key, parse_month
from taktline.plan.ramp import DEFAULT_SHAPE, FORM_SPECS, FORMS

MIN_MONTH_UNITS = 1000
MIN_OWN_POINTS = 3
LEVEL_BOUNDS = (0.2, 1.3)  # above 1: the calendar understates worked hours (Sundays, overtime)
HEAD_START_BOUNDS = (0.0, 240.0)


@dataclass(frozen=True)
class Observation:
    """One data point of the fit."""

    kind: str  # record_deliveries | cumulative_built | cumulative_delivered | monthly_output
    label: str
    plant: str | None
    when: date
    observed: float


@dataclass
class Residual:
    """An observation with its fitted value and residuals."""

    kind: str
    label: str
    observed: float
    fitted: float

    @property
    def residual(self) -> float:
        """Fitted minus observed, cars."""
        return self.fitted - self.observed

    @property
    def relative(self) -> float:
        """Residual as a share of the observed value."""
        return self.residual / self.observed

    def as_dict(self) -> dict[str, object]:
        """JSON-ready record."""
        return {
            "kind": self.kind,
            "label": self.label,
            "observed": round(self.observed, 1),
            "fitted": round(self.fitted, 1),
            "residual": round(self.residual, 1),
            "relative": round(self.relative, 4),
        }


@dataclass
class RampFit:
    """The fitted ramp: form, level, shape per plant, uncertainty and residuals."""

    form: str
    level: float
    head_start_days: float
    shapes: dict[str, tuple[float, ...]]
    own_shape: dict[str, bool]
    x: np.ndarray
    names: list[str]
    covariance: np.ndarray | None
    residuals: list[Residual] = field(default_factory=list)
    cutoff: str | None = None
    compared: dict[str, dict[str, float]] = field(default_factory=dict)
    fitted: bool = True

    @property
    def rms_relative(self) -> float:
        """Root mean square of the relative residuals."""
        if not self.residuals:
            return float("nan")
        return float(np.sqrt(np.mean([r.relative**2 for r in self.residuals])))

    @property
    def mape(self) -> float:
        """Mean absolute relative residual."""
        if not self.residuals:
            return float("nan")
        return float(np.mean([abs(r.relative) for r in self.residuals]))

    def std_errors(self) -> dict[str, float]:
        """Standard error of each parameter (NaN without a covariance)."""
        if self.covariance is None:
            return {n: float("nan") for n in self.names}
        diag = np.sqrt(np.clip(np.diag(self.covariance), 0, None))
        return dict(zip(self.names, diag.tolist(), strict=True))

    def with_x(self, x: np.ndarray, layout: _Layout | None) -> RampFit:
        """A copy with other parameter values (for sampling); same values if no layout."""
        if layout is None:
            level, head, shapes = self.level, self.head_start_days, dict(self.shapes)
        else:
            level, head, shapes = layout.unpack(x)
        return RampFit(
            self.form, level, head, shapes, self.own_shape, x, self.names, None, [], self.cutoff
        )

    def samples(self, count: int, seed: int, plants: list[str]) -> list[RampFit]:
        """Parameter draws from the fit's Gaussian approximation, clipped to the bounds."""
        layout = _Layout(self.form, plants, self.own_shape)
        if self.covariance is None or not self.fitted:
            return [self] * count
        rng = np.random.default_rng(seed)
        draws = rng.multivariate_normal(self.x, self.covariance, size=count, check_valid="ignore")
        lo, hi = layout.bounds()
        return [self.with_x(np.clip(d, lo, hi), layout) for d in draws]

    def document(self) -> dict[str, object]:
        """JSON-ready summary of the fit."""
        errors = self.std_errors()
        return {
            "form": self.form,
            "fitted": self.fitted,
            "cutoff": self.cutoff,
            "level": round(self.level, 4),
            "head_start_days": round(self.head_start_days, 2),
            "shapes": {p: [round(v, 5) for v in s] for p, s in self.shapes.items()},
            "own_shape": self.own_shape,
            "parameters": [
                {"name": n, "value": round(float(v), 6), "std_error": round(errors[n], 6)}
                for n, v in zip(self.names, self.x, strict=True)
            ],
            "rms_relative": round(self.rms_relative, 4),
            "mape": round(self.mape, 4),
            "compared": self.compared,
            "residuals": [r.as_dict() for r in self.residuals],
        }


class _Layout:
    """Where each parameter sits: [level, head start, primary shape, other own shapes...]."""

    def __init__(self, form: str, plants: list[str], own_shape: dict[str, bool]) -> None:
        self.form, self.plants, self.own = form, plants, own_shape
        self.spec = FORM_SPECS[form]
        self.owners = [p for p in plants if own_shape.get(p)]

    @property
    def size(self) -> int:
        return 2 + len(self.spec.params) * len(self.owners)

    def names(self) -> list[str]:
        return ["level", "head_start_days"] + [
            f"{p}.{n}" for p in self.owners for n in self.spec.params
        ]

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        lo = [LEVEL_BOUNDS[0], HEAD_START_BOUNDS[0], *(list(self.spec.lower) * len(self.owners))]
        hi = [LEVEL_BOUNDS[1], HEAD_START_BOUNDS[1], *(list(self.spec.upper) * len(self.owners))]
        return np.array(lo), np.array(hi)

    def guess(self, level: float) -> np.ndarray:
        return np.array([level, 20.0, *(list(self.spec.guess) * len(self.owners))])

    def unpack(self, x: np.ndarray) -> tuple[float, float, dict[str, tuple[float, ...]]]:
        width = len(self.spec.params)
        own = {
            p: tuple(float(v) for v in x[2 + i * width : 2 + (i + 1) * width])
            for i, p in enumerate(self.owners)
        }
        primary = own[self.owners[0]] if self.owners else DEFAULT_SHAPE[self.form]
        return float(x[0]), float(x[1]), {p: own.get(p, primary) for p in self.plants}


def observations(scenario: Scenario, cutoff: date | None) -> list[Observation]:
    """The record months and milestones dated up to the end of the cut-off month."""
    limit = month_end(cutoff) if cutoff else date.max
    found = []
    for rec in scenario.record:
        month = parse_month(rec.month)
        if rec.deliveries is None or month > limit or rec.deliveries < MIN_MONTH_UNITS:
            continue
        found.append(
            Observation("record_deliveries", rec.month, None, month, float(rec.deliveries))
        )
    for plant in scenario.plants:
        for stone in plant.ramp_up:
            if stone.date <= limit and stone.value > 0:
                label = f"{plant.id} {stone.measure} {stone.date.isoformat()}"
                found.append(Observation(stone.measure, label, plant.id, stone.date, stone.value))
    return found


def _own_shapes(scenario: Scenario, data: list[Observation]) -> dict[str, bool]:
    plants = sorted(scenario.plants, key=lambda p: p.start_of_production or date.min)
    own = {}
    for index, plant in enumerate(plants):
        start = plant.start_of_production or date.min
        months = sum(1 for o in data if o.kind == "record_deliveries" and o.when >= start)
        stones = sum(1 for o in data if o.plant == plant.id)
        own[plant.id] = index == 0 or months >= MIN_OWN_POINTS or stones >= 2
    if not data:
        return {p.id: False for p in plants}
    return own


class _Model:
    """Fitted values of every observation for a parameter vector."""

    def __init__(
        self, timeline: Timeline, plants: list[str], lag_days: float, data: list[Observation]
    ):
        self.timeline, self.plants, self.data = timeline, plants, data
        self.lag_days = lag_days
        self.lag_share = lag_days / DAYS_PER_MONTH

    def daily(self, form: str, level: float, head: float, shapes) -> dict[str, np.ndarray]:  # type: ignore[no-untyped-def]
        return site_daily(self.timeline, self.plants, form, level, head, shapes)

    def values(self, form: str, level: float, head: float, shapes) -> np.ndarray:  # type: ignore[no-untyped-def]
        tl = self.timeline
        daily = self.daily(form, level, head, shapes)
        monthly = {p: tl.to_months(d) for p, d in daily.items()}
        cumulative = {p: np.cumsum(d) for p, d in daily.items()}
        site = sum(monthly.values())
        shifted = np.concatenate([[0.0], site[:-1]])
        delivered = (1 - self.lag_share) * site + self.lag_share * shifted
        out = np.empty(len(self.data))
        for i, obs in enumerate(self.data):
            if obs.kind == "record_deliveries":
                out[i] = delivered[tl.month_index(obs.when)]
            elif obs.kind == "cumulative_built":
                out[i] = cumulative[obs.plant][tl.day_index(obs.when)]
            elif obs.kind == "cumulative_delivered":
                lagged = obs.when - timedelta(days=round(self.lag_days))
                out[i] = cumulative[obs.plant][tl.day_index(lagged)]
            else:  # monthly_output
                out[i] = monthly[obs.plant][tl.month_index(obs.when.replace(day=1))]
        return out


def fit_ramp(
    scenario: Scenario,
    timeline: Timeline,
    form: str = "best",
    cutoff: str | None = None,
    lag_days: float = 7.0,
    level_guess: float = 0.9,
) -> RampFit:
    """Fit level and ramp shapes by least squares (scipy ``least_squares``, bounded TRF).

    ``form='best'`` fits every form and keeps the one with the lowest AIC.
    Without any data the default shape (an ASSUMPTION) and ``level_guess`` are returned.
    """
    cut = parse_month(cutoff, "fit_cutoff") if cutoff else None
    data = [o for o in observations(scenario, cut) if o.when <= timeline.last_day]
    plants = [
        p.id for p in sorted(scenario.plants, key=lambda p: p.start_of_production or date.min)
    ]
    own = _own_shapes(scenario, data)
    forms = FORMS if form == "best" else (form,)
    if not data:
        chosen = "logistic" if form == "best" else form
        layout = _Layout(chosen, plants, own)
        x = np.array([level_guess, 0.0])
        level, head, shapes = layout.unpack(x)
        return RampFit(
            chosen, level, head, shapes, own, x, layout.names(), None, [], cutoff, {}, False
        )
    model = _Model(timeline, plants, lag_days, data)
    observed = np.array([o.observed for o in data])
    results = {}
    for name in forms:
        layout = _Layout(name, plants, own)
        lo, hi = layout.bounds()

        def residuals(x: np.ndarray, layout: _Layout = layout, name: str = name) -> np.ndarray:
            level, head, shapes = layout.unpack(x)
            return (model.values(name, level, head, shapes) - observed) / observed

        best = None
        for scale in (0.5, 1.0, 2.0):
            start = layout.guess(level_guess)
            start[1:] = np.clip(start[1:] * scale, lo[1:], hi[1:])
            run = least_squares(residuals, start, bounds=(lo, hi), x_scale="jac", max_nfev=400)
            if best is None or run.cost < best.cost:
                best = run
        sse = float(2 * best.cost)
        n, k = len(observed), layout.size
        aic = n * np.log(max(sse, 1e-12) / n) + 2 * k
        results[name] = (best, layout, sse, aic)
    chosen = min(results, key=lambda f: results[f][3])
    best, layout, sse, _ = results[chosen]
    level, head, shapes = layout.unpack(best.x)
    n, k = len(observed), layout.size
    covariance = None
    if n > k:
        jac = best.jac
        covariance = np.linalg.pinv(jac.T @ jac) * sse / (n - k)
    fitted_values = model.values(chosen, level, head, shapes)
    residual_list = [
        Residual(o.kind, o.label, o.observed, float(f))
        for o, f in zip(data, fitted_values, strict=True)
    ]
    compared = {
        f: {"sse": round(r[2], 6), "aic": round(float(r[3]), 3)} for f, r in results.items()
    }
    return RampFit(
        chosen,
        level,
        head,
        shapes,
        own,
        best.x,
        layout.names(),
        covariance,
        residual_list,
        cutoff,
        compared,
    )


def site_daily(
    timeline: Timeline, plants: list[str], form: str, level: float, head: float, shapes
) -> dict[str, np.ndarray]:  # type: ignore[no-untyped-def]
    """Cars a day of each plant (the first plant, ``plants[0]``, has the trial head start)."""
    return {
        p: timeline.daily_rate(
            timeline.plants[p], form, shapes[p], level, head_start_days=head if i == 0 else 0.0
        )
        for i, p in enumerate(plants)
    }


def month_label(day: date) -> str:
    """``YYYY-MM`` of a day (re-exported for reports)."""
    return month_key(day)
