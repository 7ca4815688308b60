"""Where the run store lives when no ``--store`` is given."""

from __future__ import annotations

import os
from pathlib import Path


def default_store_path() -> Path:
    """``$XDG_DATA_HOME/taktline/runs.duckdb``, else ``~/.local/share/taktline/runs.duckdb``."""
    base = os.environ.get("XDG_DATA_HOME")
    root = Path(base) if base else Path.home() / ".local" / "share"
    return root / "taktline" / "runs.duckdb"
