"""The hosted sign-in pages (/a/auth/*): HTML shells for the Lit elements, and their JSON API."""

import json
import re
from html import escape
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.exceptions import SerializationException
from litestar.response import Redirect

from host.asset_manifest import AUTH_ENTRY, FrontendNotBuilt, asset_manifest, not_built_page
from host.oauth.authorization_request import NO_ORGANIZATION, AuthorizationRequest
from host.pages import message_page
from host.runtime import Runtime, runtime
from host.security import client_ip, csrf_ok, csrf_token_for
from host.session import cleared_session_cookie, current_session, session_cookie
from host.sign_in_cookies import (
    cleared_invitation_cookie,
    followed_invitation,
    invitation_cookie,
    sign_in_browser,
)
from resolvers import invitation_answers, invitations, memberships, session_start, sessions, sign_in
from resolvers.emails import normalize_email
from resolvers.environment_settings import environment_settings
from resolvers.errors import DomainError
from resolvers.joining_by_email_domain import join_by_email_domain, joinable_organizations
from resolvers.pages import MAX_PAGE_SIZE
from resolvers.principal import UserPrincipal
from resolvers.sso_requirement import SsoRequired, discovery_for, sso_required_for
from resolvers.users import find_user, find_user_by_email, set_user_name

SIGNED_IN_PAGE = "/a/auth/signed-in"
AFTER_SIGN_IN = "/ui/"  # where a sign-in that no application asked for ends: the portal
WINDOW_SECONDS = 600


RETURN_TO_MAX = 2048
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*")


def safe_return_to(value: str | None) -> str:
    """Only same-origin paths: an open redirect would hand codes to an attacker."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return ""
    if len(value) > RETURN_TO_MAX:
        return ""
    if any(character <= " " or character == "\x7f" for character in value):
        return ""  # browsers drop tabs and newlines: "/\t/evil" would become "//evil"
    return value


def language_tags(value: str | None) -> str | None:
    """The well-formed tags of an OIDC ui_locales (space-separated, the preferred first), at most ten."""
    tags = [tag for tag in (value or "").split() if _LANGUAGE_TAG.fullmatch(tag)][:10]
    return " ".join(tags) or None


def api_error(status: int, code: str, message: str, **extra: Any) -> Response[Any]:
    headers = {"Cache-Control": "no-store"}
    if "retry_after" in extra:
        headers["Retry-After"] = str(extra["retry_after"])
    return Response({"error": code, "message": message, **extra}, status_code=status, headers=headers)


def domain_error(error: DomainError) -> Response[Any]:
    status = 429 if isinstance(error, sign_in.TooManyAttempts) else 400
    code = error.code if error.code != "invalid_input" else "invalid_request"
    if error.details.get("field") == "email":
        code = "invalid_email"
    extra = {k: v for k, v in error.details.items() if k == "attempts_left"}
    return api_error(status, code, error.message, **extra)


async def _shell(request: Request[Any, Any, Any], mode: str) -> Response[Any]:
    run = runtime(request)
    try:
        scripts = asset_manifest(run.settings.frontend_dist).head_tags(AUTH_ENTRY)
    except FrontendNotBuilt as missing:
        return await not_built_page(missing)
    settings = await environment_settings()
    step = request.query_params.get("step", "email")
    session = await current_session(request, run.settings)
    if step not in {"email", "profile", "organization"} or session is None:
        step = "email"
    req = request.query_params.get("req")
    auth_request = AuthorizationRequest.decode(run.deployment.secret_key, req) if req else None
    error = None
    if req and auth_request is None:
        error = {
            "code": "expired_request",
            "message": "This sign-in has expired. Go back to the application and start again.",
        }
        req = None
    config = {
        "mode": mode,
        "step": step,
        "req": req,
        "returnTo": safe_return_to(request.query_params.get("return_to")) or None,
        "loginHint": request.query_params.get("login_hint"),
        # The languages the application asked for at /oauth/authorize, else this page's own
        # ui_locales; the page falls back to the browser's languages.
        "uiLocales": language_tags(
            (auth_request.ui_locales if auth_request else None) or request.query_params.get("ui_locales")
        ),
        "appName": settings.app_name,
        "logoUrl": settings.logo_url,
        "error": error,
    }
    token, cookie = csrf_token_for(request, run.settings)
    title = "Create your account" if mode == "signup" else "Sign in"
    favicon = f'<link rel="icon" href="{escape(settings.favicon_url)}">' if settings.favicon_url else ""
    config_json = json.dumps(config).replace("<", "\\u003c")
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · {escape(settings.app_name)}</title>{favicon}
<meta name="csrf-token" content="{escape(token)}">
<link rel="stylesheet" href="/a/branding.css">
{scripts}
</head><body>
<script type="application/json" id="tn-config">{config_json}</script>
<tn-auth-page></tn-auth-page>
</body></html>"""
    response: Response[Any] = Response(page, media_type="text/html", headers={"Cache-Control": "no-store"})
    if cookie:
        response.set_cookie(cookie)
    return response


