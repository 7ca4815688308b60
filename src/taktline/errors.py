"""Errors that front ends turn into a clear message and exit code 2 (or a 4xx).

Every engine and reader raises :class:`InputError` for bad input: a broken
scenario, a malformed benchmark file, an impossible parameter. It carries where
the problem is (file, line, field path) so the user can go straight to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as known."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
        elif self.line is not None:
            where = f"line {self.line}"
        parts = [p for p in (where, self.field, self.message) if p]
        return ": ".join(parts)


class InputError(Exception):
    """Bad input from a user: one or more located problems.

    ``str(error)`` gives one line per problem, ready to print.
    """

    def __init__(
        self,
        message: str | Iterable[Problem],
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        if isinstance(message, str):
            problems = [Problem(message, file=file, line=line, field=field)]
        else:
            problems = list(message)
        self.problems: list[Problem] = problems
        super().__init__("\n".join(str(p) for p in problems))
