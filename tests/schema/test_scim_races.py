"""SCIM pushes that race, as real concurrent HTTP requests against the server: one userName per
directory, every member two PATCHes add, one account for one address pushed by two organizations'
IdPs, and a deactivation that races a group mapping to admin. Several rounds each.

PostgreSQL only (`TENANTRY_TEST_BACKEND=postgres`): SQLite takes one writer at a time, so nothing
there can interleave the way these tests need.
"""

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from scim2_models import Group

from db.directories import DirectoryUser
from db.identity import Session
from db.orgs import Membership
from db.users import User
from resolvers.directories import update_directory
from resolvers.principal import SystemPrincipal
from resolvers.sessions import create_session
from tests.support.backend import Backend
from tests.support.factories import make_member, make_organization, run
from tests.support.scim import PATCH_SCHEMA, SCIM_JSON, USER_SCHEMA, Directory, ScimClient, make_directory
from tests.support.server import ServerProcess
from tests.support.sso import unique_domain

ROUNDS = 4
RACERS = 6
DEACTIVATION_ROUNDS = 28


@pytest.fixture(autouse=True)
def postgres_only(backend: Backend, server: ServerProcess) -> None:
    if backend.name != "postgres":
        pytest.skip("races need PostgreSQL (TENANTRY_TEST_BACKEND=postgres)")


@pytest.fixture
def clients(server: ServerProcess) -> Iterator[list[ScimClient]]:
    opened: list[ScimClient] = []
    yield opened
    for client in opened:
        client.close()


def open_directory(
    server: ServerProcess, clients: list[ScimClient], name: str
) -> tuple[Directory, ScimClient]:
    directory = make_directory(make_organization(name, ["scim"]), require_verified_domain=False)
    clients.append(ScimClient(server.url, directory))
    return directory, clients[-1]


def async_client(server: ServerProcess, directory: Directory) -> httpx.AsyncClient:
    headers = {"Content-Type": SCIM_JSON, "Authorization": f"Bearer {directory.token}"}
    return httpx.AsyncClient(base_url=f"{server.url}/scim/v2/{directory.id}", headers=headers, timeout=60)


async def race(
    *requests: tuple[httpx.AsyncClient, str, str, dict[str, Any]], stagger: float = 0.0
) -> list[httpx.Response]:
    """Every request sent at once (or each `stagger` seconds after the one before); the answers in
    the order given."""

    async def send(
        delay: float, client: httpx.AsyncClient, method: str, path: str, body: Any
    ) -> httpx.Response:
        await asyncio.sleep(delay)
        return await client.request(method, path, content=json.dumps(body).encode())

    return list(
        await asyncio.gather(*(send(index * stagger, *request) for index, request in enumerate(requests)))
    )


def user_body(user_name: str, email: str | None = None) -> dict[str, Any]:
    return {
        "schemas": [USER_SCHEMA],
        "userName": user_name,
        "emails": [{"value": email or user_name, "type": "work", "primary": True}],
        "active": True,
    }


def patch_body(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH_SCHEMA], "Operations": list(operations)}


def test_one_user_name_pushed_at_once_is_made_once(server: ServerProcess, clients: list[ScimClient]) -> None:
    directory, _ = open_directory(server, clients, "Racing userNames")
    domain = unique_domain("scimrace")

    async def round_(index: int) -> None:
        email = f"twin{index}@{domain}"
        async with async_client(server, directory) as client:
            answers = await race(*((client, "POST", "/Users", user_body(email)) for _ in range(RACERS)))
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [201] + [409] * (RACERS - 1), [answer.text for answer in answers]
        assert {answer.json().get("scimType") for answer in answers if answer.status_code == 409} == {
            "uniqueness"
        }
        rows = DirectoryUser.count().where(
            (DirectoryUser.directory == directory.id) & (DirectoryUser.user_name == email)
        )
        assert await rows == 1
        assert await User.count().where(User.email == email) == 1

    for index in range(ROUNDS):
        run(round_(index))


