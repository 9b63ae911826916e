"""Jobs retry with exponential back-off and jitter, then dead-letter with the last error."""

import asyncio
import datetime as dt

from db.events import Job
from resolvers.jobs import enqueue
from tests.support.factories import run
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink
from workers import job_queue


def test_retry_delay_grows_exponentially_with_jitter() -> None:
    delays = [job_queue.retry_delay(attempt) for attempt in range(1, 8)]
    for attempt, delay in enumerate(delays, start=1):
        ceiling = min(job_queue.MAX_DELAY_SECONDS, job_queue.BASE_DELAY_SECONDS * 2 ** (attempt - 1))
        assert ceiling / 2 <= delay <= ceiling


def test_a_failing_job_is_retried_later_then_dead_lettered(server: ServerProcess) -> None:
    # Jobs an hour ahead, so the server's own runners leave them to this test.
    async def scenario() -> list[tuple[str, int, str]]:
        job_id = await enqueue("no_such_kind_for_test", {}, max_attempts=2, delay_seconds=3600)
        seen = []
        for _ in range(2):
            claimed = await job_queue.claim(job_id, due_only=False)
            assert claimed is not None
            status = await job_queue.mark_failed(job_id, "boom")
            row = (
                await Job.select(Job.status, Job.attempts, Job.last_error, Job.run_at)
                .where(Job.id == job_id)
                .first()
            )
            assert row is not None
            seen.append((status, row["attempts"], row["last_error"]))
            if status == "pending":
                assert row["run_at"] > dt.datetime.now(dt.UTC), "the retry waits"
        return seen

    assert run(scenario()) == [("pending", 1, "boom"), ("dead", 2, "boom")]


def test_a_finished_job_is_not_run_again(server: ServerProcess) -> None:
    async def scenario() -> object:
        job_id = await enqueue("no_such_kind_for_test", {}, delay_seconds=3600)
        assert await job_queue.claim(job_id, due_only=False) is not None
        await job_queue.mark_done(job_id)
        return await job_queue.claim(job_id, due_only=False)

    assert run(scenario()) is None


def test_a_sent_sign_in_email_leaves_no_code_behind_in_the_job_table(
    server: ServerProcess, mail: MailSink
) -> None:
    """The code is stored only as an HMAC; the email job that carried it in clear forgets it once sent."""
    email = unique_email("forgotten-code")
    person = Person.at(server.url, mail)
    assert person.start(email, intent="signup", first_name="For", last_name="Got").status_code == 200
    code = mail.wait_for(email).code
    person.http.close()

    async def payloads_with_the_code() -> list[str]:
        for _ in range(50):  # the runner marks the job done just after the SMTP server took the mail
            rows = await Job.select(Job.status, Job.payload).where(Job.kind == "send_email")
            carrying = [row["status"] for row in rows if code in str(row["payload"])]
            if not carrying or carrying != ["running"]:
                return carrying
            await asyncio.sleep(0.1)
        return carrying

    assert run(payloads_with_the_code()) == []
