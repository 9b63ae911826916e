"""Webhook endpoints of integrators, and each event's delivery to each endpoint, attempt by attempt."""

from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class WebhookEndpoint(Table, tablename="webhook_endpoint"):
    """Where events go; the signing secret is stored encrypted with the deployment key."""

    id = Varchar(length=40, primary_key=True)
    url = Text()
    description = Varchar(length=200, default="")
    event_types = JSON(default=[])
    secret = Text()  # encrypted "whsec_…"
    # After a rotation the old secret signs too (a second signature) until this time, so receivers
    # can switch secrets without a moment where they refuse our deliveries.
    previous_secret = Text(default="")  # encrypted, or "" when there is none
    previous_secret_expires_at = Timestamptz(null=True, default=None)
    enabled = Boolean(default=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class WebhookDelivery(Table, tablename="webhook_delivery"):
    """One event for one endpoint; its webhook-id is the event id, the same on every attempt."""

    id = Varchar(length=40, primary_key=True)
    endpoint = ForeignKey(references=WebhookEndpoint, index=True)
    event_id = Varchar(length=40, index=True)
    event_type = Varchar(length=60)
    status = Varchar(length=16, default="pending")  # pending | succeeded | failed
    # the object the event is about ("membership:mem_…"): one endpoint gets its events in order
    ordering_key = Varchar(length=100, default="", index=True)
    attempts = Integer(default=0)
    job_id = Varchar(length=40, null=True, default=None)
    response_status = Integer(null=True, default=None)
    last_error = Text(default="")
    last_attempt_at = Timestamptz(null=True, default=None)
    delivered_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class WebhookAttempt(Table, tablename="webhook_attempt"):
    """The delivery log: every HTTP attempt with its answer."""

    id = Varchar(length=40, primary_key=True)
    delivery = ForeignKey(references=WebhookDelivery, index=True)
    attempt = Integer()
    attempted_at = Timestamptz()
    response_status = Integer(null=True, default=None)
    error = Text(default="")
    duration_ms = Integer(default=0)
