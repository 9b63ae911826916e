"""A small OpenID Provider on loopback, for tests of Tenantry as the relying party of an OIDC IdP.

To Tenantry it is an identity provider outside the machine: discovery, a JWKS of its own RSA key,
an authorization endpoint that signs `idp.person` in at once (no page) and redirects back with a
code, a token endpoint (client_secret_basic or client_secret_post, PKCE S256 checked) and userinfo.

    with OidcIdp(client_id="tenantry", client_secret="s3cret") as idp:
        idp.issuer                          # http://127.0.0.1:<port>
        idp.person = {"sub": "u1", "email": "ada@example.com"}
        callback = idp.sign_in(authorization_url)   # the params the IdP redirects back with
        idp.behaviour.nonce = "other"       # a knob: what the next ID token gets wrong

Every knob of `Behaviour` breaks one thing the relying party must check; `reset()` clears them.
The server runs in threads of its own, so callers on any event loop (or none) can use it.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


@dataclass
class Behaviour:
    """What the IdP gets wrong on purpose; each default is the correct behaviour."""

    discovery_issuer: str | None = None  # the issuer its discovery document names
    discovery_status: int = 200
    discovery_delay_seconds: float = 0.0  # a slow IdP: the discovery answer waits this long
    advertises_iss_parameter: bool = True  # authorization_response_iss_parameter_supported
    sends_iss_parameter: bool = True
    iss_parameter: str | None = None  # the `iss` it redirects back with (default: its issuer)
    authorize_error: str | None = None  # e.g. "access_denied": redirects back with this error
    token_error: str | None = None  # e.g. "invalid_grant": the token endpoint answers 400 with it
    token_auth_methods: tuple[str, ...] = ("client_secret_basic", "client_secret_post")
    id_token_issuer: str | None = None
    audience: str | list[str] | None = None  # default: the client id
    authorized_party: str | None = None  # `azp`, added when set
    nonce: str | None = None  # default: the nonce of the authorization request
    signed_with_other_key: bool = False  # a key that is not in its JWKS, under the JWKS's kid
    lifetime_seconds: int = 300  # negative: the ID token has expired
    userinfo: dict[str, Any] | None = None  # claims userinfo adds (its `sub` is the person's unless given)
    person_from_login_hint: bool = False  # sign in `login_hint` (sub and email) instead of `person`


@dataclass
class TokenRequest:
    """What the token endpoint was sent: how the client authenticated, and the form."""

    auth_method: str  # client_secret_basic | client_secret_post
    form: dict[str, str]


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    nonce: str | None
    code_challenge: str | None
    person: dict[str, Any]


@dataclass
class _SigningKey:
    kid: str
    private: rsa.RSAPrivateKey = field(repr=False)

    @classmethod
    def new(cls) -> "_SigningKey":
        return cls(secrets.token_hex(8), rsa.generate_private_key(public_exponent=65537, key_size=2048))

    def jwk(self) -> dict[str, Any]:
        public: dict[str, Any] = RSAAlgorithm.to_jwk(self.private.public_key(), as_dict=True)
        return {**public, "kid": self.kid, "use": "sig", "alg": "RS256"}


class OidcIdp:
    """One identity provider with one registered client; a context manager that runs its server."""

    def __init__(
        self,
        *,
        client_id: str = "tenantry",
        client_secret: str = "idp-secret",  # noqa: S107 - a test IdP's
        host: str = "127.0.0.1",
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.person: dict[str, Any] = {"sub": "idp-user-1", "email": "ada@example.com"}
        self.behaviour = Behaviour()
        self.token_requests: list[TokenRequest] = []
        self.userinfo_requests = 0
        self._key = _SigningKey.new()
        self._grants: dict[str, _Grant] = {}
        self._access_tokens: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, 0), _handler(self))
        self._server.daemon_threads = True
        self.issuer = f"http://{host}:{self._server.server_address[1]}"

    def __enter__(self) -> "OidcIdp":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        self.behaviour = Behaviour()

    def rotate_key(self) -> None:
        """A new signing key under a new kid, as IdPs rotate: relying parties must fetch the JWKS again."""
        self._key = _SigningKey.new()

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def sign_in(self, authorization_url: str) -> dict[str, str]:
        """Follow `authorization_url` to the IdP; the query of its redirect back (code or error, state, iss)."""
        answer = httpx.get(authorization_url, follow_redirects=False)
        if answer.status_code != 302:
            raise AssertionError(
                f"the IdP refused the authorization request: {answer.status_code} {answer.text}"
            )
        return {
            name: values[0] for name, values in parse_qs(urlsplit(answer.headers["location"]).query).items()
        }

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.behaviour.discovery_issuer or self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": list(self.behaviour.token_auth_methods),
            "code_challenge_methods_supported": ["S256"],
            "authorization_response_iss_parameter_supported": self.behaviour.advertises_iss_parameter,
        }

    def authorize(self, query: dict[str, str]) -> tuple[int, str]:
        """The status and the redirect (302) or the reason it would not redirect (400)."""
        if query.get("client_id") != self.client_id or not query.get("redirect_uri"):
            return 400, "unknown client or no redirect_uri"
        if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
            return 400, "response_type code and scope openid are required"
        if query.get("code_challenge_method", "S256") != "S256":
            return 400, "PKCE S256 only"
        back: dict[str, str] = {}
        if self.behaviour.authorize_error:
            back.update(error=self.behaviour.authorize_error, error_description="The person said no.")
        else:
            code = secrets.token_urlsafe(16)
            with self._lock:
                self._grants[code] = _Grant(
                    client_id=self.client_id,
                    redirect_uri=query["redirect_uri"],
                    nonce=query.get("nonce"),
                    code_challenge=query.get("code_challenge"),
                    person=self._person_for(query),
                )
            back["code"] = code
        if "state" in query:
            back["state"] = query["state"]
        if self.behaviour.sends_iss_parameter:
            back["iss"] = self.behaviour.iss_parameter or self.issuer
        separator = "&" if "?" in query["redirect_uri"] else "?"
        return 302, f"{query['redirect_uri']}{separator}{urlencode(back)}"

    def _person_for(self, query: dict[str, str]) -> dict[str, Any]:
        hint = query.get("login_hint")
        if self.behaviour.person_from_login_hint and hint:
            return {"sub": hint, "email": hint, "given_name": "Bench", "family_name": "Person"}
        return dict(self.person)

    def token(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict[str, Any]]:
        method, client_id, client_secret = _client_authentication(form, authorization)
        if method not in self.behaviour.token_auth_methods or (client_id, client_secret) != (
            self.client_id,
            self.client_secret,
        ):
            return 401, {
                "error": "invalid_client",
                "error_description": f"client authentication ({method}) failed",
            }
        self.token_requests.append(TokenRequest(method, form))
        if self.behaviour.token_error:
            return 400, {"error": self.behaviour.token_error, "error_description": "The IdP says no."}
        with self._lock:
            grant = self._grants.pop(form.get("code", ""), None)
        if grant is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant", "error_description": "unknown or used code"}
        if form.get("redirect_uri") != grant.redirect_uri:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri differs"}
        verifier = form.get("code_verifier", "")
        if grant.code_challenge is not None and _s256(verifier) != grant.code_challenge:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        access_token = secrets.token_urlsafe(24)
        with self._lock:
            self._access_tokens[access_token] = grant.person
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": self.id_token(grant),
        }

    def id_token(self, grant: _Grant) -> str:
        knobs = self.behaviour
        moment = int(time.time())
        claims: dict[str, Any] = {
            **grant.person,
            "iss": knobs.id_token_issuer or self.issuer,
            "aud": knobs.audience if knobs.audience is not None else grant.client_id,
            "iat": moment if knobs.lifetime_seconds > 0 else moment + 2 * knobs.lifetime_seconds,
            "exp": moment + knobs.lifetime_seconds,
        }
        nonce = knobs.nonce if knobs.nonce is not None else grant.nonce
        if nonce is not None:
            claims["nonce"] = nonce
        if knobs.authorized_party is not None:
            claims["azp"] = knobs.authorized_party
        key = _SigningKey.new().private if knobs.signed_with_other_key else self._key.private
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self._key.kid})

    def userinfo(self, authorization: str | None) -> tuple[int, dict[str, Any]]:
        self.userinfo_requests += 1
        token = (authorization or "").removeprefix("Bearer ")
        with self._lock:
            person = self._access_tokens.get(token)
        if person is None:
            return 401, {"error": "invalid_token"}
        return 200, {"sub": person["sub"], **(self.behaviour.userinfo or {})}


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _client_authentication(form: dict[str, str], authorization: str | None) -> tuple[str, str, str]:
    if authorization and authorization.startswith("Basic "):
        decoded = base64.b64decode(authorization.removeprefix("Basic ")).decode()
        client_id, _, client_secret = decoded.partition(":")
        return "client_secret_basic", unquote(client_id), unquote(client_secret)
    return "client_secret_post", form.get("client_id", ""), form.get("client_secret", "")


def _handler(idp: OidcIdp) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {name: values[0] for name, values in parse_qs(parts.query).items()}
            if parts.path == "/.well-known/openid-configuration":
                time.sleep(idp.behaviour.discovery_delay_seconds)
                self._json(idp.behaviour.discovery_status, idp.discovery())
            elif parts.path == "/jwks":
                self._json(200, {"keys": [idp._key.jwk()]})
            elif parts.path == "/authorize":
                status, where = idp.authorize(query)
                self.send_response(status)
                if status == 302:
                    self.send_header("location", where)
                self.send_header("content-length", "0" if status == 302 else str(len(where.encode())))
                self.end_headers()
                if status != 302:
                    self.wfile.write(where.encode())
            elif parts.path == "/userinfo":
                self._json(*idp.userinfo(self.headers.get("authorization")))
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            form = {name: values[0] for name, values in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path == "/token":
                self._json(*idp.token(form, self.headers.get("authorization")))
            else:
                self._json(404, {"error": "not_found"})

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler
