"""Domain verification through GraphQL against a real DNS server on loopback."""

import re
import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from resolvers.deployment import Deployment
from tests.conftest import SECRET_KEY
from tests.support.dns_server import LoopbackDns
from tests.support.domains import ADD, LIST, REMOVE, VERIFY, domain_events
from tests.support.factories import make_member, make_organization
from tests.support.graphql import error_codes
from tests.support.in_process import InProcessCaller, this_tiers_deployment
from tests.support.in_process import sign_in as signed_in_as
from tests.support.people import unique_email

FEATURE = ["domain_verification"]
UPDATE_ALLOWED = (
    "mutation($o: ID!, $d: [String!]) { updateOrganization(input: {organizationId: $o, "
    "allowedEmailDomains: $d}) { __typename ... on Problem { code message } "
    "... on Organization { allowedEmailDomains } } }"
)

SignIn = Callable[..., InProcessCaller]


def fresh_domain() -> str:
    return f"{secrets.token_hex(4)}.example.com"


@pytest.fixture
def deployment(dns_server: LoopbackDns) -> Iterator[Deployment]:
    """Domain checks ask the loopback DNS server."""
    with this_tiers_deployment(SECRET_KEY, dns_nameservers=(dns_server.nameserver,)) as ours:
        yield ours


@pytest.fixture
def sign_in() -> SignIn:
    """Make a member of `organization` with `role` and sign them in; returns their GraphQL caller."""

    def signed_in(organization: str, role: str = "admin", email: str | None = None) -> InProcessCaller:
        address = email or unique_email(f"domains-{role}")
        make_member(address, organization, role)
        return signed_in_as(address).portal()

    return signed_in


def add(caller: InProcessCaller, organization: str, name: str) -> dict[str, Any]:
    body = caller(ADD, o=organization, n=name)
    assert error_codes(body) == [], body
    result: dict[str, Any] = body["data"]["addDomain"]
    return result


def verified(caller: InProcessCaller, organization: str, dns: LoopbackDns, name: str) -> dict[str, Any]:
    """Add `name`, publish its record, press Verify now: the domain, verified."""
    domain = add(caller, organization, name)
    dns.publish(domain["txtRecordName"], domain["txtRecordValue"])
    result: dict[str, Any] = caller(VERIFY, id=domain["id"])["data"]["verifyDomain"]
    assert result["status"] == "VERIFIED", result
    return result


def test_adding_a_domain_shows_the_exact_txt_record_to_publish(sign_in: SignIn) -> None:
    org = make_organization("Record Co", FEATURE)
    admin = sign_in(org)
    name = fresh_domain()
    domain = add(admin, org, f" {name.upper()}. ")
    assert domain["__typename"] == "Domain"
    assert (domain["name"], domain["status"]) == (name, "PENDING")
    assert domain["txtRecordName"] == f"_tenantry-challenge.{name}"
    assert re.fullmatch(r"tenantry-domain-verification=[0-9a-f]{32}", domain["txtRecordValue"])
    assert domain["nextCheckAt"] is not None and domain["verifiedAt"] is None
    listed = admin(LIST, o=org)["data"]["organization"]["domains"]["nodes"]
    assert [row["id"] for row in listed] == [domain["id"]]
    events = domain_events(domain["id"])
    assert [event_type for event_type, _ in events] == ["organization.domain_created"]
    assert (events[0][1]["name"], events[0][1]["status"]) == (name, "pending")


def test_publishing_the_record_and_pressing_verify_now_verifies_the_domain(
    sign_in: SignIn, dns_server: LoopbackDns
) -> None:
    org = make_organization("Publish Co", FEATURE)
    admin = sign_in(org)
    domain = add(admin, org, fresh_domain())
    not_yet = admin(VERIFY, id=domain["id"])["data"]["verifyDomain"]
    assert not_yet["status"] == "PENDING"
    assert "not found" in not_yet["lastError"]
    assert not_yet["lastCheckedAt"] is not None

    dns_server.publish(domain["txtRecordName"], "v=spf1 -all", f'"{domain["txtRecordValue"]}"')
    done = admin(VERIFY, id=domain["id"])["data"]["verifyDomain"]
    assert done["status"] == "VERIFIED"
    assert done["verifiedAt"] is not None and done["lastError"] is None
    types = [event_type for event_type, _ in domain_events(domain["id"])]
    assert types == ["organization.domain_created", "organization.domain_verified"]
    assert domain_events(domain["id"])[-1][1]["status"] == "verified"


