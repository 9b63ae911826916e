"""Expected failures of mutations, as union members with a stable code (errors stay for the unexpected).

Each concept module puts the ones its mutations may answer into its result unions; the table in
schema/error_table.py says which resolver refusal becomes which.
"""

import strawberry

from resolvers.errors import DomainError
from schema.types import InvitationStatus


@strawberry.interface
class Problem:
    code: str
    message: str


@strawberry.type
class LastAdmin(Problem):
    pass


@strawberry.type
class RoleNotGrantable(Problem):
    missing_permissions: list[str]


@strawberry.type(
    description="The member's or invitation's current role has permissions the viewer lacks: "
    "only someone who holds them all may change, remove, revoke or resend it."
)
class RoleOutranksYou(Problem):
    missing_permissions: list[str]


def _missing(error: DomainError) -> list[str]:
    missing = error.details.get("missing", [])
    return [str(key) for key in missing] if isinstance(missing, list) else []


def role_not_grantable(error: DomainError) -> RoleNotGrantable:
    return RoleNotGrantable(
        code="ROLE_NOT_GRANTABLE", message=error.message, missing_permissions=_missing(error)
    )


def role_outranks_you(error: DomainError) -> RoleOutranksYou:
    return RoleOutranksYou(
        code="ROLE_OUTRANKS_YOU", message=error.message, missing_permissions=_missing(error)
    )


def last_admin(error: DomainError) -> LastAdmin:
    return LastAdmin(code="LAST_ADMIN", message=error.message)


@strawberry.type
class InvalidDomain(Problem):
    domain: str


def invalid_domain(error: DomainError) -> InvalidDomain:
    return InvalidDomain(
        code=error.code.upper(), message=error.message, domain=str(error.details.get("domain", ""))
    )


def invalid_allowed_email_domain(error: DomainError) -> InvalidDomain:
    """An allowed email domain refused for any reason (a claimed one too) reads as INVALID_DOMAIN."""
    return InvalidDomain(
        code="INVALID_DOMAIN", message=error.message, domain=str(error.details.get("domain", ""))
    )


@strawberry.type
class InvalidInput(Problem):
    field: str | None


def invalid_input(error: DomainError) -> InvalidInput:
    field = error.details.get("field")
    return InvalidInput(code="INVALID_INPUT", message=error.message, field=str(field) if field else None)


@strawberry.type(description="The invitation was already accepted or revoked: nothing to resend or revoke.")
class InvitationNotPending(Problem):
    status: InvitationStatus


def invitation_not_pending(error: DomainError) -> InvitationNotPending:
    return InvitationNotPending(
        code="INVITATION_NOT_PENDING",
        message=error.message,
        status=InvitationStatus(str(error.details.get("status", "revoked"))),
    )


@strawberry.type(
    description="The invitation was sent again as often as a day allows; its last link still works."
)
class ResendLimitReached(Problem):
    limit: int = strawberry.field(description="Resends allowed per invitation in 24 hours.")


def resend_limit_reached(error: DomainError) -> ResendLimitReached:
    limit = error.details.get("limit")
    return ResendLimitReached(
        code="RESEND_LIMIT_REACHED", message=error.message, limit=limit if isinstance(limit, int) else 0
    )


@strawberry.type
class ReauthenticationRequired(Problem):
    """The session signed in too long ago for this change: sign in again, or confirm with a passkey."""

    max_age_seconds: int


def reauthentication_required(error: DomainError) -> ReauthenticationRequired:
    max_age = error.details.get("max_age_seconds")
    return ReauthenticationRequired(
        code="REAUTHENTICATION_REQUIRED",
        message=error.message,
        max_age_seconds=max_age if isinstance(max_age, int) else 0,
    )


@strawberry.type
class PasskeyRejected(Problem):
    pass


def passkey_rejected(error: DomainError) -> PasskeyRejected:
    """PASSKEY_REJECTED, or EXPIRED_CHALLENGE: start the ceremony again."""
    return PasskeyRejected(code=error.code.upper(), message=error.message)


@strawberry.type(description="Enabling needs a successful test with the connection's current settings.")
class NotTested(Problem):
    pass


def not_tested(error: DomainError) -> NotTested:
    return NotTested(code="NOT_TESTED", message=error.message)


@strawberry.type(description="Every signing certificate of the IdP has expired; the message says since when.")
class CertificateExpired(Problem):
    pass


def certificate_expired(error: DomainError) -> CertificateExpired:
    return CertificateExpired(code="CERTIFICATE_EXPIRED", message=error.message)


@strawberry.type(description="The IdP's metadata or settings cannot be used; the message says why.")
class MetadataInvalid(Problem):
    pass


def metadata_invalid(error: DomainError) -> MetadataInvalid:
    return MetadataInvalid(code="METADATA_INVALID", message=error.message)


@strawberry.type(
    description="The OIDC issuer's discovery document could not be fetched or names another issuer; "
    "the message says what failed."
)
class DiscoveryFailed(Problem):
    pass


def discovery_failed(error: DomainError) -> DiscoveryFailed:
    return DiscoveryFailed(code="DISCOVERY_FAILED", message=error.message)


@strawberry.type(
    description="A SCIM directory's group mapping sets this member's role: change the mapping, or the "
    "person's groups in the identity provider."
)
class RoleManagedByDirectory(Problem):
    directory_id: strawberry.ID
    directory_name: str


def role_managed_by_directory(error: DomainError) -> RoleManagedByDirectory:
    return RoleManagedByDirectory(
        code="ROLE_MANAGED_BY_DIRECTORY",
        message=error.message,
        directory_id=strawberry.ID(str(error.details.get("directory_id", ""))),
        directory_name=str(error.details.get("directory_name", "")),
    )
