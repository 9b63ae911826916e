"""Passkey sign-ins per second on one core: a challenge issued, an assertion verified, the counter kept.

Runs the server's own steps (`begin_authentication`, `finish_authentication`) in one process against a
fresh database; assertions come from the tests' software authenticator (P-256), signed outside the
timed region. Usage: python bench/passkey_sign_in.py [--n 500] [--database-url URL]
"""

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.fresh_database import fresh_database  # noqa: E402 - after the path is set


async def measure(n: int) -> None:
    from db.transaction import transaction
    from resolvers import passkeys
    from resolvers.deployment import Deployment
    from resolvers.principal import UserPrincipal
    from resolvers.sessions import create_session
    from resolvers.users import create_verified_user
    from tests.support.authenticator import SoftwareAuthenticator

    deployment = Deployment(public_url="http://localhost:8000", secret_key="bench-" + "k" * 40)
    async with transaction():
        user_id = await create_verified_user(f"bench-{time.time_ns()}@example.com", "Bench", "User")
    session = await create_session(user_id=user_id, organization_id=None, amr=["otp"], ip="", user_agent="b")
    principal = UserPrincipal(user_id=user_id, session_id=session.id, portal=True)
    authenticator = SoftwareAuthenticator(rp_id="localhost", origin="http://localhost:8000")
    begun = await passkeys.begin_registration(principal, deployment, "Bench")
    await passkeys.finish_registration(
        principal, deployment, begun.flow_id, authenticator.create(begun.options), "Bench key"
    )
    elapsed = 0.0
    for _ in range(n):
        started = time.perf_counter()
        ceremony = await passkeys.begin_authentication(deployment)
        elapsed += time.perf_counter() - started
        assertion = authenticator.get(ceremony.options)  # the browser's work, not the server's
        started = time.perf_counter()
        signed_in = await passkeys.finish_authentication(deployment, ceremony.flow_id, assertion)
        elapsed += time.perf_counter() - started
        assert signed_in.user_id == user_id
    engine = os.environ["TENANTRY_DATABASE_URL"].split(":")[0]
    print(
        f"passkey sign-ins ({engine}, one process, one core): {n / elapsed:.0f}/s, "
        f"{elapsed / n * 1000:.2f} ms each (options + verify) over {n}"
    )


async def run(n: int) -> None:
    async with fresh_database():
        await measure(n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    os.environ["TENANTRY_DATABASE_URL"] = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    asyncio.run(run(args.n))


if __name__ == "__main__":
    main()
