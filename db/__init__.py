"""Persistence: Piccolo tables, migrations and engine selection. Imports neither Litestar nor Strawberry."""

import os

os.environ.setdefault("PICCOLO_CONF", "db.piccolo_conf")
