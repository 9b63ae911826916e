"""Refuse input no handler can use before any handler runs: malformed JSON, NUL bytes, lone
surrogates, control characters, and JSON nested too deeply.

Such input used to reach the database (PostgreSQL refuses NUL, both engines refuse lone
surrogates) or the JSON decoder and come back as a 500. Here it is a 400 in the endpoint's own
error style: RFC 6749 `invalid_request` under /oauth, the hosted pages' `{"error", "message"}`,
GraphQL's `{"errors": [...]}` with a code, and Litestar's shape elsewhere.
"""

import json
import re
from html import escape
from typing import Any
from urllib.parse import unquote_to_bytes

from litestar.types import ASGIApp, HTTPRequestEvent, Receive, ReceiveMessage, Scope, Send

from resolvers.text import describe_character, text_problem

CONTROL_BYTE = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")  # C0 controls but tab, and DEL
MAX_JSON_DEPTH = 32
TOO_DEEP = f"The JSON body is nested deeper than {MAX_JSON_DEPTH} levels."
MAX_BODY_BYTES = 64 * 1024
# a SAML answer (base64, with an IdP's certificates and groups) can outgrow an API body
LARGER_BODIES = {
    "/sso/callback/saml/": 512 * 1024,
    "/scim/": 1024 * 1024,  # a group pushed whole, with thousands of members
}
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
JSON_PATHS = ("/graphql", "/a/auth/api/")  # their handlers read the body as JSON whatever its type
OAUTH_APIS = ("/oauth/token", "/oauth/revoke", "/oauth/userinfo")
OTHER_APIS = ("/keys", "/.well-known/", "/health/", "/scim/")
READ_HEADERS = {
    b"x-csrf-token",
    b"authorization",
    b"cookie",
    b"x-forwarded-for",
    b"content-type",
    b"user-agent",
}


