"""Otto, Otto & Scholl (2013) SALBP-1 data set, against ``otto2013_salbp1_bounds.csv``.

    .venv/bin/python benchmarks/balance_otto.py --size 20
    .venv/bin/python benchmarks/balance_otto.py --size 50 --time-limit 60
    .venv/bin/python benchmarks/balance_otto.py --size 100 --time-limit 10 --every 5
    .venv/bin/python benchmarks/balance_otto.py --size 1000 --time-limit 60 --first 20

``--every K`` runs instances K, 2K, ...; ``--first K`` the first K: the table
says which subset ran. For each instance: the balance (checked by the
verifier), our lower bound and whether optimality is proved; compared with the
CSV's ``best_lb``/``best_ub``/``status``. A smaller upper bound than
``best_ub`` or a proof on an ``open`` instance is a new result and is listed.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
from pathlib import Path

from balance_scholl import warm_up
from taktline.balance import read_instance, solve_salbp1, verify

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "salbp"
FOLDER = {20: "small_n20", 50: "medium_n50", 100: "large_n100", 1000: "verylarge_n1000"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--size", type=int, choices=sorted(FOLDER), required=True)
    ap.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance")
    ap.add_argument("--every", type=int, default=1, help="run instances K, 2K, 3K, ...")
    ap.add_argument("--first", type=int, default=None, help="run only the first K instances")
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args()

    with open(args.data / "otto2013_salbp1_bounds.csv", encoding="utf-8", newline="") as handle:
        table = {r["instance"]: r for r in csv.DictReader(handle)}
    numbers = list(range(args.every, 526, args.every))
    if args.first:
        numbers = numbers[: args.first]
    compile_s = warm_up(args.data)

    walls, proved, at_best_ub, worse, new, not_closed = [], 0, 0, [], [], []
    known = known_proved = 0
    for k in numbers:
        name = f"instance_n={args.size}_{k}"
        row = table[name]
        inst = read_instance(args.data / "otto2013" / FOLDER[args.size] / f"{name}.alb")
        res = solve_salbp1(inst, time_limit=args.time_limit)
        verify(inst, res.assignment, res.cycle_time)
        walls.append(res.wall_s)
        best_lb, best_ub = int(row["best_lb"]), int(row["best_ub"])
        proved += res.optimal
        at_best_ub += res.stations <= best_ub
        if row["status"] == "optimal":
            known += 1
            known_proved += res.optimal and res.stations == best_ub
            if not (res.optimal and res.stations == best_ub):
                not_closed.append(f"{name} (m {res.stations}, lb {res.lower_bound}, csv {best_ub})")
        if res.stations > best_ub:
            worse.append(f"{name} (m {res.stations} > best_ub {best_ub})")
        if res.stations < best_ub or res.lower_bound > best_lb:
            new.append(
                f"| {name} | {row['status']} | {best_lb} | {best_ub} | {res.lower_bound} | "
                f"{res.stations} | {res.optimal} | verified |"
            )
        if res.optimal and res.stations != best_ub and row["status"] == "optimal":
            raise SystemExit(f"{name}: proved {res.stations} but the CSV's optimum is {best_ub}")
        print(
            f"{name:22s} m={res.stations:4d} lb={res.lower_bound:4d} csv={best_lb}-{best_ub} "
            f"{row['status']:7s} {'proved' if res.optimal else 'OPEN  '} {res.wall_s:7.2f}s",
            file=sys.stderr,
        )
    parts = ([f"every {args.every}th"] if args.every > 1 else []) + (
        [f"first {args.first}"] if args.first else []
    )
    subset = "all 525" if len(numbers) == 525 else f"{len(numbers)} of 525 ({', '.join(parts)})"
    out = [
        f"### Otto n = {args.size}: {subset}, time limit {args.time_limit:g} s each",
        "",
        f"Warm-up (numba compile or cache load): {compile_s:.1f} s, not counted.",
        "",
        "| instances | proved optimal | known optima (status optimal) | of which reached and "
        "proved | m <= best_ub | m > best_ub | total s | median s | max s |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {len(numbers)} | {proved} | {known} | {known_proved} | {at_best_ub} | {len(worse)} | "
        f"{sum(walls):.1f} | {statistics.median(walls):.3f} | {max(walls):.2f} |",
        "",
    ]
    if not_closed:
        out += ["Known optimum not reached or not proved: " + ", ".join(not_closed), ""]
    if worse:
        out += ["Worse than best_ub: " + ", ".join(worse), ""]
    if new:
        out += [
            "New results (better than the CSV's bounds; every balance checked by the verifier):",
            "",
            "| instance | status | best_lb | best_ub | our lower bound | our m | proved | check |",
            "|---|---|---|---|---|---|---|---|",
            *new,
            "",
        ]
    print("\n".join(out))


if __name__ == "__main__":
    main()
