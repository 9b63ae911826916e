"""The number of SQL statements behind a members page does not grow with the page size."""

from typing import Any

from db.connection import engine
from resolvers.principal import SystemPrincipal
from schema.build import schema
from tests.support.factories import make_member, make_organization, run
from tests.support.people import unique_email

QUERY = """query($org: ID!, $first: Int!) { organization(organizationId: $org) {
  name members(first: $first) { nodes { id role status user { id email name } } pageInfo { hasNextPage } }
  invitations { nodes { id email } } } }"""


def statements_for(organization_id: str, first: int) -> int:
    count = 0
    engine_class = type(engine())
    original = engine_class.run_querystring

    async def counting(self: Any, querystring: Any, in_pool: bool = False) -> Any:
        nonlocal count
        count += 1
        return await original(self, querystring, in_pool=in_pool)

    async def go() -> None:
        engine_class.run_querystring = counting
        try:
            result = await schema.execute(
                QUERY,
                variable_values={"org": organization_id, "first": first},
                context_value={"principal": SystemPrincipal()},
            )
        finally:
            engine_class.run_querystring = original
        assert result.errors is None, result.errors
        assert len(result.data["organization"]["members"]["nodes"]) == first  # type: ignore[index]

    run(go())
    return count


def test_a_page_of_twenty_costs_no_more_statements_than_a_page_of_two() -> None:
    org = make_organization("Counting")
    for _ in range(21):
        make_member(unique_email("counted"), org, "member")
    small, large = statements_for(org, 2), statements_for(org, 20)
    assert small > 0, "the counter sees the queries"
    assert large == small
