"""The per-organization cap on SSO connections holds when creations race: real concurrent requests
against the server (PostgreSQL with `TENANTRY_TEST_BACKEND=postgres`)."""

import asyncio

import httpx

from resolvers.principal import SystemPrincipal
from resolvers.sso_connections import MAX_CONNECTIONS_PER_ORGANIZATION, create_connection
from tests.conftest import SECRET_KEY
from tests.support.factories import make_organization, run
from tests.support.graphql import GraphQLCaller
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
