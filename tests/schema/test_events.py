"""Every change that integrators hear about writes its event (with the change, in one transaction)."""

from typing import Any

from db.events import Event
from db.users import User
from tests.support.factories import make_member, make_organization, membership_id, run
from tests.support.graphql import GraphQLCaller
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

INVITE = """mutation($emails: [String!]!) { inviteMembers(emails: $emails, role: "member") {
  ... on InvitationsSent { invitations { id email } } } }"""


def events_since(marker: str, organization_id: str | None = None) -> list[dict[str, Any]]:
    """Events newer than `marker` (ids sort by time), oldest first, optionally of one organization."""
    query = Event.select(Event.id, Event.type, Event.organization_id, Event.data).where(Event.id > marker)
    if organization_id is not None:
        query = query.where(Event.organization_id == organization_id)
    rows: list[dict[str, Any]] = run(query.order_by(Event.id).output(load_json=True).run())
    return rows


def marker() -> str:
    last = run(Event.select(Event.id).order_by(Event.id, ascending=False).first().run())
    return str(last["id"]) if last else ""


def test_user_events_follow_sign_up_and_profile_changes(server: ServerProcess, mail: MailSink) -> None:
    start = marker()
    email = unique_email("evented")
    person = Person.at(server.url, mail)
    try:
        person.sign_in(email, intent="signup", first_name="Eve", last_name="Ent")
        GraphQLCaller.for_person(person)(
            'mutation { updateProfile(firstName: "Eva", lastName: "Ent") { __typename } }'
        )
    finally:
        person.http.close()
    mine = [e for e in events_since(start) if e["data"].get("user", {}).get("email") == email]
    assert [e["type"] for e in mine] == ["user.created", "user.updated"]
    assert mine[0]["data"]["user"]["first_name"] == "Eve"
    assert mine[1]["data"]["user"]["first_name"] == "Eva"
    assert mine[1]["data"]["user"]["email_verified"] in (True, 1)


def test_membership_and_invitation_events_follow_the_member_lifecycle(
    server: ServerProcess, mail: MailSink
) -> None:
    organization_id = make_organization("Evented Org")
    start = marker()
    admin_email, invitee_email = unique_email("ev-admin"), unique_email("ev-invitee")
    make_member(admin_email, organization_id, "admin")
    admin, invitee = Person.at(server.url, mail), Person.at(server.url, mail)
    try:
        admin.sign_in(admin_email)
        as_admin = GraphQLCaller.for_person(admin)
        invited = as_admin(INVITE, emails=[invitee_email])["data"]["inviteMembers"]["invitations"][0]
        mail.wait_for(invitee_email)  # the invitation, so the sign-in below reads its own code
        invitee.sign_in(invitee_email, intent="signup", first_name="In", last_name="Vitee")
        accepted = invitee.post_api("/a/auth/api/organization", {"accept_invitation": invited["id"]})
        assert accepted.status_code == 200, accepted.text  # the organization step: they said yes
        GraphQLCaller.for_person(invitee)("{ viewer { organization { id } } }")  # enters the organization
        user = run(User.select(User.id).where(User.email == invitee_email).first().run())
        assert user is not None
        member = membership_id(str(user["id"]), organization_id)
        as_admin(
            'mutation($id: ID!) { changeMemberRole(memberId: $id, role: "admin") { __typename } }', id=member
        )
        as_admin("mutation($id: ID!) { removeMember(memberId: $id) { __typename } }", id=member)
        dropped = as_admin(INVITE, emails=[unique_email("ev-dropped")])["data"]["inviteMembers"][
            "invitations"
        ][0]
        as_admin(
            "mutation($id: ID!) { revokeInvitation(invitationId: $id) { ... on Invitation { status } } }",
            id=dropped["id"],
        )
    finally:
        admin.http.close()
        invitee.http.close()
    types = [e["type"] for e in events_since(start, organization_id)]
    assert types == [
        "membership.created",  # the admin, added directly
        "invitation.created",
        "invitation.accepted",
        "membership.created",  # the invitee, active once they accepted
        "membership.updated",
        "membership.deleted",
        "user.logout",  # the removed member's session in this organization ended
        "session.revoked",
        "invitation.created",
        "invitation.revoked",
    ]
    updated = next(e for e in events_since(start, organization_id) if e["type"] == "membership.updated")
    assert updated["data"]["membership"]["role"] == "admin"
