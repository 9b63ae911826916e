"""Adding a person by address: the operator's CLI, integrators' tools, the demo seed and test
factories all find the account at that address (or create a verified one) and add it as a member."""

from dataclasses import dataclass

from db.transaction import transaction
from resolvers.emails import normalize_email
from resolvers.memberships import add_member
from resolvers.principal import Principal
from resolvers.users import create_verified_user, find_user_by_email


@dataclass(frozen=True, slots=True)
class AddedPerson:
    user_id: str
    membership_id: str


async def add_person(
    principal: Principal,
    *,
    organization_id: str,
    email: str,
    role_key: str,
    first_name: str = "",
    last_name: str = "",
    source: str = "integrator",
    user_id: str | None = None,
) -> AddedPerson:
    """One transaction: an unknown role or organization leaves no account behind.

    An existing account at the address joins as itself (never a copy); `user_id` names a new
    account (the demo's stable ids). People add themselves only through invitations (`add_member`
    refuses a person as principal).
    """
    address = normalize_email(email)
    async with transaction():
        found = await find_user_by_email(address)
        person = (
            found.id if found else await create_verified_user(address, first_name, last_name, user_id=user_id)
        )
        membership_id = await add_member(
            principal, organization_id=organization_id, user_id=person, role_key=role_key, source=source
        )
    return AddedPerson(user_id=person, membership_id=membership_id)
