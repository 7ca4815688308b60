"""An independent check of a line balance: every task once, precedence, station loads.

Deliberately written without anything from the solvers, so that a solver bug
cannot hide behind a shared helper.
"""

from __future__ import annotations

from collections.abc import Sequence

from taktline.balance.instance import Instance


def check_assignment(
    instance: Instance, assignment: Sequence[Sequence[int]], cycle_time: int
) -> list[str]:
    """Everything wrong with ``assignment`` (stations in line order, tasks 1-based); [] if valid."""
    problems: list[str] = []
    n = instance.n
    station_of: dict[int, int] = {}
    for s, tasks in enumerate(assignment, start=1):
        if not tasks:
            problems.append(f"station {s} is empty")
        load = 0
        for task in tasks:
            if not isinstance(task, int) or not 1 <= task <= n:
                problems.append(f"station {s} holds {task!r}, not a task 1..{n}")
                continue
            if task in station_of:
                problems.append(f"task {task} is at stations {station_of[task]} and {s}")
                continue
            station_of[task] = s
            load += instance.times[task - 1]
        if load > cycle_time:
            problems.append(f"station {s} has load {load} > cycle time {cycle_time}")
    missing = [k for k in range(1, n + 1) if k not in station_of]
    if missing:
        problems.append(f"tasks not assigned: {missing[:20]}{' ...' if len(missing) > 20 else ''}")
    for i, j in instance.arcs:
        if i in station_of and j in station_of and station_of[i] > station_of[j]:
            problems.append(
                f"arc {i},{j} violated: task {i} at station {station_of[i]}, "
                f"task {j} at station {station_of[j]}"
            )
    return problems


def station_loads(instance: Instance, assignment: Sequence[Sequence[int]]) -> list[int]:
    """The work content of each station."""
    return [sum(instance.times[k - 1] for k in tasks) for tasks in assignment]


def verify(instance: Instance, assignment: Sequence[Sequence[int]], cycle_time: int) -> None:
    """Raise :class:`AssertionError` listing the problems unless ``assignment`` is valid."""
    problems = check_assignment(instance, assignment, cycle_time)
    if problems:
        raise AssertionError(f"{instance.name}: invalid balance: " + "; ".join(problems))
