"""/sso/*: the trip through an organization's identity provider and back.

- `GET /sso/start/<id>`: a sign-in through an active connection (home-realm discovery and
  `/oauth/authorize?connection_id=` lead here), carrying the app's request along.
- `GET /sso/test/<id>`: an admin's test sign-in; the result page shows what arrived.
- `POST /sso/callback/saml/<id>` (the ACS) and `GET /sso/callback/oidc/<id>`: the IdP's answer.

The browser gets a cookie per attempt; the answer is accepted only with it. A SAML answer is a
cross-site POST, which does not carry SameSite=Lax cookies: where cookies cannot be
SameSite=None (plain-HTTP development), the ACS answers with a page that posts the answer again
from our own origin, which does carry them.
"""

import logging
from html import escape
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.response import Redirect

from host.auth_pages import WINDOW_SECONDS, next_location, safe_return_to, start_session, wait_in_words
from host.input_validation import LARGER_BODIES
from host.oauth.authorization_request import AuthorizationRequest
from host.pages import message_page
from host.runtime import Runtime, runtime
from host.security import client_ip
from host.session import current_session
from resolvers.connection_rows import load_connection
from resolvers.errors import DomainError
from resolvers.federated_identity import REASONS, FederationRefused
from resolvers.memberships import user_principal
from resolvers.sso_attempts import ATTEMPT_ID_MAX, ATTEMPT_PREFIX
from resolvers.sso_connections import authorized_connection
from resolvers.sso_sign_in import (
    SIGN_IN,
    TEST,
    Arrival,
    Departure,
    arrive,
    arrive_unsolicited,
    depart,
    usable_connection,
)
from resolvers.users import find_user

logger = logging.getLogger(__name__)
COOKIE_PREFIX = "tn_sso_"
LOGIN_HINT_MAX = 320
CALLBACK_PATH = "/sso/callback"
AUTO_SUBMIT_JS = "document.forms[0].submit();\n"
NO_STORE = {"Cache-Control": "no-store"}
SAML_ANSWER_BYTES = LARGER_BODIES["/sso/callback/saml/"]


def _attempt_cookie(run: Runtime, departure: Departure) -> Cookie:
    secure = run.settings.secure_cookies
    return Cookie(
        key=COOKIE_PREFIX + departure.attempt_id,
        value=departure.browser_secret,
        path=CALLBACK_PATH,
        httponly=True,
        secure=secure,
        samesite="none" if secure else "lax",
        max_age=600,
    )


def _cleared_cookie(run: Runtime, attempt_id: str) -> Cookie:
    return Cookie(key=COOKIE_PREFIX + attempt_id, value="", path=CALLBACK_PATH, max_age=0, httponly=True)


