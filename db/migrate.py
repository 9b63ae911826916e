"""Applies Piccolo migrations programmatically (`tenantry migrate`, and start-up in embedded mode)."""

import contextlib
import io

from piccolo.apps.migrations.commands.check import CheckMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration

APP_NAME = "tenantry"


async def migrate(*, quiet: bool = True) -> None:
    """Run every migration not yet applied; raises with Piccolo's message on failure."""
    output = io.StringIO()
    with contextlib.redirect_stdout(output) if quiet else contextlib.nullcontext():
        result = await run_forwards(app_name=APP_NAME)
    if not result.success:
        raise RuntimeError(f"migration failed: {result.message}\n{output.getvalue()}")


async def pending_migrations() -> list[str]:
    """The ids of migrations not applied yet; reads only, so a refusal to start writes nothing."""
    checker = CheckMigrationManager(app_name=APP_NAME)
    if not await Migration.table_exists().run():
        return [
            migration_id
            for app_module in checker.get_app_modules()
            if app_module.APP_CONFIG.app_name == APP_NAME
            for migration_id in checker.get_migration_ids(
                checker.get_migration_modules(app_module.APP_CONFIG.resolved_migrations_folder_path)
            )
        ]
    return [status.migration_id for status in await checker.get_migration_statuses() if not status.has_ran]
