"""After an IdP answered: attribute mapping, the verified-domain rule, just-in-time provisioning,
home-realm discovery, attempts, the replay cache and test results (the protocols are tested apart)."""

import datetime as dt
import secrets

import pytest

from db.federation import SSOAttempt, SSOIdentity
from db.orgs import Membership
from db.users import User
from resolvers.assertion_replay import remember_assertion
from resolvers.attribute_mapping import CLAIMS, federated_identity
from resolvers.connection_rows import DEFAULT_ATTRIBUTE_MAPPING, load_connection
from resolvers.connection_tests import record_test
from resolvers.federated_identity import FederatedIdentity, FederationRefused, IdpAssertion
from resolvers.federated_sign_in import sign_in_person
from resolvers.home_realm import active_connection, connection_for_domain, connection_for_email
from resolvers.sso_attempts import claim_attempt, start_attempt
from tests.conftest import Clock
from tests.support.factories import make_member, make_organization, make_role, run
from tests.support.people import unique_email
from tests.support.sso import make_connection, make_verified_domain, unique_domain


def person(email: str, subject: str = "", first: str = "Ada", last: str = "Lovelace") -> FederatedIdentity:
    return FederatedIdentity(
        subject=subject or email, email=email, first_name=first, last_name=last, groups=()
    )


def refused_reason(coroutine: object) -> str:
    with pytest.raises(FederationRefused) as caught:
        run(coroutine)  # type: ignore[arg-type]
    return caught.value.reason


def is_member(user_id: str, organization_id: str) -> bool:
    return bool(
        run(
            Membership.exists()
            .where((Membership.user == user_id) & (Membership.organization == organization_id))
            .run()
        )
    )


def sso_world(role: str = "member") -> tuple[str, str, str]:
    """An entitled organization with a verified domain and an active SAML connection."""
    org = make_organization("Federated Co", ["sso"])
    domain = unique_domain()
    make_verified_domain(org, domain)
    return org, domain, make_connection(org, default_role=role).id


# --- attribute mapping --------------------------------------------------------------------------


def test_the_mapped_attributes_become_the_person() -> None:
    assertion = IdpAssertion(
        subject="00u1",
        attributes={
            "email": ["Ada@Acme.COM"],
            "firstName": ["Ada"],
            "lastName": ["Lovelace"],
            "groups": ["eng", "admins"],
        },
    )
    identity = federated_identity(DEFAULT_ATTRIBUTE_MAPPING, assertion)
    assert (identity.subject, identity.email, identity.first_name, identity.last_name) == (
        "00u1",
        "ada@acme.com",
        "Ada",
        "Lovelace",
    )
    assert identity.groups == ("eng", "admins")
    assert identity.summary()["attributes"]["groups"] == ["eng", "admins"]


def test_common_names_stand_in_when_the_mapped_one_is_absent() -> None:
    entra = IdpAssertion(
        subject="opaque-id",
        attributes={f"{CLAIMS}/emailaddress": ["grace@navy.example.com"], f"{CLAIMS}/givenname": ["Grace"]},
    )
    identity = federated_identity(DEFAULT_ATTRIBUTE_MAPPING, entra)
    assert (identity.email, identity.first_name, identity.last_name) == (
        "grace@navy.example.com",
        "Grace",
        "",
    )
    oidc = IdpAssertion(subject="s", attributes={"email": ["x@y.example.com"], "given_name": ["X"]})
    assert federated_identity(DEFAULT_ATTRIBUTE_MAPPING, oidc).first_name == "X"


def test_a_name_id_that_is_an_address_is_the_email_when_no_attribute_says_one() -> None:
    identity = federated_identity(
        DEFAULT_ATTRIBUTE_MAPPING, IdpAssertion(subject="a@b.example.com", attributes={})
    )
    assert identity.email == "a@b.example.com"


