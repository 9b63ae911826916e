"""Who is acting: every resolver that changes or reveals data takes one and checks it."""

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class UserPrincipal:
    """A signed-in person acting in one organization with that membership's permissions."""

    user_id: str
    session_id: str | None = None
    organization_id: str | None = None
    permissions: frozenset[str] = field(default_factory=frozenset)
    # True only for Tenantry's own portal (session cookie + CSRF header). An app holding the
    # person's access token is not the person: it may not touch their passkeys or sessions.
    portal: bool = False
    # A widget token (resolvers/widget_tokens.py): the most the permissions may be, whatever the
    # role; kept when the permissions are read again (memberships.as_it_stands).
    ceiling: frozenset[str] | None = None
    # A widget token: the widgets it opens (widget_tokens.Widget values), and the application that
    # minted it (audited with what it does). None for every other way of acting as the person.
    widgets: frozenset[str] | None = None
    via_application: str | None = None


@dataclass(frozen=True, slots=True)
class ClientPrincipal:
    """An integrator's application acting with a client_credentials token."""

    application_id: str
    scopes: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class SystemPrincipal:
    """Tenantry itself or its operator (CLI, jobs, demo seeding)."""

    reason: str = "system"


@dataclass(frozen=True, slots=True)
class DirectoryPrincipal:
    """An organization's identity provider pushing people over SCIM with a directory's token: it
    acts on that directory's users and groups only (the provisioning resolvers check it)."""

    directory_id: str
    organization_id: str


Principal = UserPrincipal | ClientPrincipal | SystemPrincipal | DirectoryPrincipal
