"""Every list a tenant can grow is read a bounded page at a time, in one connection shape."""

import datetime as dt
from collections.abc import Callable

import pytest
from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLType

from db.identity import Session
from resolvers.clock import now
from schema.build import schema
from tests.support.domains import ADD
from tests.support.factories import make_invitation, make_organization, run
from tests.support.graphql import error_codes
from tests.support.in_process import InProcessCaller, SignedIn, sign_in
from tests.support.paging import every_page
from tests.support.people import unique_email

# Lists of objects that stay small whatever a tenant does, and why.
BOUNDED_LISTS = {
    "Connection.groupRoles": "at most 20 (resolvers.sso_connections.MAX_GROUP_ROLES)",
    "Directory.groupRoles": "at most 20 (resolvers.directories.MAX_GROUP_ROLES)",
    "ConnectionTest.details": "the few facts of one refusal (a clock skew's two times)",
    "TestedIdentity.attributes": "at most 100 attributes of one test sign-in (federated_identity.SUMMARY_LIMITS)",
    "Query.roles": "roles are the environment's, defined by the integrator, not by a tenant",
    "InvitationsSent.invitations": "one per address of the request, at most 50",
    "InvitationsSent.problems": "one per address of the request, at most 50",
    "WebhookDelivery.attemptLog": "one per attempt, at most the delivery's 10 attempts",
    "SamlIdpSettings.certificates": "an IdP's signing certificates, as its metadata (at most 60,000 "
    "characters) lists them",
}


@pytest.fixture
def browser() -> Callable[[str], SignedIn]:
    """Signs a new browser in as `email`."""
    return sign_in


def _unwrapped(kind: GraphQLType) -> GraphQLType:
    return _unwrapped(kind.of_type) if isinstance(kind, GraphQLNonNull) else kind


