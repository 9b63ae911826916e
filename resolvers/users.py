"""Users: creation on first verified sign-in, lookup by email, and the claims they carry."""

from dataclasses import dataclass
from typing import Any

from db.ids import new_id
from db.transaction import transaction
from db.users import User
from resolvers import audit, events
from resolvers.clock import now
from resolvers.errors import Forbidden, InvalidInput
from resolvers.names import PERSON_NAME_MAX, clean_name
from resolvers.principal import UserPrincipal

PERSON_NAME_FIELDS = {"first_name": "A first name", "last_name": "A last name"}


def clean_person_name(value: str, field: str) -> str:
    """A first or last name: may be empty until the profile step asks for it."""
    what = PERSON_NAME_FIELDS.get(field, "A name")
    return clean_name(value, field=field, what=what, max_length=PERSON_NAME_MAX, required=False)


@dataclass(frozen=True, slots=True)
class UserRow:
    """A person as the domain reads them."""

    id: str
    email: str
    email_verified: bool
    first_name: str
    last_name: str

    @property
    def has_full_name(self) -> bool:
        """Both names given: until then, the profile step asks for them."""
        return bool(self.first_name and self.last_name)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "UserRow":
        return cls(
            id=str(row["id"]),
            email=str(row["email"]),
            email_verified=bool(row["email_verified"]),
            first_name=str(row["first_name"] or ""),
            last_name=str(row["last_name"] or ""),
        )


_USER_COLUMNS = (User.id, User.email, User.email_verified, User.first_name, User.last_name)


async def find_user_by_email(email: str) -> UserRow | None:
    row = await User.select(*_USER_COLUMNS).where(User.email == email).first()
    return UserRow.from_row(row) if row else None


async def find_user(user_id: str) -> UserRow | None:
    row = await User.select(*_USER_COLUMNS).where(User.id == user_id).first()
    return UserRow.from_row(row) if row else None


async def create_verified_user(
    email: str, first_name: str = "", last_name: str = "", *, user_id: str | None = None
) -> str:
    """A user whose email was just proven by a code; call inside a transaction."""
    moment = now()
    user_id = user_id or new_id("usr")
    await User.insert(
        User(
            id=user_id,
            email=email,
            email_verified=True,
            first_name=clean_person_name(first_name, "first_name"),
            last_name=clean_person_name(last_name, "last_name"),
            created_at=moment,
            updated_at=moment,
        )
    )
    return user_id


async def set_user_name(user_id: str, first_name: str, last_name: str) -> None:
    first = clean_person_name(first_name, "first_name")
    last = clean_person_name(last_name, "last_name")
    if not first or not last:
        raise InvalidInput("Enter both your first and last name.", field="name")
    await User.update({User.first_name: first, User.last_name: last, User.updated_at: now()}).where(
        User.id == user_id
    )


def profile_claims(user: UserRow) -> dict[str, Any]:
    """The OpenID Connect `profile` and `email` claims of a user row."""
    first, last = user.first_name, user.last_name
    return {
        "email": user.email,
        "email_verified": user.email_verified,
        "name": " ".join(part for part in (first, last) if part),
        "given_name": first,
        "family_name": last,
    }


async def update_profile(principal: UserPrincipal, *, first_name: str, last_name: str) -> UserRow:
    """A signed-in user's own name; nobody edits another person's profile here (nor a widget token,
    which opens an organization's widgets, not the person's account)."""
    if principal.widgets is not None:
        raise Forbidden("A widget token cannot change the person's profile.")
    async with transaction():
        await set_user_name(principal.user_id, first_name, last_name)
        await audit.record(
            principal,
            "user.profile_updated",
            target=("user", principal.user_id),
            organization_id=principal.organization_id,
        )
        await events.emit("user.updated", {"user": await user_payload(principal.user_id)})
    user = await find_user(principal.user_id)
    if user is None:
        raise InvalidInput("Your account no longer exists.")
    return user


async def user_payload(user_id: str) -> dict[str, Any]:
    """A user as webhook events describe them."""
    row = (
        await User.select(User.id, User.email, User.email_verified, User.first_name, User.last_name)
        .where(User.id == user_id)
        .first()
    )
    return dict(row) if row else {"id": user_id}
