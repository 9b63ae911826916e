"""Tenantry as an OpenID Connect relying party: the authorization request we send a person to their
IdP with, and the checks of what comes back (OpenID Connect Core 1.0, RFC 7636 PKCE, RFC 9207 `iss`).

The ceremony is pure apart from the IdP round trips (discovery, token, JWKS, userinfo), which go
through the guarded outbound client. Each refusal is one `FederationRefused` with a precise reason;
what a verified answer says comes back as an `IdpAssertion`, the same shape SAML hands over.
"""

import base64
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

import jwt
from jwt.exceptions import InvalidAudienceError, InvalidIssuerError, InvalidSignatureError, PyJWTError

from resolvers.clock import now
from resolvers.federated_identity import FederationRefused, IdpAssertion
from resolvers.oidc_discovery import (
    ProviderConfiguration,
    discover,
    forget_provider_configurations,
    signing_keys,
)
from resolvers.outbound_http import Document, OutboundFailed, get, post_for_document

__all__ = [
    "ProviderConfiguration",
    "authorization_url",
    "complete",
    "discover",
    "forget_provider_configurations",
]

SCOPE = "openid email profile"
LEEWAY_SECONDS = 60  # clock difference tolerated between us and the IdP
ANSWER_MAX_BYTES = 256 * 1024
PROTOCOL_CLAIMS = frozenset({"nonce", "at_hash", "c_hash"})  # about the token, not the person


def code_challenge(code_verifier: str) -> str:
    """RFC 7636 S256: what the IdP keeps until the token request proves the verifier."""
    return base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest()).rstrip(b"=").decode()


def authorization_url(
    config: ProviderConfiguration,
    *,
    client_id: str,
    redirect_uri: str,
    state: str,
    nonce: str,
    code_verifier: str,
    login_hint: str | None,
) -> str:
    """Where the browser goes to sign in at the IdP: the code flow with PKCE S256."""
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": SCOPE,
        "state": state,
        "nonce": nonce,
        "code_challenge": code_challenge(code_verifier),
        "code_challenge_method": "S256",
    }
    if login_hint:
        params["login_hint"] = login_hint
    separator = "&" if "?" in config.authorization_endpoint else "?"
    return f"{config.authorization_endpoint}{separator}{urlencode(params)}"


async def complete(
    config: ProviderConfiguration,
    *,
    client_id: str,
    client_secret: str,
    redirect_uri: str,
    params: Mapping[str, str],
    expected_state: str,
    nonce: str,
    code_verifier: str,
    private_networks: bool,
) -> IdpAssertion:
    """Check the redirect back, exchange its code and verify the ID token: who the IdP vouches for."""
    if not expected_state or not hmac.compare_digest(
        params.get("state", "").encode(), expected_state.encode()
    ):
        raise FederationRefused("state_mismatch")
    _check_issuer_parameter(config, params)
    if "error" in params:
        raise FederationRefused(
            "idp_error",
            f"The identity provider answered {params['error']}: "
            f"{params.get('error_description') or 'no description'}.",
            error=params["error"],
            error_description=params.get("error_description", ""),
        )
    code = params.get("code")
    if not code:
        raise FederationRefused("malformed", "The identity provider sent neither a code nor an error.")
    tokens = await _exchange_code(
        config, code, client_id, client_secret, redirect_uri, code_verifier, private_networks
    )
    claims = await _verified_id_token(config, tokens["id_token"], client_id, nonce, private_networks)
    access_token = tokens.get("access_token")
    if config.userinfo_endpoint and isinstance(access_token, str):
        userinfo = await _userinfo(config.userinfo_endpoint, access_token, claims["sub"], private_networks)
        claims = {**userinfo, **claims}  # what the signed ID token says wins
    return IdpAssertion(
        subject=str(claims["sub"]),
        attributes=_attributes(claims),
        expires_at=float(claims["exp"]),
    )


def _check_issuer_parameter(config: ProviderConfiguration, params: Mapping[str, str]) -> None:
    """RFC 9207: the `iss` parameter tells which IdP answered, so another cannot pose as this one."""
    if "iss" in params:
        if params["iss"] != config.issuer:
            raise FederationRefused(
                "issuer_mismatch",
                f"The answer comes from {params['iss']!r}, not {config.issuer!r}.",
                expected=config.issuer,
                received=params["iss"],
            )
    elif config.authorization_response_iss_parameter_supported:
        raise FederationRefused(
            "issuer_mismatch",
            "The identity provider says it names itself in its answers (iss), and this one does not.",
        )


