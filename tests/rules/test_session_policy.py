"""An organization's session policy: validated, feature-gated, and enforced on live sessions."""

from tests.conftest import Clock
from tests.support.factories import make_member, make_organization
from tests.support.graphql import error_codes
from tests.support.in_process import InProcessCaller, sign_in
from tests.support.people import unique_email

UPDATE = "mutation($custom: Boolean!, $abs: Int, $idle: Int) { updateSessionPolicy(custom: $custom, absoluteMinutes: $abs, idleMinutes: $idle) { __typename ... on Problem { code message } ... on SessionPolicy { custom effective { absoluteMinutes idleMinutes } } } }"
ME = "{ viewer { user { email } organization { id } } }"


def signed_in(email: str) -> InProcessCaller:
    caller = sign_in(email).portal()
    assert error_codes(caller(ME)) == []  # enters the organization: its policy now applies
    return caller


def test_the_policy_is_validated_with_clear_messages() -> None:
    org = make_organization("Strict Co", ["session_policy"])
    email = unique_email("policy-admin")
    make_member(email, org, "admin")
    admin = signed_in(email)
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


def test_the_policy_needs_the_feature() -> None:
    org = make_organization("No Policy Co")
    email = unique_email("no-feature")
    make_member(email, org, "admin")
    admin = signed_in(email)
    read = admin("query($o: ID!) { organization(organizationId: $o) { sessionPolicy { custom } } }", o=org)
    assert error_codes(read) == ["FEATURE_NOT_ENABLED"]
    assert error_codes(admin(UPDATE, custom=False)) == ["FEATURE_NOT_ENABLED"]


def test_a_new_idle_timeout_applies_to_sessions_that_already_exist(clock: Clock) -> None:
    org = make_organization("Idle Co", ["session_policy"])
    admin_email, member_email = unique_email("idle-admin"), unique_email("idle-member")
    make_member(admin_email, org, "admin")
    make_member(member_email, org, "member")
    admin = signed_in(admin_email)
    member = signed_in(member_email)
    assert admin(UPDATE, custom=True, abs=8 * 60, idle=30)["data"]["updateSessionPolicy"]["custom"] is True

    clock.advance(20 * 60)
    assert error_codes(admin(ME)) == [], "the admin stays active"
    clock.advance(15 * 60)  # the member has now been idle for 35 minutes
    assert error_codes(member(ME)) == ["UNAUTHENTICATED"], (
        "the member's existing session ended at the new idle timeout"
    )
    assert error_codes(admin(ME)) == [], "activity every 20 minutes keeps a session alive"


def test_the_absolute_timeout_ends_even_an_active_session(clock: Clock) -> None:
    org = make_organization("Absolute Co", ["session_policy"])
    email = unique_email("absolute")
    make_member(email, org, "admin")
    admin = signed_in(email)
    assert (
        admin(UPDATE, custom=True, abs=120)["data"]["updateSessionPolicy"]["effective"]["absoluteMinutes"]
        == 120
    )
    for _ in range(5):
        clock.advance(23 * 60)
        assert error_codes(admin(ME)) == []
    clock.advance(10 * 60)  # 125 minutes after sign-in
    assert error_codes(admin(ME)) == ["UNAUTHENTICATED"]


def test_back_to_the_apps_defaults_lifts_the_organizations_limits(clock: Clock) -> None:
    org = make_organization("Relaxed Co", ["session_policy"])
    email = unique_email("relaxed")
    make_member(email, org, "admin")
    admin = signed_in(email)
    admin(UPDATE, custom=True, abs=120, idle=30)
    relaxed = admin(UPDATE, custom=False)["data"]["updateSessionPolicy"]
    assert relaxed["custom"] is False
    assert relaxed["effective"]["idleMinutes"] is None
    clock.advance(45 * 60)
    assert error_codes(admin(ME)) == [], "no idle timeout any more"


def test_withdrawing_the_feature_pauses_the_policy_and_restoring_it_resumes(
    clock: Clock, integrator: InProcessCaller
) -> None:
    """Without the entitlement nobody can see or change the policy, so it must not bind either."""
    org = make_organization("Lapsed Plan Co", ["session_policy"])
    email = unique_email("lapsed-plan")
    make_member(email, org, "admin")
    admin = signed_in(email)
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


def test_relaxing_the_policy_does_not_revive_a_session_that_already_expired(clock: Clock) -> None:
    org = make_organization("No Revival Co", ["session_policy"])
    admin_email, member_email = unique_email("revive-admin"), unique_email("revive-member")
    make_member(admin_email, org, "admin")
    make_member(member_email, org, "member")
    admin = signed_in(admin_email)
    member = signed_in(member_email)
    admin(UPDATE, custom=True, abs=8 * 60, idle=30)
    clock.advance(20 * 60)
    assert error_codes(admin(ME)) == []
    clock.advance(15 * 60)  # the member is 35 minutes idle: expired, whether or not the clean-up ran
    assert admin(UPDATE, custom=False)["data"]["updateSessionPolicy"]["custom"] is False
    assert error_codes(member(ME)) == ["UNAUTHENTICATED"], "an expired session stays expired"
