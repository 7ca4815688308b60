"""``taktline runs list|show|compare|export`` and their bad inputs (exit 2, one clear line)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from runfactory import sample_run
from typer.testing import CliRunner

from taktline.cli.main import app
from taktline.store import RunStore


@pytest.fixture
def filled(store_path: Path) -> tuple[Path, list[str]]:
    """A store with two runs of the same inputs and one with another seed."""
    with RunStore(store_path) as runs:
        ids = [runs.add(sample_run(seed=s)).id for s in (3, 3, 4)]
    return store_path, ids


def invoke(*args: str) -> object:
    return CliRunner().invoke(app, list(args))


def test_list_json_and_table(filled: tuple[Path, list[str]]) -> None:
    path, ids = filled
    result = invoke("runs", "list", "--store", str(path), "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [r["id"] for r in doc["runs"]] == ids[::-1]
    assert doc["runs"][1]["fingerprint"] == doc["runs"][2]["fingerprint"]
    table = invoke("runs", "list", "--store", str(path))
    assert table.exit_code == 0 and "simulate" in table.stdout


def test_list_of_a_store_not_yet_made_is_empty(tmp_path: Path) -> None:
    result = invoke("runs", "list", "--store", str(tmp_path / "none.duckdb"), "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["runs"] == []
    assert not (tmp_path / "none.duckdb").exists()


def test_show_names_the_runs_with_the_same_inputs(filled: tuple[Path, list[str]]) -> None:
    path, ids = filled
    doc = json.loads(invoke("runs", "show", ids[1], "--store", str(path), "--json").stdout)
    assert doc["id"] == ids[1] and doc["same_inputs_as"] == [ids[0]]
    assert doc["kpis"]["throughput"]["ci_high"] == 42.1
    text = invoke("runs", "show", ids[1], "--store", str(path))
    assert text.exit_code == 0 and "40.90 – 42.10" in text.stdout and ids[0] in text.stdout


def test_compare(filled: tuple[Path, list[str]]) -> None:
    path, ids = filled
    same = json.loads(
        invoke("runs", "compare", ids[0], ids[1], "--store", str(path), "--json").stdout
    )
    assert same["same_inputs"] is True
    other = invoke("runs", "compare", ids[0], ids[2], "--store", str(path))
    assert other.exit_code == 0 and "different inputs" in other.stdout and "seed" in other.stdout


def test_export(filled: tuple[Path, list[str]], tmp_path: Path) -> None:
    path, ids = filled
    out = tmp_path / "export"
    result = invoke("runs", "export", ids[0], "--parquet", str(out), "--store", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert {Path(f).name for f in json.loads(result.stdout)["files"]} == {
        "stations.parquet",
        "months.parquet",
        "run.json",
        "scenario.yaml",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["runs", "show", "19990101-000000-000000"], "no run '19990101-000000-000000'"),
        (["runs", "show", "2"], "matches several runs"),
        (["runs", "compare", "nope", "nope"], "no run 'nope'"),
        (["runs", "export", "nope", "--parquet", "x"], "no run 'nope'"),
        (["runs", "list", "--limit", "0"], "greater than or equal to 1"),
        (["runs", "export", "ID", "--parquet", "FILE"], "not a folder"),
    ],
)
def test_bad_inputs_exit_2_with_a_clear_line(
    filled: tuple[Path, list[str]], tmp_path: Path, args: list[str], message: str
) -> None:
    path, ids = filled
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    args = [ids[0] if a == "ID" else str(a_file) if a == "FILE" else a for a in args]
    result = CliRunner().invoke(app, [*args, "--store", str(path)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [["runs", "show", "x"], ["report", "x"]])
def test_a_missing_store_is_exit_2(tmp_path: Path, command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--store", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "no run store" in result.stderr


def test_a_file_that_is_not_a_store_is_exit_2(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.duckdb"
    bogus.write_text("not a database\n" * 50)
    result = CliRunner().invoke(app, ["runs", "list", "--store", str(bogus)])
    assert result.exit_code == 2
    assert "bogus.duckdb" in result.stderr
