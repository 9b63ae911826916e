"""Datetimes read through raw SQL or RETURNING: strings on SQLite, naive or aware datetimes on
PostgreSQL. One aware (UTC) shape out, so callers compare and format them alike."""

import datetime as dt


def aware_datetime(value: str | dt.datetime) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def aware_datetime_or_none(value: str | dt.datetime | None) -> dt.datetime | None:
    return None if value is None else aware_datetime(value)
