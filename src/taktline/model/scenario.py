"""The scenario: everything taktline knows about a plant (or several) in one object."""

from __future__ import annotations

from pydantic import Field, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError, ValidationError

from taktline.model.base import Frozen
from taktline.model.calendar import Calendar
from taktline.model.planning import DeliveryTarget, MonthlyRecord, OrderBank
from taktline.model.plant import Plant
from taktline.model.products import Products

Location = tuple[str | int, ...]


class Scenario(Frozen):
    """A site: its plants (phases), shared calendar, products, orders and targets.

    ``calendar`` is None for a line that runs round the clock (no shifts).
    """

    name: str = Field(min_length=1)
    description: str | None = None
    calendar: Calendar | None = None
    products: Products
    plants: tuple[Plant, ...] = Field(min_length=1)
    targets: tuple[DeliveryTarget, ...] = ()
    orders: OrderBank | None = None
    record: tuple[MonthlyRecord, ...] = Field(
        default=(), description="observed monthly deliveries and production, for back-tests"
    )

    @model_validator(mode="wrap")
    @classmethod
    def _cross_references(cls, data, handler):  # type: ignore[no-untyped-def]
        scenario = handler(data)
        problems = reference_problems(scenario)
        if problems:
            raise ValidationError.from_exception_data(
                cls.__name__,
                [
                    InitErrorDetails(
                        type=PydanticCustomError("reference", message),  # type: ignore[typeddict-item]
                        loc=loc,
                        input=None,
                    )
                    for loc, message in problems
                ],
            )
        return scenario

    def plant(self, plant_id: str) -> Plant:
        """The plant with this id."""
        for plant in self.plants:
            if plant.id == plant_id:
                return plant
        raise KeyError(plant_id)

    @property
    def rated_capacity_per_year(self) -> int:
        """Design capacity of all plants together, cars a year."""
        return sum(p.rated_capacity_per_year or 0 for p in self.plants)


def reference_problems(scenario: Scenario) -> list[tuple[Location, str]]:
    """Everything that refers to something that is not there, or is named twice."""
    problems: list[tuple[Location, str]] = []
    model_ids = {m.id for m in scenario.products.models}
    plant_ids = [p.id for p in scenario.plants]
    problems += _duplicates(plant_ids, ("plants",))
    problems += _duplicates([m.id for m in scenario.products.models], ("products", "models"))
    problems += _duplicates([o.id for o in scenario.products.options], ("products", "options"))
    problems += _duplicates([c.id for c in scenario.products.colours], ("products", "colours"))

    all_station_ids: set[str] = set()
    for p_index, plant in enumerate(scenario.plants):
        here = ("plants", p_index)
        station_ids = [s.id for shop in plant.shops for s in shop.stations]
        all_station_ids |= set(station_ids)
        shop_ids = [s.id for s in plant.shops]
        problems += _duplicates(shop_ids, (*here, "shops"))
        problems += _duplicates(station_ids, (*here, "stations"), label="station")
        for m_index, model in enumerate(plant.models):
            if model not in model_ids:
                problems.append(((*here, "models", m_index), f"unknown model {model!r}"))
        if not plant.main_flow:
            problems.append(((*here, "shops"), "every shop is a feeder: no main flow"))
        for s_index, shop in enumerate(plant.shops):
            at_shop = (*here, "shops", s_index)
            if shop.feeds_station is not None and shop.feeds_station not in station_ids:
                problems.append(
                    ((*at_shop, "feeds_station"), f"unknown station {shop.feeds_station!r}")
                )
            if shop.feeds_station is not None and shop.feeds_station in {
                s.id for s in shop.stations
            }:
                problems.append(((*at_shop, "feeds_station"), "a shop cannot feed itself"))
            for l_index, line in enumerate(shop.lines):
                for st_index, station in enumerate(line.stations):
                    at = (*at_shop, "lines", l_index, "stations", st_index)
                    for model in station.cycle_time_by_model_s:
                        if model not in model_ids:
                            problems.append(
                                ((*at, "cycle_time_by_model_s", model), f"unknown model {model!r}")
                            )
                    option_ids = {o.id for o in scenario.products.options}
                    for option in station.option_time_s:
                        if option not in option_ids:
                            problems.append(
                                ((*at, "option_time_s", option), f"unknown option {option!r}")
                            )
                    quality = station.quality
                    if quality and quality.rejoin_station:
                        if quality.rejoin_station not in station_ids:
                            problems.append(
                                (
                                    (*at, "quality", "rejoin_station"),
                                    f"unknown station {quality.rejoin_station!r}",
                                )
                            )
                        elif _flow_position(plant, quality.rejoin_station) > _flow_position(
                            plant, station.id
                        ):
                            problems.append(
                                (
                                    (*at, "quality", "rejoin_station"),
                                    "a repaired job must rejoin at or before the station "
                                    "that rejected it",
                                )
                            )
        for b_index, buffer in enumerate(plant.buffers):
            at_buffer = (*here, "buffers", b_index)
            for field in ("from_shop", "to_shop"):
                value = getattr(buffer, field)
                if value not in shop_ids:
                    problems.append(((*at_buffer, field), f"unknown shop {value!r}"))
    for o_index, option in enumerate(scenario.products.options):
        if option.station is not None and option.station not in all_station_ids:
            problems.append(
                (("products", "options", o_index, "station"), f"unknown station {option.station!r}")
            )
    if scenario.calendar is not None:
        for c_index, period in enumerate(scenario.calendar.periods):
            for name in period.plants or ():
                if name not in plant_ids:
                    problems.append(
                        (("calendar", "periods", c_index, "plants"), f"unknown plant {name!r}")
                    )
    if scenario.orders is not None:
        for o_index, lot in enumerate(scenario.orders.lots):
            if lot.model not in model_ids:
                problems.append(
                    (("orders", "lots", o_index, "model"), f"unknown model {lot.model!r}")
                )
    years = [t.year for t in scenario.targets]
    problems += _duplicates([str(y) for y in years], ("targets",), label="target year")
    return problems


def _flow_position(plant: Plant, station_id: str) -> int:
    """Position of a station along the plant's path (feeders count from their own start)."""
    for shop_list in (plant.main_flow, plant.feeders):
        position = 0
        for shop in shop_list:
            for station in shop.stations:
                if station.id == station_id:
                    return position
                position += 1
    raise KeyError(station_id)


def _duplicates(ids: list[str], loc: Location, label: str = "id") -> list[tuple[Location, str]]:
    seen: set[str] = set()
    out = []
    for value in ids:
        if value in seen:
            out.append((loc, f"{label} {value!r} is used twice"))
        seen.add(value)
    return out