@get("/a/auth/login", name="login_page")
async def login_page(request: Request[Any, Any, Any]) -> Response[Any]:
    return await _shell(request, "login")


@get("/a/auth/signup", name="signup_page")
async def signup_page(request: Request[Any, Any, Any]) -> Response[Any]:
    return await _shell(request, "signup")


@get(SIGNED_IN_PAGE, name="signed_in_page")
async def signed_in_page(request: Request[Any, Any, Any]) -> Response[Any]:
    session = await current_session(request, runtime(request).settings)
    if session is None:
        return Redirect("/a/auth/login")
    return await message_page(
        title="You are signed in",
        message="You can close this window and return to the application.",
        testid="signed-in",
        body_html='<a class="tn-button" href="/oauth/logout" data-testid="sign-out">Sign out</a>',
    )


async def next_location(
    user_id: str, req: str, return_to: str, *, needs_profile: bool, offer_invitations: bool = True
) -> str:
    """After a sign-in: the application's request, else the profile step, else the organization
    step when invitations wait for an answer, else where the person was going."""
    if req:  # /oauth/authorize decides the profile and organization steps itself
        return "/oauth/authorize/resume?" + urlencode({"req": req})
    if needs_profile:
        return "/a/auth/login?" + urlencode({"step": "profile", "return_to": return_to or AFTER_SIGN_IN})
    if offer_invitations and await invitation_answers.pending_invitations(user_id):
        return "/a/auth/login?" + urlencode({"step": "organization", "return_to": return_to or AFTER_SIGN_IN})
    return return_to or AFTER_SIGN_IN


async def start_session(
    request: Request[Any, Any, Any],
    run: Runtime,
    user_id: str,
    amr: list[str],
    *,
    sso_connection_id: str | None = None,
) -> Cookie:
    """The cookie of the session this sign-in leaves the browser with (`resolvers/session_start.py`)."""
    started = await session_start.start_session(
        await current_session(request, run.settings),
        user_id=user_id,
        amr=amr,
        ip=client_ip(request, run.settings),
        user_agent=request.headers.get("user-agent", ""),
        sso_connection_id=sso_connection_id,
    )
    return session_cookie(run.settings, started)


