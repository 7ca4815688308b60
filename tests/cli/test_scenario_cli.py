"""``taktline scenario validate|show|init``, ``taktline run`` and ``--version``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taktline import __version__
from taktline.cli.main import app
from taktline.model import builtin_scenario_text, load_scenario
from taktline.store import RunStore


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.stdout


def test_validate_good_examples(runner: CliRunner, examples_dir: Path) -> None:
    for name in ["lines/l10.yaml", "lines/l10-det.yaml", "plants/two-shop.yaml"]:
        result = runner.invoke(app, ["scenario", "validate", str(examples_dir / name)])
        assert result.exit_code == 0, result.output
        assert "valid" in result.stdout


BROKEN_FILES = {
    "syntax.yaml": ("name: [x\n", "syntax.yaml:2: YAML syntax error: expected ',' or ']'"),
    "negative.yaml": (
        "name: x\nproducts: {models: [{id: car, mix_share: 1}]}\nplants:\n  - id: p\n"
        "    shops:\n      - id: s\n        lines:\n          - id: l\n            stations:\n"
        "              - {id: a, cycle_time_s: -3}\n",
        "negative.yaml:10: plants[0].shops[0].lines[0].stations[0].cycle_time_s: must be > 0",
    ),
    "empty.yaml": ("", "empty.yaml:1: the file is empty"),
    "list.yaml": ("- 1\n", "list.yaml:1: a scenario file must be a mapping"),
}


@pytest.mark.parametrize("name", sorted(BROKEN_FILES))
def test_validate_broken_files_exit_2_with_located_message(
    runner: CliRunner, tmp_path: Path, name: str
) -> None:
    text, expected = BROKEN_FILES[name]
    path = tmp_path / name
    path.write_text(text)
    result = runner.invoke(app, ["scenario", "validate", str(path)])
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.output + result.stderr
    json_result = runner.invoke(app, ["scenario", "validate", str(path), "--json"])
    assert json_result.exit_code == 2
    document = json.loads(json_result.stdout)
    assert document["valid"] is False and document["errors"][0]["file"] == str(path)


@pytest.mark.parametrize("command", [["scenario", "show"], ["run"]])
def test_missing_files_exit_2(runner: CliRunner, tmp_path: Path, command: list[str]) -> None:
    result = runner.invoke(app, [*command, str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "nope.yaml: no such file" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_wrong_flag_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["run", "--no-such-flag"])
    assert result.exit_code == 2


def test_show_default_and_json(runner: CliRunner) -> None:
    result = runner.invoke(app, ["scenario", "show"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "phase1" in result.stdout and "general-assembly" in result.stdout
    document = json.loads(runner.invoke(app, ["scenario", "show", "--json"]).stdout)
    assert document["scenario"]["name"] == "yizhuang"
    assert document["capacity"]["rated_capacity_per_year"] == 300_000


def test_init_writes_the_default_plant_and_refuses_to_overwrite(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["scenario", "init", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    written = tmp_path / "new" / "yizhuang.yaml"
    assert written.read_text() == builtin_scenario_text()
    assert load_scenario(written).name == "yizhuang"
    again = runner.invoke(app, ["scenario", "init", str(tmp_path / "new")])
    assert again.exit_code == 2 and "--force" in again.stderr
    forced = runner.invoke(app, ["scenario", "init", str(tmp_path / "new"), "--force"])
    assert forced.exit_code == 0
    unknown = runner.invoke(app, ["scenario", "init", str(tmp_path), "--name", "atlantis"])
    assert unknown.exit_code == 2 and "atlantis" in unknown.stderr


def test_run_is_the_main_job(runner: CliRunner, tmp_path: Path) -> None:
    """Capacity, simulation with CIs, plan, both runs recorded and the report written."""
    store = tmp_path / "runs.duckdb"
    args = ["run", "--store", str(store), "--horizon", "3d", "-n", "2"]
    result = runner.invoke(app, args, env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "300,000" in result.stdout and "bottleneck of phase1" in result.stdout
    assert "report: " in result.stdout
    document = json.loads(runner.invoke(app, [*args, "--json", "--year", "2026"]).stdout)
    plants = document["capacity"]["plants"]
    assert [p["plant"] for p in plants] == ["phase1", "phase2"]
    assert plants[0]["jobs_per_hour"] == pytest.approx(3600 / 76)
    assert document["simulation"]["replications"] == 2
    assert {t["year"] for t in document["plan"]["targets"]} >= {2024, 2026}
    assert Path(document["report"]).is_file()
    with RunStore(store) as runs:
        kinds = sorted(r.kind for r in runs.list())
    assert kinds == ["plan", "plan", "simulate", "simulate"]


def test_run_on_a_line_without_dates_skips_the_plan(
    runner: CliRunner, tmp_path: Path, examples_dir: Path
) -> None:
    result = runner.invoke(
        app,
        [
            "run",
            str(examples_dir / "lines/l10-det.yaml"),
            "--store",
            str(tmp_path / "r.duckdb"),
            "--horizon",
            "1d",
            "-n",
            "2",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["plan"] is None and document["runs"]["plan"] is None
    throughput = document["simulation"]["kpis"]["throughput_jph"]["mean"]
    assert throughput == pytest.approx(3600 / 76, rel=1e-3)
