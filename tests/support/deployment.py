"""The deployment the test server runs with, for resolver calls made from the test process.

Tenantry hands its `Deployment` down as an argument; the test process has one server, started once
per session, whose URL (and DNS server) are known only then: the `server` fixture records it here.
"""

from resolvers.deployment import Deployment

_server_deployment: Deployment | None = None


def record_server_deployment(deployment: Deployment) -> None:
    global _server_deployment
    _server_deployment = deployment


def server_deployment() -> Deployment:
    """The session's server's deployment; the test must use the `server` fixture."""
    if _server_deployment is None:
        raise RuntimeError("no test server yet: the test needs the `server` fixture")
    return _server_deployment
