"""RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2 and §3, §6 on confirmation).

A valid id_token_hint ends the session and sends the browser to a registered
post_logout_redirect_uri with `state`; anything else is refused on a page or needs the user to
confirm, and a refused request leaves the session alive.
"""

import base64
import json
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.host.oauth.conftest import exchange_code, signed_up_code
from tests.support.factories import App, make_app, run
from tests.support.people import Person, authorize_url, query_of
from tests.support.server import ServerProcess

SIGNED_OUT = "https://app.example.com/signed-out"
SESSION_COOKIE = "tenantry_session"


@dataclass
class SignedIn:
    app: App
    tokens: dict[str, Any]
    session_cookie: str

    @property
    def id_token(self) -> str:
        return str(self.tokens["id_token"])

    @property
    def session_id(self) -> str:
        return str(jwt.decode(self.id_token, options={"verify_signature": False})["sid"])


@pytest.fixture
def signed_in(server: ServerProcess, person: Person) -> SignedIn:
    """The person signed up through an app and that app holds their tokens."""
    app = make_app()
    code, verifier, _ = signed_up_code(person, app)
    response = exchange_code(server.url, app, code, verifier)
    assert response.status_code == 200, response.text
    return SignedIn(app, response.json(), person.http.cookies[SESSION_COOKIE])


def logout_url(**params: str) -> str:
    return "/oauth/logout?" + urlencode(params)


def session_revoked(session_id: str) -> bool:
    from db.identity import Session

    row = run(Session.select(Session.revoked_at).where(Session.id == session_id).first().run())
    assert row is not None
    return row["revoked_at"] is not None


def userinfo_status(server: ServerProcess, access_token: str) -> int:
    return httpx.get(
        f"{server.url}/oauth/userinfo", headers={"Authorization": f"Bearer {access_token}"}
    ).status_code


def assert_refused(response: httpx.Response) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert 'data-testid="logout-error"' in response.text
    assert "location" not in response.headers
    assert not any(c.startswith(f"{SESSION_COOKIE}=") for c in response.headers.get_list("set-cookie"))


def assert_still_signed_in(server: ServerProcess, person: Person, signed_in: SignedIn) -> None:
    assert not session_revoked(signed_in.session_id)
    assert person.http.cookies[SESSION_COOKIE] == signed_in.session_cookie
    assert userinfo_status(server, signed_in.tokens["access_token"]) == 200
    silent = person.http.get(
        authorize_url(signed_in.app.client_id, signed_in.app.redirect_uri, prompt="none", state="s")
    )
    assert silent.status_code == 302, silent.text
    assert "code" in query_of(silent.headers["location"]), silent.headers["location"]


def assert_session_cookie_cleared(response: httpx.Response) -> None:
    cleared = [c for c in response.headers.get_list("set-cookie") if c.startswith(f"{SESSION_COOKIE}=")]
    assert len(cleared) == 1, response.headers.get_list("set-cookie")
    assert cleared[0].startswith(f'{SESSION_COOKIE}=""') or cleared[0].startswith(f"{SESSION_COOKIE}=;")
    assert re.search(r"max-age=0", cleared[0], re.IGNORECASE), cleared[0]


def test_logout_with_id_token_hint_redirects_to_the_registered_uri_and_ends_the_session(
    server: ServerProcess, person: Person, signed_in: SignedIn
) -> None:
    response = person.http.get(
        logout_url(
            id_token_hint=signed_in.id_token,
            post_logout_redirect_uri=SIGNED_OUT,
            state="bye-42",
        )
    )
    assert response.status_code == 302, response.text
    assert response.headers["location"] == f"{SIGNED_OUT}?state=bye-42"
    assert response.headers["cache-control"] == "no-store"
    assert_session_cookie_cleared(response)
    assert session_revoked(signed_in.session_id)
    refreshed = httpx.post(
        f"{server.url}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": signed_in.tokens["refresh_token"]},
        auth=(signed_in.app.client_id, signed_in.app.client_secret or ""),
    )
    assert refreshed.status_code == 400
    assert refreshed.json()["error"] == "invalid_grant"
    assert userinfo_status(server, signed_in.tokens["access_token"]) == 401


def test_an_unregistered_post_logout_redirect_uri_shows_an_error_page_and_keeps_the_session(
    server: ServerProcess, person: Person, signed_in: SignedIn
) -> None:
    for uri in ("https://evil.example.net/signed-out", f"{SIGNED_OUT}/", f"{SIGNED_OUT}?x=1"):
        response = person.http.get(
            logout_url(id_token_hint=signed_in.id_token, post_logout_redirect_uri=uri, state="s")
        )
        assert_refused(response)
    assert_still_signed_in(server, person, signed_in)


