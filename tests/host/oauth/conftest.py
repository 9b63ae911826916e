"""Fixtures for the OpenID Connect provider tests."""

from typing import Any

import httpx
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet

from tests.support.factories import App
from tests.support.people import Person, authorize_url, pkce_pair, query_of, unique_email


def verify_jwt(server_url: str, token: str) -> dict[str, Any]:
    """Validate with joserfc (not our code) against the published JWKS."""
    keys = KeySet.import_key_set(httpx.get(f"{server_url}/keys").json())
    decoded = jose_jwt.decode(token, keys)
    return dict(decoded.claims) | {"__header__": dict(decoded.header)}


def signed_up_code(
    person: Person, app: App, *, scope: str = "openid profile email", **extra: str
) -> tuple[str, str, str]:
    """Run authorize → signup → back with a code; returns (code, verifier, email)."""
    verifier, challenge = pkce_pair()
    email = unique_email()
    start = person.http.get(
        authorize_url(
            app.client_id,
            app.redirect_uri,
            scope=scope,
            state="xyz",
            nonce="n-0S6",
            code_challenge=challenge,
            code_challenge_method="S256",
            **extra,
        )
    )
    assert start.status_code == 302, start.text
    login = start.headers["location"]
    req = query_of(login)["req"]
    location = person.sign_in(email, intent="signup", req=req, first_name="Grace", last_name="Hopper")
    final = person.follow(location, stop_at=app.redirect_uri)
    callback = final.headers["location"]
    params = query_of(callback)
    assert params["state"] == "xyz"
    return params["code"], verifier, email


def exchange_code(server_url: str, app: App, code: str, verifier: str) -> httpx.Response:
    """The client's token request for a code (client_secret_basic)."""
    return httpx.post(
        f"{server_url}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": app.redirect_uri,
            "code_verifier": verifier,
        },
        auth=(app.client_id, app.client_secret or ""),
    )
