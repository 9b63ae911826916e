"""Background domain checks with a moved clock: failure after seven days, lapse after three misses.

Checks run the way operators and the scheduler run them: `tenantry domains check-due` in its own
process, the same function in the test process, or the scheduler's function queuing `check_domain`
jobs for the server's job runner (embedded, or a real arq worker on PostgreSQL).
"""

import asyncio
import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import Clock
from tests.support.dns_server import LoopbackDns
from tests.support.domains import ADD, LIST, VERIFY, check_due, domain_events, run_due_checks_here, wait_until
from tests.support.factories import make_member, make_organization, run
from tests.support.graphql import GraphQLCaller
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink, ReceivedMail

FEATURE = ["domain_verification"]
DAY = 24 * 3600


class Admin:
    """A signed-in admin who signs in again when a moved clock has ended the session."""

    def __init__(self, server: ServerProcess, mail: MailSink, organization: str, email: str) -> None:
        self.server, self.mail, self.organization, self.email = server, mail, organization, email
        self.person = Person.at(server.url, mail)
        self.person.sign_in(email)

    def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        body = GraphQLCaller.for_person(self.person)(query, **variables)
        if body.get("errors"):
            self.person.sign_in(self.email)
            body = GraphQLCaller.for_person(self.person)(query, **variables)
        assert not body.get("errors"), body
        return body

    def domain(self, domain_id: str) -> dict[str, Any]:
        domains = self(LIST, o=self.organization)["data"]["organization"]["domains"]["nodes"]
        return next(row for row in domains if row["id"] == domain_id)

    def add(self, name: str) -> dict[str, Any]:
        added: dict[str, Any] = self(ADD, o=self.organization, n=name)["data"]["addDomain"]
        assert added["status"] == "PENDING", added
        return added


@pytest.fixture
def admin_of(server: ServerProcess, mail: MailSink) -> Iterator[Callable[[str], Admin]]:
    admins: list[Admin] = []

    def make(organization: str) -> Admin:
        email = unique_email("domain-admin")
        make_member(email, organization, "admin")
        admin = Admin(server, mail, organization, email)
        admins.append(admin)
        return admin

    yield make
    for admin in admins:
        admin.person.http.close()


def fresh_domain() -> str:
    return f"{secrets.token_hex(4)}.example.com"


def next_mail_about(mail: MailSink, email: str, words: str, *, after: int) -> ReceivedMail:
    """The first message to `email` beyond the first `after` whose subject has `words` (sign-in codes pass)."""
    index = after
    while words not in (message := mail.wait_for(email, after=index)).subject:
        index += 1
    return message


def checked_after(admin: Admin, domain_id: str, previous: str | None) -> dict[str, Any]:
    """The domain once a check newer than `previous` has been recorded (the scheduler may run it)."""
    return wait_until(
        lambda: found if (found := admin.domain(domain_id))["lastCheckedAt"] != previous else None,
        what="the next domain check",
    )


def test_a_pending_domain_fails_after_seven_days_without_the_record(
    server: ServerProcess, admin_of: Callable[[str], Admin], clock: Clock
) -> None:
    admin = admin_of(make_organization("Never Published", FEATURE))
    domain = admin.add(fresh_domain())
    clock.advance(6 * DAY)
    check_due(server)
    assert checked_after(admin, domain["id"], None)["status"] == "PENDING", "six days is not yet seven"
    clock.advance(DAY + 60)
    check_due(server)
    failed = wait_until(
        lambda: found if (found := admin.domain(domain["id"]))["status"] == "FAILED" else None,
        what="the domain to fail",
    )
    assert "within 7 days" in failed["lastError"]
    assert failed["nextCheckAt"] is None
    events = domain_events(domain["id"])
    assert [event_type for event_type, _ in events][-1] == "organization.domain_verification_failed"
    assert events[-1][1]["status"] == "failed"


