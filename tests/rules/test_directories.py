"""SCIM directories through GraphQL: made with a token shown once, tokens rotated with an overlap and
revoked, settings and group → role mappings changed, deleted, and who may do each."""

import datetime as dt
from typing import Any

import pytest

from db.directories import Directory, DirectoryGroup
from db.events import AuditEvent
from db.orgs import Organization
from resolvers import directories as directory_rules
from resolvers.crypto import hash_token
from resolvers.deployment import Deployment
from resolvers.directories import MAX_DIRECTORIES_PER_ORGANIZATION
from resolvers.errors import FeatureNotEnabled
from tests.conftest import Clock
from tests.support.factories import make_member, make_organization, make_role, run
from tests.support.graphql import error_codes
from tests.support.in_process import InProcessCaller, sign_in
from tests.support.people import unique_email
from tests.support.scim import make_directory, push_group_row

FIELDS = """id name provider scimBaseUrl hasToken tokenHint tokenCreatedAt previousTokenExpiresAt
  requireVerifiedDomain deprovisionWhenUnmapped defaultRole lastRequestAt userCount groupCount
  groupRoles { role group { id displayName memberCount } } createdAt updatedAt"""
PROBLEM = "... on Problem { code message } ... on InvalidInput { field }"
CREATE = f"""mutation($o: ID, $input: CreateDirectoryInput!) {{ createDirectory(organizationId: $o, input: $input) {{
  __typename ... on DirectoryWithToken {{ token directory {{ {FIELDS} }} }} {PROBLEM} }} }}"""
UPDATE = f"""mutation($id: ID!, $input: UpdateDirectoryInput!) {{ updateDirectory(directoryId: $id, input: $input) {{
  __typename ... on Directory {{ {FIELDS} }} {PROBLEM} }} }}"""
ROTATE = f"""mutation($id: ID!, $overlap: Int!) {{ rotateDirectoryToken(directoryId: $id, overlapMinutes: $overlap) {{
  __typename ... on DirectoryWithToken {{ token directory {{ {FIELDS} }} }} {PROBLEM} }} }}"""
REVOKE = f"""mutation($id: ID!) {{ revokeDirectoryToken(directoryId: $id) {{
  __typename ... on Directory {{ {FIELDS} }} ... on Problem {{ code message }} }} }}"""
DELETE = """mutation($id: ID!) { deleteDirectory(directoryId: $id) {
  __typename ... on DirectoryDeleted { directory { id name } } ... on Problem { code } } }"""
LIST = """query($o: ID!) { organization(organizationId: $o) { directories { nodes { id name } } } }"""
ONE = f"""query($id: ID!) {{ directory(directoryId: $id) {{ {FIELDS} }} }}"""
USERS = """query($id: ID!) { directory(directoryId: $id) { users { nodes { id } } } }"""
GROUPS = """query($id: ID!) { directory(directoryId: $id) { groups { nodes { id } } } }"""
LOG = """query($id: ID!) { directory(directoryId: $id) { provisioningLog { nodes { id } } } }"""
READS = (ONE, USERS, GROUPS, LOG)


def person_of(organization: str, role: str = "admin") -> InProcessCaller:
    email = unique_email(f"scim-{role}")
    make_member(email, organization, role)
    return sign_in(email).portal()


def create(caller: InProcessCaller, organization: str, **input: Any) -> dict[str, Any]:
    body = caller(CREATE, o=organization, input={"provider": "OKTA", **input})
    assert error_codes(body) == [], body
    result: dict[str, Any] = body["data"]["createDirectory"]
    return result


def mutations(directory_id: str) -> list[tuple[str, dict[str, Any]]]:
    """Every mutation on one directory, with harmless variables."""
    return [
        (UPDATE, {"id": directory_id, "input": {"name": "Hijacked"}}),
        (ROTATE, {"id": directory_id, "overlap": 0}),
        (REVOKE, {"id": directory_id}),
        (DELETE, {"id": directory_id}),
    ]


def stored(directory_id: str) -> dict[str, Any]:
    row = run(Directory.select().where(Directory.id == directory_id).first().run())
    assert row is not None
    return dict(row)


def authenticates(directory_id: str, token: str) -> bool:
    return run(directory_rules.authenticate(directory_id, token)) is not None


