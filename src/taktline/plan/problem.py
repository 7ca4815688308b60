"""The planning problem as plain data: what the LP is built from and checked against.

Hand-built problems (tests, what-ifs) and problems built from a scenario
(:mod:`taktline.plan.build`) are the same object, so the LP and any independent
checker see exactly the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class LeverOption:
    """One way to pull a lever: extra capacity per month of one plant, for a cost."""

    label: str
    start: int  # month index the option acts from
    extra: np.ndarray  # cars a month added to the plant's capacity, shape (months,)
    cost: float


@dataclass
class Lever:
    """A lever: at most one of its options is chosen (exactly one if ``exactly_one``)."""

    name: str
    kind: str  # calendar | forward | new_line
    plant: str
    options: list[LeverOption]
    exactly_one: bool = False


@dataclass
class Target:
    """Deliveries wanted over some months (a calendar year), soft with a penalty per car short."""

    label: str
    year: int
    units: float
    months: list[int]  # month indices of the horizon inside the year
    delivered_before: float = 0.0  # deliveries of that year before the horizon (record)


@dataclass
class PlanProblem:
    """Monthly build and delivery planning over a horizon.

    - ``capacity[p, m]``: cars plant p can build in month m without levers;
    - ``eligible[p, k, m]``: plant p may build model k in month m;
    - ``orders[(k, g, c)]``: orders of model k for market g locked in month c
      (c < 0: before the horizon, part of the initial backlog);
    - ``lag_share``: share of a month's build not deliverable in that month (transport, PDI);
    - ``initial_inventory[p, k]``: finished cars at the start;
    - ``overtime_cap[p, m]``: most overtime cars (0 where overtime is not allowed).
    """

    months: list[str]
    plants: list[str]
    models: list[str]
    markets: list[str]
    capacity: np.ndarray
    eligible: np.ndarray
    orders: dict[tuple[str, str, int], float]
    lag_share: float = 0.0
    initial_inventory: np.ndarray | None = None
    targets: list[Target] = field(default_factory=list)
    levers: list[Lever] = field(default_factory=list)
    overtime_cap: np.ndarray | None = None
    overtime_cost_per_car: float = 0.0
    target_penalty_per_car: float = 60_000.0
    waiting_cost_per_car_month: float = 1.0
    holding_cost_per_car_month: float = 1.0
    priority: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        shape = (len(self.plants), len(self.months))
        self.capacity = np.asarray(self.capacity, dtype=float).reshape(shape)
        self.eligible = np.asarray(self.eligible, dtype=bool).reshape(
            (len(self.plants), len(self.models), len(self.months))
        )
        if self.initial_inventory is None:
            self.initial_inventory = np.zeros((len(self.plants), len(self.models)))
        if self.overtime_cap is None:
            self.overtime_cap = np.zeros(shape)

    @property
    def horizon(self) -> int:
        """Number of months."""
        return len(self.months)

    def delivery_value(self, model: str, cohort: int, month: int) -> float:
        """What delivering one order of ``cohort`` in ``month`` saves in waiting cost.

        The waiting cost of an order is ``h × age`` per month while it waits, so
        delivering it in month m saves ``h × Σ_{j=m}^{M-1} (j - c + 1)``. The saving
        grows with the order's age: serving the oldest orders first (FIFO) is
        strictly optimal, and earlier is strictly better than later.
        """
        last = self.horizon - 1
        ages = np.arange(month, last + 1) - cohort + 1
        weight = self.priority.get(model, 1.0)
        return float(self.waiting_cost_per_car_month * weight * ages.sum())
