"""The in-process tier's own promises: a test's writes never commit, and a resolver's transaction
inside the test's is a savepoint that still undoes the resolver's writes when it fails."""

import contextvars
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from db.orgs import Organization
from db.transaction import transaction
from tests.support.factories import make_organization
from tests.support.row_counts import nothing_written
from tests.support.session_loop import SessionLoop

Run = Callable[[Coroutine[Any, Any, Any]], Any]


async def organization_named(name: str) -> bool:
    return bool(await Organization.exists().where(Organization.name == name))


def test_a_test_writes_inside_its_own_transaction_which_others_never_see(
    run: Run, session_loop: SessionLoop
) -> None:
    make_organization("Seen Only Here")
    assert run(organization_named("Seen Only Here"))
    elsewhere = contextvars.Context()  # no open transaction: a connection of its own
    assert not session_loop.run(organization_named("Seen Only Here"), elsewhere)


def test_a_failing_nested_transaction_undoes_its_writes_and_the_outer_one_goes_on(run: Run) -> None:
    async def fail_after_writing() -> None:
        async with transaction():
            await Organization.update({Organization.name: "Renamed Then Undone"}).where(
                Organization.name == "Kept"
            )
            raise LookupError("the resolver gives up")

    make_organization("Kept")
    with pytest.raises(LookupError):
        run(fail_after_writing())
    assert run(organization_named("Kept"))
    assert not run(organization_named("Renamed Then Undone"))


def test_a_nested_transaction_that_succeeds_keeps_its_writes_in_the_outer_one(run: Run) -> None:
    async def rename() -> None:
        async with transaction():
            await Organization.update({Organization.name: "Renamed In The Savepoint"}).where(
                Organization.name == "Before The Savepoint"
            )

    make_organization("Before The Savepoint")
    run(rename())
    assert run(organization_named("Renamed In The Savepoint"))


def test_nothing_written_counts_the_tests_own_uncommitted_rows() -> None:
    with pytest.raises(AssertionError, match="wrote rows"), nothing_written():
        make_organization("Counted Though Never Committed")
