"""Bad input at the token endpoint (RFC 6749 §5.2, RFC 7636 §4.6, RFC 6749 §6 and §4.4).

Every refusal names the exact RFC error, answers with `Cache-Control: no-store`, and issues,
rotates or revokes nothing it should not.
"""

from typing import Any

import httpx
import pytest

from tests.conftest import Clock
from tests.host.oauth.conftest import signed_up_code, verify_jwt
from tests.support.factories import App, make_app, run
from tests.support.people import Person, authorize_url, query_of, unique_email
from tests.support.server import ServerProcess


def token(
    server: ServerProcess,
    data: dict[str, str] | None = None,
    *,
    auth: tuple[str, str] | None = None,
    **kwargs: Any,
) -> httpx.Response:
    return httpx.post(f"{server.url}/oauth/token", data=data, auth=auth, **kwargs)


def credentials(app: App) -> tuple[str, str]:
    return app.client_id, app.client_secret or ""


def exchange(
    server: ServerProcess, app: App, code: str, verifier: str | None, **extra: str
) -> httpx.Response:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": app.redirect_uri}
    if verifier is not None:
        data["code_verifier"] = verifier
    data.update(extra)
    return token(server, data, auth=credentials(app))


def refresh(server: ServerProcess, app: App, refresh_token: str, **extra: str) -> httpx.Response:
    return token(
        server,
        {"grant_type": "refresh_token", "refresh_token": refresh_token, **extra},
        auth=credentials(app),
    )


def assert_error(response: httpx.Response, error: str, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body["error"] == error, body
    assert not {"access_token", "refresh_token", "id_token"} & body.keys()
    return body


def refresh_tokens_of(app: App) -> int:
    """Refresh tokens ever issued to the app: a refused request must not add one."""
    from db.oauth import RefreshToken

    count: int = run(RefreshToken.count().where(RefreshToken.application == app.client_id).run())
    return count


def code_without_pkce(person: Person, app: App) -> str:
    """authorize (no code_challenge) → signup → back with a code."""
    start = person.http.get(authorize_url(app.client_id, app.redirect_uri, state="s"))
    assert start.status_code == 302, start.text
    location = person.sign_in(
        unique_email(),
        intent="signup",
        req=query_of(start.headers["location"])["req"],
        first_name="Grace",
        last_name="Hopper",
    )
    final = person.follow(location, stop_at=app.redirect_uri)
    return query_of(final.headers["location"])["code"]


def tokens_for(server: ServerProcess, person: Person, app: App) -> dict[str, Any]:
    code, verifier, _ = signed_up_code(person, app)
    response = exchange(server, app, code, verifier)
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


# Client authentication (RFC 6749 §2.3, §5.2).


def test_unknown_client_is_invalid_client_401(server: ServerProcess) -> None:
    by_post = token(
        server,
        {"grant_type": "client_credentials", "client_id": "app_nope", "client_secret": "x"},
    )
    assert_error(by_post, "invalid_client", 401)
    by_basic = token(server, {"grant_type": "client_credentials"}, auth=("app_nope", "x"))
    assert_error(by_basic, "invalid_client", 401)
    assert by_basic.headers["www-authenticate"].startswith("Basic")
    no_client = token(server, {"grant_type": "client_credentials"})
    assert_error(no_client, "invalid_client", 401)


def test_wrong_secret_is_invalid_client_401_with_a_basic_challenge_when_basic_was_used(
    server: ServerProcess, person: Person
) -> None:
    app = make_app()
    code, verifier, _ = signed_up_code(person, app)
    by_basic = token(
        server,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": app.redirect_uri,
            "code_verifier": verifier,
        },
        auth=(app.client_id, "tns_wrong"),
    )
    assert_error(by_basic, "invalid_client", 401)
    assert by_basic.headers["www-authenticate"].startswith("Basic")
    by_post = token(
        server,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": app.redirect_uri,
            "code_verifier": verifier,
            "client_id": app.client_id,
            "client_secret": "tns_wrong",
        },
    )
    assert_error(by_post, "invalid_client", 401)
    # The code was not spent by the failed attempts: the real client still gets its tokens.
    assert exchange(server, app, code, verifier).status_code == 200


