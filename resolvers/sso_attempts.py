"""Trips to an identity provider: started by us, answered once, in the browser that started them.

The attempt's id travels as SAML RelayState or OIDC state; the browser holds a secret whose hash
the attempt keeps. An answer is accepted only with both, once, within ten minutes: a captured
answer cannot be replayed, nor planted in another browser (login CSRF).
"""

import datetime as dt
import hmac
from dataclasses import dataclass
from typing import Any

from db.federation import SSOAttempt
from db.ids import new_id
from resolvers.clock import now
from resolvers.crypto import hash_token, random_token
from resolvers.federated_identity import FederationRefused

LIFETIME = dt.timedelta(minutes=10)
ATTEMPT_PREFIX = "ssa_"  # every attempt id starts so; any other RelayState is the IdP's own
ATTEMPT_ID_MAX = 40


@dataclass(frozen=True, slots=True)
class Attempt:
    id: str
    connection_id: str
    purpose: str  # sign_in | test
    request_id: str | None
    nonce: str | None
    code_verifier: str | None
    authorization_request: str | None
    return_to: str
    started_by: str | None
    settings_version: int


@dataclass(frozen=True, slots=True)
class StartedAttempt:
    attempt: Attempt
    browser_secret: str  # for the browser's cookie; only its hash is stored


async def start_attempt(
    *,
    connection_id: str,
    purpose: str,
    settings_version: int,
    request_id: str | None = None,
    nonce: str | None = None,
    code_verifier: str | None = None,
    authorization_request: str | None = None,
    return_to: str = "",
    started_by: str | None = None,
    attempt_id: str | None = None,
) -> StartedAttempt:
    """Record a trip about to start; `attempt_id` when the protocol needed it first (RelayState)."""
    secret = random_token()
    moment = now()
    inserted = await SSOAttempt.insert(
        SSOAttempt(
            id=attempt_id or new_attempt_id(),
            connection=connection_id,
            purpose=purpose,
            browser_hash=hash_token(secret),
            request_id=request_id,
            nonce=nonce,
            code_verifier=code_verifier,
            authorization_request=authorization_request,
            return_to=return_to,
            started_by=started_by,
            settings_version=settings_version,
            created_at=moment,
            expires_at=moment + LIFETIME,
        )
    ).returning(*SSOAttempt.all_columns())
    return StartedAttempt(attempt=_attempt(inserted[0]), browser_secret=secret)


def new_attempt_id() -> str:
    return new_id(ATTEMPT_PREFIX.rstrip("_"))


async def claim_attempt(attempt_id: str, connection_id: str, browser_secret: str | None) -> Attempt:
    """The attempt, marked used. One conditional update does it: of two racing answers exactly
    one wins, and a sign-in costs one statement; only a refusal looks again to say why."""
    if not attempt_id or len(attempt_id) > ATTEMPT_ID_MAX:
        raise FederationRefused("state_mismatch")
    moment = now()
    claimed = (
        await SSOAttempt.update({SSOAttempt.used_at: moment})
        .where(
            (SSOAttempt.id == attempt_id)
            & (SSOAttempt.connection == connection_id)
            & (SSOAttempt.browser_hash == hash_token(browser_secret or ""))
            & SSOAttempt.used_at.is_null()
            & (SSOAttempt.expires_at > moment)
        )
        .returning(*SSOAttempt.all_columns())
    )
    if not claimed:
        raise await _why_not_claimed(attempt_id, connection_id, browser_secret, moment)
    return _attempt(claimed[0])


def _attempt(row: dict[str, Any]) -> Attempt:
    return Attempt(
        id=row["id"],
        connection_id=row["connection"],
        purpose=row["purpose"],
        request_id=row["request_id"],
        nonce=row["nonce"],
        code_verifier=row["code_verifier"],
        authorization_request=row["authorization_request"],
        return_to=row["return_to"],
        started_by=row["started_by"],
        settings_version=row["settings_version"],
    )


async def _why_not_claimed(
    attempt_id: str, connection_id: str, browser_secret: str | None, moment: dt.datetime
) -> FederationRefused:
    row = await SSOAttempt.select().where(SSOAttempt.id == attempt_id).first()
    if row is None or row["connection"] != connection_id:
        return FederationRefused("state_mismatch")
    if row["used_at"] is not None:
        return FederationRefused("replayed", "This answer has been used already. Start again.")
    if browser_secret is None or not hmac.compare_digest(row["browser_hash"], hash_token(browser_secret)):
        return FederationRefused(
            "state_mismatch", "This answer belongs to a sign-in another browser started. Start again here."
        )
    return FederationRefused("state_mismatch", "This sign-in took too long and has expired. Start again.")


async def forget_finished_attempts(limit: int = 500) -> int:
    """Housekeeping: attempts past their lifetime are of no use to anyone."""
    expired = await SSOAttempt.select(SSOAttempt.id).where(SSOAttempt.expires_at < now()).limit(limit)
    if expired:
        await SSOAttempt.delete().where(SSOAttempt.id.is_in([row["id"] for row in expired]))
    return len(expired)
