"""Request sequences in the shape Okta and Entra ID send them (their documented SCIM 2.0 payloads,
quirks included), replayed against the live server, each ending in the right memberships."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from db.orgs import Membership
from resolvers.directories import update_directory
from resolvers.principal import SystemPrincipal
from tests.support.factories import make_member, make_organization, run
from tests.support.scim import GROUP_SCHEMA, PATCH_SCHEMA, USER_SCHEMA, Directory, ScimClient, make_directory
from tests.support.server import ServerProcess
from tests.support.sso import make_verified_domain, unique_domain

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


@dataclass
class World:
    org: str
    domain: str
    directory: Directory
    scim: ScimClient


def _world(server: ServerProcess, provider: str) -> World:
    org = make_organization(f"{provider} Co", ["scim"])
    domain = unique_domain(provider.replace("_", "-"))
    make_verified_domain(org, domain)
    make_member(f"owner@{domain}", org, "admin")  # a directory never demotes the last admin
    directory = make_directory(org, provider=provider)
    return World(org, domain, directory, ScimClient(server.url, directory))


@pytest.fixture
def okta(server: ServerProcess) -> Iterator[World]:
    world = _world(server, "okta")
    yield world
    world.scim.close()


@pytest.fixture
def entra(server: ServerProcess) -> Iterator[World]:
    world = _world(server, "entra_id")
    yield world
    world.scim.close()


def standing(email: str, org: str) -> tuple[str, str] | None:
    row = run(
        Membership.select(Membership.status, Membership.role.key.as_alias("role"))
        .where((Membership.user.email == email) & (Membership.organization == org))
        .first()
        .run()
    )
    return (str(row["status"]), str(row["role"])) if row else None


def map_group(world: World, group_id: str, role: str) -> None:
    run(update_directory(SystemPrincipal("test"), world.directory.id, group_roles=[(group_id, role)]))


def ok(answer: Any, status: int = 200) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    body: dict[str, Any] = answer.json() if answer.content else {}
    return body


def test_okta_pushes_a_user_a_group_renames_it_and_deactivates_the_user(okta: World) -> None:
    email = f"dade.murphy@{okta.domain}"
    # Okta checks whether the user exists first
    found = ok(okta.scim.get("/Users", filter=f'userName eq "{email}"', startIndex=1, count=100))
    assert found["totalResults"] == 0 and found["Resources"] == [] if "Resources" in found else True
    user = ok(
        okta.scim.post(
            "/Users",
            {
                "schemas": [USER_SCHEMA],
                "userName": email,
                "name": {"givenName": "Dade", "familyName": "Murphy"},
                "emails": [{"primary": True, "value": email, "type": "work"}],
                "displayName": "Dade Murphy",
                "locale": "en-US",
                "externalId": "00u1dhhb1fkIGP7RL1d8",
                "groups": [],
                "password": "1mz050nq",
                "active": True,
            },
        ),
        201,
    )
    assert "password" not in user
    assert standing(email, okta.org) == ("active", "member")
    found = ok(okta.scim.get("/Users", filter=f'userName eq "{email.upper()}"', startIndex=1, count=100))
    assert [resource["id"] for resource in found["Resources"]] == [user["id"]]
    # a profile update is a PUT of the whole user
    updated = ok(
        okta.scim.put(
            f"/Users/{user['id']}",
            {
                "schemas": [USER_SCHEMA],
                "id": user["id"],
                "userName": email,
                "name": {"givenName": "Dade", "familyName": "Murphy-Zero"},
                "emails": [{"primary": True, "value": email, "type": "work"}],
                "active": True,
            },
        )
    )
    assert updated["name"]["familyName"] == "Murphy-Zero"
    group = ok(
        okta.scim.post(
            "/Groups",
            {
                "schemas": [GROUP_SCHEMA],
                "displayName": "Test SCIMv2",
                "members": [{"value": user["id"], "display": email}],
            },
        ),
        201,
    )
    map_group(okta, group["id"], "admin")
    assert standing(email, okta.org) == ("active", "admin")
    # Okta renames with a path-less replace that repeats the id
    renamed = ok(
        okta.scim.patch(
            f"/Groups/{group['id']}",
            [{"op": "replace", "value": {"id": group["id"], "displayName": "Test SCIMv2 renamed"}}],
        )
    )
    assert renamed["displayName"] == "Test SCIMv2 renamed"
    assert standing(email, okta.org) == ("active", "admin")  # mapped by id: a rename keeps the role
    ok(
        okta.scim.patch(
            f"/Groups/{group['id']}", [{"op": "remove", "path": f'members[value eq "{user["id"]}"]'}]
        )
    )
    assert standing(email, okta.org) == ("active", "member")
    ok(
        okta.scim.patch(
            f"/Groups/{group['id']}",
            [{"op": "add", "path": "members", "value": [{"value": user["id"], "display": email}]}],
        )
    )
    assert standing(email, okta.org) == ("active", "admin")
    ok(okta.scim.patch(f"/Users/{user['id']}", [{"op": "replace", "value": {"active": False}}]))
    assert standing(email, okta.org) == ("suspended", "admin")
    assert ok(okta.scim.delete(f"/Groups/{group['id']}"), 204) == {}
    assert standing(email, okta.org) == ("suspended", "member")
    ok(okta.scim.patch(f"/Users/{user['id']}", [{"op": "replace", "value": {"active": True}}]))
    assert standing(email, okta.org) == ("active", "member")


def test_entra_id_provisions_with_its_dialect_and_deletes(entra: World) -> None:
    email = f"alex.wu@{entra.domain}"
    ok(entra.scim.get("/Users", filter=f'userName eq "{email}"'))
    user = ok(
        entra.scim.post(
            "/Users",
            {
                "schemas": [USER_SCHEMA, ENTERPRISE],
                "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
                "userName": email,
                "active": True,
                "addresses": [{"primary": True, "type": "work", "country": "US"}],
                "displayName": "Alex Wu",
                "emails": [{"primary": True, "type": "work", "value": email}],
                "meta": {"resourceType": "User"},
                "name": {"formatted": "Alex Wu", "familyName": "Wu", "givenName": "Alex"},
                "roles": [],
                ENTERPRISE: {"department": "Engineering", "employeeNumber": "1001"},
            },
        ),
        201,
    )
    assert user[ENTERPRISE]["department"] == "Engineering"
    ok(
        entra.scim.patch(
            f"/Users/{user['id']}",
            [
                {"op": "Replace", "path": "name.familyName", "value": "Wu-Li"},
                {
                    "op": "Add",
                    "path": f"{ENTERPRISE}:manager",
                    "value": "26118915-6090-4610-87a4-49d0ca7aa8c1",
                },
                {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Platform"},
            ],
        )
    )
    read = ok(entra.scim.get(f"/Users/{user['id']}"))
    assert read["name"]["familyName"] == "Wu-Li"
    assert read[ENTERPRISE]["department"] == "Platform"
    assert read[ENTERPRISE]["manager"]["value"] == "26118915-6090-4610-87a4-49d0ca7aa8c1"
    ok(entra.scim.get("/Groups", filter='displayName eq "Finance Admins"', excludedAttributes="members"))
    group = ok(
        entra.scim.post(
            "/Groups",
            {
                "schemas": [GROUP_SCHEMA],
                "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
                "displayName": "Finance Admins",
                "meta": {"resourceType": "Group"},
            },
        ),
        201,
    )
    map_group(entra, group["id"], "admin")
    ok(
        entra.scim.patch(
            f"/Groups/{group['id']}", [{"op": "Add", "path": "members", "value": [{"value": user["id"]}]}]
        )
    )
    assert standing(email, entra.org) == ("active", "admin")
    listed = ok(
        entra.scim.get("/Groups", filter='displayName eq "Finance Admins"', excludedAttributes="members")
    )
    assert listed["totalResults"] == 1 and "members" not in listed["Resources"][0]
    # Entra ID removes a member with a value instead of a value filter
    ok(
        entra.scim.patch(
            f"/Groups/{group['id']}", [{"op": "Remove", "path": "members", "value": [{"value": user["id"]}]}]
        )
    )
    assert standing(email, entra.org) == ("active", "member")
    ok(entra.scim.patch(f"/Users/{user['id']}", [{"op": "Replace", "path": "active", "value": "False"}]))
    assert standing(email, entra.org) == ("suspended", "member")
    ok(entra.scim.patch(f"/Users/{user['id']}", [{"op": "Replace", "path": "active", "value": "True"}]))
    assert standing(email, entra.org) == ("active", "member")
    assert ok(entra.scim.delete(f"/Users/{user['id']}"), 204) == {}
    assert standing(email, entra.org) == ("suspended", "member")


def test_deprovisioning_unmapped_people_suspends_them_when_the_admin_chose_it(okta: World) -> None:
    run(update_directory(SystemPrincipal("test"), okta.directory.id, deprovision_when_unmapped=True))
    email = f"scoped@{okta.domain}"
    user = okta.scim.create_user(email)
    group = okta.scim.create_group("App Users", [user["id"]])
    map_group(okta, group["id"], "member")
    assert standing(email, okta.org) == ("active", "member")
    ok(
        okta.scim.patch(
            f"/Groups/{group['id']}", [{"op": "remove", "path": f'members[value eq "{user["id"]}"]'}]
        )
    )
    assert standing(email, okta.org) == ("suspended", "member")
    ok(
        okta.scim.patch(
            f"/Groups/{group['id']}", [{"op": "add", "path": "members", "value": [{"value": user["id"]}]}]
        )
    )
    assert standing(email, okta.org) == ("active", "member")


def test_patch_documents_keep_their_schema_and_unknown_ops_are_refused(okta: World) -> None:
    user = okta.scim.create_user(f"strict@{okta.domain}")
    refused = okta.scim.request(
        "PATCH",
        f"/Users/{user['id']}",
        {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "merge", "path": "active", "value": False}]},
    )
    assert refused.status_code == 400 and refused.json()["scimType"] in ("invalidSyntax", "invalidValue")
    assert standing(user["userName"], okta.org) == ("active", "member")
