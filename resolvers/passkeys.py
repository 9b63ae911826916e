"""Passkeys (WebAuthn, through py_webauthn): registering, signing in, renaming and deleting them.

Challenges live in the database, single use and short-lived, bound to the session that asked
for them; the relying party is the deployment's public URL (RP ID = its host name).
"""

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import (
    InvalidAuthenticationResponse,
    InvalidCBORData,
    InvalidJSONStructure,
    InvalidRegistrationResponse,
)
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    CredentialDeviceType,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from db.identity import Passkey, Session, WebAuthnChallenge
from db.ids import new_id
from db.transaction import transaction
from db.users import User
from resolvers import audit
from resolvers.authorization import require_portal
from resolvers.clock import now
from resolvers.deployment import Deployment
from resolvers.errors import DomainError, InvalidInput, NotFound
from resolvers.names import PASSKEY_NAME_MAX, clean_name
from resolvers.pages import DEFAULT_PAGE_SIZE, Page, keyset_page
from resolvers.passkey_names import default_passkey_name
from resolvers.principal import SystemPrincipal, UserPrincipal
from resolvers.reauthentication import require_recent_authentication
from resolvers.users import find_user

CHALLENGE_LIFETIME = dt.timedelta(minutes=5)
CEREMONY_TIMEOUT_MS = 300_000
NAME_MAX_LENGTH = PASSKEY_NAME_MAX
PASSKEYS_PER_USER = 20
# Errors py_webauthn raises for a malformed or forged response: all mean "not this passkey".
_REJECTIONS = (
    InvalidAuthenticationResponse,
    InvalidRegistrationResponse,
    InvalidJSONStructure,
    InvalidCBORData,
    ValueError,
    KeyError,
    TypeError,
)


class PasskeyRejected(DomainError):
    """The browser's answer did not prove possession of a registered passkey."""

    code = "passkey_rejected"


class ExpiredChallenge(DomainError):
    """The ceremony's challenge was used, expired or never issued: start it again."""

    code = "expired_challenge"


@dataclass(frozen=True, slots=True)
class RelyingParty:
    id: str
    origin: str

    @classmethod
    def of(cls, deployment: Deployment) -> "RelyingParty":
        parsed = urlparse(deployment.public_url)
        return cls(id=parsed.hostname or "localhost", origin=f"{parsed.scheme}://{parsed.netloc}")


@dataclass(frozen=True, slots=True)
class Ceremony:
    """A started registration or sign-in: its id and the options for the browser (JSON)."""

    flow_id: str
    options: dict[str, Any]


@dataclass(frozen=True, slots=True)
class PasskeyRow:
    id: str
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    synced: bool


@dataclass(frozen=True, slots=True)
class PasskeySignIn:
    user_id: str
    passkey_id: str


async def _issue_challenge(
    purpose: str, challenge: bytes, *, user_id: str | None = None, session_id: str | None = None
) -> str:
    moment = now()
    flow_id = new_id("wch")
    await WebAuthnChallenge.insert(
        WebAuthnChallenge(
            id=flow_id,
            purpose=purpose,
            challenge=bytes_to_base64url(challenge),
            user_id=user_id,
            session_id=session_id,
            created_at=moment,
            expires_at=moment + CHALLENGE_LIFETIME,
        )
    )
    return flow_id


async def _consume_challenge(flow_id: str, purpose: str, *, session_id: str | None = None) -> bytes:
    """Mark the challenge used in one statement, so two racing answers cannot both succeed."""
    moment = now()
    condition = (
        (WebAuthnChallenge.id == flow_id)
        & (WebAuthnChallenge.purpose == purpose)
        & WebAuthnChallenge.consumed_at.is_null()
        & (WebAuthnChallenge.expires_at > moment)
    )
    if session_id is not None:
        condition &= WebAuthnChallenge.session_id == session_id
    used = (
        await WebAuthnChallenge.update({WebAuthnChallenge.consumed_at: moment})
        .where(condition)
        .returning(WebAuthnChallenge.challenge)
    )
    if not used:
        raise ExpiredChallenge("This passkey prompt has expired. Try again.")
    return base64url_to_bytes(used[0]["challenge"])


def _clean_name(name: str) -> str:
    return clean_name(name, field="name", what="A passkey name", max_length=NAME_MAX_LENGTH)


def _as_options(options: Any) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(options_to_json(options))
    return loaded