async def _exchange_code(
    config: ProviderConfiguration,
    code: str,
    client_id: str,
    client_secret: str,
    redirect_uri: str,
    code_verifier: str,
    private_networks: bool,
) -> dict[str, Any]:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": code_verifier,
    }
    headers = {"accept": "application/json"}
    supported = config.token_endpoint_auth_methods_supported
    if "client_secret_post" in supported and "client_secret_basic" not in supported:
        form.update(client_id=client_id, client_secret=client_secret)
    else:
        # RFC 6749 §2.3.1: each part form-encoded before Base64
        pair = f"{quote(client_id, safe='')}:{quote(client_secret, safe='')}"
        headers["authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    try:
        answer = await post_for_document(
            config.token_endpoint,
            private_networks=private_networks,
            data=form,
            headers=headers,
            max_bytes=ANSWER_MAX_BYTES,
        )
    except OutboundFailed as failure:
        raise FederationRefused(
            "token_exchange_failed", f"Could not reach the token endpoint {config.token_endpoint}: {failure}."
        ) from failure
    body = _json_object(answer)
    if answer.status != 200:
        error, description = str(body.get("error", "")), str(body.get("error_description", ""))
        raise FederationRefused(
            "token_exchange_failed",
            f"The token endpoint answered HTTP {answer.status}"
            + (f": {error}" if error else "")
            + (f" ({description})" if description else "")
            + ".",
            status=answer.status,
            error=error,
            error_description=description,
        )
    if not isinstance(body.get("id_token"), str):
        raise FederationRefused("token_exchange_failed", "The token endpoint sent no ID token.")
    return body


def _json_object(answer: Document) -> dict[str, Any]:
    try:
        body = json.loads(answer.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


async def _verified_id_token(
    config: ProviderConfiguration, id_token: str, client_id: str, nonce: str, private_networks: bool
) -> dict[str, Any]:
    try:
        header = jwt.get_unverified_header(id_token)
    except PyJWTError as error:
        raise FederationRefused("malformed", f"The ID token cannot be read: {error}.") from error
    accepted = [
        alg
        for alg in config.id_token_signing_alg_values_supported
        if alg != "none" and not alg.startswith("HS")
    ]
    algorithm = header.get("alg")
    if algorithm not in accepted:
        raise FederationRefused(
            "signature_invalid",
            f"The ID token is signed with {algorithm!r}; we accept {', '.join(accepted) or 'none'}.",
        )
    key = await _signing_key(config, header.get("kid"), private_networks)
    try:
        claims: dict[str, Any] = jwt.decode(
            id_token,
            key=key,
            algorithms=[algorithm],
            audience=client_id,
            issuer=config.issuer,
            options={
                "require": ["iss", "sub", "aud", "exp", "iat"],
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
    except InvalidSignatureError as error:
        raise FederationRefused("signature_invalid") from error
    except InvalidAudienceError as error:
        raise FederationRefused(
            "audience_mismatch", f"The ID token is not meant for client {client_id!r}."
        ) from error
    except InvalidIssuerError as error:
        raise FederationRefused(
            "issuer_mismatch", f"The ID token is not issued by {config.issuer!r}."
        ) from error
    except PyJWTError as error:
        raise FederationRefused("malformed", f"The ID token is not usable: {error}.") from error
    _check_authorized_party(claims, client_id)
    _check_times(claims)
    if not hmac.compare_digest(str(claims.get("nonce", "")).encode(), nonce.encode()):
        raise FederationRefused("nonce_mismatch")
    return claims


async def _signing_key(config: ProviderConfiguration, kid: object, private_networks: bool) -> Any:
    """The JWKS key the token names; an unknown kid fetches the JWKS once more (the IdP rotated)."""
    for refresh in (False, True):
        key_set = await signing_keys(config, private_networks=private_networks, refresh=refresh)
        keys = [key for key in key_set.keys if key.public_key_use in (None, "sig")]
        if kid is None and len(keys) == 1:
            return keys[0].key
        for key in keys:
            if key.key_id == kid:
                return key.key
    raise FederationRefused("signature_invalid", f"The identity provider's JWKS has no key {kid!r}.")


def _check_authorized_party(claims: dict[str, Any], client_id: str) -> None:
    """OIDC Core §3.1.3.7: with several audiences, `azp` must name us; when present it must anyway."""
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    party = claims.get("azp")
    if (len(audiences) > 1 and party is None) or (party is not None and party != client_id):
        raise FederationRefused(
            "audience_mismatch", f"The ID token was issued to {party!r} (azp), not to client {client_id!r}."
        )


def _check_times(claims: dict[str, Any]) -> None:
    """Against our clock (resolvers/clock.py), which tests can move, with LEEWAY_SECONDS either way."""
    moment = now().timestamp()
    try:
        expires, issued = float(claims["exp"]), float(claims["iat"])
        not_before = float(claims.get("nbf", issued))
    except (TypeError, ValueError) as error:
        raise FederationRefused("malformed", "The ID token's exp, iat or nbf is not a number.") from error
    if expires + LEEWAY_SECONDS <= moment or min(issued, not_before) - LEEWAY_SECONDS > moment:
        raise FederationRefused(
            "clock_skew",
            issued_at=_iso(issued),
            expires_at=_iso(expires),
            our_time=_iso(moment),
        )


def _iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat()


async def _userinfo(url: str, access_token: str, subject: object, private_networks: bool) -> dict[str, Any]:
    """More claims about the person; OIDC Core §5.3.2: its `sub` must be the ID token's."""
    try:
        answer = await get(
            url,
            private_networks=private_networks,
            accept="application/json",
            max_bytes=ANSWER_MAX_BYTES,
            headers={"authorization": f"Bearer {access_token}"},
        )
    except OutboundFailed as failure:
        raise FederationRefused(
            "token_exchange_failed", f"Could not fetch userinfo from {url}: {failure}."
        ) from failure
    if answer.status != 200:
        raise FederationRefused(
            "token_exchange_failed", f"The userinfo endpoint answered HTTP {answer.status}."
        )
    if answer.content_type != "application/json":
        return {}  # a signed or encrypted userinfo JWT: the ID token's claims suffice
    body = _json_object(answer)
    if body.get("sub") != subject:
        raise FederationRefused(
            "malformed", "The userinfo answer describes another person than the ID token (sub)."
        )
    return body


def _attributes(claims: dict[str, Any]) -> dict[str, list[str]]:
    """Every claim as a list of strings, as SAML attributes come: lists flattened, booleans spelled."""
    attributes: dict[str, list[str]] = {}
    for name, value in claims.items():
        if name in PROTOCOL_CLAIMS or value is None:
            continue
        values = value if isinstance(value, list) else [value]
        attributes[name] = [_as_text(item) for item in values if item is not None]
    return attributes


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)
