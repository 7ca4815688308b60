"""Fixtures of the web tests: an API client on a fresh store, a live server, one browser."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from taktline.web import create_app

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import CHROMIUM, LAUNCH_ARGS, ensure_chromium  # noqa: E402


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The app in-process, on a store of its own, without a token."""
    with TestClient(create_app(tmp_path / "runs.duckdb")) as test_client:
        yield test_client


@pytest.fixture
def token_client(tmp_path: Path) -> Iterator[TestClient]:
    """The app as it runs off loopback: a token is needed to start or change anything."""
    with TestClient(create_app(tmp_path / "runs.duckdb", token="s3cret")) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Where the browser tests leave their screenshots (``out/`` is git-ignored)."""
    folder = Path(os.environ.get("TAKTLINE_TEST_OUTPUT", REPO / "out" / "test-results" / "web"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``taktline serve`` on loopback in its own process, on a fresh store; yields its URL."""
    port = free_port()
    store = tmp_path_factory.mktemp("live") / "runs.duckdb"
    log = (tmp_path_factory.getbasetemp() / "serve.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "taktline.cli.main",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--store",
            str(store),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/api/info", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"taktline serve did not start (see {log.name})")
        time.sleep(0.1)
    try:
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """One headless Chromium for the whole session, on a fresh profile."""
    reason = ensure_chromium()
    if reason is not None:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=LAUNCH_ARGS,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context: object) -> Iterator[object]:
    """A new tab that records console errors and page errors in ``page.errors``."""
    tab = browser_context.new_page()  # type: ignore[attr-defined]
    tab.errors = []
    tab.on("console", lambda msg: msg.type == "error" and tab.errors.append(msg.text))
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    yield tab
    tab.close()
