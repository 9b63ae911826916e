"""Per-caller limits on /graphql: requests a minute, and a minute's budget of query cost.

A caller is a signed-in person (however they call: the portal, or an app with their token), an
integrator's client, or an anonymous address. The cost is the one `schema.cost` computes before
execution, so a caller sending few but heavy requests runs out of budget as surely as one sending
many light ones. Counters live in the host's RateLimiter: in memory for one process, in Redis
shared by every node.
"""

import json
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, parse
from litestar import Request
from litestar.exceptions import HTTPException

from host.security import RateLimiter
from host.settings import GraphQLLimits
from resolvers.principal import ClientPrincipal, Principal, UserPrincipal
from schema.build import schema
from schema.cost import MAX_QUERY_COST, query_cost

WINDOW_SECONDS = 60
MAX_TOKENS = 2_000  # as the schema's MaxTokensLimiter: a longer document is refused anyway


class GraphQLRateLimited(HTTPException):
    """Answered as HTTP 429 with RATE_LIMITED and Retry-After (see host.graphql_errors)."""

    status_code = 429


@dataclass(frozen=True, slots=True)
class Caller:
    key: str
    requests_per_minute: int
    cost_per_minute: int


def caller_of(principal: Principal | None, address: str, limits: GraphQLLimits) -> Caller:
    if isinstance(principal, UserPrincipal):
        return Caller(f"user:{principal.user_id}", limits.requests_per_person, limits.cost_per_person)
    if isinstance(principal, ClientPrincipal):
        return Caller(
            f"client:{principal.application_id}", limits.requests_per_client, limits.cost_per_client
        )
    return Caller(f"ip:{address}", limits.requests_per_address, limits.cost_per_address)


async def request_cost(request: Request[Any, Any, Any]) -> int:
    """What the request's operation costs (at most the cap: a request over it is refused unrun);
    1 for a body that is not a GraphQL request, which execution refuses on its own."""
    try:
        body = json.loads(await request.body())
        document = parse(body["query"], max_tokens=MAX_TOKENS)
        variables = body.get("variables")
        cost = query_cost(
            schema._schema,
            document,
            variables if isinstance(variables, dict) else None,
            body.get("operationName"),
        )
    except (ValueError, TypeError, KeyError, RecursionError, GraphQLError):
        return 1
    return min(cost, MAX_QUERY_COST) if cost is not None else 1


async def enforce_graphql_limits(
    request: Request[Any, Any, Any],
    limiter: RateLimiter,
    limits: GraphQLLimits,
    principal: Principal | None,
    address: str,
) -> None:
    """Count the request and its cost against the caller; raise GraphQLRateLimited when over."""
    caller = caller_of(principal, address, limits)
    waits = [
        await limiter.hit(f"gql:requests:{caller.key}", caller.requests_per_minute, WINDOW_SECONDS),
        await limiter.hit(
            f"gql:cost:{caller.key}",
            caller.cost_per_minute,
            WINDOW_SECONDS,
            amount=await request_cost(request),
        ),
    ]
    wait = max((seconds for seconds in waits if seconds), default=None)
    if wait is not None:
        raise GraphQLRateLimited(
            detail=f"Too many requests, or too costly ones, this minute; retry in {wait} s.",
            headers={"Retry-After": str(wait)},
        )
