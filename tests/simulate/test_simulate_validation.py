"""Validation against closed forms and exact Markov chains (docs: shared validation.md).

Every expected value here is computed from a formula or solved in the test; none comes
from an earlier run of the engine. Both schemes are checked where they apply: the
departure-time recursion ("serial") and the event kernel ("event").
"""

from __future__ import annotations

import numpy as np
import pytest
from simulate_helpers import assert_in_ci, check_little, replicate

from taktline.simulate.network import serial_line

L10_CT = [60, 60, 60, 60, 76, 60, 60, 60, 60, 60]
DAY = 86400.0


# -- (e) L10-det: exact ------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["serial", "event"])
def test_l10_det_throughput_wip_lead_time_exact(method: str) -> None:
    net = serial_line(L10_CT, 5)
    horizon, warmup = 20 * DAY, DAY
    k = replicate(net, horizon, warmup, 1, method=method)
    window_h = (horizon - warmup) / 3600
    # at most one departure more or less than the fluid count in a finite window
    assert abs(k["throughput_jph"][0] - 3600 / 76) <= 1.0 / window_h
    assert k["lead_time_s"][0] == pytest.approx(2200.0, abs=1e-6)
    assert k["lead_time_p95_s"][0] == pytest.approx(2200.0, abs=1e-6)
    assert k["wip"][0] == pytest.approx(550 / 19, abs=2e-3)
    st = k["_stations"][0]
    # stations 1-4 blocked, 6-10 starved, 5 always working (validation.md (e))
    np.testing.assert_allclose(st["working"][4], 1.0, atol=1e-9)
    np.testing.assert_allclose(st["blocked"][:4], 16 / 76, atol=1e-3)
    np.testing.assert_allclose(st["starved"][5:], 16 / 76, atol=1e-3)
    assert int(np.argmax(st["bottleneck_share"])) == 4
    check_little(k, rel=1e-3)


def test_deterministic_line_lead_time_closed_form() -> None:
    """An unblocked deterministic line: lead time = sum of cycle times, TH = 1/max."""
    cts = [30.0, 45.0, 50.0, 20.0]
    net = serial_line(cts, 3)
    k = replicate(net, 5 * DAY, 0.5 * DAY, 1)
    # the bottleneck (50 s) is third: jobs queue in front of it, so lead time grows to the
    # point where its buffer and the upstream ones are full: exact value from the recursion
    # of a saturated line: (stations 1-2 blocked, buffers 1-2 full, station 4 starved)
    wip = 2 + 3 + 3 + 1 + 20 / 50  # s1, s2 (held), b1, b2 full, s3 busy, s4 busy 20/50
    assert k["throughput_jph"][0] == pytest.approx(3600 / 50, abs=0.02)
    assert k["wip"][0] == pytest.approx(wip, abs=2e-3)
    assert k["lead_time_s"][0] == pytest.approx(wip * 50, abs=1e-6)


# -- (b) single unreliable machine ------------------------------------------------------
@pytest.mark.parametrize(
    ("p", "mttf", "mttr", "exact"),
    [(76, 3600, 300, 43.7247), (60, 3600, 300, 55.3846), (76, 600, 120, 39.4737)],
)
@pytest.mark.parametrize("method", ["serial", "event"])
def test_single_unreliable_machine(
    p: float, mttf: float, mttr: float, exact: float, method: str
) -> None:
    net = serial_line([p], [], mtbf=mttf, mttr=mttr)
    k = replicate(net, 30 * DAY, DAY, 12, method=method)
    assert exact == pytest.approx(3600 / (p * (1 + mttr / mttf)), abs=1e-4)
    assert_in_ci(k["throughput_jph"], exact, "TH")
    failed = np.array([s["failed"][0] for s in k["_stations"]])
    assert_in_ci(failed, mttr / (mttf + mttr), "unavailability")
    check_little(k)


def test_single_machine_time_dependent_failures() -> None:
    """Never starved or blocked: time-dependent failures give the same availability."""
    net = serial_line([76], [], mtbf=3600, mttr=300, failure="time")
    k = replicate(net, 30 * DAY, DAY, 12)
    assert_in_ci(k["throughput_jph"], 43.7247, "TH")


@pytest.mark.parametrize(("ttf", "shape"), [("weibull", 1.5), ("lognormal", 0.5)])
def test_single_machine_other_failure_distributions(ttf: str, shape: float) -> None:
    """The availability A = MTTF/(MTTF+MTTR) holds for any shape (renewal-reward)."""
    net = serial_line(
        [76],
        [],
        mtbf=3600,
        mttr=300,
        ttf_dist=ttf,
        ttf_shape=shape,
        ttr_dist="lognormal",
        ttr_shape=0.8,
    )
    k = replicate(net, 40 * DAY, DAY, 12)
    assert_in_ci(k["throughput_jph"], 3600 / (76 * (1 + 300 / 3600)), "TH")


# -- (a) two stations, exponential processing, finite buffer ---------------------------------
def two_station_exact(m1: float, m2: float, buffer: int) -> tuple[float, float]:
    """Birth-death chain of validation.md (a): (TH per hour, WIP)."""
    mu1, mu2 = 1 / m1, 1 / m2
    big_k = buffer + 2
    rho = mu1 / mu2
    n = np.arange(big_k + 1)
    p = rho**n
    p /= p.sum()
    th = mu2 * (1 - p[0]) * 3600
    wip = float(np.sum(p[:-1] * (n[:-1] + 1)) + p[-1] * big_k)
    return th, wip


