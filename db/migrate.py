"""Applies Piccolo migrations programmatically (`tenantry migrate`, and start-up in embedded mode)."""

import contextlib
import io

from piccolo.apps.migrations.commands.forwards import run_forwards


async def migrate(*, quiet: bool = True) -> None:
    """Run every migration not yet applied; raises with Piccolo's message on failure."""
    output = io.StringIO()
    with contextlib.redirect_stdout(output) if quiet else contextlib.nullcontext():
        result = await run_forwards(app_name="tenantry")
    if not result.success:
        raise RuntimeError(f"migration failed: {result.message}\n{output.getvalue()}")
