"""What an app hears when a session ends: its logout token, checked claim by claim (OpenID Connect
Back-Channel Logout 1.0 §2.4, §2.6), and the session's `user.logout` events."""

import time
from typing import Any
from urllib.parse import parse_qs

from db.events import Event
from tests.host.oauth.conftest import verify_jwt
from tests.support.factories import App, run
from tests.support.receiver import Receiver
from tests.support.server import ServerProcess

LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"


def logout_claims(server: ServerProcess, receiver: Receiver, app: App) -> dict[str, Any]:
    (request,) = receiver.wait_for(1, timeout=30)
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    (token,) = parse_qs(request.body.decode())["logout_token"]
    claims = verify_jwt(server.url, token)
    header = claims.pop("__header__")
    assert header["typ"] == "logout+jwt"
    assert header["alg"] == "RS256"
    assert claims["iss"] == server.url
    assert claims["aud"] == app.client_id
    assert abs(claims["iat"] - time.time()) < 10 * 86_400  # issued "now" (tests may move the clock)
    assert 0 < claims["exp"] - claims["iat"] <= 300
    assert claims["events"] == {LOGOUT_EVENT: {}}
    assert claims["jti"]
    assert "nonce" not in claims
    return claims


def events_of(session_id: str) -> list[tuple[str, str]]:
    rows = run(Event.select(Event.type, Event.data).output(load_json=True).run())
    return [
        (row["type"], row["data"]["reason"]) for row in rows if row["data"].get("session_id") == session_id
    ]
