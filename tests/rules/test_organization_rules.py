"""The rules behind the portal's organization and member mutations, exercised through GraphQL."""

import secrets

import pytest

from tests.support.factories import make_member, make_organization, make_role, membership_id
from tests.support.graphql import error_codes
from tests.support.in_process import InProcessCaller, sign_in
from tests.support.people import unique_email

MEMBERS = "query($org: ID!, $search: String, $after: String, $first: Int!) { organization(organizationId: $org) { members(first: $first, search: $search, after: $after) { nodes { id role user { email } } pageInfo { endCursor hasNextPage } totalCount } } }"
CHANGE_ROLE = "mutation($id: ID!, $role: String!) { changeMemberRole(memberId: $id, role: $role) { __typename ... on Problem { code message } ... on Member { role } } }"
REMOVE = "mutation($id: ID!) { removeMember(memberId: $id) { __typename ... on Problem { code } } }"


def caller_for(email: str) -> InProcessCaller:
    return sign_in(email).portal()


def test_the_last_admin_can_be_neither_demoted_nor_removed() -> None:
    org = make_organization("Solo")
    admin_email = unique_email("solo-admin")
    admin_id = membership_id(make_member(admin_email, org, "admin"), org)
    admin = caller_for(admin_email)
    demoted = admin(CHANGE_ROLE, id=admin_id, role="member")["data"]["changeMemberRole"]
    assert demoted["code"] == "LAST_ADMIN"
    removed = admin(REMOVE, id=admin_id)["data"]["removeMember"]
    assert removed["code"] == "LAST_ADMIN"
    second = membership_id(make_member(unique_email("second-admin"), org, "member"), org)
    assert admin(CHANGE_ROLE, id=second, role="admin")["data"]["changeMemberRole"]["role"] == "admin"
    assert admin(CHANGE_ROLE, id=admin_id, role="member")["data"]["changeMemberRole"]["role"] == "member"


def test_nobody_grants_a_role_with_permissions_they_lack() -> None:
    org = make_organization("Delegation")
    make_member(unique_email("owner"), org, "admin")
    key = f"people_manager_{secrets.token_hex(3)}"
    make_role(key, ["sk_org_settings_read", "sk_org_users_read", "sk_org_users_role_change"])
    manager_email = unique_email("manager")
    make_member(manager_email, org, key)
    target = membership_id(make_member(unique_email("target"), org, "member"), org)
    manager = caller_for(manager_email)
    result = manager(CHANGE_ROLE, id=target, role="admin")["data"]["changeMemberRole"]
    assert result["code"] == "ROLE_NOT_GRANTABLE"
    assert manager(CHANGE_ROLE, id=target, role="member")["data"]["changeMemberRole"]["role"] == "member"


def test_removing_a_member_ends_their_session_in_that_organization() -> None:
    org = make_organization("Offboarding")
    admin_email, leaver_email = unique_email("boss"), unique_email("leaver")
    make_member(admin_email, org, "admin")
    leaver_id = make_member(leaver_email, org, "member")
    admin = caller_for(admin_email)
    leaver = caller_for(leaver_email)
    assert leaver("{ viewer { organization { id } } }")["data"]["viewer"]["organization"]["id"] == org
    assert live_sessions(leaver_id) == 1
    removed = admin(REMOVE, id=membership_id(leaver_id, org))["data"]["removeMember"]
    assert removed["__typename"] == "MemberRemoved"
    assert live_sessions(leaver_id) == 0, "the session in that organization was ended, not just refused"
    after = leaver("{ viewer { user { email } } }")
    assert (after["data"], error_codes(after)) == (None, ["UNAUTHENTICATED"]), "the portal is signed out"
    assert admin("{ viewer { user { email } } }")["data"]["viewer"]["user"]["email"] == admin_email, (
        "only the removed member's session ended"
    )


def live_sessions(user_id: str) -> int:
    from db.identity import Session
    from tests.support.factories import run

    count: int = run(Session.count().where((Session.user == user_id) & Session.revoked_at.is_null()).run())
    return count


