"""The one source of "now", so tests can move time for a running server.

Resolvers read no environment: the entry point (app, worker, CLI, test process) names the test
clock file from its settings with `shift_by`.
"""

import datetime as dt
from pathlib import Path

_offset_file: Path | None = None


def shift_by(offset_file: str | None) -> None:
    """Add the seconds written in `offset_file` to every `now()` (tests move time with it); None stops."""
    global _offset_file
    _offset_file = Path(offset_file) if offset_file else None


def _offset_seconds() -> float:
    """Seconds added by the test clock file; read every time, since only tests set it."""
    if _offset_file is None:
        return 0.0
    try:
        return float(_offset_file.read_text().strip() or 0)
    except (FileNotFoundError, ValueError):
        return 0.0


def now() -> dt.datetime:
    """Current UTC time, shifted by the test clock file when an entry point named one."""
    current = dt.datetime.now(dt.UTC)
    offset = _offset_seconds()
    return current + dt.timedelta(seconds=offset) if offset else current


def timestamp() -> int:
    return int(now().timestamp())