def test_members_added_at_once_are_all_in_the_group(server: ServerProcess, clients: list[ScimClient]) -> None:
    directory, scim = open_directory(server, clients, "Racing members")
    domain = unique_domain("scimrace")
    people = [scim.create_user(f"member{index}@{domain}")["id"] for index in range(RACERS * ROUNDS)]

    async def round_(index: int) -> None:
        group = scim.create_group(f"Group {index}", [])
        adding = people[index * RACERS : (index + 1) * RACERS]
        async with async_client(server, directory) as client:
            answers = await race(
                *(
                    (
                        client,
                        "PATCH",
                        f"/Groups/{group['id']}",
                        patch_body({"op": "add", "path": "members", "value": [{"value": person}]}),
                    )
                    for person in adding
                )
            )
        assert [answer.status_code for answer in answers] == [200] * RACERS, [
            answer.text for answer in answers
        ]
        read = scim.get(f"/Groups/{group['id']}").json()
        assert sorted(member["value"] for member in read["members"]) == sorted(adding)
        assert read["meta"]["version"] == f'W/"{RACERS + 1}"'

    for index in range(ROUNDS):
        run(round_(index))


def test_one_address_pushed_by_two_organizations_at_once_is_one_account_never_claimed_by_the_other(
    server: ServerProcess, clients: list[ScimClient]
) -> None:
    """Neither organization verified the address's domain (both directories accept any address):
    the push that makes the account links it; the other may not claim an account it did not make
    at an address it does not speak for, however close the race (never a copy, never a 500)."""
    first, _ = open_directory(server, clients, "Racing org one")
    second, _ = open_directory(server, clients, "Racing org two")
    domain = unique_domain("scimrace")

    async def round_(index: int) -> None:
        email = f"shared{index}@{domain}"
        async with async_client(server, first) as one, async_client(server, second) as two:
            answers = await race(
                (one, "POST", "/Users", user_body(f"one-{index}", email)),
                (two, "POST", "/Users", user_body(f"two-{index}", email)),
            )
        assert sorted(answer.status_code for answer in answers) == [201, 400], [a.text for a in answers]
        refused = next(answer for answer in answers if answer.status_code == 400)
        assert "invite the person" in refused.json()["detail"]
        accounts = await User.select(User.id).where(User.email == email)
        assert len(accounts) == 1
        memberships = await Membership.select(Membership.organization).where(
            Membership.user == accounts[0]["id"]
        )
        assert len(memberships) == 1

    for index in range(ROUNDS):
        run(round_(index))


