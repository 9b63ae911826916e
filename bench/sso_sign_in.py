"""Sign-ins through SSO connections per second on one core: the IdP's answer checked and turned
into a session.

SAML: the attempt claimed, the signed response verified (python3-saml + xmlsec, and our exact
checks), its assertion ID remembered, the person provisioned or found, a session started.
OIDC: the same around a code exchanged at a loopback OpenID Provider (tests/support/oidc_idp.py,
in a process of its own on the other core, so only our side is counted) and the ID token checked
against its JWKS. Answers are signed outside the timed region; each run signs `--people` people in
for the first time, then the rest are returning people, `--concurrency` at a time as a server
would. Runs the server's own steps in one process against a fresh database. Usage:
python bench/sso_sign_in.py [--n 500] [--people 50] [--concurrency 8] [--database-url URL]
"""

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.fresh_database import fresh_database  # noqa: E402 - after the path is set

PUBLIC_URL = "http://localhost:8000"


async def world(protocol: str, idp_settings: dict[str, Any], **columns: Any) -> tuple[Any, str]:
    """An organization with SSO, a verified domain and an active connection; (connection, domain)."""
    from db.domains import Domain
    from db.federation import SSOConnection
    from db.ids import new_id
    from resolvers.clock import now
    from resolvers.connection_rows import load_connection
    from resolvers.organizations import create_organization
    from resolvers.principal import SystemPrincipal

    org = await create_organization(SystemPrincipal("bench"), name="Bench SSO", features=["sso"])
    domain = f"bench-{protocol}-{time.time_ns()}.example.com"
    moment = now()
    await Domain.insert(
        Domain(
            id=new_id("dom"),
            organization=org,
            name=domain,
            token="t",
            status="verified",
            verified_at=moment,
            created_at=moment,
            updated_at=moment,
        )
    )
    connection_id = new_id("con")
    await SSOConnection.insert(
        SSOConnection(
            id=connection_id,
            organization=org,
            name="Bench IdP",
            protocol=protocol,
            provider="generic_saml" if protocol == "saml" else "generic_oidc",
            status="active",
            idp_settings=idp_settings,
            created_at=moment,
            updated_at=moment,
            **columns,
        )
    )
    return await load_connection(connection_id), domain


async def timed_arrivals(
    deployment: Any, connection_id: str, trips: list[tuple[Any, dict[str, Any]]], concurrency: int
) -> float:
    """Seconds for every answer to be checked and turned into a session, `concurrency` at a time
    (a server handles many sign-ins at once, so database waits overlap)."""
    from resolvers.sessions import create_session
    from resolvers.sso_sign_in import arrive

    gate = asyncio.Semaphore(concurrency)

    async def one(departure: Any, answer: dict[str, Any]) -> None:
        async with gate:
            arrival = await arrive(
                deployment,
                connection_id,
                attempt_id=departure.attempt_id,
                browser_secret=departure.browser_secret,
                **answer,
            )
            assert arrival.user_id is not None, arrival.refused
            await create_session(
                user_id=arrival.user_id, organization_id=None, amr=["fed"], ip="", user_agent="b"
            )

    started = time.perf_counter()
    await asyncio.gather(*(one(departure, answer) for departure, answer in trips))
    return time.perf_counter() - started


async def saml(n: int, people: int, concurrency: int) -> float:
    from resolvers.deployment import Deployment
    from resolvers.idp_settings import SamlSettings, saml_settings
    from resolvers.service_provider import service_provider
    from resolvers.sso_sign_in import SIGN_IN, depart
    from tests.support.saml_idp import SamlIdp

    deployment = Deployment(public_url=PUBLIC_URL, secret_key="bench-" + "k" * 40)
    idp = SamlIdp()
    connection, domain = await world(
        "saml", saml_settings("saml", SamlSettings(metadata_xml=idp.metadata_xml()))
    )
    ours = service_provider(deployment, connection)
    trips = []
    for index in range(n):  # the browsers' trips and the IdP's signing: not timed
        departure = await depart(deployment, connection, purpose=SIGN_IN)
        seen = idp.read_authn_request(departure.url)
        email = f"person{index % people}@{domain}"
        answer = idp.response(
            acs_url=ours.acs_url,
            audience=ours.entity_id,
            in_response_to=seen.request_id,
            name_id=email,
            attributes={"email": [email], "firstName": ["Bench"], "lastName": ["Person"]},
        )
        trips.append((departure, {"saml_response": answer}))
    return await timed_arrivals(deployment, connection.id, trips, concurrency)


def _serve_idp(answers: Any, client_id: str, client_secret: str) -> None:
    """The OpenID Provider's process: on the other core, so its work is not counted as ours."""
    import contextlib

    from tests.support.oidc_idp import OidcIdp

    with contextlib.suppress(OSError):
        os.sched_setaffinity(0, {0})
    with OidcIdp(client_id=client_id, client_secret=client_secret) as idp:
        idp.behaviour.person_from_login_hint = True  # each sign-in names its person
        answers.send(idp.issuer)
        answers.recv()  # until the parent is done


async def oidc(n: int, people: int, concurrency: int) -> float:
    import multiprocessing
    from urllib.parse import parse_qs, urlsplit

    import httpx

    from resolvers.crypto import encrypt
    from resolvers.deployment import Deployment
    from resolvers.sso_sign_in import SIGN_IN, depart

    deployment = Deployment(
        public_url=PUBLIC_URL, secret_key="bench-" + "k" * 40, outbound_private_networks=True
    )
    ours, theirs = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=_serve_idp, args=(theirs, "bench-client", "bench-secret"), daemon=True
    )
    process.start()
    issuer = ours.recv()
    try:
        connection, domain = await world(
            "oidc",
            {"issuer": issuer, "client_id": "bench-client"},
            client_secret_encrypted=encrypt(deployment.secret_key, b"bench-secret"),
        )
        trips = []
        async with httpx.AsyncClient() as browser:
            for index in range(n):  # the browsers' trips to the IdP: not timed
                email = f"person{index % people}@{domain}"
                departure = await depart(deployment, connection, purpose=SIGN_IN, login_hint=email)
                redirect = await browser.get(departure.url)
                query = parse_qs(urlsplit(redirect.headers["location"]).query)
                trips.append((departure, {"oidc_params": {k: v[0] for k, v in query.items()}}))
        return await timed_arrivals(deployment, connection.id, trips, concurrency)
    finally:
        ours.send("done")
        process.join(timeout=10)


async def run(n: int, people: int, concurrency: int) -> None:
    async with fresh_database(pool_size=max(4, concurrency)):
        engine = os.environ["TENANTRY_DATABASE_URL"].split(":")[0]
        for name, measure in (("SAML", saml), ("OIDC", oidc)):
            elapsed = await measure(n, people, concurrency)
            print(
                f"{name} sign-ins ({engine}, one process, one core, {concurrency} at a time): "
                f"{n / elapsed:.0f}/s (answer checked + person provisioned + session) over {n}, "
                f"{min(people, n)} of them first sign-ins"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    os.environ["TENANTRY_DATABASE_URL"] = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    asyncio.run(run(args.n, args.people, args.concurrency))


if __name__ == "__main__":
    main()
