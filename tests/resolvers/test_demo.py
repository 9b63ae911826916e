"""`tenantry demo` seeds once by stable ids: starting it again keeps what people changed since."""

import sqlite3
import time
from pathlib import Path

import httpx

from tests.support.server import free_port, start_process, tenantry_env


def start_demo_and_stop(database: Path, log: Path) -> None:
    """Run `tenantry demo` until it answers ready (the seed is done), then stop it."""
    port = free_port()
    env = tenantry_env(
        {"TENANTRY_DATABASE_URL": f"sqlite:///{database}", "TENANTRY_PUBLIC_URL": f"http://localhost:{port}"}
    )
    process = start_process(["demo", "--port", str(port), "--log-level", "warning"], env, log)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            try:
                if httpx.get(f"http://localhost:{port}/health/ready", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"the demo did not become ready:\n{log.read_text()}")
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_starting_the_demo_again_keeps_a_renamed_organization_a_removed_member_and_the_branding(
    tmp_path: Path,
) -> None:
    database = tmp_path / "demo.sqlite3"
    start_demo_and_stop(database, tmp_path / "first.log")
    with sqlite3.connect(database) as db:
        db.execute("UPDATE organization SET name = 'Acme Roasters' WHERE name = 'Acme Coffee'")
        db.execute(
            "DELETE FROM membership WHERE user IN "
            "(SELECT id FROM tenantry_user WHERE email = 'max@acme-coffee.example.com')"
        )
        db.execute("UPDATE environment_settings SET app_name = 'Roastery'")
    start_demo_and_stop(database, tmp_path / "second.log")
    with sqlite3.connect(database) as db:
        organizations = [name for (name,) in db.execute("SELECT name FROM organization ORDER BY name")]
        members = db.execute("SELECT count(*) FROM membership").fetchone()[0]
        app_name = db.execute("SELECT app_name FROM environment_settings").fetchone()[0]
        applications = db.execute("SELECT count(*) FROM application WHERE id = 'app_coffeedesk'").fetchone()[
            0
        ]
    assert organizations == ["Acme Roasters"], "no second Acme Coffee"
    assert members == 1, "the removed member stays removed"
    assert (app_name, applications) == ("Roastery", 1)
