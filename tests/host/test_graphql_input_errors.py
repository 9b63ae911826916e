"""A GraphQL caller's mistake (a wrong variable type) is BAD_INPUT naming the variable, not a
masked crash logged at ERROR."""

from typing import Any

import httpx
import pytest

from tests.support.server import ServerProcess

USES = {"ID!": "webhookEndpoint(endpointId: $v) { id }", "Int": "organizations(first: $v) { nodes { id } }"}


@pytest.mark.parametrize(
    ("declared", "value"),
    [("ID!", {"a": 1}), ("ID!", [1]), ("ID!", None), ("Int", "many"), ("Int", 2**40)],
)
def test_a_wrong_variable_type_is_bad_input_and_logs_no_error(
    server: ServerProcess, declared: str, value: Any
) -> None:
    log_before = len(server.log())
    response = httpx.post(
        f"{server.url}/graphql",
        json={
            "query": f"query ($v: {declared}) {{ {USES[declared]} }}",
            "variables": {"v": value},
        },
    )
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_INPUT", error
    assert "$v" in error["message"], "the message names the variable"
    assert "ERROR" not in server.log()[log_before:], "a caller's mistake is not our crash"