@pytest.mark.parametrize(
    ("m1", "m2", "b", "th_doc"), [(60, 60, 5, 52.5), (60, 76, 5, 45.1235), (60, 60, 1, 45.0)]
)
@pytest.mark.parametrize("method", ["serial", "event"])
def test_two_exponential_stations_finite_buffer(
    m1: float, m2: float, b: int, th_doc: float, method: str
) -> None:
    th, wip = two_station_exact(m1, m2, b)
    assert th == pytest.approx(th_doc, abs=1e-4)
    net = serial_line([m1, m2], b, processing="exponential")
    k = replicate(net, 20 * DAY, DAY, 12, method=method)
    assert_in_ci(k["throughput_jph"], th, "TH")
    assert_in_ci(k["wip"], wip, "WIP")
    assert_in_ci(k["lead_time_s"], wip / th * 3600, "LT")
    check_little(k)


# -- (c) two unreliable machines with a finite buffer (Gershwin-Berman CTMC) ----------------
def two_unreliable_exact(mu: float, mttf: float, mttr: float, buffer: int) -> tuple[float, float]:
    """Solve the CTMC on (n, alpha1, alpha2) with numpy: (TH per hour, WIP)."""
    big_k = buffer + 2
    p, r = 1 / mttf, 1 / mttr
    states = [(n, a1, a2) for n in range(big_k + 1) for a1 in (0, 1) for a2 in (0, 1)]
    index = {s: i for i, s in enumerate(states)}
    q = np.zeros((len(states), len(states)))
    for (n, a1, a2), i in index.items():

        def add(target: tuple[int, int, int], rate: float, i: int = i) -> None:
            q[i, index[target]] += rate

        m1_works = a1 == 1 and n < big_k
        m2_works = a2 == 1 and n >= 1
        if m1_works:
            add((n + 1, a1, a2), mu)
            add((n, 0, a2), p)  # operation-dependent: fails only while working
        if a1 == 0:
            add((n, 1, a2), r)
        if m2_works:
            add((n - 1, a1, a2), mu)
            add((n, a1, 0), p)
        if a2 == 0:
            add((n, a1, 1), r)
    np.fill_diagonal(q, -q.sum(axis=1))
    a = np.vstack([q.T, np.ones(len(states))])
    rhs = np.zeros(len(states) + 1)
    rhs[-1] = 1
    pi = np.linalg.lstsq(a, rhs, rcond=None)[0]
    th = sum(pi[i] * mu for (n, _a1, a2), i in index.items() if a2 == 1 and n >= 1) * 3600
    wip = sum(pi[i] * (n + 1 if n < big_k else n) for (n, _a1, _a2), i in index.items())
    return th, wip


@pytest.mark.parametrize(
    ("b", "th_doc", "wip_doc"), [(1, 40.3411, 2.2284), (5, 46.8076, 4.3451), (20, 51.7994, 11.9353)]
)
@pytest.mark.parametrize("method", ["serial", "event"])
def test_two_unreliable_machines(b: int, th_doc: float, wip_doc: float, method: str) -> None:
    th, wip = two_unreliable_exact(1 / 60, 3600, 300, b)
    assert th == pytest.approx(th_doc, abs=1e-3)
    assert wip == pytest.approx(wip_doc, abs=1e-3)
    net = serial_line([60, 60], b, processing="exponential", mtbf=3600, mttr=300)
    k = replicate(net, 40 * DAY, 2 * DAY, 12, method=method)
    assert_in_ci(k["throughput_jph"], th, "TH")
    assert_in_ci(k["wip"], wip, "WIP")
    check_little(k)


def test_zero_buffer_deterministic_transfer_line() -> None:
    """Buzacott (1967), zero buffer, equal deterministic cycles: TH = (1/τ)/(1 + Σ p_i/r_i).

    The formula assumes failures can strike a stopped machine's neighbour's cycle in
    lock-step: it holds for a two-machine line with small failure probabilities per cycle,
    so the tolerance is the formula's own approximation plus the CI.
    """
    tau, mttf, mttr = 60.0, 3600.0, 300.0
    net = serial_line([tau, tau], 0, mtbf=mttf, mttr=mttr, ttf_dist="exponential")
    k = replicate(net, 40 * DAY, DAY, 10, method="event")
    exact = 3600 / tau / (1 + 2 * mttr / mttf)
    mean = k["throughput_jph"].mean()
    assert mean == pytest.approx(exact, rel=0.02)


# -- the paced line and the calendar -------------------------------------------------------
def test_paced_line_moves_every_takt() -> None:
    net = serial_line([50, 60, 55, 58], paced_takt=65)
    k = replicate(net, 5 * DAY, 0.5 * DAY, 1, method="event")
    assert k["throughput_jph"][0] == pytest.approx(3600 / 65, abs=0.02)
    assert k["lead_time_s"][0] == pytest.approx(4 * 65, abs=1e-6)
    check_little(k, rel=1e-3)


def test_paced_line_waits_for_the_slowest_station() -> None:
    """A station needing more than the takt holds the conveyor: pitch = its time."""
    net = serial_line([50, 80, 55], paced_takt=65)
    k = replicate(net, 5 * DAY, 0.5 * DAY, 1, method="event")
    assert k["throughput_jph"][0] == pytest.approx(3600 / 80, abs=0.02)


def test_paced_line_with_failures_single_unreliable_station() -> None:
    """One unreliable station on a conveyor: every stop stops the line, so the line runs
    at pitch/(availability) exactly like a single machine whose cycle is the takt."""
    net = serial_line([76, 76], paced_takt=76, mtbf=[3600, np.inf], mttr=[300, 300])
    k = replicate(net, 30 * DAY, DAY, 12, method="event")
    assert_in_ci(k["throughput_jph"], 43.7247, "TH")
