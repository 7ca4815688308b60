"""Reading and writing scenario files (YAML) with errors located by file, line and field.

Every problem in a file is reported at once, each as
``plant.yaml:42: plants[0].shops[3].stations[2].cycle_time_s: must be > 0``.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from taktline.errors import InputError, Problem
from taktline.model.scenario import Location, Scenario

DEFAULT_SCENARIO = "yizhuang"
_PACKAGE_SCENARIOS = "taktline.scenarios"


# -- YAML with positions -------------------------------------------------------------
class _LineMap:
    """Maps a location in the parsed document to the line it was written on (1-based)."""

    def __init__(self) -> None:
        self.lines: dict[Location, int] = {}

    def line_of(self, loc: Location) -> int | None:
        """Line of the deepest part of ``loc`` present in the file."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return None


def _construct(
    node: yaml.Node,
    loc: Location,
    lines: _LineMap,
    problems: list[Problem],
    filename: str,
    scalars: yaml.SafeLoader,
) -> Any:
    """Build plain Python data from a YAML node, recording each value's line.

    Unlike ``yaml.safe_load`` this reports a key given twice instead of keeping the last.
    """
    lines.lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        # Keys written here override keys merged in with "<<: *anchor"; only a key
        # written twice here is an error.
        written = {id(k) for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"}
        scalars.flatten_mapping(node)
        out: dict[Any, Any] = {}
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = scalars.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if isinstance(key, list | dict):
                problems.append(
                    Problem("a mapping key must be a plain value", filename, line, _dotted(loc))
                )
                continue
            if id(key_node) in written:
                if key in seen:
                    problems.append(
                        Problem(f"key {key!r} is given twice", filename, line, _dotted(loc) or None)
                    )
                seen.add(key)
            child = (*loc, key)
            lines.lines[child] = line
            out[key] = _construct(value_node, child, lines, problems, filename, scalars)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(item, (*loc, i), lines, problems, filename, scalars)
            for i, item in enumerate(node.value)
        ]
    return scalars.construct_object(node)


def _dotted(loc: Location) -> str:
    """``('plants', 0, 'shops', 3, 'id')`` -> ``plants[0].shops[3].id``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def parse_yaml(text: str, filename: str) -> tuple[Any, _LineMap]:
    """Parse YAML text into plain data and a line map; syntax errors become InputError."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        message = f"YAML syntax error: {error.problem or error.context}"
        if error.context and error.problem:
            opened = error.context_mark.line + 1 if error.context_mark else None
            message += f" ({error.context}" + (f" started on line {opened})" if opened else ")")
        raise InputError(message, file=filename, line=line) from None
    except yaml.YAMLError as error:
        raise InputError(f"YAML error: {error}", file=filename) from None
    lines = _LineMap()
    problems: list[Problem] = []
    if node is None:
        raise InputError("the file is empty", file=filename, line=1)
    data = _construct(node, (), lines, problems, filename, yaml.SafeLoader(""))
    if problems:
        raise InputError(problems)
    return data, lines


# -- validation with located errors --------------------------------------------------
def _friendly(error: dict[str, Any]) -> str:
    kind, message = error["type"], error["msg"]
    context = error.get("ctx") or {}
    bounds = {
        "greater_than": ">",
        "greater_than_equal": ">=",
        "less_than": "<",
        "less_than_equal": "<=",
    }
    if kind in bounds:
        limit = next(iter(context.values()), "")
        return (
            f"must be {bounds[kind]} {limit:g}"
            if isinstance(limit, float)
            else (f"must be {bounds[kind]} {limit}")
        )
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind == "literal_error":
        return f"must be one of {context.get('expected')}"
    if message.startswith("Value error, "):
        return message[len("Value error, ") :]
    return message[0].lower() + message[1:] if message else kind


def _clean_loc(loc: tuple[Any, ...]) -> Location:
    """Drop pydantic's internal location parts (union branches, function wrappers)."""
    internal = ("function-", "tagged-union[", "union[")
    return tuple(p for p in loc if not (isinstance(p, str) and p.startswith(internal)))


M = TypeVar("M", bound=BaseModel)


def validate_located(
    model: type[M], data: Any, filename: str, lines: _LineMap | None = None, what: str = "file"
) -> M:
    """Validate plain data as ``model``; every problem becomes a Problem with line and field."""
    if not isinstance(data, dict):
        raise InputError(
            f"a {what} must be a mapping (key: value lines) at the top", file=filename, line=1
        )
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = []
        errors = error.errors(include_url=False)
        locations = [_clean_loc(item["loc"]) for item in errors]
        for item, loc in zip(errors, locations, strict=True):
            if item["type"] == "too_short" and any(
                other[: len(loc)] == loc and other != loc for other in locations
            ):
                continue  # a list emptied by its items' own errors: those say it already
            line = lines.line_of(loc) if lines else None
            problems.append(Problem(_friendly(item), filename, line, _dotted(loc) or None))
        raise InputError(problems) from None


def scenario_from_data(
    data: Any, filename: str = "<scenario>", lines: _LineMap | None = None
) -> Scenario:
    """Validate plain data as a Scenario; every problem becomes a located Problem."""
    return validate_located(Scenario, data, filename, lines, what="scenario file")


def load_scenario(path: str | os.PathLike[str] | None = None) -> Scenario:
    """Load a scenario from a YAML file, or the built-in default plant when ``path`` is None.

    A name without a path separator or suffix (``"yizhuang"``) picks a built-in scenario.
    Raises :class:`taktline.errors.InputError` for any problem, located by line and field.
    """
    if path is None:
        return default_scenario()
    text_path = os.fspath(path)
    if text_path in builtin_scenarios():
        return builtin_scenario(text_path)
    file = Path(text_path)
    if not file.exists():
        raise InputError("no such file (or built-in scenario name)", file=text_path)
    if file.is_dir():
        raise InputError("is a directory, not a scenario file", file=text_path)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"not UTF-8 text ({error.reason} at byte {error.start})", file=text_path
        ) from None
    return scenario_from_yaml(text, text_path)


def scenario_from_yaml(text: str, filename: str = "<scenario>") -> Scenario:
    """Parse and validate scenario YAML text."""
    data, lines = parse_yaml(text, filename)
    return scenario_from_data(data, filename, lines)


def builtin_scenarios() -> list[str]:
    """Names of the scenarios shipped with taktline."""
    folder = resources.files(_PACKAGE_SCENARIOS)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def builtin_scenario_text(name: str = DEFAULT_SCENARIO) -> str:
    """The YAML text of a built-in scenario, comments and sources included."""
    return (resources.files(_PACKAGE_SCENARIOS) / f"{name}.yaml").read_text(encoding="utf-8")


def builtin_scenario(name: str) -> Scenario:
    """A built-in scenario by name."""
    return scenario_from_yaml(builtin_scenario_text(name), f"<built-in {name}>")


def default_scenario() -> Scenario:
    """The built-in default plant: Xiaomi's Yizhuang site, phases 1 and 2."""
    return builtin_scenario(DEFAULT_SCENARIO)


def scenario_to_yaml(scenario: Scenario) -> str:
    """A scenario as YAML text (without the comments of a hand-written file)."""
    data = scenario.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
