"""The demo environment: the "Coffee Desk" application and "Acme Coffee" with an admin and a member."""

from dataclasses import dataclass

from db.environment import Application, EnvironmentSettings
from db.orgs import Membership, Organization
from db.transaction import transaction
from resolvers.clock import now
from resolvers.crypto import hash_token, mac
from resolvers.deployment import Deployment
from resolvers.memberships import add_member
from resolvers.organizations import FEATURES, create_organization
from resolvers.principal import SystemPrincipal
from resolvers.seed import ENVIRONMENT_ID
from resolvers.users import create_verified_user, find_user_by_email

DEMO_CLIENT_ID = "app_coffeedesk"
DEMO_ORGANIZATION = "Acme Coffee"
DEMO_PEOPLE = (
    ("ada@acme-coffee.example.com", "Ada", "Admin", "admin"),
    ("max@acme-coffee.example.com", "Max", "Member", "member"),
)


@dataclass(frozen=True, slots=True)
class DemoEnvironment:
    client_id: str
    client_secret: str
    organization_id: str
    people: tuple[tuple[str, str], ...]  # (email, role)


def demo_client_secret(deployment: Deployment) -> str:
    """Derived from the secret key, so the demo app needs no stored secret."""
    return "tns_demo_" + mac(deployment.secret_key, b"demo-client", DEMO_CLIENT_ID.encode())


async def seed_demo(deployment: Deployment) -> DemoEnvironment:
    """Create what is missing; running it twice changes nothing."""
    principal = SystemPrincipal("demo")
    secret = demo_client_secret(deployment)
    issuer = deployment.issuer
    async with transaction():
        await EnvironmentSettings.update({EnvironmentSettings.app_name: "Coffee Desk"}).where(
            EnvironmentSettings.id == ENVIRONMENT_ID
        )
        if not await Application.exists().where(Application.id == DEMO_CLIENT_ID):
            await Application.insert(
                Application(
                    id=DEMO_CLIENT_ID,
                    name="Coffee Desk",
                    client_type="confidential",
                    secret_hash=hash_token(secret),
                    redirect_uris=[f"{issuer}/demo/callback"],
                    post_logout_redirect_uris=[f"{issuer}/demo/signed-out"],
                    initiate_login_uri=f"{issuer}/demo/login",
                    grant_types=["authorization_code", "refresh_token"],
                    created_at=now(),
                )
            )
    organization = (
        await Organization.select(Organization.id).where(Organization.name == DEMO_ORGANIZATION).first()
    )
    organization_id = (
        organization["id"]
        if organization
        else await create_organization(principal, name=DEMO_ORGANIZATION, features=list(FEATURES))
    )
    for email, first, last, role in DEMO_PEOPLE:
        user = await find_user_by_email(email)
        if user is None:
            async with transaction():
                user_id = await create_verified_user(email, first, last)
        else:
            user_id = user["id"]
        if not await Membership.exists().where(
            (Membership.user == user_id) & (Membership.organization == organization_id)
        ):
            await add_member(
                principal,
                organization_id=organization_id,
                user_id=user_id,
                role_key=role,
                source="demo",
            )
    return DemoEnvironment(
        client_id=DEMO_CLIENT_ID,
        client_secret=secret,
        organization_id=organization_id,
        people=tuple((email, role) for email, _, _, role in DEMO_PEOPLE),
    )
