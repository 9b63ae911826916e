"""Signing in through a connection: the trip to the IdP (departure) and back (arrival).

Both protocols share the steps around their own ceremony: an attempt bound to the browser, the
attribute mapping, the verified-domain rule, then either a person to sign in (just-in-time
provisioned) or a test result for the admin who started it. The ceremonies themselves live in
`saml_requests`/`saml_responses` and `oidc_federation`.
"""

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from resolvers.applications import find_client
from resolvers.assertion_replay import remember_assertion
from resolvers.attribute_mapping import federated_identity
from resolvers.connection_rows import ConnectionRow, load_connection, load_entitled_connection
from resolvers.connection_tests import record_test
from resolvers.crypto import decrypt
from resolvers.deployment import Deployment
from resolvers.federated_identity import FederatedIdentity, FederationRefused, IdpAssertion
from resolvers.federated_sign_in import check_identity, sign_in_person
from resolvers.oidc_discovery import discover
from resolvers.oidc_federation import authorization_url, complete
from resolvers.saml_requests import authn_request
from resolvers.saml_responses import verify_response
from resolvers.service_provider import service_provider
from resolvers.sso_attempts import Attempt, claim_attempt, new_attempt_id, start_attempt

SIGN_IN = "sign_in"
TEST = "test"


@dataclass(frozen=True, slots=True)
class Departure:
    """Where the browser goes: `url` (GET), or `url` with `form` fields to POST (SAML POST binding)."""

    url: str
    form: dict[str, str] | None
    attempt_id: str
    browser_secret: str  # the cookie that proves, on the way back, it is the same browser


@dataclass(frozen=True, slots=True)
class Arrival:
    """An answer that belonged to one of our attempts: a person, or the reason it was refused."""

    attempt: Attempt
    connection: ConnectionRow
    identity: FederatedIdentity | None = None
    user_id: str | None = None  # sign-ins that succeeded
    refused: FederationRefused | None = None


async def usable_connection(connection_id: str, purpose: str) -> ConnectionRow:
    """A sign-in needs an ACTIVE connection of an entitled organization; a test any connection
    with its IdP's settings given (the admin's permission is checked by the caller)."""
    return _usable(await load_entitled_connection(connection_id), purpose)


def _usable(found: ConnectionRow | None, purpose: str) -> ConnectionRow:
    """`found` as loaded by load_entitled_connection: None when gone or not entitled."""
    if found is None:
        raise FederationRefused("connection_unavailable")
    if purpose == SIGN_IN and found.status != "active":
        raise FederationRefused("connection_unavailable")
    if not found.idp_settings:
        raise FederationRefused(
            "connection_unavailable", "Give the identity provider's settings before testing the connection."
        )
    return found


async def depart(
    deployment: Deployment,
    connection: ConnectionRow,
    *,
    purpose: str,
    authorization_request: str | None = None,
    return_to: str = "",
    started_by: str | None = None,
    login_hint: str | None = None,
) -> Departure:
    """Record the attempt and build the request that takes the browser to the IdP."""
    attempt_id = new_attempt_id()
    common = {
        "connection_id": connection.id,
        "purpose": purpose,
        "settings_version": connection.settings_version,
        "authorization_request": authorization_request,
        "return_to": return_to,
        "started_by": started_by,
        "attempt_id": attempt_id,
    }
    if connection.protocol == "saml":
        ours = service_provider(deployment, connection)
        idp = connection.idp_settings
        signing_key = None
        if idp.get("want_authn_requests_signed") and connection.sp_private_key_encrypted:
            signing_key = decrypt(deployment.secret_key, connection.sp_private_key_encrypted).decode()
        request = authn_request(
            sp_entity_id=ours.entity_id,
            acs_url=ours.acs_url,
            idp_sso_url=idp["sso_url"],
            sso_binding=idp["sso_binding"],
            relay_state=attempt_id,
            name_id_format=ours.name_id_format,
            force_authn=purpose == TEST,
            signing_key_pem=signing_key,
            signing_certificate_pem=connection.sp_certificate if signing_key else None,
        )
        started = await start_attempt(request_id=request.request_id, **common)  # type: ignore[arg-type]
        return Departure(request.url, request.form, attempt_id, started.browser_secret)
    configuration = await discover(
        connection.idp_settings["issuer"], private_networks=deployment.allows_private_networks
    )
    nonce = secrets.token_urlsafe(24)
    verifier = secrets.token_urlsafe(48)  # PKCE: 64 characters, the challenge is its S256
    started = await start_attempt(nonce=nonce, code_verifier=verifier, **common)  # type: ignore[arg-type]
    url = authorization_url(
        configuration,
        client_id=connection.idp_settings["client_id"],
        redirect_uri=service_provider(deployment, connection).redirect_uri,
        state=attempt_id,
        nonce=nonce,
        code_verifier=verifier,
        login_hint=login_hint,
    )
    return Departure(url, None, attempt_id, started.browser_secret)


