"""Balance one of the plant's own lines: its tasks onto stations at its takt.

The line's tasks (``Line.tasks`` of the scenario, or a task file) become a
SALBP-1 instance: times are rounded *up* to ``resolution_s`` and the takt
*down*, so a balance of the rounded instance never overloads a station in real
seconds. The balanced line's stations carry the summed task times as their
cycle time; the rest of each station (failures, quality, servers) is copied
from the line's station at the same position (the last one for extra
stations). Zones are reported per station but not enforced.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from taktline.balance.instance import Instance
from taktline.balance.salbp import Balance, solve_salbp1
from taktline.errors import InputError
from taktline.model import Line, Scenario, Task
from taktline.model.base import Frozen
from taktline.model.loader import parse_yaml, validate_located


@dataclass
class LineBalance:
    line: str
    takt_s: float
    result: Balance
    stations: list[dict]
    scenario: Scenario


class TaskFile(Frozen):
    """A file of tasks for ``balance line --tasks``: a top-level ``tasks:`` list."""

    tasks: tuple[Task, ...] = Field(min_length=1)


def read_tasks(path: str | Path) -> tuple[Task, ...]:
    """Tasks from a YAML file with a top-level ``tasks:`` list (the scenario's Task fields);
    problems are located by file, line and field."""
    name = str(path)
    if not Path(path).is_file():
        raise InputError("no such task file", file=name)
    data, lines = parse_yaml(Path(path).read_text(encoding="utf-8"), name)
    return validate_located(TaskFile, data, name, lines, what="task file").tasks


def _find(scenario: Scenario, line_id: str) -> tuple[int, int, int, Line]:
    for p, plant in enumerate(scenario.plants):
        for s, shop in enumerate(plant.shops):
            for k, line in enumerate(shop.lines):
                if line.id == line_id:
                    return p, s, k, line
    known = sorted({ln.id for pl in scenario.plants for sh in pl.shops for ln in sh.lines})
    raise InputError(f"no line {line_id!r} in the scenario (lines: {', '.join(known)})")


def balance_line(
    scenario: Scenario,
    line_id: str,
    takt_s: float | None = None,
    tasks: tuple[Task, ...] | None = None,
    time_limit: float | None = 10.0,
    resolution_s: float = 0.1,
) -> LineBalance:
    """Balance ``line_id`` (first match across the plants) and return the updated scenario."""
    p, s, k, line = _find(scenario, line_id)
    tasks = tasks if tasks is not None else line.tasks
    if not tasks:
        raise InputError(f"line {line_id!r} has no tasks to balance (give a task file)")
    takt = takt_s if takt_s is not None else line.takt_s
    if takt is None:
        raise InputError(f"line {line_id!r} has no takt_s: give one (--takt)")
    number = {t.id: i + 1 for i, t in enumerate(tasks)}
    for t in tasks:
        for pred in t.predecessors:
            if pred not in number:
                raise InputError(f"task {t.id!r} has unknown predecessor {pred!r}")
    inst = Instance(
        name=line_id,
        times=tuple(math.ceil(t.time_s / resolution_s - 1e-9) for t in tasks),
        arcs=tuple((number[pr], number[t.id]) for t in tasks for pr in t.predecessors),
    )
    c = math.floor(takt / resolution_s + 1e-9)
    result = solve_salbp1(inst, c, time_limit=time_limit)
    rows, new_stations = [], []
    same = len(result.assignment) == len(line.stations)
    for i, group in enumerate(result.assignment):
        members = [tasks[j - 1] for j in group]
        load = sum(t.time_s for t in members)
        template = line.stations[min(i, len(line.stations) - 1)]
        sid = template.id if same else f"{line.id}-{i + 1:02d}"
        new_stations.append(
            template.model_copy(
                update={
                    "id": sid,
                    "cycle_time_s": round(load, 6),
                    "cycle_time_by_model_s": {},
                    "option_time_s": {},
                }
            )
        )
        zones = sorted({t.zone for t in members if t.zone})
        rows.append(
            {
                "station": sid,
                "cycle_time_s": round(load, 3),
                "zones": zones,
                "tasks": [t.id for t in members],
            }
        )
    update = {"stations": tuple(new_stations), "tasks": tasks}
    if not same:
        update["buffers"] = ()
    new_line = line.model_copy(update=update)
    plant = scenario.plants[p]
    shop = plant.shops[s]
    new_shop = shop.model_copy(update={"lines": (*shop.lines[:k], new_line, *shop.lines[k + 1 :])})
    new_plant = plant.model_copy(
        update={"shops": (*plant.shops[:s], new_shop, *plant.shops[s + 1 :])}
    )
    new_scenario = scenario.model_copy(
        update={"plants": (*scenario.plants[:p], new_plant, *scenario.plants[p + 1 :])}
    )
    return LineBalance(line_id, float(takt), result, rows, new_scenario)
