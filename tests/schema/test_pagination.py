"""The organization chooser's JSON API and the viewer's organizations share the 100-a-page bound,
over HTTP (the rest of the pagination rules run in-process: tests/rules/test_pagination.py)."""

from collections.abc import Callable, Iterator

import pytest

from tests.support.factories import make_member, make_organization
from tests.support.graphql import GraphQLCaller
from tests.support.paging import every_page
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink


@pytest.fixture
def browser(server: ServerProcess, mail: MailSink) -> Iterator[Callable[[str], Person]]:
    """Signs a new browser in as `email`; every browser is closed after the test."""
    opened: list[Person] = []

    def sign_in(email: str) -> Person:
        person = Person.at(server.url, mail)
        opened.append(person)
        person.sign_in(email)
        return person

    yield sign_in
    for person in opened:
        person.http.close()


def test_the_organization_chooser_api_lists_at_most_100_organizations(
    browser: Callable[[str], Person],
) -> None:
    email = unique_email("joiner")
    for n in range(101):
        make_member(email, make_organization(f"Crowd {n}"))
    person = browser(email)

    listed = person.http.get("/a/auth/api/organizations")

    assert listed.status_code == 200, listed.text
    assert len(listed.json()["organizations"]) == 100
    viewer = GraphQLCaller.for_person(person)
    pages = every_page(
        lambda **v: viewer(
            "query($after: String) { viewer { organizations(first: 100, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }",
            **v,
        ),
        ("viewer", "organizations"),
    )
    assert [len(page) for page in pages] == [100, 1]
