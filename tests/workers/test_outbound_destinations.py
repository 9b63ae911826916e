"""Server-side request forgery: where private networks are refused (production's default), webhook
URLs and back-channel logout URIs cannot reach loopback, private or link-local addresses, neither
written as an IP nor through a name that resolves to one when the request is sent."""

import ipaddress
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest

from host.settings import load_settings
from resolvers.applications import create_application
from resolvers.errors import InvalidInput
from resolvers.outbound_destinations import is_public_address, private_destination_problem
from resolvers.outbound_http import PrivateDestinationRefused, post
from resolvers.principal import SystemPrincipal
from resolvers.webhook_endpoints import create_endpoint
from tests.conftest import SECRET_KEY
from tests.support.factories import run
from tests.support.receiver import Receiver
from tests.support.server import run_cli, start_server

PRIVATE_URLS = [
    "http://hooks.example.com/in",  # plain http: refused outright
    "https://10.0.0.5/in",
    "https://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
    "https://127.0.0.1:8443/in",
    "https://100.64.0.1/in",  # carrier-grade NAT
    "https://0.0.0.0/in",
    "https://224.0.0.1/in",  # multicast
    "https://[::1]/in",
    "https://[fd00::1]/in",  # unique-local
    "https://[fe80::1]/in",
    "https://[::ffff:10.0.0.5]/in",  # IPv4-mapped
    "https://[64:ff9b::a9fe:a9fe]/in",  # NAT64 of 169.254.169.254
]


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether production settings (as `tenantry serve` would load them) allow private networks."""
    monkeypatch.setenv("TENANTRY_PUBLIC_URL", "https://auth.example.com")
    monkeypatch.setenv("TENANTRY_SECRET_KEY", SECRET_KEY)
    monkeypatch.delenv("TENANTRY_OUTBOUND_PRIVATE_NETWORKS", raising=False)
    return load_settings().deployment().allows_private_networks


def test_private_networks_are_refused_in_production_and_allowed_in_development(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TENANTRY_SECRET_KEY", SECRET_KEY)
    monkeypatch.delenv("TENANTRY_OUTBOUND_PRIVATE_NETWORKS", raising=False)
    cases = [
        ("https://auth.example.com", None, False),
        ("https://auth.example.com", "true", True),  # an operator with internal receivers opts in
        ("http://localhost:8000", None, True),
        ("http://localhost:8000", "0", False),
    ]
    for public_url, flag, allowed in cases:
        monkeypatch.setenv("TENANTRY_PUBLIC_URL", public_url)
        if flag is not None:
            monkeypatch.setenv("TENANTRY_OUTBOUND_PRIVATE_NETWORKS", flag)
        settings = load_settings()
        assert settings.outbound_private_networks is allowed, (public_url, flag)
        assert settings.deployment().allows_private_networks is allowed, (public_url, flag)
        monkeypatch.delenv("TENANTRY_OUTBOUND_PRIVATE_NETWORKS", raising=False)


def test_only_globally_routable_unicast_addresses_are_public() -> None:
    public = ["8.8.8.8", "93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]
    private = [
        *("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1"),
        *("0.0.0.0", "224.0.0.1", "255.255.255.255", "240.0.0.1", "::", "::1", "fd00::1", "fe80::1"),  # noqa: S104
        *("fec0::1", "ff02::1", "::ffff:127.0.0.1", "2002:a00:1::1", "64:ff9b::7f00:1"),
    ]
    assert [a for a in public if not is_public_address(ipaddress.ip_address(a))] == []
    assert [a for a in private if is_public_address(ipaddress.ip_address(a))] == []
    assert private_destination_problem("https://hooks.example.com/in") is None
    assert private_destination_problem("https://8.8.8.8/in") is None


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_a_webhook_url_into_a_private_network_is_refused_with_the_field_named(
    production: bool, url: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        run(
            create_endpoint(
                SystemPrincipal("test"),
                SECRET_KEY,
                url=url,
                event_types=["user.created"],
                private_networks=production,
            )
        )
    assert refused.value.details == {"field": "url"}
    assert refused.value.message.startswith("The webhook URL ")
    assert "https" in refused.value.message or "not a public internet address" in refused.value.message


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_a_backchannel_logout_uri_into_a_private_network_is_refused(production: bool, url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        run(
            create_application(
                SystemPrincipal("test"),
                name="Probe",
                redirect_uris=["https://app.example.com/callback"],
                backchannel_logout_uri=url,
                private_networks=production,
            )
        )
    assert refused.value.message.startswith(f"backchannel_logout_uri: {url!r} ")


def test_a_name_resolving_to_loopback_is_refused_at_send_time_unless_private_networks_are_allowed(
    receiver: Receiver,
) -> None:
    """`localhost` passes registration (only IP literals are judged there); the send resolves it."""
    for url in (f"http://localhost:{receiver.port}/in", f"{receiver.url}/in"):
        with pytest.raises(PrivateDestinationRefused) as refused:
            run(post(url, private_networks=False, headers={}, content=b"{}"))
        assert "not a public internet address" in str(refused.value)
    assert receiver.arrivals == 0, "refused before connecting: no byte reached the receiver"

    answer = run(post(f"{receiver.url}/in", private_networks=True, headers={}, content=b"{}"))
    assert (answer.status, answer.text, receiver.arrivals) == (200, "ok", 1)


def test_a_server_refusing_private_networks_logs_the_refused_send_as_a_failed_attempt(
    tmp_path: Path, receiver: Receiver
) -> None:
    database = tmp_path / "no-private-networks.sqlite3"
    server = start_server(
        {
            "TENANTRY_DATABASE_URL": f"sqlite:///{database}",
            "TENANTRY_SECRET_KEY": SECRET_KEY,
            "TENANTRY_OUTBOUND_PRIVATE_NETWORKS": "false",
        },
        str(tmp_path),
        name="no-private-networks",
    )
    try:
        refused = run_cli(["webhooks", "create", "--url", f"{receiver.url}/in", "--json"], server.env)
        assert refused.returncode == 2 and "must use https" in refused.stderr, refused.stderr
        refused = run_cli(
            ["webhooks", "create", "--url", "https://169.254.169.254/latest", "--json"], server.env
        )
        assert refused.returncode == 2 and "not a public internet address" in refused.stderr, refused.stderr

        hook = f"https://localhost:{receiver.port}/in"
        created = run_cli(
            ["webhooks", "create", "--url", hook, "--event", "organization.created"], server.env
        )
        assert created.returncode == 0, created.stderr
        made = run_cli(["organizations", "create", "--name", "Probing Inc"], server.env)
        assert made.returncode == 0, made.stderr

        ((status, error),) = _attempts(database, timeout=20)
        assert status is None, "no answer: the connection was never made"
        assert error.startswith("refused to connect to localhost (")  # 127.0.0.1 or ::1
        assert error.endswith(
            "): not a public internet address "
            "(private networks are refused; see TENANTRY_OUTBOUND_PRIVATE_NETWORKS)"
        )
        assert receiver.arrivals == 0
    finally:
        server.stop()


def _attempts(database: Path, timeout: float) -> list[tuple[int | None, str]]:
    """The webhook attempts the server recorded, read straight from its SQLite file."""
    deadline = time.monotonic() + timeout
    while True:
        with closing(sqlite3.connect(database, timeout=5)) as connection:
            rows = connection.execute("SELECT response_status, error FROM webhook_attempt").fetchall()
        if rows or time.monotonic() > deadline:
            return [(status, error) for status, error in rows]
        time.sleep(0.3)