def test_a_record_split_into_several_strings_verifies_too(sign_in: SignIn, dns_server: LoopbackDns) -> None:
    org = make_organization("Split Co", FEATURE)
    admin = sign_in(org)
    domain = add(admin, org, fresh_domain())
    value = domain["txtRecordValue"]
    dns_server.publish(domain["txtRecordName"], [value[:20], value[20:]])
    assert admin(VERIFY, id=domain["id"])["data"]["verifyDomain"]["status"] == "VERIFIED"


def test_a_wrong_token_does_not_verify(sign_in: SignIn, dns_server: LoopbackDns) -> None:
    org = make_organization("Wrong Co", FEATURE)
    admin = sign_in(org)
    domain = add(admin, org, fresh_domain())
    dns_server.publish(domain["txtRecordName"], "tenantry-domain-verification=" + "0" * 32)
    assert admin(VERIFY, id=domain["id"])["data"]["verifyDomain"]["status"] == "PENDING"


@pytest.mark.parametrize(
    ("name", "code", "words"),
    [
        ("not a domain", "INVALID_DOMAIN", "not a valid domain"),
        ("localhost", "INVALID_DOMAIN", "not a valid domain"),
        ("192.168.0.1", "INVALID_DOMAIN", "address"),
        ("GMail.com", "INVALID_DOMAIN", "public email provider"),
    ],
)
def test_malformed_names_and_public_email_providers_are_refused(
    sign_in: SignIn, name: str, code: str, words: str
) -> None:
    org = make_organization("Refusals Co", FEATURE)
    result = sign_in(org)(ADD, o=org, n=name)["data"]["addDomain"]
    assert (result["__typename"], result["code"]) == ("InvalidDomain", code)
    assert words in result["message"]


def test_the_same_domain_twice_in_one_organization_is_refused(sign_in: SignIn) -> None:
    org = make_organization("Twice Co", FEATURE)
    admin = sign_in(org)
    name = fresh_domain()
    add(admin, org, name)
    again = add(admin, org, name.upper())
    assert (again["__typename"], again["code"]) == ("InvalidDomain", "DOMAIN_ALREADY_ADDED")
    assert len(admin(LIST, o=org)["data"]["organization"]["domains"]["nodes"]) == 1


def test_a_domain_verified_elsewhere_and_the_names_below_it_are_refused(
    sign_in: SignIn, dns_server: LoopbackDns
) -> None:
    owner_org, other_org = make_organization("Owner", FEATURE), make_organization("Latecomer", FEATURE)
    owner, other = sign_in(owner_org), sign_in(other_org)
    name = fresh_domain()
    verified(owner, owner_org, dns_server, name)
    for claimed in (name, f"mail.{name}", f"a.b.{name}"):
        refused = add(other, other_org, claimed)
        assert (refused["__typename"], refused["code"]) == ("InvalidDomain", "DOMAIN_CLAIMED"), claimed
        assert "another organization" in refused["message"]
    assert other(LIST, o=other_org)["data"]["organization"]["domains"]["nodes"] == []
    below = add(owner, owner_org, f"mail.{name}")
    assert below["status"] == "PENDING", "the organization that verified a name may claim names below it"


def test_when_two_organizations_race_for_a_name_the_first_to_verify_wins(
    sign_in: SignIn, dns_server: LoopbackDns
) -> None:
    first_org, second_org = make_organization("First", FEATURE), make_organization("Second", FEATURE)
    first, second = sign_in(first_org), sign_in(second_org)
    name = fresh_domain()
    mine, theirs = add(first, first_org, name), add(second, second_org, name)
    assert (mine["status"], theirs["status"]) == ("PENDING", "PENDING"), "pending claims do not block others"
    dns_server.publish(mine["txtRecordName"], mine["txtRecordValue"], theirs["txtRecordValue"])
    assert first(VERIFY, id=mine["id"])["data"]["verifyDomain"]["status"] == "VERIFIED"
    lost = second(VERIFY, id=theirs["id"])["data"]["verifyDomain"]
    assert lost["status"] == "FAILED"
    assert "verified by another organization" in lost["lastError"]


