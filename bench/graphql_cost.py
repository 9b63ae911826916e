"""What one tenant's heaviest allowed GraphQL request costs everyone else.

Starts one server process (pinned to one core when there are two) on a fresh database: one
organization with 600 invitations (the issue's case) and 20 other tenants with 20 each. Prints
p50/p95 latency of: a light query of another tenant on an idle server; a near-limit query (7
aliases of a 100-invitation page, cost just under 5,000) on its own; the light query while
clients keep sending the near-limit one; and the old attack (15 aliases of a full page), which
is now refused before it runs. Rate limits are lifted so the numbers show the work itself.

Usage: python bench/graphql_cost.py [--seconds 10] [--heavy-clients 4] [--database-url URL]
"""

import argparse
import asyncio
import datetime as dt
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SECRET_KEY = "bench-secret-key-0123456789abcdefghijklmnop"
UNLIMITED = "1000000000"
PAGE = "invitations(first: 100) { nodes { id email role status expiresAt createdAt } }"
LIGHT = "query($o: ID!) { organization(organizationId: $o) { name invitations(first: 20) { nodes { id } } } }"


def aliased(count: int) -> str:
    selection = " ".join(f"a{n}: {PAGE}" for n in range(count))
    return f"query($o: ID!) {{ organization(organizationId: $o) {{ {selection} }} }}"


NEAR_LIMIT = aliased(7)
ATTACK = aliased(15)


def _pin(core: int) -> list[str]:
    return ["taskset", "-c", str(core)] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else []


async def _organizations() -> tuple[str, list[str]]:
    """The heavy tenant with 600 invitations and 20 others with 20, written at once."""
    from db.ids import new_id
    from db.orgs import Invitation, Role
    from resolvers.clock import now
    from resolvers.organizations import create_organization
    from resolvers.principal import SystemPrincipal

    role = await Role.select(Role.id).where(Role.key == "member").first()
    assert role is not None
    moment = now()

    async def organization(name: str, invitations: int) -> str:
        organization_id = await create_organization(SystemPrincipal("bench"), name=name)
        await Invitation.insert(
            *(
                Invitation(
                    id=new_id("inv"),
                    organization=organization_id,
                    email=f"bench-{n}-{secrets.token_hex(3)}@example.com",
                    role=role["id"],
                    token_hash=secrets.token_hex(32),
                    status="pending",
                    expires_at=moment + dt.timedelta(days=7),
                    created_at=moment,
                )
                for n in range(invitations)
            )
        )
        return organization_id

    heavy = await organization("Heavy", 600)
    others = [await organization(f"Tenant {n}", 20) for n in range(20)]
    return heavy, others


async def _token(url: str) -> str:
    from resolvers.applications import create_application
    from resolvers.principal import SystemPrincipal

    app = await create_application(
        SystemPrincipal("bench"),
        name="Bench",
        redirect_uris=["https://bench.example.com/cb"],
        grant_types=["client_credentials"],
        private_networks=False,  # no back-channel logout URI to judge
    )
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{url}/oauth/token",
            data={"grant_type": "client_credentials", "scope": "tenantry:manage"},
            auth=(app.client.id, app.client_secret or ""),
        )
    return str(response.json()["access_token"])


Ask = Callable[[], Awaitable[float]]


def _asker(client: httpx.AsyncClient, query: str, organizations: list[str], expect: str | None = None) -> Ask:
    turn = iter(range(10**12))

    async def ask() -> float:
        organization_id = organizations[next(turn) % len(organizations)]
        started = time.perf_counter()
        response = await client.post("/graphql", json={"query": query, "variables": {"o": organization_id}})
        elapsed = (time.perf_counter() - started) * 1000
        body: dict[str, Any] = response.json()
        codes = [error.get("extensions", {}).get("code") for error in body.get("errors") or []]
        if codes != ([expect] if expect else []):
            raise RuntimeError(f"unexpected answer: {response.status_code} {body}")
        return elapsed

    return ask


async def _loop(ask: Ask, until: float, samples: list[float]) -> None:
    while time.perf_counter() < until:
        samples.append(await ask())


def _line(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"  {name:<58} p50 {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms   n={len(ordered)}"


async def _measure(url: str, seconds: float, heavy_clients: int) -> None:
    from graphql import parse

    from host.settings import GraphQLLimits
    from schema.build import schema
    from schema.cost import query_cost

    heavy, others = await _organizations()
    token = await _token(url)
    headers = {"Authorization": f"Bearer {token}"}
    near_cost = query_cost(schema._schema, parse(NEAR_LIMIT), {"o": heavy})
    attack_cost = query_cost(schema._schema, parse(ATTACK), {"o": heavy})
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as client:
        light = _asker(client, LIGHT, others)
        near = _asker(client, NEAR_LIMIT, [heavy])
        attack = _asker(client, ATTACK, [heavy], expect="QUERY_TOO_COSTLY")
        for warm in (light, near, attack):
            for _ in range(5):
                await warm()

        alone: list[float] = []
        await _loop(light, time.perf_counter() + seconds / 2, alone)
        near_alone: list[float] = []
        await _loop(near, time.perf_counter() + seconds / 2, near_alone)
        refused: list[float] = []
        await _loop(attack, time.perf_counter() + seconds / 4, refused)

        under_load: list[float] = []
        near_loaded: list[float] = []
        until = time.perf_counter() + seconds
        await asyncio.gather(
            _loop(light, until, under_load), *(_loop(near, until, near_loaded) for _ in range(heavy_clients))
        )
    print(_line("another tenant's light query, idle server", alone))
    print(_line(f"near-limit query alone (cost {near_cost:,}, 700 rows)", near_alone))
    print(_line(f"15 aliases of a full page (cost {attack_cost:,}): refused", refused))
    print(_line(f"the light query while {heavy_clients} clients send near-limit ones", under_load))
    print(_line(f"the near-limit query, {heavy_clients} at a time", near_loaded))
    limits = GraphQLLimits()
    if near_cost:
        print(
            f"  default budgets allow {limits.cost_per_client // near_cost} near-limit queries a minute per "
            f"integrator client, {limits.cost_per_person // near_cost} per person, "
            f"{limits.cost_per_address // near_cost} per anonymous address"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--heavy-clients", type=int, default=4)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="tenantry-bench-"))
    database_url = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["TENANTRY_DATABASE_URL"] = database_url
    from db.connection import bind

    bind(database_url)  # set-up through the resolvers, a connection per query, beside the server
    port = 18766
    url = f"http://localhost:{port}"
    env = {
        **os.environ,
        "TENANTRY_PUBLIC_URL": url,
        "TENANTRY_SECRET_KEY": SECRET_KEY,
        "TENANTRY_RATE_GRAPHQL_PER_CLIENT": UNLIMITED,
        "TENANTRY_GRAPHQL_COST_PER_CLIENT": UNLIMITED,
    }
    tenantry = str(Path(sys.executable).parent / "tenantry")
    command = [*_pin(0), tenantry, "serve", "--port", str(port), "--log-level", "warning"]
    server = subprocess.Popen(command, env=env, cwd=REPO)  # noqa: S603
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/health/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        if (os.cpu_count() or 1) > 1 and hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {1})  # the clients on the other core
        engine = database_url.split(":")[0]
        print(f"Tenantry GraphQL cost ({engine}; one server process, pinned to core 0 if there are two):")
        asyncio.run(_measure(url, args.seconds, args.heavy_clients))
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
