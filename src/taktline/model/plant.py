"""The physical plant: shops, lines, stations, buffers, failures, quality loops.

Identifiers (``id``) are short machine names used for references between
objects (a reject that rejoins at station ``paint-inspect``); every station id
is unique within its plant.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from taktline.model.base import Frozen
from taktline.model.distributions import DETERMINISTIC, EXPONENTIAL, Distribution

Identifier = str
ShopKind = Literal[
    "die_casting",
    "stamping",
    "body",
    "paint",
    "battery",
    "general_assembly",
    "end_of_line_test",
    "test_track",
    "other",
]


def _id_field(description: str = "identifier, unique in its scope") -> Identifier:
    return Field(
        min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$", description=description
    )


class Failure(Frozen):
    """Breakdowns of a station: how often (MTBF) and how long (MTTR), and their shapes.

    ``operation``-dependent failures age only while the station works (a robot
    wears by cycles); ``time``-dependent ones age on the clock while the plant is
    on shift (a conveyor, a supply outage).
    """

    mtbf_s: float = Field(gt=0, description="mean time between failures, s")
    mttr_s: float = Field(gt=0, description="mean time to repair, s")
    time_to_failure: Distribution = EXPONENTIAL
    time_to_repair: Distribution = EXPONENTIAL
    dependency: Literal["operation", "time"] = "operation"

    @property
    def availability(self) -> float:
        """Isolated availability MTBF / (MTBF + MTTR)."""
        return self.mtbf_s / (self.mtbf_s + self.mttr_s)


class Quality(Frozen):
    """First-time yield at a station and where a reject goes.

    A reject is either repaired (it spends ``repair_time_s`` in the repair area,
    then rejoins the line in front of ``rejoin_station``) or scrapped.
    ``scrap_share`` splits rejects between the two when both happen.
    """

    first_time_yield: float = Field(gt=0, le=1, description="share of jobs right first time")
    reject: Literal["repair", "scrap"] = "repair"
    rejoin_station: Identifier | None = Field(
        default=None, description="station a repaired job goes back in front of (default: this one)"
    )
    repair_time_s: float = Field(default=0.0, ge=0, description="mean time in the repair area, s")
    repair_time: Distribution = EXPONENTIAL
    scrap_share: float = Field(
        default=0.0, ge=0, le=1, description="with reject=repair: share of rejects scrapped anyway"
    )


class Task(Frozen):
    """A unit of assembly work for line balancing: its time and direct predecessors."""

    id: Identifier = _id_field()
    time_s: float = Field(gt=0)
    predecessors: tuple[Identifier, ...] = ()
    zone: str | None = Field(default=None, description="work zone (e.g. underbody, interior)")
    description: str | None = None


class Station(Frozen):
    """A work place on a line: its cycle time per model, servers, failures and quality."""

    id: Identifier = _id_field()
    name: str | None = None
    cycle_time_s: float = Field(gt=0, description="cycle time of the base model, s")
    cycle_time_by_model_s: dict[Identifier, float] = Field(
        default_factory=dict, description="cycle time for specific models, s (overrides the base)"
    )
    option_time_s: dict[Identifier, float] = Field(
        default_factory=dict, description="extra work for a car with the option, s"
    )
    processing: Distribution = DETERMINISTIC
    servers: int = Field(default=1, ge=1, le=1000, description="identical parallel servers")
    operators: int = Field(default=0, ge=0, description="operators working at the station")
    robots: int = Field(default=0, ge=0, description="robots working at the station")
    failure: Failure | None = None
    quality: Quality | None = None

    @model_validator(mode="after")
    def _positive_times(self) -> Station:
        for model, value in self.cycle_time_by_model_s.items():
            if value <= 0:
                raise ValueError(f"cycle_time_by_model_s[{model}] must be > 0")
        for option, value in self.option_time_s.items():
            if value < 0:
                raise ValueError(f"option_time_s[{option}] must be >= 0")
        return self

    def cycle_time_for(self, model: str, options: tuple[str, ...] = ()) -> float:
        """The cycle time of one car of ``model`` with ``options``, in seconds."""
        base = self.cycle_time_by_model_s.get(model, self.cycle_time_s)
        return base + sum(self.option_time_s.get(o, 0.0) for o in options)

    @property
    def capacity_jph(self) -> float:
        """Nominal jobs per hour of the station at its base cycle time, no losses."""
        return self.servers * 3600.0 / self.cycle_time_s


class Buffer(Frozen):
    """A store between two stations or shops.

    ``fifo`` keeps the order; a ``resequencing`` store (painted-body store) has
    ``lanes`` that let jobs leave in another order than they came.
    """

    id: Identifier = _id_field()
    capacity: int = Field(ge=0, description="jobs it holds (0: no buffer, blocking)")
    kind: Literal["fifo", "resequencing"] = "fifo"
    lanes: int = Field(default=1, ge=1)
    transfer_time_s: float = Field(default=0.0, ge=0, description="time to pass through, s")

    @model_validator(mode="after")
    def _lanes_fit(self) -> Buffer:
        if self.kind == "fifo" and self.lanes != 1:
            raise ValueError("a fifo buffer has exactly 1 lane; use kind: resequencing")
        if self.lanes > max(self.capacity, 1):
            raise ValueError(f"{self.lanes} lanes cannot share a capacity of {self.capacity}")
        return self


class LineBuffer(Buffer):
    """A buffer inside a line, right after station ``after``."""

    after: Identifier


class Line(Frozen):
    """Stations in series.

    A ``paced`` line is a moving conveyor: every ``takt_s`` all cars move one
    station on, so one stopped station stops the whole line. An unpaced line's
    stations are decoupled by buffers (``buffers``, or ``default_buffer_capacity``
    between stations without one) and block after service when the next is full.
    """

    id: Identifier = _id_field()
    name: str | None = None
    paced: bool = False
    takt_s: float | None = Field(default=None, gt=0, description="conveyor takt of a paced line, s")
    stations: tuple[Station, ...] = Field(min_length=1)
    buffers: tuple[LineBuffer, ...] = ()
    default_buffer_capacity: int = Field(default=0, ge=0)
    tasks: tuple[Task, ...] = Field(default=(), description="work content, for line balancing")

    @model_validator(mode="after")
    def _consistent(self) -> Line:
        if self.paced and self.takt_s is None:
            raise ValueError("a paced line needs takt_s")
        if self.paced:
            for station in self.stations:
                slowest = max([station.cycle_time_s, *station.cycle_time_by_model_s.values()])
                if slowest / station.servers > self.takt_s + 1e-9:  # type: ignore[operator]
                    raise ValueError(
                        f"station {station.id!r} needs {slowest:g} s but the paced line's "
                        f"takt is {self.takt_s:g} s"
                    )
        ids = [s.id for s in self.stations]
        for buffer in self.buffers:
            if buffer.after not in ids:
                raise ValueError(f"buffer {buffer.id!r} is after unknown station {buffer.after!r}")
            if buffer.after == ids[-1]:
                raise ValueError(
                    f"buffer {buffer.id!r} is after the line's last station; "
                    "put buffers between shops in the plant's buffers"
                )
        task_ids = {t.id for t in self.tasks}
        for task in self.tasks:
            missing = [p for p in task.predecessors if p not in task_ids]
            if missing:
                raise ValueError(f"task {task.id!r} has unknown predecessors {missing}")
        return self

    def buffer_after(self, station_id: str) -> int:
        """Capacity of the buffer right after ``station_id`` (the default if none is named)."""
        for buffer in self.buffers:
            if buffer.after == station_id:
                return buffer.capacity
        return self.default_buffer_capacity

    @property
    def nominal_jph(self) -> float:
        """Jobs per hour the line can release at nominal rate, without losses."""
        rate = min(s.capacity_jph for s in self.stations)
        if self.paced and self.takt_s:
            rate = min(rate, 3600.0 / self.takt_s)
        return rate


class Shop(Frozen):
    """A workshop: its lines run in series, in the order given.

    A feeder shop (stamping, die casting, battery) does not lie on the car's
    path: its output is consumed one set per car at ``feeds_station`` of the
    main flow.
    """

    id: Identifier = _id_field()
    name: str | None = None
    kind: ShopKind = "other"
    lines: tuple[Line, ...] = Field(min_length=1)
    feeds_station: Identifier | None = Field(
        default=None, description="for a feeder shop: the main-flow station consuming its output"
    )
    floor_area_m2: float | None = Field(default=None, gt=0)

    @property
    def nominal_jph(self) -> float:
        """Jobs per hour of the shop's slowest line."""
        return min(line.nominal_jph for line in self.lines)

    @property
    def stations(self) -> tuple[Station, ...]:
        """All stations of the shop in flow order."""
        return tuple(s for line in self.lines for s in line.stations)


