"""The run store: every computing command's run, kept in an embedded DuckDB database.

A run is engine-agnostic: metadata (id, kind, time, scenario text and its hash,
parameters, seed, software version, status, summary KPIs) plus any number of
named tables (pandas DataFrames). Engines' results become runs through the
adapters in :mod:`taktline.workflow.record`.
"""

from taktline.store.paths import default_store_path
from taktline.store.runs import (
    RUN_KINDS,
    NewRun,
    NotFoundError,
    RunRecord,
    RunStore,
    UnknownRunError,
    fingerprint,
    scenario_sha256,
)

__all__ = [
    "RUN_KINDS",
    "NewRun",
    "NotFoundError",
    "RunRecord",
    "RunStore",
    "UnknownRunError",
    "default_store_path",
    "fingerprint",
    "scenario_sha256",
]
