"""Plan, sequence and balance results as runs: their tables by hand, and their charts."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from taktline.report import charts_for
from taktline.store import RunStore
from taktline.workflow.record_engines import (
    balance_run,
    colour_batches,
    option_load,
    sequence_csplib_run,
    sequence_roadef_run,
)


def stored(tmp_path, run):  # type: ignore[no-untyped-def]
    store = RunStore(tmp_path / "runs.duckdb")
    record = store.add(run)
    tables = store.tables(record.id)
    store.close()
    return record, tables


def test_option_load_counts_each_window_by_hand() -> None:
    # option 0 on cars 0, 1, 4 with at most 1 in 2; option 1 on car 2 with at most 2 in 3
    flags = np.array([[1, 0], [1, 0], [0, 1], [0, 0], [1, 0]])
    load = option_load(flags, [("a", 1, 2), ("b", 2, 3)])
    assert load[load.option == "a"]["load"].tolist() == [2, 1, 0, 1]
    assert load[load.option == "b"]["load"].tolist() == [1, 1, 1]
    assert set(load[load.option == "a"]["p"]) == {1}


def test_colour_batches_by_hand() -> None:
    batches = colour_batches(["red", "red", "blue", "red", "red", "red"])
    assert batches.to_dict("records") == [
        {"colour": "red", "start": 0, "length": 2},
        {"colour": "blue", "start": 2, "length": 1},
        {"colour": "red", "start": 3, "length": 3},
    ]


def test_csplib_sequence_run(tmp_path) -> None:  # type: ignore[no-untyped-def]
    instance = SimpleNamespace(
        name="tiny",
        p=np.array([1]),
        q=np.array([2]),
        demand=np.array([2, 1]),
        options=np.array([[1], [0]], dtype=np.uint8),
        n_cars=3,
        n_options=1,
    )
    result = SimpleNamespace(
        sequence=[0, 1, 0], violated_windows=0, excess=0, optimal=True, lower_bound=0
    )
    record, tables = stored(tmp_path, sequence_csplib_run(instance, result, {"seed": 2}))
    assert record.kind == "sequence" and record.seed == 2
    assert tables["option_load"]["load"].tolist() == [1, 1]
    assert [c.key for c in charts_for(record, tables)] == ["option-load-option 1"]


def test_roadef_sequence_run(tmp_path) -> None:  # type: ignore[no-untyped-def]
    instance = SimpleNamespace(
        name="day",
        idents=("c1", "c2", "c3", "c4"),
        colours=np.array([5, 7, 5, 5]),
        options=np.array([[1], [0], [1], [0]], dtype=np.uint8),
        ratios=(SimpleNamespace(ident="sunroof", n=1, p=2, high=True),),
        batch_limit=3,
    )
    result = SimpleNamespace(
        order=["c2", "c1", "c3", "c4"],
        objective=1000,
        hprc=1,
        lprc=0,
        colour_changes=1,
        max_batch=3,
        given_objective=2000,
        lower_bound=0,
    )
    record, tables = stored(tmp_path, sequence_roadef_run(instance, result, {}))
    # colours along c2 c1 c3 c4: 7 5 5 5; sunroof flags 0 1 1 0 -> windows of 2: 1 2 1
    assert tables["colour_batches"].to_dict("records") == [
        {"colour": 7, "start": 0, "length": 1, "limit": 3},
        {"colour": 5, "start": 1, "length": 3, "limit": 3},
    ]
    assert tables["option_load"]["load"].tolist() == [1, 2, 1]
    keys = [c.key for c in charts_for(record, tables)]
    assert keys == ["option-load-sunroof", "colour-batches"]


def test_balance_run(tmp_path) -> None:  # type: ignore[no-untyped-def]
    instance = SimpleNamespace(name="three", times=(3, 5, 2))
    result = SimpleNamespace(
        problem="salbp1",
        cycle_time=6,
        stations=2,
        lower_bound=2,
        optimal=True,
        assignment=[[1, 3], [2]],
    )
    record, tables = stored(tmp_path, balance_run(instance, result, {}))
    assert tables["station_loads"]["load_s"].tolist() == [5, 5]
    assert record.kpis["line efficiency"]["value"] == pytest.approx(10 / 12)
    (chart,) = charts_for(record, tables)
    assert chart.key == "balance-loads" and chart.figure.layout.shapes[0].y0 == 6


def test_plan_run_of_the_default_plant(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("taktline.plan.planner")
    from taktline.model import builtin_scenario_text
    from taktline.workflow.jobs import run_and_record

    with RunStore(tmp_path / "runs.duckdb") as store:
        record = run_and_record(store, "plan", builtin_scenario_text(), parameters={})
        tables = store.tables(record.id)
    months, detail = tables["months"], tables["plan_detail"]
    assert months["build"].sum() == pytest.approx(detail["build"].sum())
    # each year's planned deliveries are its months' deliveries added up
    for target in tables["targets"].itertuples():
        in_year = months[months["month"].str.startswith(str(target.year))]["deliveries"].sum()
        assert in_year == pytest.approx(target.planned, abs=len(detail))  # rounding of rows
        assert record.kpis[f"deliveries {target.year}"]["value"] == target.planned
    keys = [c.key for c in charts_for(record, tables)]
    assert keys == ["plan-months", "plan-backlog", "plan-targets"]
