"""The backchannel_logout job: POST a fresh logout token to the application; retried on failure."""

from typing import Any

from resolvers import backchannel_logout
from resolvers.outbound_http import post
from workers.context import JobContext
from workers.kinds import JobKind


class LogoutNotRefused(Exception):
    """The application did not accept the logout token (not 200/204): retry later."""


async def notify(payload: dict[str, Any], context: JobContext) -> None:
    uri = await backchannel_logout.logout_target(str(payload["application_id"]))
    if uri is None:
        return  # the application dropped its back-channel URI meanwhile
    token = await backchannel_logout.logout_token(
        context.deployment,
        client_id=str(payload["application_id"]),
        user_id=str(payload["user_id"]),
        session_id=str(payload["session_id"]),
    )
    answer = await post(
        uri,
        private_networks=context.deployment.allows_private_networks,
        headers={"Cache-Control": "no-store"},
        data={"logout_token": token},
    )
    if answer.status not in (200, 204):
        raise LogoutNotRefused(f"HTTP {answer.status}: {answer.text[:200]}")


JOBS = {"backchannel_logout": JobKind(notify)}
