"""Require SSO: only with an active connection, break-glass admins only among SSO managers (three
at most), and who then must go to the IdP and who may still use a code or a passkey."""

from typing import Any

from db.events import AuditEvent
from resolvers.sso_requirement import discovery_for, sso_required_for
from tests.support.factories import make_member, make_organization, run
from tests.support.graphql import error_codes
from tests.support.in_process import InProcessCaller, sign_in
from tests.support.sso import make_connection, make_verified_domain, unique_domain

UPDATE = """mutation($o: ID!, $required: Boolean, $glass: [ID!]) {
  updateSsoRequirement(organizationId: $o, required: $required, breakGlassUserIds: $glass) {
    __typename ... on SsoRequirement { required breakGlassUserIds } ... on InvalidInput { field message } } }"""
READ = "query($o: ID!) { organization(organizationId: $o) { ssoRequirement { required breakGlassUserIds } } }"


def update(caller: InProcessCaller, org: str, **variables: Any) -> dict[str, Any]:
    body = caller(UPDATE, o=org, **variables)
    assert error_codes(body) == [], body
    result: dict[str, Any] = body["data"]["updateSsoRequirement"]
    return result


def organization_with_admin(*, active: bool = True) -> tuple[str, str, str, InProcessCaller]:
    org = make_organization("Strict Co", ["sso"])
    domain = unique_domain("strict")
    make_verified_domain(org, domain)
    make_connection(org, status="active" if active else "draft")
    admin_email = f"admin@{domain}"
    admin_id = make_member(admin_email, org, "admin")
    return org, domain, admin_id, sign_in(admin_email).portal()


def test_requiring_sso_needs_an_active_connection() -> None:
    org, _, _, admin = organization_with_admin(active=False)
    refused = update(admin, org, required=True)
    assert (refused["__typename"], refused["field"]) == ("InvalidInput", "required")
    assert admin(READ, o=org)["data"]["organization"]["ssoRequirement"] == {
        "required": False,
        "breakGlassUserIds": [],
    }


def test_an_admin_requires_sso_and_keeps_a_break_glass_sign_in() -> None:
    org, domain, admin_id, admin = organization_with_admin()
    done = update(admin, org, required=True, glass=[admin_id])
    assert done == {"__typename": "SsoRequirement", "required": True, "breakGlassUserIds": [admin_id]}
    member_id = make_member(f"member@{domain}", org, "member")
    # the member must go to the IdP; the break-glass admin may use a code or a passkey
    assert run(sso_required_for(member_id, f"member@{domain}")) is not None
    assert run(sso_required_for(admin_id, f"admin@{domain}")) is None
    assert run(discovery_for(f"member@{domain}")) is not None
    assert run(discovery_for(f"ADMIN@{domain}")) is None  # the email step sends them a code
    actions = run(
        AuditEvent.select(AuditEvent.action).where(AuditEvent.target_id == org).output(as_list=True).run()
    )
    assert "organization.sso_requirement_updated" in actions


def test_break_glass_accounts_are_few_and_manage_sso() -> None:
    org, domain, admin_id, admin = organization_with_admin()
    member_id = make_member(f"m@{domain}", org, "member")
    outsider = make_member(f"o@{unique_domain()}", make_organization("Else"), "admin")
    for glass in (
        [member_id],
        [outsider],
        [admin_id] + [make_member(f"a{i}@{domain}", org, "admin") for i in range(3)],
    ):
        refused = update(admin, org, glass=glass)
        assert (refused["__typename"], refused["field"]) == ("InvalidInput", "breakGlassUserIds"), glass
    assert admin(READ, o=org)["data"]["organization"]["ssoRequirement"]["breakGlassUserIds"] == []


def test_without_the_requirement_codes_and_passkeys_still_work_after_discovery() -> None:
    _, domain, admin_id, _ = organization_with_admin()
    assert run(discovery_for(f"someone@{domain}")) is not None  # the email step still goes to the IdP
    assert run(sso_required_for(admin_id, f"admin@{domain}")) is None
    assert run(discovery_for(f"someone@{unique_domain()}")) is None


def test_a_break_glass_admin_who_is_demoted_loses_it_at_once() -> None:
    from db.orgs import Membership, Role

    org, domain, admin_id, admin = organization_with_admin()
    assert update(admin, org, required=True, glass=[admin_id])["breakGlassUserIds"] == [admin_id]
    assert run(sso_required_for(admin_id, f"admin@{domain}")) is None

    async def demote() -> None:
        member_role = await Role.select(Role.id).where(Role.key == "member").first()
        assert member_role is not None
        await Membership.update({Membership.role: member_role["id"]}).where(
            (Membership.user == admin_id) & (Membership.organization == org)
        )

    run(demote())
    assert run(sso_required_for(admin_id, f"admin@{domain}")) is not None
    assert run(discovery_for(f"admin@{domain}")) is not None
