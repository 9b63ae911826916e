"""`tenantry connections list|create|enable|disable`: an organization's SSO connections, for
integrators and operators (the same rules as the portal and GraphQL)."""

import argparse
from typing import Any

from host.cli_admin import run_admin
from host.settings import Settings
from resolvers.connection_rows import ConnectionRow
from resolvers.identity_providers import PROTOCOLS, PROVIDERS
from resolvers.pages import MAX_PAGE_SIZE
from resolvers.principal import SystemPrincipal

CLI = SystemPrincipal("cli")


def _shown(row: ConnectionRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "organization_id": row.organization_id,
        "name": row.name,
        "protocol": row.protocol,
        "provider": row.provider,
        "status": row.status,
        "default_role": row.default_role,
        "tested_with_current_settings": row.tested_with_current_settings,
    }


def _line(row: ConnectionRow) -> str:
    return f"{row.id}  {row.status:<8}  {row.protocol.upper():<4}  {row.provider}  {row.name}"


def cmd_connections_list(args: argparse.Namespace, settings: Settings) -> None:
    from resolvers.sso_connections import list_connections

    async def action() -> tuple[dict[str, Any], list[str]]:
        rows: list[ConnectionRow] = []
        after: str | None = None
        while True:  # every connection, a page at a time
            page = await list_connections(CLI, args.organization, first=MAX_PAGE_SIZE, after=after)
            rows.extend(page.items)
            if not page.has_next_page:
                break
            after = page.end_cursor
        return {"connections": [_shown(row) for row in rows]}, [_line(row) for row in rows] or [
            "no connections"
        ]

    run_admin(action, args, settings)


def cmd_connections_create(args: argparse.Namespace, settings: Settings) -> None:
    from resolvers.sso_connections import create_connection

    async def action() -> tuple[dict[str, Any], list[str]]:
        row = await create_connection(
            CLI,
            args.organization,
            secret_key=settings.secret_key,
            provider=args.provider,
            protocol=args.protocol,
            name=args.name,
            default_role=args.default_role,
        )
        return _shown(row), [_line(row), "configure the identity provider, test, then enable it"]

    run_admin(action, args, settings)


def cmd_connections_enable(args: argparse.Namespace, settings: Settings) -> None:
    from resolvers.sso_connections import disable_connection, enable_connection

    change = enable_connection if args.enabled else disable_connection

    async def action() -> tuple[dict[str, Any], list[str]]:
        row = await change(CLI, args.connection_id)
        return _shown(row), [_line(row)]

    run_admin(action, args, settings)


def add_connection_commands(commands: Any) -> None:
    """`tenantry connections …`, added to the CLI's sub-commands."""
    connections = commands.add_parser("connections", help="an organization's SSO connections")
    sub = connections.add_subparsers(dest="subcommand", required=True)
    listed = sub.add_parser("list", help="list an organization's connections")
    listed.add_argument("--organization", required=True)
    listed.add_argument("--json", action="store_true")
    listed.set_defaults(handler=cmd_connections_list)
    create = sub.add_parser("create", help="add a DRAFT connection (configure, test, then enable it)")
    create.add_argument("--organization", required=True)
    create.add_argument("--provider", required=True, choices=sorted(PROVIDERS))
    create.add_argument("--protocol", choices=PROTOCOLS, help="default: SAML (OIDC for generic_oidc)")
    create.add_argument("--name", help="default: the provider's name")
    create.add_argument("--default-role", default="member", help="the role people get at first sign-in")
    create.add_argument("--json", action="store_true")
    create.set_defaults(handler=cmd_connections_create)
    for name, enabled in (("enable", True), ("disable", False)):
        toggle = sub.add_parser(name, help=f"{name} a connection")
        toggle.add_argument("connection_id")
        toggle.add_argument("--json", action="store_true")
        toggle.set_defaults(handler=cmd_connections_enable, enabled=enabled)
