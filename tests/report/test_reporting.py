"""``record_and_report``: what ``taktline run`` calls to store its run and write the report."""

from __future__ import annotations

from pathlib import Path

import pytest

from taktline.errors import InputError
from taktline.model import builtin_scenario_text, load_scenario
from taktline.store import RunStore
from taktline.workflow.record import capacity_run
from taktline.workflow.reporting import record_and_report, scenario_text_of
from taktline.workflow.summary import summarize


def test_record_and_report_next_to_the_store(tmp_path: Path) -> None:
    scenario = load_scenario(None)
    run = capacity_run(scenario, scenario_text_of(None), summarize(scenario))
    record, report = record_and_report(run, store=tmp_path / "data" / "runs.duckdb")
    assert report == (tmp_path / "data" / "reports" / f"{record.id}.html").resolve()
    assert "Plotly.newPlot" in report.read_text()
    with RunStore(tmp_path / "data" / "runs.duckdb", read_only=True) as runs:
        assert runs.get(record.id).scenario_yaml == builtin_scenario_text()


def test_default_store_follows_xdg(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    scenario = load_scenario(None)
    run = capacity_run(scenario, None, summarize(scenario))
    _, report = record_and_report(run, report=tmp_path / "r.html")
    assert report == (tmp_path / "r.html").resolve() and report.exists()
    assert (tmp_path / "taktline" / "runs.duckdb").exists()


def test_scenario_text_of_a_file_and_of_nothing_readable(tmp_path: Path) -> None:
    file = tmp_path / "plant.yaml"
    file.write_text("name: x\n")
    assert scenario_text_of(file) == "name: x\n"
    assert scenario_text_of("yizhuang") == builtin_scenario_text()
    with pytest.raises(InputError, match="cannot read"):
        scenario_text_of(tmp_path / "gone.yaml")
