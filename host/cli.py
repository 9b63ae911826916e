"""The `tenantry` command: serve, worker, migrate, demo, and admin tasks for integrators."""

import argparse
import asyncio
import signal
import sys
import time
from typing import Any

from db.connection import bind
from host.cli_admin import prepared, prepared_database, run_admin
from host.cli_connections import add_connection_commands
from host.cli_directories import add_directory_commands
from host.database_reachable import check_database, check_migrated
from host.settings import Settings, UnsafeSettings, load_settings
from host.start_up_interrupt import stop_before_serving
from resolvers import clock


def cmd_serve(args: argparse.Namespace, settings: Settings) -> None:
    from host.app import create_app
    from host.home import start_links
    from host.serve import banner, serve

    serve(
        create_app(settings),
        host=args.host or settings.listen_host,
        port=args.port or settings.listen_port,
        log_level=args.log_level,
        banner=banner(settings.public_url, start_links(settings.public_url, demo=settings.demo)),
    )


def cmd_worker(args: argparse.Namespace, settings: Settings) -> None:
    from arq.worker import run_worker

    from workers.settings import ping_redis, worker_settings

    if not settings.redis_url:
        sys.exit(
            "tenantry worker needs TENANTRY_REDIS_URL (without it, `tenantry serve` runs jobs in-process)."
        )
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    asyncio.run(prepared(settings))
    delay = 1.0
    while True:  # survive a Redis restart: reconnect with back-off; jobs wait in the database meanwhile
        try:
            ping_redis(settings.redis_url)
            run_worker(worker_settings(settings.redis_url, settings.job_context()))
            return
        except (RedisConnectionError, RedisTimeoutError, OSError) as error:
            print(
                f"tenantry worker: Redis unavailable ({error}); reconnecting in {delay:.0f} s",
                file=sys.stderr,
            )
            time.sleep(delay)
            delay = min(delay * 2, 30.0)


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> None:
    """Always migrates: TENANTRY_AUTO_MIGRATE=false only moves migration from start-up to this step."""
    asyncio.run(prepared(settings, migrate_schema=True))
    print("Database migrated and seeded.")


def cmd_demo(args: argparse.Namespace, settings: Settings) -> None:
    from dataclasses import replace

    from resolvers.demo import seed_demo

    settings = replace(settings, demo=True)

    async def seed() -> Any:
        async with prepared_database(settings):
            return await seed_demo(settings.deployment())

    demo = asyncio.run(seed())
    url = settings.public_url
    people = "\n".join(f"    {email}  ({role})" for email, role in demo.people)
    print(
        f"""
Tenantry demo is starting at {url}

  In the demo app, sign in with one of these (the one-time code is printed here in the console):
{people}
  or press "Create account" to sign up with any email address.

  Demo client id: {demo.client_id}
""",
        flush=True,
    )
    cmd_serve(args, settings)


def cmd_applications_create(args: argparse.Namespace, settings: Settings) -> None:
    from resolvers.applications import create_application
    from resolvers.principal import SystemPrincipal

    async def action() -> tuple[dict[str, Any], list[str]]:
        created = await create_application(
            SystemPrincipal("cli"),
            name=args.name,
            redirect_uris=args.redirect_uri or [],
            client_type=args.type,
            post_logout_redirect_uris=args.post_logout_redirect_uri or [],
            initiate_login_uri=args.initiate_login_uri,
            backchannel_logout_uri=args.backchannel_logout_uri,
            grant_types=args.grant_type or None,
            is_native=args.native,
            private_networks=settings.deployment().allows_private_networks,
        )
        result = {
            "client_id": created.client.id,
            "client_secret": created.client_secret,
            "client_type": created.client.client_type,
            "redirect_uris": list(created.client.redirect_uris),
            "grant_types": sorted(created.client.grant_types),
        }
        lines = [f"client_id:     {created.client.id}"]
        if created.client_secret:
            lines.append(f"client_secret: {created.client_secret}")
            lines.append("Store the secret now: it is shown only once.")
        return result, lines

    run_admin(action, args, settings)


def cmd_organizations_create(args: argparse.Namespace, settings: Settings) -> None:
    from resolvers.organizations import create_organization
    from resolvers.principal import SystemPrincipal

    async def action() -> tuple[dict[str, Any], list[str]]:
        org_id = await create_organization(
            SystemPrincipal("cli"), name=args.name, features=args.feature or []
        )
        return {"id": org_id, "name": args.name, "features": args.feature or []}, [f"organization: {org_id}"]

    run_admin(action, args, settings)


def cmd_organizations_features(args: argparse.Namespace, settings: Settings) -> None:
    from resolvers.organizations import set_features
    from resolvers.principal import SystemPrincipal

    async def action() -> tuple[dict[str, Any], list[str]]:
        features = await set_features(SystemPrincipal("cli"), args.organization, args.feature or [])
        return {"id": args.organization, "features": features}, [
            f"features: {', '.join(features) or '(none)'}"
        ]

    run_admin(action, args, settings)


