"""SALBP-1 and SALBP-2 on small shipped instances, checked against the CSV optima.

Every balance returned is checked by the independent verifier.
"""

from __future__ import annotations

import csv
import random
from functools import cache
from pathlib import Path

import pytest

from taktline.balance import (
    Instance,
    check_assignment,
    read_instance,
    solve_salbp1,
    solve_salbp2,
    verify,
)
from taktline.errors import InputError

DATA = Path(__file__).parent / "data"


def rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def instance(file: str) -> Instance:
    return read_instance(DATA / file)


SALBP1 = rows("salbp1_scholl_optima_excerpt.csv")
SALBP2 = rows("salbp2_scholl_optima_excerpt.csv")
OTTO = rows("otto2013_salbp1_bounds_excerpt.csv")


@pytest.mark.parametrize("row", SALBP1, ids=[f"{r['file']}-c{r['cycle_time']}" for r in SALBP1])
def test_salbp1_scholl_optimum(row: dict[str, str]) -> None:
    inst = instance(row["file"])
    res = solve_salbp1(inst, int(row["cycle_time"]))
    verify(inst, res.assignment, int(row["cycle_time"]))
    assert res.optimal
    assert res.stations == int(row["opt_stations"]) == len(res.assignment)
    assert res.lower_bound == res.stations


@pytest.mark.parametrize("row", SALBP2, ids=[f"{r['file']}-m{r['stations']}" for r in SALBP2])
def test_salbp2_scholl_optimum(row: dict[str, str]) -> None:
    inst = instance(row["file"])
    m = int(row["stations"])
    res = solve_salbp2(inst, m)
    verify(inst, res.assignment, res.cycle_time)
    assert len(res.assignment) <= m
    assert res.optimal
    assert res.cycle_time == int(row["opt_cycle_time"])
    assert res.lower_bound == res.cycle_time


@pytest.mark.parametrize("row", OTTO, ids=[r["instance"] for r in OTTO])
def test_salbp1_otto_optimum(row: dict[str, str]) -> None:
    inst = instance(row["instance"] + ".alb")
    res = solve_salbp1(inst)  # the cycle time of the file
    assert res.cycle_time == int(row["cycle_time"])
    verify(inst, res.assignment, res.cycle_time)
    assert res.optimal and res.stations == int(row["best_ub"])


def brute_force_salbp1(inst: Instance, c: int) -> int:
    """Fewest stations by breadth-first search over all feasible loads (tiny n only)."""
    n = inst.n
    pred = [0] * n
    for i, j in inst.arcs:
        pred[j - 1] |= 1 << (i - 1)
    full = (1 << n) - 1
    layer, seen, m = {0}, {0}, 0
    while full not in layer:
        m += 1
        nxt = set()
        for done in layer:
            rest = full & ~done
            sub = rest
            while sub:
                ok = sum(inst.times[k] for k in range(n) if sub >> k & 1) <= c and all(
                    pred[k] & ~(done | sub) == 0 for k in range(n) if sub >> k & 1
                )
                if ok and done | sub not in seen:
                    seen.add(done | sub)
                    nxt.add(done | sub)
                sub = (sub - 1) & rest
        layer = nxt
    return m


def random_instance(rng: random.Random, n: int) -> Instance:
    times = tuple(rng.randint(1, 9) for _ in range(n))
    arcs = tuple(
        (i, j) for i in range(1, n + 1) for j in range(i + 1, n + 1) if rng.random() < 0.25
    )
    return Instance(name=f"random{n}", times=times, arcs=arcs)


@pytest.mark.parametrize("seed", range(40))
def test_salbp1_matches_brute_force(seed: int) -> None:
    """The dominance rules never cut off every optimal balance."""
    rng = random.Random(seed)
    inst = random_instance(rng, rng.randint(4, 9))
    c = rng.randint(inst.t_max, inst.t_max + 8)
    res = solve_salbp1(inst, c)
    assert check_assignment(inst, res.assignment, c) == []
    assert res.optimal
    assert res.stations == brute_force_salbp1(inst, c)


@pytest.mark.parametrize("seed", range(15))
def test_salbp2_matches_brute_force(seed: int) -> None:
    rng = random.Random(1000 + seed)
    inst = random_instance(rng, rng.randint(4, 8))
    m = rng.randint(2, 4)
    res = solve_salbp2(inst, m)
    assert check_assignment(inst, res.assignment, res.cycle_time) == []
    assert res.optimal
    # c* is the least c with brute-force m*(c) <= m
    c = inst.t_max
    while brute_force_salbp1(inst, c) > m:
        c += 1
    assert res.cycle_time == c


def test_time_limit_returns_best_and_bound_unproved() -> None:
    inst = instance("WEE-MAG.IN2")  # c = 50: m* = 32, the bounds give 30
    res = solve_salbp1(inst, 50, time_limit=0.3)
    verify(inst, res.assignment, 50)
    assert res.lower_bound <= 32 <= res.stations
    if not res.optimal:
        assert res.lower_bound < res.stations
    assert res.wall_s < 5


def test_task_longer_than_the_cycle_time() -> None:
    with pytest.raises(InputError, match="longer than the cycle time"):
        solve_salbp1(instance("MERTENS.IN2"), 5)


def test_json_document() -> None:
    res = solve_salbp1(instance("MERTENS.IN2"), 10)
    doc = res.to_json()
    assert doc["stations"] == 3 and doc["optimal"] is True and doc["lower_bound"] == 3
    assert sorted(k for s in doc["assignment"] for k in s) == list(range(1, 8))
    assert set(doc) >= {"stations", "lower_bound", "optimal", "assignment", "wall_s"}


def test_verifier_catches_every_kind_of_error() -> None:
    inst = instance("MERTENS.IN2")  # arcs 1,2 1,4 2,3 2,5 4,7 5,6
    good = [[1, 2, 4], [5, 7], [3, 6]]
    assert check_assignment(inst, good, 10) == []
    assert any("load 14" in p for p in check_assignment(inst, [[1, 2, 4], [5, 7, 3], [6]], 10))
    assert any("arc 2,3" in p for p in check_assignment(inst, [[1, 3, 4], [2, 5, 7], [6]], 10))
    assert any("not assigned" in p for p in check_assignment(inst, [[1, 2, 4], [5, 7], [3]], 10))
    assert any("stations 1 and 2" in p for p in check_assignment(inst, [[1, 2], [2, 4]], 99))
    assert any("empty" in p for p in check_assignment(inst, [[1, 2, 3, 4, 5, 6, 7], []], 99))
    with pytest.raises(AssertionError):
        verify(inst, [[1, 3, 4], [2, 5, 7], [6]], 10)


def test_salbp2_proof_by_the_bound_alone_ends_the_search() -> None:
    """GUNTHER on 6 stations: the bound at c = 83 proves c* = 84 without a search.

    The descent used to miss that this bound had proved the best balance, and probed
    c = 83 again and again until the time limit, returning 84 unproved.
    """
    inst = instance("GUNTHER.IN2")
    res = solve_salbp2(inst, 6, time_limit=10)
    verify(inst, res.assignment, res.cycle_time)
    assert (res.cycle_time, res.lower_bound, res.optimal) == (84, 84, True)
