"""The plant's own sequence: a day's orders from the scenario, sequenced for the line.

A scenario's products carry options with a spacing rule (at most ``p`` cars with the
option in any ``q`` in a row, at the station the option loads) and paint colours with
a batch limit. A day's orders come from the mix (or a CSV file); they become a
ROADEF-style instance (spacing rules as high-priority ratios, colour changes second,
the batch limit hard) that :func:`taktline.sequence.solve_roadef` sequences. The
result is a release order of jobs (model, options, colour) for the line, with what
it does to each option station compared with the orders as received.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import numpy as np

from taktline.errors import InputError
from taktline.fileio import atomic_write_text
from taktline.model import Plant, Scenario
from taktline.sequence.check import score_roadef_order
from taktline.sequence.formats import HPRC, PAINT, Ratio, RoadefInstance
from taktline.sequence.solve import solve_roadef


@dataclass(frozen=True)
class Job:
    """One car to build: an order of a model with options, in a paint colour."""

    id: str
    model: str
    options: tuple[str, ...]
    colour: str


@dataclass
class OptionLoad:
    """What a sequence does to one option's station."""

    option: str
    station: str | None
    p: int
    q: int
    cars: int
    excess_received: int  # sum over windows of cars beyond p, orders as received
    excess_sequenced: int
    extra_work_s: float  # the option's extra work at its station, per car
    peak_work_received_s: float  # most option work in any q cars in a row
    peak_work_sequenced_s: float


@dataclass
class DayPlan:
    plant: str
    day: str
    jobs: list[Job]  # the release order
    received: list[Job]  # the orders as they came
    objective: int
    lower_bound: int
    colour_changes_received: int
    colour_changes: int
    max_batch: int
    batch_limit: int | None
    options: list[OptionLoad]
    wall_s: float

    def release_models(self) -> list[str]:
        """The model ids in release order, as ``simulate(release_sequence=...)`` takes them."""
        return [job.model for job in self.jobs]

    def as_dict(self) -> dict:
        d = asdict(self)
        d["jobs"] = [{"position": i + 1, **asdict(j)} for i, j in enumerate(self.jobs)]
        d.pop("received")
        return d


def _plant(scenario: Scenario, plant_id: str | None) -> Plant:
    if plant_id is None:
        return scenario.plants[0]
    try:
        return scenario.plant(plant_id)
    except KeyError:
        ids = ", ".join(p.id for p in scenario.plants)
        raise InputError(f"no plant {plant_id!r} (plants: {ids})", field="plant") from None


def _apportion(total: int, shares: dict[str, float]) -> dict[str, int]:
    """Largest-remainder rounding of ``total`` by ``shares``."""
    keys = list(shares)
    raw = np.array([shares[k] for k in keys], dtype=float)
    raw = raw / raw.sum() * total
    counts = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - counts), kind="stable")[: total - counts.sum()]:
        counts[i] += 1
    return dict(zip(keys, counts.tolist(), strict=True))


def orders_from_mix(
    scenario: Scenario,
    day: date,
    *,
    plant: str | None = None,
    cars: int | None = None,
    seed: int = 0,
) -> list[Job]:
    """A day's orders drawn from the scenario's mix: model counts by the mix shares of the
    models in production, options by their take rates, colours by their shares; in the
    random order in which orders arrive."""
    pl = _plant(scenario, plant)
    products = scenario.products
    if cars is None:
        hours = (
            24.0 if scenario.calendar is None else scenario.calendar.working_hours_on(day, pl.id)
        )
        cars = round(hours * pl.nominal_jph)
        if cars == 0:
            raise InputError(f"{day} is not a working day of plant {pl.id}", field="date")
    if cars < 1:
        raise InputError(f"must be >= 1, got {cars}", field="cars")
    mix = products.mix_on(day)
    if not mix:
        raise InputError(f"no model is in production on {day}", field="date")
    rng = np.random.default_rng(seed)
    models = [m for m, k in _apportion(cars, mix).items() for _ in range(k)]
    if products.colours:
        colours = [
            c
            for c, k in _apportion(cars, {c.id: c.share for c in products.colours}).items()
            for _ in range(k)
        ]
    else:
        colours = ["none"] * cars
    rng.shuffle(models)
    rng.shuffle(colours)
    jobs = []
    for i, (model, colour) in enumerate(zip(models, colours, strict=True)):
        opts = tuple(
            o.id
            for o in products.options
            if (not o.models or model in o.models) and rng.random() < o.take_rate
        )
        jobs.append(Job(id=f"{day:%Y%m%d}-{i + 1:04d}", model=model, options=opts, colour=colour))
    return jobs


