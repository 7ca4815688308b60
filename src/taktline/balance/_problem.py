"""Arrays the compiled kernels work on, built once per (graph, direction)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from taktline.balance.instance import Instance, topological_order


@dataclass(frozen=True)
class Prepared:
    """One direction of a graph with 0-based tasks in topological order.

    ``task_of[k]`` is the file's task number (1-based) of internal task ``k``;
    in the mirrored direction (``mirrored``), stations come out in reverse order.
    """

    instance: Instance
    mirrored: bool
    task_of: np.ndarray
    t: np.ndarray
    pred_ptr: np.ndarray
    pred_idx: np.ndarray
    succ_ptr: np.ndarray
    succ_idx: np.ndarray
    npred: np.ndarray
    closure: np.ndarray  # closure[i, j]: j is a (transitive) successor of i

    @property
    def n(self) -> int:
        return len(self.t)

    @cached_property
    def has_succ(self) -> np.ndarray:
        return (np.diff(self.succ_ptr) > 0).astype(np.int64)

    @cached_property
    def positional_weight(self) -> np.ndarray:
        return self.t + self.closure.astype(np.float64) @ self.t.astype(np.float64)

    @cached_property
    def n_followers(self) -> np.ndarray:
        return self.closure.sum(axis=1).astype(np.int64)

    @cached_property
    def potentially_dominates(self) -> np.ndarray:
        """pd[i, j] = 1 if task i may replace task j in a load (Jackson's rule).

        i and j unrelated, t_i >= t_j, the transitive successors of i include
        those of j; when times and successor sets are equal, the smaller index
        dominates, so that no two tasks dominate each other.
        """
        C = self.closure
        n = self.n
        Cf = C.astype(np.float32)
        # outside[j, i] = |F(j) \ F(i)|
        outside = Cf @ (1.0 - Cf).T
        subset = outside.T < 0.5  # subset[i, j]: F(j) within F(i)
        t = self.t
        ge = t[:, None] >= t[None, :]
        unrelated = ~C & ~C.T
        np.fill_diagonal(unrelated, False)
        # equal times: F(j) strictly inside F(i), or equal sets and i < j
        equal_sets = subset & subset.T
        idx = np.arange(n)
        tie = equal_sets & (idx[:, None] < idx[None, :])
        strict_subset = subset & ~subset.T
        pd = unrelated & ge & subset & ((t[:, None] > t[None, :]) | strict_subset | tie)
        return pd.astype(np.uint8)

    @cached_property
    def between(self) -> np.ndarray:
        """between[i, j]: total time of the tasks that follow i and precede j (both excluded)."""
        C = self.closure.astype(np.float64)
        return np.rint((C * self.t.astype(np.float64)) @ C).astype(np.int64)

    def reach_table(self, c: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per task k, what its successors can add to k's station (``_kernels._reach``).

        For each successor j that fits beside k in a station of cycle time ``c``
        (t_k + the time of the tasks between them + t_j <= c): that least room, as
        CSR rows (``ptr``, ``thr``) sorted ascending, and ``cum``, the running sum
        of the successors' times along each row.
        """
        t = self.t
        need = t[:, None] + self.between + t[None, :]
        ptr = np.zeros(self.n + 1, dtype=np.int64)
        thr: list[np.ndarray] = []
        cum: list[np.ndarray] = []
        for k in range(self.n):
            js = np.flatnonzero(self.closure[k] & (need[k] <= c))
            order = np.argsort(need[k, js], kind="stable")
            js = js[order]
            thr.append(need[k, js])
            cum.append(np.cumsum(t[js]))
            ptr[k + 1] = ptr[k] + len(js)
        return (
            ptr,
            np.concatenate(thr).astype(np.int64) if thr else np.zeros(0, np.int64),
            np.concatenate(cum).astype(np.int64) if cum else np.zeros(0, np.int64),
        )

    def stations_of_file_tasks(self, station: np.ndarray, m: int) -> list[list[int]]:
        """Internal station per internal task -> list of stations of file task numbers."""
        out: list[list[int]] = [[] for _ in range(m)]
        for k in range(self.n):
            s = int(station[k])
            if self.mirrored:
                s = m - 1 - s
            out[s].append(int(self.task_of[k]))
        for tasks in out:
            tasks.sort()
        return out


def prepare(instance: Instance, mirrored: bool = False) -> Prepared:
    n = instance.n
    if mirrored:
        arcs = [(n + 1 - j, n + 1 - i) for i, j in instance.arcs]
        times = list(reversed(instance.times))
        file_task = [n - k for k in range(n)]  # position k (0-based) of the mirror -> file task
    else:
        arcs = list(instance.arcs)
        times = list(instance.times)
        file_task = [k + 1 for k in range(n)]
    order = topological_order(n, arcs, instance.name)  # 1-based in the (mirrored) numbering
    index = {task: k for k, task in enumerate(order)}
    t = np.array([times[task - 1] for task in order], dtype=np.int64)
    task_of = np.array([file_task[task - 1] for task in order], dtype=np.int64)
    succ: list[list[int]] = [[] for _ in range(n)]
    pred: list[list[int]] = [[] for _ in range(n)]
    for i, j in arcs:
        succ[index[i]].append(index[j])
        pred[index[j]].append(index[i])

    def csr(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        ptr = np.zeros(n + 1, dtype=np.int64)
        ptr[1:] = np.cumsum([len(x) for x in lists])
        idx = np.array([v for x in lists for v in sorted(x)], dtype=np.int64)
        return ptr, idx

    pred_ptr, pred_idx = csr(pred)
    succ_ptr, succ_idx = csr(succ)
    desc = [0] * n
    for k in range(n - 1, -1, -1):
        bits = 0
        for j in succ[k]:
            bits |= (1 << j) | desc[j]
        desc[k] = bits
    nbytes = (n + 7) // 8
    closure = np.zeros((n, n), dtype=bool)
    for k in range(n):
        if desc[k]:
            raw = np.frombuffer(desc[k].to_bytes(nbytes, "little"), dtype=np.uint8)
            closure[k] = np.unpackbits(raw, bitorder="little")[:n].astype(bool)
    return Prepared(
        instance=instance,
        mirrored=mirrored,
        task_of=task_of,
        t=t,
        pred_ptr=pred_ptr,
        pred_idx=pred_idx,
        succ_ptr=succ_ptr,
        succ_idx=succ_idx,
        npred=np.diff(pred_ptr).astype(np.int64),
        closure=closure,
    )
