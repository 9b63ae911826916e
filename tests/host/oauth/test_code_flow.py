"""The authorization code flow end to end over HTTP: tokens, claims, userinfo, refresh, revocation."""

import httpx

from tests.host.oauth.conftest import exchange_code, signed_up_code, verify_jwt
from tests.support.factories import App
from tests.support.people import Person
from tests.support.server import ServerProcess


def exchange(server: ServerProcess, app: App, code: str, verifier: str) -> httpx.Response:
    return exchange_code(server.url, app, code, verifier)


def test_signup_through_authorize_returns_standard_tokens(
    server: ServerProcess, app: App, person: Person
) -> None:
    code, verifier, email = signed_up_code(person, app)
    response = exchange(server, app, code, verifier)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"
    assert {"access_token", "id_token", "refresh_token", "expires_in"} <= tokens.keys()

    id_claims = verify_jwt(server.url, tokens["id_token"])
    assert id_claims["__header__"]["alg"] == "RS256"
    assert id_claims["iss"] == server.url
    assert id_claims["aud"] == app.client_id
    assert id_claims["nonce"] == "n-0S6"
    assert id_claims["email"] == email
    assert id_claims["email_verified"] is True
    assert id_claims["name"] == "Grace Hopper"
    assert id_claims["given_name"] == "Grace"
    assert id_claims["family_name"] == "Hopper"
    assert str(id_claims["sid"]).startswith("ses_")
    assert str(id_claims["sub"]).startswith("usr_")
    assert id_claims["amr"] == ["otp", "email"]
    assert isinstance(id_claims["auth_time"], int)

    access = verify_jwt(server.url, tokens["access_token"])
    assert access["__header__"]["typ"] == "at+jwt"
    assert access["__header__"]["alg"] == "ES256"
    assert access["client_id"] == app.client_id
    assert access["sub"] == id_claims["sub"]
    assert access["scope"] == "openid profile email"
    assert "org_id" not in access, "no organization: the claims are absent, not null"


def test_userinfo_answers_by_get_and_post_with_header_or_body(
    server: ServerProcess, app: App, person: Person
) -> None:
    code, verifier, email = signed_up_code(person, app)
    access_token = exchange(server, app, code, verifier).json()["access_token"]
    by_get = httpx.get(f"{server.url}/oauth/userinfo", headers={"Authorization": f"Bearer {access_token}"})
    by_post_header = httpx.post(
        f"{server.url}/oauth/userinfo", headers={"Authorization": f"Bearer {access_token}"}
    )
    by_post_body = httpx.post(f"{server.url}/oauth/userinfo", data={"access_token": access_token})
    for response in (by_get, by_post_header, by_post_body):
        assert response.status_code == 200, response.text
        assert response.json()["email"] == email
        assert response.json()["given_name"] == "Grace"


def test_userinfo_refuses_a_bad_token_with_a_bearer_challenge(server: ServerProcess) -> None:
    response = httpx.get(f"{server.url}/oauth/userinfo", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    assert response.json()["error"] == "invalid_token"


def test_userinfo_without_a_token_gets_a_bare_bearer_challenge_without_an_error_code(
    server: ServerProcess,
) -> None:
    for response in (
        httpx.get(f"{server.url}/oauth/userinfo"),
        httpx.post(f"{server.url}/oauth/userinfo"),
    ):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer", "RFC 6750 §3.1: no error without credentials"
        assert "error" not in response.text


def test_userinfo_refuses_a_token_sent_twice_as_invalid_request_with_a_challenge(
    server: ServerProcess,
) -> None:
    response = httpx.post(
        f"{server.url}/oauth/userinfo",
        headers={"Authorization": "Bearer one"},
        data={"access_token": "two"},
    )
    assert response.status_code == 400
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_request"')
    assert response.json()["error"] == "invalid_request"


def test_userinfo_refuses_a_valid_token_without_openid_as_insufficient_scope(
    server: ServerProcess, app: App, person: Person
) -> None:
    code, verifier, _ = signed_up_code(person, app, scope="profile email")
    tokens = exchange(server, app, code, verifier).json()
    assert tokens["scope"] == "profile email"
    response = httpx.get(
        f"{server.url}/oauth/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert response.status_code == 403, response.text
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith('Bearer error="insufficient_scope"')
    assert 'scope="openid"' in challenge
    assert response.json()["error"] == "insufficient_scope"


def test_refresh_rotates_and_reuse_revokes_the_family(
    server: ServerProcess, app: App, person: Person
) -> None:
    code, verifier, _ = signed_up_code(person, app)
    first = exchange(server, app, code, verifier).json()["refresh_token"]
    rotated = httpx.post(
        f"{server.url}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": first},
        auth=(app.client_id, app.client_secret or ""),
    )
    assert rotated.status_code == 200, rotated.text
    second = rotated.json()["refresh_token"]
    assert second != first
    assert "id_token" in rotated.json()

    reused = httpx.post(
        f"{server.url}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": first},
        auth=(app.client_id, app.client_secret or ""),
    )
    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"

    after_reuse = httpx.post(
        f"{server.url}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": second},
        auth=(app.client_id, app.client_secret or ""),
    )
    assert after_reuse.status_code == 400, "the successor dies with the family"
    assert after_reuse.json()["error"] == "invalid_grant"


def test_replayed_code_fails_and_revokes_what_it_issued(
    server: ServerProcess, app: App, person: Person
) -> None:
    code, verifier, _ = signed_up_code(person, app)
    tokens = exchange(server, app, code, verifier).json()
    replay = exchange(server, app, code, verifier)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    refreshed = httpx.post(
        f"{server.url}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        auth=(app.client_id, app.client_secret or ""),
    )
    assert refreshed.json()["error"] == "invalid_grant"
    userinfo = httpx.get(
        f"{server.url}/oauth/userinfo",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert userinfo.status_code == 401


def test_revoking_a_refresh_token_ends_its_grant(server: ServerProcess, app: App, person: Person) -> None:
    code, verifier, _ = signed_up_code(person, app)
    tokens = exchange(server, app, code, verifier).json()
    revoked = httpx.post(
        f"{server.url}/oauth/revoke",
        data={"token": tokens["refresh_token"]},
        auth=(app.client_id, app.client_secret or ""),
    )
    assert revoked.status_code == 200
    refreshed = httpx.post(
        f"{server.url}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        auth=(app.client_id, app.client_secret or ""),
    )
    assert refreshed.json()["error"] == "invalid_grant"


def test_revoking_an_access_token_makes_userinfo_refuse_it(
    server: ServerProcess, app: App, person: Person
) -> None:
    code, verifier, _ = signed_up_code(person, app)
    access_token = exchange(server, app, code, verifier).json()["access_token"]
    revoked = httpx.post(
        f"{server.url}/oauth/revoke",
        data={"token": access_token, "token_type_hint": "access_token"},
        auth=(app.client_id, app.client_secret or ""),
    )
    assert revoked.status_code == 200
    userinfo = httpx.get(f"{server.url}/oauth/userinfo", headers={"Authorization": f"Bearer {access_token}"})
    assert userinfo.status_code == 401


def test_revocation_of_an_unknown_token_answers_200(server: ServerProcess, app: App) -> None:
    response = httpx.post(
        f"{server.url}/oauth/revoke",
        data={"token": "never-issued"},
        auth=(app.client_id, app.client_secret or ""),
    )
    assert response.status_code == 200
