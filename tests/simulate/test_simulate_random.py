"""The kernel's uniform draws, and which flows draw a model and options at all."""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit
from scipy import stats

from taktline.model import load_scenario, scenario_from_data
from taktline.simulate.build import networks_from_scenario
from taktline.simulate.kernel import rng_state, uniform


@njit(cache=True)
def draws(seed: int, n: int) -> np.ndarray:
    rng = rng_state(seed)
    out = np.empty(n)
    for k in range(n):
        out[k] = uniform(rng)
    return out


def test_uniform_draws_are_uniform_on_the_unit_interval() -> None:
    u = draws(12345, 200_000)
    assert u.min() >= 0.0 and u.max() < 1.0
    # chi-square over 100 bins and the lag-1 correlation, at a 1e-4 level
    counts = np.bincount((u * 100).astype(int), minlength=100)
    assert stats.chisquare(counts).pvalue > 1e-4
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 4.0 / np.sqrt(len(u))


def test_a_seed_gives_one_stream_and_other_seeds_others() -> None:
    assert np.array_equal(draws(7, 1000), draws(7, 1000))
    firsts = [tuple(draws(seed, 4)) for seed in range(1000)]
    assert len(set(firsts)) == 1000
    # neighbouring seeds are not shifted copies of one stream
    a, b = draws(7, 5000), draws(8, 5000)
    assert not np.intersect1d(a, b).size


def feeder_plant(part_time: dict | None) -> dict:
    part = {"id": "cast", "cycle_time_s": 50}
    if part_time is not None:
        part["cycle_time_by_model_s"] = part_time
    return {
        "name": "feeder",
        "products": {
            "models": [{"id": "a", "mix_share": 0.5}, {"id": "b", "mix_share": 0.5}],
            "options": [{"id": "tow", "take_rate": 0.5, "station": "fit"}],
        },
        "plants": [
            {
                "id": "p",
                "shops": [
                    {
                        "id": "casting",
                        "feeds_station": "fit",
                        "lines": [{"id": "c", "stations": [part]}],
                    },
                    {
                        "id": "assembly",
                        "lines": [
                            {
                                "id": "ga",
                                "stations": [
                                    {"id": "fit", "cycle_time_s": 60, "option_time_s": {"tow": 10}}
                                ],
                            }
                        ],
                    },
                ],
            }
        ],
    }


@pytest.mark.parametrize(("part_time", "expected"), [(None, [1, 0]), ({"b": 70}, [1, 1])])
def test_a_feeder_draws_kinds_only_if_its_stations_depend_on_them(part_time, expected) -> None:
    _, net = networks_from_scenario(scenario_from_data(feeder_plant(part_time)))[0]
    draw = dict(zip(net.source_names, net.sources_drawing_kinds, strict=True))
    main = net.source_names[0]
    assert [draw[main], draw["casting"]] == expected


def test_on_the_default_plant_only_the_cars_draw_kinds() -> None:
    for _, net in networks_from_scenario(load_scenario(None)):
        draw = net.sources_drawing_kinds
        assert draw[0] == 1 and not draw[1:].any(), net.source_names
