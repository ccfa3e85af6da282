"""Pages in a real browser: Debian's chromium driven by Playwright, sites served on loopback,
and axe-core (from the npm registry, `make test` fetches it) injected to check accessibility.

Chromium is started as the machine's own browser, never a downloaded one, with the flags that
keep it from reaching for the network it does not have here.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def axe_source() -> str:
    path = os.environ.get("AXE_CORE") or next(
        iter(sorted((Path(__file__).parent.parent / ".venv").glob("axe-core-*/axe.min.js"))), ""
    )
    if not path or not Path(path).is_file():
        raise RuntimeError("axe-core is missing: `make test` fetches it (npm pack axe-core)")
    return Path(path).read_text(encoding="utf-8")


@contextmanager
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file() and not shutil.which("chromium"):
        raise RuntimeError("Debian's chromium is missing: apt-get install chromium (.ci/run does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """The folder on a loopback HTTP server; yields its base URL (ending in /)."""
    handler = functools.partial(_Quiet, directory=str(folder))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()


class Watched:
    """A page with its console errors, failed requests and the files it fetched recorded."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.fetched: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        page.on("requestfinished", lambda r: self.fetched.append(r.url))


def bytes_of(folder: Path, base: str, urls: list[str]) -> int:
    """The bytes of these files fetched from `folder` (served at `base`, uncompressed)."""
    total = 0
    for url in urls:
        path = url.removeprefix(base).split("?")[0].split("#")[0]
        file = folder / (path + "index.html" if path.endswith("/") or not path else path)
        total += file.stat().st_size if file.is_file() else 0
    return total


def serious_accessibility_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations of WCAG 2.1 A and AA on the page as it is."""
    page.add_script_tag(content=axe_source())
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['help']}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
