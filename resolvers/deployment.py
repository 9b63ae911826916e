"""What the domain needs to know about this deployment, handed in by the host at start-up."""

from dataclasses import dataclass
from urllib.parse import urlparse


@dataclass(frozen=True, slots=True)
class Deployment:
    """Issuer URL and secret key; resolvers receive it instead of reading the environment."""

    public_url: str
    secret_key: str
    id_token_seconds: int = 3600
    authorization_code_seconds: int = 60
    sign_in_code_seconds: int = 600
    sign_in_code_attempts: int = 5
    dns_nameservers: tuple[str, ...] = ()  # "host[:port]" each; empty: the system resolver
    outbound_private_networks: bool | None = None  # None: allowed only when served on localhost

    @property
    def issuer(self) -> str:
        return self.public_url.rstrip("/")

    @property
    def is_local_http(self) -> bool:
        parsed = urlparse(self.public_url)
        return parsed.scheme == "http" and parsed.hostname in {"localhost", "127.0.0.1", "::1"}

    @property
    def allows_private_networks(self) -> bool:
        """Whether webhooks and back-channel logout may reach loopback and private addresses."""
        if self.outbound_private_networks is None:
            return self.is_local_http
        return self.outbound_private_networks
