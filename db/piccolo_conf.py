"""Piccolo's configuration module (found through PICCOLO_CONF, set in `db/__init__.py`).

`DB` is looked up when Piccolo asks for it (its migrations do), and is whatever engine an entry
point bound with `db.connection`: nothing connects at import time.
"""

from typing import Any

from piccolo.conf.apps import AppRegistry

APP_REGISTRY = AppRegistry(apps=["db.piccolo_app"])


def __getattr__(name: str) -> Any:
    if name == "DB":
        from db.connection import engine

        return engine()
    raise AttributeError(name)
