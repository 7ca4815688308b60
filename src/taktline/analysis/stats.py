"""Confidence intervals over independent replications and MSER-5 warm-up detection.

- :func:`mean_ci`: mean and half-width of the Student-t confidence interval
  ``x̄ ± t_{1-α/2, n-1} s/√n`` (replications are independent and identically
  distributed, so the t interval is the textbook choice).
- :func:`mser5`: the MSER-5 truncation rule (White 1997; White, Cobb & Spratt 2000):
  batch the output series in means of 5, and truncate the first ``d`` batches that
  minimise ``Σ_{j>d} (Z_j − Z̄_d)² / (m − d)²``; ``d`` is searched in the first half
  only, since a minimum further on means the run is too short to tell.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats as _sp


def mean_ci(values: Sequence[float] | np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Mean and Student-t confidence half-width of independent observations.

    With one observation (or all NaN) the half-width is NaN: there is no estimate
    of the spread.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return math.nan, math.nan
    mean = float(x.mean())
    if n < 2:
        return mean, math.nan
    sd = float(x.std(ddof=1))
    t = float(_sp.t.ppf(0.5 + level / 2, n - 1))
    return mean, t * sd / math.sqrt(n)


def summarize(values: Sequence[float] | np.ndarray, level: float = 0.95) -> dict[str, float]:
    """``{mean, ci95, sd, min, max, n}`` of replication values (``ci95`` is the half-width)."""
    x = np.asarray(values, dtype=float)
    finite = x[np.isfinite(x)]
    mean, half = mean_ci(finite, level)
    return {
        "mean": mean,
        "ci95": half,
        "sd": float(finite.std(ddof=1)) if len(finite) > 1 else math.nan,
        "min": float(finite.min()) if len(finite) else math.nan,
        "max": float(finite.max()) if len(finite) else math.nan,
        "n": len(finite),
    }


def mser5(series: Sequence[float] | np.ndarray, batch: int = 5) -> int:
    """MSER-5 truncation point: how many leading *observations* to discard.

    Returns a multiple of ``batch``; 0 if the series is too short to batch.
    """
    x = np.asarray(series, dtype=float)
    m = len(x) // batch
    if m < 4:
        return 0
    z = x[: m * batch].reshape(m, batch).mean(axis=1)
    # suffix sums give every candidate d in O(m)
    rev = z[::-1]
    s1 = np.cumsum(rev)[::-1]  # sum of z[d:]
    s2 = np.cumsum(rev * rev)[::-1]
    count = m - np.arange(m)
    sse = s2 - s1 * s1 / count  # Σ (z_j - mean_d)²
    stat = sse / count.astype(float) ** 2
    half = m // 2
    d = int(np.argmin(stat[: half + 1]))
    return d * batch
