"""Line balancing: SALBP-1 and SALBP-2, exact (branch, bound and remember) and heuristic.

>>> from taktline.balance import read_instance, solve_salbp1, verify
>>> inst = read_instance("MERTENS.IN2")                  # doctest: +SKIP
>>> res = solve_salbp1(inst, cycle_time=10)              # doctest: +SKIP
>>> res.stations, res.optimal, res.assignment            # doctest: +SKIP

See ``docs/balance.md``.
"""

from taktline.balance.instance import Instance
from taktline.balance.readers import read_alb, read_in2, read_instance
from taktline.balance.salbp import (
    Balance,
    salbp1_lower_bound,
    salbp2_lower_bound,
    solve_salbp1,
    solve_salbp2,
)
from taktline.balance.verify import check_assignment, station_loads, verify

__all__ = [
    "Balance",
    "Instance",
    "check_assignment",
    "read_alb",
    "read_in2",
    "read_instance",
    "salbp1_lower_bound",
    "salbp2_lower_bound",
    "solve_salbp1",
    "solve_salbp2",
    "station_loads",
    "verify",
]