def test_a_verified_domain_lapses_after_three_missed_daily_checks_and_admins_are_emailed(
    server: ServerProcess,
    mail: MailSink,
    dns_server: LoopbackDns,
    admin_of: Callable[[str], Admin],
    clock: Clock,
) -> None:
    org = make_organization("Lapsing Co", FEATURE)
    admin = admin_of(org)
    second_admin, member = unique_email("second-admin"), unique_email("plain-member")
    make_member(second_admin, org, "admin")
    make_member(member, org, "member")
    domain = admin.add(fresh_domain())
    dns_server.publish(domain["txtRecordName"], domain["txtRecordValue"])
    assert admin(VERIFY, id=domain["id"])["data"]["verifyDomain"]["status"] == "VERIFIED"

    clock.advance(DAY + 60)
    run_due_checks_here()
    seen = checked_after(admin, domain["id"], None)
    assert (seen["status"], seen["lastError"]) == ("VERIFIED", None), "the record is still there"

    dns_server.remove(domain["txtRecordName"])
    for miss in (1, 2):
        clock.advance(DAY + 60)
        run_due_checks_here()
        seen = checked_after(admin, domain["id"], seen["lastCheckedAt"])
        assert seen["status"] == "VERIFIED", f"{miss} missed check(s) do not lapse a domain"
        assert f"{miss} of 3" in seen["lastError"]
    assert mail.count(second_admin) == 0
    before = {email: mail.count(email) for email in (admin.email, second_admin)}
    clock.advance(DAY + 60)
    run_due_checks_here()
    lapsed = checked_after(admin, domain["id"], seen["lastCheckedAt"])
    assert lapsed["status"] == "LAPSED"
    assert lapsed["nextCheckAt"] is None

    for email in (admin.email, second_admin):
        message = next_mail_about(mail, email, "no longer verified", after=before[email])
        assert domain["name"] in message.subject
        assert domain["txtRecordValue"] in message.text and "/ui/domains" in message.text
    assert mail.count(member) == 0, "members who cannot fix it are not emailed"
    assert [event_type for event_type, _ in domain_events(domain["id"])] == [
        "organization.domain_created",
        "organization.domain_verified",
        "organization.domain_lapsed",
    ]

    dns_server.publish(domain["txtRecordName"], domain["txtRecordValue"])
    again = admin(VERIFY, id=domain["id"])["data"]["verifyDomain"]
    assert again["status"] == "VERIFIED", "Verify now brings a lapsed domain back"


def test_dns_servers_failing_never_lapse_a_verified_domain(
    server: ServerProcess, dns_server: LoopbackDns, admin_of: Callable[[str], Admin], clock: Clock
) -> None:
    admin = admin_of(make_organization("Flaky DNS Co", FEATURE))
    domain = admin.add(fresh_domain())
    dns_server.publish(domain["txtRecordName"], domain["txtRecordValue"])
    seen = admin(VERIFY, id=domain["id"])["data"]["verifyDomain"]
    dns_server.fail(domain["txtRecordName"])
    try:
        for _ in range(4):
            clock.advance(DAY + 60)
            run_due_checks_here()
            seen = checked_after(admin, domain["id"], seen["lastCheckedAt"])
            assert seen["status"] == "VERIFIED"
            assert "SERVFAIL" in seen["lastError"]
    finally:
        dns_server.fail(domain["txtRecordName"], failing=False)
    assert [event_type for event_type, _ in domain_events(domain["id"])][-1] == "organization.domain_verified"


def test_the_scheduler_queues_due_checks_that_the_job_runner_performs(
    server: ServerProcess, dns_server: LoopbackDns, admin_of: Callable[[str], Admin], clock: Clock
) -> None:
    from resolvers.domain_checks import schedule_due_checks

    admin = admin_of(make_organization("Scheduled Co", FEATURE))
    domain = admin.add(fresh_domain())
    dns_server.publish(domain["txtRecordName"], domain["txtRecordValue"])
    clock.advance(120)
    run(schedule_due_checks())  # what the cron runs each minute: claim, then queue `check_domain`
    found = wait_until(
        lambda: row if (row := admin.domain(domain["id"]))["status"] == "VERIFIED" else None,
        what="the queued check to verify the domain",
    )
    assert found["verifiedAt"] is not None
    assert domain_events(domain["id"])[-1][0] == "organization.domain_verified"


def test_two_schedulers_at_the_same_tick_claim_each_due_domain_once(
    server: ServerProcess, admin_of: Callable[[str], Admin], clock: Clock
) -> None:
    from db.domains import Domain
    from resolvers.clock import now
    from resolvers.domain_checks import claim_due

    admin = admin_of(make_organization("Claimed Co", FEATURE))
    ids = {admin.add(fresh_domain())["id"] for _ in range(6)}
    clock.advance(120)

    async def race() -> list[list[str]]:
        return [claimed for claimed, _ in await asyncio.gather(*(claim_due() for _ in range(4)))]

    claims = run(race())
    mine = [domain_id for claimed in claims for domain_id in claimed if domain_id in ids]
    assert sorted(mine) == sorted(ids), "each due domain claimed exactly once"
    rows = run(Domain.select(Domain.next_check_at).where(Domain.id.is_in(list(ids))).run())
    assert all(row["next_check_at"] > now() for row in rows), "a claim moves the next check past now"


