"""A mapping change recomputes a directory's people: at once for a small directory, in batched jobs
for a large one (a GraphQL request must not walk 100,000 people). Only mapped groups decide roles,
so a change to an unmapped group recomputes nobody."""

from typing import Any

import pytest

from db.events import Job
from db.orgs import Membership
from resolvers import directory_roles
from resolvers.directories import update_directory
from resolvers.directory_rows import load_directory
from resolvers.principal import SystemPrincipal
from resolvers.provisioning import MemberChange, create_group, create_user, replace_group
from resolvers.scim_resources import GROUP_MODEL, USER_MODEL, group_columns, user_columns
from tests.support.factories import make_organization, run
from tests.support.scim import make_directory
from tests.support.sso import make_verified_domain, unique_domain
from workers.directory_sync import _recompute_directory_roles

OPERATOR = SystemPrincipal("test")


def people(count: int) -> tuple[Any, str, list[str], str]:
    org = make_organization("Big Co", ["scim"])
    domain = unique_domain("big")
    make_verified_domain(org, domain)
    made = make_directory(org)
    directory = run(load_directory(made.id))
    assert directory is not None
    users = [
        run(create_user(directory, user_columns(USER_MODEL.model_validate({"userName": f"p{n}@{domain}"}))))
        for n in range(count)
    ]
    group = run(create_group(directory, group_columns(GROUP_MODEL.model_validate({"displayName": "Admins"}))))
    run(
        replace_group(
            directory,
            group,
            group_columns(
                GROUP_MODEL.model_validate(
                    {"displayName": "Admins", "members": [{"value": u} for u in users]}
                )
            ),
            change=MemberChange(added=frozenset(users), removed=frozenset()),
            expected_version=None,
        )
    )
    return directory, org, users, group


def roles(org: str) -> list[str]:
    rows = run(
        Membership.select(Membership.role.key.as_alias("role")).where(Membership.organization == org).run()
    )
    return sorted(str(row["role"]) for row in rows)


def test_a_small_directory_is_recomputed_in_the_request() -> None:
    directory, org, _, group = people(3)
    assert roles(org) == ["member"] * 3  # the group was unmapped: adding its members changed nobody
    run(update_directory(OPERATOR, directory.id, group_roles=[(group, "admin")]))
    assert roles(org) == ["admin"] * 3


def test_a_large_directory_is_recomputed_by_jobs_a_batch_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(directory_roles, "INLINE_RECOMPUTE", 2)
    monkeypatch.setattr(directory_roles, "BATCH", 2)
    directory, org, _, group = people(5)
    run(update_directory(OPERATOR, directory.id, group_roles=[(group, "admin")]))
    assert roles(org) == ["member"] * 5  # nothing yet: a job will do it
    batches = 0
    while True:
        pending = run(
            Job.select(Job.id, Job.payload)
            .where((Job.kind == "recompute_directory_roles") & (Job.status == "pending"))
            .output(load_json=True)
            .run()
        )
        mine = [job for job in pending if job["payload"]["directory_id"] == directory.id]
        if not mine:
            break
        for job in mine:
            run(Job.update({Job.status: "done"}).where(Job.id == job["id"]).run())
            run(_recompute_directory_roles(job["payload"], None))  # type: ignore[arg-type]
            batches += 1
    assert batches == 3  # 2 + 2 + 1
    assert roles(org) == ["admin"] * 5
