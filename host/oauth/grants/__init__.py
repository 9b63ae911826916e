"""Token grants (RFC 6749 §4): one class per grant, protocol steps as methods in order."""

from typing import Any, Protocol

from resolvers.applications import Client
from resolvers.deployment import Deployment


class Grant(Protocol):
    def __init__(self, deployment: Deployment, client: Client, form: dict[str, str]) -> None: ...

    async def respond(self) -> dict[str, Any]: ...