def test_a_post_logout_redirect_uri_without_hint_or_client_id_shows_an_error_page(
    server: ServerProcess, person: Person, signed_in: SignedIn
) -> None:
    response = person.http.get(logout_url(post_logout_redirect_uri=SIGNED_OUT, state="s"))
    assert_refused(response)
    assert_still_signed_in(server, person, signed_in)


def test_logout_without_a_hint_asks_for_confirmation_and_the_form_ends_the_session(
    server: ServerProcess, person: Person, signed_in: SignedIn
) -> None:
    prompt = person.http.get(
        logout_url(client_id=signed_in.app.client_id, post_logout_redirect_uri=SIGNED_OUT, state="st-9")
    )
    assert prompt.status_code == 200, prompt.text
    assert 'data-testid="logout-prompt"' in prompt.text
    assert not session_revoked(signed_in.session_id), "asking must not sign out yet"
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', prompt.text))
    assert form["csrf_token"] == person.http.cookies["tenantry_csrf"]
    assert form["post_logout_redirect_uri"] == SIGNED_OUT

    confirmed = person.http.post("/oauth/logout/confirm", data=form)
    assert confirmed.status_code == 302, confirmed.text
    assert confirmed.headers["location"] == f"{SIGNED_OUT}?state=st-9"
    assert_session_cookie_cleared(confirmed)
    assert session_revoked(signed_in.session_id)
    assert userinfo_status(server, signed_in.tokens["access_token"]) == 401


def test_posting_the_confirmation_without_its_csrf_token_changes_nothing(
    server: ServerProcess, person: Person, signed_in: SignedIn
) -> None:
    prompt = person.http.get("/oauth/logout")
    assert 'data-testid="logout-prompt"' in prompt.text
    assert_refused(person.http.post("/oauth/logout/confirm", data={}))
    assert_refused(person.http.post("/oauth/logout/confirm", data={"csrf_token": "x" * 43}))
    # A cross-site form post carries the cookie but cannot read it, so it cannot echo it.
    with httpx.Client(base_url=server.url, cookies={SESSION_COOKIE: signed_in.session_cookie}) as attacker:
        forged = attacker.post("/oauth/logout/confirm", data={"csrf_token": "a" * 43})
    assert_refused(forged)
    assert_still_signed_in(server, person, signed_in)


def _forged_hints(signed_in: SignedIn) -> dict[str, str]:
    real = jwt.decode(signed_in.id_token, options={"verify_signature": False})
    header = jwt.get_unverified_header(signed_in.id_token)
    stranger_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {**real, "iat": now, "exp": now + 600}
    unsigned = jwt.encode(claims, key="", algorithm="none")
    head, _, signature = signed_in.id_token.split(".")
    tampered = base64.urlsafe_b64encode(json.dumps({**claims, "sub": "usr_x"}).encode()).rstrip(b"=")
    return {
        "signed by another key under our kid": jwt.encode(
            claims, stranger_key, algorithm="RS256", headers={"kid": header["kid"]}
        ),
        "alg none": unsigned,
        "tampered payload": f"{head}.{tampered.decode()}.{signature}",
        "another issuer": jwt.encode(
            {**claims, "iss": "https://evil.example.net"},
            stranger_key,
            algorithm="RS256",
            headers={"kid": header["kid"]},
        ),
        "our access token, not an ID token": str(signed_in.tokens["access_token"]),
        "not a JWT": "not-a-jwt",
    }


def test_a_forged_or_invalid_id_token_hint_shows_an_error_page(
    server: ServerProcess, person: Person, signed_in: SignedIn
) -> None:
    for label, hint in _forged_hints(signed_in).items():
        response = person.http.get(
            logout_url(id_token_hint=hint, post_logout_redirect_uri=SIGNED_OUT, state="s")
        )
        assert response.status_code == 400, f"{label}: {response.status_code}"
        assert_refused(response)
    assert_still_signed_in(server, person, signed_in)


def test_after_logout_prompt_none_is_login_required(
    server: ServerProcess, person: Person, signed_in: SignedIn
) -> None:
    out = person.http.get(logout_url(id_token_hint=signed_in.id_token, post_logout_redirect_uri=SIGNED_OUT))
    assert out.status_code == 302, out.text
    app = signed_in.app
    silent = person.http.get(authorize_url(app.client_id, app.redirect_uri, prompt="none", state="s1"))
    # The old cookie, replayed, is dead on the server too.
    with httpx.Client(base_url=server.url, cookies={SESSION_COOKIE: signed_in.session_cookie}) as replay:
        replayed = replay.get(authorize_url(app.client_id, app.redirect_uri, prompt="none", state="s1"))
    for response in (silent, replayed):
        assert response.status_code == 302, response.text
        params = query_of(response.headers["location"])
        assert response.headers["location"].startswith(app.redirect_uri)
        assert params["error"] == "login_required"
        assert params["state"] == "s1"
        assert params["iss"] == server.url
        assert "code" not in params
