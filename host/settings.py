"""Typed settings, read once from the environment and validated at start-up."""

import os
from dataclasses import dataclass, field
from urllib.parse import urlparse

from db.engine import DEFAULT_DATABASE_URL
from host import setting_values as read
from host.setting_values import InvalidSetting, UnsafeSettings
from resolvers.deployment import Deployment
from resolvers.dns_txt import parse_nameservers
from workers.context import JobContext

DEVELOPMENT_SECRET_KEY = "tenantry-development-secret-key-do-not-use-in-production"  # noqa: S105
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


__all__ = ["GraphQLLimits", "InvalidSetting", "Settings", "UnsafeSettings", "load_settings"]


def _nameservers(value: str) -> tuple[str, ...]:
    """TENANTRY_DNS_NAMESERVERS: comma-separated `address[:port]`; empty uses the system resolver."""
    try:
        return parse_nameservers(value)
    except ValueError as error:
        raise UnsafeSettings(f"TENANTRY_DNS_NAMESERVERS: {error}.") from error


@dataclass(frozen=True, slots=True)
class GraphQLLimits:
    """Per minute, per caller kind: /graphql requests, and the summed cost of those requests."""

    requests_per_person: int = 600
    requests_per_client: int = 3_000
    requests_per_address: int = 60
    cost_per_person: int = 60_000
    cost_per_client: int = 300_000
    cost_per_address: int = 10_000


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    public_url: str
    secret_key: str
    redis_url: str | None
    smtp_url: str | None
    mail_from: str
    demo: bool
    auto_migrate: bool
    trusted_proxies: frozenset[str]
    extra_hosts: tuple[str, ...]
    sign_in_emails_per_address: int
    sign_in_requests_per_ip: int
    token_failed_auth_per_ip: int
    token_failed_auth_per_client: int
    token_invalid_grant_per_ip: int
    frontend_dist: str
    dns_nameservers: tuple[str, ...] = ()
    outbound_private_networks: bool = False  # webhooks, back-channel logout: loopback and private IPs
    listen_host: str = "127.0.0.1"  # `serve` and `demo` without --host
    listen_port: int = 8000  # `serve` and `demo` without --port
    graphql_limits: GraphQLLimits = field(default_factory=GraphQLLimits)
    test_clock_file: str | None = None  # TENANTRY_TEST_CLOCK_FILE: tests move this process's clock

    @property
    def is_local(self) -> bool:
        return urlparse(self.public_url).hostname in LOCAL_HOSTS

    @property
    def secure_cookies(self) -> bool:
        return urlparse(self.public_url).scheme == "https"

    @property
    def allowed_hosts(self) -> list[str]:
        host = urlparse(self.public_url).hostname or "localhost"
        hosts = {host, *self.extra_hosts}
        if host in LOCAL_HOSTS:
            hosts |= LOCAL_HOSTS
        return sorted(hosts)

    def deployment(self) -> Deployment:
        return Deployment(
            public_url=self.public_url.rstrip("/"),
            secret_key=self.secret_key,
            dns_nameservers=self.dns_nameservers,
            outbound_private_networks=self.outbound_private_networks,
        )

    def job_context(self) -> JobContext:
        return JobContext(
            deployment=self.deployment(),
            database_url=self.database_url,
            smtp_url=self.smtp_url,
            mail_from=self.mail_from,
        )


