"""A sign-in accepts no invitation by itself: the organization step names each one, and the person
accepts or declines it. Following an invitation's emailed link accepts that one invitation."""

import re
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from db.events import AuditEvent, Event
from db.orgs import Invitation, Membership
from tests.host.oauth.conftest import verify_jwt
from tests.support.factories import make_app, make_invitation, make_member, make_organization, run
from tests.support.graphql import GraphQLCaller
from tests.support.people import Person, authorize_url, pkce_pair, query_of, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

VIEWER = "{ viewer { organization { id } } }"


@pytest.fixture
def invitee(server: ServerProcess, mail: MailSink) -> Iterator[Person]:
    someone = Person.at(server.url, mail)
    yield someone
    someone.http.close()


def invitation_status(invitation_id: str) -> str:
    row = run(Invitation.select(Invitation.status).where(Invitation.id == invitation_id).first().run())
    assert row is not None
    return str(row["status"])


def membership_statuses(organization_id: str) -> list[str]:
    rows = run(Membership.select(Membership.status).where(Membership.organization == organization_id).run())
    return [str(row["status"]) for row in rows]


def audit_actions(invitation_id: str) -> list[tuple[str, str | None]]:
    rows = run(
        AuditEvent.select(AuditEvent.action, AuditEvent.actor_id)
        .where(AuditEvent.target_id == invitation_id)
        .order_by(AuditEvent.id)
        .run()
    )
    return [(row["action"], row["actor_id"]) for row in rows]


def event_types(invitation_id: str) -> list[str]:
    rows = run(Event.select(Event.type, Event.data).order_by(Event.id).output(load_json=True).run())
    return [row["type"] for row in rows if row["data"].get("invitation", {}).get("id") == invitation_id]


def user_id_of(person: Person) -> str:
    body = GraphQLCaller.for_person(person)("{ viewer { user { id } } }")
    return str(body["data"]["viewer"]["user"]["id"])


def invited_person(mail: MailSink, organization_name: str) -> tuple[str, str, str]:
    """An organization that invited a new address; returns the organization, address and invitation."""
    organization = make_organization(organization_name)
    email = unique_email("invitee")
    invitation = make_invitation(organization, email)
    mail.wait_for(email)  # the invitation email, so sign-ins below read their own codes
    return organization, email, invitation


def test_an_ordinary_sign_in_accepts_no_invitation_and_the_organization_step_names_it(
    invitee: Person, mail: MailSink
) -> None:
    organization, email, invitation = invited_person(mail, "Harbour Bakery")

    location = invitee.sign_in(email, intent="signup", first_name="Ivy", last_name="Vitee")

    assert location.startswith("/a/auth/login?"), location
    assert query_of(location) == {"step": "organization", "return_to": "/ui/"}
    assert invitation_status(invitation) == "pending"
    assert membership_statuses(organization) == ["invited"]
    assert GraphQLCaller.for_person(invitee)(VIEWER)["data"]["viewer"]["organization"] is None
    listed = invitee.http.get("/a/auth/api/organizations")
    assert listed.status_code == 200, listed.text
    assert listed.json()["invitations"] == [
        {"id": invitation, "organization": {"id": organization, "name": "Harbour Bakery"}, "role": "Member"}
    ]
    assert listed.json()["organizations"] == []


def test_accepting_in_the_organization_step_joins_and_continues_with_that_organization(
    invitee: Person, mail: MailSink
) -> None:
    organization, email, invitation = invited_person(mail, "Accepting Co")
    invitee.sign_in(email, intent="signup", first_name="Ada", last_name="Cept")

    accepted = invitee.post_api("/a/auth/api/organization", {"accept_invitation": invitation})

    assert accepted.status_code == 200, accepted.text
    assert accepted.json() == {"location": "/ui/"}
    assert invitation_status(invitation) == "accepted"
    assert membership_statuses(organization) == ["active"]
    assert GraphQLCaller.for_person(invitee)(VIEWER)["data"]["viewer"]["organization"]["id"] == organization
    assert ("invitation.accepted", user_id_of(invitee)) in audit_actions(invitation)
    assert event_types(invitation)[-1] == "invitation.accepted"
    again = invitee.post_api("/a/auth/api/invitation/decline", {"invitation_id": invitation})
    assert again.status_code == 400
    assert again.json()["error"] == "invitation_not_found"
    assert invitation_status(invitation) == "accepted"