async def begin_registration(
    principal: UserPrincipal, deployment: Deployment, app_name: str, *, name: str | None = None
) -> Ceremony:
    """Options for navigator.credentials.create(): a discoverable credential, user verification required.

    A `name` given now is checked now, before the browser makes a passkey that would then be refused.
    """
    await require_recent_authentication(principal)
    if name is not None:
        _clean_name(name)
    user = await find_user(principal.user_id)
    if user is None:
        raise NotFound("Your account no longer exists.")
    existing = (
        await Passkey.select(Passkey.credential_id, Passkey.transports)
        .where(Passkey.user == principal.user_id)
        .output(load_json=True)
    )
    if len(existing) >= PASSKEYS_PER_USER:
        raise InvalidInput(f"You can register at most {PASSKEYS_PER_USER} passkeys. Delete one first.")
    full_name = f"{user.first_name} {user.last_name}".strip()
    options = generate_registration_options(
        rp_id=RelyingParty.of(deployment).id,
        rp_name=app_name,
        user_id=principal.user_id.encode(),
        user_name=user.email,
        user_display_name=full_name or user.email,
        timeout=CEREMONY_TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(row["credential_id"])) for row in existing
        ],
    )
    flow_id = await _issue_challenge(
        "register", options.challenge, user_id=principal.user_id, session_id=principal.session_id
    )
    return Ceremony(flow_id=flow_id, options=_as_options(options))


async def finish_registration(
    principal: UserPrincipal, deployment: Deployment, flow_id: str, credential: Any, name: str | None = None
) -> PasskeyRow:
    """Verify the attestation (format "none" is fine: we trust the user, not the vendor) and keep the key.

    Without a `name` (or a blank one) the passkey is named after its authenticator, or this browser.
    """
    await require_recent_authentication(principal)
    cleaned = _clean_name(name) if name and name.strip() else None
    require_credential_shape(credential, REGISTRATION_FIELDS)
    challenge = await _consume_challenge(flow_id, "register", session_id=principal.session_id)
    party = RelyingParty.of(deployment)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=party.id,
            expected_origin=party.origin,
            require_user_verification=True,
        )
    except _REJECTIONS as error:
        raise PasskeyRejected(f"The passkey could not be registered: {error}") from error
    credential_id = bytes_to_base64url(verified.credential_id)
    transports = credential["response"].get("transports", [])
    moment = now()
    passkey_id = new_id("pky")
    async with transaction():
        if await Passkey.exists().where(Passkey.credential_id == credential_id):
            raise PasskeyRejected("This passkey is already registered.")
        cleaned = cleaned or _clean_name(await _default_name(principal, verified.aaguid))
        await Passkey.insert(
            Passkey(
                id=passkey_id,
                user=principal.user_id,
                credential_id=credential_id,
                public_key=bytes_to_base64url(verified.credential_public_key),
                sign_count=verified.sign_count,
                transports=[str(item) for item in transports if isinstance(item, str)][:8],
                aaguid=verified.aaguid,
                name=cleaned,
                backup_eligible=verified.credential_device_type == CredentialDeviceType.MULTI_DEVICE,
                backed_up=verified.credential_backed_up,
                created_at=moment,
            )
        )
        await audit.record(
            principal, "passkey.registered", target=("passkey", passkey_id), data={"name": cleaned}
        )
    return PasskeyRow(
        id=passkey_id,
        name=cleaned,
        created_at=moment,
        last_used_at=None,
        synced=verified.credential_backed_up,
    )


async def _default_name(principal: UserPrincipal, aaguid: str) -> str:
    """The authenticator's name or this session's browser, numbered past the person's own names."""
    taken = await Passkey.select(Passkey.name).where(Passkey.user == principal.user_id).output(as_list=True)
    agent = (
        await Session.select(Session.user_agent).where(Session.id == principal.session_id).first()
        if principal.session_id
        else None
    )
    return default_passkey_name(aaguid, agent["user_agent"] if agent else "", set(taken))


