"""What-if changes to a scenario: a buffer's size, a station's cycle time, one more shift.

The dashboard's what-if form and ``POST /runs`` send these; the change is applied to
the scenario's plain data and re-validated, so a what-if that breaks the plant (a
cycle time slower than a paced line's takt, say) is reported like a bad file.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from taktline.errors import InputError, Problem
from taktline.model import Scenario, scenario_from_data

DAY_S = 86400.0


class WhatIf(BaseModel):
    """Changes to try on a scenario. Ids apply in every plant that has them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    buffers: dict[str, int] = Field(
        default_factory=dict, description="buffer id -> new capacity (jobs)"
    )
    cycle_times_s: dict[str, float] = Field(
        default_factory=dict, description="station id -> new cycle time of the base model, s"
    )
    add_shift: bool = Field(default=False, description="work one more shift every working day")
    shift_hours: float = Field(default=8.0, gt=0, le=24, description="length of the added shift")

    @property
    def empty(self) -> bool:
        """True when nothing is changed."""
        return not (self.buffers or self.cycle_times_s or self.add_shift)

    def describe(self) -> str:
        """A short label such as ``pbs=40, ga-trim-1=60s, +1 shift``."""
        parts = [f"{b}={c}" for b, c in self.buffers.items()]
        parts += [f"{s}={t:g}s" for s, t in self.cycle_times_s.items()]
        if self.add_shift:
            parts.append(f"+1 shift ({self.shift_hours:g} h)")
        return ", ".join(parts) or "baseline"


def _apply_buffers(data: dict[str, Any], changes: dict[str, int]) -> set[str]:
    found = set()
    for plant in data["plants"]:
        for buffer in plant.get("buffers", ()):
            if buffer["id"] in changes:
                buffer["capacity"] = changes[buffer["id"]]
                found.add(buffer["id"])
        for shop in plant["shops"]:
            for line in shop["lines"]:
                for buffer in line.get("buffers", ()):
                    if buffer["id"] in changes:
                        buffer["capacity"] = changes[buffer["id"]]
                        found.add(buffer["id"])
    return found


def _apply_cycle_times(data: dict[str, Any], changes: dict[str, float]) -> set[str]:
    found = set()
    for plant in data["plants"]:
        for shop in plant["shops"]:
            for line in shop["lines"]:
                for station in line["stations"]:
                    if station["id"] in changes:
                        station["cycle_time_s"] = changes[station["id"]]
                        found.add(station["id"])
    return found


def _clock(seconds: float) -> time:
    seconds = round(seconds) % int(DAY_S)
    return time(seconds // 3600, (seconds % 3600) // 60, seconds % 60)


def _add_shift(data: dict[str, Any], hours: float) -> None:
    calendar = data.get("calendar")
    if calendar is None:
        raise InputError(
            "the plant runs round the clock already: no shift to add", field="add_shift"
        )
    added = 0
    for pattern in calendar["shift_patterns"].values():
        spans = [
            (_seconds(s["start"]), _seconds(s["start"]) + s["hours"] * 3600)
            for s in pattern["shifts"]
        ]
        first, last = min(a for a, _ in spans), max(b for _, b in spans)
        room_h = (DAY_S - (last - first)) / 3600
        if room_h < 1:
            continue  # this pattern already covers the day
        extra = {
            "name": f"extra-{len(pattern['shifts']) + 1}",
            "start": _clock(last),
            "hours": min(hours, room_h),
        }
        pattern["shifts"] = [*pattern["shifts"], extra]
        added += 1
    if not added:
        raise InputError("every shift pattern already covers 24 hours", field="add_shift")


def _seconds(clock: time | str) -> float:
    if isinstance(clock, str):
        clock = time.fromisoformat(clock)
    return clock.hour * 3600 + clock.minute * 60 + clock.second


def apply_whatif(scenario: Scenario, whatif: WhatIf) -> Scenario:
    """The scenario with the what-if's changes; unknown ids raise :class:`InputError`."""
    if whatif.empty:
        return scenario
    data = scenario.model_dump(mode="python")
    problems = []
    for buffer in sorted(set(whatif.buffers) - _apply_buffers(data, whatif.buffers)):
        problems.append(Problem(f"unknown buffer {buffer!r}", field=f"what_if.buffers.{buffer}"))
    missing = set(whatif.cycle_times_s) - _apply_cycle_times(data, whatif.cycle_times_s)
    for station in sorted(missing):
        problems.append(
            Problem(f"unknown station {station!r}", field=f"what_if.cycle_times_s.{station}")
        )
    if problems:
        raise InputError(problems)
    if whatif.add_shift:
        _add_shift(data, whatif.shift_hours)
    return scenario_from_data(data, filename="<what-if>")


def whatif_choices(scenario: Scenario) -> dict[str, Any]:
    """What a what-if form can offer: buffers with their capacity, stations with cycle time."""
    buffers: dict[str, int] = {}
    stations: dict[str, float] = {}
    for plant in scenario.plants:
        for buffer in plant.buffers:
            buffers.setdefault(buffer.id, buffer.capacity)
        for shop in plant.shops:
            for line in shop.lines:
                for buffer in line.buffers:
                    buffers.setdefault(buffer.id, buffer.capacity)
                for station in line.stations:
                    stations.setdefault(station.id, station.cycle_time_s)
    return {
        "buffers": buffers,
        "stations": stations,
        "has_calendar": scenario.calendar is not None,
    }
