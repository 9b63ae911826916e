"""What every admin command of the `tenantry` CLI shares: a prepared database, one way to print
(lines for people, `--json` for scripts), and one way to say no (exit code 2)."""

import argparse
import asyncio
import json
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from db.connection import connected
from host.settings import Settings
from resolvers.errors import DomainError

Action = Callable[[], Awaitable[tuple[dict[str, Any], list[str]]]]


def print_result(result: dict[str, Any], as_json: bool, lines: list[str]) -> None:
    if as_json:
        print(json.dumps(result, indent=2))
    else:
        print("\n".join(lines))


@asynccontextmanager
async def prepared_database(settings: Settings, *, migrate_schema: bool | None = None) -> AsyncIterator[None]:
    """The database open, migrated (or checked) and seeded, as the server has it; closed at exit."""
    from host.app import prepare_database

    async with connected(settings.database_url):
        await prepare_database(
            settings, migrate_schema=settings.auto_migrate if migrate_schema is None else migrate_schema
        )
        yield


async def prepared(settings: Settings, *, migrate_schema: bool | None = None) -> None:
    """Prepare the database and close it again (`migrate`, and `worker` before it starts)."""
    async with prepared_database(settings, migrate_schema=migrate_schema):
        pass


def run_admin(action: Action, args: argparse.Namespace, settings: Settings) -> None:
    """Run `action` on a prepared database; a refusal prints its code and message and exits 2."""

    async def run() -> tuple[dict[str, Any], list[str]]:
        async with prepared_database(settings):
            return await action()

    try:
        result, lines = asyncio.run(run())
    except DomainError as error:
        if args.json:
            print(json.dumps({"error": error.code, "message": error.message}), file=sys.stderr)
        else:
            print(f"error: {error.message}", file=sys.stderr)
        sys.exit(2)
    print_result(result, args.json, lines)
