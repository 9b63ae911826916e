"""The organization's session policy as apps meet it: refreshes are activity, and a grant keeps the
policy of the organization it was made in, whichever organization the browser moves to."""

from collections.abc import Iterator

import httpx
import pytest

from resolvers.managing_members import remove_member
from resolvers.principal import SystemPrincipal
from tests.conftest import Clock
from tests.support.factories import App, make_app, make_member, make_organization, membership_id, run
from tests.support.graphql import GraphQLCaller, error_codes
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

POLICY = "mutation($o: ID!, $abs: Int, $idle: Int) { updateSessionPolicy(organizationId: $o, custom: true, absoluteMinutes: $abs, idleMinutes: $idle) { __typename } }"
SWITCH = "mutation($o: ID!) { switchOrganization(organizationId: $o) { __typename } }"
ME = "{ viewer { organization { id } } }"


@pytest.fixture
def person(server: ServerProcess, mail: MailSink) -> Iterator[Person]:
    someone = Person.at(server.url, mail)
    yield someone
    someone.http.close()


def refresh(server: ServerProcess, app: App, refresh_token: str) -> httpx.Response:
    return httpx.post(
        f"{server.url}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
        auth=(app.client_id, app.client_secret or ""),
    )


def strict_organization(name: str, admin_email: str) -> str:
    """An organization entitled to its own policy, with `admin_email` as its admin."""
    organization_id = make_organization(name, ["session_policy"])
    make_member(admin_email, organization_id, "admin")
    return organization_id


def set_policy(person: Person, organization_id: str, *, absolute: int, idle: int | None = None) -> None:
    answer = GraphQLCaller.for_person(person)(POLICY, o=organization_id, abs=absolute, idle=idle)
    assert answer["data"]["updateSessionPolicy"]["__typename"] == "SessionPolicy", answer


def test_an_apps_token_refreshes_keep_an_idle_session_alive(
    server: ServerProcess, person: Person, clock: Clock
) -> None:
    email = unique_email("refresher")
    org = strict_organization("Idle Apps Co", email)
    person.sign_in(email)
    set_policy(person, org, absolute=8 * 60, idle=30)
    app = make_app()
    tokens = person.tokens_for(app, organization_id=org)
    for _ in range(4):  # 36 minutes in the app alone, never in the portal
        clock.advance(9 * 60)
        refreshed = refresh(server, app, tokens["refresh_token"])
        assert refreshed.status_code == 200, refreshed.text
        tokens = refreshed.json()
    clock.advance(31 * 60)
    idle = refresh(server, app, tokens["refresh_token"])
    assert (idle.status_code, idle.json()["error"]) == (400, "invalid_grant"), "idle 31 minutes: over"


def test_switching_organizations_does_not_escape_the_stricter_policy(
    server: ServerProcess, person: Person, clock: Clock
) -> None:
    email = unique_email("escaper")
    strict = strict_organization("Strict Apps Co", email)
    relaxed = make_organization("Relaxed Apps Co")
    make_member(email, relaxed, "member")
    person.sign_in(email)
    set_policy(person, strict, absolute=120)
    app = make_app()
    tokens = person.tokens_for(app, organization_id=strict)
    portal = GraphQLCaller.for_person(person)
    assert portal(SWITCH, o=relaxed)["data"]["switchOrganization"]["__typename"] == "Viewer"
    clock.advance(60 * 60)
    within = refresh(server, app, tokens["refresh_token"])
    assert within.status_code == 200, "within the two hours"
    clock.advance(65 * 60)
    assert error_codes(portal(ME)) == [], "the browser, now in the relaxed organization, goes on"
    late = refresh(server, app, within.json()["refresh_token"])
    assert (late.status_code, late.json()["error"]) == (400, "invalid_grant")
    assert "session policy" in late.json()["error_description"]


def test_a_member_removed_after_switching_away_loses_the_old_organizations_grants(
    server: ServerProcess, person: Person
) -> None:
    email = unique_email("removed-elsewhere")
    first, second = make_organization("First Co"), make_organization("Second Co")
    user_id = make_member(email, first, "member")
    make_member(email, second, "member")
    person.sign_in(email)
    app = make_app()
    tokens = person.tokens_for(app, organization_id=first)
    assert GraphQLCaller.for_person(person)(SWITCH, o=second)["data"]["switchOrganization"]
    run(remove_member(SystemPrincipal("test"), membership_id(user_id, first)))
    refused = refresh(server, app, tokens["refresh_token"])
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_grant")