def test_no_usable_email_is_refused_naming_the_attribute_expected() -> None:
    mapping = {**DEFAULT_ATTRIBUTE_MAPPING, "email": "workEmail"}
    with pytest.raises(FederationRefused) as missing:
        federated_identity(mapping, IdpAssertion(subject="opaque", attributes={"firstName": ["A"]}))
    assert missing.value.reason == "missing_email" and "workEmail" in missing.value.message
    with pytest.raises(FederationRefused) as not_an_address:
        federated_identity(mapping, IdpAssertion(subject="opaque", attributes={"workEmail": ["nobody"]}))
    assert not_an_address.value.reason == "missing_email"


def test_control_characters_and_long_values_from_an_idp_are_made_storable() -> None:
    assertion = IdpAssertion(
        subject="s",
        attributes={
            "email": ["a@b.example.com"],
            "firstName": ["Ada\x00\tthe\nFirst"],
            "lastName": ["L" * 500],
        },
    )
    identity = federated_identity(DEFAULT_ATTRIBUTE_MAPPING, assertion)
    assert identity.first_name == "Ada the First"
    assert len(identity.last_name) == 100


# --- just-in-time provisioning ------------------------------------------------------------------


def test_the_first_sign_in_creates_a_verified_user_and_a_membership_with_the_default_role() -> None:
    make_role("sso-analyst", ["sk_org_settings_read"])
    org, domain, connection_id = sso_world(role="sso-analyst")
    connection = run(load_connection(connection_id))
    assert connection is not None
    user_id = run(sign_in_person(connection, person(f"ada@{domain}", subject="idp-1")))
    user = run(User.select().where(User.id == user_id).first().run())
    assert user is not None
    assert (user["email"], user["email_verified"], user["first_name"]) == (f"ada@{domain}", True, "Ada")
    membership = run(
        Membership.select(Membership.role.key, Membership.source)
        .where((Membership.user == user_id) & (Membership.organization == org))
        .first()
        .run()
    )
    assert membership == {"role.key": "sso-analyst", "source": "sso"}
    # the second sign-in follows the link, even after the IdP changed the address and the name
    again = run(sign_in_person(connection, person(f"ada.l@{domain}", subject="idp-1", first="Augusta")))
    assert again == user_id
    user = run(User.select().where(User.id == user_id).first().run())
    assert user is not None
    assert (user["email"], user["first_name"]) == (f"ada.l@{domain}", "Augusta")
    assert run(SSOIdentity.count().where(SSOIdentity.user == user_id).run()) == 1


def test_an_existing_account_at_a_verified_domain_is_linked_not_copied() -> None:
    org, domain, connection_id = sso_world()
    existing = make_member(f"grace@{domain}", make_organization("Elsewhere"))
    connection = run(load_connection(connection_id))
    assert connection is not None
    assert run(sign_in_person(connection, person(f"grace@{domain}", subject="g-1"))) == existing
    assert run(
        Membership.exists().where((Membership.user == existing) & (Membership.organization == org)).run()
    )


def test_an_address_at_a_domain_the_organization_has_not_verified_takes_over_nothing() -> None:
    org, _, connection_id = sso_world()
    victim_email = unique_email("victim")  # example.com: not this organization's
    victim = make_member(victim_email, make_organization("Victim Co"))
    pending = unique_domain("pending")
    make_verified_domain(org, pending, status="pending")
    connection = run(load_connection(connection_id))
    assert connection is not None
    assert refused_reason(sign_in_person(connection, person(victim_email))) == "email_domain_not_verified"
    assert refused_reason(sign_in_person(connection, person(f"x@{pending}"))) == "email_domain_not_verified"
    assert not run(
        Membership.exists().where((Membership.user == victim) & (Membership.organization == org)).run()
    )
    assert run(SSOIdentity.count().where(SSOIdentity.connection == connection_id).run()) == 0


