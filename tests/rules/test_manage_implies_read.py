"""The seed defines each `*_manage` permission as "view and modify": it allows what its `_read` does,
in the directives, the resolvers and the viewer's permissions; and the viewer sees the active
organization's features without any other permission (resolvers/permissions.py)."""

import secrets

import pytest

from tests.support.factories import make_member, make_organization, make_role
from tests.support.graphql import error_codes
from tests.support.in_process import InProcessCaller, anonymous_caller, sign_in
from tests.support.people import unique_email

VIEWER = "{ viewer { permissions features organization { sessionPolicy { custom effective { absoluteMinutes } } } } }"
UPDATE = "mutation($org: ID!) { updateSessionPolicy(organizationId: $org, custom: true, absoluteMinutes: 600) { __typename ... on SessionPolicy { custom absoluteMinutes } } }"


def member_with_only(permission: str, features: list[str]) -> tuple[InProcessCaller, str]:
    org = make_organization("Single Permission", features)
    role = f"only_{secrets.token_hex(3)}"
    make_role(role, [permission])
    email = unique_email("single")
    make_member(email, org, role)
    return sign_in(email).portal(), org


def test_a_role_with_only_session_policy_manage_reads_and_changes_the_policy() -> None:
    caller, org = member_with_only("sk_org_session_policy_manage", ["session_policy"])
    updated = caller(UPDATE, org=org)["data"]["updateSessionPolicy"]
    assert updated == {"__typename": "SessionPolicy", "custom": True, "absoluteMinutes": 600}
    body = caller(VIEWER)
    assert error_codes(body) == [], body
    viewer = body["data"]["viewer"]
    assert viewer["permissions"] == ["sk_org_session_policy_manage", "sk_org_session_policy_read"]
    assert viewer["features"] == ["SESSION_POLICY"]
    assert viewer["organization"]["sessionPolicy"]["custom"] is True


def test_a_role_with_only_session_policy_read_sees_the_feature_and_the_policy_but_cannot_change_it() -> None:
    caller, org = member_with_only("sk_org_session_policy_read", ["session_policy", "sso"])
    body = caller(VIEWER)
    assert error_codes(body) == [], body
    viewer = body["data"]["viewer"]
    assert (viewer["permissions"], viewer["features"]) == (
        ["sk_org_session_policy_read"],
        ["SSO", "SESSION_POLICY"],
    )
    assert viewer["organization"]["sessionPolicy"]["effective"]["absoluteMinutes"] > 0
    assert error_codes(caller(UPDATE, org=org)) == ["FORBIDDEN"]


@pytest.mark.parametrize(
    ("permission", "document", "path"),
    [
        (
            "sk_org_settings_manage",
            '{ organization(organizationId: "%s") { name allowedEmailDomains } }',
            "name",
        ),
        (
            "sk_org_settings_manage",
            '{ organization(organizationId: "%s") { domains { nodes { id } } } }',
            "domains",
        ),
    ],
)
def test_settings_manage_reads_the_settings(permission: str, document: str, path: str) -> None:
    caller, org = member_with_only(permission, ["domain_verification"])
    body = caller(document % org)
    assert error_codes(body) == [], body
    assert body["data"]["organization"][path] is not None


def test_a_member_without_settings_read_still_sees_no_organization_settings() -> None:
    caller, org = member_with_only("sk_org_session_policy_manage", ["session_policy"])
    assert error_codes(caller('{ organization(organizationId: "%s") { name } }' % org)) == ["FORBIDDEN"]  # noqa: UP031


def test_viewer_features_are_the_active_organizations_own_and_need_a_signed_in_person() -> None:
    entitled, other = make_organization("Entitled", ["sso", "scim"]), make_organization("Plain")
    email = unique_email("other-admin")
    make_member(email, other, "admin")
    mine = sign_in(email).portal()("{ viewer { organization { id } features } }")["data"]["viewer"]
    assert mine == {"organization": {"id": other}, "features": []}, f"nothing of {entitled} shows"
    body = anonymous_caller()("{ viewer { features } }")
    assert (body["data"], error_codes(body)) == (None, ["UNAUTHENTICATED"])
