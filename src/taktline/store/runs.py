"""Runs in DuckDB: one ``runs`` row of metadata plus one DuckDB table per named result table.

Every run is written in one transaction (``BEGIN`` … ``COMMIT``): a process killed
half-way leaves either the whole run or nothing, because DuckDB only makes a
transaction durable at its commit. DuckDB allows one writing process per file;
inside a process, one :class:`RunStore` serialises its callers with a lock, so a
web service can share it between request threads.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import secrets
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from taktline import __version__
from taktline.errors import InputError
from taktline.fileio import atomic_write_text

RUN_KINDS = ("simulate", "plan", "sequence", "balance", "experiment", "capacity")
SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS runs (
    id VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    created TIMESTAMP NOT NULL,
    label VARCHAR,
    scenario_name VARCHAR,
    scenario_sha256 VARCHAR,
    scenario_yaml VARCHAR,
    parameters VARCHAR NOT NULL,
    seed BIGINT,
    software_version VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    kpis VARCHAR NOT NULL,
    fingerprint VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS run_tables (
    run_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    n_rows BIGINT NOT NULL,
    PRIMARY KEY (run_id, name)
);
CREATE TABLE IF NOT EXISTS scenarios (
    sha256 VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    filename VARCHAR,
    yaml VARCHAR NOT NULL,
    added TIMESTAMP NOT NULL
);
"""


class NotFoundError(InputError):
    """Something asked for by id is not in the store (a 404 for the web service)."""


class UnknownRunError(NotFoundError):
    """No run has this id (or the prefix given matches none, or several)."""


def scenario_sha256(text: str | None) -> str | None:
    """SHA-256 of a scenario's YAML text (UTF-8), hex; None without a scenario."""
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(value: Any) -> str:
    return json.dumps(_plain(value), sort_keys=True, separators=(",", ":"), default=str)


def _plain(value: Any) -> Any:
    """JSON-ready copy: numpy scalars to Python, NaN/inf to None, tuples to lists."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            value = value.item()
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def fingerprint(
    kind: str, scenario_hash: str | None, parameters: Mapping[str, Any], seed: int | None
) -> str:
    """Short hash of everything that determines a run's result (not its time or version).

    Two runs of the same kind, scenario text, parameters and seed share it: that is
    how the store makes "the same run" recognisable.
    """
    doc = {"kind": kind, "scenario": scenario_hash, "parameters": parameters, "seed": seed}
    return hashlib.sha256(_canonical(doc).encode("utf-8")).hexdigest()[:12]


@dataclass
class NewRun:
    """A run about to be recorded: what an engine adapter hands to :meth:`RunStore.add`.

    ``kpis`` maps a KPI name to a number, or to ``{"value", "ci_low", "ci_high",
    "unit"}`` (any of them optional) when the engine gives a confidence interval.
    """

    kind: str
    scenario_name: str | None = None
    scenario_yaml: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    seed: int | None = None
    kpis: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    label: str | None = None
    status: str = "done"


@dataclass(frozen=True)
class RunRecord:
    """A stored run's metadata; its tables are read on demand from the store."""

    id: str
    kind: str
    created: datetime
    label: str | None
    scenario_name: str | None
    scenario_sha256: str | None
    scenario_yaml: str | None
    parameters: dict[str, Any]
    seed: int | None
    software_version: str
    status: str
    kpis: dict[str, Any]
    fingerprint: str
    tables: dict[str, int]

    def to_dict(self, with_scenario: bool = False) -> dict[str, Any]:
        """The JSON form (``--json`` and the web API); the scenario text only on request."""
        doc = {
            "id": self.id,
            "kind": self.kind,
            "created": self.created.isoformat(),
            "label": self.label,
            "scenario": {"name": self.scenario_name, "sha256": self.scenario_sha256},
            "parameters": self.parameters,
            "seed": self.seed,
            "software_version": self.software_version,
            "status": self.status,
            "fingerprint": self.fingerprint,
            "kpis": self.kpis,
            "tables": self.tables,
        }
        if with_scenario:
            doc["scenario"]["yaml"] = self.scenario_yaml
        return doc


def _new_run_id(created: datetime) -> str:
    return f"{created:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def _table_name(run_id: str, position: int) -> str:
    return "t_" + run_id.replace("-", "_") + f"_{position}"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame DuckDB can store as it is: a named index becomes columns, names become text."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"a run table must be a pandas DataFrame, not {type(frame).__name__}")
    if not isinstance(frame.index, pd.RangeIndex) or any(n is not None for n in frame.index.names):
        frame = frame.reset_index()
    frame = frame.copy()
    frame.columns = [str(c) for c in frame.columns]
    return frame


