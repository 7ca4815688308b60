"""The run store: round trips, ids, fingerprints, atomic writes, export, locking."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from runfactory import sample_run

from taktline import __version__
from taktline.errors import InputError
from taktline.store import (
    RunStore,
    UnknownRunError,
    default_store_path,
    fingerprint,
    scenario_sha256,
)
from taktline.store.compare import compare_runs


def test_a_run_comes_back_as_it_went_in(store: RunStore) -> None:
    new = sample_run()
    record = store.add(new)
    again = store.get(record.id)
    assert again == record
    assert again.kind == "simulate" and again.seed == 3 and again.status == "done"
    assert again.software_version == __version__
    assert again.scenario_yaml == "name: line\n"
    assert again.scenario_sha256 == hashlib.sha256(b"name: line\n").hexdigest()
    assert again.parameters == {"horizon": "2d", "replications": 4}
    assert list(again.kpis) == ["throughput", "bottleneck", "wip"]  # order kept
    assert again.kpis["throughput"]["ci_low"] == 40.9
    assert again.tables == {"stations": 3, "months": 2}
    pd.testing.assert_frame_equal(
        store.table(record.id, "stations"), new.tables["stations"], check_dtype=False
    )
    months = store.table(record.id, "months")  # a named index comes back as a column
    assert list(months.columns) == ["month", "build"]
    assert months["month"].dt.month.tolist() == [1, 2]
    assert list(store.tables(record.id)) == ["stations", "months"]


def test_ids_are_unique_and_a_unique_prefix_finds_a_run(store: RunStore) -> None:
    first, second = store.add(sample_run()), store.add(sample_run())
    assert first.id != second.id
    assert store.get(first.id).id == first.id
    assert store.get(second.id[:-2]).id == second.id  # 16 random bits tell them apart
    with pytest.raises(UnknownRunError, match="no run"):
        store.get("19990101")
    with pytest.raises(UnknownRunError, match="several runs"):
        store.get(first.id[:4])  # the same year
    with pytest.raises(InputError, match="no table"):
        store.table(first.id, "nothing")


def test_same_inputs_same_fingerprint(store: RunStore) -> None:
    a, b = store.add(sample_run(seed=3)), store.add(sample_run(seed=3))
    c = store.add(sample_run(seed=4))
    assert a.fingerprint == b.fingerprint != c.fingerprint
    assert [r.id for r in store.list(fingerprint=a.fingerprint)] == [b.id, a.id]
    assert compare_runs(a, b)["same_inputs"] is True
    assert compare_runs(a, c)["differences"] == {"seed": {"a": 3, "b": 4}}
    # the key order of parameters does not matter; their values and the scenario do
    assert fingerprint("simulate", "x", {"a": 1, "b": 2}, 1) == fingerprint(
        "simulate", "x", {"b": 2, "a": 1}, 1
    )
    assert fingerprint("simulate", "x", {"a": 1}, 1) != fingerprint("simulate", "y", {"a": 1}, 1)
    assert fingerprint("simulate", "x", {"a": 1}, 1) != fingerprint("plan", "x", {"a": 1}, 1)
    assert scenario_sha256("é") == hashlib.sha256("é".encode()).hexdigest()


def test_compare_gives_differences_and_verdicts(store: RunStore) -> None:
    a = store.add(sample_run())
    better = {"value": 45.0, "unit": "jobs/h", "better": "higher"}
    b = store.add(sample_run(kpis={"throughput": better, "bottleneck": "s3", "wip": 12.0}))
    rows = {r["kpi"]: r for r in compare_runs(a, b)["kpis"]}
    assert rows["throughput"]["delta"] == pytest.approx(3.5)
    assert rows["throughput"]["relative"] == pytest.approx(3.5 / 41.5)
    assert rows["throughput"]["verdict"] == "better"
    assert rows["bottleneck"] == {
        "kpi": "bottleneck",
        "a": "s2",
        "b": "s3",
        "delta": None,
        "relative": None,
        "verdict": None,
    }
    assert rows["wip"]["delta"] == 0 and rows["wip"]["verdict"] is None


def test_list_newest_first_by_kind_and_limit(store: RunStore) -> None:
    ids = [store.add(sample_run(kind=k)).id for k in ("simulate", "capacity", "simulate")]
    assert [r.id for r in store.list()] == ids[::-1]
    assert [r.id for r in store.list(kind="simulate")] == [ids[2], ids[0]]
    assert [r.id for r in store.list(limit=1)] == [ids[2]]


def test_unknown_kind_is_refused(store: RunStore) -> None:
    with pytest.raises(InputError, match="unknown run kind"):
        store.add(sample_run(kind="dream"))
    assert store.list() == []


def test_a_failing_write_leaves_nothing(store: RunStore, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store.add(sample_run())
    original = RunStore._write_table
    calls = []

    def second_table_fails(self, con, run_id, position, name, frame):  # type: ignore[no-untyped-def]
        calls.append(name)
        if position == 1:
            raise OSError("disk full")
        original(self, con, run_id, position, name, frame)

    monkeypatch.setattr(RunStore, "_write_table", second_table_fails)
    with pytest.raises(OSError, match="disk full"):
        store.add(sample_run())
    assert calls == ["stations", "months"]
    assert len(store.list()) == 1
    tables = store._con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 't_%'")
    assert tables.fetchone()[0] == 2  # the first run's two tables only


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, {tests!r})
    from runfactory import sample_run
    from taktline.store import RunStore

    store = RunStore({path!r})
    store.add(sample_run())
    original = RunStore._write_table

    def die_half_way(self, con, run_id, position, name, frame):
        original(self, con, run_id, position, name, frame)
        os.kill(os.getpid(), signal.SIGKILL)  # after the first table, before the commit

    RunStore._write_table = die_half_way
    store.add(sample_run(seed=99))
    """
)


