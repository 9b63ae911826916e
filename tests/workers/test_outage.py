"""While something the job loops need is gone, they try less and less often and say so once a try."""

import logging

import pytest

from workers.outage import MAX_DELAY_SECONDS, Outage

log = logging.getLogger("tenantry.test-outage")


def outage(*, traceback_first: bool = False) -> Outage:
    return Outage(name="Redis at db:6379", consequence="jobs wait", log=log, traceback_first=traceback_first)


def test_each_failed_try_doubles_the_wait_up_to_the_cap_with_one_line_each(
    caplog: pytest.LogCaptureFixture,
) -> None:
    gone = outage()
    with caplog.at_level(logging.WARNING, logger=log.name):
        waits = [gone.failed(ConnectionRefusedError("refused")) for _ in range(8)]
    assert waits == [1, 2, 4, 8, 16, MAX_DELAY_SECONDS, MAX_DELAY_SECONDS, MAX_DELAY_SECONDS]
    assert len(caplog.records) == 8
    assert caplog.records[0].getMessage() == (
        "Redis at db:6379 is unreachable (refused); jobs wait; next try in 1 s"
    )
    assert not gone.reachable


def test_recovery_is_one_line_and_the_next_outage_starts_again_at_one_second(
    caplog: pytest.LogCaptureFixture,
) -> None:
    gone = outage()
    gone.succeeded()
    assert caplog.records == [], "no word of a recovery without an outage"
    gone.failed(OSError("down"))
    gone.failed(OSError("down"))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger=log.name):
        gone.succeeded()
        gone.succeeded()
    assert [record.getMessage().split(" after ")[0] for record in caplog.records] == [
        "Redis at db:6379 is reachable again"
    ]
    assert gone.reachable
    assert gone.failed(OSError("down again")) == 1


def test_only_the_first_failure_carries_a_traceback_and_only_when_asked(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger=log.name):
        database, redis = outage(traceback_first=True), outage()
        for _ in range(3):
            database.failed(RuntimeError("no such table: jobs"))
        redis.failed(ConnectionRefusedError("refused"))
    assert [record.exc_info is not None for record in caplog.records] == [True, False, False, False]
