"""Random-time distributions named in a scenario (processing, failure and repair times).

A distribution is stated by its *mean* (the field that carries the unit, such as
``mtbf_s``) plus a shape given here, so a planner can change a mean without
re-deriving parameters.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, model_validator

from taktline.model.base import Frozen

DistributionKind = Literal["deterministic", "exponential", "weibull", "lognormal", "empirical"]


class Distribution(Frozen):
    """The shape of a random time whose mean is given elsewhere.

    - ``deterministic``: always the mean;
    - ``exponential``: memoryless, coefficient of variation 1;
    - ``weibull``: ``shape`` k (k < 1 many short and a few long, k > 1 wear-out);
    - ``lognormal``: coefficient of variation ``cv``;
    - ``empirical``: ``values`` sampled uniformly, rescaled to the stated mean.
    """

    kind: DistributionKind = "exponential"
    shape: float | None = Field(default=None, gt=0, description="Weibull shape k")
    cv: float | None = Field(default=None, gt=0, description="lognormal coefficient of variation")
    values: tuple[float, ...] | None = Field(default=None, description="empirical sample")

    @model_validator(mode="after")
    def _parameters_match_kind(self) -> Distribution:
        if self.kind == "weibull" and self.shape is None:
            raise ValueError("a weibull distribution needs 'shape'")
        if self.kind == "lognormal" and self.cv is None:
            raise ValueError("a lognormal distribution needs 'cv'")
        if self.kind == "empirical":
            if not self.values:
                raise ValueError("an empirical distribution needs a non-empty 'values' list")
            if any(v < 0 for v in self.values) or sum(self.values) <= 0:
                raise ValueError("empirical 'values' must be >= 0 with a positive sum")
        return self

    def coefficient_of_variation(self) -> float:
        """The CV (standard deviation / mean) this shape implies."""
        if self.kind == "deterministic":
            return 0.0
        if self.kind == "exponential":
            return 1.0
        if self.kind == "weibull":
            k = float(self.shape)  # type: ignore[arg-type]
            g1, g2 = math.gamma(1 + 1 / k), math.gamma(1 + 2 / k)
            return math.sqrt(g2 / g1**2 - 1)
        if self.kind == "lognormal":
            return float(self.cv)  # type: ignore[arg-type]
        values = self.values or (1.0,)
        mean = sum(values) / len(values)
        var = sum((v - mean) ** 2 for v in values) / len(values)
        return math.sqrt(var) / mean


DETERMINISTIC = Distribution(kind="deterministic")
EXPONENTIAL = Distribution(kind="exponential")
