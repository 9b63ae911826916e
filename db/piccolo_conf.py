"""Piccolo's configuration module (found through PICCOLO_CONF, set in `db/__init__.py`)."""

from piccolo.conf.apps import AppRegistry

from db.engine import database_url, engine_for_url

DB = engine_for_url(database_url())

APP_REGISTRY = AppRegistry(apps=["db.piccolo_app"])
