"""Helper process: read pickled plan problems on stdin, solve with highspy, pickle the plans out.

Run by :func:`taktline.plan.lp.solve_many`; it imports nothing that loads OR-Tools.
"""

from __future__ import annotations

import pickle
import sys

from taktline.plan.lp import _solve_local


def main() -> None:
    """Solve every problem read from stdin; write the list of solutions to stdout."""
    problems, time_limit_s, mip_gap = pickle.loads(sys.stdin.buffer.read())
    solutions = [_solve_local(p, time_limit_s, mip_gap) for p in problems]
    sys.stdout.buffer.write(pickle.dumps(solutions))


if __name__ == "__main__":
    main()