class BadInput(Exception):
    """Input refused at the edge; `malformed` when the body's shape, not one value, is wrong."""

    def __init__(self, message: str, *, malformed: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.malformed = malformed


def check_text(value: str, field: str) -> None:
    if problem := text_problem(value):
        raise BadInput(f"{_field_label(field)} contains {problem}, which is not allowed.")


def _field_label(field: str) -> str:
    """Names the field, unless its own name is what is wrong (or too long to show)."""
    if field and len(field) <= 80 and text_problem(field) is None:
        return f"The field {field!r}"
    return "A field name"


def check_urlencoded(raw: bytes, where: str) -> None:
    """Every name and value of a query string or form body must be UTF-8 text without controls."""
    for pair in raw.split(b"&"):
        if not pair:
            continue
        name, _, value = pair.partition(b"=")
        decoded_name = _decode(unquote_to_bytes(name.replace(b"+", b" ")), where)
        check_text(decoded_name, where)
        check_text(_decode(unquote_to_bytes(value.replace(b"+", b" ")), decoded_name), decoded_name)


def _decode(raw: bytes, field: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadInput(f"{_field_label(field)} is not valid UTF-8 text.") from error


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(body: bytes) -> Any:
    """Strict JSON (UTF-8, no NaN or Infinity), every string checked, at most MAX_JSON_DEPTH deep."""
    try:
        document = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError as error:
        raise BadInput("The request body is not valid UTF-8.", malformed=True) from error
    except RecursionError as error:
        raise BadInput(TOO_DEEP, malformed=True) from error
    except ValueError as error:
        raise BadInput(f"The request body is not valid JSON ({error}).", malformed=True) from error
    check_json(document, "", 0)
    return document


def check_json(value: Any, path: str, depth: int) -> None:
    if depth > MAX_JSON_DEPTH:
        raise BadInput(TOO_DEEP, malformed=True)
    if isinstance(value, str):
        check_text(value, path)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key, path)
            check_json(item, f"{path}.{key}" if path else key, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_json(item, f"{path}[{index}]", depth + 1)


def check_graphql_request(document: Any) -> None:
    """A GraphQL-over-HTTP request is an object; variables and extensions are objects too."""
    if not isinstance(document, dict):
        raise BadInput("A GraphQL request is a JSON object with a `query` string.", malformed=True)
    if not isinstance(document.get("query"), str | None):
        raise BadInput("`query` must be a string.", malformed=True)
    if not isinstance(document.get("operationName"), str | None):
        raise BadInput("`operationName` must be a string or null.", malformed=True)
    for key in ("variables", "extensions"):
        if not isinstance(document.get(key), dict | None):
            raise BadInput(f"`{key}` must be a JSON object or null.", malformed=True)


def check_headers(headers: list[tuple[bytes, bytes]]) -> None:
    """Control bytes in a header handlers read (and may store, like User-Agent) are refused.

    Bytes 0x80 and above pass: headers are bytes, and a UTF-8 cookie set by another application
    on the same host must not lock a browser out of Tenantry.
    """
    for name, value in headers:
        if name in READ_HEADERS and (found := CONTROL_BYTE.search(value)):
            character = describe_character(chr(found.group()[0]))
            raise BadInput(f"The {name.decode()} header contains {character}, which is not allowed.")


def check_body(path: str, content_type: str, body: bytes) -> None:
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/x-www-form-urlencoded":
        check_urlencoded(body, "form")
    elif media_type == "application/json" or media_type.endswith("+json") or path.startswith(JSON_PATHS):
        if not body.strip():
            return
        document = parse_json(body)
        if path == "/graphql":
            check_graphql_request(document)
        elif not isinstance(document, dict):
            raise BadInput("The request body must be a JSON object.", malformed=True)
    elif media_type.startswith(("multipart/", "text/")):
        check_text(_decode(body, "body"), "body")


def input_validation_middleware(app: ASGIApp) -> ASGIApp:
    """Check the query string, the headers handlers read and the body, then replay the body."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # type: ignore[comparison-overlap]
            await app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        headers = list(scope.get("headers", []))
        try:
            check_urlencoded(scope.get("query_string", b""), "query")
            check_headers(headers)
        except BadInput as refusal:
            await refuse(scope, send, refusal)
            return
        if scope.get("method") not in BODY_METHODS:
            await app(scope, receive, send)
            return
        limit = next(
            (size for prefix, size in LARGER_BODIES.items() if path.startswith(prefix)), MAX_BODY_BYTES
        )
        body, more, replay = await read_body(receive, limit)
        if more:
            if path.startswith("/scim/"):
                await send_answer(
                    send, 413, SCIM_MEDIA_TYPE, scim_error(413, "The request body is too large.")
                )
                return
            await send_answer(send, 413, "text/plain; charset=utf-8", b"The request body is too large.")
            return
        content_type = next((v.decode("latin-1") for n, v in headers if n == b"content-type"), "")
        try:
            check_body(path, content_type, body)
        except BadInput as refusal:
            await refuse(scope, send, refusal)
            return
        await app(scope, replay, send)

    return middleware


async def read_body(receive: Receive, limit: int = MAX_BODY_BYTES) -> tuple[bytes, bool, Receive]:
    """The whole body (up to `limit` bytes), whether more was left, and a receive that replays it."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        more = bool(message.get("more_body", False))
        if size > limit:
            return b"", True, receive
    body = b"".join(chunks)
    replayed = False

    async def replay() -> ReceiveMessage:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        whole: HTTPRequestEvent = {"type": "http.request", "body": body, "more_body": False}
        return whole

    return body, False, replay


def error_body(scope: Scope, refusal: BadInput) -> tuple[str, bytes]:
    """The refusal in the style of the endpoint that was asked: JSON for APIs, a page for the
    pages a browser opens or posts a form to (a bad sign-in link shows a page, as RFC 6749 §4.1.2.1
    wants for a bad client_id)."""
    path = str(scope.get("path", ""))
    if path == "/graphql":
        code = "BAD_REQUEST" if refusal.malformed else "BAD_INPUT"
        payload: Any = {"errors": [{"message": refusal.message, "extensions": {"code": code}}]}
    elif path.startswith("/a/auth/api/"):
        payload = {"error": "invalid_request", "message": refusal.message}
    elif path.startswith(OAUTH_APIS):
        payload = {"error": "invalid_request", "error_description": refusal.message}
    elif path.startswith("/scim/"):
        return SCIM_MEDIA_TYPE, scim_error(
            400, refusal.message, "invalidSyntax" if refusal.malformed else "invalidValue"
        )
    elif not path.startswith(OTHER_APIS):
        return "text/html; charset=utf-8", _html_page(refusal.message)
    else:
        payload = {"status_code": 400, "detail": refusal.message}
    return "application/json", json.dumps(payload).encode()


SCIM_MEDIA_TYPE = "application/scim+json"


def scim_error(status: int, detail: str, scim_type: str = "") -> bytes:
    """An RFC 7644 §3.12 error body."""
    error: dict[str, Any] = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
        "status": str(status),
        "detail": detail,
    }
    if scim_type:
        error["scimType"] = scim_type
    return json.dumps(error).encode()


def _html_page(message: str) -> bytes:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>This link is not valid</title>
<link rel="stylesheet" href="/a/branding.css"><link rel="stylesheet" href="/a/page.css">
</head><body><main class="tn-card" data-testid="bad-input">
<h1>This link is not valid</h1>
<p data-testid="page-message" role="alert">{escape(message)} Check the link, or go back and try again.</p>
</main></body></html>""".encode()


async def refuse(scope: Scope, send: Send, refusal: BadInput) -> None:
    content_type, body = error_body(scope, refusal)
    await send_answer(send, 400, content_type, body)


async def send_answer(send: Send, status: int, content_type: str, body: bytes) -> None:
    start: Any = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", content_type.encode()), (b"cache-control", b"no-store")],
    }
    await send(start)
    whole: Any = {"type": "http.response.body", "body": body}
    await send(whole)
