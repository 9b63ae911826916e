"""The `tenantry` command as an operator runs it: admin commands with --json, help, unsafe settings."""

import json
import subprocess
import time

import httpx

from tests.conftest import SECRET_KEY
from tests.support.backend import Backend
from tests.support.server import ServerProcess, free_port, run_cli, start_process, start_server, tenantry_env


def cli(backend: Backend, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(
        list(args), {"TENANTRY_DATABASE_URL": backend.database_url, "TENANTRY_SECRET_KEY": SECRET_KEY}
    )


def test_admin_commands_create_an_app_an_organization_and_a_member_as_json(
    backend: Backend, server: ServerProcess
) -> None:
    created = cli(
        backend,
        "applications",
        "create",
        "--name",
        "CLI App",
        "--redirect-uri",
        "https://cli.example.com/cb",
        "--grant-type",
        "client_credentials",
        "--grant-type",
        "authorization_code",
        "--json",
    )
    assert created.returncode == 0, created.stderr
    app = json.loads(created.stdout)
    assert app["client_id"].startswith("app_")
    assert app["client_secret"].startswith("tns_")
    token = httpx.post(
        f"{server.url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(app["client_id"], app["client_secret"]),
    )
    assert token.status_code == 200, "the printed secret is the one that works"

    org = json.loads(
        cli(backend, "organizations", "create", "--name", "CLI Org", "--feature", "sso", "--json").stdout
    )
    assert org["id"].startswith("org_")
    features = json.loads(
        cli(
            backend,
            "organizations",
            "set-features",
            org["id"],
            "--feature",
            "scim",
            "--feature",
            "sso",
            "--json",
        ).stdout
    )
    assert features["features"] == ["sso", "scim"]
    member = cli(
        backend,
        "members",
        "add",
        "--organization",
        org["id"],
        "--email",
        "Cli.User@Example.com",
        "--role",
        "admin",
        "--json",
    )
    assert member.returncode == 0, member.stderr
    assert json.loads(member.stdout)["role"] == "admin"


def test_admin_commands_refuse_bad_input_with_a_message_and_exit_code_2(
    backend: Backend, server: ServerProcess
) -> None:
    bad_uri = cli(
        backend, "applications", "create", "--name", "X", "--redirect-uri", "http://evil.example.com/cb"
    )
    assert bad_uri.returncode == 2
    assert "must use https" in bad_uri.stderr
    bad_feature = cli(backend, "organizations", "create", "--name", "Y", "--feature", "teleport", "--json")
    assert bad_feature.returncode == 2
    assert json.loads(bad_feature.stderr)["error"] == "invalid_input"
    unknown_role = cli(
        backend,
        "members",
        "add",
        "--organization",
        "org_nope",
        "--email",
        "a@example.com",
        "--role",
        "overlord",
    )
    assert unknown_role.returncode == 2


def test_every_command_has_help() -> None:
    for args in (
        ["--help"],
        ["serve", "--help"],
        ["applications", "create", "--help"],
        ["members", "add", "--help"],
        ["domains", "check-due", "--help"],
        ["webhooks", "create", "--help"],
        ["webhooks", "disable", "--help"],
        ["directories", "create", "--help"],
    ):
        result = run_cli(args, {})
        assert result.returncode == 0
        assert "usage: tenantry" in result.stdout


def test_start_up_refuses_the_development_key_on_a_public_url() -> None:
    result = run_cli(["migrate"], {"TENANTRY_PUBLIC_URL": "https://auth.example.com"})
    assert result.returncode != 0
    assert "TENANTRY_SECRET_KEY" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr, "the message says how to make a key"


def test_start_up_refuses_plain_http_on_a_public_host() -> None:
    result = run_cli(
        ["migrate"], {"TENANTRY_PUBLIC_URL": "http://auth.example.com", "TENANTRY_SECRET_KEY": "x" * 40}
    )
    assert result.returncode != 0
    assert "https" in result.stderr


def test_demo_command_seeds_and_answers_ready(backend: Backend) -> None:
    port = free_port()
    env = tenantry_env(
        {
            "TENANTRY_DATABASE_URL": f"sqlite:///{backend.workdir}/demo-{port}.sqlite3",
            "TENANTRY_PUBLIC_URL": f"http://localhost:{port}",
        }
    )
    from pathlib import Path

    log = Path(backend.workdir) / f"demo-{port}.log"
    process = start_process(["demo", "--port", str(port), "--log-level", "warning"], env, log)
    try:
        deadline = time.monotonic() + 60
        ready = None
        while time.monotonic() < deadline and ready is None:
            try:
                response = httpx.get(f"http://localhost:{port}/health/ready", timeout=2)
                ready = response if response.status_code == 200 else None
            except httpx.HTTPError:
                time.sleep(0.3)
        assert ready is not None, log.read_text()
        home = httpx.get(f"http://localhost:{port}/demo/")
        assert 'data-testid="demo-sign-in"' in home.text
        printed = log.read_text()
        assert "ada@acme-coffee.example.com" in printed
        assert f"http://localhost:{port}/demo/" in printed
    finally:
        process.terminate()
        process.wait(timeout=10)


def _release_env(backend: Backend, name: str) -> dict[str, str]:
    """A fresh database with auto-migration off, as the release step in docs/operations.md runs it."""
    return {
        "TENANTRY_DATABASE_URL": f"sqlite:///{backend.workdir}/{name}-{free_port()}.sqlite3",
        "TENANTRY_SECRET_KEY": SECRET_KEY,
        "TENANTRY_AUTO_MIGRATE": "false",
    }


def test_migrate_migrates_a_fresh_database_even_when_auto_migrate_is_off(backend: Backend) -> None:
    env = _release_env(backend, "release")
    migrated = run_cli(["migrate"], env)
    assert migrated.returncode == 0, migrated.stderr
    assert "Database migrated" in migrated.stdout
    server = start_server(env, backend.workdir, name="release-serve")
    try:
        assert httpx.get(f"{server.url}/.well-known/openid-configuration").status_code == 200
    finally:
        server.stop()


def test_serve_refuses_an_unmigrated_database_in_one_line_when_auto_migrate_is_off(
    backend: Backend,
) -> None:
    env = _release_env(backend, "unmigrated")
    refused = run_cli(["serve", "--port", str(free_port())], env)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [refused.stderr.strip()], (
        f"one line, not a traceback:\n{refused.stderr}"
    )
    assert "TENANTRY_AUTO_MIGRATE is false; run `tenantry migrate` first" in refused.stderr
    worker = run_cli(["organizations", "create", "--name", "Too Early"], env)
    assert worker.returncode == 2, "admin commands refuse the same way instead of failing on a missing table"
    assert "run `tenantry migrate` first" in worker.stderr


def test_connections_are_created_listed_and_toggled_from_the_cli_with_the_portals_rules(
    backend: Backend, server: ServerProcess
) -> None:
    org = json.loads(
        cli(backend, "organizations", "create", "--name", "CLI SSO", "--feature", "sso", "--json").stdout
    )
    made = cli(backend, "connections", "create", "--organization", org["id"], "--provider", "okta", "--json")
    assert made.returncode == 0, made.stderr
    connection = json.loads(made.stdout)
    assert (connection["name"], connection["protocol"], connection["status"]) == ("Okta", "saml", "draft")
    listed = json.loads(cli(backend, "connections", "list", "--organization", org["id"], "--json").stdout)
    assert [row["id"] for row in listed["connections"]] == [connection["id"]]
    untested = cli(backend, "connections", "enable", connection["id"], "--json")
    assert untested.returncode == 2
    assert json.loads(untested.stderr)["error"] == "not_tested"
    disabled = json.loads(cli(backend, "connections", "disable", connection["id"], "--json").stdout)
    assert disabled["status"] == "disabled"
    mismatch = cli(
        backend, "connections", "create", "--organization", org["id"], "--provider", "generic_oidc",
        "--protocol", "saml",
    )  # fmt: skip
    assert mismatch.returncode == 2 and "OIDC" in mismatch.stderr
    no_sso = json.loads(cli(backend, "organizations", "create", "--name", "CLI no SSO", "--json").stdout)
    refused = cli(backend, "connections", "list", "--organization", no_sso["id"])
    assert refused.returncode == 2 and "not enabled" in refused.stderr


def test_directories_are_created_with_a_token_shown_once_and_listed_from_the_cli(
    backend: Backend, server: ServerProcess
) -> None:
    org = json.loads(
        cli(backend, "organizations", "create", "--name", "CLI SCIM", "--feature", "scim", "--json").stdout
    )
    made = cli(
        backend, "directories", "create", "--organization", org["id"], "--provider", "entra_id", "--json"
    )
    assert made.returncode == 0, made.stderr
    directory = json.loads(made.stdout)
    assert (directory["name"], directory["provider"], directory["has_token"]) == (
        "Microsoft Entra ID",
        "entra_id",
        True,
    )
    assert directory["token"].startswith("scim_") and directory["token_hint"] == directory["token"][-4:]
    assert directory["scim_base_url"].endswith(f"/scim/v2/{directory['id']}")
    listed = json.loads(cli(backend, "directories", "list", "--organization", org["id"], "--json").stdout)
    assert [row["id"] for row in listed["directories"]] == [directory["id"]]
    assert "token" not in listed["directories"][0]
    assert directory["token"] not in json.dumps(listed)
    people = cli(backend, "directories", "create", "--organization", org["id"], "--provider", "okta")
    assert people.returncode == 0 and "shown this once" in people.stdout
    no_scim = json.loads(cli(backend, "organizations", "create", "--name", "CLI no SCIM", "--json").stdout)
    refused = cli(backend, "directories", "list", "--organization", no_scim["id"])
    assert refused.returncode == 2 and "not enabled" in refused.stderr
    bad_name = cli(
        backend, "directories", "create", "--organization", org["id"], "--provider", "okta",
        "--name", "two\nlines", "--json",
    )  # fmt: skip
    assert bad_name.returncode == 2 and json.loads(bad_name.stderr)["error"] == "invalid_input"
