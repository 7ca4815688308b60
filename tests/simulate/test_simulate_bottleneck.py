"""The active-period sweep against a brute-force evaluation on a fine time grid."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from taktline.simulate.bottleneck import bottleneck_shares, sweep


def brute_force(per_st, per_a, per_b, n_st, grid):
    """At each grid midpoint: the station whose covering period is the longest."""
    momentary = np.zeros(n_st)
    mids = (grid[:-1] + grid[1:]) / 2
    dt = np.diff(grid)
    for x, d in zip(mids, dt, strict=True):
        covering = [
            (per_b[k] - per_a[k], per_st[k]) for k in range(len(per_st)) if per_a[k] <= x < per_b[k]
        ]
        if covering:
            momentary[max(covering)[1]] += d
    return momentary


@st.composite
def periods(draw):
    n_st = draw(st.integers(1, 4))
    rows = []
    for s in range(n_st):
        t = 0.0
        for _ in range(draw(st.integers(0, 6))):
            gap = draw(st.integers(0, 5))
            length = draw(st.integers(1, 9))
            rows.append((s, t + gap, t + gap + length))
            t += gap + length + draw(st.integers(1, 3))  # periods of a station never touch
    rows.sort(key=lambda r: r[2])  # recorded in order of their end, like the kernel
    return n_st, rows


@settings(max_examples=80, deadline=None)
@given(data=periods())
def test_sweep_matches_brute_force(data) -> None:
    n_st, rows = data
    per_st = np.array([r[0] for r in rows], dtype=np.int64)
    per_a = np.array([r[1] for r in rows], dtype=float)
    per_b = np.array([r[2] for r in rows], dtype=float)
    momentary, shifting = sweep(per_st, per_a, per_b, np.ones(n_st, dtype=np.bool_), n_st)
    # ties in duration may go either way: compare the total, and each station where the
    # longest covering period is unique at every moment
    grid = np.unique(np.concatenate([per_a, per_b, [0.0]])) if rows else np.zeros(1)
    expected = brute_force(per_st, per_a, per_b, n_st, grid)
    assert momentary.sum() == expected.sum()
    durations = per_b - per_a
    if len(set(durations.tolist())) == len(durations):
        np.testing.assert_allclose(momentary, expected)
    assert np.all(shifting >= 0)


def test_longest_period_wins() -> None:
    # station 0 active [0, 10); station 1 active [2, 5) and [6, 20)
    per_st = np.array([1, 0, 1])
    per_a = np.array([2.0, 0.0, 6.0])
    per_b = np.array([5.0, 10.0, 20.0])
    momentary, shifting = sweep(per_st, per_a, per_b, np.ones(2, dtype=np.bool_), 2)
    # [0, 6): station 0 (10 > 3); [6, 20): station 1 (14 > 10)
    np.testing.assert_allclose(momentary, [6.0, 14.0])
    # the two overlap on [6, 10): a shifting bottleneck for both
    np.testing.assert_allclose(shifting, [4.0, 4.0])


@settings(max_examples=60, deadline=None)
@given(data=periods())
def test_sweep_in_station_order(data) -> None:
    # periods recorded station by station (not in order of their end) take the general
    # sweep: it must agree with the brute force too
    n_st, rows = data
    rows = sorted(rows, key=lambda r: (-r[0], r[2]))
    per_st = np.array([r[0] for r in rows], dtype=np.int64)
    per_a = np.array([r[1] for r in rows], dtype=float)
    per_b = np.array([r[2] for r in rows], dtype=float)
    momentary, shifting = sweep(per_st, per_a, per_b, np.ones(n_st, dtype=np.bool_), n_st)
    grid = np.unique(np.concatenate([per_a, per_b, [0.0]])) if rows else np.zeros(1)
    expected = brute_force(per_st, per_a, per_b, n_st, grid)
    assert momentary.sum() == expected.sum()
    durations = per_b - per_a
    if len(set(durations.tolist())) == len(durations):
        np.testing.assert_allclose(momentary, expected)
    assert np.all(shifting >= 0)


def test_sweep_with_excluded_stations() -> None:
    # a non-candidate station (a repair loop) never counts, whatever its periods
    per_st = np.array([1, 0, 1])
    per_a = np.array([2.0, 0.0, 6.0])
    per_b = np.array([5.0, 10.0, 20.0])
    momentary, _ = sweep(per_st, per_a, per_b, np.array([True, False]), 2)
    np.testing.assert_allclose(momentary, [10.0, 0.0])  # station 1 is excluded


@settings(max_examples=80, deadline=None)
@given(data=periods(), orphans=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 60))))
def test_sweep_with_start_log_matches_brute_force(data, orphans) -> None:
    # the event kernel's form: periods in order of their end plus a log of their starts in
    # time order, with stray starts of periods never recorded (zero length) mixed in
    n_st, rows = data
    per_st = np.array([r[0] for r in rows], dtype=np.int64)
    per_a = np.array([r[1] for r in rows], dtype=float)
    per_b = np.array([r[2] for r in rows], dtype=float)
    starts = [(r[1], r[0], k) for k, r in enumerate(rows)]
    taken = {(r[0], r[1]) for r in rows}
    starts += [(float(x), s, -1) for s, x in orphans if s < n_st and (s, float(x)) not in taken]
    starts.sort(key=lambda x: x[0])
    pst_rec = np.array([k for _, _, k in starts], dtype=np.int32)
    momentary, shifting = bottleneck_shares(
        per_st, per_a, per_b, np.ones(n_st, dtype=bool), 1.0, pst_rec
    )
    grid = np.unique(np.concatenate([per_a, per_b, [0.0]])) if rows else np.zeros(1)
    expected = brute_force(per_st, per_a, per_b, n_st, grid)
    assert momentary.sum() == expected.sum()
    durations = per_b - per_a
    if len(set(durations.tolist())) == len(durations):
        np.testing.assert_allclose(momentary, expected)
        # shifting time at simultaneous starts depends on the order the sweep takes them
        # in (a shorter period first makes a shift of zero duration), so the two sweeps
        # are compared only where no two periods start together
        if len(set(per_a.tolist())) == len(per_a):
            _, ref = sweep(per_st, per_a, per_b, np.ones(n_st, dtype=np.bool_), n_st)
            np.testing.assert_allclose(shifting, ref)
    assert np.all(shifting >= 0)


def test_a_period_ending_with_the_bottleneck_s_does_not_take_over() -> None:
    # A (0-10) is the bottleneck; B (1-10) ends with it and is not active after it; C
    # (4-12) is: the bottleneck shifts from A to C, overlapping on [4, 10]; B never shifts,
    # whichever of the two ends at 10 is taken first
    everyone = np.ones(3, dtype=np.bool_)
    for first in (0, 1):
        per_st = np.array([first, 1 - first, 2], dtype=np.int64)  # records in end order
        per_a = np.array([[0.0, 1.0][first], [0.0, 1.0][1 - first], 4.0])
        per_b = np.array([10.0, 10.0, 12.0])
        rec_of = {int(s): k for k, s in enumerate(per_st)}
        log = np.array([rec_of[0], rec_of[1], 2], dtype=np.int32)  # starts of A, B, C
        for pst in (log, None):
            momentary, shifting = bottleneck_shares(per_st, per_a, per_b, everyone, 1.0, pst)
            np.testing.assert_allclose(momentary, [10.0, 0.0, 2.0])
            np.testing.assert_allclose(shifting, [6.0, 0.0, 6.0])
        order = np.array([2, 0, 1])  # not in order of their end: the general sweep
        momentary, shifting = sweep(per_st[order], per_a[order], per_b[order], everyone, 3)
        np.testing.assert_allclose(momentary, [10.0, 0.0, 2.0])
        np.testing.assert_allclose(shifting, [6.0, 0.0, 6.0])
