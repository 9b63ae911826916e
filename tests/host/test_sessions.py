"""Sessions end at the environment's default absolute timeout, and everything issued from them with it."""

import httpx

from tests.host.oauth.conftest import exchange_code, signed_up_code
from tests.support.factories import App
from tests.support.people import Person, authorize_url, query_of
from tests.support.server import ServerProcess

WEEK_AND_A_MINUTE = 7 * 24 * 3600 + 60


def test_a_session_past_the_default_absolute_timeout_is_over_everywhere(
    server: ServerProcess, app: App, person: Person, clock: object
) -> None:
    code, verifier, _ = signed_up_code(person, app)
    tokens = exchange_code(server.url, app, code, verifier).json()
    silent = person.http.get(authorize_url(app.client_id, app.redirect_uri, prompt="none", state="s1"))
    assert "code" in query_of(silent.headers["location"]), "within the timeout, prompt=none succeeds"

    clock.advance(WEEK_AND_A_MINUTE)  # type: ignore[attr-defined]

    expired = person.http.get(authorize_url(app.client_id, app.redirect_uri, prompt="none", state="s2"))
    assert query_of(expired.headers["location"])["error"] == "login_required"
    refreshed = httpx.post(
        f"{server.url}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        auth=(app.client_id, app.client_secret or ""),
    )
    assert refreshed.json()["error"] == "invalid_grant"
