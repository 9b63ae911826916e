"""Warning before an identity provider's signing certificate expires: SSO through the connection
stops working then, and only the organization's admins can put the new certificate in.

An hourly cron looks at every SAML connection in use (TESTED or ACTIVE). 30 days before the last
of its IdP certificates expires, and again 7 days before, the admins who manage SSO get an email
and subscribers get `connection.certificate_expiring`. Each notice is remembered per threshold
and expiry date, so a new certificate (a new date) starts afresh and a notice is never sent twice.
"""

import datetime as dt
from typing import Any

from db.federation import SSOConnection
from db.orgs import Organization
from db.transaction import transaction
from resolvers import audit, events, jobs
from resolvers.clock import now
from resolvers.connection_rows import ConnectionRow, event_data, load_connection
from resolvers.deployment import Deployment
from resolvers.environment_settings import environment_settings
from resolvers.idp_settings import certificates_expire_at
from resolvers.organization_admins import admin_emails
from resolvers.principal import SystemPrincipal

THRESHOLDS_DAYS = (7, 30)  # the nearest one that applies is sent
IN_USE = ("tested", "active")


def due_notice(expires_at: dt.datetime, moment: dt.datetime, sent: dict[str, Any]) -> str | None:
    """The notice key ("7:<expiry>") to send now, or None when none is due or it went out."""
    left = expires_at - moment
    for days in THRESHOLDS_DAYS:
        key = f"{days}:{expires_at.isoformat()}"
        if left <= dt.timedelta(days=days):
            return None if key in sent else key
    return None


async def warn_expiring_certificates(deployment: Deployment) -> int:
    """The cron: one notice per connection that has one due; how many were sent."""
    rows = (
        await SSOConnection.select(SSOConnection.id, SSOConnection.idp_settings, SSOConnection.expiry_notices)
        .where((SSOConnection.protocol == "saml") & SSOConnection.status.is_in(list(IN_USE)))
        .output(load_json=True)
    )
    moment = now()
    sent = 0
    for row in rows:
        expires_at = certificates_expire_at(row["idp_settings"] or {})
        if expires_at and due_notice(expires_at, moment, row["expiry_notices"] or {}):
            sent += await _notify(row["id"], deployment)
    return sent


async def _notify(connection_id: str, deployment: Deployment) -> int:
    """Under the connection's lock, re-decide and send: two workers never send one notice twice."""
    async with transaction():
        locked = await load_connection(connection_id, lock=True)
        if locked is None or locked.status not in IN_USE:
            return 0
        notices = dict(locked.expiry_notices)
        expires_at = certificates_expire_at(locked.idp_settings)
        key = due_notice(expires_at, now(), notices) if expires_at else None
        if key is None or expires_at is None:
            return 0
        notices[key] = now().isoformat()
        await SSOConnection.update({SSOConnection.expiry_notices: notices}).where(
            SSOConnection.id == connection_id
        )
        days_left = max(0, (expires_at - now()).days)
        expiry = {"certificate_expires_at": expires_at.isoformat(), "days_left": days_left}
        data = {**event_data(locked), **expiry}
        await events.emit("connection.certificate_expiring", data, organization_id=locked.organization_id)
        await audit.record(
            SystemPrincipal(reason="certificate_expiry"),
            "connection.certificate_expiring",
            target=("connection", locked.id),
            organization_id=locked.organization_id,
            data=expiry,
        )
        await _email_admins(locked, expires_at, days_left, deployment)
    return 1


async def _email_admins(
    found: ConnectionRow, expires_at: dt.datetime, days_left: int, deployment: Deployment
) -> None:
    organization = (
        await Organization.select(Organization.name).where(Organization.id == found.organization_id).first()
    )
    organization_name = organization["name"] if organization else "your organization"
    app_name = (await environment_settings()).app_name
    when = expires_at.strftime("%d %B %Y")
    for email in await admin_emails(found.organization_id, "sk_org_sso_manage"):
        text = (
            f"The signing certificate of {found.name}, the identity provider {organization_name} signs in "
            f"with on {app_name}, expires on {when} ({days_left} days from now). After that nobody can "
            "sign in through it.\n\n"
            "Create a new signing certificate in your identity provider, then give it (or the new "
            f"metadata) to the connection at {deployment.issuer}/ui/sso and test the connection again."
        )
        await jobs.enqueue(
            "send_email",
            {"to": email, "subject": f"{found.name}: the SSO certificate expires on {when}", "text": text},
            max_attempts=5,
        )
