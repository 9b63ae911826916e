"""What happened and what must still happen: the job queue (outbox), webhook events, audit log."""

from piccolo.columns import JSON, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class Job(Table, tablename="job"):
    """Background work written in the transaction of the change that needs it (the outbox)."""

    id = Varchar(length=40, primary_key=True)
    kind = Varchar(length=60)
    payload = JSON(default={})
    status = Varchar(length=16, default="pending", index=True)  # pending|queued|done|dead
    attempts = Integer(default=0)
    max_attempts = Integer(default=8)
    run_at = Timestamptz()
    locked_until = Timestamptz(null=True, default=None)
    last_error = Text(default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Event(Table, tablename="event"):
    """A webhook event, written with the change that caused it."""

    id = Varchar(length=40, primary_key=True)
    type = Varchar(length=60)
    organization_id = Varchar(length=40, null=True, default=None)
    data = JSON(default={})
    occurred_at = Timestamptz()


class AuditEvent(Table, tablename="audit_event"):
    """Who did what to which object, from where."""

    id = Varchar(length=40, primary_key=True)
    actor_type = Varchar(length=16)  # user | client | directory | system
    actor_id = Varchar(length=40, null=True, default=None)
    organization_id = Varchar(length=40, null=True, default=None, index=True)
    action = Varchar(length=80)
    target_type = Varchar(length=40, default="")
    target_id = Varchar(length=40, default="")
    ip = Varchar(length=64, default="")
    data = JSON(default={})
    created_at = Timestamptz()
