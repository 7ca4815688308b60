"""Instances and solutions of the two public car-sequencing formats: readers and writers.

* CSPLib prob001 (one file: ``n k c``, the ``p`` line, the ``q`` line, one line per
  class), and CSPLib's multi-instance ``data.txt``;
* ROADEF/EURO 2005 (a folder with ``ratios.txt``, ``vehicles.txt``,
  ``optimization_objectives.txt`` and ``paint_batch_limit.txt``).

Every reader accepts the quirks listed in ``shared/benchmarks/car-sequencing/README.md``
(missing trailing ``;``, missing final newline, trailing blank lines and spaces) and
raises :class:`~taktline.errors.InputError` naming the file, the line and what was
expected for anything else.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from taktline.errors import InputError
from taktline.fileio import atomic_write_text

# ---------------------------------------------------------------------------- CSPLib


@dataclass(frozen=True, eq=False)
class CSPLibInstance:
    """A car-sequencing instance: ``demand[c]`` cars of class ``c``, which needs the
    options ``options[c, o] == 1``; at most ``p[o]`` cars with option ``o`` in any
    ``q[o]`` consecutive cars."""

    name: str
    p: np.ndarray  # (k,) int
    q: np.ndarray  # (k,) int
    demand: np.ndarray  # (c,) int
    options: np.ndarray  # (c, k) uint8

    @property
    def n_cars(self) -> int:
        return int(self.demand.sum())

    @property
    def n_options(self) -> int:
        return len(self.p)

    @property
    def n_classes(self) -> int:
        return len(self.demand)


def _int_tokens(tokens: list[str], file: str, line: int, what: str) -> list[int]:
    try:
        return [int(t) for t in tokens]
    except ValueError:
        raise InputError(
            f"expected {what} (integers), got {' '.join(tokens)!r}", file=file, line=line
        ) from None


def _parse_csplib_lines(
    lines: list[tuple[int, str]], file: str, name: str, default_capacities: bool = False
) -> CSPLibInstance:
    """Parse the numeric lines of one CSPLib instance: ``(line number, text)`` pairs."""
    rows = [(no, text.split()) for no, text in lines if text.strip()]
    if not rows:
        raise InputError("expected 'n k c' (cars, options, classes), got an empty file", file=file)
    no, tokens = rows[0]
    head = _int_tokens(tokens, file, no, "'n k c' (cars, options, classes)")
    if len(head) != 3:
        raise InputError(f"expected 3 integers 'n k c', got {len(head)}", file=file, line=no)
    n, k, c = head
    if n < 1 or k < 1 or c < 1:
        raise InputError("expected positive n, k and c", file=file, line=no)
    rest = rows[1:]
    if default_capacities and rest and len(rest[0][1]) == k + 2:
        # data.txt's hard blocks lack the capacity lines (csplib issue #220): restore
        # Regin & Puget's 1/2, 2/3, 1/3, 2/5, 1/5.
        if k != 5:
            raise InputError("capacity lines missing and k != 5", file=file, line=rest[0][0])
        p = np.array([1, 2, 1, 2, 1], dtype=np.int64)
        q = np.array([2, 3, 3, 5, 5], dtype=np.int64)
    else:
        cap = []
        for label, idx in (("p (max cars per window)", 0), ("q (window sizes)", 1)):
            if idx >= len(rest):
                raise InputError(
                    f"expected the {label} line, got end of file",
                    file=file,
                    line=(rest[-1][0] + 1) if rest else no + 1,
                )
            lno, toks = rest[idx]
            vals = _int_tokens(toks, file, lno, label)
            if len(vals) != k:
                raise InputError(
                    f"expected {k} values for {label}, got {len(vals)}", file=file, line=lno
                )
            cap.append(vals)
        p = np.array(cap[0], dtype=np.int64)
        q = np.array(cap[1], dtype=np.int64)
        if (q < 1).any() or (p < 0).any() or (p > q).any():
            raise InputError(
                "expected 0 <= p <= q and q >= 1 for every option", file=file, line=rest[1][0]
            )
        rest = rest[2:]
    demand = np.zeros(c, dtype=np.int64)
    options = np.zeros((c, k), dtype=np.uint8)
    for i in range(c):
        if i >= len(rest):
            last = rest[-1][0] if rest else no
            raise InputError(
                f"expected class line {i} ('{i} d a_1 .. a_{k}'), got end of file",
                file=file,
                line=last + 1,
            )
        lno, toks = rest[i]
        vals = _int_tokens(toks, file, lno, f"class line '{i} d a_1 .. a_{k}'")
        if len(vals) != k + 2:
            raise InputError(
                f"expected {k + 2} values on class line {i}, got {len(vals)}", file=file, line=lno
            )
        if vals[0] != i:
            raise InputError(f"expected class index {i}, got {vals[0]}", file=file, line=lno)
        if vals[1] < 0:
            raise InputError(f"expected a car count >= 0, got {vals[1]}", file=file, line=lno)
        if any(v not in (0, 1) for v in vals[2:]):
            raise InputError("expected option flags 0 or 1", file=file, line=lno)
        demand[i] = vals[1]
        options[i] = vals[2:]
    if len(rest) > c:
        raise InputError(f"expected {c} class lines, found more", file=file, line=rest[c][0])
    if int(demand.sum()) != n:
        raise InputError(
            f"class counts add up to {int(demand.sum())}, expected n = {n}",
            file=file,
            line=rest[c - 1][0],
        )
    return CSPLibInstance(name=name, p=p, q=q, demand=demand, options=options)


def _read_lines(path: Path) -> list[tuple[int, str]]:
    try:
        text = path.read_text(encoding="ascii")
    except UnicodeDecodeError as error:
        raise InputError(f"expected a plain ASCII file ({error.reason})", file=str(path)) from None
    return list(enumerate(text.splitlines(), start=1))


def read_csplib(path: str | os.PathLike[str]) -> CSPLibInstance:
    """Read one CSPLib prob001 instance file (``#`` comment lines are skipped)."""
    path = Path(path)
    lines = [(no, t) for no, t in _read_lines(path) if not t.lstrip().startswith("#")]
    return _parse_csplib_lines(lines, str(path), path.stem)


_PROBLEM_HEADER = re.compile(r"#\s*Problem\s+(\S+)")


def read_csplib_collection(path: str | os.PathLike[str]) -> dict[str, CSPLibInstance]:
    """Read CSPLib's multi-instance ``data.txt``: blocks opened by ``# Problem <name>``.

    Blocks without the capacity lines (the 9 hard ones) get Regin & Puget's capacities.
    """
    path = Path(path)
    blocks: dict[str, list[tuple[int, str]]] = {}
    current: str | None = None
    for no, text in _read_lines(path):
        stripped = text.strip()
        head = _PROBLEM_HEADER.match(stripped)
        if head:
            current = head.group(1)
            blocks[current] = []
        elif current is not None and not stripped.startswith("#"):
            blocks[current].append((no, text))
    if not blocks:
        raise InputError("expected '# Problem <name>' blocks, found none", file=str(path))
    return {
        name: _parse_csplib_lines(lines, str(path), name, default_capacities=True)
        for name, lines in blocks.items()
    }


def format_csplib(inst: CSPLibInstance) -> str:
    out = [
        f"{inst.n_cars} {inst.n_options} {inst.n_classes}",
        " ".join(map(str, inst.p.tolist())),
        " ".join(map(str, inst.q.tolist())),
    ]
    for i in range(inst.n_classes):
        out.append(" ".join(map(str, [i, int(inst.demand[i]), *inst.options[i].tolist()])))
    return "\n".join(out) + "\n"


def write_csplib(inst: CSPLibInstance, path: str | os.PathLike[str]) -> Path:
    return atomic_write_text(path, format_csplib(inst))


def read_csplib_solution(path: str | os.PathLike[str]) -> list[int]:
    """A CSPLib solution: class indices in sequence order, separated by whitespace."""
    path = Path(path)
    seq: list[int] = []
    for no, text in _read_lines(path):
        if text.lstrip().startswith("#"):
            continue
        seq.extend(_int_tokens(text.split(), str(path), no, "class indices"))
    return seq


def write_csplib_solution(sequence: Sequence[int], path: str | os.PathLike[str]) -> Path:
    return atomic_write_text(path, " ".join(str(int(c)) for c in sequence) + "\n")


# ---------------------------------------------------------------------------- ROADEF 2005

HPRC, LPRC, PAINT = "hprc", "lprc", "paint"
OBJECTIVE_NAMES = {
    "high_priority_level_and_easy_to_satisfy_ratio_constraints": HPRC,
    "high_priority_level_and_difficult_to_satisfy_ratio_constraints": HPRC,
    "low_priority_level_ratio_constraints": LPRC,
    "paint_color_batches": PAINT,
}
RANK_WEIGHTS = (1_000_000, 1_000, 1)


@dataclass(frozen=True)
class Ratio:
    """At most ``n`` cars with the option in any ``p`` consecutive cars."""

    ident: str
    n: int
    p: int
    high: bool


@dataclass(frozen=True, eq=False)
class RoadefInstance:
    """A ROADEF 2005 day: fixed day D-1 cars, then the day-D cars to sequence.

    ``options`` hold one column per ratio (in ``ratios`` order); the day-D arrays are
    in the file's (Renault's SeqRank) order.
    """

    name: str
    objectives: tuple[str, ...]  # criteria by rank, e.g. ("hprc", "paint", "lprc")
    batch_limit: int
    ratios: tuple[Ratio, ...]
    prev_idents: tuple[str, ...]
    prev_colours: np.ndarray  # (n0,)
    prev_options: np.ndarray  # (n0, k) uint8
    idents: tuple[str, ...]
    colours: np.ndarray  # (m,)
    options: np.ndarray  # (m, k) uint8
    objective_labels: tuple[str, ...] = field(default=())
    dates: tuple[str, ...] = field(default=())

    @property
    def n_cars(self) -> int:
        return len(self.idents)

    def weight(self, criterion: str) -> int:
        """The weight of ``criterion`` in the score (0 if the instance does not rank it)."""
        if criterion not in self.objectives:
            return 0
        return RANK_WEIGHTS[self.objectives.index(criterion)]


class _SemicolonFile:
    """A ``;``-separated file: rows of fields with their line numbers."""

    def __init__(self, path: Path):
        self.path = path
        self.name = str(path)
        if not path.is_file():
            raise InputError("expected this file in the instance folder, not found", file=self.name)
        self.rows: list[tuple[int, list[str]]] = []
        for no, text in _read_lines(path):
            text = text.strip()
            if not text:
                continue  # trailing blank lines (024_38_3, 064_38_2 ch1)
            if text.endswith(";"):
                text = text[:-1]
            self.rows.append((no, [f.strip() for f in text.split(";")]))
        if not self.rows:
            raise InputError("expected a header line, got an empty file", file=self.name)

    def header(self, expected: list[str]) -> list[str]:
        no, fields = self.rows[0]
        if [f.lower() for f in fields[: len(expected)]] != [e.lower() for e in expected]:
            raise InputError(
                f"expected header {';'.join(expected)};..., got {';'.join(fields)!r}",
                file=self.name,
                line=no,
            )
        return fields

    def int_field(self, value: str, no: int, what: str) -> int:
        try:
            return int(value)
        except ValueError:
            raise InputError(
                f"expected {what} (an integer), got {value!r}", file=self.name, line=no
            ) from None


def read_roadef(folder: str | os.PathLike[str]) -> RoadefInstance:
    """Read a ROADEF 2005 instance folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("expected a ROADEF 2005 instance folder", file=str(folder))

    # optimization_objectives.txt
    obj = _SemicolonFile(folder / "optimization_objectives.txt")
    obj.header(["rank", "objective name"])
    objectives: list[str] = []
    labels: list[str] = []
    for no, fields in obj.rows[1:]:
        if len(fields) != 2:
            raise InputError("expected 'rank;objective name;'", file=obj.name, line=no)
        rank = obj.int_field(fields[0], no, "a rank")
        if rank != len(objectives) + 1:
            raise InputError(
                f"expected rank {len(objectives) + 1}, got {rank}", file=obj.name, line=no
            )
        crit = OBJECTIVE_NAMES.get(fields[1])
        if crit is None:
            raise InputError(
                f"expected one of {', '.join(OBJECTIVE_NAMES)}, got {fields[1]!r}",
                file=obj.name,
                line=no,
            )
        if crit in objectives:
            raise InputError(f"criterion {crit} ranked twice", file=obj.name, line=no)
        objectives.append(crit)
        labels.append(fields[1])
    if not objectives or len(objectives) > 3:
        raise InputError(f"expected 1 to 3 ranked objectives, got {len(objectives)}", file=obj.name)

    # paint_batch_limit.txt
    pbl = _SemicolonFile(folder / "paint_batch_limit.txt")
    pbl.header(["limitation"])
    if len(pbl.rows) != 2 or len(pbl.rows[1][1]) != 1:
        raise InputError(
            "expected one line 'L;' after the header", file=pbl.name, line=pbl.rows[-1][0]
        )
    no, fields = pbl.rows[1]
    batch_limit = pbl.int_field(fields[0], no, "the paint batch limit")
    if batch_limit < 1:
        raise InputError(f"expected a batch limit >= 1, got {batch_limit}", file=pbl.name, line=no)

    # ratios.txt
    rat = _SemicolonFile(folder / "ratios.txt")
    rat.header(["Ratio", "Prio", "Ident"])
    ratios: list[Ratio] = []
    for no, fields in rat.rows[1:]:
        if len(fields) != 3:
            raise InputError("expected 'N/P;prio;ident;'", file=rat.name, line=no)
        parts = fields[0].split("/")
        if len(parts) != 2:
            raise InputError(f"expected a ratio 'N/P', got {fields[0]!r}", file=rat.name, line=no)
        nn = rat.int_field(parts[0], no, "N of the ratio N/P")
        pp = rat.int_field(parts[1], no, "P of the ratio N/P")
        if pp < 1 or nn < 0 or nn > pp:
            raise InputError(
                f"expected 0 <= N <= P and P >= 1, got {fields[0]}", file=rat.name, line=no
            )
        prio = fields[1]
        if prio not in ("0", "1"):
            raise InputError(f"expected priority 0 or 1, got {prio!r}", file=rat.name, line=no)
        ident = fields[2]
        if not ident or any(r.ident == ident for r in ratios):
            raise InputError(
                f"expected a new, non-empty ident, got {ident!r}", file=rat.name, line=no
            )
        ratios.append(Ratio(ident=ident, n=nn, p=pp, high=prio == "1"))

    # vehicles.txt
    veh = _SemicolonFile(folder / "vehicles.txt")
    head = veh.header(["Date", "SeqRank", "Ident", "Paint Color"])
    hno = veh.rows[0][0]
    columns = head[4:]
    idents_expected = [r.ident for r in ratios]
    if sorted(columns) != sorted(idents_expected) or len(set(columns)) != len(columns):
        raise InputError(
            f"expected option columns {';'.join(idents_expected)}, got {';'.join(columns)}",
            file=veh.name,
            line=hno,
        )
    col_of = [columns.index(i) for i in idents_expected]
    k = len(ratios)
    dates: list[str] = []
    date_idx, ident_list, colour_list, opt_rows = [], [], [], []
    for no, fields in veh.rows[1:]:
        if len(fields) != 4 + k:
            raise InputError(
                f"expected {4 + k} fields (Date;SeqRank;Ident;Paint Color;"
                f"{k} options), got {len(fields)}",
                file=veh.name,
                line=no,
            )
        date = " ".join(fields[0].split())
        if not dates or dates[-1] != date:
            if date in dates:
                raise InputError(
                    f"date {date!r} appears in two separate runs", file=veh.name, line=no
                )
            dates.append(date)
            if len(dates) > 2:
                raise InputError(
                    f"expected two dates (day D-1, then day D), got a third: {date!r}",
                    file=veh.name,
                    line=no,
                )
        veh.int_field(fields[1], no, "SeqRank")
        if not fields[2]:
            raise InputError("expected a car Ident, got an empty field", file=veh.name, line=no)
        colour = veh.int_field(fields[3], no, "a paint colour code")
        flags = []
        for j in col_of:
            v = fields[4 + j]
            if v not in ("0", "1"):
                raise InputError(
                    f"expected option flag 0 or 1 in column {columns[j]}, got {v!r}",
                    file=veh.name,
                    line=no,
                )
            flags.append(v == "1")
        date_idx.append((len(dates) - 1, no))
        ident_list.append(fields[2])
        colour_list.append(colour)
        opt_rows.append(flags)
    if not ident_list:
        raise InputError("expected vehicle lines after the header", file=veh.name, line=hno)
    day_d = len(dates) - 1  # with a single date, every car is day D (no D-1 prefix)
    is_d = np.array([d == day_d for d, _ in date_idx])
    opts = np.array(opt_rows, dtype=np.uint8).reshape(len(ident_list), k)
    cols = np.array(colour_list, dtype=np.int64)
    seen: dict[str, int] = {}
    for (_, no), ident, d in zip(date_idx, ident_list, is_d, strict=True):
        if d:
            if ident in seen:
                raise InputError(
                    f"day-D Ident {ident!r} repeats line {seen[ident]}", file=veh.name, line=no
                )
            seen[ident] = no
    return RoadefInstance(
        name=folder.name,
        objectives=tuple(objectives),
        batch_limit=batch_limit,
        ratios=tuple(ratios),
        prev_idents=tuple(i for i, d in zip(ident_list, is_d, strict=True) if not d),
        prev_colours=cols[~is_d],
        prev_options=opts[~is_d],
        idents=tuple(i for i, d in zip(ident_list, is_d, strict=True) if d),
        colours=cols[is_d],
        options=opts[is_d],
        objective_labels=tuple(labels),
        dates=tuple(dates),
    )


def write_roadef(inst: RoadefInstance, folder: str | os.PathLike[str]) -> Path:
    """Write ``inst`` as a ROADEF 2005 folder (canonical form: every line ends in ``;``)."""
    folder = Path(folder)
    labels = inst.objective_labels or tuple(
        {
            HPRC: "high_priority_level_and_easy_to_satisfy_ratio_constraints",
            LPRC: "low_priority_level_ratio_constraints",
            PAINT: "paint_color_batches",
        }[o]
        for o in inst.objectives
    )
    atomic_write_text(
        folder / "optimization_objectives.txt",
        "rank;objective name;\n"
        + "".join(f"{r};{lab};\n" for r, lab in enumerate(labels, start=1)),
    )
    atomic_write_text(folder / "paint_batch_limit.txt", f"limitation;\n{inst.batch_limit};\n")
    atomic_write_text(
        folder / "ratios.txt",
        "Ratio;Prio;Ident;\n"
        + "".join(f"{r.n}/{r.p};{int(r.high)};{r.ident};\n" for r in inst.ratios),
    )
    dates = inst.dates or (("2000 1 1", "2000 1 2") if len(inst.prev_idents) else ("2000 1 2",))
    lines = ["Date;SeqRank;Ident;Paint Color;" + "".join(f"{r.ident};" for r in inst.ratios)]
    for date, idents, colours, options in (
        (dates[0], inst.prev_idents, inst.prev_colours, inst.prev_options),
        (dates[-1], inst.idents, inst.colours, inst.options),
    ):
        if date == dates[0] and len(dates) == 1:
            continue
        for rank, (ident, colour, opt) in enumerate(
            zip(idents, colours.tolist(), options.tolist(), strict=True), start=1
        ):
            lines.append(f"{date};{rank};{ident};{colour};" + "".join(f"{v};" for v in opt))
    atomic_write_text(folder / "vehicles.txt", "\n".join(lines) + "\n")
    return folder


def read_roadef_solution(path: str | os.PathLike[str]) -> list[str]:
    """A ROADEF solution: one day-D car Ident per line in sequence order (blank lines and a
    trailing ``;`` are ignored)."""
    path = Path(path)
    out = []
    for _no, text in _read_lines(path):
        text = text.strip().rstrip(";").strip()
        if text:
            out.append(text)
    return out


def write_roadef_solution(idents: Sequence[str], path: str | os.PathLike[str]) -> Path:
    return atomic_write_text(path, "".join(f"{i}\n" for i in idents))
