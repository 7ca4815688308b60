"""Compile a :class:`taktline.model.Scenario` into station networks, one per plant.

How the scenario's words become the kernel's arrays (see also ``docs/simulate.md``):

- a plant's main-flow shops run in series, each shop's lines in series, each
  line's stations in series; the first station of the main flow is the source of
  cars (unlimited supply, released in the mix or in a given order);
- inside an unpaced line the buffer after a station has ``Line.buffer_after``
  places; between lines of a shop there is none (capacity 0: a direct hand-over);
  between shops the plant's ``ShopBuffer`` (FIFO or resequencing store with lanes)
  or, if none is named, a direct hand-over;
- a paced line is one conveyor segment (``takt_s``); a station with several servers
  on it works as one station at ``cycle time / servers``; a repaired job that
  should rejoin in the middle of a paced line rejoins at its start;
- a feeder shop is a line of its own with its own source; its output store (the
  ``ShopBuffer`` from the feeder to the consuming shop, at least 1 place) is
  consumed one part per job at ``feeds_station``;
- a quality reject goes to a repair area (a station with enough servers to act as a
  pure delay of ``repair_time_s``), whose output re-enters the line in front of
  ``rejoin_station``; or it is scrapped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from taktline.errors import InputError
from taktline.model import Distribution, Line, Plant, Scenario, Station
from taktline.simulate.network import (
    DIST_NAMES,
    FAIL_KIND,
    FAIL_NONE,
    FAIL_OPERATION,
    FAIL_TIME,
    FEED_BUF,
    FIRST_SRV,
    FTY,
    IN_BUF,
    N_ST_FLOAT,
    N_ST_INT,
    NSRV,
    OUT_BUF,
    PROC_KIND,
    PROC_SHAPE,
    PROC_TABLE,
    REJ_BUF,
    SCRAP_SHARE,
    SEG,
    SEG_POS,
    SOURCE,
    TTF_KIND,
    TTF_MEAN,
    TTF_SHAPE,
    TTF_TABLE,
    TTR_KIND,
    TTR_MEAN,
    TTR_SHAPE,
    TTR_TABLE,
    UNLIMITED,
    Network,
    Release,
    ReleaseOrder,
)


@dataclass
class _Builder:
    """Accumulates stations and buffers while walking a plant."""

    models: list[str]
    options: list[str]
    names: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    ints: list[list[int]] = field(default_factory=list)
    floats: list[list[float]] = field(default_factory=list)
    ct: list[list[float]] = field(default_factory=list)
    opt: list[list[float]] = field(default_factory=list)
    repair: list[bool] = field(default_factory=list)
    buf_names: list[str] = field(default_factory=list)
    buf_cap: list[int] = field(default_factory=list)
    buf_lanes: list[int] = field(default_factory=list)
    seg_takt: list[float] = field(default_factory=list)
    seg_members: list[list[int]] = field(default_factory=list)
    tables: list[np.ndarray] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def buffer(self, name: str, capacity: int, lanes: int = 0) -> int:
        self.buf_names.append(name)
        self.buf_cap.append(int(capacity))
        self.buf_lanes.append(int(lanes))
        return len(self.buf_names) - 1

    def table(self, values: tuple[float, ...]) -> int:
        arr = np.asarray(values, dtype=float)
        self.tables.append(arr / arr.mean())
        return len(self.tables) - 1

    def dist(self, d: Distribution) -> tuple[int, float, int]:
        kind = DIST_NAMES[d.kind]
        shape = float(d.shape or d.cv or 0.0)
        table = self.table(d.values) if d.kind == "empirical" and d.values else 0
        return kind, shape, table

    def station(
        self, st: Station, group: str, *, servers: int | None = None, scale: float = 1.0
    ) -> int:
        s = len(self.names)
        ints = [-1] * N_ST_INT
        floats = [0.0] * N_ST_FLOAT
        ints[NSRV] = servers if servers is not None else st.servers
        kind, shape, table = self.dist(st.processing)
        ints[PROC_KIND], floats[PROC_SHAPE], ints[PROC_TABLE] = kind, shape, table
        ints[FAIL_KIND] = FAIL_NONE
        if st.failure is not None:
            f = st.failure
            ints[FAIL_KIND] = FAIL_OPERATION if f.dependency == "operation" else FAIL_TIME
            ints[TTF_KIND], floats[TTF_SHAPE], ints[TTF_TABLE] = self.dist(f.time_to_failure)
            ints[TTR_KIND], floats[TTR_SHAPE], ints[TTR_TABLE] = self.dist(f.time_to_repair)
            floats[TTF_MEAN], floats[TTR_MEAN] = f.mtbf_s, f.mttr_s
        floats[FTY] = st.quality.first_time_yield if st.quality else 1.0
        floats[SCRAP_SHARE] = st.quality.scrap_share if st.quality else 0.0
        for col in (TTF_TABLE, TTR_TABLE, PROC_TABLE):
            ints[col] = max(ints[col], 0)
        self.names.append(st.id)
        self.groups.append(group)
        self.ints.append(ints)
        self.floats.append(floats)
        self.ct.append([st.cycle_time_for(m) * scale for m in self.models])
        self.opt.append([st.option_time_s.get(o, 0.0) * scale for o in self.options])
        self.repair.append(False)
        self.index[st.id] = s
        return s


def _line(b: _Builder, line: Line, group: str, in_buf: int, source: int) -> tuple[int, int]:
    """Add a line's stations; returns (first station, last station)."""
    first = last = -1
    if line.paced:
        seg = len(b.seg_takt)
        b.seg_takt.append(float(line.takt_s or 0.0))
        members = []
        for k, st in enumerate(line.stations):
            s = b.station(st, group, servers=1, scale=1.0 / st.servers)
            b.ints[s][SEG], b.ints[s][SEG_POS] = seg, k
            b.ints[s][IN_BUF] = in_buf if k == 0 else -1
            b.ints[s][OUT_BUF] = -1
            members.append(s)
        b.seg_members.append(members)
        first, last = members[0], members[-1]
        b.ints[first][SOURCE] = source
        return first, last
    prev = -1
    for k, st in enumerate(line.stations):
        s = b.station(st, group)
        b.ints[s][SEG] = -1
        if k == 0:
            b.ints[s][IN_BUF] = in_buf
            b.ints[s][SOURCE] = source
            first = s
        else:
            lb = next((x for x in line.buffers if x.after == line.stations[k - 1].id), None)
            cap = line.buffer_after(line.stations[k - 1].id)
            lanes = lb.lanes if lb is not None and lb.kind == "resequencing" else 0
            buf = b.buffer(
                lb.id if lb is not None else f"{line.id}:{line.stations[k - 1].id}", cap, lanes
            )
            b.ints[prev][OUT_BUF] = buf
            b.ints[s][IN_BUF] = buf
        prev = s
    last = prev
    return first, last


