"""Stopping at once when Ctrl+C (or SIGTERM) comes before Tenantry has finished starting."""

import os
import sys
from typing import NoReturn


def stop_before_serving(signal_number: int) -> NoReturn:
    """Nothing is served yet, so nothing needs a graceful end; a database waited on rolls back."""
    print("Tenantry stopped: interrupted before start-up finished.", file=sys.stderr, flush=True)
    # os._exit: a thread blocked in a database call (SQLite's busy wait) must not hold the exit
    os._exit(128 + signal_number)
