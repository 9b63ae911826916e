"""Which session a sign-in leaves the browser with: the same one re-proven, or a new one.

When the person already signed in to this browser proves themselves again (prompt=login, the
portal's "Confirm it's you"), their session keeps its id (`sid`), so apps keep their tokens and no
logout is sent; its token still rotates. Another person signing in ends the previous session.
"""

from resolvers.principal import UserPrincipal
from resolvers.sessions import ActiveSession, NewSession, create_session, end_session, reauthenticate


async def start_session(
    previous: ActiveSession | None,
    *,
    user_id: str,
    amr: list[str],
    ip: str,
    user_agent: str,
    sso_connection_id: str | None = None,
) -> NewSession:
    """The browser's session after `user_id` signed in with `amr`: a fresh token either way."""
    if previous is not None and previous.user_id == user_id:
        refreshed = await reauthenticate(previous.id, amr, sso_connection_id)
        if refreshed is not None:
            return refreshed
    if previous is not None:
        await end_session(UserPrincipal(user_id=previous.user_id), previous.id, "replaced")
    return await create_session(
        user_id=user_id,
        organization_id=None,
        amr=amr,
        ip=ip,
        user_agent=user_agent,
        sso_connection_id=sso_connection_id,
    )
