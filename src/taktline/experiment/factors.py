"""Setting a factor's value inside a scenario, by a dotted path.

Paths walk the scenario's fields; a list is entered by an item's ``id``
(``plants.phase1.shops.paint``), by its index (``plants.0``) or by ``*`` for
every item (``plants.*.buffers.pbs.capacity`` changes both phases).
"""

from __future__ import annotations

import copy
from typing import Any

from taktline.model import Scenario, scenario_from_data


def _targets(node: Any, parts: list[str], trail: str) -> list[tuple[Any, str | int, str]]:
    """Every (container, key, path) that ``parts`` designates below ``node``."""
    if not parts:
        raise ValueError("empty path")
    head, rest = parts[0], parts[1:]
    here = f"{trail}.{head}" if trail else head
    if isinstance(node, dict):
        if head not in node:
            known = ", ".join(sorted(map(str, node))) or "nothing"
            raise KeyError(f"{here}: no field {head!r} here (known: {known})")
        keys: list[str | int] = [head]
    elif isinstance(node, list):
        if head == "*":
            keys = list(range(len(node)))
        elif head.isdigit() and int(head) < len(node):
            keys = [int(head)]
        else:
            keys = [
                i
                for i, item in enumerate(node)
                if isinstance(item, dict) and item.get("id") == head
            ]
            if not keys:
                ids = [str(item.get("id")) for item in node if isinstance(item, dict)]
                raise KeyError(f"{here}: no item with id {head!r} (ids: {', '.join(ids)})")
    else:
        raise KeyError(f"{trail}: is a value, it has no {head!r}")
    if not rest:
        return [(node, key, here) for key in keys]
    out = []
    for key in keys:
        child = node[key]
        if child is None:
            raise KeyError(f"{here}: is not set in the scenario, so it has no {rest[0]!r}")
        out += _targets(child, rest, here)
    return out


def base_values(scenario_data: dict[str, Any], path: str) -> list[Any]:
    """The current values at ``path`` (one per matching place)."""
    return [container[key] for container, key, _ in _targets(scenario_data, path.split("."), "")]


def set_values(
    scenario_data: dict[str, Any], settings: dict[str, Any], scales: dict[str, float]
) -> dict[str, Any]:
    """A copy of ``scenario_data`` with each path set to a value or multiplied by a scale."""
    data = copy.deepcopy(scenario_data)
    for path, value in settings.items():
        for container, key, _ in _targets(data, path.split("."), ""):
            container[key] = value
    for path, factor in scales.items():
        for container, key, where in _targets(data, path.split("."), ""):
            base = container[key]
            if not isinstance(base, int | float) or isinstance(base, bool):
                raise KeyError(f"{where}: cannot scale {base!r}, it is not a number")
            scaled = base * factor
            container[key] = round(scaled) if isinstance(base, int) else scaled
    return data


def factor_path_error(scenario_data: dict[str, Any], path: str) -> str | None:
    """Why ``path`` leads to no value of the scenario, or None if it does."""
    try:
        places = _targets(scenario_data, path.split("."), "")
    except KeyError as error:
        return str(error.args[0])
    for container, key, where in places:
        if isinstance(container[key], dict | list):
            return f"{where}: is a group of fields, not a value"
    return None


def scenario_dict(scenario: Scenario) -> dict[str, Any]:
    """A scenario as plain data, every field present (so every path can be reached)."""
    return scenario.model_dump(mode="json")


def apply(
    scenario: Scenario, settings: dict[str, Any], scales: dict[str, float], label: str = ""
) -> Scenario:
    """The scenario with the factor settings applied, validated again."""
    data = set_values(scenario_dict(scenario), settings, scales)
    return scenario_from_data(data, f"<{label or 'design point'}>")
