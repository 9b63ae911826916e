"""Admins hear 30 and 7 days before their IdP's signing certificate expires, once each."""

import datetime as dt
from typing import Any

from db.events import Event, Job
from resolvers.certificate_expiry import due_notice, warn_expiring_certificates
from resolvers.clock import now
from resolvers.idp_settings import certificates_expire_at
from tests.support.factories import make_member, make_organization, run
from tests.support.people import unique_email
from tests.support.sso import make_connection

MOMENT = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)


def settings_expiring(*dates: dt.datetime) -> dict[str, Any]:
    return {
        "entity_id": "https://idp.example.com",
        "certificates": [{"pem": "x", "not_valid_after": date.isoformat()} for date in dates],
    }


def test_the_last_certificate_to_expire_decides() -> None:
    late = MOMENT + dt.timedelta(days=90)
    assert certificates_expire_at(settings_expiring(MOMENT, late)) == late
    assert certificates_expire_at({}) is None


def test_the_nearest_threshold_is_due_once_per_expiry_date() -> None:
    expiry = MOMENT + dt.timedelta(days=20)
    expired = MOMENT - dt.timedelta(days=1)
    assert due_notice(expired, MOMENT, {}) == f"7:{expired.isoformat()}"  # late, but never silent
    assert due_notice(expiry, MOMENT, {}) == f"30:{expiry.isoformat()}"
    assert due_notice(expiry, MOMENT, {f"30:{expiry.isoformat()}": "sent"}) is None
    assert due_notice(expiry, MOMENT + dt.timedelta(days=14), {f"30:{expiry.isoformat()}": "sent"}) == (
        f"7:{expiry.isoformat()}"
    )
    assert due_notice(MOMENT + dt.timedelta(days=31), MOMENT, {}) is None
    renewed = MOMENT + dt.timedelta(days=25)
    assert due_notice(renewed, MOMENT, {f"30:{expiry.isoformat()}": "sent"}) == f"30:{renewed.isoformat()}"


def emails_to(address: str) -> list[dict[str, Any]]:
    rows = run(Job.select(Job.payload).where(Job.kind == "send_email").output(load_json=True).run())
    return [row["payload"] for row in rows if row["payload"].get("to") == address]


def expiring_events(connection_id: str) -> list[dict[str, Any]]:
    rows = run(
        Event.select(Event.data)
        .where(Event.type == "connection.certificate_expiring")
        .output(load_json=True)
        .run()
    )
    return [row["data"] for row in rows if row["data"]["connection"]["id"] == connection_id]


def test_the_cron_tells_sso_admins_and_subscribers_once(deployment: Any) -> None:
    org = make_organization("Expiring Co", ["sso"])
    admin, member = unique_email("sso-admin"), unique_email("member")
    make_member(admin, org, "admin")
    make_member(member, org, "member")
    expires = now() + dt.timedelta(days=10)
    active = make_connection(org, idp_settings=settings_expiring(expires))
    quiet = make_connection(org, status="disabled", idp_settings=settings_expiring(expires))
    assert run(warn_expiring_certificates(deployment)) >= 1
    assert run(warn_expiring_certificates(deployment)) == 0
    events = expiring_events(active.id)
    assert len(events) == 1
    assert events[0]["certificate_expires_at"] == expires.isoformat() and events[0]["days_left"] in (9, 10)
    assert expiring_events(quiet.id) == []
    mails = emails_to(admin)
    assert len(mails) == 1 and active.name in mails[0]["subject"]
    assert "/ui/sso" in mails[0]["text"]
    assert emails_to(member) == []


def test_a_notice_already_sent_is_not_sent_again(deployment: Any) -> None:
    org = make_organization("Renewing Co", ["sso"])
    soon = now() + dt.timedelta(days=5)
    connection = make_connection(
        org, idp_settings=settings_expiring(soon), expiry_notices={f"7:{soon.isoformat()}": "sent"}
    )
    assert run(warn_expiring_certificates(deployment)) == 0
    assert expiring_events(connection.id) == []
