"""An app that embeds Tenantry's widgets, on an origin of its own (another loopback port): it
serves the examples under frontend/examples (the React one built into frontend/dist-examples)
and, as the app's backend, mints widget tokens for its signed-in person with Tenantry's GraphQL
and its own client_credentials token, as docs/embedding.md tells integrators to."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx

from tests.support.factories import make_app
from tests.support.server import REPO, free_port

EXAMPLES = {
    "/html/": REPO / "frontend" / "examples" / "embed-html",
    "/react/": REPO / "frontend" / "dist-examples" / "react",
}
MINT = """mutation($o: ID!, $u: ID!, $w: [Widget!]!) {
  createWidgetToken(organizationId: $o, userId: $u, widgets: $w) {
    __typename ... on WidgetToken { token } ... on Problem { message } } }"""


@dataclass
class EmbeddingApp:
    origin: str
    tenantry_url: str
    access_token: str
    # who "is signed in to the app": (organization id, user id)
    person: tuple[str, str] | None = None
    minted: list[list[str]] = field(default_factory=list)

    def widget_token(self, widgets: list[str]) -> dict[str, Any] | None:
        """A token for the signed-in person, or None when Tenantry refuses (they left)."""
        assert self.person is not None, "sign someone in to the app first"
        organization_id, user_id = self.person
        answer = httpx.post(
            f"{self.tenantry_url}/graphql",
            json={"query": MINT, "variables": {"o": organization_id, "u": user_id, "w": widgets}},
            headers={"Authorization": f"Bearer {self.access_token}"},
        ).json()["data"]["createWidgetToken"]
        self.minted.append(widgets)
        if answer["__typename"] != "WidgetToken":
            return None
        return {"token": answer["token"], "tenantryUrl": self.tenantry_url}


def _handler(app: EmbeddingApp) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path == "/widget-token":
                minted = app.widget_token(parse_qs(url.query).get("widgets", []))
                body = json.dumps(minted or {"error": "no token for this person"}).encode()
                self.send_response(200 if minted else 403)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            for prefix, folder in EXAMPLES.items():
                if url.path.startswith(prefix):
                    self.directory = str(folder)
                    self.path = "/" + url.path.removeprefix(prefix)
                    super().do_GET()
                    return
            self.send_error(404)

        def translate_path(self, path: str) -> str:
            return str(Path(self.directory) / path.lstrip("/").split("?")[0])

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def embedding_app(tenantry_url: str) -> Iterator[EmbeddingApp]:
    """The app's server, registered with Tenantry (its origin from its redirect URI)."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    registered = make_app(grant_types=["client_credentials"], redirect_uris=[f"{origin}/callback"])
    token = httpx.post(
        f"{tenantry_url}/oauth/token",
        data={"grant_type": "client_credentials", "scope": "tenantry:manage"},
        auth=(registered.client_id, registered.client_secret or ""),
    ).json()["access_token"]
    app = EmbeddingApp(origin, tenantry_url, token)
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(app))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app
    finally:
        server.shutdown()
        server.server_close()
