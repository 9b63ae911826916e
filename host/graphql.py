"""/graphql: the portal (session cookie + CSRF header), integrators and apps (bearer access token),
and widgets embedded in an app's pages (bearer widget token)."""

from dataclasses import replace
from typing import Any, ClassVar

from litestar import Request, Response
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.types import ControllerRouterHandler
from strawberry.litestar import make_graphql_controller

from host.graphiql_page import graphiql_page
from host.graphql_errors import InsufficientScope, graphql_refusal
from host.graphql_rate_limit import GraphQLRateLimited, enforce_graphql_limits
from host.request_ids import current_request_id
from host.runtime import runtime
from host.security import client_ip, csrf_ok
from host.session import current_session
from resolvers.authorization import MANAGE_SCOPE
from resolvers.memberships import user_principal
from resolvers.organization_entry import enter_for_portal
from resolvers.principal import ClientPrincipal, Principal
from resolvers.sessions import is_session_live
from resolvers.tokens import InvalidAccessToken, decode_access_token
from resolvers.widget_tokens import (
    InvalidWidgetToken,
    decode_widget_token,
    is_widget_token,
    may_mint_widget_tokens,
)
from schema.build import schema


async def _widget_principal(request: Request[Any, Any, Any], token: str) -> Principal:
    """The person of a widget token, in its organization, within its widgets' permissions."""
    try:
        widget = await decode_widget_token(runtime(request).deployment, token)
    except InvalidWidgetToken as error:
        raise NotAuthorizedException("The widget token is invalid or expired.") from error
    if not await may_mint_widget_tokens(widget.client_id):
        raise NotAuthorizedException("The application that made this widget token can no longer make one.")
    principal = await user_principal(widget.user_id, None, widget.organization_id, ceiling=widget.permissions)
    if principal.organization_id is None:  # removed or suspended since the token was made
        raise NotAuthorizedException("The widget token's person is no longer a member of its organization.")
    return replace(
        principal,
        widgets=frozenset(one.value for one in widget.widgets),
        via_application=widget.client_id,
    )


async def principal_for(request: Request[Any, Any, Any]) -> Principal | None:
    run = runtime(request)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token and is_widget_token(token.strip()):
        return await _widget_principal(request, token.strip())
    if scheme.lower() == "bearer" and token:
        try:
            claims = await decode_access_token(run.deployment, token.strip())
        except InvalidAccessToken as error:
            raise NotAuthorizedException("The access token is invalid or expired.") from error
        if claims.session_id is None and claims.subject == claims.client_id:
            if MANAGE_SCOPE not in claims.scope:
                raise InsufficientScope(
                    MANAGE_SCOPE,
                    f"This token lacks the {MANAGE_SCOPE} scope: request it with scope={MANAGE_SCOPE}.",
                )
            return ClientPrincipal(application_id=claims.client_id, scopes=claims.scope)
        if claims.session_id and not await is_session_live(claims.session_id):
            raise NotAuthorizedException("The session of this access token has ended.")
        return await user_principal(claims.subject, claims.session_id, claims.organization_id)
    session = await current_session(request, run.settings)
    if session is None:
        return None
    if request.method != "GET" and not csrf_ok(request):
        raise PermissionDeniedException("Missing or wrong X-CSRF-Token header: reload the page.")
    organization_id = await enter_for_portal(session)
    return await user_principal(session.user_id, session.id, organization_id, portal=True)


async def graphql_context(request: Request[Any, Any, Any]) -> dict[str, Any]:
    run = runtime(request)
    principal = await principal_for(request)
    await enforce_graphql_limits(
        request, run.limiter, run.settings.graphql_limits, principal, client_ip(request, run.settings)
    )
    return {
        "principal": principal,
        "deployment": run.deployment,
        "wake_jobs": run.wake_jobs,
        "request_id": current_request_id.get(),
    }


def graphql_controller(development: bool) -> ControllerRouterHandler:
    base: Any = make_graphql_controller(
        schema,
        path="/graphql",
        graphql_ide="graphiql" if development else None,
        allow_queries_via_get=False,
        context_getter=graphql_context,
    )

    class GraphQLController(base):  # type: ignore[misc]
        exception_handlers: ClassVar[dict[type[Exception], Any]] = {
            NotAuthorizedException: graphql_refusal,
            PermissionDeniedException: graphql_refusal,
            GraphQLRateLimited: graphql_refusal,
        }

        async def render_graphql_ide(self, request: Request[Any, Any, Any]) -> Response[str]:
            return graphiql_page(request)

    return GraphQLController
