"""Allowed email domains: a person with a verified address there is offered to join, as a Member."""

import secrets
from collections.abc import Iterator

import pytest

from db.domains import Domain
from db.events import Event
from db.ids import new_id
from resolvers.clock import now
from resolvers.organizations import update_organization_settings
from resolvers.principal import SystemPrincipal
from tests.host.oauth.conftest import exchange_code, verify_jwt
from tests.support.factories import App, make_app, make_organization, run
from tests.support.people import Person, authorize_url, pkce_pair, query_of
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink


@pytest.fixture
def person(server: ServerProcess, mail: MailSink) -> Iterator[Person]:
    someone = Person.at(server.url, mail)
    yield someone
    someone.http.close()


def organization_allowing(domain: str) -> str:
    organization_id = make_organization(f"Joinable {domain}")
    run(
        update_organization_settings(SystemPrincipal("test"), organization_id, allowed_email_domains=[domain])
    )
    return organization_id


def new_domain() -> str:
    return f"join-{secrets.token_hex(4)}.example.com"


def start_sign_up(person: Person, app: App, email: str, **extra: str) -> tuple[str, str]:
    """authorize → sign up; returns (the next location, the PKCE verifier)."""
    verifier, challenge = pkce_pair()
    start = person.http.get(
        authorize_url(
            app.client_id, app.redirect_uri, code_challenge=challenge, code_challenge_method="S256", **extra
        )
    )
    req = query_of(start.headers["location"])["req"]
    location = person.sign_in(email, intent="signup", req=req, first_name="Jo", last_name="Iner")
    return person.http.get(location).headers["location"], verifier


def finish(
    person: Person, app: App, location: str, verifier: str, server: ServerProcess
) -> dict[str, object]:
    callback = person.follow(location, stop_at=app.redirect_uri).headers["location"]
    tokens = exchange_code(server.url, app, query_of(callback)["code"], verifier).json()
    return verify_jwt(server.url, tokens["access_token"])


def test_a_person_at_an_allowed_domain_is_offered_to_join_and_joins_as_a_member(
    person: Person, server: ServerProcess
) -> None:
    domain = new_domain()
    organization_id = organization_allowing(domain)
    app = make_app()
    chooser, verifier = start_sign_up(person, app, f"jo@{domain}")
    assert query_of(chooser)["step"] == "organization", chooser
    offered = person.http.get("/a/auth/api/organizations").json()
    assert offered["organizations"] == []
    assert offered["joinable"] == [{"id": organization_id, "name": f"Joinable {domain}"}]

    joined = person.post_api(
        "/a/auth/api/organization",
        {"organization_id": organization_id, "join": True, "req": query_of(chooser)["req"]},
    )
    assert joined.status_code == 200, joined.text
    claims = finish(person, app, joined.json()["location"], verifier, server)
    assert claims["org_id"] == organization_id
    assert claims["roles"] == ["member"]
    types = run(Event.select(Event.type).where(Event.organization_id == organization_id).run())
    assert {"type": "membership.created"} in types


def test_going_on_without_joining_signs_in_with_no_organization(
    person: Person, server: ServerProcess
) -> None:
    domain = new_domain()
    organization_allowing(domain)
    app = make_app()
    chooser, verifier = start_sign_up(person, app, f"solo@{domain}")
    skipped = person.post_api("/a/auth/api/organization", {"skip": True, "req": query_of(chooser)["req"]})
    assert skipped.status_code == 200, skipped.text
    claims = finish(person, app, skipped.json()["location"], verifier, server)
    assert "org_id" not in claims


def test_nobody_joins_an_organization_their_domain_does_not_open(
    person: Person, server: ServerProcess
) -> None:
    closed = organization_allowing(new_domain())
    app = make_app()
    location, _ = start_sign_up(person, app, f"outsider@{new_domain()}")
    assert location.startswith(app.redirect_uri), "nothing to offer: straight back to the app"
    assert person.http.get("/a/auth/api/organizations").json()["joinable"] == []
    refused = person.post_api("/a/auth/api/organization", {"organization_id": closed, "join": True})
    assert (refused.status_code, refused.json()["error"]) == (403, "not_allowed")
    assert person.http.get("/a/auth/api/organizations").json()["organizations"] == []


def verified_by(organization_id: str, name: str) -> None:
    """Another organization's proof of the domain, as the DNS check leaves it."""
    at = now()
    run(
        Domain.insert(
            Domain(
                id=new_id("dom"),
                organization=organization_id,
                name=name,
                token=secrets.token_hex(16),
                status="verified",
                verified_at=at,
                created_at=at,
                updated_at=at,
            )
        ).run()
    )


def test_a_domain_verified_by_another_organization_no_longer_opens_the_door(
    person: Person, server: ServerProcess
) -> None:
    """Listed first, proved later by someone else: the proof wins, even before the lister next saves."""
    parent = new_domain()
    squatter = organization_allowing(f"eu.{parent}")
    verified_by(make_organization("Owner"), parent)  # a verified name closes the names below it too
    app = make_app()
    location, _ = start_sign_up(person, app, f"staff@eu.{parent}")
    assert location.startswith(app.redirect_uri), "nothing to offer"
    assert person.http.get("/a/auth/api/organizations").json()["joinable"] == []
    refused = person.post_api("/a/auth/api/organization", {"organization_id": squatter, "join": True})
    assert (refused.status_code, refused.json()["error"]) == (403, "not_allowed")


def test_an_app_asking_for_a_joinable_organization_gets_the_offer_not_access_denied(
    person: Person, server: ServerProcess
) -> None:
    domain = new_domain()
    organization_id = organization_allowing(domain)
    other = make_organization("Not yours")
    app = make_app()
    chooser, _ = start_sign_up(person, app, f"asked@{domain}", organization_id=organization_id)
    assert query_of(chooser)["step"] == "organization"

    _, challenge = pkce_pair()
    denied = person.http.get(
        authorize_url(
            app.client_id,
            app.redirect_uri,
            code_challenge=challenge,
            code_challenge_method="S256",
            organization_id=other,
        )
    )
    assert query_of(denied.headers["location"])["error"] == "access_denied"


def test_an_internationalized_domain_opens_to_addresses_written_in_unicode(server: ServerProcess) -> None:
    """Allowed domains are kept in their IDNA form; a Unicode address must still match them."""
    from db.transaction import transaction
    from resolvers.joining_by_email_domain import joinable_organizations
    from resolvers.users import create_verified_user

    domain = f"bücher-{secrets.token_hex(3)}.example"
    organization_id = organization_allowing(domain)

    async def joinable_for_new_user() -> list[dict[str, object]]:
        async with transaction():
            user_id = await create_verified_user(f"leser@{domain}", "Lea", "Leser")
        return await joinable_organizations(user_id)

    assert [row["id"] for row in run(joinable_for_new_user())] == [organization_id]
