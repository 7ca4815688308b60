"""The ``taktline`` command line: a thin layer over the Python API."""
