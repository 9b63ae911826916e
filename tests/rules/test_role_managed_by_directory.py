"""A role set by a SCIM directory's group mapping is shown as such and is not changed by hand: the
next push from the identity provider would undo it."""

from db.orgs import Membership
from resolvers.directories import create_directory, delete_directory
from resolvers.principal import SystemPrincipal
from tests.support.factories import make_member, make_organization, make_role, membership_id, run
from tests.support.graphql import error_codes
from tests.support.in_process import InProcessCaller, sign_in
from tests.support.people import unique_email

MEMBERS = """query($o: ID!) { organization(organizationId: $o) { members(first: 100) {
  nodes { id role roleManagedBy { directoryId directoryName } } } } }"""
CHANGE = """mutation($m: ID!, $role: String!) { changeMemberRole(memberId: $m, role: $role) {
  __typename ... on Member { role roleManagedBy { directoryId } }
  ... on RoleManagedByDirectory { code message directoryId directoryName } ... on Problem { code } } }"""


def person_of(organization: str, role: str = "admin") -> InProcessCaller:
    email = unique_email(f"managed-{role}")
    make_member(email, organization, role)
    return sign_in(email).portal()


def managed_member(organization: str, directory_name: str = "Okta (staff)") -> tuple[str, str]:
    """A member whose role the directory's mapping set (as the provisioning core records it)."""
    directory = run(
        create_directory(SystemPrincipal("test"), organization, provider="okta", name=directory_name)
    ).directory.id
    member = membership_id(make_member(unique_email("managed"), organization, "member"), organization)
    run(Membership.update({Membership.role_managed_by: directory}).where(Membership.id == member).run())
    return member, directory


def roles_by_member(caller: InProcessCaller, organization: str) -> dict[str, dict[str, object]]:
    body = caller(MEMBERS, o=organization)
    assert error_codes(body) == [], body
    return {node["id"]: node for node in body["data"]["organization"]["members"]["nodes"]}


def test_a_member_shows_the_directory_that_manages_their_role_and_null_when_set_by_hand() -> None:
    org = make_organization("Managed Co", ["scim"])
    admin = person_of(org)
    member, directory = managed_member(org)
    by_hand = membership_id(make_member(unique_email("by-hand"), org, "member"), org)
    listed = roles_by_member(admin, org)
    assert listed[member]["roleManagedBy"] == {"directoryId": directory, "directoryName": "Okta (staff)"}
    assert listed[by_hand]["roleManagedBy"] is None


def test_changing_a_managed_role_by_hand_is_refused_and_says_where_to_change_it() -> None:
    org = make_organization("Refusing Co", ["scim"])
    admin = person_of(org)
    member, directory = managed_member(org)
    answer = admin(CHANGE, m=member, role="admin")["data"]["changeMemberRole"]
    assert (answer["__typename"], answer["code"]) == ("RoleManagedByDirectory", "ROLE_MANAGED_BY_DIRECTORY")
    assert (answer["directoryId"], answer["directoryName"]) == (directory, "Okta (staff)")
    assert "Okta (staff)" in answer["message"]
    assert "group mapping" in answer["message"] and "identity provider" in answer["message"]
    assert roles_by_member(admin, org)[member]["role"] == "member"


def test_once_the_directory_is_deleted_the_role_is_changed_by_hand_again() -> None:
    org = make_organization("Released Co", ["scim"])
    admin = person_of(org)
    member, directory = managed_member(org)
    run(delete_directory(SystemPrincipal("test"), directory))
    assert roles_by_member(admin, org)[member]["roleManagedBy"] is None
    changed = admin(CHANGE, m=member, role="admin")["data"]["changeMemberRole"]
    assert (changed["__typename"], changed["role"], changed["roleManagedBy"]) == ("Member", "admin", None)


def test_only_members_readers_of_the_organization_see_who_manages_a_role() -> None:
    org = make_organization("Private Co", ["scim"])
    other = make_organization("Curious Co", ["scim"])
    member, _ = managed_member(org)
    make_role("no_people", ["sk_org_settings_read"])
    assert error_codes(person_of(org, "no_people")(MEMBERS, o=org)) == ["FORBIDDEN"]
    assert error_codes(person_of(other)(MEMBERS, o=org)) == ["FORBIDDEN"]
    outsider = person_of(other)(CHANGE, m=member, role="admin")
    assert error_codes(outsider) in (["NOT_FOUND"], ["FORBIDDEN"])
    assert "Okta" not in repr(outsider)
    assert roles_by_member(person_of(org, "member"), org)[member]["roleManagedBy"] is not None