async def json_body(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """The body's JSON object; {} for an empty body (the edge refused malformed JSON already)."""
    if not await request.body():
        return {}
    try:
        body = await request.json()
    except (SerializationException, ValueError, TypeError):
        body = None
    return body if isinstance(body, dict) else {}


def _code_sent(
    started: sign_in.StartedSignIn, browser_cookie: Cookie | None, *, notice: str = ""
) -> Response[Any]:
    """Where the code step goes on; `notice` when no new email went out (the held code works)."""
    body: dict[str, Any] = {"flow": started.flow_id, "email": started.email, "expires_in": started.expires_in}
    if notice:
        body["notice"] = notice
    return Response(
        body, headers={"Cache-Control": "no-store"}, cookies=[browser_cookie] if browser_cookie else None
    )


def wait_in_words(seconds: int) -> str:
    """When to try again as a person reads it: "7 minutes", "40 seconds"."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


async def over_limit(run: Runtime, limits: list[tuple[str, int]], message: str) -> Response[Any] | None:
    """Count one hit against each (key, limit); a 429 with Retry-After for the first one exceeded.

    `message` names the wait as `{wait}` ("Try again in {wait}." reads "Try again in 7 minutes.").
    """
    for key, limit in limits:
        wait = await run.limiter.hit(key, limit, WINDOW_SECONDS)
        if wait is not None:
            return api_error(429, "rate_limited", message.format(wait=wait_in_words(wait)), retry_after=wait)
    return None


SIGN_IN_IP_LIMITED = "Too many sign-in attempts from your network. Try again in {wait}."
SIGN_IN_EMAIL_LIMITED = (
    "Too many sign-in emails were sent to this address. Try again in {wait}. "
    "A code or link we already sent still works until it expires."
)


def _rate_limit_address(raw: str) -> str:
    """The address as it will be mailed, so respellings share one per-address limit."""
    try:
        return normalize_email(raw)
    except DomainError:
        return raw.strip().lower()


def csrf_failure(request: Request[Any, Any, Any]) -> Response[Any] | None:
    if not csrf_ok(request):
        return api_error(403, "csrf_failed", "This page has expired. Reload it and try again.")
    return None


@post("/a/auth/api/email", name="api_email", status_code=200)
async def api_email(request: Request[Any, Any, Any]) -> Response[Any]:
    if failure := csrf_failure(request):
        return failure
    run = runtime(request)
    body = await json_body(request)
    ip = client_ip(request, run.settings)
    email = _rate_limit_address(str(body.get("email") or ""))
    browser, browser_cookie = sign_in_browser(request, run.settings)
    limited = await over_limit(
        run, [(f"signin-ip:{ip}", run.settings.sign_in_requests_per_ip)], SIGN_IN_IP_LIMITED
    )
    if not limited and email:
        limited = await over_limit(
            run, [(f"signin-email:{email}", run.settings.sign_in_emails_per_address)], SIGN_IN_EMAIL_LIMITED
        )
    if limited:
        held = await sign_in.open_attempt(run.deployment, email, browser) if email else None
        if held is None:
            return limited
        wait = wait_in_words(int(limited.headers["Retry-After"]))
        return _code_sent(
            held,
            None,
            notice=f"We did not send another email: too many were sent to {held.email}. "
            f"Enter the code we sent before, or ask for a new one in {wait}.",
        )
    req = str(body.get("req") or "")
    if req and AuthorizationRequest.decode(run.deployment.secret_key, req) is None:
        return api_error(400, "expired_request", "This sign-in has expired. Go back to the application.")
    if realm := await discovery_for(str(body.get("email") or "")):
        # home-realm discovery: this address signs in at its organization's identity provider
        query = {"login_hint": email, "req": req, "return_to": safe_return_to(body.get("return_to"))}
        location = f"/sso/start/{realm.id}?" + urlencode({k: v for k, v in query.items() if v})
        return Response({"location": location, "sso": True}, headers={"Cache-Control": "no-store"})
    settings = await environment_settings()
    try:
        started = await sign_in.start_sign_in(
            run.deployment,
            email=str(body.get("email") or ""),
            intent=str(body.get("intent") or "login"),
            app_name=settings.app_name,
            first_name=str(body.get("first_name") or ""),
            last_name=str(body.get("last_name") or ""),
            request=req,
            return_to=safe_return_to(body.get("return_to")),
            ip=ip,
            browser=browser,
        )
    except DomainError as error:
        return domain_error(error)
    run.wake_jobs()
    return _code_sent(started, browser_cookie)


@post("/a/auth/api/resend", name="api_resend", status_code=200)
async def api_resend(request: Request[Any, Any, Any]) -> Response[Any]:
    if failure := csrf_failure(request):
        return failure
    run = runtime(request)
    body = await json_body(request)
    ip = client_ip(request, run.settings)
    flow_id = str(body.get("flow") or "")
    email = await sign_in.flow_email(flow_id)
    limited = await over_limit(
        run, [(f"signin-ip:{ip}", run.settings.sign_in_requests_per_ip)], SIGN_IN_IP_LIMITED
    )
    if not limited:
        limited = await over_limit(
            run,
            [(f"signin-email:{email}", run.settings.sign_in_emails_per_address)],
            "Too many codes were sent to this address. Try again in {wait}. "
            "The code you already have still works until it expires.",
        )
    if limited:
        return limited
    settings = await environment_settings()
    browser, browser_cookie = sign_in_browser(request, run.settings)
    try:
        started = await sign_in.restart_sign_in(
            run.deployment, flow_id, app_name=settings.app_name, ip=ip, browser=browser
        )
    except DomainError as error:
        return domain_error(error)
    run.wake_jobs()
    return _code_sent(started, browser_cookie)


@post("/a/auth/api/code", name="api_code", status_code=200)
async def api_code(request: Request[Any, Any, Any]) -> Response[Any]:
    if failure := csrf_failure(request):
        return failure
    run = runtime(request)
    body = await json_body(request)
    ip = client_ip(request, run.settings)
    limited = await over_limit(
        run,
        [(f"verify-ip:{ip}", run.settings.sign_in_requests_per_ip * 5)],
        "Too many attempts. Try again in {wait}.",
    )
    if limited:
        return limited
    try:
        verified = await sign_in.verify_code(
            run.deployment,
            str(body.get("flow") or ""),
            str(body.get("code") or ""),
            invitation_token=followed_invitation(request),
        )
    except DomainError as error:
        return domain_error(error)
    if refused := await sso_refusal(verified.user_id):
        return api_error(403, refused.code, refused.message)
    cookies = await signed_in_cookies(request, run, verified.user_id, ["otp", "email"])
    location = await next_location(
        verified.user_id, verified.request, verified.return_to, needs_profile=verified.needs_profile
    )
    return Response({"location": location}, headers={"Cache-Control": "no-store"}, cookies=cookies)


SSO_REQUIRED = (
    "Your organization requires single sign-on. Sign in with your email address: "
    "you will continue at your organization's identity provider."
)


async def sso_refusal(user_id: str) -> DomainError | None:
    """Why this person may not sign in with a code, link or passkey: their organization
    requires its identity provider (and they are not one of its break-glass admins)."""
    user = await find_user(user_id)
    if user is not None and await sso_required_for(user_id, user.email):
        return SsoRequired(SSO_REQUIRED)
    return None


async def signed_in_cookies(
    request: Request[Any, Any, Any], run: Runtime, user_id: str, amr: list[str]
) -> list[Cookie]:
    """The new session's cookie; a followed invitation link has had its answer, so it is forgotten."""
    cookies = [await start_session(request, run, user_id, amr)]
    if followed_invitation(request):
        cookies.append(cleared_invitation_cookie(run.settings))
    return cookies


async def _signed_in(
    request: Request[Any, Any, Any],
) -> tuple[Runtime, sessions.ActiveSession] | Response[Any]:
    if failure := (csrf_failure(request) if request.method != "GET" else None):
        return failure
    run = runtime(request)
    session = await current_session(request, run.settings)
    if session is None:
        # the hosted steps add the way on, a "Sign in again" link, so the sentence does not repeat it
        return api_error(401, "login_required", "Your session has ended, so this sign-in cannot go on.")
    return run, session


@post("/a/auth/api/profile", name="api_profile", status_code=200)
async def api_profile(request: Request[Any, Any, Any]) -> Response[Any]:
    found = await _signed_in(request)
    if isinstance(found, Response):
        return found
    _, session = found
    body = await json_body(request)
    try:
        await set_user_name(
            session.user_id, str(body.get("first_name") or ""), str(body.get("last_name") or "")
        )
    except DomainError as error:
        return domain_error(error)
    location = await next_location(
        session.user_id,
        str(body.get("req") or ""),
        safe_return_to(body.get("return_to")),
        needs_profile=False,
    )
    return Response({"location": location}, headers={"Cache-Control": "no-store"})


@get("/a/auth/api/organizations", name="api_organizations")
async def api_organizations(request: Request[Any, Any, Any]) -> Response[Any]:
    found = await _signed_in(request)
    if isinstance(found, Response):
        return found
    _, session = found
    # each list is capped: the chooser is a sign-in step, not a directory to page through
    organizations = await memberships.active_organizations(session.user_id, limit=MAX_PAGE_SIZE)
    joinable = (await joinable_organizations(session.user_id))[:MAX_PAGE_SIZE]
    invited = [
        {
            "id": invitation.id,
            "organization": {"id": invitation.organization_id, "name": invitation.organization_name},
            "role": invitation.role_name,
        }
        for invitation in await invitation_answers.pending_invitations(session.user_id, limit=MAX_PAGE_SIZE)
    ]
    user = await find_user(session.user_id)
    return Response(
        {
            "email": user.email if user else "",
            "organizations": organizations,
            "joinable": joinable,
            "invitations": invited,
        },
        headers={"Cache-Control": "no-store"},
    )


@post("/a/auth/api/switch-account", name="api_switch_account", status_code=200)
async def api_switch_account(request: Request[Any, Any, Any]) -> Response[Any]:
    """ "Use another account" in a step after the code: end this sign-in's session and start again
    at the email step, keeping the application's request. A POST with the CSRF header, so no other
    site can sign the person out."""
    if failure := csrf_failure(request):
        return failure
    run = runtime(request)
    body = await json_body(request)
    session = await current_session(request, run.settings)
    if session is not None:
        await sessions.end_session(
            UserPrincipal(user_id=session.user_id, session_id=session.id), session.id, "logout"
        )
    req = str(body.get("req") or "")
    if req and AuthorizationRequest.decode(run.deployment.secret_key, req) is None:
        req = ""
    query = {"req": req, "return_to": safe_return_to(body.get("return_to"))}
    location = "/a/auth/login" + (
        "?" + urlencode({k: v for k, v in query.items() if v}) if any(query.values()) else ""
    )
    return Response(
        {"location": location},
        headers={"Cache-Control": "no-store"},
        cookies=[cleared_session_cookie(run.settings)],
    )


@post("/a/auth/api/organization", name="api_organization", status_code=200)
async def api_organization(request: Request[Any, Any, Any]) -> Response[Any]:
    found = await _signed_in(request)
    if isinstance(found, Response):
        return found
    run, session = found
    body = await json_body(request)
    organization_id = str(body.get("organization_id") or "")
    if body.get("accept_invitation"):
        try:
            organization_id = await invitation_answers.accept_invitation(
                session.user_id, str(body["accept_invitation"])
            )
        except DomainError as error:
            return api_error(400, error.code, error.message)
    elif body.get("join") is True:
        try:
            await join_by_email_domain(session.user_id, organization_id)
        except DomainError as error:
            return api_error(403, "not_allowed", error.message)
    elif body.get("skip") is True:
        organization_id = NO_ORGANIZATION
    elif await memberships.organization_access(session.user_id, organization_id) is None:
        return api_error(400, "invalid_request", "You are not a member of that organization.")
    if organization_id != NO_ORGANIZATION:
        await sessions.set_active_organization(session.id, organization_id)
    req = AuthorizationRequest.decode(run.deployment.secret_key, str(body.get("req") or ""))
    if req is not None:
        handle = req.with_organization(organization_id).encode(run.deployment.secret_key)
        location = "/oauth/authorize/resume?" + urlencode({"req": handle})
    else:
        location = safe_return_to(body.get("return_to")) or AFTER_SIGN_IN
    return Response({"location": location}, headers={"Cache-Control": "no-store"})


@post("/a/auth/api/invitation/decline", name="api_decline_invitation", status_code=200)
async def api_decline_invitation(request: Request[Any, Any, Any]) -> Response[Any]:
    """The signed-in person turns an invitation down in the organization step."""
    found = await _signed_in(request)
    if isinstance(found, Response):
        return found
    _, session = found
    body = await json_body(request)
    invitation_id = str(body.get("invitation_id") or "")
    try:
        await invitation_answers.decline_invitation(session.user_id, invitation_id)
    except DomainError as error:
        return api_error(400, error.code, error.message)
    return Response({"declined": invitation_id}, headers={"Cache-Control": "no-store"})


@get("/a/auth/invitation", name="invitation_link")
async def invitation_link(request: Request[Any, Any, Any]) -> Response[Any]:
    """An emailed invitation: sign in (or sign up) with the invited address to accept it."""
    found = await invitations.invitation_for_link(request.query_params.get("token", ""))
    if found is None:
        return await message_page(
            title="This invitation is no longer valid",
            message=(
                "It was revoked, replaced by a newer one, or has expired. "
                "Ask your administrator to invite you again."
            ),
            testid="invitation-error",
            status_code=400,
        )
    user = await find_user_by_email(found.email)
    page = "/a/auth/login" if user and user.has_full_name else "/a/auth/signup"
    return Redirect(
        f"{page}?" + urlencode({"login_hint": found.email}),
        headers={"Cache-Control": "no-store"},
        cookies=[invitation_cookie(runtime(request).settings, request.query_params.get("token", ""))],
    )