def test_basic_and_client_secret_post_together_are_an_invalid_request(
    server: ServerProcess,
) -> None:
    app = make_app(grant_types=["client_credentials"])
    response = token(
        server,
        {"grant_type": "client_credentials", "client_secret": app.client_secret or ""},
        auth=credentials(app),
    )
    assert_error(response, "invalid_request")


# The request itself (RFC 6749 §5.2).


def test_missing_grant_type_is_an_invalid_request(server: ServerProcess) -> None:
    app = make_app(grant_types=["client_credentials"])
    assert_error(token(server, {"scope": "tenantry:manage"}, auth=credentials(app)), "invalid_request")


@pytest.mark.parametrize(
    "grant_type",
    ["password", "implicit", "urn:ietf:params:oauth:grant-type:device_code", "Authorization_Code"],
)
def test_unsupported_grant_type_is_unsupported_grant_type(server: ServerProcess, grant_type: str) -> None:
    app = make_app()
    response = token(
        server, {"grant_type": grant_type, "username": "a", "password": "b"}, auth=credentials(app)
    )
    assert_error(response, "unsupported_grant_type")


def test_a_non_form_content_type_is_an_invalid_request(server: ServerProcess) -> None:
    app = make_app(grant_types=["client_credentials"])
    as_json = token(server, json={"grant_type": "client_credentials"}, auth=credentials(app))
    assert_error(as_json, "invalid_request")
    as_text = token(
        server,
        content=b"grant_type=client_credentials",
        headers={"Content-Type": "text/plain"},
        auth=credentials(app),
    )
    assert_error(as_text, "invalid_request")


def test_an_oversized_body_is_refused_with_413(server: ServerProcess) -> None:
    app = make_app(grant_types=["client_credentials"])
    response = token(
        server,
        {"grant_type": "client_credentials", "padding": "x" * (64 * 1024 + 1)},
        auth=credentials(app),
    )
    assert response.status_code == 413, response.text
    assert "access_token" not in response.text


# The authorization code grant (RFC 6749 §4.1.3, RFC 7636 §4.6).


def test_a_code_issued_to_another_client_is_invalid_grant(server: ServerProcess, person: Person) -> None:
    app, other = make_app(), make_app()
    code, verifier, _ = signed_up_code(person, app)
    response = exchange(server, other, code, verifier)
    assert_error(response, "invalid_grant")
    assert refresh_tokens_of(other) == 0
    assert refresh_tokens_of(app) == 0


def test_a_redirect_uri_differing_from_the_authorization_request_is_invalid_grant(
    server: ServerProcess, person: Person
) -> None:
    app = make_app(redirect_uris=["https://app.example.com/callback", "https://app.example.com/other"])
    code, verifier, _ = signed_up_code(person, app)
    response = exchange(server, app, code, verifier, redirect_uri="https://app.example.com/other")
    assert_error(response, "invalid_grant")
    missing = token(
        server,
        {"grant_type": "authorization_code", "code": code, "code_verifier": verifier},
        auth=credentials(app),
    )
    assert_error(missing, "invalid_request")
    assert refresh_tokens_of(app) == 0


def test_a_missing_code_verifier_when_a_challenge_was_used_is_invalid_grant(
    server: ServerProcess, person: Person
) -> None:
    app = make_app()
    code, _, _ = signed_up_code(person, app)
    assert_error(exchange(server, app, code, None), "invalid_grant")
    assert refresh_tokens_of(app) == 0


def test_a_wrong_code_verifier_is_invalid_grant(server: ServerProcess, person: Person) -> None:
    app = make_app()
    code, verifier, _ = signed_up_code(person, app)
    assert_error(exchange(server, app, code, verifier[::-1]), "invalid_grant")
    assert refresh_tokens_of(app) == 0


