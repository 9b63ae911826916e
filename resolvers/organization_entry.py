"""Which organization a signed-in person enters: through an app's sign-in, or straight into the portal."""

import enum

from resolvers import memberships
from resolvers.invitation_answers import pending_invitations
from resolvers.joining_by_email_domain import joinable_organizations
from resolvers.sessions import ActiveSession, set_active_organization


class OrganizationChoice(enum.Enum):
    NONE = "none"  # the person belongs to no organization, or went on without joining one
    NEEDED = "needed"  # several, and nothing says which
    NOT_A_MEMBER = "not_a_member"  # the app asked for one the person is not in


async def choose_for_sign_in(
    user_id: str,
    *,
    requested: str | None,
    chosen: str | None,
    went_on_without: bool,
    active: str | None,
) -> str | OrganizationChoice:
    """The app's `organization_id`, then the person's choice, then the session's, then the only one."""
    if went_on_without:
        return OrganizationChoice.NONE  # offered organizations to join, the person went on without
    wanted = requested or chosen
    if wanted:
        if await memberships.organization_access(user_id, wanted) is not None:
            return wanted
        joinable = await joinable_organizations(user_id)
        invited = await pending_invitations(user_id)
        return (
            OrganizationChoice.NEEDED
            if wanted in {o["id"] for o in joinable} | {i.organization_id for i in invited}
            else OrganizationChoice.NOT_A_MEMBER
        )
    if active is not None and await memberships.organization_access(user_id, active):
        return active
    # two are enough to tell none, one and several apart
    ids = [org["id"] for org in await memberships.active_organizations(user_id, limit=2)]
    if await pending_invitations(user_id):  # a new sign-in answers its invitations first
        return OrganizationChoice.NEEDED
    if not ids:  # no organization yet: offer the ones their email domain lets them join
        return OrganizationChoice.NEEDED if await joinable_organizations(user_id) else OrganizationChoice.NONE
    if len(ids) == 1:
        return str(ids[0])
    return OrganizationChoice.NEEDED


async def enter_for_portal(session: ActiveSession) -> str | None:
    """The session's organization; one signed in outside an app's request starts in its oldest."""
    if session.active_organization_id is not None:
        return session.active_organization_id
    organizations = await memberships.active_organizations(session.user_id, limit=1)
    if not organizations:
        return None
    organization_id = str(organizations[0]["id"])
    await set_active_organization(session.id, organization_id)
    return organization_id
