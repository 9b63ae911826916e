"""Types more than one concept shows: the person (User), the features, an invitation's status.

A type that belongs to one concept lives in that concept's module (schema/members.py, ...).
"""

from enum import Enum

import strawberry

from resolvers.users import UserRow


@strawberry.enum
class Feature(Enum):
    SSO = "sso"
    SCIM = "scim"
    DOMAIN_VERIFICATION = "domain_verification"
    SESSION_POLICY = "session_policy"


@strawberry.enum
class InvitationStatus(Enum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REVOKED = "revoked"
    EXPIRED = "expired"


@strawberry.type
class User:
    id: strawberry.ID
    email: str
    email_verified: bool
    first_name: str
    last_name: str

    @strawberry.field
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @classmethod
    def from_row(cls, row: UserRow) -> "User":
        return cls(
            id=strawberry.ID(row.id),
            email=row.email,
            email_verified=row.email_verified,
            first_name=row.first_name,
            last_name=row.last_name,
        )
