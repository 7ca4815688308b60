"""Planning parameters the scenario model does not carry: levers, costs, demand, markets.

Every default here is an ASSUMPTION (no public source), chosen to be plausible
for a Chinese EV plant and labelled so in ``docs/plan.md``. Load your own from a
YAML file (``taktline plan --settings plan.yaml``), either the whole file or its
``plan:`` section. Money is in CNY.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from taktline.errors import InputError, Problem
from taktline.model import ShiftPattern
from taktline.model.calendar import Weekday
from taktline.model.loader import parse_yaml
from taktline.plan.months import parse_month


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


def _month(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        parse_month(value)
    except InputError as error:
        raise ValueError(error.problems[0].message) from None
    return value


class Market(_Strict):
    """A sales market: its share of new orders from a month on."""

    id: str = Field(min_length=1)
    share: float = Field(gt=0, le=1, description="share of new orders while open")
    opens: str | None = Field(default=None, description="first month with orders (YYYY-MM)")

    _m = field_validator("opens")(_month)


class Intake(_Strict):
    """New locked orders of one model per month (overrides the demand-factor default)."""

    model: str
    per_month: float = Field(ge=0)
    start: str | None = Field(default=None, description="first month (YYYY-MM)")
    end: str | None = Field(default=None, description="last month (YYYY-MM)")

    _m = field_validator("start", "end")(_month)


class Overtime(_Strict):
    """Overtime: extra cars a month, up to a share of the month's capacity, at a cost per car."""

    max_share: float = Field(default=0.06, ge=0, le=1)
    cost_per_car: float = Field(default=2500.0, ge=0)


class CalendarLever(_Strict):
    """Work a richer calendar (an extra shift, Sundays) on a plant from a month on."""

    name: str
    pattern: ShiftPattern
    working_days: tuple[Weekday, ...]
    plants: tuple[str, ...] | None = None
    fixed_cost: float = Field(default=0.0, ge=0)
    cost_per_month: float = Field(default=0.0, ge=0)


class ForwardLever(_Strict):
    """Bring a plant's start of production forward by up to ``max_months``."""

    plant: str
    max_months: int = Field(default=6, ge=1, le=36)
    cost_per_month_earlier: float = Field(default=150e6, ge=0)


class NewLineLever(_Strict):
    """Build a new line (phase 3) like an existing plant, from a month on."""

    name: str = "phase3"
    template_plant: str
    earliest: str = Field(description="earliest start of production (YYYY-MM)")
    models: tuple[str, ...] = ()
    fixed_cost: float = Field(default=4.0e9, ge=0)
    cost_per_month: float = Field(default=60e6, ge=0)

    _m = field_validator("earliest")(_month)


def _three_shifts() -> ShiftPattern:
    shift = {"hours": 8, "breaks": [{"minutes": 30}]}
    return ShiftPattern.model_validate(
        {
            "shifts": [
                {
                    "name": "a",
                    "start": "06:00",
                    **shift,
                    "breaks": [{"start": "10:00", "minutes": 30}],
                },
                {
                    "name": "b",
                    "start": "14:00",
                    **shift,
                    "breaks": [{"start": "18:00", "minutes": 30}],
                },
                {
                    "name": "c",
                    "start": "22:00",
                    **shift,
                    "breaks": [{"start": "02:00", "minutes": 30}],
                },
            ]
        }
    )


def _default_calendar_levers() -> tuple[CalendarLever, ...]:
    return (
        CalendarLever(
            name="third-shift",
            pattern=_three_shifts(),
            working_days=("mon", "tue", "wed", "thu", "fri", "sat"),
            fixed_cost=30e6,
            cost_per_month=25e6,
        ),
        CalendarLever(
            name="sunday-shifts",
            pattern=_three_shifts(),
            working_days=("sun",),
            fixed_cost=30e6,
            cost_per_month=35e6,
        ),
    )


