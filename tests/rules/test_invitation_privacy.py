"""An invitation shows only what the inviter typed: nothing says whether the address has an account."""

from typing import Any

import pytest

from tests.support.factories import make_member, make_organization
from tests.support.in_process import InProcessCaller, sign_in
from tests.support.people import unique_email

INVITE = 'mutation($org: ID!, $emails: [String!]!) { inviteMembers(organizationId: $org, emails: $emails, role: "member") { __typename ... on InvitationsSent { invitations { email } problems { email code } } } }'
INVITED = "query($org: ID!, $search: String) { organization(organizationId: $org) { members(first: 100, status: INVITED, search: $search) { totalCount nodes { id role status lastSignInAt user { id email emailVerified firstName lastName name } } } } }"


@pytest.fixture
def admin() -> tuple[InProcessCaller, str]:
    org = make_organization("Curious Co")
    email = unique_email("curious-admin")
    make_member(email, org, "admin")
    return sign_in(email).portal(), org


def _invited(caller: InProcessCaller, org: str, search: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = caller(INVITED, org=org, search=search)["data"]["organization"]["members"]
    return found


def test_an_invited_member_shows_only_the_address_whether_or_not_it_has_an_account(
    admin: tuple[InProcessCaller, str],
) -> None:
    caller, org = admin
    known = unique_email("known")
    known_user = make_member(known, make_organization("Elsewhere"), "member", first="Jane", last="Known")
    sign_in(known)  # a real account with a name, a verified address and a last sign-in
    stranger = unique_email("stranger")

    sent = caller(INVITE, org=org, emails=[known, stranger])["data"]["inviteMembers"]
    assert sorted(i["email"] for i in sent["invitations"]) == sorted([known, stranger])
    nodes = {node["user"]["email"]: node for node in _invited(caller, org)["nodes"]}

    for email in (known, stranger):
        node = nodes[email]
        assert node["user"]["id"] == node["id"], "the person's user id stays hidden until they accept"
        assert node["user"]["emailVerified"] is False
        assert (node["user"]["firstName"], node["user"]["lastName"], node["user"]["name"]) == ("", "", "")
        assert node["lastSignInAt"] is None
        assert (node["role"], node["status"]) == ("member", "INVITED")
    assert nodes[known]["user"]["id"] != known_user


def test_searching_invited_members_by_name_finds_no_account_behind_an_address(
    admin: tuple[InProcessCaller, str],
) -> None:
    caller, org = admin
    known = unique_email("named")
    make_member(known, make_organization("Elsewhere"), "member", first="Zebedee", last="Quirkname")
    caller(INVITE, org=org, emails=[known])
    assert _invited(caller, org, "Zebedee") == {"totalCount": 0, "nodes": []}
    assert _invited(caller, org, "Quirkname")["totalCount"] == 0
    assert [n["user"]["email"] for n in _invited(caller, org, known.split("@")[0])["nodes"]] == [known]
