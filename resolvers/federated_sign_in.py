"""Just-in-time provisioning: the person an organization's IdP vouched for becomes (or stays) a
user and a member here.

The IdP speaks only for addresses at domains its organization has verified: anything else could
take over someone's account by asserting their email, so it is refused before any lookup. The
IdP's subject is linked to one user for good (`SSOIdentity`); later sign-ins follow that link, and
update the person's name, and their email while it stays at a verified domain and is free.
"""

import contextlib
import hashlib
from typing import Any

from db.errors import is_unique_violation
from db.federation import SSOIdentity
from db.ids import new_id
from db.orgs import Membership, MembershipRemoval
from db.transaction import for_update, transaction
from db.users import User
from resolvers.clock import now
from resolvers.connection_rows import ConnectionRow, role_for_groups
from resolvers.domain_claims import verified_owner
from resolvers.errors import Conflict
from resolvers.federated_identity import FederatedIdentity, FederationRefused
from resolvers.memberships import add_member
from resolvers.principal import SystemPrincipal

SSO = SystemPrincipal(reason="sso")


def identity_key(connection_id: str, subject: str) -> str:
    return hashlib.sha256(f"{connection_id}\0{subject}".encode()).hexdigest()


async def verified_domain_of(organization_id: str, email: str) -> str | None:
    """The organization's verified domain the address is at (itself or a parent), if that is the
    most specific verified domain covering it: a subdomain another organization verified is theirs."""
    owner = await verified_owner(email.rpartition("@")[2])
    return owner[1] if owner is not None and owner[0] == organization_id else None


async def check_identity(connection: ConnectionRow, identity: FederatedIdentity) -> None:
    """Refuse what sign-in would refuse, without writing: the connection test runs this too."""
    if await verified_domain_of(connection.organization_id, identity.email) is None:
        domain = identity.email.rpartition("@")[2]
        raise FederationRefused(
            "email_domain_not_verified",
            f"{identity.email} is not at a domain this organization has verified. "
            f"Verify {domain} on the Domains page first.",
            email_domain=domain,
        )


async def _linked(key: str, *, lock: bool = False) -> dict[str, Any] | None:
    """The user the subject is linked to, with what the IdP may change of them."""
    query = SSOIdentity.select(
        SSOIdentity.user.as_alias("user_id"),
        SSOIdentity.user.email.as_alias("email"),
        SSOIdentity.user.first_name.as_alias("first_name"),
        SSOIdentity.user.last_name.as_alias("last_name"),
    ).where(SSOIdentity.id == key)
    row: dict[str, Any] | None = await (for_update(query) if lock else query).first()
    return row


async def _user_at(email: str) -> str | None:
    row = await for_update(User.select(User.id).where(User.email == email)).first()
    return str(row["id"]) if row else None


async def _user_for(identity: FederatedIdentity) -> str:
    """The account at the address, made if there is none. When two first sign-ins race, the
    insert that loses waits for the winner (PostgreSQL's ON CONFLICT) and then finds its row."""
    found = await _user_at(identity.email)
    if found:
        return found
    moment = now()
    made = (
        await User.insert(
            User(
                id=new_id("usr"),
                email=identity.email,
                email_verified=True,
                first_name=identity.first_name,
                last_name=identity.last_name,
                created_at=moment,
                updated_at=moment,
            )
        )
        .on_conflict(action="DO NOTHING")
        .returning(User.id)
    )
    if made:
        return str(made[0]["id"])
    winner = await _user_at(identity.email)
    assert winner is not None  # noqa: S101 - the conflict was this address's row
    return winner


async def _refresh_user(user_id: str, identity: FederatedIdentity, current: dict[str, Any]) -> None:
    """The IdP is the source of truth for name and address: what it sends and differs is written,
    with the sign-in's time, in one statement."""
    moment = now()
    changes: dict[Any, Any] = {User.last_login_at: moment}
    names = {
        User.first_name: (identity.first_name, "first_name"),
        User.last_name: (identity.last_name, "last_name"),
    }
    for column, (sent, key) in names.items():
        if sent and sent != current[key]:
            changes[column] = sent
    if len(changes) > 1:
        changes[User.updated_at] = moment
    await User.update(changes).where(User.id == user_id)
    if identity.email != current["email"]:
        await _move_address(user_id, identity.email)