class PlanSettings(_Strict):
    """Everything the planner assumes beyond the scenario. Defaults are ASSUMPTIONS."""

    capacity_basis: Literal["demonstrated", "stated", "rated"] = Field(
        default="demonstrated",
        description="demonstrated: plateau fitted to the record; stated: `availability`; "
        "rated: the plants' design capacity",
    )
    availability: float = Field(
        default=0.90, gt=0, le=1.5, description="effective availability of scheduled hours"
    )
    availability_sd: float = Field(
        default=0.05,
        ge=0,
        le=1,
        description="relative spread of the availability for quotes when there is no fit",
    )
    ramp_form: Literal["logistic", "gompertz", "exponential", "best"] = "best"
    fit_cutoff: str | None = Field(default=None, description="fit only data up to this month")
    delivery_lag_days: float = Field(default=7.0, ge=0, le=28)
    demand_factor: float = Field(
        default=1.15, ge=0, description="new orders a month = factor × site capacity × mix"
    )
    intake: tuple[Intake, ...] = ()
    markets: tuple[Market, ...] = (
        Market(id="CN", share=1.0),
        Market(id="EU", share=0.05, opens="2027-01"),
    )
    order_rule: Literal["fifo", "priority"] = "fifo"
    priority: dict[str, float] = Field(default_factory=dict)
    targets: dict[int, int] = Field(default_factory=dict, description="year → units, extra")
    levers: bool = True
    levers_from: str | None = Field(
        default=None, description="first month a lever may act (default: after the record)"
    )
    overtime: Overtime = Overtime()
    calendar_levers: tuple[CalendarLever, ...] = Field(default_factory=_default_calendar_levers)
    forward: tuple[ForwardLever, ...] = (ForwardLever(plant="phase2"),)
    new_lines: tuple[NewLineLever, ...] = (
        NewLineLever(template_plant="phase2", earliest="2026-09", models=("YU7", "SU7-G2")),
    )
    target_penalty_per_car: float = Field(default=60_000.0, gt=0)
    waiting_cost_per_car_month: float = Field(default=1.0, gt=0)
    holding_cost_per_car_month: float = Field(default=1.0, ge=0)
    samples: int = Field(default=40, ge=2, le=2000)
    seed: int = 7
    mip_gap: float = Field(default=1e-4, gt=0, lt=1)
    time_limit_s: float = Field(default=60.0, gt=0)

    _m = field_validator("fit_cutoff", "levers_from")(_month)


def load_settings(path: str | os.PathLike[str] | None) -> PlanSettings:
    """Planning settings from a YAML file (whole file or its ``plan:`` section); defaults if None.

    Raises :class:`InputError` naming the file, line and field of each problem.
    """
    if path is None:
        return PlanSettings()
    file = Path(path)
    name = os.fspath(path)
    if not file.is_file():
        raise InputError("no such settings file", file=name)
    data, lines = parse_yaml(file.read_text(encoding="utf-8"), name)
    prefix: tuple[str | int, ...] = ()
    if isinstance(data, dict) and "plan" in data:
        data, prefix = data["plan"], ("plan",)
    if not isinstance(data, dict):
        raise InputError("settings must be a mapping of names to values", file=name, line=1)
    return settings_from_data(data, name, lines, prefix)


def settings_from_data(data: dict, name: str = "<settings>", lines=None, prefix=()) -> PlanSettings:  # type: ignore[no-untyped-def]
    """Validate plain data as :class:`PlanSettings`, with located problems."""
    try:
        return PlanSettings.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors(include_url=False):
            loc = tuple(p for p in item["loc"] if not str(p).startswith("function-"))
            line = lines.line_of((*prefix, *loc)) if lines is not None else None
            message = item["msg"].removeprefix("Value error, ")
            field = ".".join(str(p) for p in loc) or None
            problems.append(Problem(message, name, line, field))
        raise InputError(problems) from None
