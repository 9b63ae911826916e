"""Fixtures for tests that talk to the server over HTTP: an application and a person."""

from collections.abc import Callable, Iterator

import pytest

from tests.support.factories import App, make_app
from tests.support.people import Person
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink


@pytest.fixture
def app(server: ServerProcess) -> App:
    return make_app()


@pytest.fixture
def person(server: ServerProcess, mail: MailSink) -> Iterator[Person]:
    someone = Person.at(server.url, mail)
    yield someone
    someone.http.close()


@pytest.fixture
def browsers(server: ServerProcess, mail: MailSink) -> Iterator[Callable[[], Person]]:
    """Fresh browsers (people without a session yet) on demand, each closed after the test."""
    opened: list[Person] = []

    def open_one() -> Person:
        opened.append(Person.at(server.url, mail))
        return opened[-1]

    yield open_one
    for browser in opened:
        browser.http.close()