def test_a_code_verifier_sent_without_a_challenge_is_invalid_grant(
    server: ServerProcess, person: Person
) -> None:
    """RFC 9700 §2.1.1: a verifier for a code without a challenge is a PKCE downgrade attempt."""
    app = make_app()
    code = code_without_pkce(person, app)
    assert_error(exchange(server, app, code, "v" * 50), "invalid_grant")
    assert refresh_tokens_of(app) == 0


def test_an_expired_code_is_invalid_grant(server: ServerProcess, person: Person, clock: Clock) -> None:
    app = make_app()
    code, verifier, _ = signed_up_code(person, app)
    clock.advance(120)
    assert_error(exchange(server, app, code, verifier), "invalid_grant")
    assert refresh_tokens_of(app) == 0


def test_a_replayed_code_is_invalid_grant_and_issues_nothing_more(
    server: ServerProcess, person: Person
) -> None:
    app = make_app()
    code, verifier, _ = signed_up_code(person, app)
    first = exchange(server, app, code, verifier)
    assert first.status_code == 200, first.text
    issued = refresh_tokens_of(app)
    assert_error(exchange(server, app, code, verifier), "invalid_grant")
    assert refresh_tokens_of(app) == issued
    assert_error(refresh(server, app, first.json()["refresh_token"]), "invalid_grant")


def test_parameters_sent_without_a_value_are_treated_as_omitted(
    server: ServerProcess, person: Person
) -> None:
    """RFC 6749 §3.2: "Parameters sent without a value MUST be treated as if they were omitted"."""
    app = make_app()
    code = code_without_pkce(person, app)
    response = token(
        server,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": app.redirect_uri,
            "code_verifier": "",
            "scope": "",
            "client_secret": "",
        },
        auth=credentials(app),
    )
    assert response.status_code == 200, response.text
    assert "access_token" in response.json()


# The refresh token grant (RFC 6749 §6, RFC 9700 §4.14).


def test_a_reused_rotated_refresh_token_is_invalid_grant_and_rotates_nothing(
    server: ServerProcess, person: Person
) -> None:
    app = make_app()
    first = tokens_for(server, person, app)["refresh_token"]
    rotated = refresh(server, app, first)
    assert rotated.status_code == 200, rotated.text
    issued = refresh_tokens_of(app)
    assert_error(refresh(server, app, first), "invalid_grant")
    assert refresh_tokens_of(app) == issued
    assert_error(refresh(server, app, rotated.json()["refresh_token"]), "invalid_grant")


def test_a_refresh_token_of_another_client_is_invalid_grant_and_stays_valid(
    server: ServerProcess, person: Person
) -> None:
    app, other = make_app(), make_app()
    refresh_token = tokens_for(server, person, app)["refresh_token"]
    assert_error(refresh(server, other, refresh_token), "invalid_grant")
    assert refresh_tokens_of(other) == 0
    # Nothing was spent or revoked: the rightful client still refreshes.
    assert refresh(server, app, refresh_token).status_code == 200


def test_a_reused_or_foreign_refresh_token_is_invalid_grant_whatever_scope_it_asks_for(
    server: ServerProcess, person: Person
) -> None:
    """Asking for a broader scope must not turn "this token is not yours / already spent" into
    `invalid_scope`, nor skip the reuse detection that revokes the family (RFC 9700 §4.14.2)."""
    app, other = make_app(), make_app()
    first = tokens_for(server, person, app)["refresh_token"]
    broader = "openid profile email offline_access"
    assert_error(refresh(server, other, first, scope=broader), "invalid_grant")
    rotated = refresh(server, app, first)
    assert rotated.status_code == 200, rotated.text
    assert_error(refresh(server, app, first, scope=broader), "invalid_grant")
    successor = refresh(server, app, rotated.json()["refresh_token"])
    assert_error(successor, "invalid_grant")


