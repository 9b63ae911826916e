"""Liveness and readiness probes for load balancers and orchestrators."""

from typing import Any

from litestar import Response, get

from db.environment import EnvironmentSettings


@get("/health/live", name="health_live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@get("/health/ready", name="health_ready")
async def ready() -> Response[Any]:
    """Ready when the database answers and is migrated and seeded."""
    try:
        seeded = await EnvironmentSettings.count()
    except Exception as error:
        return Response({"status": "unavailable", "reason": type(error).__name__}, status_code=503)
    if not seeded:
        return Response({"status": "unavailable", "reason": "not migrated"}, status_code=503)
    return Response({"status": "ok"})
