"""Readers for the public SALBP formats: Scholl's ``.IN2`` and Otto et al.'s ``.alb``.

Both accept every quirk of the published files (see
``shared/benchmarks/salbp/README.md``): CRLF line endings, DOS code-page text
and an end-of-file byte after the end mark, arcs listed after the end mark
that are not part of the graph (``ARC111.IN2``), no line break after the end
mark, and a decimal comma in the order strength. A malformed file raises
:class:`~taktline.errors.InputError` naming the file, the line and what was
expected.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from taktline.balance.instance import Instance
from taktline.errors import InputError

_INT = re.compile(r"[+-]?\d+")
_ARC = re.compile(r"([+-]?\d+),([+-]?\d+)")


def _lines(path: Path) -> list[str]:
    """The file's lines, decoded byte for byte (latin-1 never fails), CR/LF stripped."""
    data = path.read_bytes()
    return data.decode("latin-1").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _show(text: str) -> str:
    text = text if len(text) <= 40 else text[:37] + "..."
    return repr(text)


def read_in2(path: str | os.PathLike[str]) -> Instance:
    """Read a Scholl (1993) ``.IN2`` precedence graph (no cycle time in the file).

    Layout: n; n task times, one per line; arcs ``i,j``; end mark ``-1,-1``.
    Everything after the end mark is ignored (source notes, ``0x1A``, and the
    deleted transitive arcs listed in ``ARC111.IN2``).
    """
    path = Path(path)
    name = str(path)
    lines = _lines(path)

    def fail(lineno: int, expected: str) -> InputError:
        found = lines[lineno - 1] if lineno <= len(lines) else None
        if found is None or (lineno == len(lines) and found == ""):
            return InputError(
                f"expected {expected}, found the end of the file", file=name, line=lineno
            )
        return InputError(f"expected {expected}, found {_show(found)}", file=name, line=lineno)

    if not lines or not _INT.fullmatch(lines[0]):
        raise fail(1, "the number of tasks (a positive integer)")
    n = int(lines[0])
    if n <= 0:
        raise fail(1, "the number of tasks (a positive integer)")
    times: list[int] = []
    for k in range(1, n + 1):
        lineno = k + 1
        text = lines[lineno - 1] if lineno <= len(lines) else None
        if text is None or not _INT.fullmatch(text) or int(text) <= 0:
            raise fail(lineno, f"the time of task {k} of {n} (a positive integer)")
        times.append(int(text))
    arcs: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    lineno = n + 1
    while True:
        lineno += 1
        text = lines[lineno - 1] if lineno <= len(lines) else None
        if text is None:
            raise fail(lineno, "a precedence relation 'i,j' or the end mark '-1,-1'")
        match = _ARC.fullmatch(text)
        if not match:
            raise fail(lineno, "a precedence relation 'i,j' or the end mark '-1,-1'")
        i, j = int(match.group(1)), int(match.group(2))
        if (i, j) == (-1, -1):
            break  # the end mark: whatever follows is commentary, not data
        if not (1 <= i <= n and 1 <= j <= n) or i == j:
            raise fail(lineno, f"a precedence relation 'i,j' between two different tasks 1..{n}")
        if (i, j) not in seen:
            seen.add((i, j))
            arcs.append((i, j))
    return Instance(name=path.stem, times=tuple(times), arcs=tuple(arcs))


_TAG = re.compile(r"<([^<>]+)>")
_ALB_TAGS = (
    "number of tasks",
    "cycle time",
    "order strength",
    "task times",
    "precedence relations",
    "end",
)
_REQUIRED = ("number of tasks", "task times", "precedence relations", "end")


