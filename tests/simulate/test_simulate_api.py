"""The API over scenarios: builds, reproducibility, warm-up, tables, Little's law."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from taktline.errors import InputError
from taktline.model import load_scenario
from taktline.simulate import parse_duration, serial_line, simulate
from taktline.simulate.build import networks_from_scenario

DATA = Path(__file__).parent / "data"
SMALL = DATA / "small-plant.yaml"


@pytest.fixture(scope="module")
def small_result():
    # ends on a Friday at noon: a horizon ending in a weekend would leave the cars frozen in
    # the plant over it out of the lead times (a boundary term of Little's law)
    return simulate(
        load_scenario(SMALL), horizon="11.5d", replications=4, seed=3, warmup="1d", workers=1
    )


def test_parse_duration() -> None:
    assert parse_duration("30d") == 30 * 86400
    assert parse_duration("8h") == 8 * 3600
    assert parse_duration("90m") == parse_duration("90min") == 5400
    assert parse_duration(12.5) == 12.5
    assert parse_duration("1y") == 365 * 86400
    for bad in ("", "abc", "-3h", "3 parsecs", "h"):
        with pytest.raises(InputError):
            parse_duration(bad)


def test_result_tables_and_little(small_result) -> None:
    r = small_result
    assert set(r.kpis.kpi) >= {"throughput_jph", "wip", "lead_time_s", "takt_attainment"}
    per = r.replications[r.replications.plant == "plant"]
    # Little's law on every replication, in calendar time
    lhs = per.wip.to_numpy()
    rhs = per.throughput_cal_jph.to_numpy() / 3600 * per.lead_time_s.to_numpy()
    np.testing.assert_allclose(lhs, rhs, rtol=0.05)
    st = r.stations[~r.stations.repair_area]
    shares = st[["working", "blocked", "starved", "failed", "off_shift"]].sum(axis=1)
    np.testing.assert_allclose(shares, 1.0, atol=1e-9)
    assert (st.off_shift > 0.4).all()  # two 7.5 h shifts on weekdays only
    # jobs per shift = jobs per working hour x 7.5 working hours (up to the window's edges)
    per_shift, per_hour = r.kpi("throughput_per_shift", "plant")[0], r.kpi("throughput_jph")[0]
    assert per_shift == pytest.approx(per_hour * 7.5, rel=0.03)
    assert r.bottleneck["plant"]["station"] in set(st.station)
    assert r.kpi("scrapped", "plant")[0] > 0 and r.kpi("reworked", "plant")[0] > 0
    c = r.conservation
    assert (c.released == c.finished + c.scrapped + c.consumed + c.wip_end).all()
    doc = r.to_dict()
    for key in ("kpis", "bottleneck", "stations", "replications", "wall_s"):
        assert key in doc
    assert {"mean", "ci95"} <= set(doc["kpis"]["throughput_jph"])
    assert isinstance(r.buffers.distribution.iloc[0], np.ndarray)


def test_bit_identical_for_any_number_of_workers() -> None:
    sc = load_scenario(SMALL)
    one = simulate(sc, horizon="5d", replications=4, seed=11, warmup="8h", workers=1)
    two = simulate(sc, horizon="5d", replications=4, seed=11, warmup="8h", workers=2)
    pd.testing.assert_frame_equal(one.replications, two.replications)
    pd.testing.assert_frame_equal(one.stations, two.stations)
    other = simulate(sc, horizon="5d", replications=4, seed=12, warmup="8h", workers=1)
    assert not one.replications.equals(other.replications)


def test_warmup_auto_is_detected_and_reported() -> None:
    net = serial_line([60, 60, 76, 60], 20, processing="exponential")
    r = simulate(net, horizon="10d", replications=3, seed=2, warmup="auto", workers=1)
    assert r.warmup_method == "mser-5"
    assert 0 <= r.warmup_s < 5 * 86400
    r2 = simulate(net, horizon="10d", replications=3, seed=2, warmup="8h", workers=1)
    assert r2.warmup_s == 8 * 3600 and r2.warmup_method == "given"


def test_release_sequence_is_followed() -> None:
    sc = load_scenario(SMALL)
    nets = networks_from_scenario(sc, release_sequence=["suv", "sedan", "sedan"])
    net = nets[0][1]
    assert list(net.release_sequence) == [1, 0, 0]
    with pytest.raises(InputError):
        networks_from_scenario(sc, release_sequence=["truck"])


@pytest.mark.parametrize("name", ["l10.yaml", "l10-det.yaml"])
def test_examples_lines(name: str) -> None:
    root = Path(__file__).parents[2] / "examples" / "lines"
    r = simulate(
        load_scenario(root / name), horizon="5d", replications=2, seed=1, warmup="8h", workers=1
    )
    th = r.kpi("throughput_jph")[0]
    assert 38 < th <= 3600 / 76 + 0.1
    assert r.bottleneck["line"]["station"] == "s5"


def test_default_plant_builds_and_runs() -> None:
    sc = load_scenario(None)
    r = simulate(sc, horizon="3d", replications=2, seed=1, warmup="12h", workers=1)
    plants = [p.id for p in sc.plants]
    assert set(r.kpis.plant) == {*plants, "total"}
    total = r.kpi("throughput_jph")[0]
    assert total == pytest.approx(sum(r.kpi("throughput_jph", p)[0] for p in plants))
    for p in plants:
        assert 0 < r.kpi("throughput_jph", p)[0] <= 3600 / 76 + 1e-6  # GA conveyor takt


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"horizon": "soon"}, "horizon"),
        ({"horizon": 0}, "horizon"),
        ({"replications": 0}, "replications"),
        ({"seed": -1}, "seed"),
        ({"warmup": "30d", "horizon": "10d"}, "warmup"),
        ({"warmup": "later"}, "warmup"),
        ({"workers": 0}, "workers"),
        ({"method": "magic"}, "method"),
    ],
)
def test_bad_arguments_are_input_errors(kwargs: dict, field: str) -> None:
    net = serial_line([60, 60], 2)
    with pytest.raises(InputError) as info:
        simulate(net, **{"horizon": "1d", **kwargs})
    assert info.value.problems[0].field == field


def test_event_log_tells_each_job_s_story() -> None:
    net = serial_line([60, 76, 60], 2, mtbf=[np.inf, 600, np.inf], mttr=60)
    r = simulate(
        net, horizon="1d", replications=1, warmup="1h", workers=1, event_log=True, method="event"
    )
    log = r.event_log
    assert log is not None and len(log) > 0
    assert set(log.event) <= {"start", "end", "fail", "repair", "exit"}
    assert (log.time_s.diff().dropna() >= 0).all()  # in time order
    assert set(log[log.event == "fail"].station) == {"s2"}
    # each exit follows the job's end at the last station, at the same time
    ends = log[(log.event == "end") & (log.station == "s3")]
    exits = log[log.event == "exit"]
    assert len(exits) in (len(ends), len(ends) - 1)
    np.testing.assert_allclose(exits.time_s.to_numpy(), ends.time_s.to_numpy()[: len(exits)])
    # the log's own count of finished jobs after the warm-up matches the KPI
    finished = (exits.time_s > 3600).sum()
    assert finished == int(r.replications.finished.iloc[0])
