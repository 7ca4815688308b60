"""Headless Chromium for the browser tests: Debian's ``chromium``, driven by playwright.

When ``/usr/bin/chromium`` is missing, :func:`ensure_chromium` installs it with apt
(the only way here: no browser download); tests are skipped, with the reason, only
if apt itself is unavailable or the install fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def ensure_chromium() -> str | None:
    """Install Debian's chromium if needed; returns None when ready, else why it is not."""
    if CHROMIUM.exists():
        return None
    if shutil.which("apt-get") is None:
        return "no /usr/bin/chromium and no apt-get to install it"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    command = "apt-get update -qq && apt-get install -y -qq chromium"
    done = subprocess.run(
        ["sh", "-c", command], env=env, capture_output=True, text=True, timeout=900
    )
    if done.returncode != 0 or not CHROMIUM.exists():
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return f"could not install chromium with apt ({command}): {' / '.join(tail)}"
    return None


if __name__ == "__main__":  # pragma: no cover - `python tests/web/browser.py` installs it
    reason = ensure_chromium()
    print(reason or f"chromium ready: {CHROMIUM}")
