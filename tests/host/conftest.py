"""Fixtures for tests that talk to the server over HTTP: an application and a person."""

from collections.abc import Iterator

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
