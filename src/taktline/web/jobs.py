"""Background jobs of the web service: one worker thread runs them in order.

One worker because the machine's cores belong to the engine (which may use
several threads itself) and because DuckDB takes one writer; a request only
queues a job and answers at once with its id, and ``GET /jobs/{id}`` shows its
progress.
"""

from __future__ import annotations

import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from taktline.errors import InputError
from taktline.store import RunStore, fingerprint, scenario_sha256
from taktline.workflow.jobs import PreparedJob, execute


@dataclass
class Job:
    """A queued or running job and, when done, the runs it recorded."""

    id: str
    kind: str
    label: str | None
    created: str
    status: str = "queued"  # queued | running | done | failed
    progress: float = 0.0
    message: str = "waiting for the worker"
    run_id: str | None = None
    baseline_run_id: str | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form for ``/jobs``."""
        return dict(self.__dict__)


class JobQueue:
    """Runs prepared jobs one at a time and records each in the store."""

    def __init__(self, store: RunStore, keep: int = 200) -> None:
        self.store = store
        self.keep = keep
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="taktline-job")

    def submit(self, job: PreparedJob, baseline: PreparedJob | None = None) -> Job:
        """Queue ``job`` (and first its ``baseline``, reused from the store if already run)."""
        created = datetime.now(UTC)
        record = Job(
            id=f"job-{created:%H%M%S}-{secrets.token_hex(3)}",
            kind=job.kind.name,
            label=job.label,
            created=created.isoformat(),
        )
        with self._lock:
            self._jobs[record.id] = record
            for old in list(self._jobs)[: max(0, len(self._jobs) - self.keep)]:
                del self._jobs[old]
        self._pool.submit(self._work, record, job, baseline)
        return record

    def get(self, job_id: str) -> Job | None:
        """A job by id, or None."""
        with self._lock:
            return self._jobs.get(job_id)

    def all(self) -> list[Job]:
        """Every job still remembered, newest first."""
        with self._lock:
            return list(reversed(self._jobs.values()))

    def shutdown(self) -> None:
        """Stop taking jobs; wait for the running one."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _work(self, record: Job, job: PreparedJob, baseline: PreparedJob | None) -> None:
        record.status = "running"
        try:
            share = 0.5 if baseline is not None else 1.0
            if baseline is not None:
                record.baseline_run_id = self._baseline(record, baseline, share)
            offset = 1.0 - share

            def progress(fraction: float, message: str) -> None:
                record.progress = round(offset + share * fraction, 3)
                record.message = message

            run = execute(job, progress)
            record.run_id = self.store.add(run).id
            record.progress, record.message, record.status = 1.0, "done", "done"
        except InputError as error:
            record.status, record.message = "failed", str(error)
            record.errors = [
                {"line": p.line, "field": p.field, "message": p.message} for p in error.problems
            ]
        except Exception as error:  # a failed job must say why, not vanish
            record.status, record.message = "failed", f"{type(error).__name__}: {error}"
            record.errors = [{"line": None, "field": None, "message": record.message}]

    def _baseline(self, record: Job, baseline: PreparedJob, share: float) -> str:
        """The latest stored run with the baseline's inputs, or a new one."""

        def progress(fraction: float, message: str) -> None:
            record.progress = round(share * fraction, 3)
            record.message = f"baseline: {message}"

        mark = fingerprint(
            baseline.kind.name,
            scenario_sha256(baseline.scenario_text),
            baseline.parameters,
            baseline.parameters.get("seed"),
        )
        existing = self.store.list(fingerprint=mark, limit=1)
        if existing:
            return existing[0].id
        return self.store.add(execute(baseline, progress)).id
