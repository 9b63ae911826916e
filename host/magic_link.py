"""The magic link (/a/auth/magic): one click in the browser that asked for it, and elsewhere a
confirmation that names the address, so nobody's link can swap the person at another browser."""

from html import escape
from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Redirect

from host.auth_pages import AFTER_SIGN_IN, next_location, signed_in_cookies, sso_refusal
from host.pages import PageAction, message_page
from host.runtime import Runtime, runtime
from host.security import csrf_ok, csrf_token_for
from host.session import current_session
from host.sign_in_cookies import followed_invitation, sign_in_browser
from resolvers import sign_in
from resolvers.errors import DomainError
from resolvers.users import find_user

BACK_TO_SIGN_IN = PageAction("/a/auth/login", "Back to sign in", "magic-link-sign-in")

# Why the link failed: the page's heading, and what it means and what to do, in plain words.
LINK_FAILURES = {
    "expired": (
        "This sign-in link has expired",
        "For your security, sign-in links work only for a few minutes. "
        "Sign in again and we will email you a new one.",
    ),
    "used": (
        "This sign-in link was already used",
        "Each link signs you in once. If you just used it, you may already be signed in; "
        "otherwise sign in again for a new link.",
    ),
    "invalid": (
        "This sign-in link is not valid",
        "It may be incomplete: some email apps cut long links. Copy the whole link from the email, "
        "or sign in again for a new one.",
    ),
}


async def _magic_link_failed(error: DomainError) -> Response[Any]:
    """The reason in words and the way back to sign in: a failed link is never a dead end."""
    title, message = LINK_FAILURES.get(
        str(error.details.get("reason")), ("This sign-in link does not work", error.message)
    )
    return await message_page(
        title=title, message=message, testid="magic-link-error", status_code=400, action=BACK_TO_SIGN_IN
    )


async def _confirm_magic_link(
    request: Request[Any, Any, Any], run: Runtime, flow: str, token: str, email: str
) -> Response[Any]:
    """Another browser opened the link: say whose account it signs in to, and sign in only on a click."""
    csrf, csrf_cookie = csrf_token_for(request, run.settings)
    current = await current_session(request, run.settings)
    signed_in_as = await find_user(current.user_id) if current else None
    warning = ""
    if signed_in_as is not None and signed_in_as.email != email:
        warning = (
            f'<p data-testid="magic-link-replaces">You are signed in as <strong>'
            f"{escape(signed_in_as.email)}</strong>. Continuing signs you out of that account.</p>"
        )
    form = (
        f"{warning}"
        '<form method="post" action="/a/auth/magic">'
        f'<input type="hidden" name="csrf_token" value="{escape(csrf)}">'
        f'<input type="hidden" name="flow" value="{escape(flow)}">'
        f'<input type="hidden" name="token" value="{escape(token)}">'
        f'<button type="submit" class="tn-button" data-testid="magic-link-confirm">'
        f"Sign in as {escape(email)}</button></form>"
        f'<a class="tn-secondary" href="{AFTER_SIGN_IN}" data-testid="magic-link-cancel">Cancel</a>'
    )
    page = await message_page(
        title=f"Sign in as {email}?",
        message="This link was requested in another browser. Continue only if you asked for it.",
        testid="magic-link-confirmation",
        body_html=form,
    )
    if csrf_cookie:
        page.set_cookie(csrf_cookie)
    return page


async def _finish_magic_link(
    request: Request[Any, Any, Any], flow: str, token: str, *, confirmed: bool
) -> Response[Any]:
    run = runtime(request)
    browser, _ = sign_in_browser(request, run.settings)
    try:
        verified = await sign_in.verify_link(
            flow,
            token,
            browser=browser,
            confirmed=confirmed,
            invitation_token=followed_invitation(request),
        )
    except sign_in.LinkNeedsConfirmation as needed:
        return await _confirm_magic_link(request, run, flow, token, str(needed.details["email"]))
    except DomainError as error:
        return await _magic_link_failed(error)
    if refused := await sso_refusal(verified.user_id):
        return await _magic_link_failed(refused)
    cookies = await signed_in_cookies(request, run, verified.user_id, ["email"])
    location = await next_location(
        verified.user_id, verified.request, verified.return_to, needs_profile=verified.needs_profile
    )
    return Redirect(location, cookies=cookies, headers={"Cache-Control": "no-store"})


@get("/a/auth/magic", name="magic_link")
async def magic_link(request: Request[Any, Any, Any]) -> Response[Any]:
    """One click in the browser that asked for the link; elsewhere a confirmation naming the address."""
    return await _finish_magic_link(
        request, request.query_params.get("flow", ""), request.query_params.get("token", ""), confirmed=False
    )


@post("/a/auth/magic", name="magic_link_confirm", status_code=200)
async def magic_link_confirm(request: Request[Any, Any, Any]) -> Response[Any]:
    """The person read which address the link signs in as, and chose to continue."""
    form = await request.form()
    if not csrf_ok(request, str(form.get("csrf_token") or "")):
        return await message_page(
            title="This page has expired",
            message="Open the link from the email again, or sign in again to get a new one.",
            testid="magic-link-error",
            status_code=403,
            action=BACK_TO_SIGN_IN,
        )
    return await _finish_magic_link(
        request, str(form.get("flow") or ""), str(form.get("token") or ""), confirmed=True
    )
