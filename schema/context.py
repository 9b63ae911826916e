"""What a field reads from the GraphQL context (host/graphql.py fills it), in one place.

The host puts the principal, the deployment and the job wake-up there; fields and permission checks
read them only through these helpers, so a missing sign-in is refused alike everywhere.
"""

from typing import Any

from graphql import GraphQLError
from strawberry.types import Info

from resolvers.deployment import Deployment
from resolvers.principal import Principal, UserPrincipal


def principal_of(info: Info[Any, Any]) -> Principal | None:
    """Who is asking, or None: for permission checks, which refuse nobody with their own code."""
    found: Principal | None = info.context.get("principal")
    return found


def principal(info: Info[Any, Any]) -> Principal:
    """Who is asking: a person or an integrator; nobody is refused as UNAUTHENTICATED."""
    found = principal_of(info)
    if found is None:
        raise GraphQLError(
            "Sign in, or send an integrator access token.", extensions={"code": "UNAUTHENTICATED"}
        )
    return found


def user(info: Info[Any, Any]) -> UserPrincipal:
    """The signed-in person; an integrator token is refused as UNAUTHENTICATED."""
    found = principal(info)
    if not isinstance(found, UserPrincipal):
        raise GraphQLError("This needs a signed-in user.", extensions={"code": "UNAUTHENTICATED"})
    return found


def target_organization(found: Principal, organization_id: object | None) -> str:
    """The organization a field acts on: its `organizationId` argument, else the viewer's active one."""
    return str(organization_id or getattr(found, "organization_id", None) or "")


def deployment(info: Info[Any, Any]) -> Deployment:
    """The deployment the host serves (issuer, secret key, outbound rules), handed in per request."""
    found: Deployment = info.context["deployment"]
    return found


def wake_jobs(info: Info[Any, Any]) -> None:
    """Tell the job runner that work was queued, so it runs now rather than at its next poll."""
    wake = info.context.get("wake_jobs")
    if callable(wake):
        wake()
