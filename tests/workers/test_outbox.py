"""A Redis outage delays background work and loses none: jobs wait in the database outbox."""

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.support.backend import Backend
from tests.support.people import Person, unique_email
from tests.support.smtp import MailSink
from tests.support.stack import Stack, own_stack


@pytest.fixture
def stack(backend: Backend, mail: MailSink) -> Iterator[Stack]:
    yield from own_stack(backend, mail, "outbox")


def test_sign_in_email_written_while_redis_is_down_is_sent_once_redis_and_a_worker_return(
    stack: Stack, mail: MailSink
) -> None:
    email = unique_email("outbox")
    person = Person.at(stack.server.url, mail)
    started = person.start(email, intent="signup", first_name="Out", last_name="Box")
    person.http.close()
    assert started.status_code == 200, "a Redis outage never fails the request"
    time.sleep(2)
    assert mail.count(email) == 0, "nothing can be delivered while Redis is down"

    stack.start_redis()
    stack.start_worker()
    message = mail.wait_for(email, timeout=30)
    assert len(message.code) == 6
    assert httpx.get(f"{stack.server.url}/health/ready").status_code == 200