def test_members_are_paginated_and_searchable() -> None:
    org = make_organization("Crowd")
    admin_email = unique_email("crowd-admin")
    make_member(admin_email, org, "admin")
    for index in range(5):
        make_member(f"barista{index}-{secrets.token_hex(2)}@example.com", org, "member")
    admin = caller_for(admin_email)
    seen: list[str] = []
    after = None
    while True:
        page = admin(MEMBERS, org=org, first=2, after=after)["data"]["organization"]["members"]
        assert page["totalCount"] == 6, "every page counts them all"
        seen.extend(node["user"]["email"] for node in page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == 6 and len(set(seen)) == 6
    found = admin(MEMBERS, org=org, first=20, search="BARISTA3")["data"]["organization"]["members"]
    assert [node["user"]["email"].startswith("barista3") for node in found["nodes"]] == [True]
    assert found["totalCount"] == 1
    baristas = admin(MEMBERS, org=org, first=1, search="barista")["data"]["organization"]["members"]
    assert (len(baristas["nodes"]), baristas["totalCount"]) == (1, 5)


@pytest.mark.parametrize(
    ("domains", "problem"),
    [
        (["gmail.com"], "INVALID_DOMAIN"),
        (["not a domain"], "INVALID_DOMAIN"),
        (["localhost"], "INVALID_DOMAIN"),
    ],
)
def test_allowed_email_domains_are_validated_and_public_providers_refused(
    domains: list[str], problem: str
) -> None:
    org = make_organization("Domains")
    admin_email = unique_email("domains-admin")
    make_member(admin_email, org, "admin")
    admin = caller_for(admin_email)
    update = "mutation($d: [String!]) { updateOrganization(input: {allowedEmailDomains: $d}) { __typename ... on Problem { code } ... on Organization { allowedEmailDomains } } }"
    assert admin(update, d=domains)["data"]["updateOrganization"]["code"] == problem
    ok = admin(update, d=["Acme-Coffee.Example.COM", "@beans.example.org"])["data"]["updateOrganization"]
    assert ok["allowedEmailDomains"] == ["acme-coffee.example.com", "beans.example.org"]


def test_an_organization_lists_at_most_50_allowed_email_domains() -> None:
    org = make_organization("Many Domains")
    admin_email = unique_email("many-domains-admin")
    make_member(admin_email, org, "admin")
    admin = caller_for(admin_email)
    update = "mutation($d: [String!]) { updateOrganization(input: {allowedEmailDomains: $d}) { __typename ... on InvalidInput { code field } ... on Organization { allowedEmailDomains } } }"
    many = [f"d{n}-{org[-6:].lower()}.example.com" for n in range(51)]

    refused = admin(update, d=many)["data"]["updateOrganization"]

    assert (refused["code"], refused["field"]) == ("INVALID_INPUT", "allowedEmailDomains")
    kept = admin(update, d=many[:50])["data"]["updateOrganization"]
    assert len(kept["allowedEmailDomains"]) == 50


def test_a_person_updates_their_own_profile_and_switches_organization() -> None:
    first, second = make_organization("First Roast"), make_organization("Second Roast")
    email = unique_email("switcher")
    make_member(email, first, "member")
    make_member(email, second, "admin")
    me = caller_for(email)
    renamed = me('mutation { updateProfile(firstName: " Ada ", lastName: "Byron") { ... on User { name } } }')
    assert renamed["data"]["updateProfile"]["name"] == "Ada Byron"
    switched = me(
        "mutation($o: ID!) { switchOrganization(organizationId: $o) { ... on Viewer { organization { id } permissions } } }",
        o=second,
    )["data"]["switchOrganization"]
    assert switched["organization"]["id"] == second
    assert "sk_org_users_delete" in switched["permissions"]
    stranger = make_organization("Not Mine")
    refused = me("mutation($o: ID!) { switchOrganization(organizationId: $o) { __typename } }", o=stranger)
    assert refused["data"]["switchOrganization"]["__typename"] == "InvalidInput"
