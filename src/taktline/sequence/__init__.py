"""Mixed-model sequencing: car sequencing (CSPLib prob001) and ROADEF 2005 (Renault).

Readers and writers for both public formats, an independent checker, a compiled
local search with incremental move evaluation, and CP-SAT for proofs on small
instances. See ``docs/sequence.md``.
"""

from taktline.sequence.check import (
    CSPLibCheck,
    RoadefCheck,
    check_csplib,
    check_roadef,
    roadef_lower_bound,
    score_roadef_order,
)
from taktline.sequence.formats import (
    CSPLibInstance,
    Ratio,
    RoadefInstance,
    read_csplib,
    read_csplib_collection,
    read_csplib_solution,
    read_roadef,
    read_roadef_solution,
    write_csplib,
    write_csplib_solution,
    write_roadef,
    write_roadef_solution,
)
from taktline.sequence.solve import CSPLibResult, RoadefResult, solve_csplib, solve_roadef

__all__ = [
    "CSPLibCheck",
    "CSPLibInstance",
    "CSPLibResult",
    "Ratio",
    "RoadefCheck",
    "RoadefInstance",
    "RoadefResult",
    "check_csplib",
    "check_roadef",
    "read_csplib",
    "read_csplib_collection",
    "read_csplib_solution",
    "read_roadef",
    "read_roadef_solution",
    "roadef_lower_bound",
    "score_roadef_order",
    "solve_csplib",
    "solve_roadef",
    "write_csplib",
    "write_csplib_solution",
    "write_roadef",
    "write_roadef_solution",
]
