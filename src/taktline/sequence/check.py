"""The independent checker: scores a sequence straight from the definitions.

It shares no code with the solvers' incremental evaluation (plain numpy over whole
windows), so that each can catch the other's mistakes.

ROADEF 2005 scoring, as the README of the benchmark data defines it (it reproduces
Renault's checker on the six published scores):

* ratio N/P: the sum of ``max(0, c_w - N)`` over the windows
  ``s[i .. min(i+P, n) - 1]`` for ``i`` from ``max(0, n0 - P + 1)`` to ``n - 1``, where
  ``s`` is the D-1 cars followed by the day-D sequence (windows straddling midnight
  count, and so do the truncated windows at the end of day D);
* colour changes: day-D positions whose colour differs from the previous car's (the
  first day-D car is compared with the last D-1 car);
* paint batch limit (hard): no run of more than L same-colour cars within day D;
* score: 10^6, 10^3 and 1 times the criteria of ranks 1, 2 and 3.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from taktline.sequence.formats import HPRC, LPRC, PAINT, CSPLibInstance, RoadefInstance


@dataclass(frozen=True)
class CSPLibCheck:
    valid: bool  # a permutation of the instance's cars
    violated_windows: int
    excess: int  # sum over windows of max(0, count - p)
    per_option: list[dict[str, int]]
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "valid": self.valid,
            "violated_windows": self.violated_windows,
            "excess": self.excess,
            "per_option": self.per_option,
            "problems": self.problems,
        }


@dataclass(frozen=True)
class RoadefCheck:
    valid: bool  # a permutation of the day-D cars that respects the paint batch limit
    hprc: int
    lprc: int
    colour_changes: int
    max_batch: int
    objective: int
    per_ratio: dict[str, int]
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "valid": self.valid,
            "objective": self.objective,
            "hprc": self.hprc,
            "lprc": self.lprc,
            "colour_changes": self.colour_changes,
            "max_batch": self.max_batch,
            "per_ratio": self.per_ratio,
            "problems": self.problems,
        }


def _window_counts(flags: np.ndarray, width: int, starts: np.ndarray) -> np.ndarray:
    """Cars with the option in ``flags[i : min(i + width, n)]`` for each ``i`` in ``starts``."""
    n = len(flags)
    cum = np.concatenate([[0], np.cumsum(flags, dtype=np.int64)])
    return cum[np.minimum(starts + width, n)] - cum[starts]


def check_csplib(inst: CSPLibInstance, sequence: Sequence[int]) -> CSPLibCheck:
    """Score a sequence of class indices: violated windows and total excess.

    Only windows lying wholly inside the sequence count (the CSPLib definition).
    """
    problems: list[str] = []
    seq = np.asarray(list(sequence), dtype=np.int64)
    if len(seq) != inst.n_cars:
        problems.append(f"sequence has {len(seq)} cars, the instance {inst.n_cars}")
    bad = [int(c) for c in seq if c < 0 or c >= inst.n_classes]
    if bad:
        problems.append(f"unknown class index {bad[0]} (classes are 0..{inst.n_classes - 1})")
        seq = seq[(seq >= 0) & (seq < inst.n_classes)]
    counts = np.bincount(seq, minlength=inst.n_classes)
    for c in np.flatnonzero(counts != inst.demand):
        problems.append(f"class {c} appears {counts[c]} times, demand is {inst.demand[c]}")
    per_option = []
    windows = excess = 0
    for o in range(inst.n_options):
        q, p = int(inst.q[o]), int(inst.p[o])
        flags = inst.options[seq, o] if len(seq) else np.zeros(0, dtype=np.uint8)
        starts = np.arange(0, max(0, len(seq) - q + 1))
        over = _window_counts(flags, q, starts) - p
        w, e = int((over > 0).sum()), int(np.maximum(over, 0).sum())
        per_option.append({"p": p, "q": q, "violated_windows": w, "excess": e})
        windows += w
        excess += e
    return CSPLibCheck(
        valid=not problems,
        violated_windows=windows,
        excess=excess,
        per_option=per_option,
        problems=problems,
    )


def roadef_order_from_idents(
    inst: RoadefInstance, idents: Sequence[str]
) -> tuple[np.ndarray, list[str]]:
    """Map day-D idents to car indices; returns the indices found and the problems."""
    index = {ident: i for i, ident in enumerate(inst.idents)}
    problems = []
    order = []
    for pos, ident in enumerate(idents, start=1):
        i = index.get(ident)
        if i is None:
            problems.append(f"position {pos}: {ident!r} is not a day-D car")
        else:
            order.append(i)
    for ident, times in Counter(idents).items():
        if times > 1 and ident in index:
            problems.append(f"{ident!r} appears {times} times")
    missing = len(inst.idents) - len(set(order))
    if missing:
        problems.append(f"{missing} day-D cars are missing from the sequence")
    return np.asarray(order, dtype=np.int64), problems


def score_roadef_order(inst: RoadefInstance, order: Sequence[int] | np.ndarray) -> RoadefCheck:
    """Score day-D car indices in sequence order (no permutation check)."""
    order = np.asarray(order, dtype=np.int64)
    n0 = len(inst.prev_idents)
    colours = np.concatenate([inst.prev_colours, inst.colours[order]])
    options = np.concatenate([inst.prev_options, inst.options[order]], axis=0)
    n = len(colours)
    hprc = lprc = 0
    per_ratio = {}
    for j, r in enumerate(inst.ratios):
        starts = np.arange(max(0, n0 - r.p + 1), n)
        v = int(np.maximum(_window_counts(options[:, j], r.p, starts) - r.n, 0).sum())
        per_ratio[r.ident] = v
        if r.high:
            hprc += v
        else:
            lprc += v
    day = colours[n0:]
    changes = int((colours[max(n0, 1) :] != colours[max(n0, 1) - 1 : -1]).sum()) if n > 1 else 0
    max_batch = 0
    if len(day):
        cuts = np.flatnonzero(day[1:] != day[:-1]) + 1
        bounds = np.concatenate([[0], cuts, [len(day)]])
        max_batch = int(np.diff(bounds).max())
    objective = inst.weight(HPRC) * hprc + inst.weight(LPRC) * lprc + inst.weight(PAINT) * changes
    problems = []
    if max_batch > inst.batch_limit:
        problems.append(
            f"a run of {max_batch} cars of one colour exceeds the paint batch limit "
            f"{inst.batch_limit}"
        )
    return RoadefCheck(
        valid=not problems,
        hprc=hprc,
        lprc=lprc,
        colour_changes=changes,
        max_batch=max_batch,
        objective=objective,
        per_ratio=per_ratio,
        problems=problems,
    )


def check_roadef(inst: RoadefInstance, idents: Sequence[str]) -> RoadefCheck:
    """Check and score a day-D sequence given as car idents."""
    order, problems = roadef_order_from_idents(inst, idents)
    report = score_roadef_order(inst, order)
    if problems:
        return RoadefCheck(
            **{**report.__dict__, "valid": False, "problems": problems + report.problems}
        )
    return report


def roadef_lower_bound(inst: RoadefInstance, ratios: bool = True) -> int:
    """A simple bound on the score, criterion by criterion (``ratios=False``: the
    colour part only, the "trivial" bound of no ratio violation).

    * Ratio N/P with ``r`` day-D cars needing the option: cut day D into blocks of P
      cars (the last one shorter); each block is a counted window, so the violations are
      at least ``r - (N * (m // P) + min(N, m % P))``.
    * Colours: at least one run per ``L`` cars of each colour; one change fewer if the
      first run can continue the last D-1 colour.
    """
    m = len(inst.colours)
    bound = 0
    for k, r in enumerate(inst.ratios if ratios else ()):
        cars = int(inst.options[:, k].sum())
        most = r.n * (m // r.p) + min(r.n, m % r.p)
        bound += inst.weight(HPRC if r.high else LPRC) * max(0, cars - most)
    if inst.weight(PAINT) == 0 or m == 0:
        return bound
    _, counts = np.unique(inst.colours, return_counts=True)
    runs = int(np.ceil(counts / inst.batch_limit).sum())
    continues = len(inst.prev_colours) > 0 and inst.prev_colours[-1] in set(inst.colours.tolist())
    return bound + inst.weight(PAINT) * (runs - 1 if continues else runs)