def read_alb(path: str | os.PathLike[str]) -> Instance:
    """Read an Otto, Otto & Scholl (2013) ``.alb`` SALBP-1 file.

    Sections are found by their tag, not by line number; blank lines between
    sections are ignored; the order strength may use a decimal comma.
    """
    path = Path(path)
    name = str(path)
    lines = _lines(path)
    sections: dict[str, tuple[int, list[tuple[int, str]]]] = {}
    current: str | None = None
    ended = False
    for lineno, raw in enumerate(lines, start=1):
        text = raw.strip()
        if ended:
            continue
        if not text:
            continue
        tag = _TAG.fullmatch(text)
        if tag:
            key = tag.group(1).strip().lower()
            if key not in _ALB_TAGS:
                raise InputError(
                    f"expected one of the tags {', '.join('<' + t + '>' for t in _ALB_TAGS)}, "
                    f"found {_show(text)}",
                    file=name,
                    line=lineno,
                )
            if key in sections:
                raise InputError(
                    f"expected each section once, found a second <{key}>", file=name, line=lineno
                )
            sections[key] = (lineno, [])
            current = key
            if key == "end":
                ended = True
            continue
        if current is None:
            raise InputError(
                f"expected the tag <number of tasks>, found {_show(text)}", file=name, line=lineno
            )
        sections[current][1].append((lineno, text))
    last = len(lines)
    for key in _REQUIRED:
        if key not in sections:
            raise InputError(
                f"expected a <{key}> section, found the end of the file", file=name, line=last
            )

    def single(key: str, what: str) -> tuple[int, str] | None:
        if key not in sections:
            return None
        tag_line, body = sections[key]
        if len(body) != 1:
            where = body[1][0] if len(body) > 1 else tag_line + 1
            found = _show(body[1][1]) if len(body) > 1 else "nothing"
            raise InputError(f"expected one line with {what}, found {found}", file=name, line=where)
        return body[0]

    lineno, text = single("number of tasks", "the number of tasks")  # type: ignore[misc]
    if not _INT.fullmatch(text) or int(text) <= 0:
        raise InputError(
            f"expected the number of tasks (a positive integer), found {_show(text)}",
            file=name,
            line=lineno,
        )
    n = int(text)

    cycle_time = None
    entry = single("cycle time", "the cycle time")
    if entry is not None:
        lineno, text = entry
        if not _INT.fullmatch(text) or int(text) <= 0:
            raise InputError(
                f"expected the cycle time (a positive integer), found {_show(text)}",
                file=name,
                line=lineno,
            )
        cycle_time = int(text)

    order_strength = None
    entry = single("order strength", "the order strength")
    if entry is not None:
        lineno, text = entry
        if not re.fullmatch(r"\d+([.,]\d+)?", text):
            raise InputError(
                "expected the order strength (a decimal number, point or comma), "
                f"found {_show(text)}",
                file=name,
                line=lineno,
            )
        order_strength = float(text.replace(",", "."))

    tag_line, body = sections["task times"]
    times: list[int] = []
    for k, (lineno, text) in enumerate(body, start=1):
        parts = text.split()
        if k > n:
            raise InputError(
                f"expected {n} task times (as <number of tasks> says), "
                f"found a task line {_show(text)}",
                file=name,
                line=lineno,
            )
        if (
            len(parts) != 2
            or not _INT.fullmatch(parts[0])
            or not _INT.fullmatch(parts[1])
            or int(parts[0]) != k
            or int(parts[1]) <= 0
        ):
            raise InputError(
                f"expected 'task time' for task {k} (two integers, time positive), "
                f"found {_show(text)}",
                file=name,
                line=lineno,
            )
        times.append(int(parts[1]))
    if len(times) < n:
        where = body[-1][0] + 1 if body else tag_line + 1
        raise InputError(
            f"expected {n} task times (as <number of tasks> says), found {len(times)}",
            file=name,
            line=where,
        )

    arcs: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    for lineno, text in sections["precedence relations"][1]:
        match = _ARC.fullmatch(text)
        ok = match is not None
        if match:
            i, j = int(match.group(1)), int(match.group(2))
            ok = 1 <= i <= n and 1 <= j <= n and i != j
        if not ok:
            raise InputError(
                f"expected a precedence relation 'i,j' between two different tasks 1..{n}, "
                f"found {_show(text)}",
                file=name,
                line=lineno,
            )
        if (i, j) not in seen:
            seen.add((i, j))
            arcs.append((i, j))
    return Instance(
        name=path.stem,
        times=tuple(times),
        arcs=tuple(arcs),
        cycle_time=cycle_time,
        order_strength=order_strength,
    )


def read_instance(path: str | os.PathLike[str]) -> Instance:
    """Read a ``.IN2`` or ``.alb`` file, chosen by its suffix (case-insensitive)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".in2":
        return read_in2(path)
    if suffix == ".alb":
        return read_alb(path)
    raise InputError(
        f"expected a file ending in .IN2 (Scholl) or .alb (Otto et al.), found '{path.suffix}'",
        file=str(path),
    )