def read_orders_csv(path: str | os.PathLike[str], scenario: Scenario) -> list[Job]:
    """Orders from a CSV file with the columns ``id, model, options, colour`` (options
    separated by ``+``, ``;`` or spaces; empty for none), in the order received."""
    path = Path(path)
    products = scenario.products
    models = {m.id for m in products.models}
    options = {o.id for o in products.options}
    colours = {c.id for c in products.colours}
    jobs: list[Job] = []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("expected a UTF-8 text file", file=str(path)) from None
    reader = csv.DictReader(text.splitlines())
    missing = {"id", "model", "options", "colour"} - set(reader.fieldnames or [])
    if missing:
        raise InputError(
            f"expected the columns id, model, options, colour; missing "
            f"{', '.join(sorted(missing))}",
            file=str(path),
            line=1,
        )
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        ident = (row["id"] or "").strip()
        if not ident or ident in seen:
            raise InputError(
                f"expected a new, non-empty order id, got {ident!r}", file=str(path), line=line
            )
        seen.add(ident)
        model = (row["model"] or "").strip()
        if model not in models:
            raise InputError(
                f"unknown model {model!r} (models: {', '.join(sorted(models))})",
                file=str(path),
                line=line,
            )
        opts = tuple(
            o for o in (row["options"] or "").replace("+", " ").replace(";", " ").split() if o
        )
        unknown = [o for o in opts if o not in options]
        if unknown:
            raise InputError(f"unknown option {unknown[0]!r}", file=str(path), line=line)
        colour = (row["colour"] or "").strip()
        if colours and colour not in colours:
            raise InputError(f"unknown colour {colour!r}", file=str(path), line=line)
        jobs.append(Job(id=ident, model=model, options=opts, colour=colour))
    if not jobs:
        raise InputError("expected at least one order", file=str(path))
    return jobs


def write_release_csv(jobs: Sequence[Job], path: str | os.PathLike[str]) -> Path:
    lines = ["position,id,model,options,colour"]
    lines += [
        f"{i + 1},{j.id},{j.model},{'+'.join(j.options)},{j.colour}" for i, j in enumerate(jobs)
    ]
    return atomic_write_text(path, "\n".join(lines) + "\n")


def day_instance(
    scenario: Scenario, jobs: Sequence[Job], *, paint_first: bool = False
) -> tuple[RoadefInstance, list]:
    """The orders as a ROADEF-style instance: one high-priority ratio per option with a
    spacing rule; colour changes ranked after (or before, ``paint_first``) them."""
    products = scenario.products
    spaced = [o for o in products.options if o.spacing is not None]
    ratios = tuple(Ratio(ident=o.id, n=o.spacing.p, p=o.spacing.q, high=True) for o in spaced)
    palette = sorted({j.colour for j in jobs})
    colours = np.array([palette.index(j.colour) for j in jobs], dtype=np.int64)
    options = np.array([[o.id in j.options for o in spaced] for j in jobs], dtype=np.uint8).reshape(
        len(jobs), len(spaced)
    )
    limit = products.paint_batch_limit or len(jobs)
    inst = RoadefInstance(
        name="day",
        objectives=(PAINT, HPRC) if paint_first else (HPRC, PAINT),
        batch_limit=limit,
        ratios=ratios,
        prev_idents=(),
        prev_colours=np.zeros(0, np.int64),
        prev_options=np.zeros((0, len(spaced)), np.uint8),
        idents=tuple(j.id for j in jobs),
        colours=colours,
        options=options,
    )
    return inst, spaced


def _peak(flags: np.ndarray, q: int) -> int:
    if len(flags) == 0:
        return 0
    if len(flags) < q:
        return int(flags.sum())
    return int(np.convolve(flags.astype(np.int64), np.ones(q, np.int64), mode="valid").max())


def sequence_day(
    scenario: Scenario,
    jobs: Sequence[Job],
    *,
    plant: str | None = None,
    day: date | str = "",
    time_limit: float = 10.0,
    seed: int = 0,
    max_iterations: int | None = None,
    paint_first: bool = False,
) -> DayPlan:
    """Sequence a day's orders for the line of ``plant``."""
    pl = _plant(scenario, plant)
    jobs = list(jobs)
    if not jobs:
        raise InputError("no orders to sequence")
    inst, spaced = day_instance(scenario, jobs, paint_first=paint_first)
    res = solve_roadef(
        inst, time_limit=time_limit, seed=seed, max_iterations=max_iterations, exact="never"
    )
    by_id = {j.id: j for j in jobs}
    released = [by_id[i] for i in res.order]
    before = score_roadef_order(inst, np.arange(len(jobs)))
    index = {j.id: i for i, j in enumerate(jobs)}
    after = score_roadef_order(inst, np.array([index[i] for i in res.order]))
    loads = []
    for k, opt in enumerate(spaced):
        extra = 0.0
        if opt.station is not None:
            try:
                extra = pl.station(opt.station).option_time_s.get(opt.id, 0.0)
            except KeyError:
                extra = 0.0  # the option's station is in another plant
        flags_in = inst.options[:, k]
        flags_out = np.array([opt.id in j.options for j in released], dtype=np.uint8)
        loads.append(
            OptionLoad(
                option=opt.id,
                station=opt.station,
                p=opt.spacing.p,
                q=opt.spacing.q,
                cars=int(flags_in.sum()),
                excess_received=before.per_ratio[opt.id],
                excess_sequenced=after.per_ratio[opt.id],
                extra_work_s=extra,
                peak_work_received_s=extra * _peak(flags_in, opt.spacing.q),
                peak_work_sequenced_s=extra * _peak(flags_out, opt.spacing.q),
            )
        )
    return DayPlan(
        plant=pl.id,
        day=str(day),
        jobs=released,
        received=jobs,
        objective=res.objective,
        lower_bound=res.lower_bound,
        colour_changes_received=before.colour_changes,
        colour_changes=res.colour_changes,
        max_batch=res.max_batch,
        batch_limit=scenario.products.paint_batch_limit,
        options=loads,
        wall_s=res.wall_s,
    )
