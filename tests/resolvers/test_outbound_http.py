"""Documents fetched from outside (IdP metadata, discovery, JWKS, tokens) are read whole but never
beyond their cap, and never from a private address unless the deployment allows private networks."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from resolvers.outbound_http import OutboundFailed, PrivateDestinationRefused, get, post_for_document
from tests.support.factories import run

BODY = b"<EntityDescriptor/>" * 100


class Documents:
    """A loopback server: /doc answers BODY with its length, /chunked the same without one, /echo the
    request, /moved a redirect; every other path a 404."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                if self.path == "/doc":
                    self._answer(200, BODY, {"content-type": "application/xml; charset=utf-8"})
                elif self.path == "/chunked":
                    self.send_response(200)
                    self.send_header("transfer-encoding", "chunked")
                    self.send_header("connection", "close")
                    self.end_headers()
                    self.close_connection = True
                    for start in range(0, len(BODY), 100):
                        piece = BODY[start : start + 100]
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    self.wfile.write(b"0\r\n\r\n")
                elif self.path == "/echo":
                    self._answer(200, json.dumps(dict(self.headers.items())).encode(), {})
                elif self.path == "/moved":
                    self._answer(302, b"", {"location": "/doc"})
                else:
                    self._answer(404, b"no such page", {})

            def do_POST(self) -> None:
                form = self.rfile.read(int(self.headers.get("content-length") or 0))
                self._answer(200, form, {"content-type": "application/x-www-form-urlencoded"})

            def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(body)))
                self.send_header("connection", "close")  # nothing kept alive on a loop that ends
                self.end_headers()
                self.close_connection = True
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def documents() -> Iterator[Documents]:
    server = Documents()
    yield server
    server.stop()


def test_a_document_within_its_cap_arrives_whole_with_its_media_type(documents: Documents) -> None:
    for path in ("/doc", "/chunked"):
        answer = run(get(f"{documents.url}{path}", private_networks=True, accept="*/*", max_bytes=len(BODY)))
        assert (answer.status, answer.body) == (200, BODY), path
    assert run(
        get(f"{documents.url}/doc", private_networks=True, accept="*/*", max_bytes=4096)
    ).content_type == ("application/xml")


@pytest.mark.parametrize("path", ["/doc", "/chunked"])
def test_a_document_over_its_cap_is_refused_whether_or_not_it_says_its_length(
    documents: Documents, path: str
) -> None:
    with pytest.raises(OutboundFailed, match=f"larger than {len(BODY) - 1} bytes"):
        run(get(f"{documents.url}{path}", private_networks=True, accept="*/*", max_bytes=len(BODY) - 1))


def test_the_accept_and_extra_headers_are_sent_and_redirects_are_not_followed(documents: Documents) -> None:
    echoed = run(
        get(
            f"{documents.url}/echo",
            private_networks=True,
            accept="application/json",
            max_bytes=4096,
            headers={"authorization": "Bearer abc"},
        )
    )
    headers = {name.lower(): value for name, value in json.loads(echoed.body).items()}
    assert (headers["accept"], headers["authorization"]) == ("application/json", "Bearer abc")
    moved = run(get(f"{documents.url}/moved", private_networks=True, accept="*/*", max_bytes=4096))
    assert moved.status == 302


def test_a_private_address_is_refused_unless_private_networks_are_allowed(documents: Documents) -> None:
    for url in (f"{documents.url}/doc", f"http://localhost:{documents.url.rsplit(':', 1)[1]}/doc"):
        with pytest.raises(PrivateDestinationRefused, match="not a public internet address"):
            run(get(url, private_networks=False, accept="*/*", max_bytes=4096))
    with pytest.raises(PrivateDestinationRefused):
        run(
            post_for_document(
                f"{documents.url}/token", private_networks=False, data={"a": "b"}, max_bytes=4096
            )
        )


def test_a_posted_form_comes_back_whole(documents: Documents) -> None:
    answer = run(
        post_for_document(
            f"{documents.url}/token", private_networks=True, data={"code": "x" * 3000}, max_bytes=8192
        )
    )
    assert (answer.status, answer.body) == (200, b"code=" + b"x" * 3000)
