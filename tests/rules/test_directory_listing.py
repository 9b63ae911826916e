"""What an admin reads of a directory: its users, groups and provisioning log, a bounded page at a
time, searched, and at a cost that does not grow with the page. Rows are written directly: the
SCIM service that writes them in production is tested on its own."""

from typing import Any

from db.connection import engine
from db.directories import DirectoryGroup, DirectoryGroupMember, DirectoryUser, ProvisioningEntry
from db.ids import new_id
from resolvers import directory_listing, provisioning_log
from resolvers.clock import now
from resolvers.deployment import Deployment
from resolvers.directories import create_directory
from resolvers.errors import NotFound
from resolvers.principal import SystemPrincipal, UserPrincipal
from resolvers.provisioning_log import RequestOutcome
from schema.build import schema
from tests.support.factories import make_member, make_organization, run
from tests.support.graphql import error_codes
from tests.support.in_process import InProcessCaller, sign_in
from tests.support.people import unique_email
from tests.support.scim import push_group_row

USERS = """query($id: ID!, $first: Int!, $after: String, $search: String) { directory(directoryId: $id) {
  userCount users(first: $first, after: $after, search: $search) {
    nodes { id userName email displayName active createdAt updatedAt } pageInfo { endCursor hasNextPage } } } }"""
GROUPS = """query($id: ID!, $first: Int!, $after: String, $search: String) { directory(directoryId: $id) {
  groupCount groups(first: $first, after: $after, search: $search) {
    nodes { id displayName memberCount } pageInfo { endCursor hasNextPage } } } }"""
LOG = """query($id: ID!, $first: Int!, $after: String, $outcome: ProvisioningOutcome, $search: String) {
  directory(directoryId: $id) { provisioningLog(first: $first, after: $after, outcome: $outcome, search: $search) {
    nodes { id at method operation resourceType resourceId subject status outcome scimType detail }
    pageInfo { endCursor hasNextPage } } } }"""


def directory_of(organization: str) -> str:
    return run(create_directory(SystemPrincipal("test"), organization, provider="okta")).directory.id


def admin_of(organization: str) -> InProcessCaller:
    email = unique_email("listing-admin")
    make_member(email, organization, "admin")
    return sign_in(email).portal()


def push_user(directory_id: str, organization: str, user_name: str, display_name: str | None = None) -> str:
    """A SCIM User as the service stores it, linked to a Tenantry user of the same address."""
    user_id = make_member(user_name.lower(), organization, "member")
    scim_id = new_id("dus")
    moment = now()
    run(
        DirectoryUser.insert(
            DirectoryUser(
                id=scim_id,
                directory=directory_id,
                user=user_id,
                link_key=f"{organization}:{user_id}",
                user_name=user_name,
                user_name_key=user_name.lower(),
                unique_name=f"{directory_id}:{user_name.lower()}",
                display_name=display_name,
                display_name_key=display_name.lower() if display_name else None,
                email=user_name.lower(),
                created_at=moment,
                updated_at=moment,
            )
        ).run()
    )
    return scim_id


def push_group(directory_id: str, name: str, members: list[str]) -> str:
    """A group row with `members` (SCIM User ids) in it."""
    group_id = push_group_row(directory_id, name)
    for user in members:
        run(
            DirectoryGroupMember.insert(
                DirectoryGroupMember(id=f"{group_id}:{user}", group=group_id, directory_user=user)
            ).run()
        )
    return group_id


