"""Property: whatever a client sends to any form, JSON or query endpoint, and in any GraphQL
argument, the answer is never a 5xx, and a refusal writes nothing.

Runs on both backends (PostgreSQL refuses NUL where SQLite stores it). Examples are kept to a
few hundred per surface so CI stays fast on two cores.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import schemathesis
from graphql import (
    BooleanValueNode,
    FloatValueNode,
    IntValueNode,
    ListValueNode,
    NameNode,
    NullValueNode,
    ObjectFieldNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.core.result import Ok

from tests.conftest import SECRET_KEY
from tests.support.backend import Backend
from tests.support.graphql import GraphQLCaller
from tests.support.graphql_arguments import ArgumentPath, argument_paths, graphql_schema, operation_with
from tests.support.isolated_server import isolated_server
from tests.support.nasty_input import fields_for, json_bodies, json_bytes, json_values, texts, urlencoded
from tests.support.people import Person, unique_email, unique_ip
from tests.support.row_counts import RowCounter, written
from tests.support.server import REPO, ServerProcess, run_cli
from tests.support.smtp import MailSink

ENDPOINT_EXAMPLES = 30  # per endpoint: 33 endpoints
GRAPHQL_EXAMPLES = 300  # over all 60 string arguments
PROPERTY_SETTINGS = settings(
    max_examples=ENDPOINT_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

JSON_ENDPOINTS = {
    "/a/auth/api/email": ["email", "intent", "req", "first_name", "last_name", "return_to"],
    "/a/auth/api/resend": ["flow"],
    "/a/auth/api/code": ["flow", "code"],
    "/a/auth/api/passkey/options": [],
    "/a/auth/api/passkey/verify": ["flow", "credential"],
    "/a/auth/api/profile": ["first_name", "last_name", "req", "return_to"],
    "/a/auth/api/organization": ["organization_id", "accept_invitation", "join", "skip", "req", "return_to"],
    "/a/auth/api/invitation/decline": ["invitation_id"],
    "/a/auth/api/switch-account": ["req", "return_to"],
    "/graphql": ["query", "variables", "operationName", "extensions"],
}
AUTHORIZE_FIELDS = [
    "client_id",
    "response_type",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "prompt",
    "organization_id",
    "login_hint",
    "max_age",
]
LOGOUT_FIELDS = ["id_token_hint", "post_logout_redirect_uri", "state", "client_id", "logout_hint"]
FORM_ENDPOINTS = {
    "/oauth/token": [
        "grant_type",
        "code",
        "redirect_uri",
        "client_id",
        "client_secret",
        "code_verifier",
        "refresh_token",
        "scope",
    ],
    "/oauth/revoke": ["token", "token_type_hint", "client_id", "client_secret"],
    "/oauth/userinfo": ["access_token"],
    "/oauth/authorize": AUTHORIZE_FIELDS,
    "/oauth/logout": LOGOUT_FIELDS,
    "/oauth/logout/confirm": ["csrf_token", *LOGOUT_FIELDS],
    "/a/auth/magic": ["flow", "token", "csrf_token"],
}
QUERY_ENDPOINTS = {
    "/oauth/authorize": AUTHORIZE_FIELDS,
    "/oauth/authorize/resume": ["req"],
    "/oauth/logout": LOGOUT_FIELDS,
    "/oauth/userinfo": ["access_token"],
    "/a/auth/login": ["step", "req", "return_to", "login_hint"],
    "/a/auth/signup": ["step", "req", "return_to", "login_hint"],
    "/a/auth/signed-in": [],
    "/a/auth/magic": ["flow", "token"],
    "/a/auth/invitation": ["token"],
    "/a/auth/api/organizations": [],
    "/demo/login": ["target_link_uri", "prompt"],
    "/demo/callback": ["code", "state", "error"],
    "/.well-known/openid-configuration": [],
    "/keys": [],
    "/a/branding.css": [],
    "/ui/": [],
}


@dataclass
class Callers:
    """A signed-in admin's browser and an integrator on a server of their own (random requests
    may rename the environment or add roles), shared by the examples of this module."""

    server: ServerProcess
    counter: RowCounter
    person: Person
    integrator: GraphQLCaller
    client_id: str
    redirect_uri: str
    organization_id: str

    def known_values(self) -> list[str]:
        """Values that get past the first checks, so examples reach deeper code."""
        return [
            self.client_id,
            self.redirect_uri,
            self.organization_id,
            self.person.csrf(),
            "authorization_code",
            "client_credentials",
            "refresh_token",
            "code",
            "S256",
            "openid email",
            "tenantry:manage",
            "login",
            "signup",
            "organization",
        ]


def cli_json(server: ServerProcess, *args: str) -> dict[str, Any]:
    done = run_cli([*args, "--json"], server.env)
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


@pytest.fixture(scope="module")
def callers(backend: Backend, mail: MailSink) -> Iterator[Callers]:
    with isolated_server(backend, mail, SECRET_KEY, "properties") as isolated:
        server = isolated.server
        redirect_uri = "https://app.example.com/callback"
        app = cli_json(
            server, "applications", "create", "--name", "Property App", "--redirect-uri", redirect_uri
        )
        backend_app = cli_json(
            server, "applications", "create", "--name", "Integrator", "--grant-type", "client_credentials"
        )
        token = httpx.post(
            f"{server.url}/oauth/token",
            data={"grant_type": "client_credentials", "scope": "tenantry:manage"},
            auth=(backend_app["client_id"], backend_app["client_secret"]),
        ).json()["access_token"]
        integrator = GraphQLCaller.with_token(server.url, token)
        app = integrator(
            'mutation($u: [String!]!) { createApplication(input: {name: "Property App", redirectUris: $u}) '
            "{ ... on CreatedApplication { application { clientId } } } }",
            u=[redirect_uri],
        )["data"]["createApplication"]["application"]
        organization_id = integrator(
            'mutation { createOrganization(name: "Property Co") { ... on Organization { id } } }'
        )["data"]["createOrganization"]["id"]
        email = unique_email("property-admin")
        cli_json(
            server, "members", "add", "--organization", organization_id, "--email", email, "--role", "admin"
        )
        person = Person.at(server.url, mail)
        person.sign_in(email)
        counter = RowCounter(isolated.database_url)
        yield Callers(server, counter, person, integrator, app["clientId"], redirect_uri, organization_id)
        counter.close()
        person.http.close()
        integrator.http.close()


def assert_no_crash(response: httpx.Response) -> None:
    assert response.status_code < 500, f"{response.status_code}: {response.text[:500]}"
    if "application/json" in response.headers.get("content-type", "") and response.content:
        body = response.json()
        errors = body.get("errors") if isinstance(body, dict) else None
        codes = [(e.get("extensions") or {}).get("code") for e in errors or []]
        assert "INTERNAL_SERVER_ERROR" not in codes, body


class RowLedger:
    """Row counts as of the last request, so each example counts once (after its request)."""

    def __init__(self, callers: Callers) -> None:
        self.counter = callers.counter
        self.counts = self.counter.counts()

    def after(self, response: Any, *, refused: bool) -> None:
        counts = self.counter.counts()
        changed = written(self.counts, counts)
        self.counts = counts
        assert not (refused and changed), f"a refused request ({response.status_code}) wrote rows: {changed}"


def send(
    callers: Callers, method: str, path: str, *, content: bytes = b"", query: str = "", kind: str
) -> httpx.Response:
    headers = {"X-Forwarded-For": unique_ip(), "X-CSRF-Token": callers.person.csrf()}
    if kind == "json":
        headers["Content-Type"] = "application/json"
    elif kind == "form":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    url = f"{path}?{query}" if query else path
    return callers.person.http.request(method, url, content=content or None, headers=headers)


def values_for(callers: Callers) -> st.SearchStrategy[str]:
    return st.one_of(texts, st.sampled_from(callers.known_values()))


@pytest.mark.parametrize("path", JSON_ENDPOINTS, ids=JSON_ENDPOINTS)
def test_no_json_body_crashes_a_json_endpoint_or_writes_when_refused(callers: Callers, path: str) -> None:
    values = st.one_of(json_values, st.sampled_from(callers.known_values()))
    ledger = RowLedger(callers)

    @PROPERTY_SETTINGS
    @given(body=json_bodies(JSON_ENDPOINTS[path], values))
    def property_holds(body: bytes) -> None:
        response = send(callers, "POST", path, content=body, kind="json")
        assert_no_crash(response)
        ledger.after(response, refused=response.status_code >= 400)

    property_holds()


@pytest.mark.parametrize("path", FORM_ENDPOINTS, ids=FORM_ENDPOINTS)
def test_no_form_body_crashes_a_form_endpoint_or_writes_when_refused(callers: Callers, path: str) -> None:
    ledger = RowLedger(callers)

    @PROPERTY_SETTINGS
    @given(
        fields=fields_for(FORM_ENDPOINTS[path], values_for(callers)), raw=st.none() | st.binary(max_size=80)
    )
    def property_holds(fields: dict[str, str], raw: bytes | None) -> None:
        body = raw if raw is not None else urlencoded(fields).encode()
        response = send(callers, "POST", path, content=body, kind="form")
        assert_no_crash(response)
        ledger.after(response, refused=response.status_code >= 400)

    property_holds()


@pytest.mark.parametrize("path", QUERY_ENDPOINTS, ids=QUERY_ENDPOINTS)
def test_no_query_string_crashes_a_page_or_writes_when_refused(callers: Callers, path: str) -> None:
    ledger = RowLedger(callers)

    @PROPERTY_SETTINGS
    @given(fields=fields_for(QUERY_ENDPOINTS[path], values_for(callers)))
    def property_holds(fields: dict[str, str]) -> None:
        response = send(callers, "GET", path, query=urlencoded(fields), kind="query")
        assert_no_crash(response)
        ledger.after(response, refused=response.status_code >= 400)

    property_holds()


PATHS = argument_paths()


def problem_types() -> set[str]:
    """Union members that are refusals (they implement the Problem interface)."""
    schema = graphql_schema()
    return {
        name
        for name, kind in schema.type_map.items()
        if "Problem" in {i.name for i in getattr(kind, "interfaces", [])}
    }


def test_no_value_in_any_graphql_argument_crashes_or_writes_when_refused(callers: Callers) -> None:
    refusals = problem_types()
    portal = GraphQLCaller.for_person(callers.person)
    ledger = RowLedger(callers)

    @settings(PROPERTY_SETTINGS, max_examples=GRAPHQL_EXAMPLES)
    @given(
        target=st.sampled_from(PATHS),
        value=st.one_of(texts, st.sampled_from(callers.known_values()), json_values),
        as_literal=st.booleans(),
        as_integrator=st.booleans(),
    )
    def property_holds(target: ArgumentPath, value: Any, as_literal: bool, as_integrator: bool) -> None:
        caller = callers.integrator if as_integrator else portal
        literal = as_literal and isinstance(value, str)
        request = operation_with(target, value, as_literal=literal)
        response = caller.http.post(
            "/graphql",
            content=json_bytes(request, ascii_only=True),
            headers={**caller.headers, "Content-Type": "application/json"},
        )
        assert_no_crash(response)
        body = response.json()
        result = (body.get("data") or {}).get(target.field)
        typename = result.get("__typename") if isinstance(result, dict) else None
        refused = bool(body.get("errors")) or typename in refusals
        ledger.after(response, refused=refused)

    property_holds()


def test_graphql_requests_of_any_shape_never_crash(callers: Callers) -> None:
    @PROPERTY_SETTINGS
    @given(body=json_bodies(JSON_ENDPOINTS["/graphql"], json_values))
    def property_holds(body: bytes) -> None:
        response = httpx.post(
            f"{callers.server.url}/graphql",
            content=body,
            headers={
                "Content-Type": "application/json",
                "Authorization": callers.integrator.headers["Authorization"],
            },
        )
        assert_no_crash(response)

    property_holds()


SCHEMATHESIS_EXAMPLES = 8  # per operation: every query and mutation field of the committed SDL
GRAPHQL_NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)


def json_literal(value: Any) -> ValueNode:
    """A JSON value as a GraphQL literal, for the JSON scalar (schemathesis knows no strategy for it)."""
    if value is None:
        return NullValueNode()
    if isinstance(value, bool):
        return BooleanValueNode(value=value)
    if isinstance(value, int):
        return IntValueNode(value=str(value))
    if isinstance(value, float):
        return FloatValueNode(value=repr(value))
    if isinstance(value, str):
        return StringValueNode(value=value)
    if isinstance(value, list):
        return ListValueNode(values=tuple(json_literal(item) for item in value))
    fields = (ObjectFieldNode(name=NameNode(value=k), value=json_literal(v)) for k, v in value.items())
    return ObjectValueNode(fields=tuple(fields))


plain_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**31), 2**31)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(GRAPHQL_NAMES, inner, max_size=3),
    max_leaves=8,
)
schemathesis.graphql.scalar("JSON", plain_json.map(json_literal))


def test_schemathesis_operations_on_every_field_never_crash_or_write_when_refused(callers: Callers) -> None:
    """Schemathesis builds valid operations (nested selections included) from the committed SDL."""
    schema = schemathesis.graphql.from_path(REPO / "schema" / "schema.graphql")
    schema.config.update(base_url=f"{callers.server.url}/graphql")
    cookies = "; ".join(f"{name}={value}" for name, value in callers.person.http.cookies.items())
    portal = {"Cookie": cookies, "X-CSRF-Token": callers.person.csrf()}
    ledger = RowLedger(callers)
    results = list(schema.get_all_operations())
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    root = graphql_schema()
    assert len(operations) == len(root.query_type.fields) + len(root.mutation_type.fields)  # type: ignore[union-attr]

    for operation in operations:

        @settings(PROPERTY_SETTINGS, max_examples=SCHEMATHESIS_EXAMPLES)
        @given(case=operation.as_strategy(), as_integrator=st.booleans())
        def property_holds(case: Any, as_integrator: bool) -> None:
            response = case.call(headers=callers.integrator.headers if as_integrator else portal)
            assert response.status_code < 500, response.text
            body = response.json()
            errors = body.get("errors") or []
            codes = [(e.get("extensions") or {}).get("code") for e in errors]
            assert "INTERNAL_SERVER_ERROR" not in codes, (case.body, body)
            # refused: the operation itself failed, not a nested field of a result it returned
            ledger.after(response, refused=any(len(e.get("path") or []) <= 1 for e in errors))

        property_holds()
