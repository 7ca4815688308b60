"""Properties that hold on every run (hypothesis): conservation, buffer bounds, shares."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taktline.simulate.engine import run_network, timing
from taktline.simulate.kpis import RAW_FIELDS, replication_kpis
from taktline.simulate.network import NSRV, UNLIMITED, serial_line


@st.composite
def lines(draw):
    n = draw(st.integers(1, 5))
    cts = draw(st.lists(st.floats(5, 120), min_size=n, max_size=n))
    caps = draw(st.lists(st.integers(0, 6), min_size=max(n - 1, 0), max_size=max(n - 1, 0)))
    servers = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    processing = draw(st.sampled_from(["deterministic", "exponential", "lognormal", "weibull"]))
    failures = draw(st.booleans())
    dependency = draw(st.sampled_from(["operation", "time"]))
    fty = draw(st.lists(st.sampled_from([1.0, 1.0, 0.9, 0.7]), min_size=n, max_size=n))
    rejects = [
        (draw(st.integers(1, i)) if i >= 1 and draw(st.booleans()) else None)
        if fty[i] < 1
        else None
        for i in range(n)
    ]
    paced = n > 1 and draw(st.integers(0, 4)) == 0
    return serial_line(
        cts,
        caps,
        servers=servers,
        processing=processing,
        processing_shape=0.5,
        mtbf=1200 if failures else None,
        mttr=200,
        failure=dependency,
        first_time_yield=fty,
        reject_to=None if paced else rejects,
        repair_time=300,
        paced_takt=max(cts) if paced else None,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=lines(), seed=st.integers(0, 2**31), warm=st.sampled_from([0.0, 3600.0]))
def test_conservation_bounds_and_shares(net, seed, warm) -> None:
    tm = timing(None, 2 * 86400.0, warm)
    raw = run_network(net, tm, seed)
    k = replication_kpis(net, raw, tm.window)
    c = k["conservation"]
    # every job released is finished, scrapped, consumed or still inside
    assert c["released"] == c["finished"] + c["scrapped"] + c["consumed"] + c["wip_end"]
    r = dict(zip(RAW_FIELDS, raw, strict=True))
    # jobs inside at the end sit in buffers or on servers: never more than the places
    assert c["wip_end"] <= int(r["buf_end"].sum()) + int(net.st_int[:, NSRV].sum())
    finite = net.buf_cap < UNLIMITED
    assert np.all(r["buf_end"] >= 0)
    assert np.all(r["buf_max"][finite] <= net.buf_cap[finite])
    assert np.all(r["buf_end"][finite] <= net.buf_cap[finite])
    # the level distribution covers the whole window
    hist = k["buffers"]["histogram"]
    if net.n_buffers:
        np.testing.assert_allclose(hist.sum(axis=1), 1.0, atol=1e-9)
    s = k["stations"]
    total = s["working"] + s["blocked"] + s["starved"] + s["failed"] + s["off_shift"]
    np.testing.assert_allclose(total, 1.0, atol=1e-9)
    assert np.all(s["bottleneck_share"] <= 1 + 1e-9)
    assert np.all(s["bottleneck_share"] >= 0)


@settings(max_examples=25, deadline=None)
@given(net=lines(), seed=st.integers(0, 2**31))
def test_same_seed_same_result(net, seed) -> None:
    tm = timing(None, 86400.0, 0.0)
    a, b = run_network(net, tm, seed), run_network(net, tm, seed)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31), on=st.floats(2 * 3600, 20 * 3600), off=st.floats(600, 12 * 3600))
def test_calendar_freezes_the_plant(seed, on, off) -> None:
    """With shifts, the line does exactly what it does round the clock in working time."""
    net = serial_line([60, 70, 65], 3, processing="exponential", mtbf=3000, mttr=200)
    windows, t = [], 0.0
    while t < 5 * 86400:
        windows.append((t + off, t + off + on))
        t += off + on
    horizon = windows[-1][1]
    worked = sum(b - a for a, b in windows)
    shifted = timing(windows, horizon, 0.0)
    plain = timing(None, worked, 0.0)
    assert shifted.horizon_w == plain.horizon_w
    a = replication_kpis(net, run_network(net, shifted, seed), shifted.window)
    b = replication_kpis(net, run_network(net, plain, seed), plain.window)
    assert a["scalars"]["finished"] == b["scalars"]["finished"]
    assert a["scalars"]["throughput_jph"] == b["scalars"]["throughput_jph"]
    # lead times and WIP are in calendar time: the off-shift periods lengthen them
    assert a["scalars"]["lead_time_s"] >= b["scalars"]["lead_time_s"] - 1e-9
    np.testing.assert_allclose(a["stations"]["off_shift"], 1 - worked / horizon)
