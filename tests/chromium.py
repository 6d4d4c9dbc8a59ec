"""Headless Chromium for the HTML map tests.

The browser is Debian's ``chromium``, installed by ``make chromium`` (which
``make test`` runs first); the tests never install it themselves.  Without it
the tests skip, except with ``CI=true``, where they fail.
"""

import os
import shutil
import subprocess

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
]


def find_chromium() -> str:
    """Return the path of the chromium binary, or skip (fail with CI=true)."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    msg = "chromium is not installed; run `make chromium` (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(msg)
    pytest.skip(msg)


def run_chromium(browser, tmp_path, *args) -> subprocess.CompletedProcess:
    """Run headless `browser` with a fresh profile under `tmp_path`."""
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    cmd = [browser, *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)