def test_an_admin_makes_a_directory_and_sees_its_token_once_while_only_its_hash_is_kept(
    deployment: Deployment,
) -> None:
    org = make_organization("Okta Co", ["scim"])
    admin = person_of(org)
    made = create(admin, org)
    assert made["__typename"] == "DirectoryWithToken"
    token, directory = made["token"], made["directory"]
    assert token.startswith("scim_") and len(token) > 40
    assert (directory["name"], directory["provider"], directory["defaultRole"]) == ("Okta", "OKTA", "member")
    assert directory["scimBaseUrl"] == f"{deployment.issuer}/scim/v2/{directory['id']}"
    assert (directory["hasToken"], directory["tokenHint"]) == (True, token[-4:])
    assert directory["previousTokenExpiresAt"] is None and directory["tokenCreatedAt"]
    assert (directory["userCount"], directory["groupCount"], directory["groupRoles"]) == (0, 0, [])
    assert (directory["requireVerifiedDomain"], directory["deprovisionWhenUnmapped"]) == (True, False)
    row = stored(directory["id"])
    assert row["token_hash"] == hash_token(token)
    assert token not in repr(row)
    audit = run(AuditEvent.select().where(AuditEvent.target_id == directory["id"]).run())
    assert [entry["action"] for entry in audit] == ["directory.created"]
    assert token not in repr(audit)
    read = admin(ONE, id=directory["id"])["data"]["directory"]
    assert read == directory  # the token is never readable again: no field holds it
    listed = admin(LIST, o=org)["data"]["organization"]["directories"]["nodes"]
    assert listed == [{"id": directory["id"], "name": "Okta"}]
    assert authenticates(directory["id"], token)
    assert not authenticates(directory["id"], token + "x")


def test_a_rotated_token_works_at_once_and_the_old_one_until_the_overlap_ends(clock: Clock) -> None:
    org = make_organization("Rotate Co", ["scim"])
    admin = person_of(org)
    made = create(admin, org)
    directory_id, old = made["directory"]["id"], made["token"]
    rotated = admin(ROTATE, id=directory_id, overlap=10)["data"]["rotateDirectoryToken"]
    new = rotated["token"]
    assert new != old and rotated["directory"]["tokenHint"] == new[-4:]
    expires = dt.datetime.fromisoformat(rotated["directory"]["previousTokenExpiresAt"])
    assert dt.timedelta(minutes=9) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(minutes=10)
    assert stored(directory_id)["previous_token_hash"] == hash_token(old)
    assert authenticates(directory_id, old) and authenticates(directory_id, new)
    clock.advance(9 * 60)
    assert authenticates(directory_id, old)
    clock.advance(2 * 60)
    assert not authenticates(directory_id, old)
    assert authenticates(directory_id, new)
    assert not authenticates("dir_someone_else", new)


def test_a_rotation_without_overlap_stops_the_old_token_now_and_the_overlap_is_bounded() -> None:
    org = make_organization("Cutover Co", ["scim"])
    admin = person_of(org)
    made = create(admin, org)
    directory_id, old = made["directory"]["id"], made["token"]
    for overlap in (-1, 7 * 24 * 60 + 1):
        refused = admin(ROTATE, id=directory_id, overlap=overlap)["data"]["rotateDirectoryToken"]
        assert (refused["__typename"], refused["field"]) == ("InvalidInput", "overlapMinutes")
    assert authenticates(directory_id, old) and stored(directory_id)["token_hash"] == hash_token(old)
    rotated = admin(ROTATE, id=directory_id, overlap=0)["data"]["rotateDirectoryToken"]
    assert rotated["directory"]["previousTokenExpiresAt"] is None
    assert not authenticates(directory_id, old)
    assert authenticates(directory_id, rotated["token"])


def test_revoking_stops_every_token_until_the_next_rotation() -> None:
    org = make_organization("Revoke Co", ["scim"])
    admin = person_of(org)
    made = create(admin, org)
    directory_id, first = made["directory"]["id"], made["token"]
    second = admin(ROTATE, id=directory_id, overlap=60)["data"]["rotateDirectoryToken"]["token"]
    revoked = admin(REVOKE, id=directory_id)["data"]["revokeDirectoryToken"]
    assert (revoked["hasToken"], revoked["tokenHint"], revoked["tokenCreatedAt"]) == (False, None, None)
    assert revoked["previousTokenExpiresAt"] is None
    assert not authenticates(directory_id, first) and not authenticates(directory_id, second)
    third = admin(ROTATE, id=directory_id, overlap=60)["data"]["rotateDirectoryToken"]
    assert third["directory"]["hasToken"] and third["directory"]["previousTokenExpiresAt"] is None
    assert authenticates(directory_id, third["token"]) and not authenticates(directory_id, second)


