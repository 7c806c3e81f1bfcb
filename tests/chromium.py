"""Headless Chromium for the report's tests: find it (CI requires it), open a page with a
throwaway profile and no network chatter, and run a harness script inside a copy of a page to
read back what the page shows once its own script ran."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest


def chromium() -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        if os.environ.get("CNN_REQUIRE_CHROMIUM"):
            pytest.fail("chromium is not installed, and CI requires the report's screenshot")
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    return browser


def browse(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *extra,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


PRELUDE = "<script>window.__alerts=[];window.alert=function(x){window.__alerts.push(x);};</script>"


def run_harness(page: Path, profile: Path, harness: str, *extra: str) -> dict:
    """What `harness` (a <script> that writes JSON into <pre id="harness">) read off a copy of
    `page`; `extra` are Chromium's flags (a --window-size for the layout's positions)."""
    text = page.read_text(encoding="utf-8")
    copy = page.with_name(page.stem + "-harness.html")
    copy.write_text(
        text.replace("<head>", "<head>" + PRELUDE, 1).replace("</body>", harness + "</body>", 1)
    )
    done = browse(copy, profile, *extra, "--dump-dom")
    found = re.search(r'<pre id="harness">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    return json.loads(html.unescape(found.group(1)))
