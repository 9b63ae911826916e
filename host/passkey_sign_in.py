"""Passkey sign-in on the hosted pages (/a/auth/api/passkey/*), and re-authentication with one."""

from typing import Any

from litestar import Request, Response, post

from host.auth_pages import (
    api_error,
    csrf_failure,
    json_body,
    next_location,
    over_limit,
    safe_return_to,
    sso_refusal,
    start_session,
)
from host.oauth.authorization_request import AuthorizationRequest
from host.runtime import runtime
from host.security import client_ip
from host.session import current_session
from resolvers import passkeys
from resolvers.errors import DomainError
from resolvers.users import find_user

PASSKEY_AMR = ["pop", "mfa"]  # RFC 8176: proof of possession of a key, unlocked by user verification


def _refused(error: DomainError) -> Response[Any]:
    return api_error(400, error.code, error.message)


@post("/a/auth/api/passkey/options", name="api_passkey_options", status_code=200)
async def api_passkey_options(request: Request[Any, Any, Any]) -> Response[Any]:
    """A fresh single-use challenge, for the autofill (conditional UI) or the passkey button."""
    if failure := csrf_failure(request):
        return failure
    run = runtime(request)
    ip = client_ip(request, run.settings)
    limited = await over_limit(
        run,
        [(f"passkey-ip:{ip}", run.settings.sign_in_requests_per_ip * 5)],
        "Too many passkey attempts. Try again in {wait}.",
    )
    if limited:
        return limited
    ceremony = await passkeys.begin_authentication(run.deployment)
    return Response(
        {"flow": ceremony.flow_id, "options": ceremony.options}, headers={"Cache-Control": "no-store"}
    )


@post("/a/auth/api/passkey/verify", name="api_passkey_verify", status_code=200)
async def api_passkey_verify(request: Request[Any, Any, Any]) -> Response[Any]:
    """Check the assertion, then start (or, with `reauthenticate`, refresh) the browser's session."""
    if failure := csrf_failure(request):
        return failure
    run = runtime(request)
    body = await json_body(request)
    req = str(body.get("req") or "")
    if req and AuthorizationRequest.decode(run.deployment.secret_key, req) is None:
        return api_error(400, "expired_request", "This sign-in has expired. Go back to the application.")
    reauthenticating = body.get("reauthenticate") is True
    current = await current_session(request, run.settings)
    if reauthenticating and current is None:
        return api_error(401, "login_required", "Your session has ended. Sign in again.")
    try:
        signed_in = await passkeys.finish_authentication(
            run.deployment, str(body.get("flow") or ""), body.get("credential")
        )
    except DomainError as error:
        return _refused(error)
    if reauthenticating and current is not None and current.user_id != signed_in.user_id:
        return api_error(400, "wrong_account", "That passkey belongs to another account. Use one of yours.")
    if not reauthenticating and (refused := await sso_refusal(signed_in.user_id)):
        return api_error(403, refused.code, refused.message)  # re-proving a live session stays allowed
    user = await find_user(signed_in.user_id)
    cookie = await start_session(request, run, signed_in.user_id, PASSKEY_AMR)
    needs_profile = user is not None and not user.has_full_name
    location = await next_location(
        signed_in.user_id,
        req,
        safe_return_to(body.get("return_to")),
        needs_profile=needs_profile,
        offer_invitations=not reauthenticating,
    )
    return Response({"location": location}, headers={"Cache-Control": "no-store"}, cookies=[cookie])
