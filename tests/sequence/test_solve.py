"""Solvers: the incremental evaluation against the checker, the hard batch limit,
determinism, proven optima on small instances, and the CLI."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from sequence_fixtures import DATA
from typer.testing import CliRunner

from taktline.cli.sequence import app
from taktline.sequence import (
    CSPLibInstance,
    Ratio,
    RoadefInstance,
    check_csplib,
    check_roadef,
    read_csplib,
    read_roadef,
    score_roadef_order,
    solve_csplib,
    solve_roadef,
)
from taktline.sequence import _kernel as K
from taktline.sequence import local_search as ls


def random_roadef(seed: int, m: int = 40, n0: int = 7, limit: int = 3) -> RoadefInstance:
    """A random day whose given order (colours cycled) respects the batch limit."""
    rng = np.random.default_rng(seed)
    ratios = (
        Ratio("HPRC1", 1, 2, True),
        Ratio("HPRC2", 2, 5, True),
        Ratio("LPRC1", 1, 12, False),
        Ratio("LPRC2", 3, 4, False),
        Ratio("LPRC3", 1, 60, False),
    )
    k = len(ratios)
    options = (rng.random((m + n0, k)) < [0.4, 0.3, 0.1, 0.5, 0.05]).astype(np.uint8)
    colours = rng.integers(1, 5, size=m + n0)
    colours[n0:] = np.sort(colours[n0:])[np.argsort(np.arange(m) % limit, kind="stable")]
    return RoadefInstance(
        name=f"random{seed}",
        objectives=("hprc", "paint", "lprc"),
        batch_limit=limit,
        ratios=ratios,
        prev_idents=tuple(f"p{i}" for i in range(n0)),
        prev_colours=colours[:n0],
        prev_options=options[:n0],
        idents=tuple(f"c{i}" for i in range(m)),
        colours=colours[n0:],
        options=options[n0:],
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_delta_matches_full_score(seed: int):
    inst = random_roadef(seed)
    rc = ls.compile_roadef(inst)
    c = rc.compiled
    rng = np.random.default_rng(seed)
    for _ in range(1500):
        a, b = sorted(rng.choice(np.arange(c.n0, len(c.seq)), 2, replace=False).tolist())
        mt = int(rng.integers(4))
        # all criteria in one rank: the exact delta, or REJECT when it is positive
        args = (c.seq, mt, a, b, c.n0, c.copt, c.ccol, c.P, c.wlo, c.whi, c.cost, c.wcol)
        d = K.move_delta(*args, 10**9, False, np.zeros_like(c.crank), 0)
        ranked = K.move_delta(*args, 10**9, False, c.crank, c.colrank)
        after = c.seq.copy()
        K.apply_move(after, mt, a, b)
        diff = c.score(after) - c.score()
        assert d == (K.REJECT if diff > 0 else diff)
        assert ranked in (K.REJECT, diff)
        if rng.random() < 0.3:
            c.seq = after
    # the compiled score is the checker's
    assert c.score() == score_roadef_order(inst, ls.day_order(rc)).objective


def test_incremental_delta_csplib():
    inst = read_csplib(DATA / "dincbas_10.txt")
    c = ls.compile_csplib(inst, seed=3)
    rng = np.random.default_rng(0)
    for _ in range(500):
        a, b = sorted(rng.choice(10, 2, replace=False).tolist())
        mt = int(rng.integers(4))
        d = K.move_delta(
            c.seq,
            mt,
            a,
            b,
            0,
            c.copt,
            c.ccol,
            c.P,
            c.wlo,
            c.whi,
            c.cost,
            0,
            10,
            False,
            c.crank,
            c.colrank,
        )
        after = c.seq.copy()
        K.apply_move(after, mt, a, b)
        diff = c.score(after) - c.score()
        assert d == (K.REJECT if diff > 0 else diff)
        c.seq = after
        rep = check_csplib(inst, c.seq)
        assert c.score() == rep.violated_windows + rep.excess


@pytest.mark.parametrize("seed", [4, 5])
def test_search_never_breaks_the_batch_limit(seed: int):
    inst = random_roadef(seed, m=60, limit=2)
    res = solve_roadef(inst, time_limit=5, max_iterations=30_000, seed=seed, exact="never")
    rep = check_roadef(inst, res.order)
    assert rep.valid and rep.max_batch <= 2
    assert rep.objective == res.objective <= res.given_objective


def test_deterministic_for_seed_and_budget():
    inst = random_roadef(7, m=80, limit=4)
    runs = [
        solve_roadef(inst, max_iterations=40_000, seed=11, exact="never").order for _ in range(2)
    ]
    assert runs[0] == runs[1]
    other = solve_roadef(inst, max_iterations=40_000, seed=12, exact="never").order
    assert other != runs[0]


def test_dincbas_solved_to_optimality():
    res = solve_csplib(read_csplib(DATA / "dincbas_10.txt"), time_limit=5)
    assert res.violated_windows == 0 and res.optimal and res.lower_bound == 0
    assert check_csplib(read_csplib(DATA / "dincbas_10.txt"), res.sequence).valid


def small_unsat() -> CSPLibInstance:
    # 9 cars; option 0 (1/2) on 6 of them cannot be spread without a violation
    return CSPLibInstance(
        name="unsat9",
        p=np.array([1, 2]),
        q=np.array([2, 4]),
        demand=np.array([3, 3, 1, 2]),
        options=np.array([[1, 0], [1, 1], [0, 1], [0, 0]], dtype=np.uint8),
    )


def multiset_permutations(counts: list[int]):
    seq: list[int] = []

    def rec():
        if not any(counts):
            yield list(seq)
            return
        for c, left in enumerate(counts):
            if left:
                counts[c] -= 1
                seq.append(c)
                yield from rec()
                seq.pop()
                counts[c] += 1

    yield from rec()


def brute_force_min_windows(inst: CSPLibInstance) -> int:
    return min(
        check_csplib(inst, s).violated_windows for s in multiset_permutations(inst.demand.tolist())
    )


def test_unsatisfiable_instance_proved_optimal():
    inst = small_unsat()
    best = brute_force_min_windows(inst)
    assert best > 0
    for exact in ("auto", "only"):
        res = solve_csplib(inst, time_limit=3, exact=exact)
        assert res.violated_windows == best
        assert res.optimal and res.lower_bound == best


def test_small_roadef_proved_optimal(tiny_roadef: Path):
    inst = read_roadef(tiny_roadef)
    best = None
    for perm in itertools.permutations(range(inst.n_cars)):
        rep = score_roadef_order(inst, perm)
        if rep.valid and (best is None or rep.objective < best):
            best = rep.objective
    res = solve_roadef(inst, time_limit=3)
    assert res.objective == best and res.optimal and res.lower_bound == best
    only = solve_roadef(inst, time_limit=3, exact="only")
    assert only.objective == best and only.optimal


# ------------------------------------------------------------------------------- CLI

runner = CliRunner()


def test_cli_csplib_json():
    result = runner.invoke(
        app, ["csplib", str(DATA / "dincbas_10.txt"), "--time-limit", "5", "--seed", "1", "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    for key in ("sequence", "violated_windows", "excess", "optimal", "lower_bound", "wall_s"):
        assert key in doc
    assert doc["violated_windows"] == 0 and doc["optimal"] is True


def test_cli_roadef_and_check(tiny_roadef: Path, tmp_path: Path):
    out = tmp_path / "sol.txt"
    result = runner.invoke(
        app, ["roadef", str(tiny_roadef), "--time-limit", "5", "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    for key in ("objective", "hprc", "lprc", "colour_changes", "wall_s"):
        assert key in doc
    checked = runner.invoke(app, ["check", str(tiny_roadef), str(out), "--json"])
    assert checked.exit_code == 0
    assert json.loads(checked.stdout)["objective"] == doc["objective"]
    out.write_text("c1\nc2\nc5\nc3\nc4\nc6\n")  # three colour-1 cars in a row
    assert runner.invoke(app, ["check", str(tiny_roadef), str(out)]).exit_code == 1


def test_cli_check_csplib(tmp_path: Path):
    sol = tmp_path / "s.txt"
    sol.write_text("0 1 5 2 4 3 3 4 2 5\n")
    result = runner.invoke(app, ["check", str(DATA / "dincbas_10.txt"), str(sol)])
    assert result.exit_code == 0 and "0 violated windows" in result.stdout


def test_sequencing_runs_are_recorded(tmp_path: Path) -> None:
    from taktline.store import RunStore

    store = tmp_path / "runs.duckdb"
    example = Path(__file__).parent / "data" / "dincbas_10.txt"
    result = runner.invoke(
        app, ["csplib", str(example), "--time-limit", "2", "--store", str(store), "--json"]
    )
    assert result.exit_code == 0, result.output
    run_id = json.loads(result.stdout)["run"]
    with RunStore(store) as runs:
        record = runs.get(run_id)
    assert record.kind == "sequence"
