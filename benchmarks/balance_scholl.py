"""Scholl (1993) data sets: SALBP-1 (269 instances) and SALBP-2 (302), against the CSV tables.

    .venv/bin/python benchmarks/balance_scholl.py                      # both problems
    .venv/bin/python benchmarks/balance_scholl.py --problem salbp1 --time-limit 60

Prints a Markdown table (instances, solved, proved optimal, agreement with the
CSV, time per instance: total, median, max; BB&R's CPU seconds from the CSV)
and the instances that were not closed. Times are wall seconds of this process
after a warm-up that compiles the numba kernels (the compile time is reported
separately). Data: ``../shared/benchmarks/salbp`` next to the checkout.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

from taktline.balance import read_instance, solve_salbp1, solve_salbp2, verify

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "salbp"


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def warm_up(data: Path) -> float:
    t0 = time.monotonic()
    inst = read_instance(data / "scholl" / "MERTENS.IN2")
    solve_salbp1(inst, 6)
    solve_salbp2(inst, 3)
    # one that needs the exact search and the bin-packing bound, so that they compile too
    solve_salbp1(read_instance(data / "scholl" / "WEE-MAG.IN2"), 47, time_limit=30)
    return time.monotonic() - t0


def times_row(walls: list[float]) -> str:
    return f"{sum(walls):.1f} | {statistics.median(walls):.3f} | {max(walls):.2f}"


def run_salbp1(data: Path, limit: float, only: str | None, out: list[str]) -> None:
    rows = read_csv(data / "salbp1_scholl_optima.csv")
    rows = [r for r in rows if not only or only.upper() in r["file"].upper()]
    cache: dict = {}
    walls, bbr, solved, proved, agree, bad = [], [], 0, 0, 0, []
    for r in rows:
        inst = cache.setdefault(r["file"], read_instance(data / "scholl" / r["file"]))
        c = int(r["cycle_time"])
        res = solve_salbp1(inst, c, time_limit=limit)
        verify(inst, res.assignment, c)
        solved += 1
        walls.append(res.wall_s)
        if r["bbr_cpu_s_here"]:
            bbr.append(float(r["bbr_cpu_s_here"]))
        opt = int(r["opt_stations"])
        proved += res.optimal
        agree += res.stations == opt
        if not res.optimal or res.stations != opt:
            bad.append(
                f"| {r['file']} | {c} | {opt} | {res.stations} | {res.lower_bound} | "
                f"{res.optimal} | {res.wall_s:.1f} |"
            )
        print(
            f"{r['file']:14s} c={c:6d} m*={opt:3d} m={res.stations:3d} lb={res.lower_bound:3d} "
            f"{'proved' if res.optimal else 'OPEN  '} {res.wall_s:7.3f}s",
            file=sys.stderr,
        )
    out += [
        f"### Scholl SALBP-1 ({len(rows)} instances, time limit {limit:g} s each)",
        "",
        "| instances | solved (verified) | proved optimal | m = opt_stations | "
        "total s | median s | max s | BB&R total s (bbr_cpu_s_here) |",
        "|---|---|---|---|---|---|---|---|",
        f"| {len(rows)} | {solved} | {proved} | {agree} | {times_row(walls)} | {sum(bbr):.1f} |",
        "",
    ]
    if bad:
        out += [
            "Not closed:",
            "",
            "| file | cycle_time | opt_stations | m | lower bound | proved | s |",
            "|---|---|---|---|---|---|---|",
            *bad,
            "",
        ]


def run_salbp2(
    data: Path, limit: float, only: str | None, out: list[str], stations: set[int] | None = None
) -> None:
    rows = read_csv(data / "salbp2_scholl_optima.csv")
    rows = [r for r in rows if not only or only.upper() in r["file"].upper()]
    rows = [r for r in rows if not stations or int(r["stations"]) in stations]
    cache: dict = {}
    walls, known, proved_known, agree, bbr, bad, open_rows = [], 0, 0, 0, [], [], []
    for r in rows:
        inst = cache.setdefault(r["file"], read_instance(data / "scholl" / r["file"]))
        m = int(r["stations"])
        res = solve_salbp2(inst, m, time_limit=limit)
        verify(inst, res.assignment, res.cycle_time)
        assert len(res.assignment) <= m
        walls.append(res.wall_s)
        if r["bbr_cpu_s_here"]:
            bbr.append(float(r["bbr_cpu_s_here"]))
        tag = "proved" if res.optimal else "OPEN  "
        print(
            f"{r['file']:14s} m={m:3d} c={res.cycle_time:6d} lb={res.lower_bound:6d} {tag} "
            f"csv={r['best_lb']}-{r['best_ub']} {res.wall_s:7.2f}s",
            file=sys.stderr,
        )
        if r["status"] == "optimal":
            known += 1
            ok = res.optimal and res.cycle_time == int(r["opt_cycle_time"])
            proved_known += ok
            agree += res.cycle_time == int(r["opt_cycle_time"])
            if not ok:
                bad.append(
                    f"| {r['file']} | {m} | {r['opt_cycle_time']} | {res.cycle_time} | "
                    f"{res.lower_bound} | {res.optimal} | {res.wall_s:.1f} |"
                )
        else:
            better = res.cycle_time < int(r["best_ub"]) or res.lower_bound > int(r["best_lb"])
            open_rows.append(
                f"| {r['file']} | {m} | {r['best_lb']} | {r['best_ub']} | {res.lower_bound} | "
                f"{res.cycle_time} | {res.optimal} | {'**yes**' if better else 'no'} | "
                f"{res.wall_s:.1f} |"
            )
    out += [
        f"### Scholl SALBP-2 ({len(rows)} instances, time limit {limit:g} s each)",
        "",
        "| instances | with known c* | c* reached and proved | c = c* | total s | median s | "
        "max s | BB&R total s (bbr_cpu_s_here) |",
        "|---|---|---|---|---|---|---|---|",
        f"| {len(rows)} | {known} | {proved_known} | {agree} | {times_row(walls)} | "
        f"{sum(bbr):.0f} |",
        "",
    ]
    if bad:
        out += [
            "Known optimum not reached or not proved:",
            "",
            "| file | stations | opt_cycle_time | c | lower bound | proved | s |",
            "|---|---|---|---|---|---|---|",
            *bad,
            "",
        ]
    if open_rows:
        out += [
            "Open instances (status `open` in the CSV): bounds reached here",
            "",
            "| file | stations | best_lb | best_ub | our lower bound | our c | proved | "
            "improves the CSV | s |",
            "|---|---|---|---|---|---|---|---|---|",
            *open_rows,
            "",
        ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--problem", choices=["salbp1", "salbp2", "both"], default="both")
    ap.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance")
    ap.add_argument("--only", help="only graph files containing this text (e.g. WEE-MAG)")
    ap.add_argument(
        "--stations", help="SALBP-2: only these numbers of stations, comma separated (e.g. 8,11)"
    )
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args()
    compile_s = warm_up(args.data)
    out = [f"Warm-up (numba compile or cache load): {compile_s:.1f} s, not counted below.", ""]
    if args.problem in ("salbp1", "both"):
        run_salbp1(args.data, args.time_limit, args.only, out)
    if args.problem in ("salbp2", "both"):
        stations = {int(x) for x in args.stations.split(",")} if args.stations else None
        run_salbp2(args.data, args.time_limit, args.only, out, stations)
    print("\n".join(out))


if __name__ == "__main__":
    main()
