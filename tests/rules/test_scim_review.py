"""Security review of SCIM provisioning (branch scim-review): work a GraphQL request does in
proportion to a directory's size. Fails on main as it stands; the product code is not changed."""

import pytest

from resolvers import directory_roles, provisioning
from resolvers.directories import update_directory
from resolvers.directory_rows import load_directory
from resolvers.principal import SystemPrincipal
from resolvers.scim_resources import EmailEntry, UserColumns
from tests.support.factories import make_organization, run
from tests.support.scim import make_directory
from tests.support.scim import push_group_row as make_group
from tests.support.sso import make_verified_domain, unique_domain

PEOPLE = 150
BOUND = 50  # whatever the directory's size, one request recomputes at most a bounded batch


def test_changing_a_mapping_does_not_recompute_every_person_inside_the_graphql_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """update_directory → recompute_directory_roles loops over every provisioned person (five or six
    statements each) in the mutation's transaction, holding the directory row lock (and, on SQLite,
    the deployment's only write lock): at 100,000 people the request runs for minutes and every
    tenant's writes wait. The same loop runs in a SCIM DELETE of a large group (delete_group)."""
    org = make_organization("Big Co", ["scim"])
    domain = unique_domain("big")
    make_verified_domain(org, domain)
    made = make_directory(org)
    directory = run(load_directory(made.id))
    assert directory is not None
    for index in range(PEOPLE):
        address = f"p{index}@{domain}"
        columns = UserColumns(
            user_name=address,
            external_id=None,
            display_name=None,
            given_name="P",
            family_name=str(index),
            active=True,
            emails=(EmailEntry(address, "work", True),),
            stored={"userName": address},
        )
        run(provisioning.create_user(directory, columns))
    group = make_group(made.id, "Admins")

    calls = 0
    real = directory_roles.apply_standing

    async def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return await real(*args, **kwargs)

    monkeypatch.setattr(directory_roles, "apply_standing", counted)
    run(update_directory(SystemPrincipal("test"), made.id, group_roles=[(group, "admin")]))
    assert calls <= BOUND, f"one GraphQL mutation recomputed {calls} people synchronously"
