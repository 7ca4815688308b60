"""Reading experiment files: validated like scenarios, errors by file, line and field."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from taktline.errors import InputError, Problem
from taktline.experiment.factors import factor_path_error, scenario_dict
from taktline.experiment.spec import ExperimentSpec
from taktline.model import Scenario, builtin_scenarios, load_scenario
from taktline.model.loader import parse_yaml, validate_located


@dataclass(frozen=True)
class Experiment:
    """An experiment ready to run: its spec, base scenario and the scenario's source text."""

    spec: ExperimentSpec
    scenario: Scenario
    source: str  # where the base scenario came from (file or built-in name)
    text: str = ""  # the experiment file as written (recorded with its runs)


def _resolve_scenario(reference: str | None, experiment_file: Path) -> str | None:
    if reference is None or reference in builtin_scenarios():
        return reference
    path = Path(reference)
    return str(path if path.is_absolute() else experiment_file.parent / path)


def load_experiment(path: str | os.PathLike[str]) -> Experiment:
    """Load and check an experiment file and its base scenario.

    Every factor path must lead to a value of the base scenario; a path that
    does not is reported with the line it is written on.
    """
    file = Path(path)
    name = os.fspath(path)
    if not file.is_file():
        raise InputError("no such experiment file", file=name)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text ({error.reason})", file=name) from None
    data, lines = parse_yaml(text, name)
    spec = validate_located(ExperimentSpec, data, name, lines, what="experiment file")
    source = _resolve_scenario(spec.scenario, file)
    scenario = load_scenario(source)
    as_data = scenario_dict(scenario)
    problems = []
    for index, factor in enumerate(spec.factors):
        message = factor_path_error(as_data, factor.path)
        if message:
            loc = ("factors", index, "path")
            problems.append(Problem(message, name, lines.line_of(loc), f"factors[{index}].path"))
    if problems:
        raise InputError(problems)
    return Experiment(spec, scenario, source or "yizhuang (built-in)", text)