class RunStore:
    """An embedded DuckDB file of runs. Use as a context manager or call :meth:`close`.

    ``read_only`` opens an existing store without taking the write lock's side
    effects (creating the file or its schema).
    """

    def __init__(self, path: str | os.PathLike[str], read_only: bool = False) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        if read_only and not self.path.exists():
            raise InputError("no run store here (nothing has been recorded yet)", file=str(path))
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as error:
            if "lock" in str(error).lower():
                raise InputError(
                    "the run store is in use by another taktline process (taktline serve?); "
                    "stop it, use its web API, or choose another --store",
                    file=str(path),
                ) from None
            raise InputError(f"cannot open the run store: {error}", file=str(path)) from None
        except duckdb.Error as error:
            raise InputError(f"not a taktline run store: {error}", file=str(path)) from None
        if not read_only:
            with self._lock:
                self._con.execute(_SCHEMA)
                self._con.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION]
                )

    # -- life cycle -----------------------------------------------------------------
    def close(self) -> None:
        """Close the database file (the store cannot be used afterwards)."""
        with self._lock:
            self._con.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:
            self._con.execute("BEGIN TRANSACTION")
            try:
                yield self._con
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            self._con.execute("COMMIT")

    # -- writing --------------------------------------------------------------------
    def add(self, run: NewRun) -> RunRecord:
        """Record a run and its tables in one transaction; returns the stored record."""
        if run.kind not in RUN_KINDS:
            raise InputError(f"unknown run kind {run.kind!r}; expected one of {RUN_KINDS}")
        created = datetime.now(UTC).replace(tzinfo=None)
        run_id = _new_run_id(created)
        sha = scenario_sha256(run.scenario_yaml)
        parameters = _plain(run.parameters)
        kpis = _plain(run.kpis)
        mark = fingerprint(run.kind, sha, parameters, run.seed)
        frames = {name: _tidy(frame) for name, frame in run.tables.items()}
        with self._transaction() as con:
            con.execute(
                "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    run_id,
                    run.kind,
                    created,
                    run.label,
                    run.scenario_name,
                    sha,
                    run.scenario_yaml,
                    json.dumps(parameters, default=str),
                    run.seed,
                    __version__,
                    run.status,
                    json.dumps(kpis, default=str),
                    mark,
                ],
            )
            for position, (name, frame) in enumerate(frames.items()):
                self._write_table(con, run_id, position, name, frame)
        return self.get(run_id)

    def _write_table(
        self,
        con: duckdb.DuckDBPyConnection,
        run_id: str,
        position: int,
        name: str,
        frame: pd.DataFrame,
    ) -> None:
        table = _table_name(run_id, position)
        view = f"incoming_{secrets.token_hex(4)}"
        con.register(view, frame)
        try:
            con.execute(f"CREATE TABLE {_quote(table)} AS SELECT * FROM {_quote(view)}")
        finally:
            con.unregister(view)
        con.execute(
            "INSERT INTO run_tables VALUES (?, ?, ?, ?, ?)",
            [run_id, name, table, position, len(frame)],
        )

    def delete(self, run_id: str) -> None:
        """Remove a run and its tables (one transaction)."""
        record = self.get(run_id)
        with self._transaction() as con:
            names = con.execute(
                "SELECT table_name FROM run_tables WHERE run_id = ?", [record.id]
            ).fetchall()
            for (table,) in names:
                con.execute(f"DROP TABLE IF EXISTS {_quote(table)}")
            con.execute("DELETE FROM run_tables WHERE run_id = ?", [record.id])
            con.execute("DELETE FROM runs WHERE id = ?", [record.id])

    # -- reading --------------------------------------------------------------------
    def _record(self, row: tuple[Any, ...]) -> RunRecord:
        (rid, kind, created, label, name, sha, text, params, seed, version, status, kpis, mark) = (
            row
        )
        with self._lock:
            tables = self._con.execute(
                "SELECT name, n_rows FROM run_tables WHERE run_id = ? ORDER BY position", [rid]
            ).fetchall()
        return RunRecord(
            id=rid,
            kind=kind,
            created=created.replace(tzinfo=UTC),
            label=label,
            scenario_name=name,
            scenario_sha256=sha,
            scenario_yaml=text,
            parameters=json.loads(params),
            seed=seed,
            software_version=version,
            status=status,
            kpis=json.loads(kpis),
            fingerprint=mark,
            tables={n: int(r) for n, r in tables},
        )

    def list(
        self, kind: str | None = None, limit: int | None = None, fingerprint: str | None = None
    ) -> list[RunRecord]:
        """Runs, newest first, optionally of one kind or with one fingerprint."""
        where, args = [], []
        if kind is not None:
            where.append("kind = ?")
            args.append(kind)
        if fingerprint is not None:
            where.append("fingerprint = ?")
            args.append(fingerprint)
        sql = "SELECT * FROM runs"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created DESC, id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self._lock:
            rows = self._con.execute(sql, args).fetchall()
            return [self._record(row) for row in rows]

    def resolve(self, run_id: str) -> str:
        """The full id of a run given its id or a unique prefix of it."""
        with self._lock:
            rows = self._con.execute(
                "SELECT id FROM runs WHERE starts_with(id, ?) ORDER BY id LIMIT 3", [run_id]
            ).fetchall()
        exact = [r for (r,) in rows if r == run_id]
        if exact:
            return exact[0]
        if not rows or not run_id:
            raise UnknownRunError(f"no run {run_id!r} in the store", field="run id")
        if len(rows) > 1:
            raise UnknownRunError(
                f"{run_id!r} matches several runs ({', '.join(r for (r,) in rows)}, ...); "
                "give more of the id",
                field="run id",
            )
        return rows[0][0]

    def get(self, run_id: str) -> RunRecord:
        """One run by id (or unique id prefix); :class:`UnknownRunError` if there is none."""
        full = self.resolve(run_id)
        with self._lock:
            row = self._con.execute("SELECT * FROM runs WHERE id = ?", [full]).fetchone()
            return self._record(row)

    def table(self, run_id: str, name: str) -> pd.DataFrame:
        """One named table of a run as a DataFrame."""
        full = self.resolve(run_id)
        with self._lock:
            row = self._con.execute(
                "SELECT table_name FROM run_tables WHERE run_id = ? AND name = ?", [full, name]
            ).fetchone()
            if row is None:
                raise NotFoundError(f"run {full} has no table {name!r}", field="table")
            return self._con.execute(f"SELECT * FROM {_quote(row[0])}").df()

    def tables(self, run_id: str) -> dict[str, pd.DataFrame]:
        """All named tables of a run, in the order they were recorded."""
        record = self.get(run_id)
        return {name: self.table(record.id, name) for name in record.tables}

    # -- uploaded scenarios (content-addressed) ----------------------------------------
    def put_scenario(self, name: str, text: str, filename: str | None = None) -> str:
        """Keep a validated scenario's text; returns its SHA-256 (the same text, the same id)."""
        sha = scenario_sha256(text)
        with self._transaction() as con:
            con.execute(
                "INSERT OR IGNORE INTO scenarios VALUES (?, ?, ?, ?, ?)",
                [sha, name, filename, text, datetime.now(UTC).replace(tzinfo=None)],
            )
        return sha  # type: ignore[return-value]

    def scenarios(self) -> list[dict[str, Any]]:
        """Uploaded scenarios, newest first: sha256, name, filename, added."""
        with self._lock:
            rows = self._con.execute(
                "SELECT sha256, name, filename, added FROM scenarios ORDER BY added DESC"
            ).fetchall()
        return [
            {"sha256": s, "name": n, "filename": f, "added": a.replace(tzinfo=UTC).isoformat()}
            for s, n, f, a in rows
        ]

    def scenario_text(self, sha_or_prefix: str) -> tuple[str, str]:
        """(name, YAML text) of an uploaded scenario by its SHA-256 or a unique prefix."""
        with self._lock:
            rows = self._con.execute(
                "SELECT name, yaml FROM scenarios WHERE starts_with(sha256, ?) LIMIT 2",
                [sha_or_prefix],
            ).fetchall()
        if len(rows) != 1 or len(sha_or_prefix) < 6:
            raise NotFoundError(f"no uploaded scenario {sha_or_prefix!r}", field="scenario")
        return rows[0][0], rows[0][1]

    # -- export ---------------------------------------------------------------------
    def export_parquet(self, run_id: str, folder: str | os.PathLike[str]) -> list[Path]:
        """Write each table of a run to ``folder/<name>.parquet``, plus ``run.json`` and
        ``scenario.yaml``; every file appears whole or not at all."""
        record = self.get(run_id)
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        with self._lock:
            rows = self._con.execute(
                "SELECT name, table_name FROM run_tables WHERE run_id = ? ORDER BY position",
                [record.id],
            ).fetchall()
            for name, table in rows:
                target = out / f"{_safe_file_name(name)}.parquet"
                tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
                path_sql = str(tmp).replace("'", "''")
                try:
                    self._con.execute(
                        f"COPY (SELECT * FROM {_quote(table)}) TO '{path_sql}' (FORMAT parquet)"
                    )
                    os.replace(tmp, target)
                finally:
                    tmp.unlink(missing_ok=True)
                written.append(target)
        meta = json.dumps(record.to_dict(), indent=2, default=str) + "\n"
        written.append(atomic_write_text(out / "run.json", meta))
        if record.scenario_yaml is not None:
            written.append(atomic_write_text(out / "scenario.yaml", record.scenario_yaml))
        return written


def _safe_file_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "table"