def test_a_stale_sign_in_must_be_confirmed_before_changing_a_directory(clock: Clock) -> None:
    org = make_organization("Stale Co", ["scim"])
    admin = person_of(org)
    made = create(admin, org)
    directory_id = made["directory"]["id"]
    clock.advance(6 * 60)
    answers = [admin(CREATE, o=org, input={"provider": "OKTA"})["data"]["createDirectory"]]
    answers += [admin(document, **variables)["data"] for document, variables in mutations(directory_id)]
    for answer in answers:
        assert "ReauthenticationRequired" in repr(answer), answer
    after = admin(ONE, id=directory_id)["data"]["directory"]
    assert (after["name"], after["tokenHint"]) == ("Okta", made["token"][-4:])
    assert len(admin(LIST, o=org)["data"]["organization"]["directories"]["nodes"]) == 1


def test_names_are_one_printable_line_and_an_organization_has_at_most_five_directories() -> None:
    org = make_organization("Names Co", ["scim"])
    admin = person_of(org)
    for hostile in ("Okta\nBcc: everyone", "  ", "x" * 121):
        refused = create(admin, org, name=hostile)
        assert (refused["__typename"], refused["field"]) == ("InvalidInput", "name"), hostile
    for unusable in ("a\u0000b", "x" * 501, "\ud800"):
        body = admin(CREATE, o=org, input={"provider": "OKTA", "name": unusable})
        assert error_codes(body) == ["BAD_INPUT"], body
    literal = admin('mutation { createDirectory(input: {provider: OKTA, name: "a\\u0000b"}) { __typename } }')
    assert error_codes(literal) == ["BAD_INPUT"]
    assert admin(LIST, o=org)["data"]["organization"]["directories"]["nodes"] == []
    assert create(admin, org, provider="GENERIC", name="<script>alert(1)</script>")["directory"]["name"] == (
        "<script>alert(1)</script>"  # stored as text; the portal renders text, never HTML
    )
    for _ in range(MAX_DIRECTORIES_PER_ORGANIZATION - 1):
        assert create(admin, org)["__typename"] == "DirectoryWithToken"
    over = create(admin, org)
    assert over["__typename"] == "InvalidInput" and "up to 5" in over["message"]
    assert len(admin(LIST, o=org)["data"]["organization"]["directories"]["nodes"]) == 5


def test_an_admin_changes_the_settings_and_a_refused_change_writes_nothing() -> None:
    org = make_organization("Settings Co", ["scim"])
    admin = person_of(org)
    directory_id = create(admin, org)["directory"]["id"]
    changed = admin(
        UPDATE,
        id=directory_id,
        input={"name": "Okta (staff)", "requireVerifiedDomain": False, "deprovisionWhenUnmapped": True},
    )["data"]["updateDirectory"]
    assert (changed["name"], changed["requireVerifiedDomain"], changed["deprovisionWhenUnmapped"]) == (
        "Okta (staff)",
        False,
        True,
    )
    refused = admin(UPDATE, id=directory_id, input={"name": "Fine", "defaultRole": "nobody"})
    answer = refused["data"]["updateDirectory"]
    assert (answer["__typename"], answer["field"]) == ("InvalidInput", "defaultRole")
    assert admin(ONE, id=directory_id)["data"]["directory"]["name"] == "Okta (staff)"
    bad_role = admin(UPDATE, id=directory_id, input={"defaultRole": "x" * 65})
    assert error_codes(bad_role) == ["BAD_INPUT"]


