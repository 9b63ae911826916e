"""An empty status filter asks for nothing and gets nothing: found by schemathesis, an empty list
reached Piccolo's `is_in`, which raises, and the caller saw a masked crash."""

from tests.support.factories import make_organization
from tests.support.in_process import InProcessCaller


def test_invitations_filtered_by_no_status_are_an_empty_list(integrator: InProcessCaller) -> None:
    org = make_organization("Empty Filter Co")
    result = integrator(
        "query($o: ID!) { organization(organizationId: $o) { invitations(statuses: []) { nodes { id } pageInfo { hasNextPage } } } }",
        o=org,
    )
    assert result == {
        "data": {"organization": {"invitations": {"nodes": [], "pageInfo": {"hasNextPage": False}}}}
    }


def test_background_jobs_filtered_by_no_status_are_an_empty_list(integrator: InProcessCaller) -> None:
    assert integrator("{ backgroundJobs(statuses: []) { nodes { id } pageInfo { hasNextPage } } }") == {
        "data": {"backgroundJobs": {"nodes": [], "pageInfo": {"hasNextPage": False}}}
    }
