"""Nobody acts above their own authority: changing, removing or un-inviting someone needs every
permission of their current role, and of the new one (resolvers/role_authority.py), through GraphQL."""

import secrets
from collections.abc import Callable

from resolvers.seed import SYSTEM_PERMISSIONS
from tests.support.factories import make_invitation, make_member, make_organization, make_role, membership_id
from tests.support.graphql import error_codes
from tests.support.in_process import InProcessCaller, SignedIn
from tests.support.people import unique_email

CHANGE_ROLE = "mutation($id: ID!, $role: String!) { changeMemberRole(memberId: $id, role: $role) { __typename ... on Problem { code } ... on RoleOutranksYou { missingPermissions } ... on Member { role } } }"
REMOVE = "mutation($id: ID!) { removeMember(memberId: $id) { __typename ... on Problem { code } ... on RoleOutranksYou { missingPermissions } } }"
REVOKE = "mutation($id: ID!) { revokeInvitation(invitationId: $id) { __typename ... on Problem { code } ... on RoleOutranksYou { missingPermissions } ... on Invitation { status } } }"
RESEND = "mutation($id: ID!) { resendInvitation(invitationId: $id) { __typename ... on Problem { code } ... on RoleOutranksYou { missingPermissions } ... on Invitation { status } } }"
MEMBERS = "query($org: ID!) { organization(organizationId: $org) { members(first: 100) { nodes { id role } } invitations { nodes { id status } } } }"
MANAGER = ["sk_org_settings_read", "sk_org_users_read", "sk_org_users_role_change", "sk_org_users_delete"]


def roles_in(caller: InProcessCaller, org: str) -> dict[str, str]:
    nodes = caller(MEMBERS, org=org)["data"]["organization"]["members"]["nodes"]
    return {node["id"]: node["role"] for node in nodes}


def test_a_manager_can_neither_demote_nor_remove_an_admin(
    signed_in: Callable[[str], SignedIn],
) -> None:
    org = make_organization("Outranked")
    admin_email, manager_email = unique_email("the-admin"), unique_email("the-manager")
    admin_id = membership_id(make_member(admin_email, org, "admin"), org)
    manager_role = f"manager_{secrets.token_hex(3)}"
    make_role(manager_role, MANAGER)
    make_member(manager_email, org, manager_role)
    manager_person = signed_in(manager_email)
    manager = manager_person.portal()
    app_of_manager = manager_person.app()  # an app acting as the manager
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
    admin = signed_in(admin_email).portal()
    assert roles_in(admin, org)[admin_id] == "admin", "the admin is still admin"


def test_an_admin_cannot_touch_an_owner_whose_role_holds_an_app_defined_permission(
    signed_in: Callable[[str], SignedIn], integrator: InProcessCaller
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
    admin = signed_in(admin_email).portal()
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
    signed_in: Callable[[str], SignedIn],
) -> None:
    org, other = make_organization("Mine"), make_organization("Theirs")
    stranger_email = unique_email("stranger-admin")
    make_member(stranger_email, other, "admin")
    invitation = make_invitation(org, unique_email("invitee"), "member")
    stranger = signed_in(stranger_email).portal()
    for document in (REVOKE, RESEND):
        assert error_codes(stranger(document, id=invitation)) in (["NOT_FOUND"], ["FORBIDDEN"])


def test_a_manage_permission_counts_as_its_read_when_roles_are_compared(
    signed_in: Callable[[str], SignedIn],
) -> None:
    org = make_organization("Policy People")
    suffix = secrets.token_hex(3)
    make_role(f"policy_reader_{suffix}", ["sk_org_session_policy_read"])
    make_role(f"policy_manager_{suffix}", [*MANAGER, "sk_org_session_policy_manage"])
    make_member(unique_email("keeper"), org, "admin")
    manager_email = unique_email("policy-manager")
    make_member(manager_email, org, f"policy_manager_{suffix}")
    reader = membership_id(make_member(unique_email("reader"), org, f"policy_reader_{suffix}"), org)
    manager = signed_in(manager_email).portal()
    changed = manager(CHANGE_ROLE, id=reader, role="member")["data"]["changeMemberRole"]
    assert changed == {"__typename": "Member", "role": "member"}
    back = manager(CHANGE_ROLE, id=reader, role=f"policy_reader_{suffix}")["data"]["changeMemberRole"]
    assert back == {"__typename": "Member", "role": f"policy_reader_{suffix}"}