def test_a_changed_address_that_someone_else_holds_stays_theirs() -> None:
    _, domain, connection_id = sso_world()
    connection = run(load_connection(connection_id))
    assert connection is not None
    first = run(sign_in_person(connection, person(f"one@{domain}", subject="s-1")))
    second = run(sign_in_person(connection, person(f"two@{domain}", subject="s-2")))
    assert run(sign_in_person(connection, person(f"two@{domain}", subject="s-1"))) == first
    rows = run(User.select(User.id, User.email).where(User.id.is_in([first, second])).run())
    emails = {row["id"]: row["email"] for row in rows}
    assert emails == {first: f"one@{domain}", second: f"two@{domain}"}


def test_a_subdomain_of_a_verified_domain_is_covered() -> None:
    _, domain, connection_id = sso_world()
    connection = run(load_connection(connection_id))
    assert connection is not None
    assert is_member(run(sign_in_person(connection, person(f"a@eng.{domain}"))), connection.organization_id)


# --- home-realm discovery -----------------------------------------------------------------------


def test_an_address_at_a_verified_domain_with_an_active_connection_goes_to_its_idp() -> None:
    _, domain, connection_id = sso_world()
    found = run(connection_for_email(f"Someone@{domain.upper()}"))
    assert found is not None and found.id == connection_id
    assert run(connection_for_domain(f"eng.{domain}")) is not None
    assert run(active_connection(connection_id)) is not None


@pytest.mark.parametrize("case", ["pending_domain", "disabled", "draft", "unentitled", "other_domain"])
def test_no_discovery_without_every_condition(case: str) -> None:
    org = make_organization("Half Co", [] if case == "unentitled" else ["sso"])
    domain = unique_domain()
    make_verified_domain(org, domain, status="pending" if case == "pending_domain" else "verified")
    status = {"disabled": "disabled", "draft": "draft"}.get(case, "active")
    connection = make_connection(org, status=status)
    address = f"a@{unique_domain()}" if case == "other_domain" else f"a@{domain}"
    assert run(connection_for_email(address)) is None
    if case in {"disabled", "draft", "unentitled"}:
        assert run(active_connection(connection.id)) is None


