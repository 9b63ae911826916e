"""The one source of "now", so tests can move time for a running server."""

import datetime as dt
import os
from pathlib import Path

_OFFSET_FILE = os.environ.get("TENANTRY_TEST_CLOCK_FILE")


def _offset_seconds() -> float:
    """Seconds added by the test clock file; read every time, since only tests set it."""
    if not _OFFSET_FILE:
        return 0.0
    try:
        return float(Path(_OFFSET_FILE).read_text().strip() or 0)
    except (FileNotFoundError, ValueError):
        return 0.0


def now() -> dt.datetime:
    """Current UTC time, shifted by the test clock file when `TENANTRY_TEST_CLOCK_FILE` is set."""
    current = dt.datetime.now(dt.UTC)
    offset = _offset_seconds()
    return current + dt.timedelta(seconds=offset) if offset else current


def timestamp() -> int:
    return int(now().timestamp())
