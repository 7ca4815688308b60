"""HiGHS (planning) and OR-Tools (sequencing) load into one process without clashing.

Both ship ``libhighs.so.1``; highspy is pinned to the HiGHS that OR-Tools bundles.
Run in fresh interpreters so the import order is the one under test.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

SOLVE_BOTH = """
import sys
def highs():
    import highspy
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    x = h.addVariable(lb=0, ub=4)
    y = h.addVariable(lb=0, ub=3)
    h.addConstr(x + y <= 5)
    h.maximize(2 * x + y)
    assert abs(h.getInfo().objective_function_value - 9) < 1e-9
def cpsat():
    from ortools.sat.python import cp_model
    m = cp_model.CpModel()
    a = m.new_int_var(0, 5, "a")
    m.maximize(a)
    s = cp_model.CpSolver()
    s.solve(m)
    assert s.value(a) == 5
first, second = (highs, cpsat) if sys.argv[1] == "highs" else (cpsat, highs)
first()
second()
print("ok")
"""


@pytest.mark.parametrize("first", ["highs", "ortools"])
def test_highs_and_ortools_in_one_process(first: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SOLVE_BOTH, first], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