def test_the_oldest_active_connection_wins_and_junk_finds_nothing() -> None:
    org = make_organization("Two IdPs", ["sso"])
    domain = unique_domain()
    make_verified_domain(org, domain)
    older = make_connection(org, created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    make_connection(org)
    found = run(connection_for_email(f"a@{domain}"))
    assert found is not None and found.id == older.id
    for junk in ["", "no-at-sign", "a@", "a@\x00.com", "a@" + "x" * 300]:
        assert run(connection_for_email(junk)) is None


# --- attempts and the replay cache --------------------------------------------------------------


def test_an_attempt_is_answered_once_in_the_browser_that_started_it(clock: Clock) -> None:
    org, _, connection_id = sso_world()
    other = make_connection(org)
    started = run(start_attempt(connection_id=connection_id, purpose="sign_in", settings_version=1))
    attempt_id, secret = started.attempt.id, started.browser_secret
    assert refused_reason(claim_attempt(attempt_id, connection_id, "another browser")) == "state_mismatch"
    assert refused_reason(claim_attempt(attempt_id, connection_id, None)) == "state_mismatch"
    assert refused_reason(claim_attempt(attempt_id, other.id, secret)) == "state_mismatch"
    assert refused_reason(claim_attempt("x" * 41, connection_id, secret)) == "state_mismatch"
    assert run(claim_attempt(attempt_id, connection_id, secret)).id == attempt_id
    assert refused_reason(claim_attempt(attempt_id, connection_id, secret)) == "replayed"
    late = run(start_attempt(connection_id=connection_id, purpose="sign_in", settings_version=1))
    clock.advance(seconds=601)
    assert (
        refused_reason(claim_attempt(late.attempt.id, connection_id, late.browser_secret)) == "state_mismatch"
    )
    assert run(SSOAttempt.count().where(SSOAttempt.connection == connection_id).run()) == 2


def test_an_assertion_id_is_accepted_once_per_connection() -> None:
    run(remember_assertion("con_a", "_assertion1", None))
    assert refused_reason(remember_assertion("con_a", "_assertion1", None)) == "replayed"
    run(remember_assertion("con_b", "_assertion1", None))  # another IdP's IDs are its own


# --- test results -------------------------------------------------------------------------------


def test_a_successful_test_with_the_current_settings_makes_a_draft_tested() -> None:
    org = make_organization("Tested Co", ["sso"])
    draft = make_connection(org, status="draft", settings_version=3)
    stale = run(start_attempt(connection_id=draft.id, purpose="test", settings_version=2)).attempt
    run(record_test(stale, identity=person("a@b.example.com"), refused=None))
    after_stale = run(load_connection(draft.id))
    assert after_stale is not None and (after_stale.status, after_stale.tested_version) == ("draft", None)
    assert after_stale.last_test is not None and after_stale.last_test["succeeded"] is True
    current = run(start_attempt(connection_id=draft.id, purpose="test", settings_version=3)).attempt
    run(record_test(current, identity=person("a@b.example.com"), refused=None))
    tested = run(load_connection(draft.id))
    assert tested is not None and (tested.status, tested.tested_version) == ("tested", 3)
    assert tested.last_test is not None and tested.last_test["identity"]["email"] == "a@b.example.com"


def test_a_failed_test_records_the_reason_and_its_details_and_changes_no_status() -> None:
    org = make_organization("Failing Co", ["sso"])
    draft = make_connection(org, status="draft")
    attempt = run(start_attempt(connection_id=draft.id, purpose="test", settings_version=1)).attempt
    skew = FederationRefused(
        "clock_skew", not_before="2026-12-04T10:05:00+00:00", now="2026-12-04T10:00:00+00:00"
    )
    run(record_test(attempt, identity=None, refused=skew))
    found = run(load_connection(draft.id))
    assert found is not None and found.status == "draft"
    assert found.last_test is not None
    assert (found.last_test["succeeded"], found.last_test["reason"]) == (False, "clock_skew")
    assert found.last_test["details"] == {
        "not_before": "2026-12-04T10:05:00+00:00",
        "now": "2026-12-04T10:00:00+00:00",
    }


def test_the_first_mapped_group_decides_the_role_of_a_first_sign_in() -> None:
    make_role("sso-auditor", ["sk_org_settings_read"])
    org, domain, _ = sso_world()
    connection = make_connection(
        org,
        group_roles=[{"group": "auditors", "role": "sso-auditor"}, {"group": "it-admins", "role": "admin"}],
    )

    def role_of(email: str, groups: tuple[str, ...]) -> str:
        identity = FederatedIdentity(subject=email, email=email, first_name="", last_name="", groups=groups)
        user_id = run(sign_in_person(connection, identity))
        row = run(
            Membership.select(Membership.role.key)
            .where((Membership.user == user_id) & (Membership.organization == org))
            .first()
            .run()
        )
        assert row is not None
        return str(row["role.key"])

    assert role_of(f"a@{domain}", ("it-admins", "auditors")) == "sso-auditor"  # the mapping's order
    assert role_of(f"b@{domain}", ("it-admins",)) == "admin"
    assert role_of(f"c@{domain}", ("sales",)) == "member"
    assert role_of(f"a@{domain}", ()) == "sso-auditor"  # kept: only a first sign-in decides


def test_a_removed_member_stays_removed_whatever_the_idp_says() -> None:
    from resolvers.joining_by_email_domain import remember_removal

    org, domain, connection_id = sso_world()
    connection = run(load_connection(connection_id))
    assert connection is not None
    user_id = run(sign_in_person(connection, person(f"gone@{domain}", subject="gone-1")))

    async def remove() -> None:
        await Membership.delete().where((Membership.user == user_id) & (Membership.organization == org))
        await remember_removal(org, user_id)

    run(remove())
    assert refused_reason(sign_in_person(connection, person(f"gone@{domain}", subject="gone-1"))) == (
        "membership_removed"
    )
    assert not run(
        Membership.exists().where((Membership.user == user_id) & (Membership.organization == org)).run()
    )


# --- what a tenant's IdP must not do (the security review of stop 19) ----------------------------


def test_a_linked_account_whose_address_left_the_organizations_domains_is_not_the_idps_any_more() -> None:
    from db.domains import Domain

    org, domain, connection_id = sso_world()
    connection = run(load_connection(connection_id))
    assert connection is not None
    run(sign_in_person(connection, person(f"alice@{domain}", subject="alice-1")))
    run(Domain.update({Domain.status: "lapsed"}).where(Domain.name == domain).run())  # e.g. sold
    still_ours = unique_domain("kept")
    make_verified_domain(org, still_ours)
    moved = person(f"x@{still_ours}", subject="alice-1")  # the same subject, an address still ours
    assert refused_reason(sign_in_person(connection, moved)) == "email_domain_not_verified"
    assert run(User.count().where(User.email == f"x@{still_ours}").run()) == 0


def test_a_subdomain_another_organization_verified_is_theirs_alone() -> None:
    parent_org, parent, parent_connection_id = sso_world()
    child_org = make_organization("Child Co", ["sso"])
    make_verified_domain(child_org, f"eu.{parent}")
    child_connection = make_connection(child_org)
    parent_connection = run(load_connection(parent_connection_id))
    assert parent_connection is not None
    bob = person(f"bob@eu.{parent}")
    assert refused_reason(sign_in_person(parent_connection, bob)) == "email_domain_not_verified"
    assert is_member(run(sign_in_person(child_connection, bob)), child_org)
    found = run(connection_for_email(f"bob@eu.{parent}"))
    assert found is not None and found.id == child_connection.id
    assert parent_org != child_org


def test_an_email_the_idp_says_it_has_not_verified_is_refused() -> None:
    unverified = IdpAssertion(
        subject="s", attributes={"email": ["v@acme.example.com"], "email_verified": ["false"]}
    )
    with pytest.raises(FederationRefused) as caught:
        federated_identity(DEFAULT_ATTRIBUTE_MAPPING, unverified)
    assert caught.value.reason == "email_not_verified"
    verified = IdpAssertion(
        subject="s", attributes={"email": ["v@acme.example.com"], "email_verified": ["true"]}
    )
    assert federated_identity(DEFAULT_ATTRIBUTE_MAPPING, verified).email == "v@acme.example.com"


@pytest.mark.parametrize("subject", ["", "a\x00b", "two\nlines", "x" * 1025, "\ud800"])
def test_an_unusable_subject_is_refused_and_attributes_are_made_storable(subject: str) -> None:
    with pytest.raises(FederationRefused) as caught:
        federated_identity(
            DEFAULT_ATTRIBUTE_MAPPING,
            IdpAssertion(subject=subject, attributes={"email": ["a@b.example.com"]}),
        )
    assert caught.value.reason == "malformed"
    nasty = IdpAssertion(
        subject="ok", attributes={"email": ["a@b.example.com"], "note\x00": ["x\x00y", "z" * 5000]}
    )
    stored = federated_identity(DEFAULT_ATTRIBUTE_MAPPING, nasty).summary()["attributes"]
    assert stored["note"][0] == "xy" and len(stored["note"][1]) <= 2048


def test_an_internationalised_domain_matches_in_its_idna_form() -> None:
    org = make_organization("Bücher Co", ["sso"])
    label = f"bücher{secrets.token_hex(2)}"
    make_verified_domain(org, f"{label.encode('idna').decode()}.example.com")
    connection = make_connection(org)
    address = federated_identity(
        DEFAULT_ATTRIBUTE_MAPPING,
        IdpAssertion(subject="b", attributes={"email": [f"anna@{label}.example.com"]}),
    )
    assert is_member(run(sign_in_person(connection, address)), org)
    found = run(connection_for_email(f"anna@{label}.example.com"))
    assert found is not None and found.id == connection.id
