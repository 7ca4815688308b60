"""The exact bin-packing bound and the search direction of the SALBP-1 search.

The bin-packing optimum is checked against a brute force over subsets and
against HiGHS (a MIP through SciPy); the
instance that needs the bound at every state (Wee-Mag at c = 47: LB1 to LB3,
Martello-Toth and the LP bound all give 32, the optimum is 33) against the
Scholl optimum.
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from taktline.balance import read_instance, solve_salbp1, verify
from taktline.balance._binpack import bin_packing_optimum
from taktline.balance._problem import prepare
from taktline.balance.instance import Instance
from taktline.balance.salbp import _direction

DATA = Path(__file__).parent / "data"


def brute_force_bins(times: list[int], c: int) -> int:
    """Fewest bins by dynamic programming over subsets: the bin of the first item left."""
    n = len(times)

    @cache
    def best(mask: int) -> int:
        if mask == 0:
            return 0
        first = (mask & -mask).bit_length() - 1
        rest = mask & ~(1 << first)
        out = n
        sub = rest
        while True:
            if times[first] + sum(times[j] for j in range(n) if sub >> j & 1) <= c:
                out = min(out, 1 + best(rest & ~sub))
            if sub == 0:
                return out
            sub = (sub - 1) & rest

    return best((1 << n) - 1)


def test_bin_packing_optimum_matches_brute_force() -> None:
    rng = random.Random(7)
    for _ in range(150):
        c = rng.randint(10, 40)
        times = [rng.randint(1, c) for _ in range(rng.randint(1, 10))]
        assert bin_packing_optimum(times, c) == brute_force_bins(times, c), (times, c)


def mip_bins(sizes: list[int], c: int) -> int:
    """Fewest bins by HiGHS (assignment MIP, item i only in bins 0..i, bins used in order)."""
    n = len(sizes)
    nv = n * n + n  # x[i, j], then y[j]
    cost = np.r_[np.zeros(n * n), np.ones(n)]
    rows, lo, hi = [], [], []

    def add(row: np.ndarray, low: float, high: float) -> None:
        rows.append(row)
        lo.append(low)
        hi.append(high)

    for i in range(n):  # each item in one bin
        row = np.zeros(nv)
        row[i * n : (i + 1) * n] = 1
        add(row, 1, 1)
    for j in range(n):  # bin j holds at most c, and only if used; bins used in order
        row = np.zeros(nv)
        row[[i * n + j for i in range(n)]] = sizes
        row[n * n + j] = -c
        add(row, -np.inf, 0)
        if j + 1 < n:
            row = np.zeros(nv)
            row[n * n + j], row[n * n + j + 1] = -1, 1
            add(row, -np.inf, 0)
    upper = np.ones(nv)
    for i in range(n):
        upper[i * n + i + 1 : (i + 1) * n] = 0
    res = milp(
        cost,
        constraints=LinearConstraint(np.array(rows), lo, hi),
        integrality=np.ones(nv),
        bounds=Bounds(0, upper),
    )
    assert res.status == 0
    return round(res.fun)


def test_bin_packing_optimum_matches_highs_on_tricky_sizes() -> None:
    # sizes between c/5 and just over c/2: where L1, L2 and the LP bound fall short
    rng = random.Random(11)
    for _ in range(6):
        c = rng.randint(60, 120)
        sizes = sorted((rng.randint(c // 5, c // 2 + 5) for _ in range(14)), reverse=True)
        assert bin_packing_optimum(sizes, c) == mip_bins(sizes, c), (sizes, c)


def test_bin_packing_optimum_small_cases() -> None:
    assert bin_packing_optimum([6, 6, 6, 4, 4, 4, 4, 4, 4], 10) == 5  # three 6+4, then 4+4, 4
    assert bin_packing_optimum([7, 7, 7, 4, 4, 4], 10) == 5  # no 4 fits beside a 7
    assert bin_packing_optimum([], 10) == 0


def test_bin_packing_gives_up_within_its_budget() -> None:
    rng = random.Random(3)
    times = [rng.randint(20, 40) for _ in range(60)]
    assert bin_packing_optimum(times, 100, budget=5) == -1


def chain_with_fan(fan_first: bool) -> Instance:
    """Task 1 precedes 2..9 (a fan out) then a chain 10 <- 9 ... or its mirror image."""
    n = 12
    arcs = [(1, k) for k in range(2, 10)] + [(9, 10), (10, 11), (11, 12)]
    if not fan_first:
        arcs = [(n + 1 - j, n + 1 - i) for i, j in arcs]
    return Instance(name="fan", times=(5,) * n, arcs=tuple(arcs), cycle_time=10)


def test_direction_starts_where_fewer_tasks_are_free() -> None:
    # with the fan first, tasks 2..9 can all go in station 2; the mirror starts with a chain
    assert _direction(prepare(chain_with_fan(True)), 10) == 1
    assert _direction(prepare(chain_with_fan(False)), 10) == 0


@pytest.mark.parametrize(("cycle", "optimum"), [(47, 33), (49, 32)])
def test_wee_mag_needs_the_bin_packing_bound(cycle: int, optimum: int) -> None:
    inst = read_instance(DATA / "WEE-MAG.IN2")
    res = solve_salbp1(inst, cycle)
    verify(inst, res.assignment, cycle)
    assert res.optimal and res.stations == optimum
