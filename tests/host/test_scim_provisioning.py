"""SCIM provisioning over HTTP against the real server: users become members, groups decide roles,
deactivation ends what was granted at once, and a directory never reaches beyond itself."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import jwt
import pytest

from db.directories import DirectoryUser, ProvisioningEntry
from db.events import Event
from db.orgs import Membership
from db.users import User
from tests.support.backchannel import events_of, logout_claims
from tests.support.factories import make_app, make_member, make_organization, run
from tests.support.people import Person
from tests.support.receiver import Receiver
from tests.support.scim import GROUP_SCHEMA, SCIM_JSON, USER_SCHEMA, Directory, ScimClient, make_directory
from tests.support.server import ServerProcess
from tests.support.sso import make_verified_domain, unique_domain


@dataclass
class World:
    org: str
    domain: str
    directory: Directory
    scim: ScimClient


@pytest.fixture
def world(server: ServerProcess) -> Iterator[World]:
    org = make_organization("Provisioned Co", ["scim"])
    domain = unique_domain("scim")
    make_verified_domain(org, domain)
    make_member(f"owner@{domain}", org, "admin")  # a directory never demotes the last admin
    directory = make_directory(org)
    client = ScimClient(server.url, directory)
    yield World(org, domain, directory, client)
    client.close()


def membership(email: str, org: str) -> dict[str, Any] | None:
    row = run(
        Membership.select(
            Membership.status,
            Membership.source,
            Membership.role.key.as_alias("role"),
            Membership.role_managed_by,
        )
        .where((Membership.user.email == email) & (Membership.organization == org))
        .first()
        .run()
    )
    return dict(row) if row else None


def event_types(org: str) -> list[str]:
    rows = run(Event.select(Event.type).where(Event.organization_id == org).order_by(Event.id).run())
    return [str(row["type"]) for row in rows]


def test_a_pushed_user_becomes_an_active_member_and_reads_back_as_scim(world: World) -> None:
    email = f"ada@{world.domain}"
    created = world.scim.create_user(email, externalId="okta-00u1", displayName="Ada L")
    assert created["userName"] == email and created["externalId"] == "okta-00u1"
    assert created["meta"]["resourceType"] == "User"
    assert created["meta"]["location"].endswith(f"/scim/v2/{world.directory.id}/Users/{created['id']}")
    assert created["meta"]["version"] == 'W/"1"'
    assert membership(email, world.org) == {
        "status": "active",
        "source": "scim",
        "role": "member",
        "role_managed_by": None,
    }
    read = world.scim.get(f"/Users/{created['id']}")
    assert read.status_code == 200 and read.headers["content-type"].startswith(SCIM_JSON)
    assert read.headers["etag"] == 'W/"1"'
    assert read.json()["name"] == {"givenName": "Given", "familyName": "Family"}
    assert "directory.user_created" in event_types(world.org)
    log = run(ProvisioningEntry.select().where(ProvisioningEntry.directory == world.directory.id).run())
    assert [(row["operation"], row["status"], row["subject"]) for row in log] == [("create", 201, email)]


def test_people_outside_the_verified_domains_are_refused_unless_the_admin_allows_them(
    world: World, server: ServerProcess
) -> None:
    refused = world.scim.post(
        "/Users", {"schemas": [USER_SCHEMA], "userName": "eve@elsewhere.example.com", "active": True}
    )
    assert refused.status_code == 400
    error = refused.json()
    assert error["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert error["scimType"] == "invalidValue"
    assert "elsewhere.example.com" in error["detail"] and "verified" in error["detail"]
    assert run(User.count().where(User.email == "eve@elsewhere.example.com").run()) == 0
    failed = run(
        ProvisioningEntry.select()
        .where((ProvisioningEntry.directory == world.directory.id) & (ProvisioningEntry.status == 400))
        .run()
    )
    assert (
        failed and failed[0]["subject"] == "eve@elsewhere.example.com" and "verified" in failed[0]["detail"]
    )

    open_org = make_organization("Open Co", ["scim"])
    open_directory = make_directory(open_org, require_verified_domain=False)
    client = ScimClient(server.url, open_directory)
    try:
        client.create_user("eve@elsewhere.example.com")
        assert membership("eve@elsewhere.example.com", open_org)["status"] == "active"  # type: ignore[index]
    finally:
        client.close()


def test_an_address_with_an_account_joins_as_that_user_never_a_copy(world: World) -> None:
    email = f"grace@{world.domain}"
    other_org = make_organization("Other Co")
    user_id = make_member(email, other_org, "admin")
    created = world.scim.create_user(email)
    linked = run(
        DirectoryUser.select(DirectoryUser.user).where(DirectoryUser.id == created["id"]).first().run()
    )
    assert linked is not None and linked["user"] == user_id
    assert run(User.count().where(User.email == email).run()) == 1
    assert membership(email, world.org)["status"] == "active"  # type: ignore[index]
    assert membership(email, other_org)["role"] == "admin"  # type: ignore[index]
    # this organization's IdP does not rename someone another organization also has
    renamed = world.scim.patch(
        f"/Users/{created['id']}", [{"op": "replace", "path": "name.givenName", "value": "Changed"}]
    )
    assert renamed.status_code == 200, renamed.text
    assert run(User.select(User.first_name).where(User.id == user_id).first().run())["first_name"] == "Test"  # type: ignore[index]


def test_a_user_name_once_per_directory(world: World) -> None:
    email = f"dup@{world.domain}"
    world.scim.create_user(email)
    again = world.scim.post("/Users", {"schemas": [USER_SCHEMA], "userName": email.upper()})
    assert again.status_code == 409 and again.json()["scimType"] == "uniqueness"


def test_entra_deactivation_suspends_and_ends_sessions_refresh_tokens_and_notifies_the_app(
    world: World, browsers: Callable[[], Person], server: ServerProcess
) -> None:
    receiver = Receiver().start()
    try:
        app = make_app(backchannel_logout_uri=f"{receiver.url}/bcl")
        email = f"leaver@{world.domain}"
        created = world.scim.create_user(email)
        browser = browsers()
        browser.sign_in(email)
        tokens = browser.tokens_for(app, organization_id=world.org)
        claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
        # Entra ID's dialect: a capitalized op and the boolean as a string
        answer = world.scim.patch(
            f"/Users/{created['id']}", [{"op": "Replace", "path": "active", "value": "False"}]
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["active"] is False
        assert membership(email, world.org)["status"] == "suspended"  # type: ignore[index]
        logout = logout_claims(server, receiver, app)
        assert logout["sid"] == claims["sid"]
        assert events_of(claims["sid"]) == [
            ("user.logout", "deprovisioned"),
            ("session.revoked", "deprovisioned"),
        ]
        refreshed = browser.http.post(
            "/oauth/token",
            data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
            auth=(app.client_id, app.client_secret or ""),
        )
        assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"
        assert "directory.user_deactivated" in event_types(world.org)
        # Okta's dialect: a replace without a path, repeating the id
        back = world.scim.patch(
            f"/Users/{created['id']}", [{"op": "replace", "value": {"id": created["id"], "active": True}}]
        )
        assert back.status_code == 200, back.text
        assert membership(email, world.org)["status"] == "active"  # type: ignore[index]
    finally:
        receiver.stop()


def test_delete_suspends_and_a_new_push_restores_the_same_person(world: World) -> None:
    email = f"gone@{world.domain}"
    created = world.scim.create_user(email)
    assert world.scim.delete(f"/Users/{created['id']}").status_code == 204
    assert world.scim.get(f"/Users/{created['id']}").status_code == 404
    assert membership(email, world.org)["status"] == "suspended"  # type: ignore[index]
    world.scim.create_user(email)
    assert membership(email, world.org)["status"] == "active"  # type: ignore[index]
    assert run(User.count().where(User.email == email).run()) == 1


def test_group_mapping_gives_roles_and_takes_them_back(world: World) -> None:
    email = f"lead@{world.domain}"
    user = world.scim.create_user(email)
    group = world.scim.create_group("Engineering Admins", [])
    from resolvers.directories import update_directory
    from resolvers.principal import SystemPrincipal

    run(update_directory(SystemPrincipal("test"), world.directory.id, group_roles=[(group["id"], "admin")]))
    added = world.scim.patch(
        f"/Groups/{group['id']}", [{"op": "add", "path": "members", "value": [{"value": user["id"]}]}]
    )
    assert added.status_code == 200, added.text
    assert membership(email, world.org) == {
        "status": "active",
        "source": "scim",
        "role": "admin",
        "role_managed_by": world.directory.id,
    }
    assert world.scim.get(f"/Users/{user['id']}").json()["groups"][0]["value"] == group["id"]
    removed = world.scim.patch(
        f"/Groups/{group['id']}", [{"op": "remove", "path": f'members[value eq "{user["id"]}"]'}]
    )
    assert removed.status_code == 200, removed.text
    assert membership(email, world.org)["role"] == "member"  # type: ignore[index]
    assert membership(email, world.org)["role_managed_by"] is None  # type: ignore[index]


def test_if_match_with_a_stale_version_is_refused(world: World) -> None:
    user = world.scim.create_user(f"etag@{world.domain}")
    stale = world.scim.request(
        "PUT",
        f"/Users/{user['id']}",
        {"schemas": [USER_SCHEMA], "userName": user["userName"], "active": True},
        **{"If-Match": 'W/"7"'},
    )
    assert stale.status_code == 412
    fresh = world.scim.request(
        "PUT",
        f"/Users/{user['id']}",
        {"schemas": [USER_SCHEMA], "userName": user["userName"], "displayName": "New", "active": True},
        **{"If-Match": 'W/"1"'},
    )
    assert fresh.status_code == 200 and fresh.json()["meta"]["version"] == 'W/"2"'


def test_no_token_a_wrong_token_or_another_directory_gets_nothing(
    world: World, server: ServerProcess
) -> None:
    user = world.scim.create_user(f"private@{world.domain}")
    anonymous = ScimClient(server.url, world.directory, token="")
    wrong = ScimClient(server.url, world.directory, token="scim_not-the-token")
    other = make_directory(make_organization("Other", ["scim"]))
    other_client = ScimClient(server.url, other)
    try:
        for client in (anonymous, wrong):
            refused = client.get("/Users")
            assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")
        # the other directory's token does not open this directory, and its own sees none of it
        crossed = ScimClient(server.url, world.directory, token=other.token)
        assert crossed.get("/Users").status_code == 401
        crossed.close()
        assert other_client.get(f"/Users/{user['id']}").status_code == 404
        assert other_client.get("/Users").json()["totalResults"] == 0
        assert other_client.delete(f"/Users/{user['id']}").status_code == 404
    finally:
        for client in (anonymous, wrong, other_client):
            client.close()


def test_discovery_documents(world: World) -> None:
    config = world.scim.get("/ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True and config["bulk"]["supported"] is False
    assert config["filter"] == {"supported": True, "maxResults": 200}
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    types = {entry["name"]: entry for entry in world.scim.get("/ResourceTypes").json()["Resources"]}
    assert types["User"]["schemaExtensions"][0]["schema"].endswith("enterprise:2.0:User")
    assert set(types) == {"User", "Group"}
    schemas = {entry["id"] for entry in world.scim.get("/Schemas").json()["Resources"]}
    assert {USER_SCHEMA, GROUP_SCHEMA} <= schemas


def test_an_organization_without_the_scim_feature_gets_403_with_a_reason(world: World) -> None:
    from resolvers.organizations import set_features
    from resolvers.principal import SystemPrincipal

    run(set_features(SystemPrincipal("test"), world.org, []))
    refused = world.scim.get("/Users")
    assert refused.status_code == 403
    assert "not enabled" in refused.json()["detail"]


def test_values_too_long_for_their_columns_are_refused_in_scim_terms_and_nothing_is_written(
    world: World,
) -> None:
    long_name = "x" * 321 + f"@{world.domain}"
    cases = [
        {"schemas": [USER_SCHEMA], "userName": long_name},
        {"schemas": [USER_SCHEMA], "userName": f"ok@{world.domain}", "externalId": "e" * 400},
        {"schemas": [USER_SCHEMA], "userName": f"ok@{world.domain}", "name": {"givenName": "g" * 400}},
        {
            "schemas": [USER_SCHEMA],
            "userName": f"ok@{world.domain}",
            "emails": [{"value": f"e{n}@{world.domain}"} for n in range(21)],
        },
    ]
    for body in cases:
        refused = world.scim.post("/Users", body)
        assert refused.status_code == 400 and refused.json()["scimType"] == "invalidValue", refused.text
    assert world.scim.get("/Users").json()["totalResults"] == 0
    group = world.scim.post("/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "g" * 321})
    assert group.status_code == 400 and group.json()["scimType"] == "invalidValue"
