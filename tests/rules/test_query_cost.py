"""A request's cost (each field 1, times the page size of the lists around it) is capped before it runs."""

import pytest

from db.orgs import Organization
from schema.cost import MAX_QUERY_COST
from tests.support.factories import make_invitation, make_member, make_organization, run
from tests.support.graphql import error_codes
from tests.support.in_process import InProcessCaller, sign_in
from tests.support.people import unique_email

INVITATION_PAGE = "invitations(first: $n) { nodes { id email role status expiresAt createdAt } pageInfo { hasNextPage endCursor } }"


def aliased(count: int, selection: str) -> str:
    return " ".join(f"a{number}: {selection}" for number in range(count))


def test_fifteen_aliases_of_a_full_invitation_page_are_refused_before_anything_runs(
    integrator: InProcessCaller,
) -> None:
    org = make_organization("Costly")
    make_invitation(org, unique_email("costly"))
    document = f"query($o: ID!, $n: Int!) {{ organization(organizationId: $o) {{ {aliased(15, INVITATION_PAGE)} }} }}"

    body = integrator(document, o=org, n=100)

    assert error_codes(body) == ["QUERY_TOO_COSTLY"], body
    assert body["data"] is None
    extensions = body["errors"][0]["extensions"]
    assert extensions["limit"] == MAX_QUERY_COST
    assert extensions["cost"] > MAX_QUERY_COST
    assert "smaller pages" in body["errors"][0]["message"]


def test_the_same_aliases_with_small_pages_are_accepted(integrator: InProcessCaller) -> None:
    org = make_organization("Cheap")
    invited = make_invitation(org, unique_email("cheap"))
    document = f"query($o: ID!, $n: Int!) {{ organization(organizationId: $o) {{ {aliased(15, INVITATION_PAGE)} }} }}"

    body = integrator(document, o=org, n=5)

    assert error_codes(body) == [], body
    assert body["data"]["organization"]["a14"]["nodes"][0]["id"] == invited


def test_a_costly_mutation_writes_nothing(integrator: InProcessCaller) -> None:
    name = unique_email("never-created")
    selection = f'createOrganization(name: "{name}") {{ ... on Organization {{ id {INVITATION_PAGE} }} }}'
    document = f"mutation($n: Int!) {{ {aliased(8, selection)} }}"

    body = integrator(document, n=100)

    assert error_codes(body) == ["QUERY_TOO_COSTLY"], body
    created = run(Organization.count().where(Organization.name == name).run())
    assert created == 0, "refused before the first createOrganization ran"


def test_fragments_cost_what_they_select(integrator: InProcessCaller) -> None:
    org = make_organization("Fragmented")
    document = f"""query($o: ID!, $n: Int!) {{ organization(organizationId: $o) {{ ...Pages }} }}
    fragment Pages on Organization {{ {aliased(15, INVITATION_PAGE)} }}"""

    assert error_codes(integrator(document, o=org, n=100)) == ["QUERY_TOO_COSTLY"]


@pytest.fixture
def admin() -> tuple[InProcessCaller, str]:
    org = make_organization("Portal Co")
    email = unique_email("portal-admin")
    make_member(email, org, "admin")
    return sign_in(email).portal(), org


# The portal's own first screen (frontend/src/portal/members-api.ts and portal-api.ts), as sent.
PORTAL_MEMBERS = """query Members($after: String, $search: String, $role: String, $status: MemberStatus) {
  viewer { organization { id
    members(first: 20, after: $after, search: $search, role: $role, status: $status) {
      nodes { id role status createdAt lastSignInAt user { id email name } }
      pageInfo { endCursor hasNextPage } totalCount }
    invitations(statuses: [PENDING, EXPIRED], first: 100, after: $after) {
      nodes { id email role status expiresAt } pageInfo { hasNextPage endCursor } }
  } }
  roles { key name permissions }
}"""
PORTAL_VIEWER = """query Viewer { viewer {
  user { id email emailVerified firstName lastName name } organization { id } permissions features
  organizations(first: 100) { nodes { id name } pageInfo { hasNextPage endCursor } }
} }"""


def test_the_portals_own_queries_are_well_under_the_limit(admin: tuple[InProcessCaller, str]) -> None:
    caller, org = admin
    for document in (PORTAL_MEMBERS, PORTAL_VIEWER):
        body = caller(document)
        assert error_codes(body) == [], body
        assert body["data"]["viewer"]["organization"]["id"] == org


def test_fragments_that_spread_each_other_many_times_are_counted_not_expanded(
    integrator: InProcessCaller,
) -> None:
    # 2**40 copies of one field if expanded naively; counted once per fragment
    fragments = " ".join(f"fragment F{n} on Query {{ ...F{n + 1} ...F{n + 1} }}" for n in range(40))
    document = f"query {{ ...F0 }} {fragments} fragment F40 on Query {{ branding {{ appName }} }}"

    body = integrator(document)

    assert error_codes(body) == ["QUERY_TOO_COSTLY"], body
    assert body["errors"][0]["extensions"]["cost"] == 2**40 * 2
