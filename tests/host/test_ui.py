"""/ui/: the portal page for a signed-in person; without a session, the app's sign-in; logout."""

import re
from urllib.parse import parse_qs, urlparse

import pytest

from resolvers.demo import seed_demo
from tests.support.deployment import server_deployment
from tests.support.factories import make_member, make_organization, run
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink


@pytest.fixture(autouse=True)
def demo_app(server: ServerProcess) -> None:
    """Coffee Desk is the application with an initiate-login URI: it owns the portal's sign-in."""
    run(seed_demo(server_deployment()))


def test_without_a_session_the_portal_sends_people_to_the_apps_initiate_login_uri(
    server: ServerProcess, person: Person
) -> None:
    response = person.http.get("/ui/members?tab=invites")
    assert response.status_code in (302, 303)
    target = urlparse(response.headers["location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{server.url}/demo/login"
    query = parse_qs(target.query)
    assert query["iss"] == [server.url]
    assert query["target_link_uri"] == [f"{server.url}/ui/members?tab=invites"]


def test_the_demo_app_brings_the_person_back_to_the_portal_page_they_wanted(
    server: ServerProcess, person: Person, mail: MailSink
) -> None:
    email = unique_email("returning")
    make_member(email, make_organization("Return Co"), "admin")
    start = person.http.get("/ui/members")
    login = person.http.get(start.headers["location"])  # the app starts an authorization request
    authorize = person.http.get(login.headers["location"])
    req = parse_qs(urlparse(authorize.headers["location"]).query)["req"][0]
    location = person.sign_in(email, req=req)
    final = person.follow(location, stop_at=f"{server.url}/ui/")
    assert final.headers["location"] == f"{server.url}/ui/members"


def test_a_signed_in_person_gets_the_portal_page(person: Person, mail: MailSink) -> None:
    email = unique_email("portal")
    make_member(email, make_organization("Portal Co"), "member")
    person.sign_in(email)
    page = person.http.get("/ui/profile")
    assert page.status_code == 200
    assert "<tn-portal></tn-portal>" in page.text
    assert re.search(r'<script type="module" src="/static/portal-[\w-]{8}\.js"></script>', page.text)
    assert f'<meta name="csrf-token" content="{person.csrf()}">' in page.text


def test_logout_needs_the_csrf_token_ends_the_session_and_goes_to_the_apps_page(
    server: ServerProcess, person: Person
) -> None:
    person.sign_in(unique_email("leaving"), intent="signup", first_name="Lea", last_name="Ving")
    forged = person.http.post("/ui/logout", data={"csrf_token": "wrong"})
    assert forged.status_code == 400
    assert person.http.get("/ui/").status_code == 200, "a forged logout changes nothing"
    done = person.http.post("/ui/logout", data={"csrf_token": person.csrf()})
    assert done.status_code == 302
    assert done.headers["location"] == f"{server.url}/demo/signed-out"
    assert person.http.get("/ui/").status_code in (302, 303)