def _form_page(url: str, fields: dict[str, str], *, heading: str) -> Response[Any]:
    """A form posted by /a/sso-submit.js (the CSP allows only our own scripts), or by hand."""
    inputs = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in fields.items()
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(heading)}</title>
<link rel="stylesheet" href="/a/branding.css"><link rel="stylesheet" href="/a/page.css">
<script src="/a/sso-submit.js" defer></script></head>
<body><main class="tn-card"><form method="post" action="{escape(url)}">{inputs}
<h1>{escape(heading)}</h1><button class="tn-button" type="submit">Continue</button></form>
</main></body></html>"""
    return Response(page, media_type="text/html", headers=NO_STORE)


@get("/a/sso-submit.js", name="sso_submit_js")
async def sso_submit_js() -> Response[str]:
    return Response(
        AUTO_SUBMIT_JS, media_type="text/javascript", headers={"Cache-Control": "public, max-age=3600"}
    )


def _go(run: Runtime, departure: Departure) -> Response[Any]:
    response = (
        _form_page(departure.url, departure.form, heading="Continuing to your identity provider")
        if departure.form is not None
        else Redirect(departure.url, headers=NO_STORE)
    )
    response.set_cookie(_attempt_cookie(run, departure))
    return response


async def _too_many(request: Request[Any, Any, Any], run: Runtime) -> Response[Any] | None:
    """Each trip writes an attempt and each answer costs a signature check: per address, as many
    as sign-in emails (TENANTRY_RATE_SIGN_IN_PER_IP per ten minutes)."""
    key = f"sso-ip:{client_ip(request, run.settings)}"
    wait = await run.limiter.hit(key, run.settings.sign_in_requests_per_ip, WINDOW_SECONDS)
    if wait is None:
        return None
    page = await _unavailable(
        f"Too many sign-in attempts from your network. Try again in {wait_in_words(wait)}.", 429
    )
    page.headers["Retry-After"] = str(wait)
    return page


def _hint(value: str | None) -> str | None:
    """A login hint worth passing on to the IdP: one address-sized line, else none."""
    return value if value and len(value) <= LOGIN_HINT_MAX and value.isprintable() else None


async def _unavailable(message: str, status_code: int = 400) -> Response[Any]:
    return await message_page(
        title="Single sign-on is not available",
        message=message,
        testid="sso-error",
        status_code=status_code,
    )


@get("/sso/start/{connection_id:str}", name="sso_start")
async def sso_start(request: Request[Any, Any, Any], connection_id: str) -> Response[Any]:
    run = runtime(request)
    if limited := await _too_many(request, run):
        return limited
    handle = request.query_params.get("req") or None
    if handle and AuthorizationRequest.decode(run.deployment.secret_key, handle) is None:
        return await _unavailable("This sign-in has expired. Go back to the application and start again.")
    try:
        connection = await usable_connection(connection_id, SIGN_IN)
        departure = await depart(
            run.deployment,
            connection,
            purpose=SIGN_IN,
            authorization_request=handle,
            return_to=safe_return_to(request.query_params.get("return_to")),
            login_hint=_hint(request.query_params.get("login_hint")),
        )
    except FederationRefused as refused:
        return await _unavailable(refused.message)
    return _go(run, departure)


@get("/sso/test/{connection_id:str}", name="sso_test")
async def sso_test(request: Request[Any, Any, Any], connection_id: str) -> Response[Any]:
    run = runtime(request)
    session = await current_session(request, run.settings)
    if session is None:
        return Redirect("/a/auth/login?" + urlencode({"return_to": request.url.path}), headers=NO_STORE)
    if limited := await _too_many(request, run):
        return limited
    found = await _connection_under_test(session.user_id, session.id, connection_id)
    if isinstance(found, Response):
        return found
    try:
        connection = await usable_connection(found, TEST)
        departure = await depart(run.deployment, connection, purpose=TEST, started_by=session.user_id)
    except FederationRefused as refused:
        return await _unavailable(refused.message)
    return _go(run, departure)


async def _connection_under_test(user_id: str, session_id: str, connection_id: str) -> str | Response[Any]:
    """The connection's id when the person manages SSO in its organization; else a 404 page that
    says nothing of whether the connection exists."""
    found = await load_connection(connection_id)
    if found is not None:
        principal = await user_principal(user_id, session_id, found.organization_id, portal=True)
        try:
            await authorized_connection(principal, connection_id, "sk_org_sso_manage")
            return connection_id
        except DomainError:
            pass
    return await _unavailable("No such connection, or you may not test it.", status_code=404)


def _browser_secret(request: Request[Any, Any, Any], attempt_id: str) -> str | None:
    if not attempt_id or len(attempt_id) > ATTEMPT_ID_MAX:
        return None
    return request.cookies.get(COOKIE_PREFIX + attempt_id)


@post(
    f"{CALLBACK_PATH}/saml/{{connection_id:str}}",
    name="sso_saml_callback",
    status_code=200,
    request_max_body_size=SAML_ANSWER_BYTES,
)
async def saml_callback(request: Request[Any, Any, Any], connection_id: str) -> Response[Any]:
    form = await request.form()
    saml_response = str(form.get("SAMLResponse") or "")
    attempt_id = str(form.get("RelayState") or "")
    if not attempt_id.startswith(ATTEMPT_PREFIX):  # no attempt of ours: the IdP started this
        return await _unsolicited(request, connection_id, saml_response)
    secret = _browser_secret(request, attempt_id)
    if secret is None and attempt_id and not form.get("again"):
        # a cross-site POST without our SameSite=Lax cookie: post it again from our own origin
        fields = {"SAMLResponse": saml_response, "RelayState": attempt_id, "again": "1"}
        return _form_page(request.url.path, fields, heading="Signing you in")
    return await _answered(request, connection_id, attempt_id, secret, saml_response=saml_response)


@get(f"{CALLBACK_PATH}/oidc/{{connection_id:str}}", name="sso_oidc_callback")
async def oidc_callback(request: Request[Any, Any, Any], connection_id: str) -> Response[Any]:
    params = {key: str(value) for key, value in request.query_params.items()}
    attempt_id = params.get("state", "")
    secret = _browser_secret(request, attempt_id)
    return await _answered(request, connection_id, attempt_id, secret, oidc_params=params)


async def _unsolicited(
    request: Request[Any, Any, Any], connection_id: str, saml_response: str
) -> Response[Any]:
    """IdP-initiated: where the connection allows it, a session, then the application's own sign-in
    (OpenID Connect Core §4: its initiate-login URI with our issuer and the person's address)."""
    run = runtime(request)
    if limited := await _too_many(request, run):
        return limited
    try:
        arrival = await arrive_unsolicited(run.deployment, connection_id, saml_response)
    except FederationRefused as refused:
        return await _refused_page(refused)
    current = await current_session(request, run.settings)
    if current is not None and current.user_id != arrival.user_id:
        # an answer posted from another site must not swap the person signed in here (login CSRF)
        return await _unavailable(
            "Someone else is signed in in this browser. Sign out first, then start again from your "
            "identity provider."
        )
    cookie = await start_session(
        request, run, arrival.user_id, ["fed"], sso_connection_id=arrival.connection.id
    )
    separator = "&" if "?" in arrival.initiate_login_uri else "?"
    query = urlencode({"iss": run.deployment.issuer, "login_hint": arrival.email})
    return Redirect(
        f"{arrival.initiate_login_uri}{separator}{query}", headers=NO_STORE, cookies=[cookie], status_code=303
    )


async def _answered(
    request: Request[Any, Any, Any],
    connection_id: str,
    attempt_id: str,
    secret: str | None,
    *,
    saml_response: str | None = None,
    oidc_params: dict[str, str] | None = None,
) -> Response[Any]:
    run = runtime(request)
    try:
        arrival = await arrive(
            run.deployment,
            connection_id,
            attempt_id=attempt_id,
            browser_secret=secret,
            saml_response=saml_response,
            oidc_params=oidc_params,
        )
    except FederationRefused as refused:
        return await _refused_page(refused)
    cleared = _cleared_cookie(run, arrival.attempt.id)
    if arrival.attempt.purpose == TEST:
        response = await _test_result_page(arrival)
    elif arrival.refused is not None or arrival.user_id is None:
        response = await _refused_page(
            arrival.refused or FederationRefused("connection_unavailable"),
            arrival.attempt.authorization_request,
        )
    else:
        response = await _signed_in(request, run, arrival, arrival.user_id)
    response.set_cookie(cleared)
    return response


async def _signed_in(
    request: Request[Any, Any, Any], run: Runtime, arrival: Arrival, user_id: str
) -> Response[Any]:
    cookie = await start_session(request, run, user_id, ["fed"], sso_connection_id=arrival.connection.id)
    user = await find_user(user_id)
    location = await next_location(
        user_id,
        arrival.attempt.authorization_request or "",
        arrival.attempt.return_to,
        needs_profile=user is None or not user.has_full_name,
    )
    return Redirect(location, headers=NO_STORE, cookies=[cookie], status_code=303)


async def _refused_page(refused: FederationRefused, request_handle: str | None = None) -> Response[Any]:
    """Why, in the reason's general words (the details, which may name the IdP's endpoints or
    addresses, are for the admin's test page and the logs), and the way back to sign-in."""
    back = "/a/auth/login" + (f"?{urlencode({'req': request_handle})}" if request_handle else "")
    logger.info("SSO sign-in refused: %s: %s", refused.reason, refused.message)
    return await message_page(
        title="We could not sign you in",
        message=f"{REASONS[refused.reason]} If this keeps happening, tell your organization's administrator.",
        testid="sso-error",
        status_code=400,
        body_html=f'<p data-testid="sso-reason">Reason: {escape(refused.reason)}</p>'
        f'<a class="tn-button" href="{escape(back)}" data-testid="sso-back">Back to sign in</a>',
    )


def _rows(pairs: list[tuple[str, str]]) -> str:
    return "".join(
        f'<tr><th scope="row">{escape(name)}</th><td>{escape(value)}</td></tr>' for name, value in pairs
    )


async def _test_result_page(arrival: Arrival) -> Response[Any]:
    """What an admin sees in the test tab; the portal shows the same from `lastTest`."""
    close = "<p>Close this tab and go back to the portal.</p>"
    if arrival.refused is not None:
        details = _rows([(name, str(value)) for name, value in arrival.refused.details.items()])
        return await message_page(
            title="The test failed",
            message=arrival.refused.message,
            testid="sso-test-failed",
            status_code=400,
            body_html=f'<p data-testid="sso-reason">Reason: {escape(arrival.refused.reason.upper())}</p>'
            + (f'<table data-testid="sso-details">{details}</table>' if details else "")
            + close,
        )
    identity = arrival.identity
    assert identity is not None  # noqa: S101 - a test without a refusal read a person
    summary = _rows(
        [
            ("Subject", identity.subject),
            ("Email", identity.email),
            ("First name", identity.first_name),
            ("Last name", identity.last_name),
            ("Groups", ", ".join(identity.groups)),
        ]
    )
    attributes = _rows([(name, ", ".join(values)) for name, values in identity.attributes.items()])
    return await message_page(
        title="The test succeeded",
        message=f"{arrival.connection.name} signed in {identity.email}. "
        + (
            "You can enable the connection now."
            if arrival.attempt.settings_version == arrival.connection.settings_version
            else "Its settings changed since this test started: test again to enable it."
        ),
        testid="sso-test-succeeded",
        body_html=f'<table data-testid="sso-identity">{summary}</table>'
        "<h2>Every attribute the identity provider sent</h2>"
        f'<table data-testid="sso-attributes">{attributes}</table>' + close,
    )