def test_groups_of_this_directory_map_to_roles_in_order() -> None:
    org = make_organization("Mapping Co", ["scim"])
    admin = person_of(org)
    directory_id = create(admin, org)["directory"]["id"]
    engineers, admins = push_group_row(directory_id, "Engineers"), push_group_row(directory_id, "Admins")
    mapping = [{"groupId": admins, "role": "admin"}, {"groupId": engineers, "role": "member"}]
    mapped = admin(UPDATE, id=directory_id, input={"groupRoles": mapping})["data"]["updateDirectory"]
    assert [(pair["group"]["displayName"], pair["role"]) for pair in mapped["groupRoles"]] == [
        ("Admins", "admin"),
        ("Engineers", "member"),
    ]
    assert mapped["groupCount"] == 2
    assert admin(ONE, id=directory_id)["data"]["directory"]["groupRoles"] == mapped["groupRoles"]
    elsewhere = push_group_row(create(admin, org)["directory"]["id"], "Elsewhere")
    for bad in (
        [{"groupId": elsewhere, "role": "member"}],
        [{"groupId": admins, "role": "admin"}, {"groupId": admins, "role": "member"}],
        [{"groupId": admins, "role": "nobody"}],
    ):
        answer = admin(UPDATE, id=directory_id, input={"groupRoles": bad})["data"]["updateDirectory"]
        assert (answer["__typename"], answer["field"]) == ("InvalidInput", "groupRoles"), bad
    too_many = [{"groupId": f"dgr_{n}", "role": "member"} for n in range(21)]
    answer = admin(UPDATE, id=directory_id, input={"groupRoles": too_many})["data"]["updateDirectory"]
    assert answer["__typename"] == "InvalidInput" and "at most 20" in answer["message"]
    assert [pair["role"] for pair in admin(ONE, id=directory_id)["data"]["directory"]["groupRoles"]] == [
        "admin",
        "member",
    ]


def test_only_someone_with_authority_over_every_role_sets_up_or_changes_a_directory() -> None:
    """A directory suspends and re-roles anyone: whoever makes, changes or rotates one holds every
    permission an admin has (one who lacks them would act above themself through its token)."""
    org = make_organization("Authority Co", ["scim"])
    make_role("scim_only", ["sk_org_scim_manage"])
    manager = person_of(org, "scim_only")
    made = create(manager, org)
    assert (made["__typename"], made["code"]) == ("RoleOutranksYou", "ROLE_OUTRANKS_YOU")
    directory_id = make_directory(org).id  # an integrator's
    group = push_group_row(directory_id, "Admins")
    for input in (
        {"defaultRole": "admin"},
        {"groupRoles": [{"groupId": group, "role": "admin"}], "name": "x"},
    ):
        answer = manager(UPDATE, id=directory_id, input=input)["data"]["updateDirectory"]
        assert (answer["__typename"], answer["code"]) == ("RoleOutranksYou", "ROLE_OUTRANKS_YOU"), input
    rotated = manager(ROTATE, id=directory_id, overlap=0)["data"]["rotateDirectoryToken"]
    assert rotated["__typename"] == "RoleOutranksYou"
    after = manager(ONE, id=directory_id)["data"]["directory"]
    assert (after["name"], after["defaultRole"], after["groupRoles"]) == ("Okta", "member", [])


def test_deleting_a_directory_removes_it_with_its_groups() -> None:
    org = make_organization("Delete Co", ["scim"])
    admin = person_of(org)
    made = create(admin, org)
    directory_id = made["directory"]["id"]
    push_group_row(directory_id, "Doomed")
    deleted = admin(DELETE, id=directory_id)["data"]["deleteDirectory"]
    assert deleted["directory"] == {"id": directory_id, "name": "Okta"}
    assert error_codes(admin(ONE, id=directory_id)) == ["NOT_FOUND"]
    assert run(DirectoryGroup.count().where(DirectoryGroup.directory == directory_id).run()) == 0
    assert not authenticates(directory_id, made["token"])


def test_another_organizations_admin_can_neither_see_nor_touch_a_directory() -> None:
    org = make_organization("Mine Co", ["scim"])
    other = make_organization("Theirs Co", ["scim"])
    admin = person_of(org)
    made = create(admin, org)
    directory_id = made["directory"]["id"]
    outsider = person_of(other)
    for document in READS:
        assert error_codes(outsider(document, id=directory_id)) == ["NOT_FOUND"], document
    for document, variables in mutations(directory_id):
        assert error_codes(outsider(document, **variables)) == ["NOT_FOUND"], document
    assert error_codes(outsider(LIST, o=org)) == ["FORBIDDEN"]
    assert error_codes(outsider(CREATE, o=org, input={"provider": "OKTA"})) == ["FORBIDDEN"]
    after = admin(ONE, id=directory_id)["data"]["directory"]
    assert (after["name"], after["tokenHint"]) == ("Okta", made["token"][-4:])
    assert authenticates(directory_id, made["token"])


