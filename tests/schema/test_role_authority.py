"""Nobody acts above their own authority: changing, removing or un-inviting someone needs every
permission of their current role, and of the new one (resolvers/role_authority.py), over /graphql."""

import secrets
from collections.abc import Iterator

import pytest

from resolvers.seed import SYSTEM_PERMISSIONS
from tests.support.factories import make_invitation, make_member, make_organization, make_role, membership_id
from tests.support.graphql import GraphQLCaller, error_codes
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

CHANGE_ROLE = "mutation($id: ID!, $role: String!) { changeMemberRole(memberId: $id, role: $role) { __typename ... on Problem { code } ... on RoleOutranksYou { missingPermissions } ... on Member { role } } }"
REMOVE = "mutation($id: ID!) { removeMember(memberId: $id) { __typename ... on Problem { code } ... on RoleOutranksYou { missingPermissions } } }"
REVOKE = "mutation($id: ID!) { revokeInvitation(invitationId: $id) { __typename ... on Problem { code } ... on RoleOutranksYou { missingPermissions } ... on Invitation { status } } }"
RESEND = "mutation($id: ID!) { resendInvitation(invitationId: $id) { __typename ... on Problem { code } ... on RoleOutranksYou { missingPermissions } ... on Invitation { status } } }"
MEMBERS = "query($org: ID!) { organization(organizationId: $org) { members(first: 100) { nodes { id role } } invitations { nodes { id status } } } }"
MANAGER = ["sk_org_settings_read", "sk_org_users_read", "sk_org_users_role_change", "sk_org_users_delete"]


@pytest.fixture
def people(server: ServerProcess, mail: MailSink) -> Iterator[list[Person]]:
    signed_in: list[Person] = []
    yield signed_in
    for person in signed_in:
        person.http.close()


def signed_in_as(server: ServerProcess, mail: MailSink, people: list[Person], email: str) -> Person:
    person = Person.at(server.url, mail)
    person.sign_in(email)
    people.append(person)
    return person


def roles_in(caller: GraphQLCaller, org: str) -> dict[str, str]:
    nodes = caller(MEMBERS, org=org)["data"]["organization"]["members"]["nodes"]
    return {node["id"]: node["role"] for node in nodes}


def test_a_manager_can_neither_demote_nor_remove_an_admin(
    server: ServerProcess, mail: MailSink, people: list[Person]
) -> None:
    org = make_organization("Outranked")
    admin_email, manager_email = unique_email("the-admin"), unique_email("the-manager")
    admin_id = membership_id(make_member(admin_email, org, "admin"), org)
    manager_role = f"manager_{secrets.token_hex(3)}"
    make_role(manager_role, MANAGER)
    make_member(manager_email, org, manager_role)
    manager_person = signed_in_as(server, mail, people, manager_email)
    manager = GraphQLCaller.for_person(manager_person)
    app_of_manager = GraphQLCaller.as_app_for(manager_person)  # an app acting as the manager
    lacking = sorted(set(SYSTEM_PERMISSIONS) - set(MANAGER))
    for caller in (manager, app_of_manager):
        demoted = caller(CHANGE_ROLE, id=admin_id, role="member")["data"]["changeMemberRole"]
        assert demoted == {
            "__typename": "RoleOutranksYou",
            "code": "ROLE_OUTRANKS_YOU",
            "missingPermissions": lacking,
        }
        removed = caller(REMOVE, id=admin_id)["data"]["removeMember"]
        assert removed == {
            "__typename": "RoleOutranksYou",
            "code": "ROLE_OUTRANKS_YOU",
            "missingPermissions": lacking,
        }
    app_of_manager.http.close()
    admin = GraphQLCaller.for_person(signed_in_as(server, mail, people, admin_email))
    assert roles_in(admin, org)[admin_id] == "admin", "the admin is still admin"


