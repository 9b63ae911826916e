"""Run the app under uvicorn: a banner with where to go once it listens, and a prompt Ctrl+C before."""

import contextlib
import socket
import sys
from types import FrameType

import uvicorn
from litestar import Litestar

from host.start_up_interrupt import stop_before_serving


class PromptStartServer(uvicorn.Server):
    """uvicorn notes a signal during start-up and acts on it only once start-up has finished, which
    with a locked or unreachable database can be minutes; until it listens, stop at once."""

    def __init__(self, config: uvicorn.Config, banner: str) -> None:
        super().__init__(config)
        self.banner = banner

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if not self.started:
            stop_before_serving(sig)
        super().handle_exit(sig, frame)

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            print(self.banner, flush=True)


def banner(public_url: str, links: list[tuple[str, str]]) -> str:
    width = max(len(name) for name, _ in links) + 2
    lines = [f"  {name + ':':<{width}}{url}" for name, url in links]
    return "\n".join(["", f"Tenantry is serving at {public_url}", "", *lines, ""])


def serve(app: Litestar, *, host: str, port: int, log_level: str, banner: str) -> None:
    config = uvicorn.Config(
        app, host=host, port=port, log_level=log_level, proxy_headers=False, server_header=False
    )
    server = PromptStartServer(config, banner)
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn raises the signal again once it has shut down
        server.run()
    if not server.started:
        sys.exit(3)  # uvicorn's STARTUP_FAILURE, as uvicorn.run answers it
