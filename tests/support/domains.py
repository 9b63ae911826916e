"""Domain verification in tests: the GraphQL documents, the event rows, and running due checks."""

import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

from tests.support.server import ServerProcess, run_cli

T = TypeVar("T")

DOMAIN_FIELDS = "id name status txtRecordName txtRecordValue verifiedAt lastCheckedAt nextCheckAt lastError"
ADD = (
    "mutation($o: ID, $n: String!) { addDomain(organizationId: $o, name: $n) { __typename "
    f"... on Problem {{ code message }} ... on Domain {{ {DOMAIN_FIELDS} }} }} }}"
)
VERIFY = f"mutation($id: ID!) {{ verifyDomain(domainId: $id) {{ {DOMAIN_FIELDS} }} }}"
REMOVE = "mutation($id: ID!) { removeDomain(domainId: $id) { domain { id name status } } }"
LIST = (
    f"query($o: ID!) {{ organization(organizationId: $o) {{ domains {{ nodes {{ {DOMAIN_FIELDS} }} }} }} }}"
)


def domain_events(domain_id: str) -> list[tuple[str, dict[str, Any]]]:
    """(type, data["domain"]) of every webhook event about one domain, oldest first."""
    from db.events import Event
    from tests.support.factories import run

    rows = run(
        Event.select(Event.type, Event.data)
        .where(Event.type.like("organization.domain_%"))
        .order_by(Event.id)
        .run()
    )
    found = []
    for row in rows:
        data = json.loads(row["data"]) if isinstance(row["data"], str) else row["data"]
        if (data.get("domain") or {}).get("id") == domain_id:
            found.append((str(row["type"]), data["domain"]))
    return found


def check_due(server: ServerProcess) -> int:
    """`tenantry domains check-due --json`, as an operator runs it; returns how many it checked."""
    result = run_cli(["domains", "check-due", "--json"], server.env)
    assert result.returncode == 0, result.stderr
    checked: int = json.loads(result.stdout)["checked"]
    return checked


def run_due_checks_here() -> int:
    """The same checks in the test process (the CLI pays ~4 s of start-up per run)."""
    from resolvers.domain_checks import run_due_checks
    from tests.support.deployment import server_deployment
    from tests.support.factories import run

    return run(run_due_checks(server_deployment()))


def wait_until(probe: Callable[[], T | None], *, timeout: float = 20.0, what: str = "condition") -> T:
    """Poll until `probe` returns something truthy: background jobs finish on their own time."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)
