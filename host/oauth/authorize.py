"""The authorization endpoint (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2), code flow only.

Errors about the client or its redirect URI are shown on a page and never redirected
(RFC 6749 §4.1.2.1); every other error goes back to the validated redirect URI with `state`.
"""

from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.response import Redirect

from host.oauth.authorization_request import NO_ORGANIZATION, AuthorizationRequest
from host.oauth.errors import (
    NO_STORE,
    AccessDenied,
    AccountSelectionRequired,
    ConsentRequired,
    InteractionRequired,
    InvalidRequest,
    InvalidScope,
    LoginRequired,
    OAuthError,
    RequestNotSupported,
    RequestUriNotSupported,
    UnauthorizedClient,
    UnsupportedResponseType,
    append_query,
)
from host.oauth.parameters import single_valued
from host.oauth.pkce import is_valid_challenge
from host.pages import message_page
from host.runtime import Runtime, runtime
from host.session import current_session
from resolvers import authorization_codes, sessions
from resolvers.applications import Client, find_client
from resolvers.clock import now
from resolvers.home_realm import active_connection, active_connection_of, connection_for_domain
from resolvers.organization_entry import OrganizationChoice, choose_for_sign_in
from resolvers.organizations import find_organization
from resolvers.users import find_user

SUPPORTED_SCOPES = {"openid", "profile", "email", "offline_access"}
PROMPTS = ("none", "login", "create")  # what discovery advertises in prompt_values_supported
UNMET_PROMPTS = frozenset({"consent", "select_account"})  # defined by OIDC Core, not offered here


def _unmet_prompt_error(prompt: str, state: str | None) -> OAuthError:
    """OIDC Core §3.1.2.1: a prompt the server cannot honour MUST end in an error, not be ignored."""
    if prompt == "select_account":
        return AccountSelectionRequired(
            "Tenantry has no account chooser; send prompt=login to sign in again instead.", state=state
        )
    return ConsentRequired(
        "Tenantry does not ask for consent: applications are registered by the operator.", state=state
    )


async def _params(request: Request[Any, Any, Any]) -> tuple[dict[str, str], set[str]]:
    """GET query or POST form (OpenID Connect Core §3.1.2.1)."""
    source = request.query_params if request.method == "GET" else await request.form()
    return single_valued(source)


async def _client_error_page(message: str) -> Response[Any]:
    return await message_page(
        title="This sign-in link is not valid",
        message=message + " Go back to the application and try again, or contact its support.",
        testid="authorize-error",
        status_code=400,
    )


def _validate(params: dict[str, str], client: Client) -> AuthorizationRequest:
    """Everything after the client and redirect URI are known to be valid (errors redirect)."""
    state = params.get("state")
    if "request" in params:
        raise RequestNotSupported("Request objects are not supported.", state=state)
    if "request_uri" in params:
        raise RequestUriNotSupported("request_uri is not supported.", state=state)
    response_type = params.get("response_type")
    if not response_type:
        raise InvalidRequest("response_type is required.", state=state)
    if response_type != "code":
        raise UnsupportedResponseType("Only response_type=code is supported.", state=state)
    if params.get("response_mode", "query") != "query":
        raise InvalidRequest("Only response_mode=query is supported.", state=state)
    if "authorization_code" not in client.grant_types:
        raise UnauthorizedClient("This client may not use the authorization code grant.", state=state)
    scopes = params.get("scope", "").split()
    unknown = [s for s in scopes if s not in SUPPORTED_SCOPES or s not in client.allowed_scopes]
    if unknown:
        raise InvalidScope(f"Unsupported scope: {' '.join(unknown)}.", state=state)
    challenge = params.get("code_challenge")
    method = params.get("code_challenge_method")
    if challenge is None:
        if method is not None:
            raise InvalidRequest("code_challenge_method without code_challenge.", state=state)
        if client.is_public:
            raise InvalidRequest("Public clients must use PKCE (code_challenge, S256).", state=state)
    else:
        if method != "S256":
            raise InvalidRequest("code_challenge_method must be S256.", state=state)
        if not is_valid_challenge(challenge):
            raise InvalidRequest("code_challenge is not a valid S256 challenge.", state=state)
    prompts = set(params.get("prompt", "").split())
    unknown_prompts = sorted(prompts - set(PROMPTS) - UNMET_PROMPTS)
    if unknown_prompts:
        raise InvalidRequest(f"Unknown prompt value: {' '.join(unknown_prompts)}.", state=state)
    if "none" in prompts and len(prompts) > 1:
        raise InvalidRequest("prompt=none cannot be combined with other values.", state=state)
    unmet_prompts = sorted(prompts & UNMET_PROMPTS)
    if unmet_prompts:
        raise _unmet_prompt_error(unmet_prompts[0], state)
    prompt = next((p for p in ("none", "create", "login") if p in prompts), None)
    max_age: int | None = None
    if "max_age" in params:
        try:
            max_age = int(params["max_age"])
        except ValueError:
            max_age = -1
        if max_age < 0:
            raise InvalidRequest("max_age must be a non-negative integer.", state=state)
    nonce = params.get("nonce")
    if nonce is not None and len(nonce) > 512:
        raise InvalidRequest("nonce is too long.", state=state)
    if state is not None and len(state) > 2048:
        raise InvalidRequest("state is too long.", state=None)
    limits = (("connection_id", 40), ("domain_hint", 253), ("login_hint", 320), ("ui_locales", 200))
    for name, longest in limits:
        if len(params.get(name, "")) > longest:
            raise InvalidRequest(f"{name} is too long.", state=state)
    return AuthorizationRequest(
        client_id=client.id,
        redirect_uri=params["redirect_uri"],
        scope=" ".join(dict.fromkeys(scopes)),
        state=state,
        nonce=nonce,
        code_challenge=challenge,
        prompt=prompt,
        max_age=max_age,
        login_hint=params.get("login_hint"),
        organization_id=params.get("organization_id") or None,
        issued_at=now().timestamp(),
        connection_id=params.get("connection_id") or None,
        domain_hint=params.get("domain_hint") or None,
        ui_locales=params.get("ui_locales") or None,
    )


