"""The domain check schedule: back-off while pending, daily re-checks, failure and lapse rules."""

import datetime as dt
from dataclasses import replace

import pytest

from resolvers.domain_checks import (
    LAPSE_AFTER_MISSES,
    PENDING_DAYS,
    Decision,
    Lookup,
    decide,
    pending_delay,
)
from resolvers.domains import DomainRow

ADDED = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
MINUTE, HOUR, DAY = 60, 3600, 86400
FOUND, ABSENT, BROKEN = Lookup(found=True), Lookup(found=False), Lookup(found=False, error="SERVFAIL.")


def domain(status: str = "pending", *, attempts: int = 0, misses: int = 0) -> DomainRow:
    return DomainRow(
        id="dom_test",
        organization_id="org_test",
        name="example.com",
        token="abc123",
        status=status,
        attempts=attempts,
        misses=misses,
        last_checked_at=None,
        next_check_at=ADDED,
        verified_at=ADDED if status in {"verified", "lapsed"} else None,
        last_error="",
        created_at=ADDED,
    )


def at(seconds: float) -> dt.datetime:
    return ADDED + dt.timedelta(seconds=seconds)


def test_pending_checks_back_off_from_one_minute_to_every_twelve_hours() -> None:
    delays = [pending_delay(checks) for checks in range(9)]
    assert delays == [
        MINUTE,
        5 * MINUTE,
        15 * MINUTE,
        HOUR,
        3 * HOUR,
        6 * HOUR,
        12 * HOUR,
        12 * HOUR,
        12 * HOUR,
    ]


def test_a_pending_domain_is_checked_on_the_schedule_until_seven_days_then_fails() -> None:
    """Walk the whole life of a domain whose record never appears, as the scheduler would."""
    current = domain()
    moment = at(MINUTE)
    waits: list[float] = []
    decision: Decision | None = None
    for _ in range(100):
        decision = decide(current, ABSENT, moment, scheduled=True)
        if decision.status != "pending":
            break
        assert decision.next_check_at is not None
        waits.append((decision.next_check_at - moment).total_seconds())
        current = replace(current, attempts=decision.attempts)
        moment = decision.next_check_at
    assert decision is not None
    assert waits[:7] == [5 * MINUTE, 15 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 12 * HOUR]
    assert decision.status == "failed"
    assert decision.event == "organization.domain_verification_failed"
    assert moment == at(PENDING_DAYS * DAY), "the last check lands exactly on the seven-day deadline"
    assert decision.next_check_at is None
    assert "within 7 days" in decision.last_error


def test_the_record_verifies_a_pending_domain_and_schedules_a_daily_re_check() -> None:
    decision = decide(domain(attempts=3), FOUND, at(HOUR), scheduled=True)
    assert (decision.status, decision.event, decision.verified_at) == (
        "verified",
        "organization.domain_verified",
        at(HOUR),
    )
    assert decision.next_check_at == at(HOUR + DAY)
    assert decision.last_error == ""


def test_a_verified_domain_lapses_only_after_three_missed_checks_in_a_row() -> None:
    current = domain("verified")
    for miss in range(1, LAPSE_AFTER_MISSES):
        decision = decide(current, ABSENT, at(miss * DAY), scheduled=True)
        assert (decision.status, decision.misses, decision.event) == ("verified", miss, None)
        assert f"{miss} of 3" in decision.last_error
        current = replace(current, misses=decision.misses)
    lapsed = decide(current, ABSENT, at(3 * DAY), scheduled=True)
    assert (lapsed.status, lapsed.event, lapsed.next_check_at) == (
        "lapsed",
        "organization.domain_lapsed",
        None,
    )


def test_a_found_record_resets_the_missed_checks() -> None:
    decision = decide(domain("verified", misses=2), FOUND, at(DAY), scheduled=True)
    assert (decision.status, decision.misses, decision.event) == ("verified", 0, None)


@pytest.mark.parametrize("status", ["pending", "verified"])
def test_a_lookup_without_a_usable_answer_is_retried_and_never_counted_as_absent(status: str) -> None:
    current = domain(status, attempts=2, misses=2)
    decision = decide(current, BROKEN, at(DAY), scheduled=True)
    assert decision.status == status
    assert (decision.attempts, decision.misses) == (2, 2)
    assert decision.next_check_at == at(DAY + 15 * MINUTE)
    assert "SERVFAIL" in decision.last_error


def test_dns_trouble_fails_a_pending_domain_only_a_day_past_the_deadline() -> None:
    assert decide(domain(), BROKEN, at(PENDING_DAYS * DAY + HOUR), scheduled=True).status == "pending"
    assert decide(domain(), BROKEN, at(PENDING_DAYS * DAY + DAY), scheduled=True).status == "failed"


@pytest.mark.parametrize("status", ["pending", "failed", "lapsed"])
def test_verify_now_verifies_a_domain_whatever_its_status(status: str) -> None:
    decision = decide(domain(status), FOUND, at(10 * DAY), scheduled=False)
    assert (decision.status, decision.event) == ("verified", "organization.domain_verified")


def test_verify_now_never_counts_against_a_domain() -> None:
    verified = decide(domain("verified", misses=2), ABSENT, at(DAY), scheduled=False)
    assert (verified.status, verified.misses) == ("verified", 2)
    lapsed = decide(domain("lapsed"), ABSENT, at(DAY), scheduled=False)
    assert (lapsed.status, lapsed.event) == ("lapsed", None)


def test_verify_now_without_the_record_restarts_the_quick_checks_of_a_pending_domain() -> None:
    decision = decide(domain(attempts=6), ABSENT, at(2 * DAY), scheduled=False)
    assert (decision.status, decision.attempts) == ("pending", 0)
    assert decision.next_check_at == at(2 * DAY + MINUTE)


def test_failed_and_lapsed_domains_are_not_rescheduled_by_background_checks() -> None:
    for status in ("failed", "lapsed"):
        decision = decide(domain(status), FOUND, at(DAY), scheduled=True)
        assert (decision.status, decision.next_check_at, decision.event) == (status, None, None)
