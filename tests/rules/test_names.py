"""Every name a mutation stores is one line of printable text within its limit: a line break is
refused with a clear InvalidInput naming the field, and nothing is written."""

import secrets
from typing import Any

import pytest

from tests.support.factories import make_member, make_organization
from tests.support.in_process import InProcessCaller, sign_in
from tests.support.people import unique_email
from tests.support.row_counts import nothing_written

REFUSAL = "... on InvalidInput { code field message }"

# (mutation, the field the refusal names) for every integrator mutation that stores a name.
INTEGRATOR_NAMES = {
    "createOrganization": (
        "mutation($v: String!) { createOrganization(name: $v) { " + REFUSAL + " } }",
        "name",
    ),
    "createRole": (
        "mutation($v: String!, $k: String!) { createRole(key: $k, name: $v, permissions: []) { "
        + REFUSAL
        + " } }",
        "name",
    ),
    "createPermission": (
        "mutation($v: String!, $k: String!) { createPermission(key: $k, description: $v) { "
        + REFUSAL
        + " } }",
        "description",
    ),
    "updateBranding": (
        "mutation($v: String!) { updateBranding(input: {appName: $v}) { " + REFUSAL + " } }",
        "appName",
    ),
    "createApplication": (
        "mutation($v: String!) { createApplication(input: {name: $v, redirectUris: "
        '["https://app.example.com/cb"]}) { ' + REFUSAL + " } }",
        "name",
    ),
    "createWebhookEndpoint": (
        'mutation($v: String!) { createWebhookEndpoint(input: {url: "https://hooks.example.com/in", '
        "description: $v}) { " + REFUSAL + " } }",
        "description",
    ),
}
NOT_ONE_LINE = {
    "line feed": "Acme\nBcc: everyone@example.com",
    "carriage return": "Acme\r\nSubject: free money",
    "line separator": "Acme\u2028Coffee",
    "bidi override": "Acme \u202egnp.exe",
}


@pytest.mark.parametrize("text", NOT_ONE_LINE.values(), ids=NOT_ONE_LINE.keys())
@pytest.mark.parametrize("mutation", INTEGRATOR_NAMES, ids=INTEGRATOR_NAMES)
def test_every_integrator_mutation_that_stores_a_name_refuses_a_name_that_is_not_one_line(
    integrator: InProcessCaller, mutation: str, text: str
) -> None:
    document, field = INTEGRATOR_NAMES[mutation]
    with nothing_written():
        result = integrator(document, v=text, k=f"k_{secrets.token_hex(3)}")
    refused = result["data"][mutation]
    assert refused["code"] == "INVALID_INPUT", result
    assert refused["field"] == field
    assert "one line" in refused["message"]


def test_a_name_over_its_limit_is_refused_in_words(integrator: InProcessCaller) -> None:
    document, _ = INTEGRATOR_NAMES["createOrganization"]
    refused = integrator(document, v="A" * 121)["data"]["createOrganization"]
    assert refused["message"] == "An organization name can be at most 120 characters."


def test_a_name_with_joined_emoji_and_non_breaking_spaces_is_kept_as_one_clean_line(
    integrator: InProcessCaller,
) -> None:
    created = integrator(
        "mutation($v: String!) { createOrganization(name: $v) { ... on Organization { name } } }",
        v="  Café\u00a0\u00a0Crew 👩\u200d💻 ",
    )["data"]["createOrganization"]
    assert created == {"name": "Café Crew 👩\u200d💻"}


def test_an_admin_cannot_rename_the_organization_to_two_lines() -> None:
    org = make_organization("One Line Co")
    email = unique_email("renamer")
    make_member(email, org, "admin")
    graphql = sign_in(email).portal()
    with nothing_written():
        result = graphql(
            "mutation($o: ID!, $v: String!) { updateOrganization(input: {organizationId: $o, name: $v}) { "
            + REFUSAL
            + " } }",
            o=org,
            v="One Line Co\r\nBcc: all@example.com",
        )
    assert result["data"]["updateOrganization"]["field"] == "name"


@pytest.mark.parametrize(
    ("mutation", "variables"),
    [
        ('updateProfile(firstName: $v, lastName: "Ruiz")', {}),
        ("beginPasskeyRegistration(name: $v)", {}),
    ],
    ids=["profile", "passkey"],
)
def test_a_person_cannot_store_a_name_that_is_not_one_line(mutation: str, variables: dict[str, Any]) -> None:
    graphql = sign_in(unique_email("names"), first_name="Ray", last_name="Ruiz").portal()
    field = mutation.split("(")[0]
    with nothing_written():
        result = graphql(f"mutation($v: String!) {{ {field}: {mutation} {{ {REFUSAL} }} }}", v="Ray\nRuiz")
    assert result["data"][field]["code"] == "INVALID_INPUT", result
    assert "one line" in result["data"][field]["message"]
