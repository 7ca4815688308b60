"""A real simulation of the default plant, recorded and reported: every chart it should have."""

from __future__ import annotations

import pytest

from taktline.model import builtin_scenario_text
from taktline.report import charts_for
from taktline.store import RunStore
from taktline.workflow.jobs import JOB_KINDS, run_and_record

pytestmark = pytest.mark.skipif("simulate" not in JOB_KINDS, reason="no simulation engine")


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("sim") / "runs.duckdb"
    store = RunStore(path)
    run = run_and_record(
        store,
        "simulate",
        builtin_scenario_text(),
        parameters={"horizon": "3d", "replications": 2, "seed": 5},
    )
    yield store, run
    store.close()


def test_a_simulation_run_has_every_chart(simulated) -> None:  # type: ignore[no-untyped-def]
    store, run = simulated
    charts = charts_for(run, store.tables(run.id))
    assert set(c.key for c in charts) >= {
        "throughput",
        "station-states-phase1",
        "station-states-phase2",
        "buffer-levels-phase1",
        "wip",
        "lead-time",
    }
    assert run.seed == 5 and run.parameters["horizon"] == "3d"
    assert run.kpis["throughput"]["ci_low"] <= run.kpis["throughput"]["value"]


def test_cumulative_output_ends_at_what_replication_0_finished(simulated) -> None:  # type: ignore[no-untyped-def]
    store, run = simulated
    series = store.table(run.id, "throughput")
    per_rep = store.table(run.id, "replications")
    lead = store.table(run.id, "lead_time")
    for plant, rows in series.groupby("plant"):
        assert rows["completed"].is_monotonic_increasing
        finished = per_rep[(per_rep.plant == plant) & (per_rep.replication == 0)]["finished"]
        # the series counts every completion of replication 0 (the KPI only those after
        # the warm-up), and the lead-time sample is those same completions
        assert rows["completed"].iloc[-1] >= int(finished.iloc[0])
        assert rows["completed"].iloc[-1] == (lead.plant == plant).sum()


def test_station_shares_sum_to_one_and_the_bottleneck_is_the_engines(simulated) -> None:  # type: ignore[no-untyped-def]
    store, run = simulated
    stations = store.table(run.id, "stations")
    states = stations[["working", "blocked", "starved", "failed", "off_shift"]].sum(axis=1)
    assert states.to_numpy() == pytest.approx(1.0, abs=1e-6)
    for plant in ("phase1", "phase2"):
        flagged = stations[(stations.plant == plant) & stations.bottleneck]["station"].tolist()
        assert flagged == [run.kpis[f"{plant} bottleneck"]]
