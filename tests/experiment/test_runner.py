"""Experiments run the same on every executor, and their statistics are right."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from taktline.experiment.buffers import allocate_buffers, buffer_slots
from taktline.experiment.loader import load_experiment
from taktline.experiment.runner import run_experiment
from taktline.model import load_scenario

SWEEP = """\
name: small
scenario: {scenario}
horizon: 2d
warmup: 6h
replications: 3
seed: 5
factors:
  - path: plants.line.shops.l10.lines.l10.default_buffer_capacity
    name: buffer
    levels: [1, 5]
  - path: plants.line.shops.l10.lines.l10.stations.s5.cycle_time_s
    name: s5
    scale: [0.9, 1.0]
"""


@pytest.fixture(scope="module")
def experiment(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("exp")
    path = folder / "small.yaml"
    path.write_text(SWEEP.format(scenario=examples_dir / "lines/l10.yaml"))
    return load_experiment(path)


@pytest.fixture(scope="module")
def inline(experiment):  # type: ignore[no-untyped-def]
    return run_experiment(experiment, executor="local", workers=1)


def test_replications_and_points(inline) -> None:  # type: ignore[no-untyped-def]
    reps = inline.replications
    assert len(inline.points) == 4
    assert sorted(reps.point.unique()) == [0, 1, 2, 3]
    assert sorted(reps.replication.unique()) == [0, 1, 2]
    assert set(reps.plant) == {"line", "total"}
    # a faster bottleneck and bigger buffers raise throughput (with 3 reps, clearly)
    th = inline.summary[
        (inline.summary.plant == "total") & (inline.summary.kpi == "throughput_jph")
    ]
    by = {(r.buffer, r.s5): r["mean"] for _, r in th.iterrows()}
    assert by[(5, 0.9)] > by[(1, 1.0)]


def test_local_pool_is_bit_identical(experiment, inline) -> None:  # type: ignore[no-untyped-def]
    pooled = run_experiment(experiment, executor="local", workers=2)
    assert pooled.tasks >= inline.tasks  # chunked finer for two workers
    pd.testing.assert_frame_equal(pooled.replications, inline.replications, check_exact=True)


def test_ray_is_bit_identical(experiment, inline) -> None:  # type: ignore[no-untyped-def]
    """A local Ray instance on loopback runs the same tasks to the same numbers."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        on_ray = run_experiment(experiment, executor="ray", workers=2)
    finally:
        ray.shutdown()
    assert on_ray.executor == "ray"
    pd.testing.assert_frame_equal(on_ray.replications, inline.replications, check_exact=True)


def test_common_random_numbers_and_replication_offsets(experiment) -> None:  # type: ignore[no-untyped-def]
    """Replication r has the same streams whether it runs alone or in a chunk."""
    from taktline.simulate import simulate

    scenario = experiment.scenario
    whole = simulate(scenario, horizon="2d", replications=3, seed=5, warmup="6h", workers=1)
    last = simulate(
        scenario, horizon="2d", replications=1, first_replication=2, seed=5, warmup="6h", workers=1
    )
    a = whole.replications[whole.replications.replication == 2].drop(columns="replication")
    b = last.replications.drop(columns="replication")
    pd.testing.assert_frame_equal(
        a.reset_index(drop=True), b.reset_index(drop=True), check_exact=True
    )


def test_summary_and_main_effects_by_hand(inline) -> None:  # type: ignore[no-untyped-def]
    total = inline.replications[inline.replications.plant == "total"]
    point_means = total.groupby("point").throughput_jph.mean()
    row = inline.summary[
        (inline.summary.point == 0)
        & (inline.summary.plant == "total")
        & (inline.summary.kpi == "throughput_jph")
    ].iloc[0]
    values = total[total.point == 0].throughput_jph.to_numpy()
    assert row["mean"] == pytest.approx(values.mean())
    assert row["ci95"] == pytest.approx(4.302653 * values.std(ddof=1) / np.sqrt(3), rel=1e-5)
    effects = inline.main_effects
    grand = point_means.mean()
    at_one = effects[
        (effects.factor == "buffer") & (effects.level == 1) & (effects.kpi == "throughput_jph")
    ].iloc[0]
    points_at_one = [p.index for p in inline.points if p.values["buffer"] == 1]
    assert at_one["mean"] == pytest.approx(point_means[points_at_one].mean())
    assert at_one["effect"] == pytest.approx(point_means[points_at_one].mean() - grand)


def test_buffer_slots_make_every_gap_explicit(examples_dir: Path) -> None:
    slots = buffer_slots(load_scenario(examples_dir / "lines/l10.yaml"))[1]
    assert list(slots) == [f"l10:s{i}" for i in range(1, 10)]
    assert {s.minimum for s in slots.values()} == {0}
    two_shop = buffer_slots(load_scenario(examples_dir / "plants/two-shop.yaml"))[1]
    assert "body-store" in two_shop and not any(k.startswith("final:") for k in two_shop)


def test_buffer_allocation_reaches_the_target_with_fewer_places(examples_dir: Path) -> None:
    """On L10-det the exact answer is known: 3600/76 jobs/h needs no buffer at all
    (deterministic, station 5 the bottleneck, blocking never slows it), so the search
    must stop at zero places; with failures it must add places and reach the target."""
    det = allocate_buffers(
        load_scenario(examples_dir / "lines/l10-det.yaml"),
        tolerance=0.01,
        horizon_s=86400,
        warmup_s=3600,
        replications=2,
        executor="local",
        workers=1,
    )
    assert det.total == 0 and det.reached
    assert det.throughput_jph == pytest.approx(3600 / 76, rel=1e-3)
    failing = allocate_buffers(
        load_scenario(examples_dir / "lines/l10.yaml"),
        tolerance=0.05,
        horizon_s=7 * 86400,
        warmup_s=86400,
        replications=4,
        executor="local",
        workers=2,
    )
    assert failing.reached and 0 < failing.total < 9 * 5
    assert failing.throughput_jph >= failing.target_jph
    assert list(failing.history.total) == list(range(0, failing.total + 1))
