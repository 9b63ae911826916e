"""Running jobs from the test process, through the real job path, without racing the server for them."""

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.events import Job
from host.settings import load_settings
from resolvers import clock
from tests.conftest import CLOCK_FILE, SECRET_KEY
from tests.support.factories import run
from tests.support.receiver import Receiver
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink
from workers.context import JobContext

AHEAD_SECONDS = 60.0


@pytest.fixture
def ahead_of_server(server: ServerProcess, tmp_path: Path) -> Iterator[None]:
    """This process runs a minute ahead of the server: jobs it writes are due here and not yet for
    the server's own runners, which would otherwise take them before the test does."""
    offset = tmp_path / "clock-offset"
    offset.write_text(str(AHEAD_SECONDS))
    clock.shift_by(str(offset))
    yield
    clock.shift_by(CLOCK_FILE)  # back to the clock this process shares with the server


@pytest.fixture
def job_context(server: ServerProcess, mail: MailSink) -> JobContext:
    """What a worker runs jobs with: the server's secret key and its SMTP server."""
    settings = dataclasses.replace(load_settings(), secret_key=SECRET_KEY, smtp_url=mail.url)  # type: ignore[attr-defined]
    return settings.job_context()


@pytest.fixture
def made_jobs(server: ServerProcess) -> Iterator[list[str]]:
    """Job ids a test wrote; deleted afterwards so the server never runs what is left of them."""
    made: list[str] = []
    yield made
    if made:
        run(Job.delete().where(Job.id.is_in(made)).run())


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real HTTP receiver on loopback, for webhook and back-channel deliveries."""
    started = Receiver().start()
    yield started
    started.stop()
