"""An organization's session policy: validated, feature-gated, and enforced on live sessions."""

from tests.conftest import Clock
from tests.support.factories import make_member, make_organization
from tests.support.graphql import GraphQLCaller, error_codes
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

UPDATE = "mutation($custom: Boolean!, $abs: Int, $idle: Int) { updateSessionPolicy(custom: $custom, absoluteMinutes: $abs, idleMinutes: $idle) { __typename ... on Problem { code message } ... on SessionPolicy { custom effective { absoluteMinutes idleMinutes } } } }"
ME = "{ viewer { user { email } organization { id } } }"


def signed_in(server: ServerProcess, mail: MailSink, email: str) -> tuple[Person, GraphQLCaller]:
    person = Person.at(server.url, mail)
    person.sign_in(email)
    caller = GraphQLCaller.for_person(person)
    assert error_codes(caller(ME)) == []  # enters the organization: its policy now applies
    return person, caller


def test_the_policy_is_validated_with_clear_messages(server: ServerProcess, mail: MailSink) -> None:
    org = make_organization("Strict Co", ["session_policy"])
    email = unique_email("policy-admin")
    make_member(email, org, "admin")
    person, admin = signed_in(server, mail, email)
    for absolute, idle, words in [
        (5, None, "access-token lifetime"),
        (600, 5, "access-token lifetime"),
        (60, 120, "shorter than the absolute"),
        (None, None, "need an absolute timeout"),
    ]:
        result = admin(UPDATE, custom=True, abs=absolute, idle=idle)["data"]["updateSessionPolicy"]
        assert result["__typename"] == "InvalidInput", result
        assert words in result["message"]
    ok = admin(UPDATE, custom=True, abs=8 * 60, idle=30)["data"]["updateSessionPolicy"]
    assert ok["effective"] == {"absoluteMinutes": 480, "idleMinutes": 30}
    person.http.close()


def test_the_policy_needs_the_feature(server: ServerProcess, mail: MailSink) -> None:
    org = make_organization("No Policy Co")
    email = unique_email("no-feature")
    make_member(email, org, "admin")
    person, admin = signed_in(server, mail, email)
    read = admin("query($o: ID!) { organization(organizationId: $o) { sessionPolicy { custom } } }", o=org)
    assert error_codes(read) == ["FEATURE_NOT_ENABLED"]
    assert error_codes(admin(UPDATE, custom=False)) == ["FEATURE_NOT_ENABLED"]
    person.http.close()


def test_a_new_idle_timeout_applies_to_sessions_that_already_exist(
    server: ServerProcess, mail: MailSink, clock: Clock
) -> None:
    org = make_organization("Idle Co", ["session_policy"])
    admin_email, member_email = unique_email("idle-admin"), unique_email("idle-member")
    make_member(admin_email, org, "admin")
    make_member(member_email, org, "member")
    admin_person, admin = signed_in(server, mail, admin_email)
    member_person, member = signed_in(server, mail, member_email)
    assert admin(UPDATE, custom=True, abs=8 * 60, idle=30)["data"]["updateSessionPolicy"]["custom"] is True

    clock.advance(20 * 60)
    assert error_codes(admin(ME)) == [], "the admin stays active"
    clock.advance(15 * 60)  # the member has now been idle for 35 minutes
    assert error_codes(member(ME)) == ["UNAUTHENTICATED"], (
        "the member's existing session ended at the new idle timeout"
    )
    assert error_codes(admin(ME)) == [], "activity every 20 minutes keeps a session alive"
    admin_person.http.close()
    member_person.http.close()


def test_the_absolute_timeout_ends_even_an_active_session(
    server: ServerProcess, mail: MailSink, clock: Clock
) -> None:
    org = make_organization("Absolute Co", ["session_policy"])
    email = unique_email("absolute")
    make_member(email, org, "admin")
    person, admin = signed_in(server, mail, email)
    assert (
        admin(UPDATE, custom=True, abs=120)["data"]["updateSessionPolicy"]["effective"]["absoluteMinutes"]
        == 120
    )
    for _ in range(5):
        clock.advance(23 * 60)
        assert error_codes(admin(ME)) == []
    clock.advance(10 * 60)  # 125 minutes after sign-in
    assert error_codes(admin(ME)) == ["UNAUTHENTICATED"]
    person.http.close()


def test_back_to_the_apps_defaults_lifts_the_organizations_limits(
    server: ServerProcess, mail: MailSink, clock: Clock
) -> None:
    org = make_organization("Relaxed Co", ["session_policy"])
    email = unique_email("relaxed")
    make_member(email, org, "admin")
    person, admin = signed_in(server, mail, email)
    admin(UPDATE, custom=True, abs=120, idle=30)
    relaxed = admin(UPDATE, custom=False)["data"]["updateSessionPolicy"]
    assert relaxed["custom"] is False
    assert relaxed["effective"]["idleMinutes"] is None
    clock.advance(45 * 60)
    assert error_codes(admin(ME)) == [], "no idle timeout any more"
    person.http.close()


def test_withdrawing_the_feature_pauses_the_policy_and_restoring_it_resumes(
    server: ServerProcess, mail: MailSink, clock: Clock, integrator: GraphQLCaller
) -> None:
    """Without the entitlement nobody can see or change the policy, so it must not bind either."""
    org = make_organization("Lapsed Plan Co", ["session_policy"])
    email = unique_email("lapsed-plan")
    make_member(email, org, "admin")
    person, admin = signed_in(server, mail, email)
    admin(UPDATE, custom=True, abs=120, idle=30)
    features = "mutation($o: ID!, $f: [Feature!]!) { setOrganizationFeatures(organizationId: $o, features: $f) { features } }"
    assert integrator(features, o=org, f=[])["data"]["setOrganizationFeatures"]["features"] == []
    clock.advance(45 * 60)
    assert error_codes(admin(ME)) == [], "paused: the app's defaults (no idle timeout) apply"
    integrator(features, o=org, f=["SESSION_POLICY"])
    clock.advance(35 * 60)
    assert error_codes(admin(ME)) == ["UNAUTHENTICATED"], (
        "resumed: idle for 35 minutes under a 30-minute timeout"
    )
    person.http.close()


def test_relaxing_the_policy_does_not_revive_a_session_that_already_expired(
    server: ServerProcess, mail: MailSink, clock: Clock
) -> None:
    org = make_organization("No Revival Co", ["session_policy"])
    admin_email, member_email = unique_email("revive-admin"), unique_email("revive-member")
    make_member(admin_email, org, "admin")
    make_member(member_email, org, "member")
    admin_person, admin = signed_in(server, mail, admin_email)
    member_person, member = signed_in(server, mail, member_email)
    admin(UPDATE, custom=True, abs=8 * 60, idle=30)
    clock.advance(20 * 60)
    assert error_codes(admin(ME)) == []
    clock.advance(15 * 60)  # the member is 35 minutes idle: expired, whether or not the clean-up ran
    assert admin(UPDATE, custom=False)["data"]["updateSessionPolicy"]["custom"] is False
    assert error_codes(member(ME)) == ["UNAUTHENTICATED"], "an expired session stays expired"
    admin_person.http.close()
    member_person.http.close()
