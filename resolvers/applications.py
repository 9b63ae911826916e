"""Applications (OAuth clients): registration, lookup, secret checks and redirect-URI matching."""

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from db.environment import Application
from db.ids import new_id
from db.transaction import transaction
from resolvers import audit
from resolvers.clock import now
from resolvers.crypto import constant_time_equal, hash_token, random_token
from resolvers.errors import InvalidInput
from resolvers.names import APPLICATION_NAME_MAX, clean_name
from resolvers.outbound_destinations import private_destination_problem
from resolvers.principal import Principal

GRANT_TYPES = {"authorization_code", "refresh_token", "client_credentials"}
LOOPBACK_HOSTS = {"127.0.0.1", "[::1]", "::1"}


@dataclass(frozen=True, slots=True)
class Client:
    """An application as the OAuth endpoints need it."""

    id: str
    name: str
    client_type: str
    secret_hash: str | None
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...]
    initiate_login_uri: str | None
    backchannel_logout_uri: str | None
    grant_types: frozenset[str]
    allowed_scopes: frozenset[str]
    is_native: bool

    @property
    def is_public(self) -> bool:
        return self.client_type == "public"

    def check_secret(self, secret: str) -> bool:
        return self.secret_hash is not None and constant_time_equal(hash_token(secret), self.secret_hash)

    def matches_redirect_uri(self, candidate: str) -> bool:
        """Exact match; native apps' loopback URIs match on any port (RFC 8252 §7.3)."""
        if candidate in self.redirect_uris:
            return True
        if not self.is_native:
            return False
        wanted = urlparse(candidate)
        if wanted.scheme != "http" or wanted.hostname is None:
            return False
        if f"[{wanted.hostname}]" not in LOOPBACK_HOSTS and wanted.hostname not in LOOPBACK_HOSTS:
            return False
        for registered in self.redirect_uris:
            known = urlparse(registered)
            if (known.scheme, known.hostname, known.path, known.query) == (
                wanted.scheme,
                wanted.hostname,
                wanted.path,
                wanted.query,
            ):
                return True
        return False


def _client_from_row(row: dict[str, Any]) -> Client:
    return Client(
        id=row["id"],
        name=row["name"],
        client_type=row["client_type"],
        secret_hash=row["secret_hash"],
        redirect_uris=tuple(row["redirect_uris"] or ()),
        post_logout_redirect_uris=tuple(row["post_logout_redirect_uris"] or ()),
        initiate_login_uri=row["initiate_login_uri"],
        backchannel_logout_uri=row["backchannel_logout_uri"],
        grant_types=frozenset(row["grant_types"] or ()),
        allowed_scopes=frozenset(row["allowed_scopes"] or ()),
        is_native=bool(row["is_native"]),
    )


CLIENT_CACHE_SECONDS = 5.0
_client_cache: dict[str, tuple[float, Client | None]] = {}


async def find_client(client_id: str) -> Client | None:
    """The client, cached per process for a few seconds: the token endpoint's hottest lookup."""
    cached = _client_cache.get(client_id)
    if cached is not None and time.monotonic() - cached[0] < CLIENT_CACHE_SECONDS:
        return cached[1]
    client = await _load_client(client_id)
    if len(_client_cache) > 10_000:
        _client_cache.clear()
    _client_cache[client_id] = (time.monotonic(), client)
    return client


async def _load_client(client_id: str) -> Client | None:
    row = await Application.select().where(Application.id == client_id).first().output(load_json=True)
    return _client_from_row(row) if row else None


def web_origin(uri: str) -> str | None:
    """The origin a browser sends for a page at `uri` (RFC 6454 §6.1), or None for a non-web scheme."""
    parsed = urlparse(uri)
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        return None
    host = f"[{parsed.hostname}]" if ":" in parsed.hostname else parsed.hostname
    default_port = 443 if parsed.scheme == "https" else 80
    port = f":{parsed.port}" if parsed.port not in (None, default_port) else ""
    return f"{parsed.scheme}://{host}{port}"


async def browser_client_origins() -> frozenset[str]:
    """Origins of public, non-native clients (apps running in a browser), from their redirect URIs."""
    rows = (
        await Application.select(Application.redirect_uris)
        .where((Application.client_type == "public") & (Application.is_native == False))  # noqa: E712
        .output(load_json=True)
    )
    origins = (web_origin(uri) for row in rows for uri in row["redirect_uris"] or ())
    return frozenset(origin for origin in origins if origin is not None)


