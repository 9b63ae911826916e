"""Real Chromium (Debian's package) driven by Playwright; never a downloaded browser."""

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.support.factories import run
from tests.support.people import unique_ip
from tests.support.server import REPO, ServerProcess

CHROMIUM = os.environ.get("TENANTRY_TEST_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing (CI installs Debian's chromium)")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    if not (REPO / "frontend" / "dist" / ".vite" / "manifest.json").exists():
        pytest.fail("frontend/dist is not built: run `./run build-frontend`")
    home = tempfile.mkdtemp(prefix="tenantry-chromium-home-")
    previous_home = os.environ.get("HOME")
    os.environ["HOME"] = home
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
    if previous_home is not None:
        os.environ["HOME"] = previous_home
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile per test, with its own client IP for rate limits."""
    created = browser.new_context(extra_http_headers={"X-Forwarded-For": unique_ip()})
    created.set_default_timeout(15_000)
    yield created
    created.close()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    opened = context.new_page()
    yield opened
    ARTIFACTS.mkdir(exist_ok=True)
    opened.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)


@pytest.fixture(scope="session")
def demo(server: ServerProcess) -> object:
    """The demo environment (Coffee Desk, Acme Coffee), seeded through the real resolver."""
    from resolvers.demo import seed_demo
    from tests.support.deployment import server_deployment

    return run(seed_demo(server_deployment()))
