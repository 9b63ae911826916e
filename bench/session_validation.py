"""Per-request cost of session validation: cookie token -> live session, in microseconds.

Runs `resolve_session` (the function every portal, GraphQL and hosted-page request calls) in one
process against a fresh database. Usage: python bench/session_validation.py [--n 2000] [--database-url URL]
"""

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.fresh_database import fresh_database  # noqa: E402 - after the path is set


async def measure(n: int) -> None:
    from db.transaction import transaction
    from resolvers.sessions import create_session, resolve_session
    from resolvers.users import create_verified_user

    async with transaction():
        user_id = await create_verified_user(f"bench-{time.time_ns()}@example.com", "Bench", "User")
    session = await create_session(
        user_id=user_id, organization_id=None, amr=["otp"], ip="", user_agent="bench"
    )
    for _ in range(50):
        assert await resolve_session(session.token) is not None
    samples = []
    for _ in range(n):
        started = time.perf_counter_ns()
        await resolve_session(session.token)
        samples.append((time.perf_counter_ns() - started) / 1000)
    samples.sort()
    engine = os.environ["TENANTRY_DATABASE_URL"].split(":")[0]
    print(
        f"session validation ({engine}, one process): p50 {statistics.median(samples):.0f} µs, "
        f"p99 {samples[int(n * 0.99) - 1]:.0f} µs, mean {statistics.fmean(samples):.0f} µs over {n} requests"
    )


async def run(n: int) -> None:
    async with fresh_database():
        await measure(n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    os.environ["TENANTRY_DATABASE_URL"] = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    asyncio.run(run(args.n))


if __name__ == "__main__":
    main()
