"""One HTTP client per event loop for outbound calls (webhooks, back-channel logout).

Creating an httpx client builds a TLS context (tens of milliseconds); sharing one also keeps
connections to a receiver alive between deliveries.
"""

import asyncio

import httpx

TIMEOUT_SECONDS = 10.0
_clients: dict[int, httpx.AsyncClient] = {}


def outbound_client() -> httpx.AsyncClient:
    """The running loop's client: no redirects followed (a receiver answers, it does not forward)."""
    loop_id = id(asyncio.get_running_loop())
    client = _clients.get(loop_id)
    if client is None or client.is_closed:
        client = httpx.AsyncClient(
            timeout=TIMEOUT_SECONDS,
            follow_redirects=False,
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
            headers={"user-agent": "Tenantry/1.0"},
        )
        _clients[loop_id] = client
    return client
