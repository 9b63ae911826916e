"""A Redis outage delays background work and loses none: jobs wait in the database outbox."""

import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from urllib.parse import urlsplit

import httpx
import pytest

from tests.support.backend import Backend
from tests.support.people import Person, unique_email
from tests.support.smtp import MailSink
from tests.support.stack import Stack, own_stack

SWEEP_FAILED = "background jobs wait in the database outbox"  # one line per failed try (backing off)


def email_job_statuses(stack: Stack) -> list[str]:
    """The stack's own SQLite database, read directly: the status of each send_email job."""
    path = urlsplit(stack.env["TENANTRY_DATABASE_URL"]).path
    with closing(sqlite3.connect(path)) as database:
        return [row[0] for row in database.execute("SELECT status FROM job WHERE kind = 'send_email'")]


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
    failed_sweeps = stack.server.log().count(SWEEP_FAILED)
    # Positive signal first: two more failed sweeps, so at least one began after the email's job
    # was written, found it, and could not hand it to Redis; only then is "no mail" meaningful.
    deadline = time.monotonic() + 60  # tries back off: 1 s doubling to 30 s
    while stack.server.log().count(SWEEP_FAILED) < failed_sweeps + 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stack.server.log().count(SWEEP_FAILED) >= failed_sweeps + 2, stack.server.log()
    assert email_job_statuses(stack) == ["pending"], "the email waits in the database outbox"
    assert mail.count(email) == 0, "nothing can be delivered while Redis is down"

    stack.start_redis()
    stack.start_worker()
    message = mail.wait_for(email, timeout=30)
    assert len(message.code) == 6
    assert httpx.get(f"{stack.server.url}/health/ready").status_code == 200
