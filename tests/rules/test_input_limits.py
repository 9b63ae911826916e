"""Every string argument of every query and mutation, as a variable or a literal, is checked before
any resolver runs: broken text and over-long values are BAD_INPUT naming the argument, and
nothing is written."""

import re
from typing import Any

import pytest

from schema.input_limits import MAX_LENGTHS
from tests.support.graphql_arguments import ArgumentPath, argument_paths, operation_with
from tests.support.in_process import InProcessCaller
from tests.support.row_counts import nothing_written

PATHS = argument_paths()


def send(caller: InProcessCaller, request: dict[str, Any]) -> dict[str, Any]:
    return caller(request["query"], **(request.get("variables") or {}))


def refusal(body: dict[str, Any]) -> tuple[str, str]:
    (error,) = body["errors"]
    return str(error["extensions"].get("code")), str(error["extensions"].get("field", ""))


def test_the_schema_has_string_arguments_in_every_kind_of_place() -> None:
    labels = {path.label for path in PATHS}
    assert {"createOrganization.name", "updateOrganization.input.name", "inviteMembers.emails"} <= labels
    assert "finishPasskeyRegistration.credential" in labels, "JSON arguments are walked too"
    assert len(PATHS) >= 40


@pytest.mark.parametrize("target", PATHS, ids=[path.label for path in PATHS])
def test_a_nul_in_a_string_literal_is_bad_input_naming_the_argument(
    anonymous: InProcessCaller, target: ArgumentPath
) -> None:
    request = operation_with(target, "a\x00b", as_literal=True)
    assert "\\u0000" in request["query"], "the NUL is a GraphQL escape the HTTP edge cannot see"
    with nothing_written():
        body = send(anonymous, request)
    code, field = refusal(body)
    assert code == "BAD_INPUT"
    assert re.sub(r"\[\d+\]", "", field) == ".".join(target.path)  # list items name their index


@pytest.mark.parametrize("target", PATHS, ids=[path.label for path in PATHS])
def test_a_value_over_its_length_limit_is_bad_input(anonymous: InProcessCaller, target: ArgumentPath) -> None:
    over = max(20_000, max(MAX_LENGTHS.values()) + 1)  # past every argument's limit
    with nothing_written():
        body = send(anonymous, operation_with(target, "x" * over))
    code, field = refusal(body)
    assert code == "BAD_INPUT"
    assert re.sub(r"\[\d+\]", "", field) == ".".join(target.path)  # list items name their index
    assert "longer than" in body["errors"][0]["message"]


def test_a_value_within_its_limit_passes_the_check(anonymous: InProcessCaller) -> None:
    body = anonymous('mutation { createOrganization(name: "Ünïcödé Café ☕") { __typename } }')
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN", "checked, then refused only for lack of a token"
