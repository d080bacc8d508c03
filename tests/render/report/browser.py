"""Headless Chromium for the report's tests: Debian's /usr/bin/chromium driven by Playwright.

Playwright comes from PyPI with its driver only; no browser is downloaded, the system's
Chromium is launched through `executable_path`. Tests skip when Chromium, Playwright or the
axe-core file is missing, and fail instead with CI=true (CI must run them: `.ci/run`
installs Chromium and fetches axe-core).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request

ROOT = Path(__file__).resolve().parents[3]
# Files from the npm registry that .ci/vendor fetches (npm pack, pinned): keep the versions in step.
AXE_VERSION = "4.10.3"
AXE_FILE = ROOT / "build" / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
MERMAID_VERSION = "11.4.1"
MERMAID_FILE = ROOT / "build" / "vendor" / f"mermaid-{MERMAID_VERSION}" / "mermaid.min.js"
# Flags that keep Chromium off the network and away from this machine's sandboxing it cannot use.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def missing(reason: str) -> None:
    """Skip locally; fail under CI=true, where the browser tests must run."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)")
    pytest.skip(reason)


def chromium_path() -> str:
    for candidate in (os.environ.get("SYNCSPEC_CHROMIUM", ""), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    missing("no Chromium (apt-get install chromium, or set SYNCSPEC_CHROMIUM)")
    raise AssertionError("unreachable")


def _vendored(path: Path, what: str) -> str:
    if not path.is_file():
        missing(f"no {what} at {path} (.ci/vendor fetches it with npm pack: bash .ci/vendor)")
    return path.read_text(encoding="utf-8")


def axe_source() -> str:
    return _vendored(Path(os.environ.get("SYNCSPEC_AXE_JS", AXE_FILE)), f"axe-core {AXE_VERSION}")


def mermaid_source() -> str:
    return _vendored(Path(os.environ.get("SYNCSPEC_MERMAID_JS", MERMAID_FILE)), f"Mermaid {MERMAID_VERSION}")


def artifact_dir() -> Path:
    """Where screenshots are kept after the run (SYNCSPEC_ARTIFACTS, else build/artifacts/report)."""
    path = Path(os.environ.get("SYNCSPEC_ARTIFACTS", ROOT / "build" / "artifacts")) / "report"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def launched() -> Iterator[Browser]:
    """Chromium, headless. Playwright gives each launch a fresh temporary profile directory."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install -e '.[dev]')")
        raise
    executable = chromium_path()
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, args=list(FLAGS), headless=True)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Browser, path: Path, *, javascript: bool = True) -> tuple[Page, PageErrors]:
    """`path` opened in a new context (a laptop-sized window), with its errors watched from the start."""
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = PageErrors()
    errors.watch(page)
    page.goto(path.as_uri(), wait_until="load")
    return page, errors


@dataclass
class PageErrors:
    """Console errors and uncaught exceptions seen on a page."""

    messages: list[str] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)  # anything the page asked for beyond its own file

    def watch(self, page: Page) -> None:
        page.on("console", lambda m: self.messages.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.messages.append(str(e)))
        page.on("request", self._request)

    def _request(self, request: Request) -> None:
        if not request.url.startswith("file:") or request.resource_type != "document":
            self.fetched.append(request.url)
