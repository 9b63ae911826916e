"""What an OpenID Provider publishes about itself: its discovery document and its signing keys (JWKS).

Both are fetched through the guarded outbound client and kept per process for ten minutes, so a
sign-in costs no round trip to the IdP for them; a key the cached JWKS lacks triggers one fetch
(`signing_keys(..., refresh=True)`), which is how an IdP's key rotation reaches us.
"""

import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from jwt import PyJWKSet
from jwt.exceptions import PyJWKSetError

from resolvers.federated_identity import FederationRefused
from resolvers.outbound_http import OutboundFailed, get

DISCOVERY_PATH = "/.well-known/openid-configuration"
CACHE_SECONDS = 600.0
DOCUMENT_MAX_BYTES = 256 * 1024
_configurations: dict[tuple[str, bool], tuple[float, "ProviderConfiguration"]] = {}
_key_sets: dict[tuple[str, bool], tuple[float, PyJWKSet]] = {}


@dataclass(frozen=True, slots=True)
class ProviderConfiguration:
    """The parts of an IdP's discovery document a relying party uses (OpenID Connect Discovery 1.0)."""

    issuer: str  # exactly as the document names it: ID tokens and the `iss` parameter must match it
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None
    token_endpoint_auth_methods_supported: tuple[str, ...]
    id_token_signing_alg_values_supported: tuple[str, ...]
    authorization_response_iss_parameter_supported: bool


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + DISCOVERY_PATH


def forget_provider_configurations() -> None:
    """Drop every cached discovery document and key set (tests; an admin who just fixed the IdP)."""
    _configurations.clear()
    _key_sets.clear()


async def discover(issuer: str, *, private_networks: bool) -> ProviderConfiguration:
    """The IdP's configuration, cached per issuer; any problem is `discovery_failed` saying what it is."""
    cached = _configurations.get((issuer, private_networks))
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    url = discovery_url(issuer)
    document = await _json_document(url, private_networks=private_networks, reason="discovery_failed")
    configuration = provider_configuration(issuer, document, private_networks=private_networks, source=url)
    _configurations[(issuer, private_networks)] = (time.monotonic() + CACHE_SECONDS, configuration)
    return configuration


async def signing_keys(
    configuration: ProviderConfiguration, *, private_networks: bool, refresh: bool
) -> PyJWKSet:
    """The IdP's public keys; `refresh` fetches them again (for a kid the cached set lacks)."""
    cache_key = (configuration.jwks_uri, private_networks)
    cached = _key_sets.get(cache_key)
    if not refresh and cached is not None and cached[0] > time.monotonic():
        return cached[1]
    document = await _json_document(
        configuration.jwks_uri, private_networks=private_networks, reason="discovery_failed", what="JWKS"
    )
    try:
        key_set = PyJWKSet.from_dict(document)
    except PyJWKSetError as error:
        raise FederationRefused(
            "signature_invalid",
            f"The identity provider's JWKS ({configuration.jwks_uri}) has no usable key: {error}.",
        ) from error
    _key_sets[cache_key] = (time.monotonic() + CACHE_SECONDS, key_set)
    return key_set


async def _json_document(
    url: str, *, private_networks: bool, reason: str, what: str = "discovery document"
) -> dict[str, Any]:
    try:
        answer = await get(
            url, private_networks=private_networks, accept="application/json", max_bytes=DOCUMENT_MAX_BYTES
        )
    except OutboundFailed as failure:
        raise FederationRefused(reason, f"Could not fetch the {what} at {url}: {failure}.") from failure
    if answer.status != 200:
        raise FederationRefused(reason, f"The {what} at {url} answered HTTP {answer.status}, not 200.")
    try:
        document = json.loads(answer.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise FederationRefused(reason, f"The {what} at {url} is not JSON.") from None
    if not isinstance(document, dict):
        raise FederationRefused(reason, f"The {what} at {url} is not a JSON object.")
    return document


def provider_configuration(
    issuer: str, document: dict[str, Any], *, private_networks: bool, source: str
) -> ProviderConfiguration:
    """The configuration a discovery document (fetched from `source`) gives, checked: it must name
    `issuer`, and where private networks are refused every endpoint is https."""
    named = document.get("issuer")
    if not isinstance(named, str) or named.rstrip("/") != issuer.rstrip("/"):
        # a trailing slash is the one difference tolerated: stored issuers are kept without it
        raise FederationRefused(
            "discovery_failed",
            f"The discovery document at {source} names the issuer {named!r}, not {issuer!r}.",
        )
    schemes = {"https", "http"} if private_networks else {"https"}

    def endpoint(name: str, *, required: bool = True) -> str | None:
        value = document.get(name)
        if value is None and not required:
            return None
        try:
            parts = urlsplit(value) if isinstance(value, str) else None
            usable = parts is not None and parts.scheme in schemes and bool(parts.hostname)
        except ValueError:
            usable = False
        if not usable:
            raise FederationRefused(
                "discovery_failed",
                f"The discovery document at {source} has no usable {name} "
                f"(an absolute {' or '.join(sorted(schemes))} URL): {value!r}.",
            )
        return str(value)

    def names(field: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = document.get(field, list(default))
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise FederationRefused(
                "discovery_failed", f"The discovery document's {field} is not a list of names."
            )
        return tuple(value)

    authorization, token, jwks = (
        endpoint(n) for n in ("authorization_endpoint", "token_endpoint", "jwks_uri")
    )
    assert authorization and token and jwks  # noqa: S101 - required endpoints are never None
    return ProviderConfiguration(
        issuer=named,
        authorization_endpoint=authorization,
        token_endpoint=token,
        jwks_uri=jwks,
        userinfo_endpoint=endpoint("userinfo_endpoint", required=False),
        # the defaults are the specification's when the document is silent
        token_endpoint_auth_methods_supported=names(
            "token_endpoint_auth_methods_supported", ("client_secret_basic",)
        ),
        id_token_signing_alg_values_supported=names("id_token_signing_alg_values_supported", ("RS256",)),
        authorization_response_iss_parameter_supported=document.get(
            "authorization_response_iss_parameter_supported"
        )
        is True,
    )