def load_settings() -> Settings:
    """Read and check every TENANTRY_* variable; a wrong one raises InvalidSetting naming it."""
    default_dist = os.path.join(os.path.dirname(os.path.dirname(__file__)), "frontend", "dist")
    public_url = read.public_url("TENANTRY_PUBLIC_URL", "http://localhost:8000")
    development = urlparse(public_url).hostname in LOCAL_HOSTS
    settings = Settings(
        database_url=read.database_url("TENANTRY_DATABASE_URL", DEFAULT_DATABASE_URL),
        public_url=public_url,
        secret_key=read.text("TENANTRY_SECRET_KEY", DEVELOPMENT_SECRET_KEY),
        redis_url=read.redis_url("TENANTRY_REDIS_URL"),
        smtp_url=read.smtp_url("TENANTRY_SMTP_URL"),
        mail_from=read.mail_from("TENANTRY_MAIL_FROM", "Tenantry <no-reply@localhost>"),
        demo=read.flag("TENANTRY_DEMO", default=False),
        auto_migrate=read.flag("TENANTRY_AUTO_MIGRATE", default=True),
        trusted_proxies=read.ip_addresses("TENANTRY_TRUSTED_PROXIES"),
        extra_hosts=read.host_names("TENANTRY_ALLOWED_HOSTS"),
        sign_in_emails_per_address=read.positive_int("TENANTRY_RATE_SIGN_IN_PER_EMAIL", 5, "5"),
        sign_in_requests_per_ip=read.positive_int("TENANTRY_RATE_SIGN_IN_PER_IP", 30, "30"),
        token_failed_auth_per_ip=read.positive_int("TENANTRY_RATE_TOKEN_FAILED_AUTH_PER_IP", 30, "30"),
        token_failed_auth_per_client=read.positive_int(
            "TENANTRY_RATE_TOKEN_FAILED_AUTH_PER_CLIENT", 100, "100"
        ),
        token_invalid_grant_per_ip=read.positive_int("TENANTRY_RATE_TOKEN_INVALID_GRANT_PER_IP", 60, "60"),
        frontend_dist=read.folder("TENANTRY_FRONTEND_DIST", default_dist),
        dns_nameservers=_nameservers(os.environ.get("TENANTRY_DNS_NAMESERVERS", "")),
        outbound_private_networks=read.flag("TENANTRY_OUTBOUND_PRIVATE_NETWORKS", default=development),
        listen_host=read.text("TENANTRY_HOST", "127.0.0.1"),
        listen_port=read.port("TENANTRY_PORT", 8000),
        graphql_limits=_graphql_limits(),
        test_clock_file=read.text("TENANTRY_TEST_CLOCK_FILE", "") or None,
    )
    check_settings(settings)
    return settings


def _graphql_limits() -> GraphQLLimits:
    """TENANTRY_RATE_GRAPHQL_PER_{PERSON,CLIENT,ADDRESS} and TENANTRY_GRAPHQL_COST_PER_…, per minute."""
    default = GraphQLLimits()

    def limit(name: str, value: int) -> int:
        return read.positive_int(name, value, str(value))

    return GraphQLLimits(
        requests_per_person=limit("TENANTRY_RATE_GRAPHQL_PER_PERSON", default.requests_per_person),
        requests_per_client=limit("TENANTRY_RATE_GRAPHQL_PER_CLIENT", default.requests_per_client),
        requests_per_address=limit("TENANTRY_RATE_GRAPHQL_PER_ADDRESS", default.requests_per_address),
        cost_per_person=limit("TENANTRY_GRAPHQL_COST_PER_PERSON", default.cost_per_person),
        cost_per_client=limit("TENANTRY_GRAPHQL_COST_PER_CLIENT", default.cost_per_client),
        cost_per_address=limit("TENANTRY_GRAPHQL_COST_PER_ADDRESS", default.cost_per_address),
    )


def check_settings(settings: Settings) -> None:
    parsed = urlparse(settings.public_url)
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        raise UnsafeSettings(
            f"TENANTRY_PUBLIC_URL={settings.public_url!r} is not a URL; set it to the address "
            "users open, such as https://auth.example.com"
        )
    if settings.is_local:
        return
    if settings.secret_key == DEVELOPMENT_SECRET_KEY:
        raise UnsafeSettings(
            "TENANTRY_SECRET_KEY is the development key but TENANTRY_PUBLIC_URL is public "
            f"({settings.public_url}). Set TENANTRY_SECRET_KEY to a random value of at least 32 "
            "characters, for example: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    if len(settings.secret_key) < 32:
        raise UnsafeSettings("TENANTRY_SECRET_KEY must be at least 32 characters long.")
    if parsed.scheme != "https":
        raise UnsafeSettings(
            f"TENANTRY_PUBLIC_URL={settings.public_url} uses http on a public host; "
            "serve Tenantry over https (cookies and tokens would travel in clear text)."
        )
