"""`tenantry directories list|create`: an organization's SCIM directories, for integrators and
operators (the same rules as the portal and GraphQL). A new directory's token is printed once."""

import argparse
from typing import Any

from host.cli_admin import run_admin
from host.settings import Settings
from resolvers.directories import scim_base_url
from resolvers.directory_rows import DIRECTORY_PROVIDERS, DirectoryRow
from resolvers.pages import MAX_PAGE_SIZE
from resolvers.principal import SystemPrincipal

CLI = SystemPrincipal("cli")


def _shown(row: DirectoryRow, public_url: str) -> dict[str, Any]:
    return {
        "id": row.id,
        "organization_id": row.organization_id,
        "name": row.name,
        "provider": row.provider,
        "scim_base_url": scim_base_url(public_url, row.id),
        "has_token": row.has_token,
        "token_hint": row.token_hint if row.has_token else None,
        "default_role": row.default_role,
    }


def _line(row: DirectoryRow) -> str:
    token = f"token …{row.token_hint}" if row.has_token else "no token"
    return f"{row.id}  {row.provider:<16}  {token:<12}  {row.name}"


def cmd_directories_list(args: argparse.Namespace, settings: Settings) -> None:
    from resolvers.directories import list_directories

    async def action() -> tuple[dict[str, Any], list[str]]:
        rows: list[DirectoryRow] = []
        after: str | None = None
        while True:  # every directory, a page at a time
            page = await list_directories(CLI, args.organization, first=MAX_PAGE_SIZE, after=after)
            rows.extend(page.items)
            if not page.has_next_page:
                break
            after = page.end_cursor
        shown = [_shown(row, settings.public_url) for row in rows]
        return {"directories": shown}, [_line(row) for row in rows] or ["no directories"]

    run_admin(action, args, settings)


def cmd_directories_create(args: argparse.Namespace, settings: Settings) -> None:
    from resolvers.directories import create_directory

    async def action() -> tuple[dict[str, Any], list[str]]:
        issued = await create_directory(CLI, args.organization, provider=args.provider, name=args.name)
        shown = _shown(issued.directory, settings.public_url)
        return {**shown, "token": issued.token}, [
            _line(issued.directory),
            f"SCIM base URL: {shown['scim_base_url']}",
            f"bearer token (shown this once): {issued.token}",
        ]

    run_admin(action, args, settings)


def add_directory_commands(commands: Any) -> None:
    """`tenantry directories …`, added to the CLI's sub-commands."""
    directories = commands.add_parser("directories", help="an organization's SCIM directories")
    sub = directories.add_subparsers(dest="subcommand", required=True)
    listed = sub.add_parser("list", help="list an organization's directories")
    listed.add_argument("--organization", required=True)
    listed.add_argument("--json", action="store_true")
    listed.set_defaults(handler=cmd_directories_list)
    create = sub.add_parser("create", help="add a directory and print its bearer token once")
    create.add_argument("--organization", required=True)
    create.add_argument("--provider", required=True, choices=sorted(DIRECTORY_PROVIDERS))
    create.add_argument("--name", help="default: the provider's name")
    create.add_argument("--json", action="store_true")
    create.set_defaults(handler=cmd_directories_create)
