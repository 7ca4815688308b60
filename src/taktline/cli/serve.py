"""``taktline serve``: the web service and dashboard."""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path

import typer

from taktline.cli.common import err_console, handle_input_errors
from taktline.cli.runs import store_option, store_path


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@handle_input_errors
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
    store: Path = store_option(),
    token: str = typer.Option(
        None,
        "--token",
        envvar="TAKTLINE_TOKEN",
        help="Token required to start or change anything (default off loopback: a random one).",
    ),
) -> None:
    """Serve the API (OpenAPI at /docs) and the dashboard (/) over the run store."""
    import uvicorn

    from taktline.store import RunStore
    from taktline.web import create_app

    if token is None and not is_loopback(host):
        token = secrets.token_urlsafe(18)
    runs = RunStore(store_path(store))
    app = create_app(runs, token=token)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    err_console.print(f"taktline dashboard: {url}" + (f"?token={token}" if token else ""))
    err_console.print(f"API and its docs: {url}docs · run store: {runs.path}")
    if token:
        err_console.print(
            f"requests that start or change something need the header X-Taktline-Token: {token}"
        )
    try:
        uvicorn.run(app, host=host, port=port, log_level=os.environ.get("TAKTLINE_LOG", "warning"))
    finally:
        runs.close()
