"""Confidence intervals and MSER-5."""

from __future__ import annotations

import math

import numpy as np
import pytest

from taktline.analysis import mean_ci, mser5, summarize


def test_mean_ci_textbook_value() -> None:
    # n = 5, mean 3, s = sqrt(2.5); t(0.975, 4) = 2.776445
    mean, half = mean_ci([1, 2, 3, 4, 5])
    assert mean == 3
    assert half == pytest.approx(2.776445 * math.sqrt(2.5) / math.sqrt(5), rel=1e-6)


def test_mean_ci_degenerate() -> None:
    assert math.isnan(mean_ci([4.0])[1])
    assert math.isnan(mean_ci([])[0])
    assert mean_ci([2.0, 2.0, 2.0]) == (2.0, 0.0)
    assert summarize([1.0, np.nan, 3.0])["n"] == 2


def test_coverage_of_the_t_interval() -> None:
    """About 95 % of intervals from normal samples cover the true mean."""
    rng = np.random.default_rng(5)
    hits = 0
    trials = 2000
    for _ in range(trials):
        mean, half = mean_ci(rng.normal(10, 3, size=6))
        hits += abs(mean - 10) <= half
    assert 0.93 < hits / trials < 0.97


def test_mser5_finds_the_transient() -> None:
    rng = np.random.default_rng(1)
    transient = np.linspace(50, 10, 300)  # a start-up bias decaying over 300 observations
    steady = 10 + rng.normal(0, 1, 3000)
    series = np.concatenate([transient + rng.normal(0, 1, 300), steady])
    d = mser5(series)
    assert d % 5 == 0
    assert 200 <= d <= 450
    assert mser5(steady) < 300  # no bias: little or nothing to cut
    assert mser5([1.0, 2.0]) == 0
