"""Experiment files, factor paths and designs (no simulation needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from taktline.errors import InputError
from taktline.experiment.design import design_points
from taktline.experiment.factors import apply, base_values, scenario_dict
from taktline.experiment.loader import load_experiment
from taktline.experiment.spec import ExperimentSpec, parse_duration
from taktline.model import default_scenario, load_scenario


@pytest.mark.parametrize(
    ("text", "seconds"), [("30d", 30 * 86400), ("8h", 28800), ("90m", 5400), ("45s", 45), (12, 12)]
)
def test_durations(text: str | int, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_bad_duration() -> None:
    with pytest.raises(ValueError, match="expected a duration"):
        parse_duration("a week")


def _spec(**overrides: object) -> ExperimentSpec:
    data: dict[str, object] = {
        "name": "t",
        "factors": [
            {"path": "plants.*.buffers.pbs.capacity", "levels": [100, 200, 300]},
            {
                "path": "plants.phase1.shops.paint.lines.paint.stations.pa-seal.failure.mttr_s",
                "scale": [0.8, 1.0],
            },
        ],
    }
    data.update(overrides)
    return ExperimentSpec.model_validate(data)


def test_full_factorial_crosses_every_level() -> None:
    points = design_points(_spec())
    assert len(points) == 6
    assert [p.values["pbs.capacity"] for p in points] == [100, 100, 200, 200, 300, 300]
    assert points[1].scales == {
        "plants.phase1.shops.paint.lines.paint.stations.pa-seal.failure.mttr_s": 1.0
    }


def test_latin_hypercube_is_stratified_and_seeded() -> None:
    spec = _spec(
        design={"kind": "latin_hypercube", "points": 9, "seed": 3},
        factors=[
            {
                "path": "plants.*.shops.paint.lines.paint.stations.pa-seal.cycle_time_s",
                "range": [60, 69],
            },
            {"path": "plants.*.buffers.body-store.capacity", "levels": [10, 20, 30]},
        ],
    )
    points = design_points(spec)
    values = sorted(p.values["pa-seal.cycle_time_s"] for p in points)
    assert [int(v - 60) for v in values] == list(range(9))  # one value in each 1 s stratum
    levels = [p.values["body-store.capacity"] for p in points]
    assert sorted(levels) == [10, 10, 10, 20, 20, 20, 30, 30, 30]
    assert design_points(spec) == points  # same seed, same points


def test_apply_sets_and_scales_through_ids_and_wildcards() -> None:
    base = default_scenario()
    changed = apply(
        base,
        {"plants.*.buffers.pbs.capacity": 120},
        {"plants.phase1.shops.paint.lines.paint.stations.pa-seal.failure.mttr_s": 0.5},
    )
    assert [p.buffer_between("paint", "general-assembly").capacity for p in changed.plants] == [
        120,
        120,
    ]
    assert changed.plant("phase1").station("pa-seal").failure.mttr_s == 240
    assert changed.plant("phase2").station("pa-seal").failure.mttr_s == 480
    assert base.plant("phase1").buffer_between("paint", "general-assembly").capacity == 200
    assert base_values(scenario_dict(base), "plants.*.buffers.pbs.lanes") == [10, 10]


def test_a_value_that_breaks_the_scenario_is_a_located_input_error() -> None:
    with pytest.raises(InputError, match="capacity: must be >= 0"):
        apply(default_scenario(), {"plants.*.buffers.pbs.capacity": -1}, {})


EXPERIMENT = """\
name: sweep
scenario: ../examples/plants/two-shop.yaml
horizon: 2d
warmup: 4h
replications: 3
factors:
  - path: plants.plant.buffers.body-store.capacity
    levels: [5, 20]
  - path: plants.plant.shops.body.lines.body.stations.b-2.failure.mttr_s
    scale: [0.5, 1.0]
"""


def test_load_experiment_resolves_the_scenario_next_to_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "exp"
    folder.mkdir()
    (tmp_path / "examples" / "plants").mkdir(parents=True)
    source = Path(__file__).resolve().parents[2] / "examples/plants/two-shop.yaml"
    (tmp_path / "examples/plants/two-shop.yaml").write_text(source.read_text())
    (folder / "sweep.yaml").write_text(EXPERIMENT)
    experiment = load_experiment(folder / "sweep.yaml")
    assert experiment.spec.horizon_s == 2 * 86400 and experiment.spec.warmup_s == 4 * 3600
    assert experiment.scenario.name == "two-shop"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("body-store.capacity", "bodystore.capacity"),
            "sweep.yaml:7: factors[0].path: plants.plant.buffers.bodystore: no item with id",
        ),
        (
            ("b-2.failure.mttr_s", "b-2.failure"),
            "sweep.yaml:9: factors[1].path: plants.plant.shops.body.lines.body.stations.b-2."
            "failure: is a group of fields",
        ),
        (("replications: 3", "replications: 0"), "sweep.yaml:5: replications: must be >= 1"),
        (("horizon: 2d", "horizon: soon"), "sweep.yaml:1: expected a duration"),
        (
            ("    levels: [5, 20]", "    range: [5, 20]"),
            "sweep.yaml:1: factor 'plants.plant.buffers.body-store.capacity' has a range",
        ),
    ],
)
def test_broken_experiment_files(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    source = Path(__file__).resolve().parents[2] / "examples/plants/two-shop.yaml"
    text = EXPERIMENT.replace("../examples/plants/two-shop.yaml", str(source))
    path = tmp_path / "sweep.yaml"
    path.write_text(text.replace(*change))
    with pytest.raises(InputError) as caught:
        load_experiment(path)
    short = [str(p).replace(str(tmp_path) + "/", "") for p in caught.value.problems]
    assert any(line.startswith(expected) for line in short), short


def test_example_scenarios_accept_their_paths() -> None:
    scenario = load_scenario(None)
    assert base_values(scenario_dict(scenario), "plants.phase2.start_of_production") == [
        "2025-07-01"
    ]