def cmd_members_add(args: argparse.Namespace, settings: Settings) -> None:
    from resolvers.adding_people import add_person
    from resolvers.principal import SystemPrincipal

    async def action() -> tuple[dict[str, Any], list[str]]:
        added = await add_person(
            SystemPrincipal("cli"),
            organization_id=args.organization,
            email=args.email,
            role_key=args.role,
            first_name=args.first_name or "",
            last_name=args.last_name or "",
        )
        result = {
            "membership_id": added.membership_id,
            "user_id": added.user_id,
            "organization_id": args.organization,
            "role": args.role,
        }
        return result, [f"member: {added.membership_id} (user {added.user_id}, role {args.role})"]

    run_admin(action, args, settings)


def cmd_domains_check_due(args: argparse.Namespace, settings: Settings) -> None:
    from resolvers.domain_checks import run_due_checks

    async def action() -> tuple[dict[str, Any], list[str]]:
        checked = await run_due_checks(settings.deployment())
        return {"checked": checked}, [f"checked {checked} due domain{'s' if checked != 1 else ''}"]

    run_admin(action, args, settings)


def cmd_webhooks_create(args: argparse.Namespace, settings: Settings) -> None:
    from resolvers.principal import SystemPrincipal
    from resolvers.webhook_endpoints import create_endpoint

    async def action() -> tuple[dict[str, Any], list[str]]:
        endpoint, secret = await create_endpoint(
            SystemPrincipal("cli"),
            settings.secret_key,
            url=args.url,
            event_types=args.event or [],
            description=args.description,
            private_networks=settings.deployment().allows_private_networks,
        )
        result = {
            "id": endpoint.id,
            "url": endpoint.url,
            "event_types": endpoint.event_types,
            "secret": secret,
        }
        return result, [f"endpoint {endpoint.id} -> {endpoint.url}", f"signing secret (shown once): {secret}"]

    run_admin(action, args, settings)


def cmd_webhooks_list(args: argparse.Namespace, settings: Settings) -> None:
    from resolvers.pages import MAX_PAGE_SIZE
    from resolvers.principal import SystemPrincipal
    from resolvers.webhook_endpoints import EndpointRow, list_endpoints

    async def action() -> tuple[dict[str, Any], list[str]]:
        rows: list[EndpointRow] = []
        after: str | None = None
        while True:  # every endpoint, a page at a time
            page = await list_endpoints(SystemPrincipal("cli"), first=MAX_PAGE_SIZE, after=after)
            rows.extend(page.items)
            if not page.has_next_page:
                break
            after = page.end_cursor
        result = {
            "endpoints": [
                {"id": r.id, "url": r.url, "event_types": r.event_types, "enabled": r.enabled} for r in rows
            ]
        }
        lines = [
            f"{r.id}  {'on ' if r.enabled else 'off'}  {r.url}  {','.join(r.event_types) or '*'}"
            for r in rows
        ]
        return result, lines or ["no webhook endpoints"]

    run_admin(action, args, settings)


def cmd_webhooks_enable(args: argparse.Namespace, settings: Settings) -> None:
    from resolvers.principal import SystemPrincipal
    from resolvers.webhook_endpoints import update_endpoint

    async def action() -> tuple[dict[str, Any], list[str]]:
        row = await update_endpoint(
            SystemPrincipal("cli"),
            args.endpoint_id,
            enabled=args.enabled,
            private_networks=settings.deployment().allows_private_networks,
        )
        return {"id": row.id, "enabled": row.enabled}, [
            f"{row.id} {'enabled' if row.enabled else 'disabled'}"
        ]

    run_admin(action, args, settings)


