"""The per-organization cap on SSO connections holds when creations race, and racing updates keep
each other's settings: real concurrent requests against the server (PostgreSQL with
`TENANTRY_TEST_BACKEND=postgres`)."""

import asyncio

import httpx

from resolvers.principal import SystemPrincipal
from resolvers.sso_connections import MAX_CONNECTIONS_PER_ORGANIZATION, create_connection
from tests.conftest import SECRET_KEY
from tests.support.factories import make_organization, run
from tests.support.graphql import GraphQLCaller
from tests.support.oidc_idp import OidcIdp
from tests.support.server import ServerProcess

CREATE = """mutation($o: ID!) { result: createConnection(organizationId: $o, input: {provider: GENERIC_OIDC}) {
  __typename } }"""
COUNT = "query($o: ID!) { organization(organizationId: $o) { connections(first: 100) { nodes { id } } } }"


def test_racing_creations_never_pass_the_cap(server: ServerProcess, integrator: GraphQLCaller) -> None:
    token = integrator.headers["Authorization"]

    async def round_() -> None:
        org = make_organization("Crowded SSO", ["sso"])
        for _ in range(MAX_CONNECTIONS_PER_ORGANIZATION - 1):
            await create_connection(
                SystemPrincipal("test"), org, secret_key=SECRET_KEY, provider="generic_oidc"
            )
        async with httpx.AsyncClient(
            base_url=server.url, headers={"Authorization": token}, timeout=60
        ) as client:
            answers = await asyncio.gather(
                *(client.post("/graphql", json={"query": CREATE, "variables": {"o": org}}) for _ in range(4))
            )
        kinds = sorted(answer.json()["data"]["result"]["__typename"] for answer in answers)
        assert kinds == ["Connection", "InvalidInput", "InvalidInput", "InvalidInput"], kinds
        listed = integrator(COUNT, o=org)["data"]["organization"]["connections"]["nodes"]
        assert len(listed) == MAX_CONNECTIONS_PER_ORGANIZATION

    for _ in range(3):
        run(round_())


UPDATE = """mutation($id: ID!, $input: UpdateConnectionInput!) { result: updateConnection(connectionId: $id,
  input: $input) { __typename ... on Connection { oidc { issuer clientId } } } }"""


def test_racing_oidc_updates_keep_each_others_settings(
    server: ServerProcess, integrator: GraphQLCaller
) -> None:
    """The issuer's discovery is fetched before the row lock; the settings it merges into are read
    under it, so a client ID saved meanwhile is kept (it was lost when they were read before)."""
    token = integrator.headers["Authorization"]

    async def round_(idp: OidcIdp) -> None:
        org = make_organization("Racing OIDC", ["sso"])
        made = await create_connection(
            SystemPrincipal("test"), org, secret_key=SECRET_KEY, provider="generic_oidc"
        )
        idp.behaviour.discovery_delay_seconds = 0.5
        async with httpx.AsyncClient(
            base_url=server.url, headers={"Authorization": token}, timeout=60
        ) as client:

            async def update(**input: str) -> str:
                answer = await client.post(
                    "/graphql", json={"query": UPDATE, "variables": {"id": made.id, "input": {"oidc": input}}}
                )
                kind: str = answer.json()["data"]["result"]["__typename"]
                return kind

            async def client_id_meanwhile() -> str:
                await asyncio.sleep(0.1)  # the issuer's update is waiting on discovery by now
                return await update(clientId="saved-meanwhile")

            kinds = await asyncio.gather(update(issuer=idp.issuer), client_id_meanwhile())
        assert list(kinds) == ["Connection", "Connection"], kinds
        oidc = integrator(
            "query($id: ID!) { connection(connectionId: $id) { oidc { issuer clientId } } }", id=made.id
        )
        assert oidc["data"]["connection"]["oidc"] == {"issuer": idp.issuer, "clientId": "saved-meanwhile"}

    for _ in range(2):
        with OidcIdp() as idp:
            run(round_(idp))
