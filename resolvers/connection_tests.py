"""The result of an admin's test sign-in through a connection: what arrived, or the one reason it
was refused. A success with the settings the connection still has is what enabling needs."""

from typing import Any

from db.federation import SSOConnection
from db.transaction import transaction
from resolvers import audit
from resolvers.clock import now
from resolvers.connection_rows import ConnectionRow, load_connection
from resolvers.federated_identity import FederatedIdentity, FederationRefused
from resolvers.principal import UserPrincipal
from resolvers.sso_attempts import Attempt

DETAIL_VALUE_MAX = 500


def _details(refused: FederationRefused) -> dict[str, str]:
    return {str(name): str(value)[:DETAIL_VALUE_MAX] for name, value in refused.details.items()}


async def record_test(
    attempt: Attempt, *, identity: FederatedIdentity | None, refused: FederationRefused | None
) -> ConnectionRow | None:
    """Store the outcome as the connection's `last_test`; None when the connection is gone.

    A success moves a DRAFT to TESTED only when the test used the settings the connection has
    now: a test started before an admin changed them proves nothing about the new ones.
    """
    outcome: dict[str, Any] = {
        "succeeded": refused is None,
        "tested_at": now().isoformat(),
        "settings_version": attempt.settings_version,
        "reason": refused.reason if refused else None,
        "message": refused.message if refused else None,
        "details": _details(refused) if refused else {},
        "identity": identity.summary() if identity else None,
    }
    async with transaction():
        locked = await load_connection(attempt.connection_id, lock=True)
        if locked is None:
            return None
        changes: dict[Any, Any] = {SSOConnection.last_test: outcome, SSOConnection.updated_at: now()}
        current = attempt.settings_version == locked.settings_version
        if refused is None and current:
            changes[SSOConnection.tested_version] = locked.settings_version
            if locked.status == "draft":
                changes[SSOConnection.status] = "tested"
        await SSOConnection.update(changes).where(SSOConnection.id == locked.id)
        await audit.record(
            UserPrincipal(user_id=attempt.started_by or "", organization_id=locked.organization_id),
            "connection.tested",
            target=("connection", locked.id),
            organization_id=locked.organization_id,
            data={"succeeded": refused is None, "reason": outcome["reason"], "current_settings": current},
        )
        return await load_connection(locked.id)
