"""Set-up through the real resolvers, writing to the same database the server uses."""

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

_in_test_transaction: Callable[[Coroutine[Any, Any, Any]], Any] | None = None


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a resolver call from a synchronous test, on its own thread and event loop.

    A thread, because Playwright's sync API keeps an event loop running in the main thread.
    In the in-process tier (tests/rules/) the call goes into the test's rolled-back transaction.
    """
    if _in_test_transaction is not None:
        result: T = _in_test_transaction(coroutine)
        return result
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def in_test_transaction() -> bool:
    """True inside an in-process test (tests/rules/), whose writes only its own transaction sees."""
    return _in_test_transaction is not None


@contextmanager
def running_through(runner: Callable[[Coroutine[Any, Any, Any]], Any]) -> Iterator[None]:
    """While open, `run` hands every coroutine to `runner` (the in-process tier's test transaction)."""
    global _in_test_transaction
    _in_test_transaction = runner
    try:
        yield
    finally:
        _in_test_transaction = None


@dataclass(frozen=True)
class App:
    client_id: str
    client_secret: str | None
    redirect_uri: str


def make_app(
    *,
    client_type: str = "confidential",
    redirect_uris: list[str] | None = None,
    grant_types: list[str] | None = None,
    post_logout_redirect_uris: list[str] | None = None,
    is_native: bool = False,
    backchannel_logout_uri: str | None = None,
    initiate_login_uri: str | None = None,
) -> App:
    from resolvers.applications import create_application
    from resolvers.principal import SystemPrincipal
    from tests.support.deployment import server_deployment

    uris = redirect_uris or ["https://app.example.com/callback"]
    created = run(
        create_application(
            SystemPrincipal("test"),
            name="Test App",
            client_type=client_type,
            redirect_uris=uris,
            grant_types=grant_types,
            post_logout_redirect_uris=post_logout_redirect_uris or ["https://app.example.com/signed-out"],
            is_native=is_native,
            backchannel_logout_uri=backchannel_logout_uri,
            initiate_login_uri=initiate_login_uri,
            private_networks=server_deployment().allows_private_networks,
        )
    )
    return App(created.client.id, created.client_secret, uris[0])


def make_organization(name: str = "Org", features: list[str] | None = None) -> str:
    from resolvers.organizations import create_organization
    from resolvers.principal import SystemPrincipal

    return run(create_organization(SystemPrincipal("test"), name=name, features=features))


def make_member(
    email: str,
    organization_id: str,
    role: str = "member",
    first: str = "Test",
    last: str = "Person",
) -> str:
    """Create the user if needed and add them; returns the user id."""
    from resolvers.adding_people import add_person
    from resolvers.principal import SystemPrincipal

    async def go() -> str:
        added = await add_person(
            SystemPrincipal("test"),
            organization_id=organization_id,
            email=email,
            role_key=role,
            first_name=first,
            last_name=last,
        )
        return added.user_id

    return run(go())


def membership_id(user_id: str, organization_id: str) -> str:
    from db.orgs import Membership

    row = run(
        Membership.select(Membership.id)
        .where((Membership.user == user_id) & (Membership.organization == organization_id))
        .first()
        .run()
    )
    assert row is not None
    return str(row["id"])


def make_role(key: str, permissions: list[str]) -> None:
    """A custom role (integrators will manage these through GraphQL; tests write it directly for now)."""
    from db.ids import new_id
    from db.orgs import Permission, Role, RolePermission
    from resolvers.clock import now

    async def go() -> None:
        role_id = new_id("rol")
        await Role.insert(Role(id=role_id, key=key, name=key.title(), created_at=now()))
        for permission in permissions:
            found = await Permission.select(Permission.id).where(Permission.key == permission).first()
            assert found is not None
            await RolePermission.insert(RolePermission(id=new_id("rp"), role=role_id, permission=found["id"]))

    run(go())


def make_invitation(organization_id: str, email: str, role: str = "member") -> str:
    """An invitation as an integrator would send it; returns its id (the email goes out for real)."""
    from resolvers.invitations import invite_members
    from resolvers.principal import SystemPrincipal
    from tests.support.deployment import server_deployment

    outcome = run(
        invite_members(
            SystemPrincipal("test"),
            server_deployment(),
            organization_id,
            emails=[email],
            role_key=role,
            app_name="Test",
        )
    )
    assert outcome.invitations, outcome.problems
    return outcome.invitations[0].id
