"""The scenario model: a typed, immutable description of a plant.

Depends on nothing else in taktline. Units are in the field names
(``cycle_time_s``, ``mttr_s``, ``site_area_m2``).
"""

from taktline.model.calendar import Break, Calendar, CalendarPeriod, Shift, ShiftPattern
from taktline.model.distributions import Distribution
from taktline.model.loader import (
    DEFAULT_SCENARIO,
    builtin_scenario,
    builtin_scenario_text,
    builtin_scenarios,
    default_scenario,
    load_scenario,
    scenario_from_data,
    scenario_from_yaml,
    scenario_to_yaml,
)
from taktline.model.planning import DeliveryTarget, MonthlyRecord, OrderBank, OrderLot
from taktline.model.plant import (
    Buffer,
    Failure,
    Line,
    LineBuffer,
    Plant,
    Quality,
    RampMilestone,
    Shop,
    ShopBuffer,
    Station,
    Task,
)
from taktline.model.products import Colour, Option, ProductModel, Products, Spacing
from taktline.model.scenario import Scenario

__all__ = [
    "DEFAULT_SCENARIO",
    "Break",
    "Buffer",
    "Calendar",
    "CalendarPeriod",
    "Colour",
    "DeliveryTarget",
    "Distribution",
    "Failure",
    "Line",
    "LineBuffer",
    "MonthlyRecord",
    "Option",
    "OrderBank",
    "OrderLot",
    "Plant",
    "ProductModel",
    "Products",
    "Quality",
    "RampMilestone",
    "Scenario",
    "Shift",
    "ShiftPattern",
    "Shop",
    "ShopBuffer",
    "Spacing",
    "Station",
    "Task",
    "builtin_scenario",
    "builtin_scenario_text",
    "builtin_scenarios",
    "default_scenario",
    "load_scenario",
    "scenario_from_data",
    "scenario_from_yaml",
    "scenario_to_yaml",
]
