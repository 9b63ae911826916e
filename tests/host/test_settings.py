"""Start-up settings as an operator gets them wrong: one line naming the variable, exit code 2, no traceback."""

import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support.backend import POSTGRES_ADMIN_URL
from tests.support.server import free_port, run_cli

CLOSED_PORT = free_port()
MISSING = "{missing}"  # replaced by a folder under the test's tmp_path that is never created
ADMIN = urlsplit(POSTGRES_ADMIN_URL)
POSTGRES = f"postgresql://{ADMIN.username}@{ADMIN.hostname}:{ADMIN.port or 5432}"
STRANGER = f"postgresql://nobody:wrong@{ADMIN.hostname}:{ADMIN.port or 5432}/test"

MISTAKES = [
    ("TENANTRY_DATABASE_URL", "mysql://tenantry@db/tenantry", "mysql://"),
    ("TENANTRY_DATABASE_URL", "notaurl", "is not a"),
    ("TENANTRY_DATABASE_URL", f"sqlite:///{MISSING}/x.sqlite3", "does not exist"),
    ("TENANTRY_DATABASE_URL", f"postgresql://postgres@127.0.0.1:{CLOSED_PORT}/tenantry", "cannot be used"),
    (
        "TENANTRY_DATABASE_URL",
        f"{POSTGRES}/tenantry_no_such_database",
        'database "tenantry_no_such_database"',
    ),
    ("TENANTRY_DATABASE_URL", STRANGER, 'role "nobody"'),
    ("TENANTRY_REDIS_URL", "localhost:6379", "redis://"),
    ("TENANTRY_REDIS_URL", "redis://localhost:notaport", "is not a valid URL"),
    ("TENANTRY_SMTP_URL", "http://mail.example.com", "smtp://"),
    ("TENANTRY_AUTO_MIGRATE", "maybe", "is not true or false"),
    ("TENANTRY_DEMO", "sure", "is not true or false"),
    ("TENANTRY_TRUSTED_PROXIES", "127.0.0.1,not-an-ip", "is not an IP address"),
    ("TENANTRY_OUTBOUND_PRIVATE_NETWORKS", "yes-please", "is not true or false"),
    ("TENANTRY_ALLOWED_HOSTS", "https://auth.example.com/", "is not a host name"),
    ("TENANTRY_PUBLIC_URL", "auth.example.com", "http://"),
    ("TENANTRY_MAIL_FROM", "Tenantry", "is not an email address"),
    ("TENANTRY_RATE_SIGN_IN_PER_EMAIL", "-3", "at least 1"),
    ("TENANTRY_RATE_TOKEN_FAILED_AUTH_PER_IP", "0", "at least 1"),
    ("TENANTRY_RATE_TOKEN_FAILED_AUTH_PER_CLIENT", "many", "at least 1"),
    ("TENANTRY_RATE_TOKEN_INVALID_GRANT_PER_IP", "-1", "at least 1"),
    ("TENANTRY_RATE_GRAPHQL_PER_PERSON", "0", "at least 1"),
    ("TENANTRY_GRAPHQL_COST_PER_ADDRESS", "lots", "at least 1"),
    ("TENANTRY_PORT", "eighty", "whole number"),
    ("TENANTRY_FRONTEND_DIST", MISSING, "is not an existing folder"),
]


@pytest.mark.parametrize(("variable", "value", "problem"), MISTAKES)
def test_a_wrong_setting_stops_serve_with_one_line_naming_the_variable_and_a_right_example(
    variable: str, value: str, problem: str, tmp_path: Path
) -> None:
    if value.startswith((POSTGRES, STRANGER)) and not _postgres_reachable():
        pytest.skip(f"PostgreSQL is not running at {ADMIN.hostname}:{ADMIN.port or 5432}")
    missing_folder = tmp_path / "missing-folder"
    value = value.replace(MISSING, str(missing_folder))
    env = {"TENANTRY_DATABASE_URL": f"sqlite:///{tmp_path}/tenantry.sqlite3", variable: value}
    result = run_cli(["serve", "--port", str(free_port())], env)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert variable in lines[0] and problem in lines[0] and "for example" in lines[0], lines[0]
    assert "wrong@" not in lines[0], "a password never reaches the terminal"
    assert not missing_folder.exists(), "a missing folder is refused, never created"


def test_a_sqlite_path_in_a_missing_folder_is_not_created(tmp_path: Path) -> None:
    folder = tmp_path / "missing"
    result = run_cli(["migrate"], {"TENANTRY_DATABASE_URL": f"sqlite:///{folder}/tenantry.sqlite3"})
    assert result.returncode == 2
    assert not folder.exists()


def _postgres_reachable() -> bool:
    try:
        with socket.create_connection((ADMIN.hostname or "127.0.0.1", ADMIN.port or 5432), timeout=2):
            return True
    except OSError:
        return False
