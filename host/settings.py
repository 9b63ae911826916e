"""Typed settings, read once from the environment and validated at start-up."""

import os
from dataclasses import dataclass, field
from urllib.parse import urlparse

from db.engine import DEFAULT_DATABASE_URL
from resolvers.deployment import Deployment
from resolvers.dns_txt import parse_nameservers

DEVELOPMENT_SECRET_KEY = "tenantry-development-secret-key-do-not-use-in-production"  # noqa: S105
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


class UnsafeSettings(Exception):
    """A production setting that would put users at risk; the message says what to set."""


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _nameservers(value: str) -> tuple[str, ...]:
    """TENANTRY_DNS_NAMESERVERS: comma-separated `address[:port]`; empty uses the system resolver."""
    try:
        return parse_nameservers(value)
    except ValueError as error:
        raise UnsafeSettings(f"TENANTRY_DNS_NAMESERVERS: {error}.") from error


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
    token_requests_per_client: int
    frontend_dist: str
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    dns_nameservers: tuple[str, ...] = ()
    outbound_private_networks: bool = False  # webhooks, back-channel logout: loopback and private IPs

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


def load_settings() -> Settings:
    """Read TENANTRY_* variables; refuse unsafe production combinations with a plain message."""
    default_dist = os.path.join(os.path.dirname(os.path.dirname(__file__)), "frontend", "dist")
    public_url = os.environ.get("TENANTRY_PUBLIC_URL", "http://localhost:8000").rstrip("/")
    development = urlparse(public_url).hostname in LOCAL_HOSTS
    settings = Settings(
        database_url=os.environ.get("TENANTRY_DATABASE_URL", DEFAULT_DATABASE_URL),
        public_url=public_url,
        secret_key=os.environ.get("TENANTRY_SECRET_KEY", DEVELOPMENT_SECRET_KEY),
        redis_url=os.environ.get("TENANTRY_REDIS_URL") or None,
        smtp_url=os.environ.get("TENANTRY_SMTP_URL") or None,
        mail_from=os.environ.get("TENANTRY_MAIL_FROM", "Tenantry <no-reply@localhost>"),
        demo=_flag("TENANTRY_DEMO"),
        auto_migrate=_flag("TENANTRY_AUTO_MIGRATE", default=True),
        trusted_proxies=frozenset(
            p.strip() for p in os.environ.get("TENANTRY_TRUSTED_PROXIES", "").split(",") if p.strip()
        ),
        extra_hosts=tuple(
            h.strip() for h in os.environ.get("TENANTRY_ALLOWED_HOSTS", "").split(",") if h.strip()
        ),
        sign_in_emails_per_address=_int("TENANTRY_RATE_SIGN_IN_PER_EMAIL", 5),
        sign_in_requests_per_ip=_int("TENANTRY_RATE_SIGN_IN_PER_IP", 30),
        token_requests_per_client=_int("TENANTRY_RATE_TOKEN_PER_CLIENT", 600),
        frontend_dist=os.environ.get("TENANTRY_FRONTEND_DIST", default_dist),
        dns_nameservers=_nameservers(os.environ.get("TENANTRY_DNS_NAMESERVERS", "")),
        outbound_private_networks=_flag("TENANTRY_OUTBOUND_PRIVATE_NETWORKS", default=development),
    )
    check_settings(settings)
    return settings


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
