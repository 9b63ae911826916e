"""The provisioning log keeps a month: older entries go in bounded batches, newer ones stay."""

import datetime as dt

from db.directories import ProvisioningEntry
from db.ids import new_id
from resolvers.clock import now
from resolvers.provisioning_log import KEPT_FOR, RequestOutcome, forget_old_entries, record
from tests.support.factories import make_organization, run
from tests.support.scim import make_directory


def test_entries_older_than_a_month_are_forgotten_in_batches() -> None:
    directory = make_directory(make_organization("Log Co", ["scim"]))
    failed = RequestOutcome("POST", "create", "User", "", "ada@example.com", 400, "invalidValue", "no")
    run(record(directory.id, failed))
    old = now() - KEPT_FOR - dt.timedelta(minutes=1)
    for _ in range(3):
        run(
            ProvisioningEntry.insert(
                ProvisioningEntry(
                    id=new_id("prov"), directory=directory.id, method="PATCH", operation="patch",
                    status=200, created_at=old,
                )
            ).run()
        )  # fmt: skip
    assert run(forget_old_entries(limit=2)) == 2
    assert run(forget_old_entries(limit=2)) == 1
    assert run(forget_old_entries(limit=2)) == 0
    kept = run(
        ProvisioningEntry.select(ProvisioningEntry.subject)
        .where(ProvisioningEntry.directory == directory.id)
        .run()
    )
    assert kept == [{"subject": "ada@example.com"}]


def test_successful_reads_are_not_kept_but_failures_and_writes_are() -> None:
    directory = make_directory(make_organization("Quiet Co", ["scim"]))
    run(record(directory.id, RequestOutcome("GET", "search", "User", "", "", 200)))
    run(record(directory.id, RequestOutcome("GET", "read", "User", "dus_x", "", 404, "", "No User dus_x.")))
    run(record(directory.id, RequestOutcome("DELETE", "delete", "User", "dus_y", "", 204)))
    rows = run(
        ProvisioningEntry.select(ProvisioningEntry.operation, ProvisioningEntry.status)
        .where(ProvisioningEntry.directory == directory.id)
        .order_by(ProvisioningEntry.id)
        .run()
    )
    assert rows == [{"operation": "read", "status": 404}, {"operation": "delete", "status": 204}]
