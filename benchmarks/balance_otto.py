"""Otto, Otto & Scholl (2013) SALBP-1 data set, against ``otto2013_salbp1_bounds.csv``.

    .venv/bin/python benchmarks/balance_otto.py --size 20
    .venv/bin/python benchmarks/balance_otto.py --size 50 --time-limit 60
    .venv/bin/python benchmarks/balance_otto.py --size 100 --time-limit 10 --every 5
    .venv/bin/python benchmarks/balance_otto.py --size 1000 --time-limit 60 --first 20
    .venv/bin/python benchmarks/balance_otto.py --size 100 --time-limit 600 --only 61
    .venv/bin/python benchmarks/balance_otto.py --size 1000 --shard 1/2 --records r1000.jsonl

``--every K`` runs instances K, 2K, ...; ``--first K`` the first K; ``--only``
the instances with the numbers given; ``--shard I/N`` every N-th of those,
starting with the I-th (to split a long run over processes or machines): the
table says which subset ran. For each instance: the balance (checked by the
verifier), our lower bound and whether optimality is proved; compared with the
CSV's ``best_lb``/``best_ub``/``status``. A smaller upper bound than
``best_ub`` or a proof on an ``open`` instance is a new result and is listed.

``--records FILE`` appends one JSON line per instance as soon as it is solved
and skips the instances the file already holds for the same size and time
limit, so that a run of many hours can be stopped and resumed, and the shards'
files concatenated; the table then covers every instance of the subset found
in the file (each line names the commit that solved it).
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
from pathlib import Path

from balance_scholl import warm_up
from taktline.balance import read_instance, solve_salbp1, verify

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "salbp"
FOLDER = {20: "small_n20", 50: "medium_n50", 100: "large_n100", 1000: "verylarge_n1000"}
COUNT = 525  # instances per size


def _numbers(args: argparse.Namespace) -> list[int]:
    if args.only:
        numbers = sorted({int(k) for k in args.only.split(",")})
        if not all(1 <= k <= COUNT for k in numbers):
            raise SystemExit(f"--only: instance numbers run from 1 to {COUNT}")
    else:
        numbers = list(range(args.every, COUNT + 1, args.every))
    if args.first:
        numbers = numbers[: args.first]
    if args.shard:
        i, n = (int(x) for x in args.shard.split("/"))
        if not 1 <= i <= n:
            raise SystemExit("--shard I/N needs 1 <= I <= N")
        numbers = numbers[i - 1 :: n]
    return numbers


def _subset_label(args: argparse.Namespace, count: int) -> str:
    if count == COUNT:
        return f"all {COUNT}"
    parts = ([f"every {args.every}th"] if args.every > 1 else []) + (
        [f"first {args.first}"] if args.first else []
    )
    if args.only:
        parts.append(f"only {args.only}")
    if args.shard:
        parts.append(f"shard {args.shard}")
    return f"{count} of {COUNT} ({', '.join(parts)})"


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _load_records(path: Path | None, size: int, limit: float) -> dict[str, dict]:
    if path is None or not path.exists():
        return {}
    records = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            if r["size"] == size and r["time_limit"] == limit:
                records[r["instance"]] = r
    return records


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--size", type=int, choices=sorted(FOLDER), required=True)
    ap.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance")
    ap.add_argument("--every", type=int, default=1, help="run instances K, 2K, 3K, ...")
    ap.add_argument("--first", type=int, default=None, help="run only the first K instances")
    ap.add_argument("--only", default=None, help="comma-separated instance numbers, e.g. 61,291")
    ap.add_argument("--shard", default=None, help="I/N: every N-th instance from the I-th")
    ap.add_argument("--records", type=Path, default=None, help="JSON lines to append to / resume")
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args()

    with open(args.data / "otto2013_salbp1_bounds.csv", encoding="utf-8", newline="") as handle:
        table = {r["instance"]: r for r in csv.DictReader(handle)}
    numbers = _numbers(args)
    records = _load_records(args.records, args.size, args.time_limit)
    commit = _commit()
    compile_s = warm_up(args.data)

    for k in numbers:
        name = f"instance_n={args.size}_{k}"
        if name in records:
            continue
        row = table[name]
        inst = read_instance(args.data / "otto2013" / FOLDER[args.size] / f"{name}.alb")
        res = solve_salbp1(inst, time_limit=args.time_limit)
        verify(inst, res.assignment, res.cycle_time)
        records[name] = rec = {
            "instance": name,
            "size": args.size,
            "time_limit": args.time_limit,
            "stations": int(res.stations),
            "lower_bound": int(res.lower_bound),
            "optimal": bool(res.optimal),
            "wall_s": round(float(res.wall_s), 3),
            "commit": commit,
        }
        if args.records is not None:
            with open(args.records, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(rec) + "\n")
        print(
            f"{name:22s} m={res.stations:4d} lb={res.lower_bound:4d} "
            f"csv={row['best_lb']}-{row['best_ub']} {row['status']:7s} "
            f"{'proved' if res.optimal else 'OPEN  '} {res.wall_s:7.2f}s",
            file=sys.stderr,
            flush=True,
        )
    print("\n".join(_report(args, numbers, records, table, compile_s)))


def _report(
    args: argparse.Namespace,
    numbers: list[int],
    records: dict[str, dict],
    table: dict[str, dict[str, str]],
    compile_s: float,
) -> list[str]:
    """The Markdown table of the subset, from the records of its instances."""
    walls, proved, at_best_ub, worse, new, not_closed = [], 0, 0, [], [], []
    known = known_proved = 0
    commits: set[str] = set()
    for k in numbers:
        name = f"instance_n={args.size}_{k}"
        res, row = records[name], table[name]
        m, lb, opt = res["stations"], res["lower_bound"], res["optimal"]
        commits.add(res["commit"])
        walls.append(res["wall_s"])
        best_lb, best_ub = int(row["best_lb"]), int(row["best_ub"])
        proved += opt
        at_best_ub += m <= best_ub
        if row["status"] == "optimal":
            known += 1
            known_proved += opt and m == best_ub
            if not (opt and m == best_ub):
                not_closed.append(f"{name} (m {m}, lb {lb}, csv {best_ub})")
            if opt and m != best_ub:
                raise SystemExit(f"{name}: proved {m} but the CSV's optimum is {best_ub}")
        if m > best_ub:
            worse.append(f"{name} (m {m} > best_ub {best_ub})")
        if m < best_ub or lb > best_lb:
            new.append(
                f"| {name} | {row['status']} | {best_lb} | {best_ub} | {lb} | {m} | {opt} | "
                "verified |"
            )
    over = sorted((w, n) for w, n in zip(walls, numbers, strict=True) if w > args.time_limit)
    out = [
        f"### Otto n = {args.size}: {_subset_label(args, len(numbers))}, "
        f"time limit {args.time_limit:g} s each",
        "",
        f"Warm-up (numba compile or cache load): {compile_s:.1f} s, not counted. "
        f"Commit(s): {', '.join(sorted(commits))}.",
        "",
        "| instances | proved optimal | known optima (status optimal) | of which reached and "
        "proved | m <= best_ub | m > best_ub | over the limit | total s | median s | max s |",
        "|---|---|---|---|---|---|---|---|---|---|",
        f"| {len(numbers)} | {proved} | {known} | {known_proved} | {at_best_ub} | {len(worse)} | "
        f"{len(over)} | {sum(walls):.1f} | {statistics.median(walls):.3f} | {max(walls):.2f} |",
        "",
    ]
    if over:
        out += ["Over the limit: " + ", ".join(f"_{n} ({w:.2f} s)" for w, n in over), ""]
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
    return out


if __name__ == "__main__":
    main()
