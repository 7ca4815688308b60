"""The independent checker: hand-computed cases, the six published scores of Renault's
checker, and every ``given_order_*`` column of ``roadef2005/instances.csv``."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from sequence_fixtures import DATA

from taktline.sequence import (
    CSPLibInstance,
    check_csplib,
    check_roadef,
    read_csplib,
    read_roadef,
    roadef_lower_bound,
    score_roadef_order,
)


def test_csplib_example_sequence_is_valid():
    inst = read_csplib(DATA / "dincbas_10.txt")
    rep = check_csplib(inst, [0, 1, 5, 2, 4, 3, 3, 4, 2, 5])
    assert rep.valid and rep.violated_windows == 0 and rep.excess == 0


def test_csplib_both_measures():
    inst = CSPLibInstance(
        name="t",
        p=np.array([1]),
        q=np.array([3]),
        demand=np.array([3, 1]),
        options=np.array([[1], [0]], dtype=np.uint8),
    )
    rep = check_csplib(inst, [0, 0, 0, 1])  # windows 000 (3 > 1) and 001 (2 > 1)
    assert (rep.violated_windows, rep.excess) == (2, 3)
    rep = check_csplib(inst, [0, 1, 0, 0])  # 010 and 100: 2 > 1 each
    assert (rep.violated_windows, rep.excess) == (2, 2)


def test_csplib_not_a_permutation():
    inst = read_csplib(DATA / "dincbas_10.txt")
    rep = check_csplib(inst, [0, 1, 5, 2, 4, 3, 3, 4, 2, 2])
    assert not rep.valid
    assert any("class 2 appears 3 times" in p for p in rep.problems)
    assert not check_csplib(inst, [0, 9]).valid


def test_roadef_hand_computed(tiny_roadef: Path):
    inst = read_roadef(tiny_roadef)
    rep = check_roadef(inst, list(inst.idents))
    # HPRC 1/2 over D-1 + D flags 1 1 | 1 1 0 0 1 0: windows from i = 1 (straddling)
    # [1,1] [1,1] -> 2; LPRC 2/3 flags 1 0 | 1 1 1 0 0 0 -> window 1 1 1 -> 1;
    # colours 3 1 | 1 1 2 2 1 3: 3 changes in day D (the D-1 change does not count)
    assert (rep.hprc, rep.lprc, rep.colour_changes, rep.max_batch) == (2, 1, 3, 2)
    assert rep.objective == 2 * 10**6 + 3 * 1000 + 1
    assert rep.valid and rep.per_ratio == {"HPRC1": 2, "LPRC1": 1}


def test_roadef_truncated_end_windows_count(tiny_roadef: Path):
    inst = read_roadef(tiny_roadef)
    # ...c1 c2 at the very end: the last (truncated) window [c2] alone is fine, but the
    # window [c1, c2] of HPRC 1/2 is violated
    rep = check_roadef(inst, ["c3", "c4", "c5", "c6", "c1", "c2"])
    assert rep.per_ratio["HPRC1"] == 1


def test_roadef_batch_limit_and_permutation(tiny_roadef: Path):
    inst = read_roadef(tiny_roadef)
    rep = check_roadef(inst, ["c1", "c2", "c5", "c3", "c4", "c6"])  # three colour-1 cars
    assert not rep.valid and rep.max_batch == 3
    rep = check_roadef(inst, ["c1", "c2", "c3", "c4", "c5", "zz"])
    assert not rep.valid
    assert any("not a day-D car" in p for p in rep.problems)
    assert any("missing" in p for p in rep.problems)


def test_roadef_lower_bound(tiny_roadef: Path):
    inst = read_roadef(tiny_roadef)
    # colours 1 x3, 2 x2, 3 x1 with L = 2: runs >= 2 + 1 + 1; the first run can continue
    # the last D-1 colour (1): at least 3 changes
    assert roadef_lower_bound(inst) == 3 * 1000


PUBLISHED = {  # Renault's checker on the given order (README of the benchmark data)
    "A/064_38_2_EP_RAF_ENP_ch2": 28_046_050,
    "A/022_3_4_EP_RAF_ENP": 2_070_002,
    "A/022_3_4_RAF_EP_ENP": 11_048_005,
    "A/024_38_5_EP_ENP_RAF": 106_134_392,
    "A/039_38_4_EP_RAF_ch1": 115_229_000,
    "A/039_38_4_RAF_EP_ch1": 69_392_000,
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_published_checker_scores(bench: Path, name: str):
    inst = read_roadef(bench / "roadef2005" / name)
    assert check_roadef(inst, list(inst.idents)).objective == PUBLISHED[name]


def test_every_given_order_column(bench: Path):
    rows = list(csv.DictReader((bench / "roadef2005" / "instances.csv").open()))
    present = [r for r in rows if (bench / "roadef2005" / r["set"] / r["instance"]).is_dir()]
    assert len(present) >= 61
    for row in present:
        inst = read_roadef(bench / "roadef2005" / row["set"] / row["instance"])
        rep = score_roadef_order(inst, np.arange(inst.n_cars))
        got = {
            "cars_day_D_minus_1": len(inst.prev_idents),
            "cars_day_D": inst.n_cars,
            "n_hprc": sum(r.high for r in inst.ratios),
            "n_lprc": sum(not r.high for r in inst.ratios),
            "n_colours": len(set(inst.colours.tolist()) | set(inst.prev_colours.tolist())),
            "paint_batch_limit": inst.batch_limit,
            "given_order_hprc_violations": rep.hprc,
            "given_order_colour_changes": rep.colour_changes,
            "given_order_lprc_violations": rep.lprc,
            "given_order_weighted_objective": rep.objective,
            "given_order_max_batch": rep.max_batch,
        }
        expected = {k: int(row[k]) for k in got}
        assert got == expected, row["instance"]
        assert rep.valid, row["instance"]


def test_csplib_known_example_from_benchmarks(bench: Path):
    inst = read_csplib(bench / "csplib" / "example" / "dincbas_10.txt")
    assert check_csplib(inst, [0, 1, 5, 2, 4, 3, 3, 4, 2, 5]).violated_windows == 0


def test_roadef_lower_bound_counts_forced_ratio_violations(tiny_roadef: Path):
    import itertools

    path = tiny_roadef / "vehicles.txt"
    path.write_text(path.read_text().replace(";c6;3;0;0", ";c6;3;1;0"))
    inst = read_roadef(tiny_roadef)
    # 4 of 6 cars need HPRC1 (1/2): blocks of 2 hold at most 3 of them
    assert roadef_lower_bound(inst) == 1 * 10**6 + 3 * 1000
    best = min(
        rep.objective
        for perm in itertools.permutations(range(inst.n_cars))
        if (rep := score_roadef_order(inst, perm)).valid
    )
    assert best >= roadef_lower_bound(inst)
