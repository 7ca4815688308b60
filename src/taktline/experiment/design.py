"""Design points: which combination of factor values each simulated point uses."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import qmc

from taktline.experiment.spec import ExperimentSpec, Factor


@dataclass(frozen=True)
class DesignPoint:
    """One point: the value (or multiplier) of every factor, by the factor's label."""

    index: int
    values: dict[str, Any]
    settings: dict[str, Any]  # path -> value to set
    scales: dict[str, float]  # path -> multiplier


def _choices(factor: Factor) -> list[Any]:
    if factor.levels is not None:
        return list(factor.levels)
    if factor.scale is not None:
        return list(factor.scale)
    raise ValueError(f"factor {factor.path!r} has a range, not levels")


def _point(index: int, factors: tuple[Factor, ...], values: list[Any]) -> DesignPoint:
    settings, scales, labelled = {}, {}, {}
    for factor, value in zip(factors, values, strict=True):
        labelled[factor.label] = value
        if factor.scale is not None:
            scales[factor.path] = float(value)
        else:
            settings[factor.path] = value
    return DesignPoint(index, labelled, settings, scales)


def design_points(spec: ExperimentSpec) -> list[DesignPoint]:
    """All design points of the experiment, in a fixed order.

    A full factorial crosses every level of every factor (the last factor varies
    fastest). A Latin hypercube (scipy's, seeded by ``design.seed``) draws
    ``design.points`` points; a factor with levels or scale picks a level by
    stratum, a factor with a range takes the stratified value in it.
    """
    factors = spec.factors
    if spec.design.kind == "full_factorial":
        combos = itertools.product(*(_choices(f) for f in factors))
        return [_point(i, factors, list(c)) for i, c in enumerate(combos)]
    points = spec.design.points or 1
    sampler = qmc.LatinHypercube(d=len(factors), seed=np.random.default_rng(spec.design.seed))
    unit = sampler.random(points)
    out = []
    for i, row in enumerate(unit):
        values: list[Any] = []
        for factor, u in zip(factors, row, strict=True):
            if factor.range is not None:
                low, high = factor.range
                value = float(low + u * (high - low))
                values.append(round(value) if factor.integer else value)
            else:
                choices = _choices(factor)
                values.append(choices[min(int(u * len(choices)), len(choices) - 1)])
        out.append(_point(i, factors, values))
    return out
