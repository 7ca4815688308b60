"""Run the ``taktline`` CLI in-process and check its streams and exit codes."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner


@pytest.fixture
def runner() -> CliRunner:
    """A CLI runner that keeps stderr apart from stdout."""
    return CliRunner()
