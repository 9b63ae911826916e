"""Run the app under uvicorn, and let Ctrl+C (or SIGTERM) stop a start-up that is still waiting."""

import contextlib
import sys
from types import FrameType

import uvicorn
from litestar import Litestar

from host.start_up_interrupt import stop_before_serving


class PromptStartServer(uvicorn.Server):
    """uvicorn notes a signal during start-up and acts on it only once start-up has finished, which
    with a locked or unreachable database can be minutes; until it listens, stop at once."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if not self.started:
            stop_before_serving(sig)
        super().handle_exit(sig, frame)


def serve(app: Litestar, *, host: str, port: int, log_level: str) -> None:
    config = uvicorn.Config(
        app, host=host, port=port, log_level=log_level, proxy_headers=False, server_header=False
    )
    server = PromptStartServer(config)
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn raises the signal again once it has shut down
        server.run()
    if not server.started:
        sys.exit(3)  # uvicorn's STARTUP_FAILURE, as uvicorn.run answers it