def test_check_due_runs_a_due_check_once_then_the_domain_waits_for_its_turn(
    server: ServerProcess, admin_of: Callable[[str], Admin], clock: Clock
) -> None:
    import datetime as dt
    import re

    from tests.support.server import run_cli

    admin = admin_of(make_organization("Counted Co", FEATURE))
    domain = admin.add(fresh_domain())
    clock.advance(120)
    printed = run_cli(["domains", "check-due"], server.env)
    assert printed.returncode == 0, printed.stderr
    assert re.fullmatch(r"checked \d+ due domains?\n", printed.stdout), printed.stdout
    first = checked_after(admin, domain["id"], None)
    wait = dt.datetime.fromisoformat(first["nextCheckAt"]) - dt.datetime.fromisoformat(first["lastCheckedAt"])
    assert round(wait.total_seconds()) == 5 * 60, "after the first check, the next comes 5 minutes later"
    check_due(server)
    assert admin.domain(domain["id"])["lastCheckedAt"] == first["lastCheckedAt"], "not due again yet"


def test_a_check_claimed_again_after_its_lease_runs_once(
    server: ServerProcess, admin_of: Callable[[str], Admin], clock: Clock
) -> None:
    """A backlogged queue can hold two jobs for one domain; only the latest claim's job checks."""
    from resolvers.domain_checks import CLAIM_LEASE_SECONDS, check_domain, claim_due
    from tests.support.deployment import server_deployment

    admin = admin_of(make_organization("Backlog Co", FEATURE))
    domain = admin.add(fresh_domain())
    clock.advance(120)
    first_ids, first_lease = run(claim_due())
    clock.advance(CLAIM_LEASE_SECONDS + 60)  # the first job never ran: the domain is due again
    second_ids, second_lease = run(claim_due())
    assert domain["id"] in first_ids and domain["id"] in second_ids
    stale = run(check_domain(domain["id"], server_deployment(), lease=first_lease))
    assert stale is not None and stale.last_checked_at is None, "the stale claim's job does nothing"
    fresh = run(check_domain(domain["id"], server_deployment(), lease=second_lease))
    assert fresh is not None and fresh.last_checked_at is not None
    assert fresh.attempts == 1
    again = run(check_domain(domain["id"], server_deployment(), lease=second_lease))
    assert again is not None and again.attempts == 1, "the same job run twice checks once"


def test_checks_pause_while_the_organization_lacks_the_entitlement(
    server: ServerProcess, dns_server: LoopbackDns, admin_of: Callable[[str], Admin], clock: Clock
) -> None:
    from db.domains import Domain
    from resolvers.organizations import set_features
    from resolvers.principal import SystemPrincipal

    organization = make_organization("Paused Co", FEATURE)
    admin = admin_of(organization)
    domain = admin.add(fresh_domain())
    dns_server.publish(domain["txtRecordName"], domain["txtRecordValue"])
    assert admin(VERIFY, id=domain["id"])["data"]["verifyDomain"]["status"] == "VERIFIED"
    dns_server.remove(domain["txtRecordName"])

    def stored() -> dict[str, Any]:
        row = run(
            Domain.select(Domain.status, Domain.misses, Domain.last_checked_at)
            .where(Domain.id == domain["id"])
            .first()
            .run()
        )
        assert row is not None
        return dict(row)

    verified = stored()
    run(set_features(SystemPrincipal("test"), organization, []))
    for _ in range(4):  # more than enough missed checks to lapse, had they run
        clock.advance(DAY + 60)
        run_due_checks_here()
    assert stored() == verified, "no DNS check while the organization is not entitled"

    run(set_features(SystemPrincipal("test"), organization, FEATURE))
    clock.advance(DAY + 60)
    run_due_checks_here()
    resumed = stored()
    assert resumed["status"] == "verified"
    assert resumed["misses"] == 1
    assert resumed["last_checked_at"] != verified["last_checked_at"]