async def application_origins() -> frozenset[str]:
    """Origins of every web application (public or confidential), from their redirect URIs: the
    pages where an app may embed Tenantry's widgets, which call /graphql with a widget token."""
    rows = (
        await Application.select(Application.redirect_uris)
        .where(Application.is_native == False)  # noqa: E712
        .output(load_json=True)
    )
    origins = (web_origin(uri) for row in rows for uri in row["redirect_uris"] or ())
    return frozenset(origin for origin in origins if origin is not None)


def _validate_uri(uri: str, *, native: bool, field: str, private_networks: bool) -> str:
    parsed = urlparse(uri)
    if not parsed.scheme or parsed.fragment:
        raise InvalidInput(f"{field}: {uri!r} must be an absolute URI without a fragment")
    if field == "backchannel_logout_uri" and not private_networks:
        # the one URI Tenantry calls itself, server to server: no private networks (SSRF)
        problem = private_destination_problem(uri)
        if problem is not None:
            raise InvalidInput(f"{field}: {uri!r} {problem}")
    local = parsed.hostname in {"localhost", "127.0.0.1", "::1"}
    if parsed.scheme == "https" or (parsed.scheme == "http" and local):
        if not parsed.netloc:
            raise InvalidInput(f"{field}: {uri!r} has no host")
        return uri
    if native and parsed.scheme not in {"http", "https", "javascript", "data", "file"}:
        return uri  # a private-use scheme such as com.example.app:/callback (RFC 8252 §7.1)
    raise InvalidInput(f"{field}: {uri!r} must use https (http is allowed only for localhost and loopback)")


@dataclass(frozen=True, slots=True)
class CreatedApplication:
    client: Client
    client_secret: str | None  # shown once, never stored


async def create_application(
    principal: Principal,
    *,
    name: str,
    redirect_uris: list[str],
    client_type: str = "confidential",
    post_logout_redirect_uris: list[str] | None = None,
    initiate_login_uri: str | None = None,
    backchannel_logout_uri: str | None = None,
    grant_types: list[str] | None = None,
    is_native: bool = False,
    private_networks: bool,
) -> CreatedApplication:
    """Register a client; the plaintext secret is returned once and only its hash is kept.

    `private_networks` is the deployment's allows_private_networks: whether the back-channel logout
    URI, which Tenantry calls itself, may point into a private network.
    """
    name = clean_name(name, field="name", what="An application name", max_length=APPLICATION_NAME_MAX)
    if client_type not in {"confidential", "public"}:
        raise InvalidInput("client_type: use 'confidential' or 'public'")
    grants = grant_types or ["authorization_code", "refresh_token"]
    unknown = set(grants) - GRANT_TYPES
    if unknown:
        raise InvalidInput(f"grant_types: unsupported {sorted(unknown)}")
    if client_type == "public" and "client_credentials" in grants:
        raise InvalidInput("grant_types: a public client cannot use client_credentials")
    uris = [
        _validate_uri(u, native=is_native, field="redirect_uris", private_networks=private_networks)
        for u in redirect_uris
    ]
    if "authorization_code" in grants and not uris:
        raise InvalidInput("redirect_uris: the authorization_code grant needs at least one")
    logout_uris = [
        _validate_uri(
            u, native=is_native, field="post_logout_redirect_uris", private_networks=private_networks
        )
        for u in post_logout_redirect_uris or []
    ]
    for single, label in (
        (initiate_login_uri, "initiate_login_uri"),
        (backchannel_logout_uri, "backchannel_logout_uri"),
    ):
        if single:
            _validate_uri(single, native=False, field=label, private_networks=private_networks)
    secret = random_token("tns_") if client_type == "confidential" else None
    row = Application(
        id=new_id("app"),
        name=name,
        client_type=client_type,
        secret_hash=hash_token(secret) if secret else None,
        redirect_uris=uris,
        post_logout_redirect_uris=logout_uris,
        initiate_login_uri=initiate_login_uri,
        backchannel_logout_uri=backchannel_logout_uri,
        grant_types=grants,
        is_native=is_native,
        created_at=now(),
    )
    async with transaction():
        await Application.insert(row)
        await audit.record(principal, "application.created", target=("application", row.id))
    return CreatedApplication(client=_client_from_row(row.to_dict()), client_secret=secret)


async def portal_application() -> Client | None:
    """The application that owns sign-in for the portal: the oldest with an initiate-login URI."""
    row = (
        await Application.select()
        .where(Application.initiate_login_uri.is_not_null())
        .order_by(Application.created_at)
        .first()
        .output(load_json=True)
    )
    return _client_from_row(row) if row else None
