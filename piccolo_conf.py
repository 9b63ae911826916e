"""Lets the `piccolo` CLI, run from the repository root, find Tenantry's configuration.

The piccolo CLI is an entry point of its own: it binds the database named by TENANTRY_DATABASE_URL.
"""

import os

from db.connection import bind
from db.engine import DEFAULT_DATABASE_URL
from db.piccolo_conf import APP_REGISTRY

DB = bind(os.environ.get("TENANTRY_DATABASE_URL", DEFAULT_DATABASE_URL))

__all__ = ["APP_REGISTRY", "DB"]