@get("/oauth/authorize", name="authorize")
async def authorize_get(request: Request[Any, Any, Any]) -> Response[Any]:
    return await _authorize(request)


@post("/oauth/authorize", name="authorize_post", status_code=302)
async def authorize_post(request: Request[Any, Any, Any]) -> Response[Any]:
    return await _authorize(request)


async def _authorize(request: Request[Any, Any, Any]) -> Response[Any]:
    run = runtime(request)
    params, repeated = await _params(request)
    if repeated & {"client_id", "redirect_uri"}:
        return await _client_error_page("The request repeats client_id or redirect_uri.")
    client_id = params.get("client_id")
    if not client_id:
        return await _client_error_page("The request names no application (client_id is missing).")
    client = await find_client(client_id)
    if client is None:
        return await _client_error_page("The application (client_id) is not registered.")
    redirect_uri = params.get("redirect_uri")
    if not redirect_uri:
        return await _client_error_page("The request has no redirect_uri.")
    if not client.matches_redirect_uri(redirect_uri):
        return await _client_error_page("The redirect_uri is not registered for this application.")
    try:
        if repeated:
            raise InvalidRequest(
                f"Repeated parameters: {', '.join(sorted(repeated))}.", state=params.get("state")
            )
        auth_request = _validate(params, client)
        if auth_request.organization_id and await find_organization(auth_request.organization_id) is None:
            raise InvalidRequest("organization_id names no organization.", state=auth_request.state)
    except OAuthError as error:
        return error.as_redirect(redirect_uri, run.deployment.issuer)
    return await continue_authorization(request, auth_request)


@get("/oauth/authorize/resume", name="authorize_resume")
async def authorize_resume(request: Request[Any, Any, Any]) -> Response[Any]:
    """Where the hosted pages send the browser once the user has signed in or chosen."""
    run = runtime(request)
    auth_request = AuthorizationRequest.decode(run.deployment.secret_key, request.query_params.get("req", ""))
    if auth_request is None:
        return await message_page(
            title="This sign-in has expired",
            message="Go back to the application and sign in again.",
            testid="authorize-error",
            status_code=400,
        )
    return await continue_authorization(request, auth_request)


def login_page_url(run_secret: str, auth_request: AuthorizationRequest, *, step: str = "") -> str:
    page = "/a/auth/signup" if auth_request.prompt == "create" else "/a/auth/login"
    query: dict[str, str] = {"req": auth_request.encode(run_secret)}
    if auth_request.login_hint:
        query["login_hint"] = auth_request.login_hint
    if step:
        query["step"] = step
    return f"{page}?{urlencode(query)}"


