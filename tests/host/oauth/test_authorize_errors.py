"""Bad input at the authorization endpoint (RFC 6749 §4.1.2.1, OpenID Connect Core §3.1.2.6).

Errors about the client or its redirect URI are shown on a page and never redirected; every other
error goes back to the registered redirect URI with `error`, `state` and `iss` (RFC 9207). None of
them issues a code.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx
import pytest

from tests.conftest import Clock
from tests.support.factories import App, make_app, make_member, make_organization, run
from tests.support.people import Person, authorize_url, pkce_pair, query_of, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

STATE = "st-8731"


@pytest.fixture
def browser(server: ServerProcess) -> Iterator[httpx.Client]:
    """A browser with no session (httpx does not follow redirects unless asked)."""
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def codes_issued(app: App) -> int:
    from db.oauth import AuthorizationCode

    query = AuthorizationCode.count().where(AuthorizationCode.application == app.client_id)
    count: int = run(query.run())
    return count


def raw_authorize(params: list[tuple[str, str]]) -> str:
    return "/oauth/authorize?" + urlencode(params)


def assert_error_page(response: httpx.Response, app: App | None = None) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert 'data-testid="authorize-error"' in response.text
    assert "location" not in response.headers
    if app is not None:
        assert codes_issued(app) == 0


def assert_error_redirect(
    server: ServerProcess,
    response: httpx.Response,
    app: App,
    error: str,
    *,
    redirect_uri: str | None = None,
) -> dict[str, str]:
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith((redirect_uri or app.redirect_uri) + "?"), location
    params = query_of(location)
    assert params["error"] == error, params
    assert params["state"] == STATE
    assert params["iss"] == server.url
    assert "code" not in params
    assert response.headers["cache-control"] == "no-store"
    assert codes_issued(app) == 0
    return params


@dataclass
class SignedIn:
    person: Person
    email: str


def signed_in_person(server: ServerProcess, mail: MailSink, email: str) -> Person:
    """A browser with a live session for a user who has a name (no profile step)."""
    person = Person.at(server.url, mail)
    location = person.sign_in(email, intent="signup", first_name="Ada", last_name="Lovelace")
    assert location == "/ui/", location
    return person


@pytest.fixture
def signed_in(server: ServerProcess, mail: MailSink) -> Iterator[SignedIn]:
    email = unique_email("authz")
    person = signed_in_person(server, mail, email)
    yield SignedIn(person, email)
    person.http.close()


# Errors shown on a page, never redirected (RFC 6749 §4.1.2.1, §3.1.2.4).


def test_missing_client_id_shows_an_error_page(server: ServerProcess, browser: httpx.Client) -> None:
    response = browser.get(
        raw_authorize([("redirect_uri", "https://app.example.com/callback"), ("state", STATE)])
    )
    assert_error_page(response)
    assert "client_id" in response.text


def test_unknown_client_id_shows_an_error_page(server: ServerProcess, browser: httpx.Client) -> None:
    response = browser.get(
        authorize_url("app_does_not_exist", "https://app.example.com/callback", state=STATE)
    )
    assert_error_page(response)


def test_missing_redirect_uri_shows_an_error_page_even_when_one_is_registered(
    server: ServerProcess, browser: httpx.Client
) -> None:
    app = make_app()
    response = browser.get(
        raw_authorize(
            [
                ("client_id", app.client_id),
                ("response_type", "code"),
                ("scope", "openid"),
                ("state", STATE),
            ]
        )
    )
    assert_error_page(response, app)


def test_unregistered_redirect_uri_shows_an_error_page_and_never_redirects(
    server: ServerProcess, browser: httpx.Client
) -> None:
    app = make_app()
    response = browser.get(authorize_url(app.client_id, "https://evil.example.net/cb", state=STATE))
    assert_error_page(response, app)
    assert "evil.example.net" not in response.headers.get("location", "")


@pytest.mark.parametrize(
    "near_miss",
    [
        "https://app.example.com/callback/",
        "https://app.example.com/callback?next=1",
        "https://app.example.com/callback#frag",
        "https://APP.example.com/callback",
        "http://app.example.com/callback",
        "https://app.example.com:443/callback",
    ],
)
def test_redirect_uri_differing_by_a_trailing_slash_or_query_shows_an_error_page(
    server: ServerProcess, browser: httpx.Client, near_miss: str
) -> None:
    app = make_app()
    response = browser.get(authorize_url(app.client_id, near_miss, state=STATE))
    assert_error_page(response, app)


def test_a_repeated_client_id_or_redirect_uri_shows_an_error_page(
    server: ServerProcess, browser: httpx.Client
) -> None:
    app = make_app()
    base = [("response_type", "code"), ("scope", "openid"), ("state", STATE)]
    twice_client = browser.get(
        raw_authorize(
            [
                ("client_id", app.client_id),
                ("client_id", app.client_id),
                ("redirect_uri", app.redirect_uri),
                *base,
            ]
        )
    )
    assert_error_page(twice_client, app)
    twice_redirect = browser.get(
        raw_authorize(
            [
                ("client_id", app.client_id),
                ("redirect_uri", app.redirect_uri),
                ("redirect_uri", "https://evil.example.net/cb"),
                *base,
            ]
        )
    )
    assert_error_page(twice_redirect, app)


# Errors sent back to the client's redirect URI with state and iss (RFC 6749 §4.1.2.1).


def test_missing_response_type_is_an_invalid_request(server: ServerProcess, browser: httpx.Client) -> None:
    app = make_app()
    response = browser.get(
        raw_authorize(
            [
                ("client_id", app.client_id),
                ("redirect_uri", app.redirect_uri),
                ("scope", "openid"),
                ("state", STATE),
            ]
        )
    )
    assert_error_redirect(server, response, app, "invalid_request")


@pytest.mark.parametrize("response_type", ["token", "id_token", "code id_token", "code token"])
def test_response_type_other_than_code_is_unsupported_response_type(
    server: ServerProcess, browser: httpx.Client, response_type: str
) -> None:
    app = make_app()
    response = browser.get(
        authorize_url(app.client_id, app.redirect_uri, response_type=response_type, state=STATE)
    )
    assert_error_redirect(server, response, app, "unsupported_response_type")


def test_unknown_scope_is_invalid_scope(server: ServerProcess, browser: httpx.Client) -> None:
    app = make_app()
    response = browser.get(
        authorize_url(app.client_id, app.redirect_uri, scope="openid admin:all", state=STATE)
    )
    assert_error_redirect(server, response, app, "invalid_scope")


def test_public_client_without_pkce_is_an_invalid_request(
    server: ServerProcess, browser: httpx.Client
) -> None:
    app = make_app(client_type="public")
    response = browser.get(authorize_url(app.client_id, app.redirect_uri, state=STATE))
    assert_error_redirect(server, response, app, "invalid_request")


def test_code_challenge_method_plain_is_an_invalid_request(
    server: ServerProcess, browser: httpx.Client
) -> None:
    app = make_app(client_type="public")
    verifier, _ = pkce_pair()
    plain = browser.get(
        authorize_url(
            app.client_id,
            app.redirect_uri,
            state=STATE,
            code_challenge=verifier[:43],
            code_challenge_method="plain",
        )
    )
    assert_error_redirect(server, plain, app, "invalid_request")
    # RFC 7636 §4.3: no method means "plain", which is not supported either.
    implied_plain = browser.get(
        authorize_url(app.client_id, app.redirect_uri, state=STATE, code_challenge=verifier[:43])
    )
    assert_error_redirect(server, implied_plain, app, "invalid_request")


def test_code_challenge_method_without_code_challenge_is_an_invalid_request(
    server: ServerProcess, browser: httpx.Client
) -> None:
    app = make_app()
    response = browser.get(
        authorize_url(app.client_id, app.redirect_uri, state=STATE, code_challenge_method="S256")
    )
    assert_error_redirect(server, response, app, "invalid_request")


@pytest.mark.parametrize(
    "challenge",
    [
        "too-short",
        "A" * 44,
        "A" * 42 + "+",  # standard base64, not base64url
        "A" * 42 + "=",
        "",
    ],
)
def test_malformed_code_challenge_is_an_invalid_request(
    server: ServerProcess, browser: httpx.Client, challenge: str
) -> None:
    app = make_app(client_type="public")
    response = browser.get(
        authorize_url(
            app.client_id,
            app.redirect_uri,
            state=STATE,
            code_challenge=challenge,
            code_challenge_method="S256",
        )
    )
    assert_error_redirect(server, response, app, "invalid_request")


def test_request_object_is_request_not_supported(server: ServerProcess, browser: httpx.Client) -> None:
    app = make_app()
    response = browser.get(
        authorize_url(app.client_id, app.redirect_uri, state=STATE, request="eyJhbGciOiJub25lIn0..")
    )
    assert_error_redirect(server, response, app, "request_not_supported")


def test_request_uri_is_request_uri_not_supported(server: ServerProcess, browser: httpx.Client) -> None:
    app = make_app()
    response = browser.get(
        authorize_url(
            app.client_id,
            app.redirect_uri,
            state=STATE,
            request_uri="https://app.example.com/request.jwt",
        )
    )
    assert_error_redirect(server, response, app, "request_uri_not_supported")


def test_prompt_none_without_a_session_is_login_required(
    server: ServerProcess, browser: httpx.Client
) -> None:
    app = make_app()
    response = browser.get(authorize_url(app.client_id, app.redirect_uri, state=STATE, prompt="none"))
    assert_error_redirect(server, response, app, "login_required")


def test_prompt_none_combined_with_login_is_an_invalid_request(
    server: ServerProcess, signed_in: SignedIn
) -> None:
    app = make_app()
    response = signed_in.person.http.get(
        authorize_url(app.client_id, app.redirect_uri, state=STATE, prompt="none login")
    )
    assert_error_redirect(server, response, app, "invalid_request")


@pytest.mark.parametrize(
    ("prompt", "error"),
    [("select_account", "account_selection_required"), ("consent", "consent_required")],
)
def test_a_prompt_tenantry_cannot_honour_is_an_error_even_for_a_signed_in_user(
    server: ServerProcess, signed_in: SignedIn, prompt: str, error: str
) -> None:
    app = make_app()
    response = signed_in.person.http.get(
        authorize_url(app.client_id, app.redirect_uri, state=STATE, prompt=prompt)
    )
    assert_error_redirect(server, response, app, error)


@pytest.mark.parametrize("prompt", ["bogus", "login bogus", "none select_account"])
def test_an_unknown_prompt_value_or_none_with_another_is_an_invalid_request(
    server: ServerProcess, browser: httpx.Client, prompt: str
) -> None:
    app = make_app()
    response = browser.get(authorize_url(app.client_id, app.redirect_uri, state=STATE, prompt=prompt))
    assert_error_redirect(server, response, app, "invalid_request")


@pytest.mark.parametrize("max_age", ["-1", "ten", "1.5", "1e3"])
def test_negative_or_non_numeric_max_age_is_an_invalid_request(
    server: ServerProcess, browser: httpx.Client, max_age: str
) -> None:
    app = make_app()
    response = browser.get(authorize_url(app.client_id, app.redirect_uri, state=STATE, max_age=max_age))
    assert_error_redirect(server, response, app, "invalid_request")


def test_unknown_organization_id_is_an_invalid_request(server: ServerProcess, browser: httpx.Client) -> None:
    app = make_app()
    response = browser.get(
        authorize_url(app.client_id, app.redirect_uri, state=STATE, organization_id="org_DOESNOTEXIST")
    )
    assert_error_redirect(server, response, app, "invalid_request")


def test_a_user_who_is_not_a_member_of_organization_id_is_access_denied(
    server: ServerProcess, mail: MailSink
) -> None:
    email = unique_email("member")
    make_member(email, make_organization("Mine"))
    elsewhere = make_organization("Not mine")
    person = signed_in_person(server, mail, email)
    try:
        app = make_app()
        response = person.http.get(
            authorize_url(app.client_id, app.redirect_uri, state=STATE, organization_id=elsewhere)
        )
        assert_error_redirect(server, response, app, "access_denied")
    finally:
        person.http.close()


def test_a_repeated_parameter_is_an_invalid_request_sent_back_to_the_client(
    server: ServerProcess, browser: httpx.Client
) -> None:
    """RFC 6749 §4.1.2.1: "includes a parameter more than once" is `invalid_request`, redirected
    once the client and redirect URI are known to be valid."""
    app = make_app()
    response = browser.get(
        raw_authorize(
            [
                ("client_id", app.client_id),
                ("redirect_uri", app.redirect_uri),
                ("response_type", "code"),
                ("scope", "openid"),
                ("scope", "openid email"),
                ("state", STATE),
            ]
        )
    )
    assert_error_redirect(server, response, app, "invalid_request")


# Parameters that are accepted.


def test_parameters_sent_without_a_value_are_treated_as_omitted(
    server: ServerProcess, browser: httpx.Client
) -> None:
    """RFC 6749 §3.1: "Parameters sent without a value MUST be treated as if they were omitted"."""
    app = make_app()
    response = browser.get(
        authorize_url(
            app.client_id,
            app.redirect_uri,
            state=STATE,
            request="",
            request_uri="",
            max_age="",
            code_challenge_method="",
            prompt="",
            organization_id="",
        )
    )
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith("/a/auth/login?"), f"an empty parameter was refused: {location}"


def test_unknown_parameters_are_ignored(server: ServerProcess, browser: httpx.Client) -> None:
    app = make_app()
    response = browser.get(
        authorize_url(app.client_id, app.redirect_uri, state=STATE, foo="bar", x_custom_tracking="1")
    )
    assert response.status_code == 302, response.text
    assert response.headers["location"].startswith("/a/auth/login?")
    assert codes_issued(app) == 0


def test_login_hint_ui_locales_display_acr_values_and_id_token_hint_are_accepted(
    server: ServerProcess, browser: httpx.Client
) -> None:
    app = make_app()
    response = browser.get(
        authorize_url(
            app.client_id,
            app.redirect_uri,
            state=STATE,
            login_hint="someone@example.com",
            ui_locales="fr-CA fr en",
            display="popup",
            acr_values="urn:mace:incommon:iap:silver",
            id_token_hint="eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
            claims_locales="fr",
        )
    )
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith("/a/auth/login?")
    assert query_of(location)["login_hint"] == "someone@example.com"
    assert "error" not in query_of(location)


def test_prompt_login_forces_a_new_sign_in_even_with_a_session(
    server: ServerProcess, signed_in: SignedIn, clock: Clock
) -> None:
    app = make_app()
    old_session = signed_in.person.http.cookies["tenantry_session"]
    clock.advance(5)  # the session was made well before this request
    response = signed_in.person.http.get(
        authorize_url(app.client_id, app.redirect_uri, state=STATE, prompt="login")
    )
    assert response.status_code == 302, response.text
    login = response.headers["location"]
    assert login.startswith("/a/auth/login?"), login
    assert codes_issued(app) == 0

    location = signed_in.person.sign_in(signed_in.email, req=query_of(login)["req"])
    final = signed_in.person.follow(location, stop_at=app.redirect_uri)
    params = query_of(final.headers["location"])
    assert params["state"] == STATE
    assert "code" in params
    assert signed_in.person.http.cookies["tenantry_session"] != old_session


def test_prompt_create_goes_to_the_signup_page(server: ServerProcess, browser: httpx.Client) -> None:
    app = make_app()
    response = browser.get(authorize_url(app.client_id, app.redirect_uri, state=STATE, prompt="create"))
    assert response.status_code == 302, response.text
    assert response.headers["location"].startswith("/a/auth/signup?")
    assert "req" in query_of(response.headers["location"])


def test_max_age_zero_forces_a_new_sign_in(server: ServerProcess, signed_in: SignedIn, clock: Clock) -> None:
    """OpenID Connect Core §3.1.2.1: max_age=0 means "authenticate again now"; the sign-in that
    follows satisfies it, even when the browser reaches /resume in the next wall-clock second."""
    app = make_app()
    clock.advance(2)
    response = signed_in.person.http.get(
        authorize_url(app.client_id, app.redirect_uri, state=STATE, max_age="0")
    )
    assert response.status_code == 302, response.text
    login = response.headers["location"]
    assert login.startswith("/a/auth/login?"), login
    assert codes_issued(app) == 0

    location = signed_in.person.sign_in(signed_in.email, req=query_of(login)["req"])
    assert location.startswith("/oauth/authorize/resume?"), location
    clock.advance(1)  # the browser reaches /resume in the next wall-clock second
    resumed = signed_in.person.http.get(location)
    assert resumed.status_code == 302, resumed.text
    back = resumed.headers["location"]
    assert back.startswith(app.redirect_uri), f"the fresh sign-in did not satisfy max_age=0: sent to {back}"
    assert query_of(back)["state"] == STATE
    assert "code" in query_of(back)


def test_native_app_loopback_redirect_matches_on_any_port_but_not_another_path(
    server: ServerProcess, browser: httpx.Client
) -> None:
    app = make_app(client_type="public", is_native=True, redirect_uris=["http://127.0.0.1/callback"])
    _, challenge = pkce_pair()
    pkce = {"code_challenge": challenge, "code_challenge_method": "S256"}
    for port in ("51234", "8080"):
        uri = f"http://127.0.0.1:{port}/callback"
        accepted = browser.get(authorize_url(app.client_id, uri, state=STATE, **pkce))
        assert accepted.status_code == 302, accepted.text
        assert accepted.headers["location"].startswith("/a/auth/login?")
        # An error goes back to the port the app is listening on.
        error = browser.get(authorize_url(app.client_id, uri, state=STATE, response_type="token", **pkce))
        assert_error_redirect(server, error, app, "unsupported_response_type", redirect_uri=uri)
    for wrong in (
        "http://127.0.0.1:51234/other",
        "http://127.0.0.1:51234/callback/",
        "http://127.0.0.1:51234/callback?x=1",
        "https://127.0.0.1:51234/callback",
        "http://192.168.1.10:51234/callback",
    ):
        assert_error_page(browser.get(authorize_url(app.client_id, wrong, state=STATE, **pkce)), app)


def test_discovery_advertises_exactly_the_prompts_it_honours(
    server: ServerProcess, browser: httpx.Client
) -> None:
    metadata = browser.get("/.well-known/openid-configuration").json()
    assert sorted(metadata["prompt_values_supported"]) == ["create", "login", "none"]
    assert metadata["authorization_response_iss_parameter_supported"] is True
    assert metadata["request_parameter_supported"] is False
    assert metadata["request_uri_parameter_supported"] is False
    assert metadata["code_challenge_methods_supported"] == ["S256"]
