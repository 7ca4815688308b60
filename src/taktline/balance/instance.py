"""The SALBP instance: task times and direct precedence relations.

Tasks are numbered 1..n as in the benchmark files; an arc ``(i, j)`` says that
task ``i`` must be done at the same station as ``j`` or an earlier one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from taktline.errors import InputError


@dataclass(frozen=True)
class Instance:
    """A SALBP precedence graph, optionally with the cycle time given by its file.

    ``times[k]`` is the time of task ``k + 1``; ``arcs`` holds pairs of task
    numbers (1-based, as in the files). The graph is checked to be acyclic.
    """

    name: str
    times: tuple[int, ...]
    arcs: tuple[tuple[int, int], ...]
    cycle_time: int | None = None
    order_strength: float | None = None
    labels: tuple[str, ...] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        n = len(self.times)
        if n == 0:
            raise InputError("an instance needs at least one task", file=self.name)
        for task, t in enumerate(self.times, start=1):
            if t < 0:
                raise InputError(f"task {task} has a negative time {t}", file=self.name)
        for i, j in self.arcs:
            if not (1 <= i <= n and 1 <= j <= n):
                raise InputError(f"arc {i},{j} names a task outside 1..{n}", file=self.name)
            if i == j:
                raise InputError(f"arc {i},{j} makes task {i} precede itself", file=self.name)
        topological_order(n, self.arcs, self.name)  # raises on a cycle

    @property
    def n(self) -> int:
        return len(self.times)

    @property
    def t_sum(self) -> int:
        return sum(self.times)

    @property
    def t_max(self) -> int:
        return max(self.times)

    def times_array(self) -> np.ndarray:
        return np.asarray(self.times, dtype=np.int64)

    def reversed(self) -> Instance:
        """The mirror instance: task k becomes n+1-k and every arc is turned round."""
        n = self.n
        return Instance(
            name=self.name,
            times=tuple(reversed(self.times)),
            arcs=tuple(sorted((n + 1 - j, n + 1 - i) for i, j in self.arcs)),
            cycle_time=self.cycle_time,
            order_strength=self.order_strength,
        )


def topological_order(
    n: int, arcs: tuple[tuple[int, int], ...] | list, name: str = ""
) -> list[int]:
    """Tasks (1-based) in an order compatible with the arcs; smallest number first among ties."""
    import heapq

    indeg = [0] * (n + 1)
    succ: list[list[int]] = [[] for _ in range(n + 1)]
    for i, j in arcs:
        succ[i].append(j)
        indeg[j] += 1
    ready = [k for k in range(1, n + 1) if indeg[k] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        k = heapq.heappop(ready)
        order.append(k)
        for j in succ[k]:
            indeg[j] -= 1
            if indeg[j] == 0:
                heapq.heappush(ready, j)
    if len(order) != n:
        stuck = sorted(k for k in range(1, n + 1) if indeg[k] > 0)
        raise InputError(
            f"the precedence relations contain a cycle (through tasks {stuck[:10]})",
            file=name or None,
        )
    return order