def test_an_admin_cannot_touch_an_owner_whose_role_holds_an_app_defined_permission(
    server: ServerProcess, mail: MailSink, people: list[Person], integrator: GraphQLCaller
) -> None:
    org = make_organization("Owned")
    billing = f"billing:{secrets.token_hex(3)}"
    created = integrator("mutation($k: String!) { createPermission(key: $k) { __typename } }", k=billing)
    assert created["data"]["createPermission"]["__typename"] == "PermissionCreated"
    owner_role = f"owner_{secrets.token_hex(3)}"
    make_role(owner_role, [*SYSTEM_PERMISSIONS, billing])
    admin_email = unique_email("plain-admin")
    make_member(admin_email, org, "admin")
    owner_id = membership_id(make_member(unique_email("owner"), org, owner_role), org)
    admin = GraphQLCaller.for_person(signed_in_as(server, mail, people, admin_email))
    for document, field, extra in (
        (CHANGE_ROLE, "changeMemberRole", {"role": "member"}),
        (REMOVE, "removeMember", {}),
    ):
        refused = admin(document, id=owner_id, **extra)["data"][field]
        assert refused["code"] == "ROLE_OUTRANKS_YOU" and refused["missingPermissions"] == [billing]
    assert roles_in(admin, org)[owner_id] == owner_role
    # an invitation made with the owner's role is just as far out of the admin's reach
    invitation = make_invitation(org, unique_email("future-owner"), owner_role)
    for document, field in ((REVOKE, "revokeInvitation"), (RESEND, "resendInvitation")):
        refused = admin(document, id=invitation)["data"][field]
        assert refused["code"] == "ROLE_OUTRANKS_YOU" and refused["missingPermissions"] == [billing]
    statuses = {
        row["id"]: row["status"]
        for row in admin(MEMBERS, org=org)["data"]["organization"]["invitations"]["nodes"]
    }
    assert statuses[invitation] == "PENDING"
    # the integrator acts for the whole environment: roles do not limit it
    removed = integrator(REMOVE, id=owner_id)["data"]["removeMember"]
    assert removed["__typename"] == "MemberRemoved"


def test_an_admin_of_another_organization_cannot_revoke_an_invitation(
    server: ServerProcess, mail: MailSink, people: list[Person]
) -> None:
    org, other = make_organization("Mine"), make_organization("Theirs")
    stranger_email = unique_email("stranger-admin")
    make_member(stranger_email, other, "admin")
    invitation = make_invitation(org, unique_email("invitee"), "member")
    stranger = GraphQLCaller.for_person(signed_in_as(server, mail, people, stranger_email))
    for document in (REVOKE, RESEND):
        assert error_codes(stranger(document, id=invitation)) in (["NOT_FOUND"], ["FORBIDDEN"])


def test_a_manage_permission_counts_as_its_read_when_roles_are_compared(
    server: ServerProcess, mail: MailSink, people: list[Person]
) -> None:
    org = make_organization("Policy People")
    suffix = secrets.token_hex(3)
    make_role(f"policy_reader_{suffix}", ["sk_org_session_policy_read"])
    make_role(f"policy_manager_{suffix}", [*MANAGER, "sk_org_session_policy_manage"])
    make_member(unique_email("keeper"), org, "admin")
    manager_email = unique_email("policy-manager")
    make_member(manager_email, org, f"policy_manager_{suffix}")
    reader = membership_id(make_member(unique_email("reader"), org, f"policy_reader_{suffix}"), org)
    manager = GraphQLCaller.for_person(signed_in_as(server, mail, people, manager_email))
    changed = manager(CHANGE_ROLE, id=reader, role="member")["data"]["changeMemberRole"]
    assert changed == {"__typename": "Member", "role": "member"}
    back = manager(CHANGE_ROLE, id=reader, role=f"policy_reader_{suffix}")["data"]["changeMemberRole"]
    assert back == {"__typename": "Member", "role": f"policy_reader_{suffix}"}
