"""Liveness and readiness probes for load balancers and orchestrators."""

from typing import Any

from litestar import Request, Response, get

from db.environment import EnvironmentSettings
from host.runtime import runtime


@get("/health/live", name="health_live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@get("/health/ready", name="health_ready")
async def ready(request: Request[Any, Any, Any]) -> Response[Any]:
    """Ready when the database answers and is migrated and seeded.

    Redis down is `degraded`, still 200: the node keeps serving and jobs wait in the outbox, so it
    must not leave the load balancer, but whoever reads the answer learns of it.
    """
    try:
        seeded = await EnvironmentSettings.count()
    except Exception as error:
        return Response({"status": "unavailable", "reason": type(error).__name__}, status_code=503)
    if not seeded:
        return Response({"status": "unavailable", "reason": "not migrated"}, status_code=503)
    outage = runtime(request).redis_outage
    if outage is None:
        return Response({"status": "ok", "database": "ok", "redis": "not configured"})
    if outage.reachable:
        return Response({"status": "ok", "database": "ok", "redis": "ok"})
    return Response(
        {
            "status": "degraded",
            "database": "ok",
            "redis": "unreachable",
            "reason": "Redis is unreachable: background jobs wait in the database outbox "
            "and run when it is back.",
        }
    )
