"""Browser tests: Playwright driving Debian's Chromium against a live server.

They skip, saying why, where Chromium or Playwright is not installed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

CHROMIUM_CANDIDATES = ["chromium", "chromium-browser", "google-chrome"]


def chromium_path() -> str | None:
    explicit = os.environ.get("TESSERE_CHROMIUM")
    if explicit:
        return explicit
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium non installato (apt install chromium): test nel browser saltati")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - dev dependencies missing
        pytest.skip("Playwright non installato: test nel browser saltati")
    # Playwright runs an event loop in this thread; Django's ORM is used from the test only
    # between browser calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, world):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, locale="it-IT")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
