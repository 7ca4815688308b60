"""A strong bin-packing lower bound for SALBP-1: the LP relaxation of Gilmore & Gomory.

Precedence ignored, a balance is a bin packing of the task times into bins of
size c, so the bin-packing optimum bounds m* from below. The LP of the
pattern formulation is solved by column generation (HiGHS through SciPy for
the master, an exact bounded-knapsack dynamic programme for pricing). The
bound returned is safe whatever the LP solver's tolerances: for the final
duals y (any y >= 0), sum(d_i y_i) / max(1, best pattern value) is a valid
lower bound (Farley 1990), and its ceiling is taken with a small margin.
"""

from __future__ import annotations

import math
import time
from collections import Counter

import numpy as np
from scipy.optimize import linprog


def _knapsack(sizes: np.ndarray, counts: np.ndarray, values: np.ndarray, c: int):
    """Best pattern (counts per size, within ``counts``) of total size <= c: value, pattern."""
    # binary splitting of the multiplicities into 0/1 items
    items: list[tuple[int, int, float]] = []  # (size index, multiplicity, value)
    for i, (w, d, v) in enumerate(zip(sizes, counts, values, strict=True)):
        if v <= 1e-12:
            continue
        left, k = min(int(d), c // int(w)), 1
        while left > 0:
            take = min(k, left)
            items.append((i, take, v))
            left -= take
            k *= 2
    best = np.zeros(c + 1)
    choice = np.zeros((len(items), c + 1), dtype=bool)
    for j, (i, mult, v) in enumerate(items):
        w = int(sizes[i]) * mult
        if w > c:
            continue
        cand = best[: c + 1 - w] + v * mult
        better = cand > best[w:] + 1e-15
        choice[j, w:] = better
        best[w:] = np.where(better, cand, best[w:])
    pattern = np.zeros(len(sizes), dtype=np.int64)
    cap = c
    for j in range(len(items) - 1, -1, -1):
        if choice[j, cap]:
            i, mult, _ = items[j]
            pattern[i] += mult
            cap -= int(sizes[i]) * mult
    return float(best[c]), pattern


def bin_packing_lp_bound(times: list[int] | np.ndarray, c: int, time_limit: float = 2.0) -> int:
    """ceil of a valid lower bound on the number of bins of size ``c`` for ``times``."""
    counter = Counter(int(t) for t in times)
    sizes = np.array(sorted(counter, reverse=True), dtype=np.int64)
    counts = np.array([counter[s] for s in sizes], dtype=np.int64)
    k = len(sizes)
    columns = []
    for i in range(k):
        col = np.zeros(k, dtype=np.int64)
        col[i] = min(counts[i], c // sizes[i])
        columns.append(col)
    start = time.monotonic()
    best_bound = 0.0
    while True:
        A = np.array(columns, dtype=np.float64).T
        res = linprog(np.ones(A.shape[1]), A_ub=-A, b_ub=-counts.astype(np.float64), method="highs")
        if res.status != 0:
            break
        y = np.maximum(0.0, -np.asarray(res.ineqlin.marginals, dtype=np.float64))
        value, pattern = _knapsack(sizes, counts, y, c)
        bound = float(counts @ y) / max(1.0, value)
        best_bound = max(best_bound, bound)
        if value <= 1.0 + 1e-9 or time.monotonic() - start > time_limit:
            break
        columns.append(pattern)
    return max(1, math.ceil(best_bound - 1e-6))
