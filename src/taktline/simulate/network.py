"""A station network as plain numpy arrays: what the compiled kernel simulates.

A :class:`Network` is the simulation's view of one plant: stations (each with
one or more identical servers), buffers between them, failure and quality
parameters, paced segments and the off-shift periods of the calendar. It knows
nothing of YAML or pydantic; :mod:`taktline.simulate.build` makes one from a
scenario, and tests build them directly (:func:`serial_line`).

Conventions
-----------
- A station takes its jobs from its input buffer ``IN_BUF`` (``-1``: it is a
  *source* with unlimited supply; it releases a new job whenever a server is
  free) and puts them into ``OUT_BUF`` (``-1``: a *sink*, the job leaves).
- ``FEED_BUF`` (``-1``: none) is a feeder's parts store: the station consumes one
  part from it for every job it starts (battery pack at the marriage station).
- A rejected job (probability ``1 - FTY``) goes to ``REJ_BUF`` (the input of a
  repair station whose output rejoins the line), or is scrapped if it is ``-1``.
- Stations of a *paced segment* (``SEG >= 0``) sit on one conveyor with no
  buffers between them; every ``seg_takt`` the conveyor moves all jobs one
  station on, but only when every station has finished (one stopped station
  stops the line).
- Times are in *working* seconds: the calendar's off-shift periods are cut
  out, since the whole plant freezes while off shift (see ``docs/simulate.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

# -- distribution kinds (processing, time to failure, time to repair) ---------------
DIST_DETERMINISTIC = 0
DIST_EXPONENTIAL = 1
DIST_WEIBULL = 2
DIST_LOGNORMAL = 3
DIST_EMPIRICAL = 4
DIST_NAMES = {
    "deterministic": DIST_DETERMINISTIC,
    "exponential": DIST_EXPONENTIAL,
    "weibull": DIST_WEIBULL,
    "lognormal": DIST_LOGNORMAL,
    "empirical": DIST_EMPIRICAL,
}

# -- failure dependency ----------------------------------------------------------------
FAIL_NONE = 0
FAIL_OPERATION = 1  # ages only while processing
FAIL_TIME = 2  # ages on the (working) clock

# -- columns of Network.st_int -----------------------------------------------------------
IN_BUF = 0
OUT_BUF = 1
FEED_BUF = 2
REJ_BUF = 3
NSRV = 4
FIRST_SRV = 5
SEG = 6
SEG_POS = 7
PROC_KIND = 8
PROC_TABLE = 9
FAIL_KIND = 10
TTF_KIND = 11
TTF_TABLE = 12
TTR_KIND = 13
TTR_TABLE = 14
SOURCE = 15  # source index (flow) of a station that releases jobs, else -1
N_ST_INT = 16

# -- columns of Network.st_float ------------------------------------------------------------
PROC_SHAPE = 0  # Weibull shape k or lognormal cv of the processing time
TTF_MEAN = 1
TTF_SHAPE = 2
TTR_MEAN = 3
TTR_SHAPE = 4
FTY = 5  # first-time yield
SCRAP_SHARE = 6  # share of rejects scrapped although a repair loop exists
N_ST_FLOAT = 7

UNLIMITED = 1 << 40  # buffer capacity meaning "no limit"


# One car of a release order: a model id, or (model id, option ids) to fix its options.
Release = str | tuple[str, Sequence[str]]
# A release order for one plant, or per plant id.
ReleaseOrder = Sequence[Release] | dict[str, Sequence[Release]]


@dataclass(frozen=True, eq=False)
class Network:
    """One plant (or line) in arrays, ready for :func:`taktline.simulate.kernel.run_into`.

    Build with :func:`serial_line` or :func:`taktline.simulate.build.networks_from_scenario`;
    call :meth:`validate` before simulating hand-made networks.
    """

    station_names: tuple[str, ...]
    st_int: np.ndarray  # int64 [n_st, N_ST_INT]
    st_float: np.ndarray  # float64 [n_st, N_ST_FLOAT]
    cycle_time: np.ndarray  # float64 [n_st, n_models]: mean processing time per model
    option_time: np.ndarray  # float64 [n_st, n_options]: extra time for a job with the option
    buffer_names: tuple[str, ...]
    buf_cap: np.ndarray  # int64 [n_buf]
    buf_consumer: np.ndarray  # int64 [n_buf]: station taking from it (main or feed input)
    buf_lanes: np.ndarray  # int64 [n_buf]: 0 = FIFO, >0 = resequencing store with lanes
    seg_takt: np.ndarray  # float64 [n_seg]: conveyor takt of each paced segment
    seg_stations: np.ndarray  # int64 [n_seg, max_len]: stations in order, -1 padded
    model_names: tuple[str, ...]
    mix: np.ndarray  # float64 [n_models]: shares (normalised)
    option_rate: np.ndarray  # float64 [n_options]: take rates
    release_sequence: np.ndarray  # int64 [L]: model index per released job (cycled); empty: mix
    tables: np.ndarray  # float64 [n_tables, max_len]: empirical samples, mean 1
    table_len: np.ndarray  # int64 [n_tables]
    source_names: tuple[str, ...]  # one per flow; flow 0 is the main (car) flow
    takt_s: float  # nominal takt for takt attainment (working seconds per job)
    station_group: tuple[str, ...] = field(default=())  # shop/line of each station (reporting)
    is_repair: np.ndarray | None = None  # bool [n_st]: repair-area stations (not on the line)
    release_options: np.ndarray | None = (
        None  # int64 [L]: option bits per released job; None: drawn
    )

    @property
    def n_stations(self) -> int:
        """Number of stations."""
        return len(self.station_names)

    @property
    def n_buffers(self) -> int:
        """Number of buffers."""
        return len(self.buffer_names)

    @property
    def n_servers(self) -> int:
        """Total servers over all stations."""
        return int(self.st_int[:, NSRV].sum())

    @cached_property
    def sources_drawing_kinds(self) -> np.ndarray:
        """Per source (flow), 1 if a station its jobs can reach depends on model or options.

        A feeder's parts (castings, panels) go through stations whose times are the same
        for every model and option: their model and options need not be drawn. A job's
        path ends where it is consumed as a part (a station's feed buffer) or leaves the
        plant. Computed once per network (the kernel asks at every replication).
        """
        n_opt = len(self.option_rate)
        cycle = np.asarray(self.cycle_time, dtype=float).reshape(self.n_stations, -1)
        option = np.asarray(self.option_time, dtype=float).reshape(self.n_stations, n_opt)
        kind_dependent = np.ptp(cycle, axis=1) > 0
        if n_opt:
            kind_dependent |= np.any(option != 0, axis=1)
        st = self.st_int
        # on a paced segment a job moves to the next position without a buffer
        position = {
            (int(st[s, SEG]), int(st[s, SEG_POS])): s
            for s in range(self.n_stations)
            if st[s, SEG] >= 0
        }
        draw = np.zeros(len(self.source_names), dtype=np.int64)
        for start in range(self.n_stations):
            src = int(st[start, SOURCE])
            if src < 0:
                continue
            seen, todo = {start}, [start]
            while todo and not draw[src]:
                s = todo.pop()
                draw[src] = kind_dependent[s]
                seg, at = int(st[s, SEG]), int(st[s, SEG_POS])
                following = [position[seg, at + 1]] if (seg, at + 1) in position else []
                for col in (OUT_BUF, REJ_BUF):
                    b = int(st[s, col])
                    if b >= 0 and int(st[self.buf_consumer[b], FEED_BUF]) != b:
                        following.append(int(self.buf_consumer[b]))
                for c in following:
                    if c not in seen:
                        seen.add(c)
                        todo.append(c)
        return draw

    def validate(self) -> None:
        """Raise ``ValueError`` if the arrays do not describe a consistent network."""
        n_st, n_buf = self.n_stations, self.n_buffers
        si = self.st_int
        if si.shape != (n_st, N_ST_INT) or self.st_float.shape != (n_st, N_ST_FLOAT):
            raise ValueError("station arrays have the wrong shape")
        if self.cycle_time.shape != (n_st, len(self.model_names)):
            raise ValueError("cycle_time must be [stations, models]")
        if np.any(self.cycle_time < 0) or not np.all(np.isfinite(self.cycle_time)):
            raise ValueError("cycle times must be finite and >= 0")
        for col in (IN_BUF, OUT_BUF, FEED_BUF, REJ_BUF):
            if np.any((si[:, col] < -1) | (si[:, col] >= n_buf)):
                raise ValueError("a station refers to a buffer that does not exist")
        if np.any(si[:, NSRV] < 1):
            raise ValueError("every station needs at least one server")
        first = np.concatenate([[0], np.cumsum(si[:, NSRV])[:-1]])
        if not np.array_equal(first, si[:, FIRST_SRV]):
            raise ValueError("FIRST_SRV must be the running sum of servers")
        fty = self.st_float[:, FTY]
        if np.any((fty <= 0) | (fty > 1)):
            raise ValueError("first-time yield must be in (0, 1]")
        for b in range(n_buf):
            consumers = np.flatnonzero((si[:, IN_BUF] == b) | (si[:, FEED_BUF] == b))
            if len(consumers) != 1 or consumers[0] != self.buf_consumer[b]:
                raise ValueError(f"buffer {self.buffer_names[b]!r} needs exactly one consumer")
        if np.any(self.buf_cap < 0):
            raise ValueError("buffer capacities must be >= 0")
        if abs(self.mix.sum() - 1) > 1e-9 or np.any(self.mix < 0):
            raise ValueError("mix shares must be >= 0 and add up to 1")
        for s in range(n_st):
            if si[s, SEG] >= 0 and si[s, NSRV] != 1:
                raise ValueError("a station on a paced segment has exactly one server")
            fk = si[s, FAIL_KIND]
            if fk != FAIL_NONE and (self.st_float[s, TTF_MEAN] <= 0):
                raise ValueError("failure means must be > 0")
        if len(self.release_sequence) and (
            self.release_sequence.min() < 0 or self.release_sequence.max() >= len(self.mix)
        ):
            raise ValueError("release sequence refers to an unknown model")
        if self.release_options is not None and (
            len(self.release_options) != len(self.release_sequence)
            or np.any(self.release_options >= 1 << len(self.option_rate))
        ):
            raise ValueError("release options must give option bits for each released job")


def _empty_tables() -> tuple[np.ndarray, np.ndarray]:
    return np.ones((1, 1)), np.ones(1, dtype=np.int64)


def serial_line(
    cycle_times: list[float] | np.ndarray,
    buffers: list[int] | int = 5,
    *,
    servers: list[int] | int = 1,
    processing: str = "deterministic",
    processing_shape: float = 0.0,
    mtbf: list[float] | float | None = None,
    mttr: list[float] | float | None = None,
    failure: str = "operation",
    ttf_dist: str = "exponential",
    ttr_dist: str = "exponential",
    ttf_shape: float = 0.0,
    ttr_shape: float = 0.0,
    first_time_yield: list[float] | float = 1.0,
    reject_to: list[int | None] | None = None,
    repair_time: float = 0.0,
    repair_servers: int = 50,
    repair_capacity: int = UNLIMITED,
    scrap_share: float = 0.0,
    paced_takt: float | None = None,
    takt_s: float | None = None,
) -> Network:
    """A line of stations in series: the network the validation cases need.

    ``cycle_times`` gives each station's mean processing time (one model);
    ``buffers`` the capacity between consecutive stations. ``reject_to[i]`` is the
    station index a job rejected at station ``i`` rejoins in front of (after a
    repair area with mean time ``repair_time``), or ``None`` to scrap it.
    ``paced_takt`` puts all stations on one conveyor with that takt.
    """
    ct = np.asarray(cycle_times, dtype=float)
    n = len(ct)

    def per_station(value, dtype=float):
        if value is None:
            return None
        arr = np.asarray(value, dtype=dtype)
        return np.full(n, arr, dtype=dtype) if arr.ndim == 0 else arr

    caps = per_station(buffers, np.int64)[: max(n - 1, 0)]
    nsrv = per_station(servers, np.int64)
    fty = per_station(first_time_yield)
    mtbf_a, mttr_a = per_station(mtbf), per_station(mttr)
    rejects = list(reject_to) if reject_to is not None else [None] * n
    repair_stations = sorted({r for i, r in enumerate(rejects) if r is not None and fty[i] < 1})

    # Buffers: line buffers 0..n-2 (in front of station i+1), then one repair input
    # buffer per rejoin target (the repair area's output goes into the rejoin station's
    # input, which must therefore exist: station 0 gets an unlimited entry buffer).
    names_b: list[str] = []
    cap_b: list[int] = []
    paced = paced_takt is not None
    if not paced:
        for i in range(n - 1):
            names_b.append(f"b{i + 1}")
            cap_b.append(int(caps[i]))
    in_buf = [-1] + ([i for i in range(n - 1)] if not paced else [-2] * (n - 1))
    out_buf = ([i for i in range(n - 1)] if not paced else [-2] * (n - 1)) + [-1]
    total = n + len(repair_stations)
    st_int = np.full((total, N_ST_INT), -1, dtype=np.int64)
    st_float = np.zeros((total, N_ST_FLOAT))
    names = [f"s{i + 1}" for i in range(n)]
    rep_in: dict[int, int] = {}
    for target in repair_stations:
        if target == 0 or paced:
            raise ValueError("serial_line: repairs rejoin in front of a station with a buffer")
        rep_in[target] = len(names_b)
        names_b.append(f"repair-{target + 1}")
        cap_b.append(repair_capacity)
    for i in range(n):
        st_int[i, IN_BUF] = in_buf[i] if not paced or i == 0 else -1
        st_int[i, OUT_BUF] = out_buf[i] if not paced or i == n - 1 else -1
        st_int[i, NSRV] = 1 if paced else nsrv[i]
        st_int[i, SEG] = 0 if paced else -1
        st_int[i, SEG_POS] = i if paced else -1
        st_int[i, PROC_KIND] = DIST_NAMES[processing]
        st_int[i, PROC_TABLE] = 0
        st_float[i, PROC_SHAPE] = processing_shape
        st_float[i, FTY] = fty[i]
        st_float[i, SCRAP_SHARE] = scrap_share
        if mtbf_a is not None and mttr_a is not None and np.isfinite(mtbf_a[i]):
            st_int[i, FAIL_KIND] = FAIL_OPERATION if failure == "operation" else FAIL_TIME
            st_int[i, TTF_KIND] = DIST_NAMES[ttf_dist]
            st_int[i, TTR_KIND] = DIST_NAMES[ttr_dist]
            st_float[i, TTF_MEAN], st_float[i, TTR_MEAN] = mtbf_a[i], mttr_a[i]
            st_float[i, TTF_SHAPE], st_float[i, TTR_SHAPE] = ttf_shape, ttr_shape
        else:
            st_int[i, FAIL_KIND] = FAIL_NONE
        st_int[i, SOURCE] = 0 if i == 0 else -1
        target = rejects[i]
        if fty[i] < 1 and target is not None:
            st_int[i, REJ_BUF] = rep_in[target]
    ct_all = list(ct)
    for k, target in enumerate(repair_stations):
        s = n + k
        names.append(f"repair-{target + 1}")
        st_int[s, IN_BUF] = rep_in[target]
        st_int[s, OUT_BUF] = st_int[target, IN_BUF]
        st_int[s, NSRV] = repair_servers
        st_int[s, SEG] = -1
        st_int[s, PROC_KIND] = DIST_EXPONENTIAL if repair_time > 0 else DIST_DETERMINISTIC
        st_int[s, PROC_TABLE] = 0
        st_int[s, FAIL_KIND] = FAIL_NONE
        st_float[s, FTY] = 1.0
        ct_all.append(repair_time)
    st_int[:, FIRST_SRV] = np.concatenate([[0], np.cumsum(st_int[:, NSRV])[:-1]])
    for col in (FEED_BUF,):
        st_int[:, col] = -1
    st_int[:, TTF_TABLE] = 0
    st_int[:, TTR_TABLE] = 0
    n_buf = len(names_b)
    consumer = np.full(n_buf, -1, dtype=np.int64)
    for s in range(total):
        if st_int[s, IN_BUF] >= 0:
            consumer[st_int[s, IN_BUF]] = s
    tables, table_len = _empty_tables()
    seg_stations = (
        np.arange(n, dtype=np.int64)[None, :] if paced else np.zeros((0, 1), dtype=np.int64)
    )
    if takt_s is None:
        takt_s = float(np.max(ct / nsrv)) if not paced else float(paced_takt)
    is_repair = np.zeros(total, dtype=bool)
    is_repair[n:] = True
    net = Network(
        station_names=tuple(names),
        st_int=st_int,
        st_float=st_float,
        cycle_time=np.asarray(ct_all, dtype=float)[:, None],
        option_time=np.zeros((total, 0)),
        buffer_names=tuple(names_b),
        buf_cap=np.asarray(cap_b, dtype=np.int64),
        buf_consumer=consumer,
        buf_lanes=np.zeros(n_buf, dtype=np.int64),
        seg_takt=np.asarray([paced_takt] if paced else [], dtype=float),
        seg_stations=seg_stations,
        model_names=("job",),
        mix=np.ones(1),
        option_rate=np.zeros(0),
        release_sequence=np.zeros(0, dtype=np.int64),
        tables=tables,
        table_len=table_len,
        source_names=("line",),
        takt_s=takt_s,
        station_group=tuple(["line"] * n + ["repair"] * len(repair_stations)),
        is_repair=is_repair,
    )
    net.validate()
    return net
