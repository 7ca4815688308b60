"""Broken scenario files: every problem is reported with file, line and field, never a traceback."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from taktline.errors import InputError
from taktline.model import load_scenario, scenario_from_yaml

GOOD = textwrap.dedent(
    """\
    name: tiny
    products:
      models:
        - id: car
          mix_share: 1
    plants:
      - id: p
        shops:
          - id: s
            lines:
              - id: l
                stations:
                  - id: a
                    cycle_time_s: 60
                  - id: b
                    cycle_time_s: 50
    """
)


def _problems(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        scenario_from_yaml(text, "plant.yaml")
    return [str(p) for p in caught.value.problems]


def test_good_file_loads() -> None:
    scenario = scenario_from_yaml(GOOD, "plant.yaml")
    assert scenario.plants[0].shops[0].lines[0].stations[1].cycle_time_s == 50


# (replace this, by that) in GOOD, and the one line we expect back.
BROKEN = {
    "negative cycle time": (
        "cycle_time_s: 50",
        "cycle_time_s: -5",
        "plant.yaml:16: plants[0].shops[0].lines[0].stations[1].cycle_time_s: must be > 0",
    ),
    "missing field": (
        "              - id: b\n                cycle_time_s: 50\n",
        "              - id: b\n",
        "plant.yaml:15: plants[0].shops[0].lines[0].stations[1].cycle_time_s: is required",
    ),
    "typo in a field name": (
        "cycle_time_s: 50",
        "cycle_tme_s: 50",
        "plant.yaml:16: plants[0].shops[0].lines[0].stations[1].cycle_tme_s: is not a known field",
    ),
    "text where a number belongs": (
        "cycle_time_s: 50",
        "cycle_time_s: fast",
        "plant.yaml:16: plants[0].shops[0].lines[0].stations[1].cycle_time_s: input should be "
        "a valid number, unable to parse string as a number",
    ),
    "key given twice": (
        "    cycle_time_s: 60\n",
        "    cycle_time_s: 60\n                cycle_time_s: 61\n",
        "plant.yaml:15: plants[0].shops[0].lines[0].stations[0]: key 'cycle_time_s' is given twice",
    ),
    "unclosed bracket": (
        "mix_share: 1",
        "mix_share: [1",
        "plant.yaml:6: YAML syntax error:",
    ),
    "bad indentation": (
        "  - id: b\n",
        "  - id: b\n                   oops: [\n",
        "plant.yaml:",
    ),
    "duplicate station id": (
        "- id: b",
        "- id: a",
        "plant.yaml:7: plants[0].stations: station 'a' is used twice",
    ),
    "paced line without takt": (
        "          - id: l\n",
        "          - id: l\n            paced: true\n",
        "plant.yaml:11: plants[0].shops[0].lines[0]: a paced line needs takt_s",
    ),
    "unknown model in a per-model time": (
        "cycle_time_s: 50",
        "cycle_time_s: 50\n                cycle_time_by_model_s: {van: 70}",
        "plant.yaml:17: plants[0].shops[0].lines[0].stations[1].cycle_time_by_model_s.van: "
        "unknown model 'van'",
    ),
    "unknown rejoin station": (
        "cycle_time_s: 50",
        "cycle_time_s: 50\n                quality: {first_time_yield: 0.9, rejoin_station: zz}",
        "plant.yaml:17: plants[0].shops[0].lines[0].stations[1].quality.rejoin_station: "
        "unknown station 'zz'",
    ),
    "yield above one": (
        "cycle_time_s: 50",
        "cycle_time_s: 50\n                quality: {first_time_yield: 1.5}",
        "plant.yaml:17: plants[0].shops[0].lines[0].stations[1].quality.first_time_yield: "
        "must be <= 1",
    ),
    "wrong literal": (
        "cycle_time_s: 50",
        "cycle_time_s: 50\n                failure: {mtbf_s: 10, mttr_s: 1, dependency: often}",
        "plant.yaml:17: plants[0].shops[0].lines[0].stations[1].failure.dependency: must be one "
        "of 'operation' or 'time'",
    ),
    "weibull without shape": (
        "cycle_time_s: 50",
        "cycle_time_s: 50\n                processing: {kind: weibull}",
        "plant.yaml:17: plants[0].shops[0].lines[0].stations[1].processing: a weibull "
        "distribution needs 'shape'",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_file_is_located(case: str) -> None:
    old, new, expected = BROKEN[case]
    assert old in GOOD, "test case does not apply to GOOD"
    problems = _problems(GOOD.replace(old, new, 1))
    assert any(p.startswith(expected) for p in problems), problems


def test_every_problem_is_reported_at_once() -> None:
    text = GOOD.replace("cycle_time_s: 60", "cycle_time_s: 0").replace(
        "cycle_time_s: 50", "cycle_time_s: -1"
    )
    problems = _problems(text)
    assert len(problems) == 2
    assert problems[0].startswith("plant.yaml:14:") and problems[1].startswith("plant.yaml:16:")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "plant.yaml:1: the file is empty"),
        ("- a\n- b\n", "plant.yaml:1: a scenario file must be a mapping"),
        ("name: x\n", "plant.yaml:1: products: is required"),
    ],
)
def test_document_shape(text: str, expected: str) -> None:
    assert _problems(text)[0].startswith(expected)


def test_unreadable_files(tmp_path: Path) -> None:
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"name: \x94\x95\n")
    with pytest.raises(InputError, match="not UTF-8"):
        load_scenario(binary)
    with pytest.raises(InputError, match="no such file"):
        load_scenario(tmp_path / "missing.yaml")
    with pytest.raises(InputError, match="is a directory"):
        load_scenario(tmp_path)


def test_merge_keys_and_anchors_are_understood() -> None:
    text = GOOD.replace(
        "              - id: a\n                cycle_time_s: 60\n",
        "              - &base {id: a, cycle_time_s: 60}\n",
    ).replace(
        "              - id: b\n                cycle_time_s: 50\n",
        "              - {<<: *base, id: b}\n",
    )
    scenario = scenario_from_yaml(text, "plant.yaml")
    assert [s.cycle_time_s for s in scenario.plants[0].shops[0].lines[0].stations] == [60, 60]