def test_users_page_in_creation_order_and_search_by_name_or_address() -> None:
    org = make_organization("Users Co", ["scim"])
    directory_id = directory_of(org)
    admin = admin_of(org)
    ada = push_user(directory_id, org, f"Ada.{unique_email('x')}", "Ada Lovelace")
    bob = push_user(directory_id, org, f"bob_b.{unique_email('x')}", None)
    eve = push_user(directory_id, org, f"eve.{unique_email('x')}", "Eve Pennywise")
    other = directory_of(org)
    push_user(other, org, f"ada.other.{unique_email('x')}", "Ada Elsewhere")
    first = admin(USERS, id=directory_id, first=2)["data"]["directory"]
    assert first["userCount"] == 3
    assert [node["id"] for node in first["users"]["nodes"]] == [ada, bob]
    assert first["users"]["nodes"][0]["displayName"] == "Ada Lovelace"
    assert first["users"]["nodes"][1]["displayName"] is None and first["users"]["nodes"][1]["active"]
    assert first["users"]["pageInfo"] == {"endCursor": bob, "hasNextPage": True}
    rest = admin(USERS, id=directory_id, first=2, after=bob)["data"]["directory"]["users"]
    assert ([node["id"] for node in rest["nodes"]], rest["pageInfo"]["hasNextPage"]) == ([eve], False)

    def found(search: str) -> list[str]:
        nodes = admin(USERS, id=directory_id, first=50, search=search)["data"]["directory"]["users"]["nodes"]
        return [node["id"] for node in nodes]

    assert found("ADA") == [ada]  # userName and displayName, without case; never another directory's
    assert found("pennywise") == [eve]
    assert found("b_b.") == [bob]
    assert found("   ") == [ada, bob, eve]
    assert found("%") == []  # a LIKE wildcard is text to find, not a pattern
    assert found("_") == [bob]  # only the one with an underscore
    assert found("\\") == []
    assert found("zzz-nobody") == []
    assert found("'; DROP TABLE directory_user; --") == []
    assert admin(USERS, id=directory_id, first=1)["data"]["directory"]["userCount"] == 3


def test_groups_show_their_member_counts_and_search_by_name() -> None:
    org = make_organization("Groups Co", ["scim"])
    directory_id = directory_of(org)
    admin = admin_of(org)
    users = [push_user(directory_id, org, f"g{n}.{unique_email('x')}") for n in range(3)]
    everyone = push_group(directory_id, "Everyone", users)
    admins = push_group(directory_id, "Admins", users[:1])
    empty = push_group(directory_id, "Empty Set", [])
    page = admin(GROUPS, id=directory_id, first=50)["data"]["directory"]
    assert page["groupCount"] == 3
    assert [(node["id"], node["memberCount"]) for node in page["groups"]["nodes"]] == [
        (everyone, 3),
        (admins, 1),
        (empty, 0),
    ]
    searched = admin(GROUPS, id=directory_id, first=50, search="admin")["data"]["directory"]["groups"]
    assert [node["displayName"] for node in searched["nodes"]] == ["Admins"]
    second = admin(GROUPS, id=directory_id, first=1, after=everyone)["data"]["directory"]["groups"]
    assert ([node["id"] for node in second["nodes"]], second["pageInfo"]["hasNextPage"]) == ([admins], True)


def log(directory_id: str, status: int, subject: str, **more: Any) -> None:
    outcome = RequestOutcome(
        method=more.pop("method", "POST"),
        operation=more.pop("operation", "create"),
        resource_type="User",
        resource_id=more.pop("resource_id", ""),
        subject=subject,
        status=status,
        **more,
    )
    run(provisioning_log.record(directory_id, outcome))


def test_the_provisioning_log_is_newest_first_and_filters_by_outcome_and_search() -> None:
    org = make_organization("Log Co", ["scim"])
    directory_id = directory_of(org)
    admin = admin_of(org)
    log(directory_id, 201, "ada@example.com", resource_id="dus_ada")
    log(directory_id, 409, "bob@example.com", scim_type="uniqueness", detail="userName is taken")
    log(directory_id, 200, "poll@example.com", method="GET", operation="search")  # a read: not kept
    log(directory_id, 204, "", method="DELETE", operation="delete", resource_id="dus_ada")
    log(directory_id, 500, "Carol@Example.com")

    def entries(**arguments: Any) -> list[dict[str, Any]]:
        body = admin(LOG, id=directory_id, first=arguments.pop("first", 50), **arguments)
        assert error_codes(body) == [], body
        nodes: list[dict[str, Any]] = body["data"]["directory"]["provisioningLog"]["nodes"]
        return nodes

    every = entries()
    assert [(entry["status"], entry["outcome"]) for entry in every] == [
        (500, "FAILED"),
        (204, "SUCCEEDED"),
        (409, "FAILED"),
        (201, "SUCCEEDED"),
    ]
    conflict = every[2]
    assert (conflict["scimType"], conflict["detail"], conflict["subject"]) == (
        "uniqueness",
        "userName is taken",
        "bob@example.com",
    )
    assert every[1]["scimType"] is None and every[1]["method"] == "DELETE"
    assert [entry["status"] for entry in entries(outcome="FAILED")] == [500, 409]
    assert [entry["status"] for entry in entries(outcome="SUCCEEDED")] == [204, 201]
    assert [entry["status"] for entry in entries(search="carol@")] == [500]
    assert [entry["status"] for entry in entries(search="dus_ada")] == [204, 201]
    assert [entry["status"] for entry in entries(search="bob", outcome="SUCCEEDED")] == []
    first_page = admin(LOG, id=directory_id, first=3)["data"]["directory"]["provisioningLog"]
    assert first_page["pageInfo"]["hasNextPage"] is True
    rest = entries(after=first_page["pageInfo"]["endCursor"])
    assert [entry["status"] for entry in rest] == [201]
    other = directory_of(org)
    assert admin(LOG, id=other, first=50)["data"]["directory"]["provisioningLog"]["nodes"] == []


