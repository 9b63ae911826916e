"""The identity providers a connection can be set up for, and the protocol each speaks."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class IdentityProvider:
    key: str
    name: str  # as the provider calls itself, for the widget and default connection names
    protocol: str  # saml | oidc


PROVIDERS: dict[str, IdentityProvider] = {
    provider.key: provider
    for provider in (
        IdentityProvider("okta", "Okta", "saml"),
        IdentityProvider("entra_id", "Microsoft Entra ID", "saml"),
        IdentityProvider("google_workspace", "Google Workspace", "saml"),
        IdentityProvider("onelogin", "OneLogin", "saml"),
        IdentityProvider("jumpcloud", "JumpCloud", "saml"),
        IdentityProvider("ping", "Ping Identity", "saml"),
        IdentityProvider("adfs", "AD FS", "saml"),
        IdentityProvider("generic_saml", "SAML 2.0", "saml"),
        IdentityProvider("generic_oidc", "OpenID Connect", "oidc"),
    )
}
PROTOCOLS = ("saml", "oidc")


def provider_protocols(key: str) -> tuple[str, ...]:
    """Okta, Entra ID and the other named providers speak SAML and OIDC alike; the generic ones one."""
    provider = PROVIDERS[key]
    if provider.key in {"generic_saml", "generic_oidc"}:
        return (provider.protocol,)
    return PROTOCOLS