def _shop_chain(b: _Builder, plant: Plant, shops, source: int, first_in: int) -> tuple[int, int]:
    """Add shops in series; returns (first station, last station) of the chain."""
    first = last = -1
    in_buf = first_in
    prev_shop = None
    for shop in shops:
        if prev_shop is not None:
            sb = plant.buffer_between(prev_shop.id, shop.id)
            if sb is not None:
                lanes = sb.lanes if sb.kind == "resequencing" else 0
                in_buf = b.buffer(sb.id, sb.capacity, lanes)
            else:
                in_buf = b.buffer(f"{prev_shop.id}>{shop.id}", 0)
            b.ints[last][OUT_BUF] = in_buf
        for k, line in enumerate(shop.lines):
            if k > 0:
                in_buf = b.buffer(f"{shop.lines[k - 1].id}>{line.id}", 0)
                b.ints[last][OUT_BUF] = in_buf
            f, last = _line(b, line, shop.id, in_buf, source if first < 0 else -1)
            if first < 0:
                first = f
        prev_shop = shop
    return first, last


def network_for_plant(
    scenario: Scenario,
    plant: Plant,
    on: date | None = None,
    release_sequence: Sequence[Release] | None = None,
) -> Network:
    """The station network of one plant."""
    products = scenario.products
    allowed = set(plant.models) if plant.models else {m.id for m in products.models}
    mix = {m: v for m, v in products.mix_on(on).items() if m in allowed}
    if not mix:
        mix = {m: v for m, v in products.mix_on(None).items() if m in allowed}
    if not mix:
        raise InputError(
            f"plant {plant.id!r} builds no model with a positive mix share",
            field=f"plants[{plant.id}].models",
        )
    models = [m.id for m in products.models]
    options = [o.id for o in products.options]
    b = _Builder(models=models, options=options)

    _main_first, main_last = _shop_chain(b, plant, plant.main_flow, 0, -1)
    b.ints[main_last][OUT_BUF] = -1
    # feeders: own source each, output store consumed at feeds_station
    source_names = [plant.id]
    for shop in plant.feeders:
        src = len(source_names)
        source_names.append(shop.id)
        _f_first, f_last = _shop_chain(b, plant, [shop], src, -1)
        target = b.index[shop.feeds_station]  # type: ignore[index]
        if b.ints[target][FEED_BUF] >= 0:
            raise InputError(
                f"station {shop.feeds_station!r} is fed by two shops; one feeder per station",
                field=f"plants[{plant.id}].shops[{shop.id}].feeds_station",
            )
        target_shop = next(
            s for s in plant.shops if any(x.id == shop.feeds_station for x in s.stations)
        )
        sb = plant.buffer_between(shop.id, target_shop.id)
        cap = max(sb.capacity, 1) if sb is not None else 1
        fb = b.buffer(sb.id if sb is not None else f"{shop.id}>{shop.feeds_station}", cap)
        b.ints[f_last][OUT_BUF] = fb
        b.ints[target][FEED_BUF] = fb
    # paced segments need a place in front of them: a conveyor has a load position
    for members in b.seg_members:
        ib = b.ints[members[0]][IN_BUF]
        if ib >= 0 and b.buf_cap[ib] == 0:
            b.buf_cap[ib] = 1
    # repair loops
    nominal_rate = plant.nominal_jph / 3600.0
    for shop in plant.shops:
        for st in shop.stations:
            q = st.quality
            if q is None or q.first_time_yield >= 1 or q.reject == "scrap":
                continue
            s = b.index[st.id]
            rejoin = b.index[q.rejoin_station or st.id]
            if b.ints[rejoin][SEG] >= 0:
                rejoin = b.seg_members[b.ints[rejoin][SEG]][0]
            target_in = b.ints[rejoin][IN_BUF]
            if target_in < 0:
                target_in = b.buffer(f"rework>{b.names[rejoin]}", UNLIMITED)
                b.ints[rejoin][IN_BUF] = target_in
            rb = b.buffer(f"repair-{st.id}", UNLIMITED)
            load = nominal_rate * (1 - q.first_time_yield) * q.repair_time_s
            # a pure delay: enough servers that one is (almost) always free
            servers = max(3, math.ceil(load + 4 * math.sqrt(load) + 2))
            repair_station = Station(
                id=f"repair-{st.id}",
                cycle_time_s=max(q.repair_time_s, 1e-9),
                processing=q.repair_time
                if q.repair_time_s > 0
                else Distribution(kind="deterministic"),
            )
            r = b.station(repair_station, "repair", servers=servers)
            if q.repair_time_s <= 0:
                b.ct[r] = [0.0] * len(models)
            b.repair[r] = True
            b.ints[r][SEG] = -1
            b.ints[r][IN_BUF] = rb
            b.ints[r][OUT_BUF] = target_in
            b.ints[s][REJ_BUF] = rb
    # assemble
    st_int = np.asarray(b.ints, dtype=np.int64)
    st_int[:, FIRST_SRV] = np.concatenate([[0], np.cumsum(st_int[:, NSRV])[:-1]])
    n_buf = len(b.buf_names)
    consumer = np.full(n_buf, -1, dtype=np.int64)
    for s in range(len(b.names)):
        for col in (IN_BUF, FEED_BUF):
            if st_int[s, col] >= 0:
                consumer[st_int[s, col]] = s
    width = max([len(m) for m in b.seg_members] + [1])
    seg_stations = np.full((len(b.seg_members), width), -1, dtype=np.int64)
    for g, members in enumerate(b.seg_members):
        seg_stations[g, : len(members)] = members
    tables = b.tables or [np.ones(1)]
    t_len = np.asarray([len(t) for t in tables], dtype=np.int64)
    t_arr = np.zeros((len(tables), int(t_len.max())))
    for k, t in enumerate(tables):
        t_arr[k, : len(t)] = t
    mix_arr = np.asarray([mix.get(m, 0.0) for m in models], dtype=float)
    mix_arr = mix_arr / mix_arr.sum()
    seq, opt_bits = release_arrays(release_sequence or [], models, options)
    net = Network(
        station_names=tuple(b.names),
        st_int=st_int,
        st_float=np.asarray(b.floats, dtype=float),
        cycle_time=np.asarray(b.ct, dtype=float),
        option_time=np.asarray(b.opt, dtype=float).reshape(len(b.names), len(options)),
        buffer_names=tuple(b.buf_names),
        buf_cap=np.asarray(b.buf_cap, dtype=np.int64),
        buf_consumer=consumer,
        buf_lanes=np.asarray(b.buf_lanes, dtype=np.int64),
        seg_takt=np.asarray(b.seg_takt, dtype=float),
        seg_stations=seg_stations,
        model_names=tuple(models),
        mix=mix_arr,
        option_rate=np.asarray([o.take_rate for o in products.options], dtype=float),
        release_sequence=seq,
        release_options=opt_bits,
        tables=t_arr,
        table_len=t_len,
        source_names=tuple(source_names),
        takt_s=3600.0 / plant.nominal_jph,
        station_group=tuple(b.groups),
        is_repair=np.asarray(b.repair, dtype=bool),
    )
    try:
        net.validate()
    except ValueError as error:
        raise InputError(f"plant {plant.id!r}: {error}") from None
    return net