def test_declining_is_recorded_with_an_audit_row_and_an_invitation_declined_event(
    invitee: Person, mail: MailSink, integrator: GraphQLCaller
) -> None:
    organization, email, invitation = invited_person(mail, "Declined Co")
    invitee.sign_in(email, intent="signup", first_name="Dee", last_name="Cline")

    declined = invitee.post_api("/a/auth/api/invitation/decline", {"invitation_id": invitation})

    assert declined.status_code == 200, declined.text
    assert invitation_status(invitation) == "declined"
    assert membership_statuses(organization) == [], "the offered membership is withdrawn"
    assert audit_actions(invitation)[-1] == ("invitation.declined", user_id_of(invitee))
    assert event_types(invitation) == ["invitation.created", "invitation.declined"]
    assert invitee.http.get("/a/auth/api/organizations").json()["invitations"] == []
    accept = invitee.post_api("/a/auth/api/organization", {"accept_invitation": invitation})
    assert accept.status_code == 400
    assert accept.json()["error"] == "invitation_not_found"
    assert membership_statuses(organization) == []
    listed = integrator(
        "query($org: ID!) { organization(organizationId: $org) { invitations(statuses: [DECLINED]) { nodes { id status } } } }",
        org=organization,
    )
    assert listed["data"]["organization"]["invitations"]["nodes"] == [
        {"id": invitation, "status": "DECLINED"}
    ]


def test_nobody_but_the_invited_address_can_answer_an_invitation(
    server: ServerProcess, invitee: Person, mail: MailSink
) -> None:
    organization, _, invitation = invited_person(mail, "Guarded Co")
    stranger_org = make_organization("Stranger Co")
    stranger_email = unique_email("stranger")
    make_member(stranger_email, stranger_org, "admin")
    invitee.sign_in(stranger_email)
    for path, body in (
        ("/a/auth/api/organization", {"accept_invitation": invitation}),
        ("/a/auth/api/invitation/decline", {"invitation_id": invitation}),
    ):
        refused = invitee.post_api(path, body)
        assert refused.status_code == 400, refused.text
        assert refused.json()["error"] == "invitation_not_found"
    with httpx.Client(base_url=server.url) as anonymous:
        anonymous.get("/a/auth/login")
        signed_out = anonymous.post(
            "/a/auth/api/invitation/decline",
            json={"invitation_id": invitation},
            headers={"X-CSRF-Token": anonymous.cookies["tenantry_csrf"]},
        )
    assert signed_out.status_code == 401
    no_csrf = invitee.http.post("/a/auth/api/invitation/decline", json={"invitation_id": invitation})
    assert no_csrf.status_code == 403
    assert invitation_status(invitation) == "pending"
    assert membership_statuses(organization) == ["invited"]


def test_following_the_invitation_link_then_signing_in_accepts_that_invitation_only(
    invitee: Person, mail: MailSink
) -> None:
    email = unique_email("linked")
    followed_org, other_org = make_organization("Followed Co"), make_organization("Other Co")
    followed = make_invitation(followed_org, email)
    link = re.search(r"(https?://\S+/a/auth/invitation\?token=\S+)", mail.wait_for(email).text)
    assert link
    other = make_invitation(other_org, email)
    mail.wait_for(email, after=1)

    landing = invitee.http.get(link.group(1))
    assert landing.status_code == 302
    location = invitee.sign_in(email, intent="signup", first_name="Lin", last_name="Ked")

    assert invitation_status(followed) == "accepted"
    assert membership_statuses(followed_org) == ["active"]
    assert invitation_status(other) == "pending", "the other invitation waits for its own answer"
    assert query_of(location)["step"] == "organization"
    assert "tenantry_invitation" not in invitee.http.cookies, "the followed link is forgotten"


