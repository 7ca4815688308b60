"""Screenshots of the dashboard and of a report for the README, taken in headless Chromium.

    .venv/bin/python scripts/screenshots.py [--out docs/img] [--horizon 14d] [--replications 5]

Starts ``taktline serve`` on loopback with a fresh run store, runs a what-if from the
dashboard (the end-of-line station faster, a bigger painted-body store, one more shift) against the
baseline, and saves ``dashboard.png`` and ``report.png`` (the what-if run's report).
Chromium comes from Debian (installed with apt when missing, as in the tests).
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "web"))

from browser import CHROMIUM, LAUNCH_ARGS, ensure_chromium  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(store: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "taktline.cli.main",
            "serve",
            "--port",
            str(port),
            "--store",
            str(store),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/info", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("taktline serve did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "img")
    parser.add_argument("--horizon", default="14d")
    parser.add_argument("--replications", default="5")
    args = parser.parse_args()
    reason = ensure_chromium()
    if reason:
        raise SystemExit(reason)
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        server, url = _serve(Path(tmp) / "runs.duckdb")
        try:
            with sync_playwright() as playwright:
                context = playwright.chromium.launch_persistent_context(
                    str(Path(tmp) / "profile"),
                    executable_path=str(CHROMIUM),
                    headless=True,
                    args=LAUNCH_ARGS,
                    viewport={"width": 1400, "height": 1000},
                )
                page = context.new_page()
                page.goto(url + "/")
                page.wait_for_selector("body[data-ready=yes]", timeout=30_000)
                page.select_option("#wf-station", "eol-rolls-adas")
                page.fill("#wf-station-ct", "130")
                page.select_option("#wf-buffer", "pbs")
                page.fill("#wf-buffer-cap", "300")
                page.check("#wf-shift")
                page.fill("#wf-horizon", args.horizon)
                page.fill("#wf-reps", str(args.replications))
                page.click("#whatif-submit")
                page.wait_for_selector("#view[data-ready=comparison]", timeout=300_000)
                page.wait_for_timeout(500)
                page.screenshot(path=str(args.out / "dashboard.png"))
                run_id = httpx.get(f"{url}/runs?limit=1").json()[0]["id"]
                page.set_viewport_size({"width": 1400, "height": 1300})
                page.goto(f"{url}/runs/{run_id}/report")
                page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
                page.wait_for_timeout(500)
                page.screenshot(path=str(args.out / "report.png"))
                context.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    for name in ("dashboard.png", "report.png"):
        print(args.out / name)


if __name__ == "__main__":
    main()
