"""Ramp-up curves: the share of the mature rate reached ``t`` days after start of production.

Three forms, each 0 before the start and rising towards 1:

- ``logistic``: S(t) = 1 / (1 + exp(-k (t - t0))), an S-curve (Tesla's Model 3 ramp);
- ``gompertz``: S(t) = exp(-b exp(-c t)), an S-curve with a slow tail;
- ``exponential``: S(t) = 1 - exp(-t / tau), the learning curve of a fast start.

The logistic is shifted so that it is exactly 0 at the start of production
(S(t) = (L(t) - L(0)) / (1 - L(0))), so cumulative output starts at 0 whatever t0 is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FORMS = ("logistic", "gompertz", "exponential")


@dataclass(frozen=True)
class Form:
    """A ramp form: its parameter names, a starting guess, and bounds."""

    name: str
    params: tuple[str, ...]
    guess: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]


FORM_SPECS: dict[str, Form] = {
    "logistic": Form(
        "logistic", ("k_per_day", "t0_days"), (0.03, 60.0), (1e-3, -30.0), (1.0, 900.0)
    ),
    "gompertz": Form("gompertz", ("b", "c_per_day"), (3.0, 0.02), (1e-2, 1e-4), (200.0, 1.0)),
    "exponential": Form("exponential", ("tau_days",), (60.0,), (1.0,), (2000.0,)),
}

DEFAULT_SHAPE: dict[str, tuple[float, ...]] = {
    # ASSUMPTION used when a scenario has no record to fit: 90 % of the mature rate
    # after about 100 days (Mercedes Vance: ~3 months of production trials).
    "logistic": (0.045, 50.0),
    "gompertz": (4.0, 0.035),
    "exponential": (43.0,),
}


def ramp_share(form: str, params: tuple[float, ...] | np.ndarray, t_days: np.ndarray) -> np.ndarray:
    """Share of the mature rate at ``t_days`` after start of production (0 before it)."""
    t = np.asarray(t_days, dtype=float)
    tt = np.maximum(t, 0.0)
    if form == "logistic":
        k, t0 = float(params[0]), float(params[1])
        at0 = 1.0 / (1.0 + np.exp(k * t0))
        value = (1.0 / (1.0 + np.exp(-k * (tt - t0))) - at0) / (1.0 - at0)
    elif form == "gompertz":
        b, c = float(params[0]), float(params[1])
        at0 = np.exp(-b)
        value = (np.exp(-b * np.exp(-c * tt)) - at0) / (1.0 - at0)
    elif form == "exponential":
        value = 1.0 - np.exp(-tt / float(params[0]))
    else:  # pragma: no cover - guarded by the settings' Literal
        raise ValueError(f"unknown ramp form {form!r}")
    return np.where(t < 0, 0.0, np.clip(value, 0.0, 1.0))


def days_to_share(form: str, params: tuple[float, ...], share: float) -> float:
    """Days after start of production until the ramp reaches ``share`` (bisection)."""
    lo, hi = 0.0, 5000.0
    if ramp_share(form, params, np.array([hi]))[0] < share:
        return float("inf")
    for _ in range(60):
        mid = (lo + hi) / 2
        if ramp_share(form, params, np.array([mid]))[0] < share:
            lo = mid
        else:
            hi = mid
    return hi
