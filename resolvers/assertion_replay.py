"""SAML assertion IDs already used, until the assertion would have expired anyway: a second use of
one assertion is refused even when it arrives with a fresh attempt (IdP-initiated answers)."""

import datetime as dt
import hashlib

from db.federation import SeenAssertion
from resolvers.clock import now
from resolvers.federated_identity import FederationRefused

KEEP_AT_LEAST = dt.timedelta(minutes=10)  # beyond the allowed clock skew
KEEP_AT_MOST = dt.timedelta(days=1)  # an assertion valid for longer is still remembered a day


def _key(connection_id: str, assertion_id: str) -> str:
    return hashlib.sha256(f"{connection_id}\0{assertion_id}".encode()).hexdigest()


async def remember_assertion(connection_id: str, assertion_id: str, expires_at: float | None) -> None:
    """Record the assertion as used; FederationRefused(replayed) when it was already."""
    moment = now()
    until = dt.datetime.fromtimestamp(expires_at, dt.UTC) if expires_at else moment
    until = min(max(until, moment + KEEP_AT_LEAST), moment + KEEP_AT_MOST)
    inserted = (
        await SeenAssertion.insert(SeenAssertion(id=_key(connection_id, assertion_id), expires_at=until))
        .on_conflict(action="DO NOTHING")
        .returning(SeenAssertion.id)
    )
    if not inserted:  # the primary key was taken: this assertion was used, maybe a moment ago
        raise FederationRefused("replayed")


async def forget_expired_assertions(limit: int = 500) -> int:
    expired = (
        await SeenAssertion.select(SeenAssertion.id).where(SeenAssertion.expires_at < now()).limit(limit)
    )
    if expired:
        await SeenAssertion.delete().where(SeenAssertion.id.is_in([row["id"] for row in expired]))
    return len(expired)
