"""GraphQL called in the test process: `schema.execute` with the context host/graphql.py builds.

The callers mirror tests/support/graphql.py (portal, app holding a person's token, integrator) and
answer with the body /graphql would send. Each call works out its principal afresh, as each HTTP
request does, so a role changed between two calls counts on the second. Calls go through
tests/support/factories.run: into the running test's transaction in the in-process tier.
"""

import json
import secrets
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from strawberry.http import process_result

from resolvers.authorization import MANAGE_SCOPE
from resolvers.deployment import Deployment
from resolvers.memberships import user_principal
from resolvers.organization_entry import enter_for_portal
from resolvers.principal import ClientPrincipal, Principal
from resolvers.sessions import create_session, is_session_live, resolve_session
from resolvers.users import create_verified_user, find_user_by_email
from schema.build import schema
from tests.support.deployment import server_deployment
from tests.support.factories import run

PrincipalSource = Callable[[], Awaitable[Principal | None]]


@contextmanager
def this_tiers_deployment(secret_key: str, **options: Any) -> Iterator[Deployment]:
    """The deployment the test process's resolver calls get while it is open (the factories' and the
    callers' alike, through tests/support/deployment.py); the HTTP tier's server records its own."""
    from tests.support import deployment as recorded

    before = recorded._server_deployment
    ours = Deployment(public_url="http://localhost:8000", secret_key=secret_key, **options)
    recorded.record_server_deployment(ours)
    try:
        yield ours
    finally:
        recorded._server_deployment = before


def graphql_context(principal: Principal | None, deployment: Deployment) -> dict[str, Any]:
    """What host/graphql.py hands the schema; jobs are not woken (the test's writes never commit)."""
    return {
        "principal": principal,
        "wake_jobs": lambda: None,
        "request_id": f"in-process-{secrets.token_hex(4)}",
        "deployment": deployment,
    }


@dataclass
class InProcessCaller:
    principal: PrincipalSource

    def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        async def execute() -> dict[str, Any]:
            context = graphql_context(await self.principal(), server_deployment())
            result = await schema.execute(query, variable_values=variables, context_value=context)
            body: dict[str, Any] = json.loads(json.dumps(process_result(result)))
            return body

        answer: dict[str, Any] = run(execute())
        return answer


async def portal_principal(session_token: str) -> Principal | None:
    """The portal's principal for a session cookie, as host/graphql.py works it out (CSRF aside)."""
    session = await resolve_session(session_token)
    if session is None:
        return None
    organization_id = await enter_for_portal(session)
    return await user_principal(session.user_id, session.id, organization_id, portal=True)


@dataclass(frozen=True)
class SignedIn:
    """A person with a session (as after signing in by email code), and the callers acting for them."""

    user_id: str
    session_id: str
    session_token: str

    def portal(self) -> InProcessCaller:
        """The portal in this person's browser (session cookie and CSRF header)."""
        return InProcessCaller(lambda: portal_principal(self.session_token))

    def app(self) -> InProcessCaller:
        """An app holding this person's access token: their session, their active organization now."""

        async def active_organization() -> str | None:
            session = await resolve_session(self.session_token)
            return session.active_organization_id if session else None

        organization_id = run(active_organization())

        async def principal() -> Principal | None:
            if not await is_session_live(self.session_id):
                raise PermissionError("the session of this access token has ended (401 over HTTP)")
            return await user_principal(self.user_id, self.session_id, organization_id)

        return InProcessCaller(principal)


def sign_in(email: str, *, first_name: str = "", last_name: str = "") -> SignedIn:
    """A session, as the hosted sign-in by email code creates it (and the account, for a new address)."""

    async def go() -> SignedIn:
        user = await find_user_by_email(email)
        user_id = user.id if user else await create_verified_user(email, first_name, last_name)
        session = await create_session(
            user_id=user_id,
            organization_id=None,
            amr=["otp", "email"],
            ip="10.0.0.1",
            user_agent="tests",
        )
        signed_in = SignedIn(user_id, session.id, session.token)
        await portal_principal(session.token)  # the portal's first request enters an organization
        return signed_in

    result: SignedIn = run(go())
    return result


def integrator_caller(application_id: str) -> InProcessCaller:
    """The app's backend with a client_credentials token holding tenantry:manage."""
    principal = ClientPrincipal(application_id=application_id, scopes=frozenset({MANAGE_SCOPE}))

    async def fixed() -> Principal | None:
        return principal

    return InProcessCaller(fixed)


def anonymous_caller() -> InProcessCaller:
    async def nobody() -> Principal | None:
        return None

    return InProcessCaller(nobody)
