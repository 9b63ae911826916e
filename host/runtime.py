"""What request handlers share for the life of the process: settings, limiter, job wake-up, Redis state."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from litestar import Request

from host.security import RateLimiter
from host.settings import Settings
from resolvers.deployment import Deployment
from workers.outage import Outage


@dataclass(slots=True)
class Runtime:
    settings: Settings
    deployment: Deployment
    limiter: RateLimiter
    wake_jobs: Callable[[], None] = field(default=lambda: None)
    redis_outage: Outage | None = None  # the outbox dispatcher's view of Redis; None without Redis


def runtime(request: Request[Any, Any, Any]) -> Runtime:
    found: Runtime = request.app.state["runtime"]
    return found