def test_deactivation_racing_an_admin_mapping_ends_suspended_with_sessions_ended(
    server: ServerProcess, clients: list[ScimClient]
) -> None:
    directory, scim = open_directory(server, clients, "Racing deactivation")
    domain = unique_domain("scimrace")
    make_member(f"owner@{domain}", directory.organization_id, "admin")  # so no racer is the last admin
    admins = scim.create_group("Admins", [])
    run(update_directory(SystemPrincipal("test"), directory.id, group_roles=[(admins["id"], "admin")]))

    async def round_(index: int) -> None:
        stagger = (index // 2 % 7) * 0.004  # one PATCH a little ahead, by 0 to 24 ms
        email = f"leaver{index}@{domain}"
        person = scim.create_user(email)
        user_id = str((await User.select(User.id).where(User.email == email).first())["id"])  # type: ignore[index]
        await create_session(
            user_id=user_id, organization_id=directory.organization_id, amr=["fed"], ip="", user_agent="race"
        )
        deactivate = patch_body({"op": "replace", "path": "active", "value": False})
        join = patch_body({"op": "add", "path": "members", "value": [{"value": person["id"]}]})
        async with async_client(server, directory) as client:
            both = [
                (client, "PATCH", f"/Users/{person['id']}", deactivate),
                (client, "PATCH", f"/Groups/{admins['id']}", join),
            ]
            if index % 2:  # the group's PATCH first
                both.reverse()
            answers = await race(*both, stagger=stagger)
        assert [answer.status_code for answer in answers] == [200, 200], [answer.text for answer in answers]
        membership = await (
            Membership.select(
                Membership.status, Membership.role.key.as_alias("role"), Membership.role_managed_by
            )
            .where((Membership.user == user_id) & (Membership.organization == directory.organization_id))
            .first()
        )
        assert membership == {"status": "suspended", "role": "admin", "role_managed_by": directory.id}
        assert await Session.count().where((Session.user == user_id) & Session.revoked_at.is_null()) == 0
        read = scim.get(f"/Users/{person['id']}").json()
        assert read["active"] is False and [group["value"] for group in read["groups"]] == [admins["id"]]

    for index in range(DEACTIVATION_ROUNDS):
        run(round_(index))


@pytest.mark.parametrize("joining", [True, False], ids=["joins-admins", "leaves-admins"])
def test_a_group_change_that_read_the_person_before_their_deactivation_does_not_reactivate_them(
    server: ServerProcess, clients: list[ScimClient], monkeypatch: pytest.MonkeyPatch, joining: bool
) -> None:
    """The interleaving the HTTP race above rarely hits, forced: the group's PATCH reads the person
    (still active), then their deactivation commits, then the group's PATCH brings the membership
    in line with what it read. (Joining, the new member row's foreign key already makes the
    deactivation wait; leaving deletes that row, and nothing did.)"""
    from resolvers import directory_roles, provisioning
    from resolvers.directory_rows import load_directory
    from resolvers.scim_resources import USER_MODEL, group_columns, user_columns

    directory, scim = open_directory(server, clients, "Forced interleaving")
    domain = unique_domain("scimrace")
    make_member(f"owner@{domain}", directory.organization_id, "admin")  # so the person is not the last admin
    person = scim.create_user(f"forced@{domain}")
    admins = scim.create_group("Admins", [] if joining else [person["id"]])
    run(update_directory(SystemPrincipal("test"), directory.id, group_roles=[(admins["id"], "admin")]))
    person = scim.get(f"/Users/{person['id']}").json()
    standing = directory_roles.apply_standing

    async def scenario() -> None:
        row = await load_directory(directory.id)
        assert row is not None
        read, resume = asyncio.Event(), asyncio.Event()

        async def after_reading(*args: Any, **kwargs: Any) -> None:
            read.set()  # the group's change has read the person's `active`
            await resume.wait()
            await standing(*args, **kwargs)

        monkeypatch.setattr(directory_roles, "apply_standing", after_reading)  # recompute_people's call only
        members = [{"value": person["id"]}] if joining else []
        moved = frozenset({person["id"]})
        group_change = asyncio.create_task(
            provisioning.replace_group(
                row,
                admins["id"],
                group_columns(Group.model_validate({**admins, "members": members})),
                change=provisioning.MemberChange(
                    added=moved if joining else frozenset(), removed=frozenset() if joining else moved
                ),
                expected_version=None,
            )
        )
        await asyncio.wait_for(read.wait(), 10)
        deactivated = USER_MODEL.model_validate({**person, "groups": None, "active": False})
        deactivation = asyncio.create_task(
            provisioning.replace_user(row, person["id"], user_columns(deactivated), expected_version=None)
        )
        await asyncio.wait({deactivation}, timeout=1)  # done, unless it waits for the group's change
        resume.set()
        await asyncio.gather(group_change, deactivation)

    run(scenario())
    membership = run(
        Membership.select(Membership.status, Membership.role.key.as_alias("role"), Membership.role_managed_by)
        .where(
            (Membership.user.email == person["userName"])
            & (Membership.organization == directory.organization_id)
        )
        .first()
        .run()
    )
    managed = (
        {"role": "admin", "role_managed_by": directory.id}
        if joining
        else {"role": "member", "role_managed_by": None}
    )
    assert membership == {"status": "suspended", **managed}