def test_reading_needs_scim_read_and_changing_needs_scim_manage() -> None:
    org = make_organization("Roles Co", ["scim"])
    directory_id = create(person_of(org), org)["directory"]["id"]
    member = person_of(org, "member")
    for document in READS:
        assert error_codes(member(document, id=directory_id)) == ["FORBIDDEN"], document
    assert error_codes(member(LIST, o=org)) == ["FORBIDDEN"]
    make_role("scim_reader", ["sk_org_scim_read", "sk_org_settings_read"])
    reader = person_of(org, "scim_reader")
    for document in READS:
        assert error_codes(reader(document, id=directory_id)) == [], document
    assert reader(LIST, o=org)["data"]["organization"]["directories"]["nodes"][0]["id"] == directory_id
    assert error_codes(reader(CREATE, o=org, input={"provider": "OKTA"})) == ["FORBIDDEN"]
    for document, variables in mutations(directory_id):
        assert error_codes(reader(document, **variables)) == ["FORBIDDEN"], document
    assert reader(ONE, id=directory_id)["data"]["directory"]["hasToken"] is True


def test_without_the_scim_feature_nothing_is_shown_made_or_authenticated() -> None:
    org = make_organization("No SCIM Co", [])
    admin = person_of(org)
    assert error_codes(admin(LIST, o=org)) == ["FEATURE_NOT_ENABLED"]
    assert error_codes(admin(CREATE, o=org, input={"provider": "OKTA"})) == ["FEATURE_NOT_ENABLED"]
    lapsed = make_organization("Lapsed Co", ["scim"])
    lapsed_admin = person_of(lapsed)
    made = create(lapsed_admin, lapsed)
    run(Organization.update({Organization.features: []}).where(Organization.id == lapsed).run())
    directory_id = made["directory"]["id"]
    for document in READS:
        assert error_codes(lapsed_admin(document, id=directory_id)) == ["FEATURE_NOT_ENABLED"], document
    for document, variables in mutations(directory_id):
        assert error_codes(lapsed_admin(document, **variables)) == ["FEATURE_NOT_ENABLED"], document
    with pytest.raises(FeatureNotEnabled):  # the SCIM edge answers 403 with this reason
        authenticates(directory_id, made["token"])


def test_an_app_holding_the_admins_token_reads_directories_but_cannot_change_them() -> None:
    org = make_organization("App Co", ["scim"])
    email = unique_email("scim-app")
    make_member(email, org, "admin")
    directory_id = create(sign_in(email).portal(), org)["directory"]["id"]
    app = sign_in(email).app()
    assert error_codes(app(CREATE, o=org, input={"provider": "OKTA"})) == ["FORBIDDEN"]
    for document, variables in mutations(directory_id):
        assert error_codes(app(document, **variables)) == ["FORBIDDEN"], document
    for document in READS:
        assert error_codes(app(document, id=directory_id)) == [], document


def test_an_integrator_manages_any_organizations_directories_without_a_sign_in(
    integrator: InProcessCaller,
) -> None:
    org = make_organization("Integrated Co", ["scim"])
    made = create(integrator, org, provider="ENTRA_ID")
    assert (made["directory"]["name"], made["directory"]["provider"]) == ("Microsoft Entra ID", "ENTRA_ID")
    directory_id = made["directory"]["id"]
    rotated = integrator(ROTATE, id=directory_id, overlap=5)["data"]["rotateDirectoryToken"]
    assert rotated["__typename"] == "DirectoryWithToken"
    assert integrator(DELETE, id=directory_id)["data"]["deleteDirectory"]["directory"]["id"] == directory_id
    actions = run(AuditEvent.select(AuditEvent.action).where(AuditEvent.target_id == directory_id).run())
    assert [row["action"] for row in actions] == [
        "directory.created",
        "directory.token_rotated",
        "directory.deleted",
    ]
