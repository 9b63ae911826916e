"""One event loop for the in-process tier, on its own thread for the whole pytest session.

Its own thread, because Playwright's sync API keeps an event loop running in the main thread later
in the same session; one loop, because asyncpg connections belong to the loop that opened them.
Each coroutine runs in a `contextvars.Context` the caller passes: a test's context carries its
open transaction (Piccolo finds it through a context variable) from one call to the next.
"""

import asyncio
import contextvars
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class SessionLoop:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="in-process-tier", daemon=True)
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], context: contextvars.Context) -> T:
        """Run to completion in `context` (not a copy of it: what the coroutine sets stays set)."""

        async def in_context() -> T:
            return await asyncio.get_running_loop().create_task(coroutine, context=context)

        return asyncio.run_coroutine_threadsafe(in_context(), self.loop).result()

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()