def test_deleting_the_directory_deletes_its_users_groups_and_log() -> None:
    org = make_organization("Cascade Co", ["scim"])
    directory_id = directory_of(org)
    user = push_user(directory_id, org, f"gone.{unique_email('x')}")
    push_group(directory_id, "Gone", [user])
    log(directory_id, 201, "gone@example.com")
    from resolvers.directories import delete_directory

    run(delete_directory(SystemPrincipal("test"), directory_id))
    for table in (DirectoryUser, DirectoryGroup, ProvisioningEntry):
        assert run(table.count().where(table.directory == directory_id).run()) == 0, table


def test_pages_are_bounded_and_a_hostile_argument_is_refused_before_reading() -> None:
    org = make_organization("Bounds Co", ["scim"])
    directory_id = directory_of(org)
    admin = admin_of(org)
    for document in (USERS, GROUPS, LOG):
        for first in (0, 101):
            assert error_codes(admin(document, id=directory_id, first=first)) == ["BAD_PAGE_SIZE"], first
        assert error_codes(admin(document, id=directory_id, first=100)) == []
        assert error_codes(admin(document, id=directory_id, first=5, search="a\u0000b")) == ["BAD_INPUT"]
        assert error_codes(admin(document, id=directory_id, first=5, search="x" * 201)) == ["BAD_INPUT"]
        assert error_codes(admin(document, id=directory_id, first=5, after="x" * 201)) == ["BAD_INPUT"]
        assert error_codes(admin(document, id=directory_id.upper() + "\u202e", first=5)) == ["NOT_FOUND"]


def test_listing_checks_the_reader_again_below_the_schema() -> None:
    org = make_organization("Guarantee Co", ["scim"])
    directory_id = directory_of(org)
    outsider = UserPrincipal(
        user_id="usr_x", organization_id="org_elsewhere", permissions=frozenset({"sk_org_scim_read"})
    )
    for listing in (
        directory_listing.list_users(outsider, directory_id),
        directory_listing.list_groups(outsider, directory_id),
        provisioning_log.list_entries(outsider, directory_id),
    ):
        try:
            run(listing)
        except NotFound:
            continue
        raise AssertionError("another organization's reader was answered")


def statements_for(directory_id: str, first: int, deployment: Deployment) -> int:
    """SQL statements behind a page of groups and users of one directory."""
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
                """query($id: ID!, $first: Int!) { directory(directoryId: $id) { userCount groupCount
                  groupRoles { group { memberCount } } users(first: $first) { nodes { id } }
                  groups(first: $first) { nodes { id memberCount } } } }""",
                variable_values={"id": directory_id, "first": first},
                context_value={"principal": SystemPrincipal(), "deployment": deployment},
            )
        finally:
            engine_class.run_querystring = original
        assert result.errors is None, result.errors
        assert len(result.data["directory"]["groups"]["nodes"]) == first  # type: ignore[index]

    run(go())
    return count


def test_a_page_of_ten_groups_costs_no_more_statements_than_a_page_of_two(deployment: Deployment) -> None:
    org = make_organization("Counting Co", ["scim"])
    directory_id = directory_of(org)
    users = [push_user(directory_id, org, f"c{n}.{unique_email('x')}") for n in range(10)]
    for n in range(10):
        push_group(directory_id, f"Group {n}", users[: n + 1])
    small, large = statements_for(directory_id, 2, deployment), statements_for(directory_id, 10, deployment)
    assert small > 0, "the counter sees the queries"
    assert large == small