def cmd_keys_rotate(args: argparse.Namespace, settings: Settings) -> None:
    from resolvers.signing_keys import rotate_signing_keys

    async def action() -> tuple[dict[str, Any], list[str]]:
        await rotate_signing_keys(settings.secret_key)
        return {"rotated": True}, ["Signing keys rotated; the previous keys stay published for two days."]

    run_admin(action, args, settings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tenantry", description="Tenantry: identity for B2B apps.")
    commands = parser.add_subparsers(dest="command", required=True)

    def server_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", help="address to listen on (default: TENANTRY_HOST or 127.0.0.1)")
        p.add_argument("--port", type=int, help="port to listen on (default: TENANTRY_PORT or 8000)")
        p.add_argument("--log-level", default="info", help="uvicorn log level")

    serve = commands.add_parser("serve", help="run the HTTP server")
    server_args(serve)
    serve.set_defaults(handler=cmd_serve)
    demo = commands.add_parser("demo", help="seed the demo environment and run the server with the demo app")
    server_args(demo)
    demo.set_defaults(handler=cmd_demo)
    commands.add_parser("worker", help="run an arq worker (needs TENANTRY_REDIS_URL)").set_defaults(
        handler=cmd_worker
    )
    commands.add_parser("migrate", help="apply database migrations and seed defaults").set_defaults(
        handler=cmd_migrate
    )

    apps = commands.add_parser("applications", help="manage applications (OAuth clients)")
    apps_commands = apps.add_subparsers(dest="subcommand", required=True)
    create_app = apps_commands.add_parser("create", help="register an application; prints its secret once")
    create_app.add_argument("--name", required=True)
    create_app.add_argument("--type", choices=["confidential", "public"], default="confidential")
    create_app.add_argument("--redirect-uri", action="append", help="repeat for several")
    create_app.add_argument("--post-logout-redirect-uri", action="append")
    create_app.add_argument("--initiate-login-uri")
    create_app.add_argument("--backchannel-logout-uri")
    create_app.add_argument(
        "--grant-type",
        action="append",
        choices=["authorization_code", "refresh_token", "client_credentials"],
    )
    create_app.add_argument(
        "--native", action="store_true", help="native app: loopback redirect URIs match any port"
    )
    create_app.add_argument("--json", action="store_true", help="print JSON")
    create_app.set_defaults(handler=cmd_applications_create)

    hooks = commands.add_parser("webhooks", help="webhook endpoints (Standard Webhooks signatures)")
    hooks_commands = hooks.add_subparsers(dest="subcommand", required=True)
    create_hook = hooks_commands.add_parser("create", help="add an endpoint; prints its signing secret once")
    create_hook.add_argument("--url", required=True)
    create_hook.add_argument("--event", action="append", help="an event type to subscribe to; none = all")
    create_hook.add_argument("--description", default="")
    create_hook.add_argument("--json", action="store_true")
    create_hook.set_defaults(handler=cmd_webhooks_create)
    list_hooks = hooks_commands.add_parser("list", help="list endpoints")
    list_hooks.add_argument("--json", action="store_true")
    list_hooks.set_defaults(handler=cmd_webhooks_list)
    for name, enabled in (("enable", True), ("disable", False)):
        toggle = hooks_commands.add_parser(name, help=f"{name} an endpoint")
        toggle.add_argument("endpoint_id")
        toggle.add_argument("--json", action="store_true")
        toggle.set_defaults(handler=cmd_webhooks_enable, enabled=enabled)

    add_connection_commands(commands)
    add_directory_commands(commands)

    orgs = commands.add_parser("organizations", help="manage organizations")
    orgs_commands = orgs.add_subparsers(dest="subcommand", required=True)
    create_org = orgs_commands.add_parser("create", help="create an organization")
    create_org.add_argument("--name", required=True)
    create_org.add_argument(
        "--feature", action="append", help="sso, scim, domain_verification, session_policy"
    )
    create_org.add_argument("--json", action="store_true")
    create_org.set_defaults(handler=cmd_organizations_create)
    features = orgs_commands.add_parser("set-features", help="replace an organization's feature entitlements")
    features.add_argument("organization", help="organization id (org_…)")
    features.add_argument("--feature", action="append")
    features.add_argument("--json", action="store_true")
    features.set_defaults(handler=cmd_organizations_features)

    members = commands.add_parser("members", help="manage memberships")
    members_commands = members.add_subparsers(dest="subcommand", required=True)
    add = members_commands.add_parser("add", help="add a user (created if needed) to an organization")
    add.add_argument("--organization", required=True)
    add.add_argument("--email", required=True)
    add.add_argument("--role", default="member")
    add.add_argument("--first-name")
    add.add_argument("--last-name")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=cmd_members_add)

    keys = commands.add_parser("keys", help="signing keys")
    keys_commands = keys.add_subparsers(dest="subcommand", required=True)
    rotate = keys_commands.add_parser(
        "rotate", help="rotate the signing keys (old ones stay published for two days)"
    )
    rotate.add_argument("--json", action="store_true")
    rotate.set_defaults(handler=cmd_keys_rotate)

    domains = commands.add_parser("domains", help="verified domains")
    domains_commands = domains.add_subparsers(dest="subcommand", required=True)
    check_due = domains_commands.add_parser(
        "check-due", help="run every due DNS check now (instead of waiting for the scheduler)"
    )
    check_due.add_argument("--json", action="store_true")
    check_due.set_defaults(handler=cmd_domains_check_due)
    return parser


def run_command(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        clock.shift_by(settings.test_clock_file)
        asyncio.run(check_database(settings.database_url))
        bind(settings.database_url)  # admin commands: a connection per query; serve and worker pool theirs
        if args.handler is not cmd_migrate and not settings.auto_migrate:
            asyncio.run(check_migrated(settings.database_url))
    except UnsafeSettings as error:
        print(f"Tenantry refuses to start: {error}", file=sys.stderr)
        sys.exit(2)
    args.handler(args, settings)


def main(argv: list[str] | None = None) -> None:
    """Ctrl+C while connecting, migrating or importing ends the command with one line, no traceback."""
    try:
        run_command(argv)
    except KeyboardInterrupt:
        stop_before_serving(signal.SIGINT)


if __name__ == "__main__":
    main()
