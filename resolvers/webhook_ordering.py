"""Per-object order of webhook deliveries: a later event about an object waits for the earlier ones.

Events of one object go out in order: a later one waits until the earlier ones succeed or fail
for good (after their last attempt), so a receiver never sees "updated" before "created". The
price is head-of-line waiting behind a failing delivery; the wait ends as soon as it settles.
"""

import datetime as dt
from typing import Any

from db.events import Job
from db.sql_datetimes import aware_datetime_or_none
from db.webhooks import WebhookDelivery
from resolvers.clock import now
from resolvers.jobs import Deferred

ORDER_WAIT = dt.timedelta(seconds=1)
ORDER_WAIT_REASON = "Waiting for an earlier event about the same object."

_EARLIER_SQL = """
SELECT MIN(j.run_at) AS due FROM webhook_delivery d JOIN job j ON j.id = d.job_id
WHERE d.endpoint = {} AND d.ordering_key = {} AND d.status = 'pending' AND d.id < {}
  AND j.status IN ('pending', 'queued', 'running')
"""


async def wait_for_earlier_deliveries(delivery: dict[str, Any]) -> None:
    """Raise Deferred (no attempt spent) while an earlier delivery about the same object is pending."""
    if not delivery["ordering_key"]:
        return
    earlier = await _earlier_delivery_due(delivery)
    if earlier is not None:
        raise Deferred(max(earlier, now()) + ORDER_WAIT, ORDER_WAIT_REASON)


async def _earlier_delivery_due(delivery: dict[str, Any]) -> dt.datetime | None:
    """When the earliest still-pending delivery of the same object to this endpoint runs next, if any.

    Only deliveries whose job can still run count: one left pending by a dead job never would.
    """
    rows = await WebhookDelivery.raw(
        _EARLIER_SQL, delivery["endpoint"], delivery["ordering_key"], delivery["id"]
    )
    return aware_datetime_or_none(rows[0]["due"]) if rows else None


_NEXT_IN_ORDER_SQL = """
SELECT d.job_id FROM webhook_delivery d JOIN webhook_delivery settled ON settled.id = {}
WHERE d.endpoint = settled.endpoint AND d.ordering_key = settled.ordering_key
  AND COALESCE(settled.ordering_key, '') <> '' AND d.status = 'pending' AND d.id > settled.id
ORDER BY d.id LIMIT 1
"""


async def wake_next_in_order(delivery_id: str) -> None:
    """The next event about the same object, if it was told to wait for this one, need wait no more
    (otherwise a backlog about one object would drain one deferral step at a time)."""
    rows = await WebhookDelivery.raw(_NEXT_IN_ORDER_SQL, delivery_id)
    if rows and rows[0]["job_id"]:
        await Job.update({Job.run_at: now()}).where(
            (Job.id == rows[0]["job_id"]) & (Job.status == "pending") & (Job.last_error == ORDER_WAIT_REASON)
        )