def test_an_application_sign_in_stops_at_the_organization_step_until_the_invitation_is_answered(
    invitee: Person, mail: MailSink
) -> None:
    organization, email, invitation = invited_person(mail, "App Invited Co")
    app = make_app()
    verifier, challenge = pkce_pair()
    start = invitee.http.get(
        authorize_url(app.client_id, app.redirect_uri, code_challenge=challenge, code_challenge_method="S256")
    )
    req = query_of(start.headers["location"])["req"]
    resumed = invitee.http.get(
        invitee.sign_in(email, req=req, intent="signup", first_name="A", last_name="B")
    )
    step = resumed.headers["location"]
    assert query_of(step)["step"] == "organization", step
    assert invitation_status(invitation) == "pending"

    accepted = invitee.post_api(
        "/a/auth/api/organization", {"accept_invitation": invitation, "req": query_of(step)["req"]}
    )
    assert accepted.status_code == 200, accepted.text
    callback = invitee.follow(accepted.json()["location"], stop_at=app.redirect_uri).headers["location"]
    tokens = invitee.http.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": query_of(callback)["code"],
            "redirect_uri": app.redirect_uri,
            "code_verifier": verifier,
        },
        auth=(app.client_id, app.client_secret or ""),
    ).json()
    claims: dict[str, Any] = verify_jwt(str(invitee.http.base_url).rstrip("/"), tokens["id_token"])
    assert claims["org_id"] == organization, claims


def test_accept_and_decline_racing_for_one_invitation_leave_exactly_one_answer(
    server: ServerProcess, invitee: Person, mail: MailSink
) -> None:
    organization, email, invitation = invited_person(mail, "Racing Co")
    invitee.sign_in(email, intent="signup", first_name="Ray", last_name="Sing")
    csrf = invitee.csrf()
    results: dict[str, int] = {}

    def answer(path: str, body: dict[str, str]) -> None:
        with httpx.Client(base_url=server.url, cookies=invitee.http.cookies, timeout=30) as http:
            results[path] = http.post(path, json=body, headers={"X-CSRF-Token": csrf}).status_code

    threads = [
        threading.Thread(target=answer, args=("/a/auth/api/organization", {"accept_invitation": invitation})),
        threading.Thread(
            target=answer, args=("/a/auth/api/invitation/decline", {"invitation_id": invitation})
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results.values()) == [200, 400], results
    status = invitation_status(invitation)
    assert status in {"accepted", "declined"}
    assert membership_statuses(organization) == (["active"] if status == "accepted" else [])
    answered = [t for t in event_types(invitation) if t in {"invitation.accepted", "invitation.declined"}]
    assert answered == [f"invitation.{status}"]


def test_an_invitation_whose_offered_membership_is_gone_cannot_be_accepted(
    invitee: Person, mail: MailSink
) -> None:
    """Accepting activates the offered membership; without it, nothing is accepted half-way."""
    organization, email, invitation = invited_person(mail, "Withdrawn Co")
    invitee.sign_in(email, intent="signup", first_name="Wit", last_name="Drawn")
    run(Membership.delete().where(Membership.organization == organization).run())

    refused = invitee.post_api("/a/auth/api/organization", {"accept_invitation": invitation})

    assert refused.status_code == 400, refused.text
    assert refused.json()["error"] == "invitation_not_found"
    assert invitation_status(invitation) == "pending"
    assert GraphQLCaller.for_person(invitee)(VIEWER)["data"]["viewer"]["organization"] is None


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        ("\x00", "invalid_request"),  # text no database stores: refused at the edge
        ("inv_\x00", "invalid_request"),
        ("é", "invitation_not_found"),
        ("x" * 500, "invitation_not_found"),
    ],
)
def test_a_malformed_invitation_id_is_a_clear_refusal_never_a_server_error(
    invitee: Person, bad: str, code: str
) -> None:
    invitee.sign_in(unique_email("malformed"))
    for path, body in (
        ("/a/auth/api/organization", {"accept_invitation": bad}),
        ("/a/auth/api/invitation/decline", {"invitation_id": bad}),
    ):
        refused = invitee.post_api(path, body)
        assert refused.status_code == 400, refused.text
        assert refused.json()["error"] == code


def test_prompt_none_answers_no_invitation_and_reports_interaction_required(
    invitee: Person, mail: MailSink
) -> None:
    """A silent authorization never decides for the person: it says they must interact."""
    organization, email, invitation = invited_person(mail, "Silent Co")
    invitee.sign_in(email, intent="signup", first_name="Si", last_name="Lent")
    app = make_app()
    _, challenge = pkce_pair()
    silent = invitee.http.get(
        authorize_url(
            app.client_id,
            app.redirect_uri,
            prompt="none",
            state="quiet",
            code_challenge=challenge,
            code_challenge_method="S256",
        )
    )
    assert silent.status_code == 302
    assert silent.headers["location"].startswith(app.redirect_uri)
    assert query_of(silent.headers["location"])["error"] == "interaction_required"
    assert invitation_status(invitation) == "pending"
    assert membership_statuses(organization) == ["invited"]