def test_a_killed_process_leaves_the_whole_run_or_nothing(store_path: Path) -> None:
    script = KILLER.format(tests=str(Path(__file__).parent), path=str(store_path))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    with RunStore(store_path) as runs:
        records = runs.list()
        assert [r.seed for r in records] == [3]
        assert runs.table(records[0].id, "months")["build"].tolist() == [100, 250]
        count = runs._con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 't_%'"
        ).fetchone()[0]
        assert count == 2


def test_export_parquet_round_trips(store: RunStore, tmp_path: Path) -> None:
    new = sample_run()
    record = store.add(new)
    files = store.export_parquet(record.id, tmp_path / "out")
    assert sorted(f.name for f in files) == [
        "months.parquet",
        "run.json",
        "scenario.yaml",
        "stations.parquet",
    ]
    with duckdb.connect() as con:  # a reader of its own: DuckDB's Parquet reader
        back = con.sql(f"SELECT * FROM read_parquet('{tmp_path / 'out' / 'stations.parquet'}')")
        back = back.df()
    pd.testing.assert_frame_equal(back, new.tables["stations"], check_dtype=False)
    assert (tmp_path / "out" / "scenario.yaml").read_text() == "name: line\n"
    assert not list((tmp_path / "out").glob(".*tmp"))


def test_uploaded_scenarios_are_content_addressed(store: RunStore) -> None:
    sha = store.put_scenario("line", "name: line\n", "line.yaml")
    assert store.put_scenario("line", "name: line\n") == sha
    assert store.scenario_text(sha[:8]) == ("line", "name: line\n")
    assert [s["sha256"] for s in store.scenarios()] == [sha]
    with pytest.raises(InputError, match="no uploaded scenario"):
        store.scenario_text("abc")


def test_delete_removes_the_run_and_its_tables(store: RunStore) -> None:
    keep, drop = store.add(sample_run()), store.add(sample_run())
    store.delete(drop.id)
    assert [r.id for r in store.list()] == [keep.id]
    with pytest.raises(UnknownRunError):
        store.get(drop.id)


def test_missing_store_read_only_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no run store"):
        RunStore(tmp_path / "none.duckdb", read_only=True)


def test_not_a_store_is_an_input_error(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.duckdb"
    bogus.write_text("this is not a database\n" * 100)
    with pytest.raises(InputError):
        RunStore(bogus)


def test_a_store_held_by_another_process_says_so(store_path: Path) -> None:
    RunStore(store_path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from taktline.store import RunStore; s = RunStore({str(store_path)!r}); "
            "print('open', flush=True); import time; time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"open"
        with pytest.raises(InputError, match="in use by another taktline process"):
            RunStore(store_path)
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    RunStore(store_path).close()  # free again once the other process is gone


def test_default_path_follows_xdg(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_store_path() == tmp_path / "xdg" / "taktline" / "runs.duckdb"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_store_path() == tmp_path / "home" / ".local/share/taktline/runs.duckdb"
