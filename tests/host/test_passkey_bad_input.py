"""A malformed passkey credential (any JSON that is not a PublicKeyCredential) is a refusal in
words, never a crash: py_webauthn assumes the shape and raises AttributeError otherwise."""

from typing import Any

import pytest

from tests.host.test_passkeys import BEGIN, FINISH, People, options, people, verify
from tests.support.graphql import GraphQLCaller
from tests.support.row_counts import nothing_written

__all__ = ["people"]  # the fixture, shared with the passkey tests

MALFORMED = [
    [],
    5,
    "credential",
    {"id": "x", "rawId": "x", "type": "public-key", "response": "x"},
    {"id": "x", "rawId": "x", "type": "public-key", "response": {"clientDataJSON": 5}},
    {"id": ["x"], "rawId": "x", "type": "public-key", "response": {}},
    {"id": "x", "rawId": "x", "type": "public-key", "response": {"clientDataJSON": "e30", "transports": 7}},
]


@pytest.mark.parametrize("credential", MALFORMED, ids=[repr(c)[:40] for c in MALFORMED])
def test_finishing_a_registration_with_a_malformed_credential_is_a_passkey_rejected(
    people: People, credential: Any
) -> None:
    person = people.signed_up("malformed-passkey")
    graphql = GraphQLCaller.for_person(person)
    begun = graphql(BEGIN)["data"]["beginPasskeyRegistration"]
    with nothing_written():
        result = graphql(FINISH, flow=begun["flowId"], credential=credential, name="Laptop")
    assert "errors" not in result, result
    finished = result["data"]["finishPasskeyRegistration"]
    assert finished["__typename"] == "PasskeyRejected"
    assert "not a passkey credential" in finished["message"]


@pytest.mark.parametrize("credential", MALFORMED, ids=[repr(c)[:40] for c in MALFORMED])
def test_signing_in_with_a_malformed_credential_is_a_clear_refusal(people: People, credential: Any) -> None:
    person = people.new()
    started = options(person)
    response = verify(person, started["flow"], credential)
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["message"]
