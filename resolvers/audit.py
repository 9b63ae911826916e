"""The audit log: every change records who made it, to what, and from where."""

from contextvars import ContextVar
from typing import Any

from db.events import AuditEvent
from db.ids import new_id
from resolvers.clock import now
from resolvers.principal import ClientPrincipal, DirectoryPrincipal, Principal, UserPrincipal

acting_from: ContextVar[str] = ContextVar("acting_from", default="")
"""The client IP of the request being served; the host sets it, every audit row reads it."""


def _actor(principal: Principal) -> tuple[str, str | None]:
    if isinstance(principal, UserPrincipal):
        return "user", principal.user_id
    if isinstance(principal, ClientPrincipal):
        return "client", principal.application_id
    if isinstance(principal, DirectoryPrincipal):
        return "directory", principal.directory_id
    return "system", None


async def record(
    principal: Principal,
    action: str,
    *,
    target: tuple[str, str] = ("", ""),
    organization_id: str | None = None,
    ip: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """Write one audit row; call inside the transaction of the change it describes."""
    actor_type, actor_id = _actor(principal)
    if isinstance(principal, UserPrincipal) and principal.via_application:
        data = {**(data or {}), "via_widget_token_of": principal.via_application}
    await AuditEvent.insert(
        AuditEvent(
            id=new_id("aud"),
            actor_type=actor_type,
            actor_id=actor_id,
            organization_id=organization_id,
            action=action,
            target_type=target[0],
            target_id=target[1],
            ip=ip or acting_from.get(),
            data=data or {},
            created_at=now(),
        )
    )
