"""Domain checks per minute for one worker, against an authoritative DNS server on loopback.

Adds --n pending domains (half with their TXT record published) to a fresh database, makes them
due, lets the scheduler queue their `check_domain` jobs, then runs those jobs the way one worker
does: through `execute_job`, --concurrency at a time (arq's default max_jobs is 10). DNS answers
come from the in-process dnslib server the tests use, so this measures Tenantry, not the network.

Usage: python bench/domain_checks.py [--n 600] [--concurrency 10] [--database-url URL]
"""

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.fresh_database import fresh_database  # noqa: E402 - after the path is set

if TYPE_CHECKING:
    from tests.support.dns_server import LoopbackDns
    from workers.context import JobContext

PER_ORGANIZATION = 50  # below the per-organization limit on claimed domains


async def add_due_domains(n: int, dns: "LoopbackDns") -> int:
    """n pending domains over several organizations, due now; publishes every other record."""
    from db.domains import Domain
    from resolvers.clock import now
    from resolvers.domains import add_domain
    from resolvers.organizations import create_organization
    from resolvers.principal import SystemPrincipal

    system = SystemPrincipal("bench")
    published = 0
    organization = ""
    for index in range(n):
        if index % PER_ORGANIZATION == 0:
            organization = await create_organization(
                system, name=f"Bench {index}", features=["domain_verification"]
            )
        added = await add_domain(system, organization, f"bench-{index}-{time.time_ns()}.example.com")
        if index % 2 == 0:
            dns.publish(added.txt_record_name, added.txt_record_value)
            published += 1
    await Domain.update({Domain.next_check_at: now()}).where(Domain.status == "pending")
    return published


async def run_checks(n: int, concurrency: int, job_context: "JobContext") -> tuple[float, list[float]]:
    """Queue the due checks as the scheduler cron does, then run them as one worker: seconds, latencies."""
    from db.events import Job
    from resolvers.domain_checks import schedule_due_checks
    from workers.jobs import execute_job

    queued = await schedule_due_checks()
    pending = Job.select(Job.id).where((Job.kind == "check_domain") & (Job.status == "pending"))
    job_ids = list(await pending.output(as_list=True))
    assert queued == n == len(job_ids), (queued, n, len(job_ids))
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []

    async def one(job_id: str) -> None:
        async with gate:
            started = time.perf_counter()
            assert await execute_job(job_id, job_context) == "done"
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(one(job_id) for job_id in job_ids))
    return time.perf_counter() - started, sorted(latencies)


async def run(n: int, concurrency: int, dns: "LoopbackDns") -> None:
    from db.domains import Domain
    from host.settings import load_settings

    async with fresh_database(pool_size=concurrency + 2):
        settings = load_settings()
        published = await add_due_domains(n, dns)
        elapsed, latencies = await run_checks(n, concurrency, settings.job_context())
        verified = await Domain.count().where(Domain.status == "verified")
        assert verified == published, f"{verified} verified, {published} published"
    engine = os.environ["TENANTRY_DATABASE_URL"].split(":")[0]
    print(
        f"domain checks ({engine}, one worker, {concurrency} at a time, DNS on {dns.nameserver}): "
        f"{n / elapsed * 60:,.0f} checks/min; per check p50 {statistics.median(latencies):.1f} ms, "
        f"p99 {latencies[int(len(latencies) * 0.99) - 1]:.1f} ms; {verified} of {n} verified"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=600, help="domains to check")
    parser.add_argument("--concurrency", type=int, default=10, help="jobs one worker runs at once")
    parser.add_argument("--database-url", default=None, help="a fresh database (default: SQLite in /tmp)")
    args = parser.parse_args()
    os.environ["TENANTRY_DATABASE_URL"] = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    from tests.support.dns_server import start_dns_server

    dns = start_dns_server()
    os.environ["TENANTRY_DNS_NAMESERVERS"] = dns.nameserver
    try:
        asyncio.run(run(args.n, args.concurrency, dns))
    finally:
        dns.stop()


if __name__ == "__main__":
    main()