def test_a_refresh_asking_for_a_broader_scope_is_invalid_scope_and_changes_nothing(
    server: ServerProcess, person: Person
) -> None:
    """RFC 6749 §6: the scope "MUST NOT include any scope not originally granted"; the refusal is
    `invalid_scope`, and nothing says the grant itself should be spent or revoked."""
    app = make_app()
    code, verifier, _ = signed_up_code(person, app, scope="openid email")
    refresh_token = exchange(server, app, code, verifier).json()["refresh_token"]
    issued = refresh_tokens_of(app)
    assert_error(refresh(server, app, refresh_token, scope="openid email profile"), "invalid_scope")
    assert refresh_tokens_of(app) == issued, "a refused refresh minted a successor token"
    again = refresh(server, app, refresh_token)
    assert again.status_code == 200, f"the refused request spent the refresh token: {again.text}"
    narrower = refresh(server, app, again.json()["refresh_token"], scope="openid")
    assert narrower.status_code == 200, narrower.text
    assert narrower.json()["scope"] == "openid"


# The client credentials grant (RFC 6749 §4.4).


def test_client_credentials_by_a_client_without_that_grant_is_unauthorized_client(
    server: ServerProcess,
) -> None:
    app = make_app()
    response = token(server, {"grant_type": "client_credentials"}, auth=credentials(app))
    assert_error(response, "unauthorized_client")


def test_client_credentials_with_an_unknown_scope_is_invalid_scope(
    server: ServerProcess,
) -> None:
    app = make_app(grant_types=["client_credentials"])
    for scope in ("openid", "tenantry:manage admin", "tenantry:everything"):
        response = token(server, {"grant_type": "client_credentials", "scope": scope}, auth=credentials(app))
        assert_error(response, "invalid_scope")


def test_client_credentials_issues_an_es256_at_jwt_for_the_client_itself(
    server: ServerProcess,
) -> None:
    app = make_app(grant_types=["client_credentials"])
    response = token(
        server,
        {"grant_type": "client_credentials", "scope": "tenantry:manage"},
        auth=credentials(app),
    )
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "tenantry:manage"
    assert "refresh_token" not in body
    assert "id_token" not in body
    claims = verify_jwt(server.url, body["access_token"])
    assert claims["__header__"]["alg"] == "ES256"
    assert claims["__header__"]["typ"] == "at+jwt"
    assert claims["sub"] == app.client_id
    assert claims["client_id"] == app.client_id
    assert claims["iss"] == server.url
    assert claims["scope"] == "tenantry:manage"
    by_post = token(
        server,
        {
            "grant_type": "client_credentials",
            "client_id": app.client_id,
            "client_secret": app.client_secret or "",
        },
    )
    assert by_post.status_code == 200, by_post.text


def test_every_error_response_has_cache_control_no_store(server: ServerProcess) -> None:
    app = make_app()
    refusals = [
        token(server, {"grant_type": "client_credentials"}, auth=("app_nope", "x")),
        token(server, {"grant_type": "client_credentials"}, auth=(app.client_id, "wrong")),
        token(server, {"grant_type": "client_credentials"}, auth=credentials(app)),
        token(server, {"grant_type": "password"}, auth=credentials(app)),
        token(server, {}, auth=credentials(app)),
        token(server, {"grant_type": "authorization_code"}, auth=credentials(app)),
        token(
            server,
            {"grant_type": "authorization_code", "code": "nope", "redirect_uri": app.redirect_uri},
            auth=credentials(app),
        ),
        token(server, {"grant_type": "refresh_token", "refresh_token": "nope"}, auth=credentials(app)),
        token(server, json={"grant_type": "client_credentials"}, auth=credentials(app)),
        token(
            server,
            content=b"grant_type=a&grant_type=b",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            auth=credentials(app),
        ),
        # Refused before any OAuth code runs (request_max_body_size), but still an error response.
        token(server, {"grant_type": "client_credentials", "padding": "x" * 70_000}, auth=credentials(app)),
    ]
    cacheable = [
        f"{response.status_code} {response.text[:80]}"
        for response in refusals
        if response.headers.get("cache-control") != "no-store"
    ]
    assert all(response.status_code >= 400 for response in refusals)
    assert not cacheable, f"error responses without Cache-Control: no-store: {cacheable}"
