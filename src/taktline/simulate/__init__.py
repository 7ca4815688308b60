"""Discrete-event simulation of a plant: a compiled (numba) kernel over station arrays.

- :func:`simulate` runs a scenario (or bare :class:`Network` objects) over
  independent replications and returns a :class:`SimulationResult`;
- :mod:`~taktline.simulate.network` is the array description the kernel runs;
- :mod:`~taktline.simulate.build` compiles a scenario into networks;
- :mod:`~taktline.simulate.kernel` is the event loop, :mod:`~taktline.simulate.kpis`
  and :mod:`~taktline.simulate.bottleneck` turn its accumulators into KPIs.
"""

from taktline.simulate.api import parse_duration, simulate
from taktline.simulate.network import Network, serial_line
from taktline.simulate.result import SimulationResult

__all__ = ["Network", "SimulationResult", "parse_duration", "serial_line", "simulate"]
