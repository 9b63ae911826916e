"""Rate limits at the token and revocation endpoints: they count failures, never healthy traffic.

A backend refreshing tokens for thousands of users makes many good requests a minute; what an
attacker makes is failures. So three counters, each per minute:

- failed client authentications per IP address: past the limit, that address is refused;
- failed client authentications per client id: past the limit, an address that has itself
  failed for that client is refused, while addresses with no failure (the client's own
  backend) go on, so guessing from many addresses cannot lock the real client out;
- invalid grants (codes, refresh tokens) per IP address for public clients, which have no
  secret to check: past the limit, that address's public-client grants are refused.

Refusals are RFC 6749-shaped JSON with `slow_down`, status 429 and Retry-After.
"""

from dataclasses import dataclass
from typing import Any

from litestar import Request

from host.oauth.client_auth import authenticate_client
from host.oauth.errors import InvalidClient, SlowDown
from host.runtime import Runtime
from host.security import seconds_left
from resolvers.applications import Client

WINDOW_SECONDS = 60
CLIENT_ID_KEY_LENGTH = 64  # a claimed client id is attacker-chosen: keep the counter keys short


@dataclass(frozen=True, slots=True)
class AbuseLimits:
    """The counters for one request: its address and the client id it claims (unverified)."""

    run: Runtime
    ip: str
    claimed_client_id: str

    @property
    def _failure_keys(self) -> list[str]:
        """Failed authentications: by address, by client id, by the two together."""
        client = self.claimed_client_id[:CLIENT_ID_KEY_LENGTH]
        return [
            f"auth-fail-ip:{self.ip}",
            f"auth-fail-client:{client}",
            f"auth-fail-client-ip:{client}:{self.ip}",
        ]

    async def refuse_failing_sources(self) -> None:
        """Before authenticating: refuse an address or client id already over its failure limit."""
        settings = self.run.settings
        by_ip, by_client, by_client_here = await self.run.limiter.counts(self._failure_keys, WINDOW_SECONDS)
        client_under_attack = (
            bool(self.claimed_client_id) and by_client >= settings.token_failed_auth_per_client
        )
        if by_ip >= settings.token_failed_auth_per_ip or (client_under_attack and by_client_here > 0):
            wait = seconds_left(WINDOW_SECONDS)
            raise SlowDown(f"Too many failed client authentications; retry in {wait} s.", retry_after=wait)

    async def count_failed_authentication(self) -> None:
        for key in self._failure_keys:
            await self.run.limiter.count(key, WINDOW_SECONDS)

    async def refuse_public_grant_guessing(self) -> None:
        """Before a public client's grant: refuse an address over its invalid-grant limit."""
        wait = await self.run.limiter.exceeded(
            f"public-invalid-grant-ip:{self.ip}", self.run.settings.token_invalid_grant_per_ip, WINDOW_SECONDS
        )
        if wait is not None:
            raise SlowDown(f"Too many invalid grants from this address; retry in {wait} s.", retry_after=wait)

    async def count_public_invalid_grant(self) -> None:
        await self.run.limiter.count(f"public-invalid-grant-ip:{self.ip}", WINDOW_SECONDS)


async def authenticate_within_limits(
    request: Request[Any, Any, Any], form: dict[str, str], limits: AbuseLimits
) -> Client:
    """authenticate_client, refused early for a failing source, counting each failure."""
    await limits.refuse_failing_sources()
    try:
        return await authenticate_client(request, form)
    except InvalidClient:
        await limits.count_failed_authentication()
        raise
