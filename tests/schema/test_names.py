"""Names over HTTP: sign-up refuses a name that is not one line, and a name stored before the rule
still gets its emails (the mutations' own refusals are in tests/rules/test_names.py)."""

from db.orgs import Organization
from tests.support.factories import make_organization, run
from tests.support.graphql import GraphQLCaller
from tests.support.people import Person, unique_email
from tests.support.row_counts import nothing_written
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink


def test_signing_up_with_a_name_that_is_not_one_line_is_refused(
    server: ServerProcess, mail: MailSink
) -> None:
    person = Person.at(server.url, mail)
    try:
        with nothing_written():
            response = person.start(
                unique_email("signup"), intent="signup", first_name="Ray\r\n", last_name="Ruiz"
            )
        assert response.status_code == 400
        assert "one line" in response.json()["message"]
    finally:
        person.http.close()


def test_an_organization_named_before_names_were_checked_still_gets_its_invitation_emails(
    integrator: GraphQLCaller, mail: MailSink
) -> None:
    org = make_organization("Legacy Co")

    async def name_it_the_old_way() -> None:
        await Organization.update({Organization.name: "Legacy\r\nCo"}).where(Organization.id == org)

    run(name_it_the_old_way())
    invitee = unique_email("legacy-invitee")
    result = integrator(
        'mutation($o: ID!, $e: [String!]!) { inviteMembers(organizationId: $o, emails: $e, role: "member") '
        "{ __typename } }",
        o=org,
        e=[invitee],
    )
    assert result["data"]["inviteMembers"]["__typename"] == "InvitationsSent", result
    subject = mail.wait_for(invitee).subject
    assert subject.startswith("You are invited to join Legacy Co on "), subject
