"""What every CLI command shares: JSON output, error reporting, the console."""

from __future__ import annotations

import functools
import json
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from taktline.errors import InputError

console = Console()
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])

EXIT_INPUT = 2


def _jsonable(value: Any) -> Any:
    """Convert numpy scalars/arrays, NaN and infinities to plain JSON values."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "tolist"):
        return _jsonable(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def emit_json(document: Any) -> None:
    """Print one JSON document on stdout (the ``--json`` contract)."""
    sys.stdout.write(json.dumps(_jsonable(document), indent=2, default=str) + "\n")


def fail(message: str, code: int = EXIT_INPUT) -> None:
    """Print an error on stderr and exit with ``code`` (2: usage or input error)."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def handle_input_errors(func: F) -> F:
    """Turn :class:`InputError` (and unreadable files) into one line each on stderr, exit 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as error:
            for problem in error.problems:
                typer.echo(f"error: {problem}", err=True)
            raise typer.Exit(EXIT_INPUT) from None
        except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
            typer.echo(f"error: {error.filename}: {error.strerror}", err=True)
            raise typer.Exit(EXIT_INPUT) from None

    return wrapper  # type: ignore[return-value]


@contextmanager
def progress_bar(
    description: str, total: int | None = None, enabled: bool = True
) -> Iterator[Callable[[int, int], None]]:
    """A Rich progress bar on stderr (so ``--json`` stdout stays clean); yields the
    ``progress(done, total)`` callback the engines take."""
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not enabled,
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda done, total: bar.update(task, completed=done, total=total)
