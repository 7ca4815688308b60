"""The experiment file: a base scenario, factors, a design, replications and KPIs.

```yaml
name: body-buffers
scenario: ../plants/two-shop.yaml        # relative to this file, or a built-in name
horizon: 7d
warmup: 8h                               # or auto (MSER-5)
replications: 5
seed: 1
design: {kind: full_factorial}           # or {kind: latin_hypercube, points: 20, seed: 7}
factors:
  - path: plants.plant.buffers.body-store.capacity
    levels: [5, 20, 40]
  - path: plants.*.shops.body.lines.body.stations.b-2.failure.mttr_s
    scale: [0.8, 1.0]                    # multiply the base value
kpis: [throughput_jph, wip, lead_time_s]
```
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from taktline.errors import InputError
from taktline.model.base import Frozen
from taktline.simulate import parse_duration as simulate_duration


def parse_duration(text: str | float | int) -> float:
    """Seconds in ``"30d"``, ``"8h"``, ``"90m"``, ``"45s"`` or a number (ValueError if not)."""
    try:
        return simulate_duration(text)
    except InputError as error:
        raise ValueError(error.problems[0].message) from None


class Factor(Frozen):
    """One thing the experiment varies: a path into the scenario and its levels.

    Exactly one of ``levels`` (values to set), ``scale`` (multipliers of the base
    value) or ``range`` (low and high, for a Latin hypercube) is given.
    """

    path: str = Field(min_length=1, description="dotted path; list items by id, index or *")
    name: str | None = Field(default=None, description="short label (default: the path's tail)")
    levels: tuple[int | float | bool | str, ...] | None = None
    scale: tuple[float, ...] | None = None
    range: tuple[float, float] | None = None
    integer: bool = Field(default=False, description="round values drawn from a range")

    @model_validator(mode="after")
    def _one_kind_of_levels(self) -> Factor:
        given = [x is not None for x in (self.levels, self.scale, self.range)]
        if sum(given) != 1:
            raise ValueError("give exactly one of levels, scale or range")
        if self.levels is not None and len(self.levels) == 0:
            raise ValueError("levels must not be empty")
        if self.scale is not None and (not self.scale or min(self.scale) <= 0):
            raise ValueError("scale must be a non-empty list of positive multipliers")
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError("range must be [low, high] with low <= high")
        return self

    @property
    def label(self) -> str:
        """A short name for tables and charts."""
        if self.name:
            return self.name
        parts = self.path.split(".")
        return ".".join(parts[-2:]) if len(parts) > 1 else self.path


class Design(Frozen):
    """How design points are chosen from the factors' levels."""

    kind: Literal["full_factorial", "latin_hypercube"] = "full_factorial"
    points: int | None = Field(default=None, ge=1, le=100_000)
    seed: int = 0

    @model_validator(mode="after")
    def _points_for_lhs(self) -> Design:
        if self.kind == "latin_hypercube" and self.points is None:
            raise ValueError("a latin_hypercube design needs points")
        return self


class ExperimentSpec(Frozen):
    """A whole experiment, as read from its YAML file."""

    name: str = Field(min_length=1)
    scenario: str | None = Field(default=None, description="file (relative) or built-in name")
    horizon: str | float = "7d"
    warmup: str | float = "auto"
    replications: int = Field(default=5, ge=1, le=1_000_000)
    seed: int = 1
    design: Design = Design()
    factors: tuple[Factor, ...] = Field(min_length=1)
    kpis: tuple[str, ...] = ("throughput_jph", "wip", "lead_time_s")

    @model_validator(mode="after")
    def _durations_and_designs(self) -> ExperimentSpec:
        parse_duration(self.horizon)
        if self.warmup != "auto":
            parse_duration(self.warmup)
        if self.design.kind == "full_factorial":
            for factor in self.factors:
                if factor.range is not None:
                    raise ValueError(
                        f"factor {factor.path!r} has a range: use levels or scale for a "
                        "full_factorial design, or a latin_hypercube design"
                    )
        return self

    @property
    def horizon_s(self) -> float:
        """The simulated horizon per replication, in seconds."""
        return parse_duration(self.horizon)

    @property
    def warmup_s(self) -> float | None:
        """The warm-up to discard in seconds, or None to detect it (MSER-5)."""
        return None if self.warmup == "auto" else parse_duration(self.warmup)
