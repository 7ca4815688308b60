"""``taktline experiment`` and ``taktline allocate-buffers`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from taktline.cli.main import app
from taktline.store import RunStore


def test_example_experiment_runs_and_streams_into_the_store(
    tmp_path: Path, examples_dir: Path
) -> None:
    store = tmp_path / "runs.duckdb"
    result = CliRunner().invoke(
        app,
        [
            "experiment",
            str(examples_dir / "experiments/l10-buffers.yaml"),
            "--workers",
            "2",
            "--store",
            str(store),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert len(document["points"]) == 8 and document["replications_per_point"] == 10
    assert document["executor"] == "local" and document["workers"] == 2
    with RunStore(store) as runs:
        stored = runs.list()
    # one run per design point as it finished, and the experiment itself
    assert sum(1 for r in stored if (r.label or "").startswith("l10-buffers: point")) == 8
    assert any(r.id == document["run"] for r in stored)


def test_bad_inputs_exit_2(tmp_path: Path, examples_dir: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["experiment", str(tmp_path / "none.yaml")])
    assert missing.exit_code == 2 and "no such experiment file" in missing.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nfactors: []\n")
    result = runner.invoke(app, ["experiment", str(broken)])
    assert result.exit_code == 2 and "broken.yaml:2: factors:" in result.stderr
    wrong = runner.invoke(
        app,
        [
            "experiment",
            str(examples_dir / "experiments/l10-buffers.yaml"),
            "--executor",
            "cloud",
            "--store",
            str(tmp_path / "s.duckdb"),
        ],
    )
    assert wrong.exit_code == 2 and "unknown executor 'cloud'" in wrong.stderr
    bad_tolerance = runner.invoke(
        app,
        [
            "allocate-buffers",
            str(examples_dir / "lines/l10.yaml"),
            "--tolerance",
            "2",
            "--store",
            str(tmp_path / "s.duckdb"),
        ],
    )
    assert bad_tolerance.exit_code == 2 and "tolerance" in bad_tolerance.stderr


def test_allocate_buffers_cli(tmp_path: Path, examples_dir: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "allocate-buffers",
            str(examples_dir / "lines/l10-det.yaml"),
            "--tolerance",
            "0.01",
            "--horizon",
            "1d",
            "--warmup",
            "1h",
            "--replications",
            "2",
            "--workers",
            "1",
            "--store",
            str(tmp_path / "runs.duckdb"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["total"] == 0 and document["reached"]
