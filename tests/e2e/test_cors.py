"""Real Chromium enforces CORS: a browser app at its registered origin can call the OAuth endpoints,
a page at any other origin cannot read their answers."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Browser, Page

from tests.support.factories import make_app
from tests.support.server import ServerProcess

FETCH_SCRIPT = """async ([url, headers]) => {
  try {
    const response = await fetch(url, { headers });
    return { status: response.status, challenge: response.headers.get("www-authenticate") };
  } catch (error) {
    return { blocked: String(error) };
  }
}"""


class AppPage(BaseHTTPRequestHandler):
    """The browser app's own page: served on loopback, so Chromium's local-network rules allow the calls."""

    def do_GET(self) -> None:
        body = b"<!doctype html><p>app</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


def serve_app_page() -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), AppPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def app_origins() -> Iterator[tuple[str, str]]:
    """Two page origins: one to register as a browser app, one never registered."""
    servers = [serve_app_page(), serve_app_page()]
    yield (f"http://localhost:{servers[0].server_port}", f"http://localhost:{servers[1].server_port}")
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def plain_page(browser: Browser) -> Iterator[Page]:
    """A page without the suite's extra X-Forwarded-For header, which would itself need a preflight."""
    context = browser.new_context()
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_chromium_lets_a_registered_browser_app_read_userinfo_and_keys_and_blocks_other_origins(
    server: ServerProcess, plain_page: Page, app_origins: tuple[str, str]
) -> None:
    registered, unregistered = app_origins
    make_app(client_type="public", redirect_uris=[f"{registered}/callback"])
    plain_page.goto(f"{registered}/")
    keys = plain_page.evaluate(FETCH_SCRIPT, [f"{server.url}/keys", {}])
    assert keys == {"status": 200, "challenge": None}, keys
    userinfo = plain_page.evaluate(
        FETCH_SCRIPT, [f"{server.url}/oauth/userinfo", {"Authorization": "Bearer not-a-token"}]
    )
    assert userinfo.get("status") == 401, userinfo
    assert userinfo["challenge"].startswith('Bearer error="invalid_token"'), (
        "the exposed challenge is readable"
    )

    plain_page.goto(f"{unregistered}/")
    blocked = plain_page.evaluate(FETCH_SCRIPT, [f"{server.url}/keys", {}])
    assert "blocked" in blocked, blocked
