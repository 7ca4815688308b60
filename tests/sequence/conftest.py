"""Fixtures of the sequencing tests: small instances built here, and the public benchmark
data when the checkout sits next to ``shared/`` (tests that need it skip otherwise)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sequence_fixtures import BENCH, TINY_ROADEF, write_folder


@pytest.fixture
def tiny_roadef(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "tiny", TINY_ROADEF)


@pytest.fixture(scope="session")
def bench() -> Path:
    if not BENCH.is_dir():
        pytest.skip(f"benchmark data not found at {BENCH}")
    return BENCH
