"""``taktline plan`` and ``taktline quote`` through the CLI, good and broken inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taktline.cli.main import app
from taktline.errors import InputError
from taktline.plan import read_orders_csv

DATA = Path(__file__).parent / "data"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_plan_json(runner) -> None:
    result = runner.invoke(app, ["plan", "--from", "2025-01", "--to", "2026-12", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    row = doc["months"][0]
    assert set(row) == {"month", "plant", "model", "build", "deliveries", "backlog", "capacity"}
    years = {t["year"]: t for t in doc["targets"]}
    assert set(years) == {2025, 2026}
    assert set(years[2026]) >= {"year", "target", "planned", "reachable", "shortfall", "levers"}
    assert doc["fit"]["residuals"]
    bottlenecks = {(line["plant"], line["line"]) for line in doc["lines"] if line["bottleneck"]}
    assert bottlenecks == {("phase1", "ga"), ("phase2", "ga")}  # the 76 s GA takt


def test_plan_table_on_a_scenario_file_and_settings(runner, tmp_path) -> None:
    from taktline.model import builtin_scenario_text

    file = tmp_path / "plant.yaml"
    file.write_text(builtin_scenario_text("yizhuang"), encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "plan",
            str(file),
            "--from",
            "2026-01",
            "--to",
            "2026-12",
            "--settings",
            str(DATA / "settings_rated.yaml"),
            "--target",
            "2026=400000",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Delivery targets" in result.stdout and "2026-12" in result.stdout


def test_quote_json(runner) -> None:
    result = runner.invoke(
        app,
        [
            "quote",
            "--model",
            "YU7",
            "--ordered",
            "2025-07-01",
            "--samples",
            "3",
            "--json",
            "--orders",
            str(DATA / "orders_good.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["expected"] and doc["p10"] <= doc["p50"] <= doc["p90"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["plan", "--from", "2024-13"], "month like 2024-04"),
        (["plan", "--from", "2026-01", "--to", "2025-01"], "before --from"),
        (["plan", "--from", "2020-01", "--to", "2024-12"], "before the first start"),
        (["plan", "--levers-from", "2026-13"], "levers_from"),
        (["plan", "--from", "2025-01", "--to", "2026-12", "--target", "2030=1000"], "2030"),
        (["plan", "--target", "lots"], "YEAR=UNITS"),
        (["plan", "--basis", "nominal"], "demonstrated, stated or rated"),
        (["plan", "--availability", "3"], "(0, 1.5]"),
        (["plan", "no-such-plant.yaml"], "no such file"),
        (["plan", "--settings", str(DATA / "settings_bad.yaml")], "settings_bad.yaml:2"),
        (["plan", "--orders", str(DATA / "orders_bad_date.csv")], "orders_bad_date.csv:3"),
        (["plan", "--orders", str(DATA / "orders_short_line.csv")], "orders_short_line.csv:3"),
        (["plan", "--orders", str(DATA / "orders_bad_header.csv")], "missing ['locked_on']"),
        (["plan", "--orders", str(DATA / "missing.csv")], "no such orders file"),
        (["quote", "--model", "ZZ", "--ordered", "2025-07-01"], "unknown model"),
        (["quote", "--model", "YU7", "--ordered", "July"], "date like"),
        (
            ["quote", "--model", "YU7", "--ordered", "2025-07-01", "--market", "MARS"],
            "unknown market",
        ),
        (["quote", "--model", "YU7", "--ordered", "2020-01-01"], "before the first start"),
        (["quote", "--model", "YU7", "--ordered", "2025-07-01", "--samples", "1"], "between 2"),
    ],
)
def test_bad_input_exits_2(runner, args, needle) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert needle in result.stderr
    assert "Traceback" not in result.output


def test_orders_csv_reports_every_bad_line() -> None:
    with pytest.raises(InputError) as caught:
        read_orders_csv(DATA / "orders_bad_values.csv", {"SU7", "YU7"})
    lines = sorted(p.line for p in caught.value.problems)
    assert lines == [3, 4]


def test_plan_and_quote_on_a_scenario_without_record(runner, examples_dir) -> None:
    """No record to fit: the default ramp and stated availability, with a spread for quotes."""
    file = str(examples_dir / "plants" / "two-shop.yaml")
    result = runner.invoke(app, ["plan", file, "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["fit"]["fitted"] is False and doc["notes"]
    result = runner.invoke(
        app,
        ["quote", file, "--model", "sedan", "--ordered", "2026-03-01", "--samples", "6", "--json"],
    )
    assert result.exit_code == 0, result.output
    quote = json.loads(result.stdout)
    assert quote["p10"] < quote["p90"]


def test_plan_records_its_run(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from taktline.store import RunStore

    store = tmp_path / "runs.duckdb"
    result = runner.invoke(
        app, ["plan", "--from", "2025-01", "--to", "2025-12", "--store", str(store), "--json"]
    )
    assert result.exit_code == 0, result.output
    run_id = json.loads(result.stdout)["run"]
    with RunStore(store) as runs:
        record = runs.get(run_id)
        months = runs.table(run_id, "months")
    assert record.kind == "plan" and len(months) == 12
