"""A real HTTP receiver on loopback for webhooks and back-channel logout: records every request.

It can answer with failures (every other request, or always), or hold a request open until
released, so tests can make the sender retry or kill a worker mid-delivery.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float
    answered: int


@dataclass
class Receiver:
    """`fail` decides, from the request number (1-based) and headers, whether to answer 500."""

    port: int = 0
    fail: Callable[[int, dict[str, str]], bool] = lambda n, headers: False
    hold: threading.Event | None = None  # when set, requests wait for it before answering
    requests: list[Received] = field(default_factory=list)
    arrivals: int = 0  # requests whose body was read, answered or still held
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver.arrivals += 1
                if receiver.hold is not None:
                    receiver.hold.wait(timeout=120)
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver._lock:
                    number = len(receiver.requests) + 1
                    status = 500 if receiver.fail(number, headers) else 200
                    receiver.requests.append(Received(self.path, headers, body, time.time(), status))
                self.send_response(status)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok" if status == 200 else b"no")

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def wait_for(
        self, count: int, timeout: float = 30, where: Callable[[Received], bool] = lambda r: True
    ) -> list[Received]:
        """Block until `count` matching requests arrived; returns them (fails the test on timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                matching = [request for request in self.requests if where(request)]
            if len(matching) >= count:
                return matching
            time.sleep(0.05)
        raise AssertionError(f"expected {count} requests, got {len(matching)}: {[r.path for r in matching]}")

    def accepted(self) -> list[Received]:
        with self._lock:
            return [request for request in self.requests if request.answered == 200]
