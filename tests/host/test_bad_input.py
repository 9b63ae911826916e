"""Bad input at the HTTP edge is a clear 400 in the endpoint's own error style, never a 500, and
writes nothing."""

import json
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.support.factories import App
from tests.support.people import Person
from tests.support.row_counts import nothing_written
from tests.support.server import ServerProcess

BROKEN_TEXTS = {
    "nul": "a\x00b",
    "lone surrogate": "a\ud800b",
    "control character": "a\x1bb",
}


def raw_json(value: str) -> bytes:
    """JSON text for `value` as a client might send it (json.dumps escapes surrogates and NUL)."""
    return json.dumps({"email": value, "intent": "login"}).encode()


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"email": "\\ud800@example.com"}', b'{"email": "\xff\xfe"}', b"[1, 2", b"NaN"],
    ids=["syntax", "escaped lone surrogate", "not utf-8", "truncated", "nan"],
)
def test_a_malformed_json_body_on_the_sign_in_api_is_an_invalid_request(person: Person, body: bytes) -> None:
    with nothing_written():
        response = person.http.post(
            "/a/auth/api/email",
            content=body,
            headers={"X-CSRF-Token": person.csrf(), "Content-Type": "application/json"},
        )
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_request"
    assert response.json()["message"]


@pytest.mark.parametrize("text", BROKEN_TEXTS.values(), ids=BROKEN_TEXTS.keys())
def test_a_string_no_database_can_store_is_refused_on_the_sign_in_api(person: Person, text: str) -> None:
    with nothing_written():
        response = person.http.post(
            "/a/auth/api/email",
            content=raw_json(f"someone{text}@example.com"),
            headers={"X-CSRF-Token": person.csrf(), "Content-Type": "application/json"},
        )
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_request"
    assert "'email'" in response.json()["message"], "the message names the field"


def test_a_non_ascii_csrf_header_is_a_csrf_failure_not_a_crash(person: Person) -> None:
    person.csrf()
    response = person.http.post(
        "/a/auth/api/email",
        json={"email": "someone@example.com"},
        headers={b"X-CSRF-Token": "tökén".encode()},
    )
    assert response.status_code == 403, response.text
    assert response.json()["error"] == "csrf_failed"


@pytest.mark.parametrize("path", ["/a/auth/magic", "/ui/logout", "/oauth/logout/confirm"])
def test_a_non_ascii_csrf_form_field_is_refused_not_a_crash(person: Person, path: str) -> None:
    person.csrf()
    response = person.http.post(path, data={"csrf_token": "tökén", "flow": "x", "token": "y"})
    assert 400 <= response.status_code < 500, response.text