async def _through_connection(run: Runtime, auth_request: AuthorizationRequest) -> Response[Any]:
    """connection_id, a domain_hint at a verified domain, or an organization_id with an active
    connection goes straight to the IdP. An unknown, inactive or unentitled connection is the app's
    mistake: an error back to it. A domain or organization without SSO is only a hint: the hosted
    sign-in page, as without it."""
    if auth_request.connection_id:
        found = await active_connection(auth_request.connection_id)
        organization = auth_request.organization_id
        if found is None or (organization and found.organization_id != organization):
            return InvalidRequest(
                "connection_id does not name an active SSO connection"
                + (" of that organization." if organization else "."),
                state=auth_request.state,
            ).as_redirect(auth_request.redirect_uri, run.deployment.issuer)
    else:
        if auth_request.domain_hint:
            found = await connection_for_domain(auth_request.domain_hint)
        else:
            found = await active_connection_of(auth_request.organization_id or "")
        if found is None:
            return Redirect(login_page_url(run.deployment.secret_key, auth_request), headers=NO_STORE)
    query = {"req": auth_request.encode(run.deployment.secret_key)}
    if auth_request.login_hint:
        query["login_hint"] = auth_request.login_hint
    return Redirect(f"/sso/start/{found.id}?{urlencode(query)}", headers=NO_STORE)


async def continue_authorization(
    request: Request[Any, Any, Any], auth_request: AuthorizationRequest
) -> Response[Any]:
    """Decide the next step: sign in, finish the profile, choose an organization, or issue a code."""
    run = runtime(request)
    issuer = run.deployment.issuer
    state = auth_request.state
    session = await current_session(request, run.settings)
    auth_time = session.auth_time.timestamp() if session else 0.0
    too_old = (
        auth_request.max_age is not None
        and session is not None
        and auth_time < auth_request.issued_at  # a sign-in made for this request is fresh enough
        and now().timestamp() - auth_time > auth_request.max_age
    )
    if session is None or too_old or auth_request.needs_fresh_login(auth_time):
        if auth_request.prompt == "none":
            return LoginRequired("The user is not signed in.", state=state).as_redirect(
                auth_request.redirect_uri, issuer
            )
        if auth_request.connection_id or auth_request.domain_hint or auth_request.organization_id:
            return await _through_connection(run, auth_request)
        return Redirect(login_page_url(run.deployment.secret_key, auth_request), headers=NO_STORE)
    user = await find_user(session.user_id)
    if user is None:
        return LoginRequired("The user no longer exists.", state=state).as_redirect(
            auth_request.redirect_uri, issuer
        )
    if not user.has_full_name:
        if auth_request.prompt == "none":
            return InteractionRequired(
                "The user must choose or complete something first.", state=state
            ).as_redirect(auth_request.redirect_uri, issuer)
        return Redirect(
            login_page_url(run.deployment.secret_key, auth_request, step="profile"),
            headers=NO_STORE,
        )
    chosen = auth_request.chosen_organization_id
    choice = await choose_for_sign_in(
        session.user_id,
        requested=auth_request.organization_id,
        chosen=None if chosen == NO_ORGANIZATION else chosen,
        went_on_without=chosen == NO_ORGANIZATION,
        active=session.active_organization_id,
    )
    if choice is OrganizationChoice.NEEDED:
        if auth_request.prompt == "none":
            return InteractionRequired(
                "The user must choose or complete something first.", state=state
            ).as_redirect(auth_request.redirect_uri, issuer)
        return Redirect(
            login_page_url(run.deployment.secret_key, auth_request, step="organization"),
            headers=NO_STORE,
        )
    if choice is OrganizationChoice.NOT_A_MEMBER:
        return AccessDenied(
            "The user is not a member of the requested organization.", state=state
        ).as_redirect(auth_request.redirect_uri, issuer)
    organization_id = choice if isinstance(choice, str) else None
    if organization_id != session.active_organization_id:
        await sessions.set_active_organization(session.id, organization_id)
    code = await authorization_codes.create_code(
        application_id=auth_request.client_id,
        user_id=session.user_id,
        session_id=session.id,
        organization_id=organization_id,
        redirect_uri=auth_request.redirect_uri,
        scope=auth_request.scope,
        nonce=auth_request.nonce,
        code_challenge=auth_request.code_challenge,
        lifetime_seconds=run.deployment.authorization_code_seconds,
    )
    params: dict[str, str] = {"code": code, "iss": issuer}
    if state is not None:
        params["state"] = state
    return Redirect(append_query(auth_request.redirect_uri, params), headers=NO_STORE)
