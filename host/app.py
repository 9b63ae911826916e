"""create_app(): the one Litestar application serving OAuth, hosted pages, the demo and probes."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Request
from litestar.datastructures import State
from litestar.types import ControllerRouterHandler

from db.connection import connected
from db.migrate import migrate
from host import auth_pages, branding, health, home, magic_link, passkey_sign_in, scim, sso, sso_metadata, ui
from host.cors import cors_middleware
from host.database_reachable import check_migrated
from host.demo_app import demo_handlers
from host.edge import edge_middleware
from host.graphql import graphql_controller
from host.input_validation import input_validation_middleware
from host.oauth import authorize, discovery, logout, revoke, token, userinfo
from host.request_ids import ensure_error_log, internal_error, request_id_middleware
from host.runtime import Runtime
from host.security import RateLimiter, client_ip
from host.settings import Settings, load_settings
from host.static import static_router
from resolvers import clock
from resolvers.audit import acting_from
from resolvers.seed import seed_environment
from resolvers.signing_keys import ensure_signing_keys
from workers.dispatch import OutboxDispatcher
from workers.embedded import EmbeddedRunner

log = logging.getLogger("tenantry")

ROUTES: list[ControllerRouterHandler] = [
    discovery.openid_configuration,
    discovery.jwks,
    authorize.authorize_get,
    authorize.authorize_post,
    authorize.authorize_resume,
    token.token_endpoint,
    userinfo.userinfo_get,
    userinfo.userinfo_post,
    revoke.revoke_endpoint,
    logout.logout_get,
    logout.logout_post,
    logout.logout_confirm,
    auth_pages.login_page,
    auth_pages.signup_page,
    auth_pages.signed_in_page,
    magic_link.magic_link,
    magic_link.magic_link_confirm,
    auth_pages.invitation_link,
    auth_pages.api_email,
    auth_pages.api_resend,
    auth_pages.api_code,
    passkey_sign_in.api_passkey_options,
    passkey_sign_in.api_passkey_verify,
    auth_pages.api_profile,
    auth_pages.api_organizations,
    auth_pages.api_organization,
    auth_pages.api_decline_invitation,
    auth_pages.api_switch_account,
    branding.branding_stylesheet,
    branding.page_stylesheet,
    ui.portal_root,
    ui.portal,
    ui.portal_logout,
    health.live,
    health.ready,
    home.home,
    home.favicon,
    sso_metadata.saml_metadata,
    sso.sso_start,
    sso.sso_test,
    sso.saml_callback,
    sso.oidc_callback,
    sso.sso_submit_js,
    scim.scim_root,
    scim.scim_resource,
]


async def prepare_database(settings: Settings, *, migrate_schema: bool) -> None:
    """Migrate (or refuse a schema that is behind), seed and make sure signing keys exist: idempotent."""
    if migrate_schema:
        await migrate()
    else:
        await check_migrated(settings.database_url)
    await seed_environment()
    await ensure_signing_keys(settings.secret_key)


def remember_client_ip(settings: Settings) -> Any:
    """Every audit row written while serving a request records its client IP."""

    async def before_request(request: Request[Any, Any, Any]) -> None:
        acting_from.set(client_ip(request, settings))

    return before_request


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or load_settings()
    ensure_error_log()
    clock.shift_by(settings.test_clock_file)
    deployment = settings.deployment()
    limiter = RateLimiter(settings.redis_url)
    runtime = Runtime(settings=settings, deployment=deployment, limiter=limiter)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        async with connected(settings.database_url):
            await prepare_database(settings, migrate_schema=settings.auto_migrate)
            jobs: OutboxDispatcher | EmbeddedRunner = (
                OutboxDispatcher(settings.redis_url)
                if settings.redis_url
                else EmbeddedRunner(settings.job_context())
            )
            runtime.wake_jobs = jobs.wake
            runtime.redis_outage = jobs.redis_outage if isinstance(jobs, OutboxDispatcher) else None
            jobs.start()
            try:
                yield
            finally:
                await jobs.stop()
                await limiter.close()

    routes = [*ROUTES, static_router(settings.frontend_dist), graphql_controller(development=settings.demo)]
    if settings.demo:
        routes.extend(demo_handlers())
    return Litestar(
        route_handlers=routes,
        lifespan=[lifespan],
        before_request=remember_client_ip(settings),
        state=State({"runtime": runtime}),
        middleware=[
            request_id_middleware,
            edge_middleware(settings.allowed_hosts),
            cors_middleware(),
            input_validation_middleware,
        ],
        exception_handlers={500: internal_error},
        request_max_body_size=64 * 1024,
        openapi_config=None,
        debug=False,
    )