async def _saml_assertion(
    deployment: Deployment, connection: ConnectionRow, answer: str, request_id: str | None
) -> IdpAssertion:
    """The verified assertion, its ID used once (`request_id` None: an IdP-initiated answer)."""
    ours = service_provider(deployment, connection)
    idp = connection.idp_settings
    assertion = verify_response(
        saml_response=answer,
        sp_entity_id=ours.entity_id,
        acs_url=ours.acs_url,
        idp_entity_id=idp["entity_id"],
        idp_certificates=[certificate["pem"] for certificate in idp.get("certificates", [])],
        request_id=request_id,
    )
    if not assertion.assertion_id:
        raise FederationRefused("malformed", "The assertion has no ID, so it could be replayed.")
    await remember_assertion(connection.id, assertion.assertion_id, assertion.expires_at)
    return assertion


async def _oidc_assertion(
    deployment: Deployment, connection: ConnectionRow, attempt: Attempt, params: Mapping[str, str]
) -> IdpAssertion:
    if not connection.client_secret_encrypted:
        raise FederationRefused("token_exchange_failed", "The connection has no client secret yet.")
    configuration = await discover(
        connection.idp_settings["issuer"], private_networks=deployment.allows_private_networks
    )
    return await complete(
        configuration,
        client_id=connection.idp_settings["client_id"],
        client_secret=decrypt(deployment.secret_key, connection.client_secret_encrypted).decode(),
        redirect_uri=service_provider(deployment, connection).redirect_uri,
        params=params,
        expected_state=attempt.id,
        nonce=attempt.nonce or "",
        code_verifier=attempt.code_verifier or "",
        private_networks=deployment.allows_private_networks,
    )


async def arrive(
    deployment: Deployment,
    connection_id: str,
    *,
    attempt_id: str,
    browser_secret: str | None,
    saml_response: str | None = None,
    oidc_params: Mapping[str, str] | None = None,
) -> Arrival:
    """Check the IdP's answer and act on it. Raises FederationRefused only when the answer
    belongs to no attempt of this browser (nothing to report to); every later refusal is in the
    Arrival, and recorded as the test's result when it was a test."""
    attempt = await claim_attempt(attempt_id, connection_id, browser_secret)
    loaded = await load_entitled_connection(connection_id)
    connection = loaded or await load_connection(connection_id)
    if connection is None:
        raise FederationRefused("connection_unavailable")
    identity: FederatedIdentity | None = None
    try:
        connection = _usable(loaded, attempt.purpose)
        if connection.protocol == "saml":
            if saml_response is None:
                raise FederationRefused(
                    "malformed", "The identity provider's answer carries no SAMLResponse."
                )
            assertion = await _saml_assertion(deployment, connection, saml_response, attempt.request_id)
        else:
            assertion = await _oidc_assertion(deployment, connection, attempt, oidc_params or {})
        identity = federated_identity(connection.attribute_mapping, assertion)
        if attempt.purpose == TEST:
            await check_identity(connection, identity)
            await record_test(attempt, identity=identity, refused=None)
            return Arrival(attempt, connection, identity=identity)
        user_id = await sign_in_person(connection, identity)
        return Arrival(attempt, connection, identity=identity, user_id=user_id)
    except FederationRefused as refused:
        if attempt.purpose == TEST:
            await record_test(attempt, identity=identity, refused=refused)
        return Arrival(attempt, connection, identity=identity, refused=refused)


@dataclass(frozen=True, slots=True)
class UnsolicitedSignIn:
    """An IdP-initiated answer accepted: who signed in, and the application to start a sign-in of."""

    connection: ConnectionRow
    user_id: str
    email: str
    initiate_login_uri: str


async def arrive_unsolicited(
    deployment: Deployment, connection_id: str, saml_response: str
) -> UnsolicitedSignIn:
    """An answer no attempt of ours asked for. Refused unless the connection names the application
    such answers sign in to; then checked like any answer (without InResponseTo, which it must not
    carry), its assertion used once, and the person sent to that application's initiate-login URI,
    so the application starts a fresh authorization of its own (with its own state and PKCE)."""
    connection = await load_entitled_connection(connection_id)
    if connection is None or connection.status != "active" or connection.protocol != "saml":
        raise FederationRefused("connection_unavailable")
    client = await find_client(connection.idp_initiated_client_id or "")
    if client is None or not client.initiate_login_uri:
        raise FederationRefused(
            "unsolicited",
            "The identity provider started this sign-in. Start it from the application instead.",
        )
    assertion = await _saml_assertion(deployment, connection, saml_response, None)
    identity = federated_identity(connection.attribute_mapping, assertion)
    user_id = await sign_in_person(connection, identity)
    return UnsolicitedSignIn(connection, user_id, identity.email, client.initiate_login_uri)
