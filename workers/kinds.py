"""The shapes of background work: a job kind (run one row) and a cron (run on a clock)."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from workers.context import JobContext

JobFunction = Callable[[dict[str, Any], JobContext], Awaitable[None]]
DeadLetterHook = Callable[[dict[str, Any], str], Awaitable[None]]
CronFunction = Callable[[JobContext], Awaitable[int]]


@dataclass(frozen=True, slots=True)
class JobKind:
    """A job function, and what to record when its last attempt fails (the dead letter)."""

    run: JobFunction
    on_dead: DeadLetterHook | None = None


@dataclass(frozen=True, slots=True)
class Cron:
    """Periodic work; arq runs it unique across workers, the embedded runner on its own clock.

    `every_seconds` is a divisor of 60, a multiple of 60 that divides 3600, or 3600.
    """

    name: str
    every_seconds: int
    run: CronFunction

    def arq_fields(self) -> dict[str, set[int]]:
        if self.every_seconds < 60:
            return {"second": set(range(0, 60, self.every_seconds))}
        if self.every_seconds < 3600:
            return {"second": {0}, "minute": set(range(0, 60, self.every_seconds // 60))}
        return {"second": {0}, "minute": {0}}
