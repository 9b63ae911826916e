"""Domains an organization proves it owns with a DNS TXT record, checked in the background."""

from piccolo.columns import ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

from db.orgs import Organization


class Domain(Table, tablename="organization_domain"):
    """A claimed domain: pending until its TXT record is seen, then re-checked daily (it can lapse)."""

    id = Varchar(length=40, primary_key=True)
    organization = ForeignKey(references=Organization, index=True)
    name = Varchar(length=253, index=True)
    token = Varchar(length=64)
    status = Varchar(length=16, default="pending")  # pending | verified | failed | lapsed
    attempts = Integer(default=0)  # checks made since it was added or last re-verified
    misses = Integer(default=0)  # consecutive re-checks of a verified domain without the record
    last_checked_at = Timestamptz(null=True, default=None)
    next_check_at = Timestamptz(null=True, default=None, index=True)
    verified_at = Timestamptz(null=True, default=None)
    last_error = Text(default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()