def test_every_list_of_objects_is_a_connection_or_bounded_by_a_rule() -> None:
    unbounded = []
    for type_name, kind in schema._schema.type_map.items():
        if not isinstance(kind, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for field_name, field in kind.fields.items():
            listed = _unwrapped(field.type)
            if not isinstance(listed, GraphQLList):
                continue
            item = _unwrapped(listed.of_type)
            if not isinstance(item, GraphQLObjectType):
                continue
            name = f"{type_name}.{field_name}"
            paged = type_name.endswith("Connection") and field_name == "nodes"
            if not paged and name not in BOUNDED_LISTS:
                unbounded.append(name)
    assert unbounded == [], "page these with first/after and a Connection"


def test_connections_share_one_shape_with_a_bounded_first_and_a_cursor() -> None:
    fields = {
        "Organization": ("invitations", "domains", "members", "directories"),
        "Directory": ("users", "groups", "provisioningLog"),
        "Viewer": ("organizations", "passkeys", "sessions"),
        "Query": ("organizations", "webhookEndpoints", "backgroundJobs"),
        "WebhookEndpoint": ("deliveries",),
    }
    for type_name, names in fields.items():
        kind = schema._schema.type_map[type_name]
        assert isinstance(kind, GraphQLObjectType)
        for name in names:
            field = kind.fields[name]
            assert set(field.args) >= {"first", "after"}, f"{type_name}.{name}"
            assert 1 <= field.args["first"].default_value <= 50, f"{type_name}.{name}"
            connection = _unwrapped(field.type)
            assert isinstance(connection, GraphQLObjectType)
            assert set(connection.fields) >= {"nodes", "pageInfo"}, f"{type_name}.{name}"


INVITATIONS = """query($org: ID!, $first: Int!, $after: String, $s: [InvitationStatus!]) {
  organization(organizationId: $org) {
    invitations(first: $first, after: $after, statuses: $s) { nodes { id email status } pageInfo { hasNextPage endCursor } }
  } }"""


def test_invitations_page_through_each_invitation_once_in_order(integrator: InProcessCaller) -> None:
    org = make_organization("Many Invites")
    made = [make_invitation(org, unique_email(f"paged-{n}")) for n in range(5)]

    pages = every_page(
        lambda **v: integrator(INVITATIONS, org=org, first=2, **v), ("organization", "invitations"), s=None
    )

    assert [len(page) for page in pages] == [2, 2, 1]
    assert [row["id"] for page in pages for row in page] == made, "oldest first, none twice"


def test_a_status_filter_fills_each_page_with_matching_invitations(integrator: InProcessCaller) -> None:
    from db.orgs import Invitation

    org = make_organization("Some Expired")
    made = [make_invitation(org, unique_email(f"filtered-{n}")) for n in range(6)]
    expired = made[::2]  # every other one: a filter applied after reading would leave gaps in pages
    yesterday = now() - dt.timedelta(days=1)
    run(Invitation.update({Invitation.expires_at: yesterday}).where(Invitation.id.is_in(expired)).run())

    pages = every_page(
        lambda **v: integrator(INVITATIONS, org=org, first=2, **v),
        ("organization", "invitations"),
        s=["EXPIRED"],
    )

    assert [[row["id"] for row in page] for page in pages] == [expired[:2], expired[2:]]
    assert {row["status"] for page in pages for row in page} == {"EXPIRED"}


@pytest.mark.parametrize("first", [0, -1, 101, 1000])
def test_a_page_size_outside_1_to_100_is_refused_with_bad_page_size(
    integrator: InProcessCaller, first: int
) -> None:
    org = make_organization("Page Sizes", ["domain_verification"])
    documents = [
        "query($o: ID!, $f: Int!) { organization(organizationId: $o) { invitations(first: $f) { nodes { id } } } }",
        "query($o: ID!, $f: Int!) { organization(organizationId: $o) { domains(first: $f) { nodes { id } } } }",
        "query($o: ID!, $f: Int!) { organization(organizationId: $o) { members(first: $f) { nodes { id } } } }",
        "query($f: Int!) { organizations(first: $f) { nodes { id } } }",
        "query($f: Int!) { webhookEndpoints(first: $f) { nodes { id } } }",
        "query($f: Int!) { backgroundJobs(first: $f) { nodes { id } } }",
    ]
    for document in documents:
        body = integrator(document, o=org, f=first) if "$o" in document else integrator(document, f=first)
        assert error_codes(body) == ["BAD_PAGE_SIZE"], (document, body)
        assert body["errors"][0]["extensions"]["max"] == 100


def test_the_viewer_lists_refuse_a_page_size_over_100_too(browser: Callable[[str], SignedIn]) -> None:
    caller = browser(unique_email("viewer-pages")).portal()
    for field in ("organizations", "passkeys", "sessions"):
        body = caller(f"{{ viewer {{ {field}(first: 101) {{ nodes {{ id }} }} }} }}")
        assert error_codes(body) == ["BAD_PAGE_SIZE"], (field, body)


def test_sessions_page_newest_first_and_skip_an_ended_one_without_a_short_page(
    browser: Callable[[str], SignedIn],
) -> None:
    email = unique_email("many-browsers")
    browsers = [browser(email) for _ in range(4)]
    caller = browsers[-1].portal()
    document = "query($after: String) { viewer { sessions(first: 2, after: $after) { nodes { id current } pageInfo { hasNextPage endCursor } } } }"
    first_pages = every_page(lambda **v: caller(document, **v), ("viewer", "sessions"))
    ids = [row["id"] for page in first_pages for row in page]
    assert len(ids) == 4 and ids == sorted(ids, reverse=True), "newest first"
    assert first_pages[0][0]["current"] is True

    # an expired session in the middle: the next page is still full
    run(
        Session.update({Session.absolute_expires_at: now() - dt.timedelta(minutes=1)})
        .where(Session.id == ids[1])
        .run()
    )
    after_expiry = every_page(lambda **v: caller(document, **v), ("viewer", "sessions"))
    assert [[row["id"] for row in page] for page in after_expiry] == [[ids[0], ids[2]], [ids[3]]]


def test_domains_page_by_name(integrator: InProcessCaller) -> None:
    org = make_organization("Many Domains", ["domain_verification"])
    names = [f"{label}-{org[-8:].lower()}.example.com" for label in ("c", "a", "b")]
    for name in names:
        added = integrator(ADD, o=org, n=name)["data"]["addDomain"]
        assert added["__typename"] == "Domain", added
    document = "query($o: ID!, $after: String) { organization(organizationId: $o) { domains(first: 2, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } } } }"

    pages = every_page(lambda **v: integrator(document, o=org, **v), ("organization", "domains"))

    assert [[row["name"] for row in page] for page in pages] == [sorted(names)[:2], sorted(names)[2:]]