def test_removing_a_domain_deletes_it_and_emits_an_event(sign_in: SignIn, dns_server: LoopbackDns) -> None:
    org = make_organization("Remove Co", FEATURE)
    admin = sign_in(org)
    domain = verified(admin, org, dns_server, fresh_domain())
    removed = admin(REMOVE, id=domain["id"])["data"]["removeDomain"]["domain"]
    assert (removed["id"], removed["status"]) == (domain["id"], "VERIFIED")
    assert admin(LIST, o=org)["data"]["organization"]["domains"]["nodes"] == []
    assert domain_events(domain["id"])[-1][0] == "organization.domain_deleted"
    assert error_codes(admin(VERIFY, id=domain["id"])) == ["NOT_FOUND"]


def test_a_domain_single_sign_on_depends_on_is_given_up_only_by_someone_who_manages_sso(
    sign_in: SignIn, dns_server: LoopbackDns
) -> None:
    """Sign-in reaches the IdP through verified domains: removing one while SSO is active is an
    SSO change, out of reach of a role that may only manage settings."""
    from tests.support.factories import make_role
    from tests.support.sso import make_connection

    org = make_organization("SSO Domain Co", [*FEATURE, "sso"])
    admin = sign_in(org)
    domain = verified(admin, org, dns_server, fresh_domain())
    make_connection(org)
    settings_only = f"settings_{secrets.token_hex(3)}"
    make_role(settings_only, ["sk_org_settings_read", "sk_org_settings_manage"])
    steward = sign_in(org, settings_only)

    assert error_codes(steward(REMOVE, id=domain["id"])) == ["FORBIDDEN"]
    assert [node["id"] for node in admin(LIST, o=org)["data"]["organization"]["domains"]["nodes"]] == [
        domain["id"]
    ]
    removed = admin(REMOVE, id=domain["id"])["data"]["removeDomain"]["domain"]
    assert removed["id"] == domain["id"]


def test_without_the_feature_domains_are_neither_listed_nor_added(sign_in: SignIn) -> None:
    org = make_organization("No Feature Co")
    admin = sign_in(org)
    assert error_codes(admin(LIST, o=org)) == ["FEATURE_NOT_ENABLED"]
    assert error_codes(admin(ADD, o=org, n=fresh_domain())) == ["FEATURE_NOT_ENABLED"]


def test_a_domain_cannot_be_checked_or_removed_once_the_feature_is_withdrawn(sign_in: SignIn) -> None:
    from resolvers.organizations import set_features
    from resolvers.principal import SystemPrincipal
    from tests.support.factories import run

    org = make_organization("Withdrawn Co", FEATURE)
    admin = sign_in(org)
    domain = add(admin, org, fresh_domain())
    run(set_features(SystemPrincipal("test"), org, []))
    assert error_codes(admin(VERIFY, id=domain["id"])) == ["FEATURE_NOT_ENABLED"]
    assert error_codes(admin(REMOVE, id=domain["id"])) == ["FEATURE_NOT_ENABLED"]


def test_members_read_domains_but_only_managers_change_them(sign_in: SignIn) -> None:
    org = make_organization("Read Only Co", FEATURE)
    admin, member = sign_in(org), sign_in(org, "member")
    domain = add(admin, org, fresh_domain())
    assert [row["id"] for row in member(LIST, o=org)["data"]["organization"]["domains"]["nodes"]] == [
        domain["id"]
    ]
    assert error_codes(member(ADD, o=org, n=fresh_domain())) == ["FORBIDDEN"]
    assert error_codes(member(VERIFY, id=domain["id"])) == ["FORBIDDEN"]
    assert error_codes(member(REMOVE, id=domain["id"])) == ["FORBIDDEN"]
    assert len(admin(LIST, o=org)["data"]["organization"]["domains"]["nodes"]) == 1