def release_arrays(
    release: Sequence[Release], models: list[str], options: list[str]
) -> tuple[np.ndarray, np.ndarray | None]:
    """Model indices and option bits (None: drawn) of a release order.

    Each entry is a model id, or a (model id, option ids) pair that fixes the car's
    options. Either every entry fixes its options or none does.
    """
    pairs = [
        (r, None) if isinstance(r, str) else (r[0], (r[1],) if isinstance(r[1], str) else r[1])
        for r in release
    ]
    unknown = sorted({m for m, _ in pairs if m not in models})
    if unknown:
        raise InputError(
            f"release sequence names unknown models {unknown}", field="release_sequence"
        )
    seq = np.asarray([models.index(m) for m, _ in pairs], dtype=np.int64)
    given = {opts is not None for _, opts in pairs}
    if given != {True}:
        if given == {True, False}:
            raise InputError(
                "give options for every car of the release sequence or for none",
                field="release_sequence",
            )
        return seq, None
    bad = sorted({o for _, opts in pairs for o in opts if o not in options})
    if bad:
        raise InputError(f"release sequence names unknown options {bad}", field="release_sequence")
    bits = [sum(1 << options.index(o) for o in set(opts)) for _, opts in pairs]
    return seq, np.asarray(bits, dtype=np.int64)


def networks_from_scenario(
    scenario: Scenario,
    on: date | None = None,
    release_sequence: ReleaseOrder | None = None,
) -> list[tuple[Plant, Network]]:
    """One network per plant of the scenario, in the scenario's order."""
    out = []
    for plant in scenario.plants:
        seq = (
            release_sequence.get(plant.id)
            if isinstance(release_sequence, dict)
            else (release_sequence)
        )
        out.append((plant, network_for_plant(scenario, plant, on, seq)))
    return out
