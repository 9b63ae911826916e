"""Lets the `piccolo` CLI, run from the repository root, find Tenantry's configuration."""

from db.piccolo_conf import APP_REGISTRY, DB

__all__ = ["APP_REGISTRY", "DB"]