async def begin_authentication(deployment: Deployment, *, session_id: str | None = None) -> Ceremony:
    """Options for navigator.credentials.get(): no allow-list, so the browser offers every passkey."""
    options = generate_authentication_options(
        rp_id=RelyingParty.of(deployment).id,
        timeout=CEREMONY_TIMEOUT_MS,
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    flow_id = await _issue_challenge("authenticate", options.challenge, session_id=session_id)
    return Ceremony(flow_id=flow_id, options=_as_options(options))


REGISTRATION_FIELDS = ("clientDataJSON", "attestationObject")
AUTHENTICATION_FIELDS = ("clientDataJSON", "authenticatorData", "signature")


def require_credential_shape(credential: Any, response_fields: tuple[str, ...]) -> None:
    """A PublicKeyCredential as JSON, or PasskeyRejected: py_webauthn assumes the shape and
    raises AttributeError (a crash, to us) on a list, a number or a response that is not an object."""
    response = credential.get("response") if isinstance(credential, dict) else None
    shaped = (
        isinstance(credential, dict)
        and all(isinstance(credential.get(key), str) for key in ("id", "rawId", "type"))
        and isinstance(response, dict)
        and all(isinstance(response.get(key), str) for key in response_fields)
        and isinstance(response.get("transports", []), list)
        and isinstance(response.get("userHandle", ""), str | None)
        and isinstance(credential.get("clientExtensionResults", {}), dict)
        and isinstance(credential.get("authenticatorAttachment", ""), str | None)
    )
    if not shaped:
        raise PasskeyRejected("The browser's answer is not a passkey credential.")


def _credential_ids(credential: Any) -> tuple[str, str]:
    """The credential id and user handle the browser sent (both base64url), or refuse."""
    require_credential_shape(credential, AUTHENTICATION_FIELDS)
    response = credential.get("response")
    handle = response.get("userHandle") if isinstance(response, dict) else None
    return credential["id"], handle if isinstance(handle, str) else ""


async def finish_authentication(deployment: Deployment, flow_id: str, credential: Any) -> PasskeySignIn:
    """Verify an assertion: challenge, origin, RP ID, user verification, signature, then the counter."""
    challenge = await _consume_challenge(flow_id, "authenticate")
    credential_id, user_handle = _credential_ids(credential)
    stored = (
        await Passkey.select(Passkey.id, Passkey.user, Passkey.public_key, Passkey.sign_count)
        .where(Passkey.credential_id == credential_id)
        .first()
    )
    if stored is None:
        raise PasskeyRejected("This passkey is not registered here (it may have been deleted).")
    if user_handle and user_handle != bytes_to_base64url(str(stored["user"]).encode()):
        raise PasskeyRejected("This passkey belongs to another account.")
    party = RelyingParty.of(deployment)
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=party.id,
            expected_origin=party.origin,
            credential_public_key=base64url_to_bytes(stored["public_key"]),
            credential_current_sign_count=0,  # the counter is checked below, once the signature holds
            require_user_verification=True,
        )
    except _REJECTIONS as error:
        raise PasskeyRejected(f"The passkey could not be verified: {error}") from error
    previous = int(stored["sign_count"])
    if (verified.new_sign_count > 0 or previous > 0) and verified.new_sign_count <= previous:
        await audit.record(
            SystemPrincipal("webauthn"),
            "passkey.clone_suspected",
            target=("passkey", stored["id"]),
            data={"stored_count": previous, "presented_count": verified.new_sign_count},
        )
        raise PasskeyRejected(
            "This passkey's signature counter went backwards, a sign of a cloned authenticator."
        )
    moment = now()
    async with transaction():
        # Only over the counter we checked: of two assertions racing with the same count (a
        # passkey and its clone), one wins and the other is refused, as if it came second.
        counted = (
            await Passkey.update(
                {
                    Passkey.sign_count: verified.new_sign_count,
                    Passkey.backed_up: verified.credential_backed_up,
                    Passkey.last_used_at: moment,
                }
            )
            .where((Passkey.id == stored["id"]) & (Passkey.sign_count == previous))
            .returning(Passkey.id)
        )
        if not counted:
            raise PasskeyRejected("This passkey was used for another sign-in at the same moment.")
        await User.update({User.last_login_at: moment}).where(User.id == stored["user"])
    return PasskeySignIn(user_id=str(stored["user"]), passkey_id=str(stored["id"]))


_LISTED = (Passkey.id, Passkey.name, Passkey.created_at, Passkey.last_used_at, Passkey.backed_up)


def _listed_row(row: dict[str, Any]) -> PasskeyRow:
    return PasskeyRow(
        id=row["id"],
        name=row["name"],
        created_at=row["created_at"],
        last_used_at=row["last_used_at"],
        synced=bool(row["backed_up"]),
    )


async def list_passkeys(
    principal: UserPrincipal, *, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
) -> Page[PasskeyRow]:
    """Newest first (ids sort by creation)."""
    require_portal(principal)
    query = Passkey.select(*_LISTED).where(Passkey.user == principal.user_id)
    page = await keyset_page(query, Passkey.id, first=first, after=after, newest_first=True)
    return page.map(_listed_row)


async def _own_passkey(principal: UserPrincipal, passkey_id: str) -> None:
    owned = await Passkey.exists().where((Passkey.id == passkey_id) & (Passkey.user == principal.user_id))
    if not owned:
        raise NotFound("No such passkey.")


async def rename_passkey(principal: UserPrincipal, passkey_id: str, name: str) -> PasskeyRow:
    require_portal(principal)
    cleaned = _clean_name(name)
    await _own_passkey(principal, passkey_id)
    async with transaction():
        await Passkey.update({Passkey.name: cleaned}).where(Passkey.id == passkey_id)
        await audit.record(
            principal, "passkey.renamed", target=("passkey", passkey_id), data={"name": cleaned}
        )
    row = await Passkey.select(*_LISTED).where(Passkey.id == passkey_id).first()
    if row is None:
        raise NotFound("No such passkey.")
    return _listed_row(row)


async def delete_passkey(principal: UserPrincipal, passkey_id: str) -> None:
    await _own_passkey(principal, passkey_id)
    await require_recent_authentication(principal)
    async with transaction():
        await Passkey.delete().where((Passkey.id == passkey_id) & (Passkey.user == principal.user_id))
        await audit.record(principal, "passkey.deleted", target=("passkey", passkey_id))


async def delete_expired_challenges() -> int:
    """Housekeeping for the clean-up cron: challenges are worthless once expired."""
    removed = (
        await WebAuthnChallenge.delete()
        .where(WebAuthnChallenge.expires_at <= now())
        .returning(WebAuthnChallenge.id)
    )
    return len(removed)
