"""taktline: digital twin and production planning for electric-vehicle assembly plants.

The package is laid out by concept (see ``docs/architecture.md``):

- :mod:`taktline.model`       typed, immutable description of a plant (the scenario);
- :mod:`taktline.simulate`    discrete-event simulation engine;
- :mod:`taktline.balance`     line balancing (SALBP-1/2);
- :mod:`taktline.sequence`    mixed-model sequencing (car sequencing, ROADEF 2005);
- :mod:`taktline.plan`        monthly build and delivery planning;
- :mod:`taktline.experiment`  what-if sweeps and buffer allocation on local cores or Ray;
- :mod:`taktline.analysis`    statistics shared by the engines (confidence intervals, ...);
- :mod:`taktline.store`, :mod:`taktline.report`, :mod:`taktline.web`: run store, HTML
  reports, web service and dashboard;
- :mod:`taktline.workflow`    what chains the engines together (the digital twin's jobs);
- :mod:`taktline.cli`         the ``taktline`` command line, a thin layer over the API.

The most used entry points are importable from here::

    import taktline
    plant = taktline.load_scenario()            # the built-in default plant
    result = taktline.simulate(plant, horizon="30d", replications=20, seed=1)
    result.kpis                                 # tidy table with 95 % CIs
"""

from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("taktline")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

# Imported on first use, so `import taktline` stays light (no numba compile, no solvers).
_LAZY = {
    "load_scenario": "taktline.model",
    "Scenario": "taktline.model",
    "simulate": "taktline.simulate",
    "SimulationResult": "taktline.simulate",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'taktline' has no attribute {name!r}")


__all__ = ["Scenario", "SimulationResult", "__version__", "load_scenario", "simulate"]
