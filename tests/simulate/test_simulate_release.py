"""A release order that fixes each car's options: the option work arrives as released.

Closed forms on deterministic lines: one station alone runs at 3600 / mean cycle
time; a paced line's conveyor waits for its slowest car at every move.
"""

from __future__ import annotations

import pytest

from taktline.errors import InputError
from taktline.model import scenario_from_data
from taktline.simulate import simulate
from taktline.simulate.build import networks_from_scenario


def line(paced: bool) -> dict:
    stations = [
        {"id": "a", "cycle_time_s": 50},
        {"id": "b", "cycle_time_s": 60, "option_time_s": {"tow": 40}},
    ]
    ga = {"id": "ga", "stations": stations, "default_buffer_capacity": 2}
    if paced:
        ga |= {"paced": True, "takt_s": 60}
    return {
        "name": "release",
        "products": {
            "models": [{"id": "car", "mix_share": 1.0}],
            "options": [{"id": "tow", "take_rate": 0.5, "station": "b"}],
        },
        "plants": [{"id": "p", "shops": [{"id": "s", "lines": [ga]}]}],
    }


def jph(paced: bool, release: list, method: str = "auto") -> float:
    result = simulate(
        scenario_from_data(line(paced)),
        horizon="2d",
        replications=1,
        seed=1,
        warmup="2h",
        workers=1,
        method=method,
        release_sequence=release,
    )
    return result.kpi("throughput_jph")[0]


@pytest.mark.parametrize("method", ["auto", "event"])
def test_unpaced_station_runs_at_the_mean_of_the_released_work(method: str) -> None:
    # b takes 100 s with the towing kit, 60 s without: alternating, 80 s a car
    alternating = [("car", ["tow"]), ("car", [])]
    assert jph(False, alternating, method) == pytest.approx(3600 / 80, rel=2e-3)
    assert jph(False, [("car", ["tow"])], method) == pytest.approx(3600 / 100, rel=2e-3)
    assert jph(False, [("car", [])], method) == pytest.approx(3600 / 60, rel=2e-3)


def test_paced_line_waits_for_its_slowest_car() -> None:
    # every move of the 60 s conveyor waits for b: 100 s with the option, 60 s without;
    # half the cars with the option, however they are spread, cost the same here
    spread = [("car", ["tow"]), ("car", [])]
    assert jph(True, spread) == pytest.approx(3600 / 80, rel=2e-3)


def test_options_are_given_for_all_cars_or_none() -> None:
    sc = scenario_from_data(line(False))
    ((_, net),) = networks_from_scenario(sc, release_sequence=[("car", ["tow"]), ("car", ())])
    assert list(net.release_options) == [1, 0]
    ((_, net),) = networks_from_scenario(sc, release_sequence=["car"])
    assert net.release_options is None
    with pytest.raises(InputError, match="for every car"):
        networks_from_scenario(sc, release_sequence=["car", ("car", ["tow"])])
    with pytest.raises(InputError, match="unknown options"):
        networks_from_scenario(sc, release_sequence=[("car", ["sunroof"])])
