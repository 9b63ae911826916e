"""Open invitations written straight to the table, to bring an organization to its limit quickly."""

import datetime as dt
import secrets

from db.ids import new_id
from db.orgs import Invitation, Role
from resolvers.clock import now
from tests.support.factories import run


def fill_with_open_invitations(organization_id: str, count: int) -> None:
    """`count` pending invitations written at once (sending each for real would take minutes)."""

    async def go() -> None:
        role = await Role.select(Role.id).where(Role.key == "member").first()
        assert role is not None
        moment = now()
        await Invitation.insert(
            *(
                Invitation(
                    id=new_id("inv"),
                    organization=organization_id,
                    email=f"filler-{n}-{secrets.token_hex(3)}@example.com",
                    role=role["id"],
                    token_hash=secrets.token_hex(32),
                    status="pending",
                    expires_at=moment + dt.timedelta(days=7),
                    created_at=moment,
                )
                for n in range(count)
            )
        )

    run(go())