@pytest.mark.parametrize("body", [b"null", b"5", b'"query"', b"[]", b"true"])
def test_a_graphql_body_that_is_not_an_object_is_a_bad_request(server: ServerProcess, body: bytes) -> None:
    response = httpx.post(f"{server.url}/graphql", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    "request_body",
    [
        {"query": 5},
        {"query": "{ branding { appName } }", "variables": 5},
        {"query": "{ branding { appName } }", "variables": []},
        {"query": "{ branding { appName } }", "operationName": {"a": 1}},
    ],
    ids=["query not a string", "variables a number", "variables a list", "operation name an object"],
)
def test_a_graphql_request_of_the_wrong_shape_is_a_bad_request(
    server: ServerProcess, request_body: dict[str, Any]
) -> None:
    response = httpx.post(f"{server.url}/graphql", json=request_body)
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize("depth", [33, 5000])
def test_graphql_variables_nested_too_deeply_are_a_bad_request(server: ServerProcess, depth: int) -> None:
    nested = "[" * depth + "]" * depth
    body = '{"query": "query ($x: JSON) { branding { appName } }", "variables": {"x": ' + nested + "}}"
    response = httpx.post(
        f"{server.url}/graphql", content=body.encode(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert "nested deeper" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("text", BROKEN_TEXTS.values(), ids=BROKEN_TEXTS.keys())
def test_broken_text_in_a_client_id_is_an_oauth_invalid_request_or_a_page_for_the_browser(
    server: ServerProcess, app: App, text: str
) -> None:
    with nothing_written():
        query = encoded(client_id=app.client_id + text, response_type="code", redirect_uri=app.redirect_uri)
        authorize = httpx.get(f"{server.url}/oauth/authorize?{query}")
        token = httpx.post(
            f"{server.url}/oauth/token",
            content=encoded(grant_type="client_credentials", client_id=app.client_id + text).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert token.status_code == 400, token.text
    assert token.json()["error"] == "invalid_request"
    assert "client_id" in token.json()["error_description"]
    assert authorize.status_code == 400, "RFC 6749 §4.1.2.1: never redirect for a bad client_id"
    assert 'data-testid="bad-input"' in authorize.text and "client_id" in authorize.text


def test_broken_text_in_an_organization_id_is_refused_before_the_sign_in_starts(
    server: ServerProcess, app: App
) -> None:
    with nothing_written():
        response = httpx.get(
            f"{server.url}/oauth/authorize",
            params={
                "client_id": app.client_id,
                "response_type": "code",
                "redirect_uri": app.redirect_uri,
                "organization_id": "org_\x00",
            },
            headers={"Accept": "text/html"},
        )
    assert response.status_code == 400
    assert "organization_id" in response.text
    assert "text/html" in response.headers["content-type"], "a browser gets a page, not JSON"


@pytest.mark.parametrize("text", BROKEN_TEXTS.values(), ids=BROKEN_TEXTS.keys())
def test_broken_text_in_a_magic_link_is_refused(person: Person, text: str) -> None:
    with nothing_written():
        opened = person.http.get("/a/auth/magic?" + encoded(flow="flow" + text, token="t" + text))
        confirmed = person.http.post(
            "/a/auth/magic",
            content=encoded(flow="flow" + text, token="t", csrf_token=person.csrf()).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    for response in (opened, confirmed):
        assert response.status_code == 400
        assert 'data-testid="bad-input"' in response.text, "refused at the edge with a page"
        assert "flow" in response.text, "naming the parameter"


def test_a_query_string_that_is_not_utf8_is_refused(server: ServerProcess) -> None:
    page = httpx.get(f"{server.url}/oauth/authorize?client_id=%ff%fe&response_type=code")
    assert page.status_code == 400
    assert "not valid UTF-8" in page.text
    api = httpx.get(f"{server.url}/oauth/userinfo?access_token=%ff%fe")
    assert (api.status_code, api.json()["error"]) == (400, "invalid_request")


def encoded(**params: str) -> str:
    """A query string or form body as a careless client builds it: lone surrogates pass through."""
    return "&".join(
        f"{name}={quote(value.encode('utf-8', 'surrogatepass'), safe='')}" for name, value in params.items()
    )


SIGN_IN_APIS = [
    "/a/auth/api/email",
    "/a/auth/api/resend",
    "/a/auth/api/code",
    "/a/auth/api/passkey/options",
    "/a/auth/api/passkey/verify",
    "/a/auth/api/profile",
    "/a/auth/api/organization",
    "/a/auth/api/invitation/decline",
    "/a/auth/api/switch-account",
]


@pytest.mark.parametrize("path", SIGN_IN_APIS)
def test_an_empty_body_on_a_sign_in_api_is_an_answer_not_a_crash(person: Person, path: str) -> None:
    """Found by the property test: an empty body reached Litestar's JSON decoder and raised."""
    response = person.http.post(
        path, content=b"", headers={"X-CSRF-Token": person.csrf(), "Content-Type": "application/json"}
    )
    assert response.status_code < 500, response.text
    assert isinstance(response.json(), dict)


def test_a_utf8_cookie_set_by_another_application_on_the_host_does_not_lock_the_browser_out(
    server: ServerProcess,
) -> None:
    """Header bytes above 0x7f are legitimate UTF-8 (the € sign holds a C1 byte when read as Latin-1)."""
    response = httpx.get(f"{server.url}/a/auth/login", headers={b"Cookie": "other_app=prix 5 €".encode()})
    assert response.status_code == 200
