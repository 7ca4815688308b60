"""The kernel's ring of ends of processing: time order kept, long passes refused."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from taktline.simulate.kernel import RING_PASS, _ring_insert


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("insert"), st.floats(0.0, 100.0)),
            st.tuples(st.just("pop"), st.just(0.0)),
        ),
        max_size=120,
    ),
    st.integers(0, 15),
)
def test_the_ring_pops_ends_in_time_order_and_refuses_long_passes(ops, start) -> None:
    size = 32
    ring_t = np.full(size, np.nan)
    ring_srv = np.full(size, -1, dtype=np.int64)
    head, n = start, 0  # any head: the ring wraps around
    model: list[tuple[float, int]] = []  # (time, server), the ring's content in order
    for k, (op, value) in enumerate(ops):
        if op == "insert" and n < size - 1:
            later = sum(1 for t, _ in model if t > value)
            got = _ring_insert(ring_t, ring_srv, head, n, value, k)
            if later > RING_PASS:
                assert got == -1  # nothing written: the caller uses the heap
            else:
                assert got == n + 1
                n = got
                # after the last end not later than it: equal times keep their order
                at = len(model) - later
                model.insert(at, (value, k))
        elif op == "pop" and n > 0:
            assert (ring_t[head], ring_srv[head]) == model.pop(0)
            head = (head + 1) % size
            n -= 1
        content = [(ring_t[(head + q) % size], ring_srv[(head + q) % size]) for q in range(n)]
        assert content == model
        assert [t for t, _ in content] == sorted(t for t, _ in content)


def test_an_end_that_would_pass_more_than_ring_pass_later_ends_goes_to_the_heap() -> None:
    ring_t = np.empty(64)
    ring_srv = np.empty(64, dtype=np.int64)
    n = 0
    for k in range(RING_PASS):
        n = _ring_insert(ring_t, ring_srv, 60, n, 50.0 + k, k)
    assert n == RING_PASS
    # passes exactly RING_PASS later ends: still taken, at the front (the ring wraps at 64)
    assert _ring_insert(ring_t, ring_srv, 60, n, 1.0, 99) == RING_PASS + 1
    assert ring_t[60] == 1.0 and ring_srv[60] == 99
    assert ring_t[(60 + RING_PASS) % 64] == 50.0 + RING_PASS - 1
    # one later end more: refused, the ring unchanged
    before = ring_t.copy()
    assert _ring_insert(ring_t, ring_srv, 60, RING_PASS + 1, 0.5, 100) == -1
    assert np.array_equal(ring_t[:4], before[:4]) and ring_t[60] == 1.0
