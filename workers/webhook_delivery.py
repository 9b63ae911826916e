"""The deliver_webhook job: one signed POST per attempt; the job's schedule retries for about three days."""

import time
from typing import Any

from resolvers.outbound_http import OutboundFailed, post
from resolvers.webhook_delivery import finish_delivery, prepare_attempt, record_attempt
from workers.context import JobContext
from workers.kinds import JobKind


class DeliveryFailed(Exception):
    """The receiver did not answer 2xx: the job fails and is retried on the webhook schedule."""


async def deliver(payload: dict[str, Any], context: JobContext) -> None:
    delivery_id = str(payload["delivery_id"])
    outgoing = await prepare_attempt(context.deployment.secret_key, delivery_id)
    if outgoing is None:
        return
    started = time.perf_counter()
    status: int | None = None
    error = ""
    try:
        answer = await post(
            outgoing.url,
            private_networks=context.deployment.allows_private_networks,
            headers=outgoing.headers,
            content=outgoing.body,
        )
        status = answer.status
        if not 200 <= status < 300:
            error = f"HTTP {status}: {answer.text[:200]}"
    except OutboundFailed as failure:
        error = str(failure)
    duration_ms = int((time.perf_counter() - started) * 1000)
    await record_attempt(
        delivery_id, outgoing.attempt, response_status=status, error=error, duration_ms=duration_ms
    )
    if error:
        raise DeliveryFailed(error)


async def give_up(payload: dict[str, Any], error: str) -> None:
    """After the last attempt; an HTTP failure is already in the log, anything else is recorded now."""
    recorded = error.startswith(f"{DeliveryFailed.__name__}: ")
    await finish_delivery(str(payload["delivery_id"]), "failed", error="" if recorded else error)


JOBS = {"deliver_webhook": JobKind(deliver, on_dead=give_up)}