class ShopBuffer(Buffer):
    """A store between two shops (body store, painted-body store, a feeder's parts store)."""

    from_shop: Identifier
    to_shop: Identifier


class RampMilestone(Frozen):
    """A point of the ramp-up record: a cumulative count or a monthly rate on a date."""

    date: date
    measure: Literal["cumulative_built", "cumulative_delivered", "monthly_output"]
    value: float = Field(ge=0)
    source: str | None = None


class Plant(Frozen):
    """One plant (a phase of a site): its shops in flow order, buffers between them, ramp-up."""

    id: Identifier = _id_field()
    name: str | None = None
    site_area_m2: float | None = Field(default=None, gt=0)
    floor_area_m2: float | None = Field(default=None, gt=0)
    start_of_production: date | None = None
    rated_capacity_per_year: int | None = Field(
        default=None, gt=0, description="design capacity, cars a year"
    )
    models: tuple[Identifier, ...] = Field(
        default=(), description="models this plant can build (all when empty)"
    )
    shops: tuple[Shop, ...] = Field(min_length=1)
    buffers: tuple[ShopBuffer, ...] = ()
    ramp_up: tuple[RampMilestone, ...] = ()

    @property
    def main_flow(self) -> tuple[Shop, ...]:
        """Shops on the car's own path (not feeders), in order."""
        return tuple(s for s in self.shops if s.feeds_station is None)

    @property
    def feeders(self) -> tuple[Shop, ...]:
        """Feeder shops, which supply a station of the main flow."""
        return tuple(s for s in self.shops if s.feeds_station is not None)

    def station(self, station_id: str) -> Station:
        """The station with this id, wherever it is in the plant."""
        for shop in self.shops:
            for station in shop.stations:
                if station.id == station_id:
                    return station
        raise KeyError(station_id)

    def buffer_between(self, from_shop: str, to_shop: str) -> ShopBuffer | None:
        """The store between two shops, if any."""
        for buffer in self.buffers:
            if buffer.from_shop == from_shop and buffer.to_shop == to_shop:
                return buffer
        return None

    @property
    def nominal_jph(self) -> float:
        """Jobs per hour of the plant's slowest main-flow shop, without losses."""
        return min(shop.nominal_jph for shop in self.main_flow)
