"""Helpers of the web tests (importable because conftest puts this folder on the path)."""

from __future__ import annotations

import time
from typing import Any


def wait_for_job(client: Any, job_id: str, timeout: float = 60) -> dict[str, Any]:
    """Poll ``/jobs/{id}`` (TestClient or httpx client) until it is done or failed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")
