"""The resequencing store (painted-body store with lanes) restores the release order."""

from __future__ import annotations

import numpy as np

from taktline.simulate.kernel import BUFFER, JOB, _grow_store, _pop, _push, _ring_start


def run_store(sequence: list[int], lanes: int, capacity: int) -> list[int]:
    """Push jobs whose release numbers are ``sequence`` into one buffer, then empty it."""
    n = len(sequence)
    # room for every job in any one lane: the kernel grows its store before a ring fills,
    # this harness pushes without growing; a power of two, as the kernel's (FIFO rings
    # wrap by a mask)
    width = 64
    while width < 2 * n * max(lanes, 1):
        width *= 2
    store = np.full((1, width), -1, dtype=np.int64)
    bf = np.zeros(1, dtype=BUFFER)
    bf["cap"] = capacity
    bf["lanes"] = lanes
    bf["depth"] = (capacity + max(lanes, 1) - 1) // max(lanes, 1)
    bf["ring"] = width // max(lanes, 1)  # each lane's ring in the row, as the kernel sets it
    lane_head = np.zeros((1, max(lanes, 1)), dtype=np.int64)
    lane_count = np.zeros((1, max(lanes, 1)), dtype=np.int64)
    jobs = np.zeros(n, dtype=JOB)
    jobs["seq"] = sequence  # job j was released as number sequence[j]
    for job in range(n):
        _push(0, job, store, bf, lane_head, lane_count, jobs)
    out = []
    while bf[0]["count"] > 0:
        out.append(int(jobs["seq"][_pop(0, store, bf, lane_head, lane_count, jobs)]))
    return out


def test_lanes_put_a_shuffled_sequence_back_in_order() -> None:
    shuffled = [0, 2, 1, 4, 3, 5, 7, 6]
    assert run_store(shuffled, lanes=3, capacity=30) == sorted(shuffled)


def test_fifo_keeps_the_arrival_order() -> None:
    shuffled = [0, 2, 1, 4, 3, 5]
    assert run_store(shuffled, lanes=0, capacity=30) == shuffled


def test_more_lanes_leave_fewer_jobs_out_of_order() -> None:
    rng = np.random.default_rng(3)
    # a sequence disturbed the way repairs disturb it: some jobs come back late
    seq = np.arange(200)
    late = rng.choice(200, size=30, replace=False)
    order = sorted(range(200), key=lambda j: j + (rng.integers(5, 40) if j in late else 0))
    arrivals = [int(seq[j]) for j in order]

    def inversions(xs: list[int]) -> int:
        return sum(1 for i in range(len(xs) - 1) if xs[i] > xs[i + 1])

    fifo = inversions(run_store(arrivals, lanes=0, capacity=400))
    two = inversions(run_store(arrivals, lanes=2, capacity=400))
    ten = inversions(run_store(arrivals, lanes=10, capacity=400))
    assert fifo > two >= ten
    assert ten <= fifo / 2


def test_growing_the_store_keeps_every_ring_in_order() -> None:
    # two FIFO buffers whose rings start a cache line apart (the second one's jobs wrap
    # past the end of its row) and a store with two lanes; then the width doubles
    width, n_buf = 16, 3
    store = np.full((n_buf, width), -1, dtype=np.int64)
    bf = np.zeros(n_buf, dtype=BUFFER)
    bf["head"] = [_ring_start(b, width) for b in range(n_buf)]
    assert list(bf["head"]) == [0, 8, 0]
    bf["lanes"] = [0, 0, 2]
    bf["cap"] = bf["depth"] = 100
    bf["ring"] = [width, width, width // 2]
    lane_head = np.zeros((n_buf, 2), dtype=np.int64)
    lane_count = np.zeros((n_buf, 2), dtype=np.int64)
    jobs = np.zeros(64, dtype=JOB)
    jobs["seq"] = np.arange(64)
    pushed: dict[int, list[int]] = {0: [0, 1, 2], 1: list(range(3, 13)), 2: [13, 15, 14, 16]}
    for b, ids in pushed.items():
        for job in ids:
            _push(b, job, store, bf, lane_head, lane_count, jobs)
    assert store[1, 0] == 11  # wrapped
    grown = _grow_store(store, bf, lane_head, lane_count)
    assert grown.shape == (n_buf, 2 * width)
    assert list(bf["head"][:2]) == [_ring_start(0, 2 * width), _ring_start(1, 2 * width)]
    assert list(bf["ring"]) == [2 * width, 2 * width, width]
    for b, ids in pushed.items():
        out = []
        while bf[b]["count"] > 0:
            out.append(int(_pop(b, grown, bf, lane_head, lane_count, jobs)))
        assert out == (sorted(ids) if bf[b]["lanes"] else ids)
