"""Independent relying parties against the real server: panva's openid-client (Node) and Authlib.

Nothing here trusts Tenantry's own code to judge Tenantry: the Node library validates discovery,
the authorization response, the ID token (signature, iss, aud, exp, nonce, azp) and the UserInfo
subject itself; on the Python side Authlib builds every request and Authlib's claim classes on
joserfc check the ID token against the published JWKS.
"""

import json
import os
import shutil
import subprocess
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
from authlib.common.security import generate_token
from authlib.deprecate import AuthlibDeprecationWarning
from authlib.oidc import rpinitiated
from authlib.oidc.core import CodeIDToken
from authlib.oidc.discovery import OpenIDProviderMetadata
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet

from tests.support.factories import App, make_app
from tests.support.people import Person, query_of, unique_email
from tests.support.server import ServerProcess

with warnings.catch_warnings():
    # Authlib ≥ 1.7 prefers the `httpx2` distribution and warns once, at import, when it falls
    # back to the `httpx` we use; the client itself is unchanged.
    warnings.filterwarnings("ignore", "The httpx module is deprecated", category=AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import OAuth2Client

OIDC_DIR = Path(__file__).resolve().parents[2] / "oidc"
FLOW_SCRIPT = OIDC_DIR / "openid_client_flow.mjs"
SCOPE = "openid profile email"
NODE_SECONDS = 60
LEEWAY = 5

RP_REDIRECT = "https://rp.example.org/callback"
RP_SIGNED_OUT = "https://rp.example.org/signed-out"


# --- shared steps -----------------------------------------------------------------------------


def relying_party(client_type: str = "confidential") -> App:
    return make_app(
        client_type=client_type,
        redirect_uris=[RP_REDIRECT],
        post_logout_redirect_uris=[RP_SIGNED_OUT],
    )


def sign_up_through(person: Person, authorization_url: str, redirect_uri: str) -> tuple[str, str]:
    """The browser's part: authorize → hosted signup → back; returns (callback URL, email)."""
    start = person.http.get(authorization_url)
    assert start.status_code == 302, start.text
    login = start.headers["location"]
    assert login.startswith("/a/auth/login?"), login
    email = unique_email("rp")
    location = person.sign_in(
        email, intent="signup", req=query_of(login)["req"], first_name="Ada", last_name="Lovelace"
    )
    final = person.follow(location, stop_at=redirect_uri)
    assert final.status_code == 302, final.text
    callback = final.headers["location"]
    assert callback.startswith(redirect_uri + "?"), callback
    return callback, email


def refresh_with(server: ServerProcess, app: App, refresh_token: str) -> httpx.Response:
    return httpx.post(
        f"{server.url}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
        auth=(app.client_id, app.client_secret or ""),
    )


# --- panva's openid-client ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def node() -> str:
    """The node binary, with tests/oidc/node_modules installed from the lockfile if missing."""
    node_bin, npm_bin = shutil.which("node"), shutil.which("npm")
    if node_bin is None or npm_bin is None:
        reason = "node and npm are needed to run openid-client (tests/oidc)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must have them")
        pytest.skip(reason)
    if not (OIDC_DIR / "node_modules").is_dir():
        installed = subprocess.run(
            [npm_bin, "ci", "--no-audit", "--no-fund"],
            cwd=OIDC_DIR,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if installed.returncode != 0:
            pytest.fail(f"npm ci in {OIDC_DIR} failed:\n{installed.stdout}\n{installed.stderr}")
    return node_bin


@dataclass
class NodeRelyingParty:
    """openid_client_flow.mjs as a child process speaking JSON lines."""

    process: subprocess.Popen[str]
    stderr: IO[str]

    def _failure(self, what: str) -> str:
        self.stderr.seek(0)
        return f"openid-client {what}; stderr:\n{self.stderr.read()}"

    def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, self._failure("printed nothing (exited or timed out)")
        message: dict[str, Any] = json.loads(line)
        assert "error" not in message, self._failure(f"failed: {json.dumps(message, indent=2)}")
        return message

    def read_failure(self) -> dict[str, Any]:
        """The error the library raised, as {"error", "code", "oauth_error", ...}."""
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, self._failure("printed nothing (exited or timed out)")
        message: dict[str, Any] = json.loads(line)
        assert "error" in message, f"openid-client expected to fail, got {message}"
        return message

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()


def start_openid_client(node: str, settings: dict[str, str], stderr: IO[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [node, str(FLOW_SCRIPT), json.dumps(settings)],
        cwd=OIDC_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
    )


@pytest.fixture
def run_openid_client(node: str, tmp_path: Path) -> Iterator[Any]:
    """Starts the Node relying party; kills it on timeout and at teardown."""
    started: list[tuple[subprocess.Popen[str], threading.Timer, IO[str]]] = []

    def start(settings: dict[str, str]) -> NodeRelyingParty:
        stderr = (tmp_path / f"openid-client-{len(started)}.stderr").open("w+")
        process = start_openid_client(node, settings, stderr)
        watchdog = threading.Timer(NODE_SECONDS, process.kill)
        watchdog.start()
        started.append((process, watchdog, stderr))
        return NodeRelyingParty(process, stderr)

    yield start
    for process, watchdog, stderr in started:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
        process.wait()
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                pipe.close()
        stderr.close()


@pytest.mark.parametrize("auth_method", ["client_secret_basic", "client_secret_post"])
def test_openid_client_validates_sign_in_userinfo_refresh_and_logout_as_a_relying_party(
    server: ServerProcess, person: Person, run_openid_client: Any, auth_method: str
) -> None:
    app = relying_party()
    rp: NodeRelyingParty = run_openid_client(
        {
            "issuer": server.url,
            "client_id": app.client_id,
            "client_secret": app.client_secret or "",
            "redirect_uri": app.redirect_uri,
            "post_logout_redirect_uri": RP_SIGNED_OUT,
            "token_endpoint_auth_method": auth_method,
        }
    )
    started = rp.read()
    authorization = query_of(started["authorization_url"])
    assert started["authorization_url"].startswith(f"{server.url}/oauth/authorize?")
    assert authorization["code_challenge_method"] == "S256"
    assert authorization["client_id"] == app.client_id

    callback, email = sign_up_through(person, started["authorization_url"], app.redirect_uri)
    assert query_of(callback)["iss"] == server.url
    rp.send(json.dumps({"callback_url": callback}))
    result = rp.read()

    # The library has already checked signature, iss, aud, exp, iat, azp and nonce.
    claims = result["claims"]
    assert claims["iss"] == server.url
    assert claims["aud"] == app.client_id
    assert claims["nonce"] == started["nonce"] == result["nonce"]
    assert str(claims["sub"]).startswith("usr_")
    assert claims["email"] == email
    assert claims["email_verified"] is True
    assert claims["name"] == "Ada Lovelace"
    assert result["token_type"].lower() == "bearer"
    assert result["scope"] == SCOPE
    assert result["expires_in"] > 0

    # fetchUserInfo was given the ID token's sub as the expected subject.
    userinfo = result["userinfo"]
    assert userinfo["sub"] == claims["sub"]
    assert userinfo["email"] == email
    assert userinfo["email_verified"] is True
    assert userinfo["given_name"] == "Ada"
    assert userinfo["family_name"] == "Lovelace"
    assert userinfo["name"] == "Ada Lovelace"

    assert result["refresh_rotated"] is True
    assert result["refreshed_refresh_token"] != result["refresh_token"]
    refreshed = result["refreshed_claims"]
    assert refreshed is not None, "the refresh response carried an ID token the library checked"
    assert refreshed["sub"] == claims["sub"]
    assert refreshed["aud"] == claims["aud"]
    assert refreshed["auth_time"] == claims["auth_time"]
    assert refreshed["sid"] == claims["sid"]
    assert "nonce" not in refreshed, "OIDC Core §12.2: a refreshed ID token SHOULD NOT have nonce"

    end_session = result["end_session_url"]
    assert end_session.startswith(f"{server.url}/oauth/logout?")
    logout = person.http.get(end_session)
    assert logout.status_code == 302, logout.text
    destination = logout.headers["location"]
    assert destination.split("?")[0] == RP_SIGNED_OUT
    assert query_of(destination)["state"] == result["end_session_state"]

    after_logout = refresh_with(server, app, result["refreshed_refresh_token"])
    assert after_logout.status_code == 400, after_logout.text
    assert after_logout.json()["error"] == "invalid_grant"
    userinfo_after = httpx.get(
        f"{server.url}/oauth/userinfo",
        headers={"Authorization": f"Bearer {result['refreshed_access_token']}"},
    )
    assert userinfo_after.status_code == 401


@pytest.mark.parametrize(
    ("prompt", "error"),
    [("select_account", "account_selection_required"), ("consent", "consent_required")],
)
def test_openid_client_accepts_the_error_for_an_unmet_prompt_as_a_valid_authorization_response(
    server: ServerProcess, run_openid_client: Any, prompt: str, error: str
) -> None:
    app = relying_party()
    rp: NodeRelyingParty = run_openid_client(
        {
            "issuer": server.url,
            "client_id": app.client_id,
            "client_secret": app.client_secret or "",
            "redirect_uri": app.redirect_uri,
            "post_logout_redirect_uri": RP_SIGNED_OUT,
            "prompt": prompt,
        }
    )
    started = rp.read()
    assert query_of(started["authorization_url"])["prompt"] == prompt
    answer = httpx.get(started["authorization_url"])
    assert answer.status_code == 302, answer.text
    rp.send(json.dumps({"callback_url": answer.headers["location"]}))
    failure = rp.read_failure()
    # The library checks iss and state before it reads `error`, so this is a well-formed error response.
    assert failure["code"] == "OAUTH_AUTHORIZATION_RESPONSE_ERROR", failure
    assert failure["oauth_error"] == error, failure


# --- Authlib ------------------------------------------------------------------------------------


def discover(server: ServerProcess) -> dict[str, Any]:
    response = httpx.get(f"{server.url}/.well-known/openid-configuration")
    assert response.status_code == 200, response.text
    metadata: dict[str, Any] = response.json()
    return metadata


def validated_id_token(
    metadata: dict[str, Any],
    id_token: str,
    *,
    client_id: str,
    nonce: str | None,
    access_token: str,
) -> CodeIDToken:
    """As Authlib's own OpenIDMixin.parse_id_token does, plus aud and the essential claims."""
    assert metadata["jwks_uri"] == f"{metadata['issuer']}/keys"
    keys = KeySet.import_key_set(httpx.get(metadata["jwks_uri"]).json())
    decoded = jose_jwt.decode(id_token, keys, algorithms=metadata["id_token_signing_alg_values_supported"])
    options: dict[str, Any] = {
        "iss": {"essential": True, "value": metadata["issuer"]},
        "aud": {"essential": True, "value": client_id},
        "sub": {"essential": True},
        "exp": {"essential": True},
        "iat": {"essential": True},
    }
    if nonce is not None:
        options["nonce"] = {"essential": True, "value": nonce}
    params = {"client_id": client_id, "access_token": access_token, "nonce": nonce}
    claims = CodeIDToken(decoded.claims, decoded.header, options, params)
    claims.validate(leeway=LEEWAY)
    assert claims.header["alg"] == "RS256"
    return claims


def token_requests(sent: list[httpx.Request], token_endpoint: str) -> list[httpx.Request]:
    return [r for r in sent if str(r.url) == token_endpoint]


def form_of(request: httpx.Request) -> dict[str, str]:
    return query_of("?" + request.content.decode())


def authlib_client(app: App, auth_method: str, sent: list[httpx.Request]) -> OAuth2Client:
    return OAuth2Client(
        client_id=app.client_id,
        client_secret=app.client_secret,
        scope=SCOPE,
        redirect_uri=app.redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method=auth_method,
        event_hooks={"request": [sent.append]},
        timeout=30,
    )


def run_authlib_code_flow(
    server: ServerProcess, person: Person, app: App, auth_method: str
) -> list[httpx.Request]:
    """Authlib drives the whole flow; returns the token endpoint requests it made."""
    metadata = discover(server)
    sent: list[httpx.Request] = []
    with authlib_client(app, auth_method, sent) as oauth:
        verifier = generate_token(64)
        nonce = generate_token(24)
        url, state = oauth.create_authorization_url(
            metadata["authorization_endpoint"], code_verifier=verifier, nonce=nonce
        )
        assert query_of(url)["code_challenge_method"] == "S256"

        callback, email = sign_up_through(person, url, app.redirect_uri)
        assert query_of(callback)["iss"] == metadata["issuer"], "RFC 9207 iss parameter"
        # Authlib checks the state of the authorization response itself.
        token = dict(
            oauth.fetch_token(
                metadata["token_endpoint"],
                authorization_response=callback,
                state=state,
                code_verifier=verifier,
            )
        )
        assert token["token_type"].lower() == "bearer"
        assert {"access_token", "id_token", "refresh_token", "expires_in"} <= token.keys()
        claims = validated_id_token(
            metadata,
            token["id_token"],
            client_id=app.client_id,
            nonce=nonce,
            access_token=token["access_token"],
        )
        assert claims["email"] == email
        assert claims["email_verified"] is True

        userinfo = oauth.get(metadata["userinfo_endpoint"])
        assert userinfo.status_code == 200, userinfo.text
        assert userinfo.json() == {
            "sub": claims["sub"],
            "email": email,
            "email_verified": True,
            "name": "Ada Lovelace",
            "given_name": "Ada",
            "family_name": "Lovelace",
        }

        refreshed = dict(
            oauth.refresh_token(metadata["token_endpoint"], refresh_token=token["refresh_token"])
        )
        assert refreshed["refresh_token"] != token["refresh_token"], "refresh tokens rotate"
        assert refreshed["access_token"] != token["access_token"]
        again = validated_id_token(
            metadata,
            refreshed["id_token"],
            client_id=app.client_id,
            nonce=None,
            access_token=refreshed["access_token"],
        )
        assert again["sub"] == claims["sub"]
        assert again["auth_time"] == claims["auth_time"]

        # The client now carries the refreshed access token.
        assert oauth.get(metadata["userinfo_endpoint"]).json()["sub"] == claims["sub"]
    calls = token_requests(sent, metadata["token_endpoint"])
    assert [form_of(r)["grant_type"] for r in calls] == ["authorization_code", "refresh_token"]
    return calls


def test_authlib_client_authenticating_with_http_basic_gets_verifiable_tokens_and_rotation(
    server: ServerProcess, person: Person
) -> None:
    app = relying_party()
    for request in run_authlib_code_flow(server, person, app, "client_secret_basic"):
        assert request.headers["authorization"].startswith("Basic ")
        assert "client_secret" not in form_of(request)


def test_authlib_client_authenticating_with_secret_in_body_gets_verifiable_tokens_and_rotation(
    server: ServerProcess, person: Person
) -> None:
    app = relying_party()
    for request in run_authlib_code_flow(server, person, app, "client_secret_post"):
        assert "authorization" not in request.headers
        form = form_of(request)
        assert form["client_id"] == app.client_id
        assert form["client_secret"] == app.client_secret


def test_authlib_public_client_must_use_pkce_and_then_signs_in_without_a_secret(
    server: ServerProcess, person: Person
) -> None:
    app = relying_party("public")
    assert app.client_secret is None
    metadata = discover(server)
    sent: list[httpx.Request] = []
    with authlib_client(app, "none", sent) as oauth:
        nonce = generate_token(24)
        without_pkce, refused_state = oauth.create_authorization_url(
            metadata["authorization_endpoint"], nonce=nonce
        )
        assert "code_challenge" not in query_of(without_pkce)
        refused = person.http.get(without_pkce)
        assert refused.status_code == 302
        error = query_of(refused.headers["location"])
        assert refused.headers["location"].startswith(app.redirect_uri + "?")
        assert error["error"] == "invalid_request"
        assert error["state"] == refused_state
        assert error["iss"] == metadata["issuer"]

        verifier = generate_token(64)
        url, state = oauth.create_authorization_url(
            metadata["authorization_endpoint"], code_verifier=verifier, nonce=nonce
        )
        callback, email = sign_up_through(person, url, app.redirect_uri)
        token = dict(
            oauth.fetch_token(
                metadata["token_endpoint"],
                authorization_response=callback,
                state=state,
                code_verifier=verifier,
            )
        )
        claims = validated_id_token(
            metadata,
            token["id_token"],
            client_id=app.client_id,
            nonce=nonce,
            access_token=token["access_token"],
        )
        assert claims["email"] == email
        userinfo = oauth.get(metadata["userinfo_endpoint"]).json()
        assert userinfo["sub"] == claims["sub"]
        assert userinfo["email"] == email

        refreshed = dict(
            oauth.refresh_token(metadata["token_endpoint"], refresh_token=token["refresh_token"])
        )
        assert refreshed["refresh_token"] != token["refresh_token"]
    calls = token_requests(sent, metadata["token_endpoint"])
    assert len(calls) == 2
    for request in calls:
        assert "authorization" not in request.headers
        form = form_of(request)
        assert form["client_id"] == app.client_id
        assert "client_secret" not in form
    assert form_of(calls[0])["code_verifier"] == verifier


def test_discovery_document_passes_authlib_openid_provider_metadata_validation(
    server: ServerProcess,
) -> None:
    metadata = discover(server)
    assert metadata["issuer"] == server.url
    OpenIDProviderMetadata(metadata).validate(metadata_classes=[rpinitiated.OpenIDProviderMetadata])


def test_id_token_carries_profile_and_email_claims_only_when_those_scopes_were_granted(
    server: ServerProcess, person: Person
) -> None:
    """OIDC Core §5.4: `profile` and `email` are what request those claims; with scope `openid`
    alone the RP was not granted them (our UserInfo already withholds them; the ID token must
    not release them either)."""
    app = relying_party()
    metadata = discover(server)
    sent: list[httpx.Request] = []
    with authlib_client(app, "client_secret_basic", sent) as oauth:
        verifier, nonce = generate_token(64), generate_token(24)
        url, state = oauth.create_authorization_url(
            metadata["authorization_endpoint"], code_verifier=verifier, nonce=nonce, scope="openid"
        )
        callback, _ = sign_up_through(person, url, app.redirect_uri)
        token = oauth.fetch_token(
            metadata["token_endpoint"],
            authorization_response=callback,
            state=state,
            code_verifier=verifier,
        )
        assert token["scope"] == "openid"
        claims = validated_id_token(
            metadata,
            token["id_token"],
            client_id=app.client_id,
            nonce=nonce,
            access_token=token["access_token"],
        )
        userinfo = oauth.get(metadata["userinfo_endpoint"]).json()
    assert userinfo == {"sub": claims["sub"]}
    released = {"email", "email_verified", "name", "given_name", "family_name"} & claims.keys()
    assert not released, f"ID token released {sorted(released)} without the profile/email scopes"
