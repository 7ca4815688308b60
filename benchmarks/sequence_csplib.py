"""CSPLib prob001 (car sequencing): taktline's sequencer and plain CP-SAT, side by side.

Usage::

    .venv/bin/python benchmarks/sequence_csplib.py [--sets example hard100 set1_200]
        [--time-limit 60] [--set1-time-limit 10] [--seed 0] [--no-cpsat] [--jobs 1]
        [--out benchmarks/results/sequence.md]

Per instance: taktline (local search, then CP-SAT's decision model on what is left of
the time when violations remain: ``solve_csplib(exact="auto")``) and, on its own,
CP-SAT's decision model ("is there a sequence without violation?") for the same time
limit. Violations are counted both ways (violated windows, sum of excess). Each run
uses one core (numba is single-threaded, CP-SAT gets one worker); ``--jobs`` runs that
many instances at once. The data is read from ``../shared/benchmarks/car-sequencing``.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing as mp
import os
import platform
import re
import sys
import time
from pathlib import Path

from taktline.fileio import atomic_write_text
from taktline.sequence import read_csplib, solve_csplib
from taktline.sequence.exact import cpsat_csplib

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "benchmarks" / "car-sequencing" / "csplib"
SECTION = "csplib"


def run_one(args: tuple[dict, float, int, bool]) -> dict:
    row, limit, seed, with_cpsat = args
    inst = read_csplib(DATA / row["file"])
    res = solve_csplib(inst, time_limit=limit, seed=seed, exact="auto", workers=1)
    out = {
        "set": row["set"],
        "instance": row["instance"],
        "status": row["status"],
        "best_known": row["best_known_violations"],
        "known_lb": row["lower_bound"],
        "windows": res.violated_windows,
        "excess": res.excess,
        "lb": res.lower_bound,
        "optimal": res.optimal,
        "wall_s": res.wall_s,
        "ttb": res.time_to_best_s,
        "limit": limit,
    }
    if with_cpsat:
        cp = cpsat_csplib(inst, time_limit=limit, workers=1, seed=seed, decide=True)
        out.update(cpsat_status=cp.status, cpsat_s=cp.wall_s)
    return out


def verdict(r: dict) -> str:
    if r["best_known"] == "":
        return "?"
    best = int(r["best_known"])
    if r["windows"] < best:
        return "better than best known"
    return "= best known" if r["windows"] == best else f"+{r['windows'] - best}"


def cpsat_text(r: dict) -> str:
    if "cpsat_status" not in r:
        return "not run"
    text = {
        "OPTIMAL": "0 found",
        "FEASIBLE": "0 found",
        "INFEASIBLE": "proved >= 1",
        "UNKNOWN": "unknown",
    }.get(r["cpsat_status"], r["cpsat_status"])
    return f"{text} ({r['cpsat_s']:.1f} s)"


def table(rows: list[dict]) -> list[str]:
    lines = [
        "| set | instance | status | best known | taktline windows / excess | bound "
        "(proved) | optimal | time s | local search found it at s | vs best known | "
        "CP-SAT alone (decision) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['set']} | {r['instance']} | {r['status']} | {r['best_known']} | "
            f"{r['windows']} / {r['excess']} | {r['lb']} | {'yes' if r['optimal'] else 'no'} | "
            f"{r['wall_s']:.2f} | {r['ttb']:.2f} | {verdict(r)} | {cpsat_text(r)} |"
        )
    return lines


def summary(rows: list[dict]) -> list[str]:
    out = []
    for name in dict.fromkeys(r["set"] for r in rows):
        rs = [r for r in rows if r["set"] == name]
        hit = sum(verdict(r) in ("= best known", "better than best known") for r in rs)
        zero = sum(r["windows"] == 0 for r in rs)
        proved = sum(r["optimal"] for r in rs)
        times = sorted(r["wall_s"] for r in rs)
        found = sorted(r["ttb"] for r in rs)
        cp_zero = sum(r.get("cpsat_status") in ("OPTIMAL", "FEASIBLE") for r in rs)
        cp_inf = sum(r.get("cpsat_status") == "INFEASIBLE" for r in rs)
        out.append(
            f"- **{name}** ({len(rs)} instances, limit {rs[0]['limit']:g} s): best known "
            f"reached on {hit}, 0 violations on {zero}, proved optimal on {proved}; time "
            f"median {times[len(times) // 2]:.2f} s, max {times[-1]:.2f} s; the local search "
            f"found its result after at most {found[-1]:.2f} s. CP-SAT alone: "
            f"0 found on {cp_zero}, infeasibility proved on {cp_inf}."
        )
    return out


def update_section(path: Path, name: str, text: str) -> None:
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    old = path.read_text() if path.exists() else "# Sequencing benchmarks\n"
    block = f"{begin}\n{text.rstrip()}\n{end}"
    if begin in old:
        new = re.sub(re.escape(begin) + r".*?" + re.escape(end), lambda _: block, old, flags=re.S)
    else:
        new = old.rstrip() + "\n\n" + block + "\n"
    atomic_write_text(path, new)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", nargs="+", default=["example", "hard100", "set1_200"])
    ap.add_argument(
        "--time-limit", type=float, default=60.0, help="seconds per instance (hard100, example)"
    )
    ap.add_argument(
        "--set1-time-limit", type=float, default=10.0, help="seconds per instance for set1_200"
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-cpsat", action="store_true", help="skip CP-SAT alone")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks/results/sequence.md")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"benchmark data not found: {DATA}", file=sys.stderr)
        return 2
    rows = [
        r
        for r in csv.DictReader((DATA / "known_results.csv").open())
        if r["set"] in args.sets and (DATA / r["file"]).is_file()
    ]
    tasks = [
        (
            r,
            args.set1_time_limit if r["set"] == "set1_200" else args.time_limit,
            args.seed,
            not args.no_cpsat,
        )
        for r in rows
    ]
    start = time.time()
    solve_csplib(read_csplib(DATA / "example/dincbas_10.txt"), time_limit=1)  # compile once
    if args.jobs > 1:
        with mp.get_context("spawn").Pool(args.jobs) as pool:
            results = pool.map(run_one, tasks, chunksize=1)
    else:
        results = []
        for t in tasks:
            results.append(run_one(t))
            r = results[-1]
            print(
                f"{r['set']} {r['instance']}: {r['windows']}/{r['excess']} lb {r['lb']} "
                f"{r['wall_s']:.1f}s {cpsat_text(r)}",
                file=sys.stderr,
                flush=True,
            )
    load = os.getloadavg()
    total = time.time() - start
    cmd = "python benchmarks/sequence_csplib.py " + " ".join(sys.argv[1:])
    text = "\n".join(
        [
            "## CSPLib prob001",
            "",
            f"Command: `{cmd}` (seed {args.seed}; {args.jobs} job(s) at once; "
            f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores shared with "
            f"other work, load average {load[0]:.1f} at the end; total {total:.0f} s).",
            "Violations: taktline minimises violated windows + excess; the table gives both. "
            "Bound: what taktline proved (0 unless CP-SAT proved the instance infeasible).",
            "",
            *summary(results),
            "",
            *table(results),
            "",
        ]
    )
    update_section(args.out, SECTION, text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
