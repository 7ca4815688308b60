"""taktline: digital twin and production planning for electric-vehicle assembly plants.

The package is laid out by concept (see ``docs/architecture.md``):

- :mod:`taktline.model`     typed, immutable description of a plant (the scenario);
- :mod:`taktline.simulate`  discrete-event simulation engine;
- :mod:`taktline.balance`   line balancing (SALBP-1/2);
- :mod:`taktline.sequence`  mixed-model sequencing (car sequencing, ROADEF 2005);
- :mod:`taktline.plan`      monthly build and delivery planning;
- :mod:`taktline.analysis`  statistics shared by the engines (confidence intervals, ...);
- :mod:`taktline.workflow`  what chains the engines together (the digital twin's jobs);
- :mod:`taktline.cli`       the ``taktline`` command line, a thin layer over the API.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("taktline")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
