"""Where the units of work run: in this process, a local process pool, or a Ray cluster.

An executor takes a picklable function and a list of tasks and yields
``(task_index, result)`` as results arrive. Results never depend on which
executor or how many workers ran them: every task carries its own random
seeds, and callers order results by task index.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Protocol

from taktline.errors import InputError


class Executor(Protocol):
    """Runs tasks and yields ``(task_index, result)`` in completion order."""

    name: str
    workers: int

    def run(self, fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        """Run ``fn(task)`` for every task."""
        ...

    def close(self) -> None:
        """Release the workers."""
        ...


class InlineExecutor:
    """Runs every task in this process, one after the other (``workers=1``)."""

    name = "inline"
    workers = 1

    def run(self, fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        for index, task in enumerate(tasks):
            yield index, fn(task)

    def close(self) -> None:
        return None


class LocalExecutor:
    """A pool of local processes, all cores by default."""

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        # fork: workers inherit the compiled kernels and imported modules at no cost.
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context("fork")
        )

    def run(self, fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        pending: dict[Future[Any], int] = {self._pool.submit(fn, t): i for i, t in enumerate(tasks)}
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield pending.pop(future), future.result()
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class RayExecutor:
    """Tasks on a Ray cluster (``address``) or a Ray instance started here (``None``).

    Each task travels through Ray's object store and its result comes back the
    same way; ``workers`` bounds the tasks in flight (default: the cluster's CPUs).
    """

    name = "ray"

    def __init__(self, address: str | None = None, workers: int | None = None) -> None:
        try:
            import ray
        except ImportError as error:  # pragma: no cover - ray is a dependency
            raise InputError(f"the ray executor needs the ray package ({error})") from None
        self._ray = ray
        self._started_here = not ray.is_initialized()
        if self._started_here:
            options: dict[str, Any] = {
                "include_dashboard": False,
                "log_to_driver": False,
                "configure_logging": False,
            }
            if address is None:
                options["num_cpus"] = workers or os.cpu_count() or 1
            try:
                ray.init(address=address, **options)
            except (ConnectionError, RuntimeError, ValueError) as error:
                raise InputError(
                    f"cannot reach a Ray cluster at {address!r}: {error}", field="--address"
                ) from None
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.workers = workers or max(cpus, 1)

    def run(self, fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        ray = self._ray
        remote = ray.remote(num_cpus=1)(fn)
        queue = list(enumerate(tasks))
        in_flight: dict[Any, int] = {}
        while queue or in_flight:
            while queue and len(in_flight) < self.workers * 2:  # keep every worker fed
                index, task = queue.pop(0)
                in_flight[remote.remote(task)] = index
            done, _ = ray.wait(list(in_flight), num_returns=1)
            for ref in done:
                yield in_flight.pop(ref), ray.get(ref)

    def close(self) -> None:
        if self._started_here:
            self._ray.shutdown()


def make_executor(
    kind: str = "local", workers: int | None = None, address: str | None = None
) -> Executor:
    """An executor by name: ``local`` (processes; inline for one worker) or ``ray``."""
    if workers is not None and workers < 1:
        raise InputError("must be at least 1", field="--workers")
    if kind == "local":
        if address is not None:
            raise InputError("--address goes with --executor ray", field="--address")
        count = workers or os.cpu_count() or 1
        return InlineExecutor() if count == 1 else LocalExecutor(count)
    if kind == "ray":
        return RayExecutor(address, workers)
    raise InputError(f"unknown executor {kind!r} (local or ray)", field="--executor")
