"""Fixtures of the store tests: a fresh store file (runs to put in it: ``runfactory``)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from taktline.store import RunStore

# test files import ``runfactory`` by name, whatever pytest's import mode
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Where the test's store lives (not created yet)."""
    return tmp_path / "runs.duckdb"


@pytest.fixture
def store(store_path: Path) -> Iterator[RunStore]:
    """An empty store, closed after the test."""
    with RunStore(store_path) as runs:
        yield runs