async def _move_address(user_id: str, email: str) -> None:
    """A changed address moves with the person, unless someone else has it, or takes it while we
    write (the unique index decides; the savepoint keeps the sign-in's transaction usable)."""
    if await _user_at(email) is not None:
        return
    try:
        async with transaction():
            await User.update({User.email: email, User.email_verified: True, User.updated_at: now()}).where(
                User.id == user_id
            )
    except Exception as error:
        if not is_unique_violation(error):
            raise


async def _ensure_member(connection: ConnectionRow, user_id: str, groups: tuple[str, ...]) -> None:
    """Just-in-time membership with the role of the person's first mapped IdP group, else the
    connection's default role; an existing membership is kept as it is (admins may have changed it)."""
    if await Membership.exists().where(
        (Membership.user == user_id) & (Membership.organization == connection.organization_id)
    ):
        return
    if await MembershipRemoval.exists().where(
        MembershipRemoval.id == f"{connection.organization_id}:{user_id}"
    ):  # removed members stay removed until invited again, whatever their IdP says
        raise FederationRefused("membership_removed")
    with contextlib.suppress(Conflict):  # a concurrent sign-in added them (under the org lock)
        await add_member(
            SSO,
            organization_id=connection.organization_id,
            user_id=user_id,
            role_key=role_for_groups(connection, groups),
            source="sso",
        )


RETURNING_PERSON = """
SELECT u.id AS user_id, u.email, u.first_name, u.last_name,
       EXISTS (SELECT 1 FROM membership m WHERE m."user" = u.id AND m.organization = {}) AS is_member
FROM sso_identity i JOIN tenantry_user u ON u.id = i."user"
WHERE i.id = {}
"""


async def _returning_person(key: str, organization_id: str) -> dict[str, Any] | None:
    """The linked user and whether they are a member already: one query for the common case."""
    rows = await SSOIdentity.raw(RETURNING_PERSON, organization_id, key)
    return dict(rows[0]) if rows else None


async def sign_in_person(connection: ConnectionRow, identity: FederatedIdentity) -> str:
    """The user id to start a session for; creates the user and the membership on first sign-in.

    A returning person is one read and one write. A first sign-in is one transaction: two first
    sign-ins of one person at the same moment make one user and one link.
    """
    await check_identity(connection, identity)
    key = identity_key(connection.id, identity.subject)
    linked = await _returning_person(key, connection.organization_id)
    if linked is not None:
        user_id = str(linked["user_id"])
        held = str(linked["email"])  # the address asserted now has passed check_identity already
        if held != identity.email and await verified_domain_of(connection.organization_id, held) is None:
            # the account's own address left this organization's domains: its IdP no longer speaks for it
            raise FederationRefused(
                "email_domain_not_verified",
                "The account this person signed in with before is no longer at a domain this "
                "organization has verified.",
            )
        await _refresh_user(user_id, identity, linked)
        if not linked["is_member"]:
            await _ensure_member(connection, user_id, identity.groups)
        return user_id
    async with transaction():
        user_id = await _user_for(identity)
        made = (
            await SSOIdentity.insert(
                SSOIdentity(
                    id=key, connection=connection.id, subject=identity.subject, user=user_id, created_at=now()
                )
            )
            .on_conflict(action="DO NOTHING")
            .returning(SSOIdentity.id)
        )
        if not made:  # a concurrent first sign-in linked the subject a moment ago
            winner = await _linked(key)
            user_id = str(winner["user_id"]) if winner else user_id
        current = (
            await User.select(User.email, User.first_name, User.last_name).where(User.id == user_id).first()
        )
        await _refresh_user(user_id, identity, current or {"email": "", "first_name": "", "last_name": ""})
        await _ensure_member(connection, user_id, identity.groups)
    return user_id