def test_an_admin_of_another_organization_can_neither_see_nor_touch_its_domains(sign_in: SignIn) -> None:
    org, other_org = make_organization("Mine", FEATURE), make_organization("Theirs", FEATURE)
    admin, outsider = sign_in(org), sign_in(other_org)
    domain = add(admin, org, fresh_domain())
    assert error_codes(outsider(LIST, o=org)) == ["FORBIDDEN"]
    assert error_codes(outsider(ADD, o=org, n=fresh_domain())) == ["FORBIDDEN"]
    assert error_codes(outsider(VERIFY, id=domain["id"])) == ["NOT_FOUND"]
    assert error_codes(outsider(REMOVE, id=domain["id"])) == ["NOT_FOUND"]
    assert [row["id"] for row in admin(LIST, o=org)["data"]["organization"]["domains"]["nodes"]] == [
        domain["id"]
    ]


def test_an_integrator_manages_domains_of_any_organization(
    integrator: InProcessCaller, dns_server: LoopbackDns
) -> None:
    org = make_organization("Integrated Co", FEATURE)
    domain = verified(integrator, org, dns_server, fresh_domain())
    listed = integrator(LIST, o=org)["data"]["organization"]["domains"]["nodes"]
    assert [(row["id"], row["status"]) for row in listed] == [(domain["id"], "VERIFIED")]
    assert integrator(REMOVE, id=domain["id"])["data"]["removeDomain"]["domain"]["id"] == domain["id"]


def test_another_organizations_verified_domain_cannot_be_an_allowed_email_domain(
    sign_in: SignIn, dns_server: LoopbackDns
) -> None:
    owner_org, other_org = make_organization("Mail Owner", FEATURE), make_organization("Mail Other")
    owner, other = sign_in(owner_org), sign_in(other_org)
    name = fresh_domain()
    verified(owner, owner_org, dns_server, name)
    for claimed in (name, f"eu.{name}"):
        refused = other(UPDATE_ALLOWED, o=other_org, d=["fine.example.org", claimed])["data"][
            "updateOrganization"
        ]
        assert refused["code"] == "INVALID_DOMAIN"
        assert "another organization" in refused["message"]
    kept = other("query($o: ID!) { organization(organizationId: $o) { allowedEmailDomains } }", o=other_org)
    assert kept["data"]["organization"]["allowedEmailDomains"] == [], "a refused update changes nothing"
    own = owner(UPDATE_ALLOWED, o=owner_org, d=[name, f"eu.{name}"])["data"]["updateOrganization"]
    assert own["allowedEmailDomains"] == sorted([name, f"eu.{name}"]), (
        "its own verified domain needs no proof"
    )


def test_a_pending_claim_elsewhere_does_not_block_an_allowed_email_domain(sign_in: SignIn) -> None:
    claimer_org, other_org = make_organization("Claimer", FEATURE), make_organization("Unblocked")
    name = fresh_domain()
    add(sign_in(claimer_org), claimer_org, name)
    result = sign_in(other_org)(UPDATE_ALLOWED, o=other_org, d=[name])["data"]["updateOrganization"]
    assert result["allowedEmailDomains"] == [name]


def test_a_name_above_a_domain_verified_elsewhere_cannot_be_claimed(
    sign_in: SignIn, dns_server: LoopbackDns
) -> None:
    owner_org, other_org = (
        make_organization("Sub Owner", FEATURE),
        make_organization("Parent Grabber", FEATURE),
    )
    owner, other = sign_in(owner_org), sign_in(other_org)
    parent = fresh_domain()
    verified(owner, owner_org, dns_server, f"eu.{parent}")
    refused = add(other, other_org, parent)
    assert (refused["__typename"], refused["code"]) == ("InvalidDomain", "DOMAIN_CLAIMED")
    assert f"eu.{parent}" in refused["message"]
    assert add(other, other_org, f"us.{parent}")["status"] == "PENDING", "a sibling is still free"
