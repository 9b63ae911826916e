"""An outage of something the job loops depend on: when to try again, and when to say so.

A loop that polls every second must not also log every second while Redis (or the database) is
gone: the attempts back off exponentially up to a cap, each failed attempt says once when the
next one comes, and the recovery is one line.
"""

import logging
import time
from dataclasses import dataclass

FIRST_DELAY_SECONDS = 1.0
MAX_DELAY_SECONDS = 30.0


@dataclass
class Outage:
    """Whether `name` is reachable, as the last attempt saw it, and the back-off while it is not."""

    name: str
    consequence: str
    log: logging.Logger
    traceback_first: bool = False  # for failures that may be bugs rather than an absent service
    since: float | None = None
    error: str = ""
    delay: float = FIRST_DELAY_SECONDS

    @property
    def reachable(self) -> bool:
        return self.since is None

    def failed(self, error: BaseException) -> float:
        """Record a failed attempt, log one line, and return how long to wait before the next."""
        first = self.since is None
        if first:
            self.since, self.delay = time.monotonic(), FIRST_DELAY_SECONDS
        else:
            self.delay = min(self.delay * 2, MAX_DELAY_SECONDS)
        self.error = str(error) or type(error).__name__
        self.log.warning(
            "%s is unreachable (%s); %s; next try in %.0f s",
            self.name,
            self.error,
            self.consequence,
            self.delay,
            exc_info=error if first and self.traceback_first else None,
        )
        return self.delay

    def succeeded(self) -> None:
        """Record a working attempt; after an outage, say once (at the outage's level) that it is over."""
        if self.since is not None:
            self.log.warning("%s is reachable again after %.0f s", self.name, time.monotonic() - self.since)
        self.since, self.error, self.delay = None, "", FIRST_DELAY_SECONDS
